"""The convention's life (art. 7, 9, 10) and its annex 3: one function per intent, each owning its
transaction, its checks (French refusals, nothing saved) and its journal entry."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from msap.conventions import rules
from msap.conventions.models import (
    AdhesionRequest,
    AdhesionStatus,
    Convention,
    ConventionStatus,
    ManagementTerms,
    NoticeKind,
    ServiceWithdrawal,
    Signatory,
    SignatoryKind,
)
from msap.conventions.tasks import notify
from msap.core import journal
from msap.core import rules as core_rules
from msap.core.errors import DomainError, StaleVersion, bump_version
from msap.lib.dates import today_in
from msap.network.models import HouseStatus
from msap.network.services import close_house
from msap.partners import services as partner_services
from msap.partners.models import PartnershipStatus

CONVENTION_FIELDS = ["signed_at", "service_notice_months", "manager_delegations"]
SIGNER_FIELDS = ["signer_name", "signer_title"]
TERMS_FIELDS = [
    "financial",
    "premises",
    "furniture",
    "technical",
    "bilateral_convention",
    "activity_share",
    "permanence_office",
    "cross_training",
]


def _short(day: date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def _refuse(field: str, message: str, detail: str | None = None):
    raise DomainError(message, {field: [detail or message]})


def check_past_day(house, day, field: str, *, not_before: date | None = None, label: str = ""):
    """A day that has happened (a signature, a letter received): plausible (core.rules), not
    after today in the house's zone, not before `not_before` (the convention's signature)."""
    if not isinstance(day, date):
        _refuse(field, _("Indiquez une date."))
    message = core_rules.day_error(day)
    if message:
        _refuse(field, message)
    if day > today_in(house.tz):
        _refuse(field, core_rules.future_message())
    if not_before is not None and day < not_before:
        _refuse(
            field,
            _("%(what)s ne peut pas précéder la signature de la convention (%(day)s).")
            % {"what": label or _("Cette date"), "day": _short(not_before)},
        )


def _check_notice_months(value) -> None:
    if value is None:
        return
    if (
        not isinstance(value, int)
        or not rules.SERVICE_NOTICE_MIN_MONTHS <= value <= rules.SERVICE_NOTICE_MAX_MONTHS
    ):
        _refuse(
            "service_notice_months",
            _("Le préavis de retrait d'un service doit être compris entre %(min)s et %(max)s mois.")
            % {"min": rules.SERVICE_NOTICE_MIN_MONTHS, "max": rules.SERVICE_NOTICE_MAX_MONTHS},
        )


def _strip(data: dict, fields) -> dict:
    return {k: (v.strip() if isinstance(v, str) else v) for k, v in data.items() if k in fields}


# --- the convention and its signatories ----------------------------------------------------------


@transaction.atomic
def sign_convention(
    actor,
    house,
    *,
    signed_on: date,
    signed_at: str = "",
    signer_name: str = "",
    signer_title: str = "",
    service_notice_months: int | None = None,
) -> Convention:
    """The gestionnaire signs the house's convention (art. 10: the term runs from that day)."""
    if house.status == HouseStatus.CLOSED:
        raise DomainError(_("Cette maison est fermée : elle n'a plus de convention à signer."))
    check_past_day(house, signed_on, "signed_on")
    _check_notice_months(service_notice_months)
    if Convention.objects.filter(house=house).exists():
        raise DomainError(_("Cette maison a déjà sa convention-cadre."))
    try:
        with transaction.atomic():
            convention = Convention.objects.create(
                house=house,
                signed_on=signed_on,
                signed_at=signed_at.strip(),
                service_notice_months=service_notice_months,
            )
    except IntegrityError as exc:  # a concurrent request signed it first
        raise DomainError(_("Cette maison a déjà sa convention-cadre.")) from exc
    Signatory.objects.create(
        convention=convention,
        kind=SignatoryKind.GESTIONNAIRE,
        signed_on=signed_on,
        charter_signed_on=signed_on,
        signer_name=signer_name.strip(),
        signer_title=signer_title.strip(),
    )
    journal.record(
        actor,
        "convention.signed",
        convention,
        house_id=house.pk,
        summary=gettext_noop("Convention-cadre signée par le gestionnaire le %(on)s"),
        params={"on": signed_on},
    )
    return convention


