"""The demo's transmissions (saisines): about one a month over the past year in each demo house,
each answered by the partner as it would have been, and a few open today for the CAF and
France Travail referents to answer.

Built through the services, at the instants they happened (`now=`), by the house's agent and,
for the partner's moves, by a referent account of that partner (a partner without one in the
demo only receives). The past's notices to the agent count as sent: the worker mails nothing
about last year. Idempotent: a house that already has transmissions is left as it is.
"""

import random
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from msap.core.errors import DomainError
from msap.desk.models import ServiceRequest
from msap.lib.dates import add_working_days, timezone_for
from msap.people.counter import first_counter_agent
from msap.people.models import Membership, Role
from msap.transmissions import services
from msap.transmissions.models import (
    DataCategory,
    Notice,
    RefusalReason,
    Transmission,
)

SEED = 20261201
PAST_DAYS = 365
# Today's open transmissions were sent at most this many days ago.
OPEN_DAYS = 10
# Partner code -> the situations a house brings to it (subject, question).
SITUATIONS = {
    "caf": [
        (
            "Droits après une séparation",
            "La personne s'est séparée il y a deux mois et élève seule deux enfants : quels "
            "droits peut-elle ouvrir (ASF, RSA majoré) et quelles pièces transmettre ?",
        ),
        (
            "Indu d'aide au logement contesté",
            "Un indu de 1 200 € est réclamé après un déménagement déclaré à temps : la personne "
            "conteste et demande une remise de dette. Qui instruit et dans quel délai ?",
        ),
        (
            "Prime d'activité suspendue",
            "Versement suspendu depuis trois mois sans courrier reçu ; les déclarations "
            "trimestrielles sont à jour.",
        ),
    ],
    "france-travail": [
        (
            "Radiation après un rendez-vous manqué",
            "La personne n'a pas reçu la convocation (changement d'adresse) et a été radiée : "
            "comment régulariser et rétablir l'allocation ?",
        ),
        (
            "Inscription d'une personne sans accès au numérique",
            "Personne sans téléphone ni adresse électronique : inscription accompagnée et "
            "premier entretien à organiser.",
        ),
    ],
    "cpam": [
        (
            "Complémentaire santé solidaire refusée",
            "Refus pour ressources, alors que les revenus ont baissé depuis : réexamen possible ?",
        ),
    ],
}
ANSWERS = [
    "Droits ouverts : la personne recevra un courrier de confirmation sous huit jours.",
    "Dossier régularisé ; le versement reprend le mois prochain.",
    "Rendez-vous fixé avec un conseiller ; la suite sera vue avec la personne.",
]
QUESTIONS = [
    "Merci de nous transmettre le dernier avis d'imposition.",
    "Pouvez-vous préciser la date de la séparation ?",
]
PEOPLE = ["Rose Martin", "Karim Bensaïd", "Odette Vidal", "Thomas Lefort"]


def build_transmissions(houses, *, today: date, seed: int = SEED) -> int:
    """A year of transmissions in each house and some open today; returns how many."""
    created = 0
    referents = _referent_accounts()
    for house in houses:
        if Transmission.objects.filter(house=house).exists():
            continue
        agent = first_counter_agent(house)
        partnerships = {
            p.partner.code: p
            for p in house.partnerships.active().select_related("partner")
            if p.partner.code in SITUATIONS
        }
        if agent is None or not partnerships:
            continue
        rng = random.Random(f"{seed}/{house.slug}")
        with transaction.atomic():
            created += _year(house, agent, partnerships, referents, today, rng)
            created += _today(house, agent, partnerships, referents, rng)
    # The untouched expire and ended consents are purged, as the daily job would have done; the
    # notices of last year's transmissions went at the time (the open ones of today's still go).
    services.expire_untouched()
    services.purge_past_consent()
    Notice.objects.filter(
        sent_at__isnull=True, transmission__sent_at__lt=timezone.now() - timedelta(days=OPEN_DAYS)
    ).update(sent_at=F("created_at"))
    return created


def _referent_accounts() -> dict[int, object]:
    """A referent account per partner that has one in the demo (partner id -> user)."""
    out = {}
    for membership in (
        Membership.objects.current()
        .filter(role=Role.REFERENT, user__is_active=True)
        .select_related("user")
        .order_by("pk")
    ):
        out.setdefault(membership.partner_id, membership.user)
    return out


def _at(day: date, hour: int, tz) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=tz)


