"""Domain operations on partnerships and referents."""

from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from msap.core import journal
from msap.core.errors import DomainError, bump_version, check_email
from msap.core.states import end_tenure
from msap.lib.dates import FRENCH_WEEKDAYS
from msap.network.models import HoursChange
from msap.partners.models import Partner, PartnerKind, Partnership, PartnershipStatus, Referent
from msap.partners.queries import current_referents

REFERENT_FIELDS = [
    "first_name",
    "last_name",
    "function",
    "phone",
    "email",
    "postal_address",
    "domains",
]


@transaction.atomic
def create_local_partner(
    actor, *, name: str, short_name: str, departement, website: str = ""
) -> Partner:
    name, short_name = name.strip(), short_name.strip()
    if not name or not short_name:
        raise DomainError(_("Indiquez le nom et le sigle du partenaire."))
    if len(name) > Partner._meta.get_field("name").max_length:
        raise DomainError(
            _("Le nom du partenaire est trop long."), {"name": [_("200 caractères au maximum.")]}
        )
    if len(short_name) > Partner._meta.get_field("short_name").max_length:
        raise DomainError(
            _("Le sigle du partenaire est trop long."),
            {"short_name": [_("40 caractères au maximum.")]},
        )
    base = slugify(f"{short_name}-{departement.code}")[:36] or "partenaire"
    code, n = base, 1
    while Partner.objects.filter(code=code).exists():
        n += 1
        code = f"{base}-{n}"
    if Partner.objects.filter(short_name__iexact=short_name, departement=departement).exists():
        raise DomainError(
            (
                _(
                    "Un partenaire « %(short_name)s » existe déjà dans ce département : choisissez-le dans la liste."
                )
                % {"short_name": short_name}
            ),
            {"short_name": [_("Ce partenaire existe déjà dans ce département.")]},
        )
    partner = Partner.objects.create(
        code=code,
        name=name,
        short_name=short_name,
        kind=PartnerKind.LOCAL,
        departement=departement,
        website=website,
    )
    journal.record(
        actor,
        "partner.created",
        partner,
        summary=gettext_noop("Partenaire local créé : %(partner)s"),
        params={"partner": short_name},
    )
    return partner


@transaction.atomic
def add_partnership(
    actor, house, partner: Partner, *, joined_on: date, services=(), bilateral_note: str = ""
) -> Partnership:
    """A partner joins a house (art. 7). A partner already active in the house is refused."""
    if house.partnerships.active().filter(partner=partner).exists():
        raise DomainError(
            (
                _("%(short_name)s est déjà partenaire de cette maison.")
                % {"short_name": partner.short_name}
            ),
            {
                "partner": [
                    (
                        _("%(short_name)s est déjà partenaire de cette maison.")
                        % {"short_name": partner.short_name}
                    )
                ]
            },
        )
    try:
        with transaction.atomic():
            partnership = Partnership.objects.create(
                house=house, partner=partner, joined_on=joined_on, bilateral_note=bilateral_note
            )
    except IntegrityError as exc:  # a concurrent request added it first
        raise DomainError(
            _("%(short_name)s est déjà partenaire de cette maison.")
            % {"short_name": partner.short_name}
        ) from exc
    if services:
        partnership.services.set(services)
    journal.record(
        actor,
        "partnership.added",
        partnership,
        summary=gettext_noop("%(partner)s rejoint la maison"),
        params={"partner": partner.short_name},
    )
    return partnership


@transaction.atomic
def add_local_partnership(
    actor,
    house,
    *,
    name: str,
    short_name: str,
    joined_on: date,
    services=(),
    bilateral_note: str = "",
) -> Partnership:
    """A local operator not yet known joins a house (art. 7): the partner, created in the house's
    département, exists only if its partnership does."""
    partner = create_local_partner(
        actor, name=name, short_name=short_name, departement=house.commune.departement
    )
    return add_partnership(
        actor,
        house,
        partner,
        joined_on=joined_on,
        services=services,
        bilateral_note=bilateral_note,
    )