def _save_versioned(
    actor, record, data: dict, expected_version, action: str, summary, house_id, params=None
):
    """Write `data` on `record` over the version the user read (a stale edit is refused, never
    overwritten) and journal the change."""
    changes = journal.diff(record, data)
    record.version = bump_version(type(record), record.pk, expected_version)
    for field, value in data.items():
        setattr(record, field, value)
    record.save(update_fields=[*data.keys(), "version"])
    journal.record(
        actor, action, record, house_id=house_id, summary=summary, params=params, changes=changes
    )
    return record


@transaction.atomic
def update_convention(actor, convention: Convention, data: dict, expected_version: int | None):
    data = _strip(data, CONVENTION_FIELDS)
    _check_notice_months(data.get("service_notice_months"))
    return _save_versioned(
        actor,
        convention,
        data,
        expected_version,
        "convention.updated",
        gettext_noop("Convention-cadre mise à jour"),
        convention.house_id,
    )


def _check_in_force(convention: Convention) -> None:
    if convention.status != ConventionStatus.IN_FORCE:
        raise DomainError(
            _("La convention a été dénoncée : elle ne reçoit plus de signature ni de retrait.")
        )


@transaction.atomic
def add_signatory(
    actor,
    convention: Convention,
    partnership,
    *,
    signed_on: date,
    charter_signed_on: date | None = None,
    signer_name: str = "",
    signer_title: str = "",
) -> Signatory:
    """A partner of the house signs the convention (and the charter, annex 4); a partner signs
    once."""
    _check_in_force(convention)
    house = convention.house
    if partnership.house_id != house.pk or partnership.status != PartnershipStatus.ACTIVE:
        _refuse("partnership", _("Ce partenaire n'est pas partenaire de cette maison."))
    partner = partnership.partner.short_name
    already = _("%(partner)s a déjà signé la convention de cette maison.") % {"partner": partner}
    if convention.signatories.filter(partnership=partnership).exists():
        _refuse("partnership", already)
    label = _("La signature")
    check_past_day(house, signed_on, "signed_on", not_before=convention.signed_on, label=label)
    if charter_signed_on is not None:
        check_past_day(
            house,
            charter_signed_on,
            "charter_signed_on",
            not_before=convention.signed_on,
            label=_("La signature de la charte"),
        )
    try:
        with transaction.atomic():
            signatory = Signatory.objects.create(
                convention=convention,
                kind=SignatoryKind.PARTNER,
                partnership=partnership,
                signed_on=signed_on,
                charter_signed_on=charter_signed_on,
                signer_name=signer_name.strip(),
                signer_title=signer_title.strip(),
            )
    except IntegrityError as exc:
        raise DomainError(already, {"partnership": [already]}) from exc
    journal.record(
        actor,
        "convention.signatory_added",
        signatory,
        house_id=house.pk,
        summary=gettext_noop("%(partner)s signe la convention le %(on)s"),
        params={"partner": partner, "on": signed_on},
    )
    return signatory


@transaction.atomic
def update_signatory(actor, signatory: Signatory, data: dict, expected_version: int | None):
    return _save_versioned(
        actor,
        signatory,
        _strip(data, SIGNER_FIELDS),
        expected_version,
        "convention.signatory_updated",
        gettext_noop("Signataire mis à jour : %(party)s"),
        signatory.convention.house_id,
        {"party": signatory.party_name},
    )