def _send(house, agent, partnership, rng, now, *, personal: bool, request=None):
    subject, question = rng.choice(SITUATIONS[partnership.partner.code])
    referent = partnership.referents.filter(ended_on__isnull=True).first()
    extra = {}
    if personal:
        today = now.astimezone(timezone_for(house.commune.departement_id)).date()
        extra = {
            "person_name": rng.choice(PEOPLE),
            "person_reference": str(rng.randint(1_000_000, 9_999_999)),
            "consent": True,
            "consent_categories": [DataCategory.IDENTITY, DataCategory.REFERENCE],
            "consent_until": today + timedelta(days=90),
        }
    transmission, _created = services.send(
        agent,
        house,
        partnership=partnership,
        referent=referent,
        request=request,
        subject=subject,
        question=question,
        urgency="urgent" if rng.random() < 0.15 else "normal",
        now=now,
        **extra,
    )
    return transmission


def _year(house, agent, partnerships, referents, today: date, rng) -> int:
    """About one a month, each taken in charge after 1 to 6 working days and closed after."""
    dept = house.commune.departement_id
    tz = timezone_for(dept)
    requests = list(
        ServiceRequest.objects.filter(
            house=house, occurred_at__gte=timezone.now() - timedelta(days=PAST_DAYS)
        ).values_list("occurred_at", "pk")
    )
    created = 0
    for offset in range(PAST_DAYS, 20, -30):
        day = add_working_days(today - timedelta(days=offset + rng.randint(0, 9)), 1, dept)
        # Mostly to partners whose referent answers in the demo; the others' expire unanswered.
        answering = [p for p in partnerships.values() if p.partner_id in referents]
        silent = [p for p in partnerships.values() if p.partner_id not in referents]
        pool = answering if answering and (not silent or rng.random() < 0.85) else silent
        partnership = rng.choice(pool)
        actor = referents.get(partnership.partner_id)
        near = [pk for moment, pk in requests if abs((moment.date() - day).days) <= 2]
        request = ServiceRequest.objects.get(pk=near[0]) if near else None
        t = _send(
            house,
            agent,
            partnership,
            rng,
            _at(day, 10, tz),
            personal=rng.random() < 0.5,
            request=request,
        )
        created += 1
        if actor is None or rng.random() < 0.08:
            continue  # never touched: it expires
        try:
            _answer(house, agent, actor, t, day, tz, rng)
        except DomainError:
            continue  # a move the graph refuses in this draw: the transmission stays as it is
    return created


def _answer(house, agent, actor, t, day, tz, rng) -> None:
    dept = house.commune.departement_id
    day = add_working_days(day, rng.randint(1, 6), dept)
    t = services.take_in_charge(actor, t, now=_at(day, 11, tz))
    if rng.random() < 0.25:
        t = services.request_information(actor, t, rng.choice(QUESTIONS), now=_at(day, 15, tz))
        day = add_working_days(day, rng.randint(1, 3), dept)
        t = services.answer(
            agent, t, "Pièce transmise par la personne ce jour.", now=_at(day, 10, tz)
        )
    day = add_working_days(day, rng.randint(2, 12), dept)
    outcome = rng.random()
    moment = _at(day, 16, tz)
    others = [p for p in house.partnerships.active() if p.partner_id != t.partnership.partner_id]
    if outcome < 0.1 and others:
        services.redirect(actor, t, others[0], "Relève de ce partenaire.", now=moment)
    elif outcome < 0.25:
        reason = rng.choice(
            [RefusalReason.INCOMPLETE, RefusalReason.DUPLICATE, RefusalReason.NOT_COMPETENT]
        )
        services.refuse(actor, t, reason, now=moment)
    else:
        services.resolve(actor, t, rng.choice(ANSWERS), now=moment)


def _today(house, agent, partnerships, referents, rng) -> int:
    """Open today: to the CAF and France Travail, one sent yesterday, one late to take in
    charge; to the CAF, one the house completed after a request for information."""
    dept = house.commune.departement_id
    tz = timezone_for(dept)
    now = timezone.now()
    today = now.astimezone(tz).date()
    created = 0
    for code in ("caf", "france-travail"):
        partnership = partnerships.get(code)
        if partnership is None:
            continue
        for days_ago in (1, 5):
            day = today - timedelta(days=days_ago)
            _send(house, agent, partnership, rng, min(_at(day, 10, tz), now), personal=True)
            created += 1
    caf = partnerships.get("caf")
    actor = referents.get(caf.partner_id) if caf else None
    if actor is not None:
        day = today - timedelta(days=8)
        t = _send(house, agent, caf, rng, _at(day, 9, tz), personal=True)
        t = services.take_in_charge(actor, t, now=_at(day, 14, tz))
        t = services.request_information(actor, t, rng.choice(QUESTIONS), now=_at(day, 15, tz))
        services.answer(agent, t, "Voici la précision demandée.", now=min(_at(today, 8, tz), now))
        created += 1
    return created