@transaction.atomic
def update_partnership(
    actor, partnership: Partnership, *, services, bilateral_note: str, expected_version: int | None
):
    before = sorted(partnership.services.values_list("code", flat=True))
    partnership.version = bump_version(Partnership, partnership.pk, expected_version)
    partnership.bilateral_note = bilateral_note
    partnership.save(update_fields=["bilateral_note", "version"])
    partnership.services.set(services)
    after = sorted(s.code for s in services)
    journal.record(
        actor,
        "partnership.updated",
        partnership,
        summary=gettext_noop("Offre de %(partner)s modifiée"),
        params={"partner": partnership.partner.short_name},
        changes={"services": [before, after]},
    )
    return partnership


@transaction.atomic
def withdraw_partnership(actor, partnership: Partnership, *, on: date) -> Partnership:
    partnership.check_status(PartnershipStatus.WITHDRAWN)
    if on < partnership.joined_on:
        raise DomainError(
            _("La date de retrait doit être après l'entrée du partenaire dans la maison."),
            {
                "left_on": [
                    (
                        _("Indiquez une date à partir du %(joined_on)s.")
                        % {"joined_on": date_format(partnership.joined_on, "SHORT_DATE_FORMAT")}
                    )
                ]
            },
        )
    partnership.set_status(PartnershipStatus.WITHDRAWN)
    partnership.left_on = on
    partnership.save(update_fields=["status", "left_on"])
    for referent in partnership.referents.filter(ended_on__isnull=True):
        referent.ended_on = max(on, referent.started_on)
        referent.save(update_fields=["ended_on"])
    journal.record(
        actor,
        "partnership.withdrawn",
        partnership,
        summary=gettext_noop("%(partner)s se retire le %(on)s"),
        params={"partner": partnership.partner.short_name, "on": on},
    )
    return partnership


def _clean(data: dict) -> dict:
    """Text fields stripped (None → ""); other values (the referent's `user` account) as given."""
    out = {}
    for key, value in data.items():
        if key in REFERENT_FIELDS:
            value = (value or "").strip()
        out[key] = value
    return out


def _check_contact(data: dict) -> None:
    email = (data.get("email") or "").strip()
    if not (data.get("phone") or "").strip() and not email:
        raise DomainError(
            _(
                "Un référent doit être joignable : indiquez au moins sa ligne directe ou son adresse électronique (annexe 2)."
            ),
            {"phone": [_("Indiquez une ligne directe ou une adresse électronique.")]},
        )
    if email:
        check_email(email, example="prenom.nom@caf.fr")
    if not (data.get("first_name") or "").strip() or not (data.get("last_name") or "").strip():
        raise DomainError(
            _("Indiquez le prénom et le nom du référent."),
            {"last_name": [_("Indiquez le prénom et le nom du référent.")]},
        )


@transaction.atomic
def add_referent(
    actor,
    partnership: Partnership,
    *,
    started_on: date,
    replaces: Referent | None = None,
    user=None,
    **data,
) -> Referent:
    """Name a referent; `replaces` ends the previous one the day before, keeping it as history. `user` links the referent's own account, so they can keep their card current."""
    if partnership.status != PartnershipStatus.ACTIVE:
        raise DomainError(
            _("Ce partenaire s'est retiré de la maison : on ne peut plus lui nommer de référent.")
        )
    data = _clean(data)
    _check_contact(data)
    if replaces is not None:
        if replaces.partnership_id != partnership.pk or replaces.ended_on is not None:
            raise DomainError(_("Le référent remplacé n'est pas en poste dans ce partenariat."))
        if started_on < replaces.started_on:
            raise DomainError(
                (
                    _(
                        "Le nouveau référent ne peut pas prendre son poste avant %(full_name)s, en poste depuis le %(started_on)s."
                    )
                    % {
                        "full_name": replaces.full_name,
                        "started_on": date_format(replaces.started_on, "SHORT_DATE_FORMAT"),
                    }
                ),
                {
                    "started_on": [
                        (
                            _("Indiquez une date à partir du %(started_on)s.")
                            % {"started_on": date_format(replaces.started_on, "SHORT_DATE_FORMAT")}
                        )
                    ]
                },
            )
        # ended_on is the last day in post: on any date, one referent answers for the partner.
        replaces.ended_on = max(started_on - timedelta(days=1), replaces.started_on)
        replaces.save(update_fields=["ended_on"])
    referent = Referent.objects.create(
        partnership=partnership, started_on=started_on, user=user, **data
    )
    if replaces:
        summary = gettext_noop("Référent %(partner)s nommé en remplacement de %(replaced)s")
        params = {"partner": partnership.partner.short_name, "replaced": replaces.full_name}
    else:
        summary = gettext_noop("Référent %(partner)s nommé")
        params = {"partner": partnership.partner.short_name}
    return _journal_referent(actor, "referent.added", referent, summary, params=params)