@transaction.atomic
def record_withdrawal(
    actor, signatory: Signatory, *, letter_on: date, expected_version: int | None
) -> Signatory:
    """A partner withdraws by registered letter (art. 7): it takes effect at the échéance the
    notice reaches (rules.effective_on); the gestionnaire informs the other partners."""
    convention = signatory.convention
    if signatory.kind == SignatoryKind.GESTIONNAIRE:
        raise DomainError(
            _("Le gestionnaire ne se retire pas : il dénonce la convention (article 7).")
        )
    if signatory.withdrawal_letter_on is not None:
        raise DomainError(
            _("Le retrait de %(party)s est déjà enregistré : il prend effet le %(day)s.")
            % {"party": signatory.party_name, "day": _short(signatory.withdrawal_effective_on)}
        )
    _check_in_force(convention)
    check_past_day(
        convention.house,
        letter_on,
        "letter_on",
        not_before=max(convention.signed_on, signatory.signed_on),
        label=_("La lettre de retrait"),
    )
    signatory.version = bump_version(Signatory, signatory.pk, expected_version)
    signatory.withdrawal_letter_on = letter_on
    signatory.withdrawal_effective_on = rules.effective_on(convention.signed_on, letter_on)
    signatory.save(update_fields=["withdrawal_letter_on", "withdrawal_effective_on", "version"])
    journal.record(
        actor,
        "convention.withdrawal",
        signatory,
        house_id=convention.house_id,
        summary=gettext_noop("%(party)s se retire (lettre du %(letter)s, effet le %(effective)s)"),
        params={
            "party": signatory.party_name,
            "letter": letter_on,
            "effective": signatory.withdrawal_effective_on,
        },
    )
    notify(convention, NoticeKind.WITHDRAWAL, str(signatory.pk))
    return signatory


@transaction.atomic
def denounce(
    actor, convention: Convention, *, letter_on: date, expected_version: int | None
) -> Convention:
    """The gestionnaire denounces the convention under the same notice (art. 7); the prefect
    is informed; at the effective date the house closes (msap demo, `msap conventions`)."""
    convention.check_status(ConventionStatus.DENOUNCED)
    check_past_day(
        convention.house,
        letter_on,
        "letter_on",
        not_before=convention.signed_on,
        label=_("La lettre de dénonciation"),
    )
    convention.version = bump_version(Convention, convention.pk, expected_version)
    convention.set_status(ConventionStatus.DENOUNCED)
    convention.denounced_letter_on = letter_on
    convention.denounced_effective_on = rules.effective_on(convention.signed_on, letter_on)
    convention.save(
        update_fields=["status", "denounced_letter_on", "denounced_effective_on", "version"]
    )
    journal.record(
        actor,
        "convention.denounced",
        convention,
        house_id=convention.house_id,
        summary=gettext_noop(
            "Convention dénoncée par le gestionnaire (lettre du %(letter)s, fin le %(effective)s)"
        ),
        params={"letter": letter_on, "effective": convention.denounced_effective_on},
    )
    notify(convention, NoticeKind.DENUNCIATION, "1")
    return convention


# --- adhesion of a new partner (art. 7, 9) ---------------------------------------------------


@transaction.atomic
def request_adhesion(actor, convention: Convention, partner, *, requested_on: date, note=""):
    _check_in_force(convention)
    house = convention.house
    check_past_day(house, requested_on, "requested_on")
    if house.partnerships.active().filter(partner=partner).exists():
        _refuse(
            "partner",
            _("%(partner)s est déjà partenaire de cette maison.") % {"partner": partner.short_name},
        )
    open_request = _("Une demande d'adhésion de %(partner)s est déjà en cours d'examen.") % {
        "partner": partner.short_name
    }
    if convention.adhesion_requests.filter(
        partner=partner, status__in=[AdhesionStatus.REQUESTED, AdhesionStatus.ACCEPTED]
    ).exists():
        _refuse("partner", open_request)
    try:
        with transaction.atomic():
            request = AdhesionRequest.objects.create(
                convention=convention, partner=partner, requested_on=requested_on, note=note
            )
    except IntegrityError as exc:
        raise DomainError(open_request, {"partner": [open_request]}) from exc
    journal.record(
        actor,
        "convention.adhesion_requested",
        request,
        house_id=house.pk,
        summary=gettext_noop("Demande d'adhésion de %(partner)s reçue le %(on)s"),
        params={"partner": partner.short_name, "on": requested_on},
    )
    return request


