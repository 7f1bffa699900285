"""Recording and amending requests. The counter's hot path: few queries, one transaction."""

from contextlib import nullcontext
from datetime import datetime

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from msap.core import journal
from msap.core import rules as core_rules
from msap.core.errors import DomainError, IdempotencyConflict, bump_version
from msap.desk import reference, rules
from msap.desk.models import NEEDS, Procedure, ServiceRequest

FIELDS = [
    "occurred_at",
    "channel",
    "partner",
    "category",
    "item",
    "procedure",
    "duration_minutes",
    "outcome",
    "autonomy",
    "group_size",
    "age_band",
    "commune",
    "first_visit",
    "notes",
    *[name for name, _ in NEEDS],
]


def validate(house, data: dict, *, now: datetime | None = None) -> None:
    """Checks shared by the form, the API and the import; raises DomainError in French."""
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    occurred_at = data.get("occurred_at")
    if occurred_at is not None and (
        problem := core_rules.moment_error(
            occurred_at, now=now, future=_("La date de la demande ne peut pas être dans le futur.")
        )
    ):
        errors["occurred_at"] = [problem]
    duration = data.get("duration_minutes")
    if (
        duration is not None
        and not rules.MIN_DURATION_MINUTES <= duration <= rules.MAX_DURATION_MINUTES
    ):
        errors["duration_minutes"] = [str(rules.DURATION_MESSAGE)]
    group = data.get("group_size")
    if group is not None and not 1 <= group <= rules.MAX_GROUP_SIZE:
        errors["group_size"] = [
            (
                _("Le nombre de personnes doit être compris entre 1 et %(max_group_size)s.")
                % {"max_group_size": rules.MAX_GROUP_SIZE}
            )
        ]
    item, category = data.get("item"), data.get("category")
    if item is not None and category is not None and item.category_id != category.pk:
        errors["item"] = [
            (
                _("La prestation %(code)s n'appartient pas à la catégorie %(category)s.")
                % {"code": item.code, "category": category.code}
            )
        ]
    procedure, partner = data.get("procedure"), data.get("partner")
    if (
        procedure is not None
        and procedure.partner_id
        and partner is not None
        and procedure.partner_id != partner.pk
    ):
        errors["procedure"] = [_("Cette démarche relève d'un autre partenaire.")]
    if len(data.get("notes") or "") > rules.NOTES_MAX_LENGTH:
        errors["notes"] = [
            (
                _("Les notes sont limitées à %(notes_max_length)s caractères.")
                % {"notes_max_length": rules.NOTES_MAX_LENGTH}
            )
        ]
    if errors:
        first = next(iter(errors.values()))[0]
        raise DomainError(first, errors)


def record_request(
    actor, house, data: dict, *, idempotency_key: str = "", other_partners=()
) -> tuple[ServiceRequest, bool]:
    """Record one request. Returns (request, created); a repeated idempotency key returns the
    first record instead of a second one (double click, retry, back button)."""
    idempotency_key = (idempotency_key or "")[:64]
    data = {k: v for k, v in data.items() if k in FIELDS}
    given = dict(data)  # what a retry must repeat ("now" is not: a retry comes later)
    data.setdefault("occurred_at", timezone.now())
    validate(house, data)
    # The counter's hot path (bench/desk): one INSERT in autocommit, no look-up before it. The
    # unique (agent, key) constraint catches a repeat, which then returns the first record. A
    # transaction (or a savepoint inside one) only when there is more than one write.
    single_write = not other_partners
    guard = (
        nullcontext() if single_write and not connection.in_atomic_block else transaction.atomic()
    )
    try:
        with guard:
            obj = ServiceRequest.objects.create(
                house=house, agent=actor, idempotency_key=idempotency_key, **data
            )
            if other_partners:
                obj.other_partners.set(other_partners)
    except IntegrityError:
        if idempotency_key:
            existing = ServiceRequest.objects.filter(
                agent=actor, idempotency_key=idempotency_key
            ).first()
            if existing is not None:  # a double submission: the first one stands
                _check_same_request(existing, house, given, other_partners)
                return existing, False
        raise
    return obj, True