def _journal_referent(actor, action: str, referent: Referent, summary: str, **details) -> Referent:
    """Journal a change to a referent's card, in the house of its partnership."""
    house_id = referent.partnership.house_id
    journal.record(actor, action, referent, house_id=house_id, summary=summary, **details)
    return referent


def check_referent_in_post(referent: Referent) -> None:
    """A referent's card is kept as it was once they left their post (annex 2: the history of
    who answered for the partner)."""
    if referent.ended_on is not None:
        raise DomainError(
            _(
                "Ce référent n'est plus en poste : sa fiche est conservée telle quelle dans "
                "l'historique."
            )
        )


@transaction.atomic
def update_referent(
    actor, referent: Referent, data: dict, expected_version: int | None
) -> Referent:
    check_referent_in_post(referent)
    data = _clean({k: v for k, v in data.items() if k in REFERENT_FIELDS})
    merged = {f: data.get(f, getattr(referent, f)) for f in REFERENT_FIELDS}
    _check_contact(merged)
    changes = journal.diff(referent, data)
    referent.version = bump_version(Referent, referent.pk, expected_version)
    for field, value in data.items():
        setattr(referent, field, value)
    referent.save(update_fields=[*data.keys(), "version"])
    return _journal_referent(
        actor,
        "referent.updated",
        referent,
        gettext_noop("Fiche référent mise à jour"),
        changes=changes,
    )


@transaction.atomic
def end_referent(actor, referent: Referent, *, on: date) -> Referent:
    end_tenure(
        referent,
        on,
        already_ended=_("Ce référent n'est déjà plus en poste."),
        before_start=_("La date de fin doit être après la prise de poste."),
    )
    return _journal_referent(
        actor,
        "referent.ended",
        referent,
        gettext_noop("%(name)s n'est plus référent"),
        params={"name": referent.full_name},
    )


# --- what partners are told of a house ------------------------------------------------------


def inform_partners_of_hours(change_pk: int, **_signal) -> int:
    """Email the house's current referents about a substantial change of hours; stamp the change.

    Idempotent: a change already stamped is not sent again. Returns the number of recipients."""
    if not HoursChange.objects.filter(pk=change_pk, partners_informed_at__isnull=True).update(
        partners_informed_at=timezone.now()
    ):
        return 0
    change = HoursChange.objects.select_related("house").get(pk=change_pk)
    house = change.house
    recipients = sorted(
        set(
            current_referents()
            .filter(partnership__house=house, partnership__status="active")
            .exclude(email="")
            .values_list("email", flat=True)
        )
    )
    if not recipients:
        return 0
    lines = [f"{FRENCH_WEEKDAYS[d].capitalize()} : {a} – {b}" for d, a, b in change.after]
    body = (
        f"Bonjour,\n\nLes horaires d'ouverture de {house.name} changent "
        f"(article 3.2 de la convention-cadre). Nouveaux horaires :\n\n"
        + "\n".join(lines)
        + f"\n\n{settings.SITE_URL}/maisons/{house.pk}/horaires/\n"
    )
    send_mail(f"{house.name} : nouveaux horaires d'ouverture", body, None, recipients)
    return len(recipients)