@transaction.atomic
def examine_adhesion(
    actor,
    request: AdhesionRequest,
    *,
    accept: bool,
    on: date,
    note: str = "",
    expected_version: int | None,
):
    """The gestionnaire examines the request and informs the current partners (art. 7)."""
    new = AdhesionStatus.ACCEPTED if accept else AdhesionStatus.REFUSED
    request.check_status(new)
    house = request.convention.house
    if isinstance(on, date) and on < request.requested_on:
        _refuse("examined_on", _("L'examen ne peut pas précéder la demande."))
    check_past_day(house, on, "examined_on")
    request.version = bump_version(AdhesionRequest, request.pk, expected_version)
    request.set_status(new)
    request.examined_on = on
    request.note = (note or request.note).strip()
    request.save(update_fields=["status", "examined_on", "note", "version"])
    journal.record(
        actor,
        "convention.adhesion_examined",
        request,
        house_id=house.pk,
        summary=gettext_noop("Demande d'adhésion de %(partner)s : %(status)s"),
        params={"partner": request.partner.short_name, "status": request.get_status_display()},
    )
    if accept:
        notify(request.convention, NoticeKind.ADHESION, str(request.pk))
    return request


@transaction.atomic
def sign_adhesion(
    actor,
    request: AdhesionRequest,
    *,
    signed_on: date,
    charter_signed_on: date,
    signer_name: str = "",
    signer_title: str = "",
    services=(),
    expected_version: int | None,
) -> Signatory:
    """The newcomer signs the convention and the charter (art. 9): the partnership exists."""
    request.check_status(AdhesionStatus.SIGNED)
    convention = request.convention
    _check_in_force(convention)
    house = convention.house
    if charter_signed_on is None:
        _refuse(
            "charter_signed_on",
            _("Un nouveau partenaire signe aussi la charte nationale de qualité (article 9)."),
        )
    request.version = bump_version(AdhesionRequest, request.pk, expected_version)
    partnership = partner_services.add_partnership(
        actor, house, request.partner, joined_on=signed_on, services=services
    )
    signatory = add_signatory(
        actor,
        convention,
        partnership,
        signed_on=signed_on,
        charter_signed_on=charter_signed_on,
        signer_name=signer_name,
        signer_title=signer_title,
    )
    request.set_status(AdhesionStatus.SIGNED)
    request.signatory = signatory
    request.save(update_fields=["status", "signatory"])
    return signatory


# --- withdrawal of a service (art. 9) ------------------------------------------------------------


@transaction.atomic
def withdraw_service(actor, convention: Convention, partnership, service, *, notified_on: date):
    """A service leaves the house under the convention's notice (art. 9: "sous préavis de X")."""
    _check_in_force(convention)
    if convention.service_notice_months is None:
        _refuse(
            "service_notice_months",
            _(
                "La convention ne fixe pas encore le préavis de retrait d'un service (article 9) : "
                "renseignez-le d'abord."
            ),
        )
    if (
        partnership.house_id != convention.house_id
        or not partnership.services.filter(pk=service.pk).exists()
    ):
        _refuse("service", _("Ce partenaire ne délivre pas ce service dans cette maison."))
    check_past_day(
        convention.house,
        notified_on,
        "notified_on",
        not_before=convention.signed_on,
        label=_("L'information des partenaires"),
    )
    effective = rules.service_withdrawal_on(notified_on, convention.service_notice_months)
    pending = _("Le retrait de ce service est déjà annoncé.")
    try:
        with transaction.atomic():
            withdrawal = ServiceWithdrawal.objects.create(
                convention=convention,
                partnership=partnership,
                service=service,
                notified_on=notified_on,
                effective_on=effective,
            )
    except IntegrityError as exc:
        raise DomainError(pending, {"service": [pending]}) from exc
    journal.record(
        actor,
        "convention.service_withdrawn",
        withdrawal,
        house_id=convention.house_id,
        summary=gettext_noop("Retrait du service %(service)s (%(partner)s) le %(effective)s"),
        params={
            "service": service.code,
            "partner": partnership.partner.short_name,
            "effective": effective,
        },
    )
    notify(convention, NoticeKind.SERVICE, str(withdrawal.pk))
    return withdrawal


