"""The demo's conventions: each demo house has its framework convention, signed by its
gestionnaire and its partners on their own dates, with the management terms of annex 3 for the
current year. Signatures are spread so that some terms come up soon; one partner has given
notice of its withdrawal; one adhesion request waits for the gestionnaire's examination.

Built through the services, by the house's responsable. The notices of the demo's past count as
sent: the worker mails nothing about them. Idempotent: a house with a convention is left as is.
"""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from msap.conventions import services
from msap.conventions.models import Convention, Notice, SignatoryKind
from msap.lib.dates import add_months
from msap.partners.models import Partner, PartnerKind
from msap.people.models import Membership, Role

# How long ago each house signed, in months, in turn: 31 and 32 months ago the échéance is 4 or
# 5 months away (the notice deadline passed, the alert sent); 29 months ago it is 7 months away.
SIGNED_MONTHS_AGO = [31, 14, 29, 44, 8, 62, 32, 20, 75, 26]
SIGNERS = [
    ("Sophie Martin", "Présidente"),
    ("Jean-Luc Bernard", "Président"),
    ("Nadia Benali", "Vice-présidente"),
    ("Pierre Roux", "Maire"),
]
PARTNER_SIGNERS = [
    ("Claire Fabre", "Directrice départementale"),
    ("Olivier Petit", "Directeur territorial"),
    ("Hélène Garnier", "Directrice de l'agence"),
]
PARTNER_TERMS = {
    "caf": "Subvention de fonctionnement au titre du fonds national France Services.",
    "cpam": "Mise à disposition de la documentation et des accès partenaires.",
    "france-travail": "Participation au fonds inter-opérateurs.",
    "msa": "Participation au fonds inter-opérateurs.",
    "la-poste": "Mise à disposition d'un agent pour les permanences postales.",
}


def _responsable(house):
    membership = (
        Membership.objects.current()
        .filter(house=house, role=Role.RESPONSABLE)
        .select_related("user")
        .first()
    )
    return membership.user if membership else None


def build_conventions(houses, *, today: date) -> int:
    """A convention for each demo house without one; returns how many were created."""
    created = 0
    withdrawal_given = adhesion_pending = False
    for index, house in enumerate(houses):
        if Convention.objects.filter(house=house).exists():
            continue
        actor = _responsable(house)
        partnerships = list(house.partnerships.active().select_related("partner"))
        signed_on = add_months(today, -SIGNED_MONTHS_AGO[index % len(SIGNED_MONTHS_AGO)])
        signed_on = (
            max(signed_on, *(p.joined_on for p in partnerships)) if partnerships else signed_on
        )
        name, title = SIGNERS[index % len(SIGNERS)]
        with transaction.atomic():
            convention = services.sign_convention(
                actor,
                house,
                signed_on=signed_on,
                signed_at=house.commune.name,
                signer_name=name,
                signer_title=f"{title} — {house.organisation.name}",
                service_notice_months=3,
            )
            services.update_convention(
                actor,
                convention,
                {
                    "manager_delegations": (
                        "Le responsable organise l'accueil et les plannings de l'équipe, signe les "
                        "courriers aux usagers et engage les dépenses courantes ; il rend compte au "
                        "gestionnaire chaque mois."
                    )
                },
                convention.version,
            )
            signatories = []
            for n, partnership in enumerate(partnerships):
                signer, role = PARTNER_SIGNERS[(index + n) % len(PARTNER_SIGNERS)]
                signatories.append(
                    services.add_signatory(
                        actor,
                        convention,
                        partnership,
                        signed_on=min(add_months(signed_on, 0), today),
                        charter_signed_on=signed_on,
                        signer_name=signer,
                        signer_title=f"{role}, {partnership.partner.short_name}",
                    )
                )
            gestionnaire = convention.signatories.get(kind=SignatoryKind.GESTIONNAIRE)
            services.save_terms(
                actor,
                gestionnaire,
                today.year,
                {
                    "financial": (
                        "Le gestionnaire prend en charge les loyers, charges courantes, frais de "
                        "personnel et toutes dépenses de fonctionnement de la maison."
                    ),
                    "furniture": "Mobilier d'accueil, d'attente et du bureau confidentiel.",
                    "technical": "Postes informatiques en libre accès et leur maintenance.",
                    "activity_share": Decimal(40 + 10 * (index % 5)),
                },
                None,
            )
            for n, signatory in enumerate(signatories):
                code = signatory.partnership.partner.code
                data = {"financial": PARTNER_TERMS.get(code, "Apport de documentation.")}
                if n == 0:
                    data["permanence_office"] = "Bureau de permanence, un demi-jour par semaine."
                    data["cross_training"] = "Une formation annuelle des agents à son offre."
                    data["bilateral_convention"] = "Convention bilatérale de financement signée."
                services.save_terms(actor, signatory, today.year, data, None)
            if not withdrawal_given and len(signatories) >= 3:
                last = signatories[-1]
                services.record_withdrawal(
                    actor,
                    last,
                    letter_on=max(add_months(today, -1), last.signed_on),
                    expected_version=last.version,
                )
                withdrawal_given = True
            elif not adhesion_pending and partnerships:
                present = {p.partner_id for p in partnerships}
                newcomer = (
                    Partner.objects.filter(kind=PartnerKind.NATIONAL)
                    .exclude(pk__in=present)
                    .order_by("code")
                    .first()
                )
                if newcomer is not None:
                    services.request_adhesion(
                        actor, convention, newcomer, requested_on=add_months(today, -1)
                    )
                    adhesion_pending = True
            # What the demo's past would have mailed went at the time.
            Notice.objects.filter(convention=convention, sent_at__isnull=True).update(
                sent_at=F("created_at")
            )
            services.handle_one(convention, today)
            Notice.objects.filter(convention=convention, sent_at__isnull=True).update(
                sent_at=timezone.now()
            )
        created += 1
    return created