def _check_same_request(existing: ServiceRequest, house, given: dict, other_partners) -> None:
    """A repeated idempotency key with other values is a mistake, not a retry: refused, as
    payment APIs do, instead of silently answering with the first record."""
    differs = existing.house_id != house.pk or any(
        getattr(existing, field) != value for field, value in given.items()
    )
    if not differs:
        wanted = {p.pk for p in other_partners}
        differs = wanted != set(existing.other_partners.values_list("pk", flat=True))
    if differs:
        raise IdempotencyConflict(
            _(
                "Cette saisie a déjà été enregistrée avec d'autres valeurs (demande n° %(pk)s) : "
                "rien n'a été modifié. Rechargez le formulaire pour enregistrer une autre demande."
            )
            % {"pk": existing.pk},
            existing,
        )


@transaction.atomic
def update_request(
    actor, obj: ServiceRequest, data: dict, expected_version: int | None
) -> ServiceRequest:
    _check_window(actor, obj)
    data = {k: v for k, v in data.items() if k in FIELDS}
    validate(obj.house, data)
    changes = journal.diff(obj, data)
    obj.version = bump_version(ServiceRequest, obj.pk, expected_version)
    for field, value in data.items():
        setattr(obj, field, value)
    obj.save(update_fields=[*data.keys(), "version", "updated_at"])
    journal.record(
        actor, "request.updated", obj, summary=gettext_noop("Demande modifiée"), changes=changes
    )
    return obj


@transaction.atomic
def delete_request(actor, obj: ServiceRequest) -> None:
    _check_window(actor, obj)
    journal.record(
        actor,
        "request.deleted",
        obj,
        summary=gettext_noop("Demande supprimée"),
        changes={
            f: journal._plain(getattr(obj, f))
            for f in ("occurred_at", "channel", "partner", "category", "outcome")
        },
    )
    obj.delete()


def _check_window(actor, obj: ServiceRequest) -> None:
    if obj.agent_id != actor.pk:
        raise DomainError(
            _("Seul l'agent qui a enregistré la demande peut la modifier ou la supprimer.")
        )
    if not rules.can_still_edit(obj, actor, timezone.now()):
        hours = rules.edit_window().total_seconds() / 3600
        raise DomainError(
            _(
                "Le délai de modification est dépassé : une demande se corrige dans les %(hours)s heures qui suivent son enregistrement."
            )
            % {"hours": format(hours, ".0f")}
        )


# The controlled list of procedures, extended by the national cell.
@transaction.atomic
def add_procedure(actor, partner, label: str, category=None) -> Procedure:
    if Procedure.objects.filter(partner=partner, label__iexact=label).exists():
        message = _("Cette démarche existe déjà pour %(short_name)s.") % {
            "short_name": partner.short_name
        }
        raise DomainError(message, {"label": [message]})
    procedure = Procedure.objects.create(partner=partner, label=label, category=category)
    reference.clear()
    journal.record(
        actor,
        "procedure.added",
        procedure,
        summary=gettext_noop("Démarche ajoutée : %(partner)s — %(label)s"),
        params={"partner": partner.short_name, "label": label},
    )
    return procedure


@transaction.atomic
def set_procedure_active(actor, procedure: Procedure, active: bool) -> None:
    if procedure.active == active:
        return
    procedure.active = active
    procedure.save(update_fields=["active"])
    reference.clear()
    journal.record(
        actor,
        "procedure.activated" if active else "procedure.deactivated",
        procedure,
        summary=gettext_noop("Démarche réactivée : %(label)s")
        if active
        else gettext_noop("Démarche désactivée : %(label)s"),
        params={"label": procedure.label},
        changes={"active": [not active, active]},
    )