# --- annex 3 -----------------------------------------------------------------------------------


def _check_terms(data: dict, year) -> None:
    today = timezone.localdate()
    if not isinstance(year, int) or not core_rules.EARLIEST_DAY.year <= year <= today.year + 1:
        _refuse(
            "year",
            _("Indiquez une année entre %(first)s et %(last)s.")
            % {"first": core_rules.EARLIEST_DAY.year, "last": today.year + 1},
        )
    share = data.get("activity_share")
    if share is not None:
        try:
            share = Decimal(str(share))
        except InvalidOperation:
            share = None
        if share is None or not share.is_finite() or not 0 <= share <= 100:
            _refuse("activity_share", _("Indiquez une part entre 0 et 100 pour cent."))
        data["activity_share"] = share.quantize(Decimal("0.01"))


@transaction.atomic
def save_terms(actor, signatory: Signatory, year: int, data: dict, expected_version: int | None):
    """The management terms of annex 3 of one signatory for one year (one row; a stale edit is
    refused, never overwritten)."""
    data = _strip(data, TERMS_FIELDS)
    _check_terms(data, year)
    action = "convention.terms_saved"
    summary = gettext_noop("Modalités de gestion %(year)s de %(party)s enregistrées")
    house_id = signatory.convention.house_id
    params = {"year": year, "party": signatory.party_name}
    terms = ManagementTerms.objects.filter(signatory=signatory, year=year).first()
    if terms is not None:
        return _save_versioned(
            actor, terms, data, expected_version, action, summary, house_id, params
        )
    if expected_version not in (None, 0):
        raise StaleVersion()
    try:
        with transaction.atomic():
            terms = ManagementTerms.objects.create(signatory=signatory, year=year, **data)
    except IntegrityError as exc:  # a concurrent save created it first
        raise StaleVersion() from exc
    journal.record(actor, action, terms, house_id=house_id, summary=summary, params=params)
    return terms


# --- what the dates bring about (daily, derived from state) --------------------------------------


def handle_one(convention: Convention, today: date) -> list[str]:
    """Apply what has come due on `today` for one convention, and queue the term's alert;
    idempotent (a second run finds nothing to do). Returns what was done, for the command."""
    done: list[str] = []
    with transaction.atomic():
        due = convention.signatories.filter(
            withdrawal_effective_on__lte=today, partnership__status=PartnershipStatus.ACTIVE
        ).select_related("partnership__partner")
        for signatory in due:
            partnership = signatory.partnership
            on = max(signatory.withdrawal_effective_on, partnership.joined_on)
            partner_services.withdraw_partnership(None, partnership, on=on)
            done.append(f"retrait {partnership.partner.short_name}")
        for withdrawal in convention.service_withdrawals.filter(
            applied_at__isnull=True, effective_on__lte=today
        ).select_related("partnership", "service"):
            withdrawal.partnership.services.remove(withdrawal.service)
            withdrawal.applied_at = timezone.now()
            withdrawal.save(update_fields=["applied_at"])
            done.append(f"service {withdrawal.service.code}")
        if (
            convention.status == ConventionStatus.DENOUNCED
            and convention.denounced_effective_on <= today
        ):
            convention.set_status(ConventionStatus.ENDED)
            convention.save(update_fields=["status"])
            house = convention.house
            if house.status != HouseStatus.CLOSED:
                close_house(None, house, convention.denounced_effective_on)
            done.append("fin de la convention")
        if convention.status == ConventionStatus.IN_FORCE:
            current = rules.term_on(convention.signed_on, today)
            if today >= current.alert_on and notify(
                convention, NoticeKind.TERM, current.end.isoformat()
            ):
                done.append(f"alerte échéance {current.end.isoformat()}")
    return done
