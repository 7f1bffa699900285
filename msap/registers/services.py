"""Domain operations on register items: record, assign, answer, exempt, override a deadline.

Statuses move along the guarded graph of registers.rules.TRANSITIONS (RegisterItem.set_status);
every move is journaled. The deadline of an item is computed once, from its rule, when it is
recorded; a later change of rule never rewrites it silently (`recompute_due` is explicit and
journaled).
"""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from msap.core import journal
from msap.core import rules as core_rules
from msap.core.errors import DomainError, bump_version
from msap.lib.uploads import CONTENT_TYPES, UploadError, check_upload
from msap.network.models import House
from msap.people.models import Membership
from msap.registers import rules
from msap.registers.models import (
    OPEN_STATES,
    Attachment,
    ExemptReason,
    ItemLink,
    Kind,
    RegisterItem,
    Status,
)


def _check_moment(moment: datetime, field: str, future: str) -> None:
    # Before any comparison or conversion: year 1 or 9999 would overflow (core.rules).
    if problem := core_rules.moment_error(moment, future=future):
        raise DomainError(problem, {field: [problem]})


def _check_not_future(received_at: datetime) -> None:
    _check_moment(
        received_at, "received_at", _("La date de réception ne peut pas être dans le futur.")
    )


@transaction.atomic
def record_item(
    actor,
    house: House,
    *,
    kind: str,
    received_at: datetime,
    channel: str,
    subject: str,
    agent=None,
    reply_to: RegisterItem | None = None,
    **data,
) -> RegisterItem:
    """Register an incoming item (or an outgoing letter); its number follows the register's order.

    One step for the agent: the item, the agent it is entrusted to (`agent`) and the item it
    answers (`reply_to`, linked "answered by") exist together or not at all."""
    if kind not in Kind.values:
        raise DomainError(_("Registre inconnu."), {"kind": [_("Registre inconnu.")]})
    if not (subject or "").strip():
        raise DomainError(_("Indiquez l'objet."), {"subject": [_("Indiquez l'objet.")]})
    _check_not_future(received_at)
    if kind == Kind.PHONE and not data.get("phone_outcome"):
        raise DomainError(
            _("Indiquez l'issue de l'appel."),
            {"phone_outcome": [_("Indiquez l'issue de l'appel.")]},
        )
    # Lock the house row: numbers of one register are allocated one at a time, in order.
    House.objects.select_for_update().filter(pk=house.pk).values_list("pk", flat=True).get()
    number = (
        RegisterItem.objects.filter(house=house, kind=kind).aggregate(m=Max("number"))["m"] or 0
    ) + 1
    rule = (
        None
        if kind in rules.NO_DEADLINE_KINDS
        else rules.rule_for(
            kind,
            phone_outcome=data.get("phone_outcome", ""),
            sender_address=data.get("sender_address", ""),
        )
    )
    item = RegisterItem(
        house=house,
        kind=kind,
        number=number,
        received_at=received_at,
        channel=channel,
        subject=subject.strip(),
        created_by=actor,
        **data,
    )
    if rule:
        item.due_rule = rule.code
        item.due_at = rules.due_date(rule, received_at, house.commune.departement_id)
    if kind in rules.NO_DEADLINE_KINDS or (
        kind == Kind.PHONE and data.get("phone_outcome") not in rules.CALLBACK_OUTCOMES
    ):
        # Nothing more is owed: an outgoing letter, a call taken, a call missed without message.
        item.status = Status.CLOSED if kind != Kind.SUGGESTION else Status.NEW
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError as exc:
        raise DomainError(_("Cet élément n'a pas pu être numéroté ; réessayez.")) from exc
    journal.record(
        actor,
        "register.recorded",
        item,
        summary=gettext_noop("%(kind)s n°%(number)s enregistré"),
        params={"kind": Kind(item.kind).label, "number": number},
    )
    if agent is not None:
        assign(actor, item, agent, item.version)
    if reply_to is not None:
        link_items(actor, reply_to, item, "answered_by")
    return item


def _lock(item: RegisterItem, expected_version: int | None) -> None:
    item.version = bump_version(RegisterItem, item.pk, expected_version)


@transaction.atomic
def assign(actor, item: RegisterItem, agent, expected_version: int | None) -> RegisterItem:
    if (
        agent is not None
        and not Membership.objects.current().filter(user=agent, house_id=item.house_id).exists()
    ):
        raise DomainError(
            _("Cette personne ne fait pas partie de l'équipe de la maison."),
            {"assigned_to": [_("Choisissez un agent de la maison.")]},
        )
    _lock(item, expected_version)
    before = item.assigned_to_id
    item.assigned_to = agent
    fields = ["assigned_to", "version"]
    if item.status == Status.NEW and agent is not None and item.kind not in rules.NO_DEADLINE_KINDS:
        item.set_status(Status.IN_PROGRESS)
        fields.append("status")
    item.save(update_fields=fields)
    journal.record(
        actor,
        "register.assigned",
        item,
        summary=gettext_noop("Confié à %(agent)s") if agent else gettext_noop("Plus attribué"),
        params={"agent": str(agent)} if agent else None,
        changes={"assigned_to": [before, agent.pk if agent else None]},
    )
    return item


@transaction.atomic
def set_status(
    actor,
    item: RegisterItem,
    to: str,
    expected_version: int | None,
    *,
    answered_at: datetime | None = None,
    answer_text: str = "",
    exempt_reason: str = "",
    exempt_note: str = "",
) -> RegisterItem:
    """Move an item along the status graph; answering stamps the answer time and whether it was on time."""
    if exempt_reason and to != Status.EXEMPT:
        # A reason says why no answer is owed: it belongs to the exemption only (commitments 11, 12).
        message = _("Le motif de dispense ne s'indique qu'avec le statut « exempt ».")
        raise DomainError(message, {"exempt_reason": [message]})
    _lock(item, expected_version)
    before = item.set_status(to)
    fields = ["status", "version"]
    if to == Status.EXEMPT:
        if exempt_reason not in ExemptReason.values:
            raise DomainError(
                _("Indiquez le motif de la dispense de réponse (charte, engagements 11 et 12)."),
                {"exempt_reason": [_("Choisissez un motif de dispense.")]},
            )
        item.exempt_reason, item.exempt_note = exempt_reason, exempt_note.strip()
        fields += ["exempt_reason", "exempt_note"]
    if to in {Status.ANSWERED, Status.REDIRECTED, Status.EXEMPT} and item.answered_at is None:
        at = answered_at or timezone.now()
        _check_moment(at, "answered_at", _("La date de réponse ne peut pas être dans le futur."))
        if at < item.received_at:
            raise DomainError(
                _("La réponse ne peut pas précéder la réception."),
                {"answered_at": [_("La réponse ne peut pas précéder la réception.")]},
            )
        item.answered_at, item.answered_by = at, actor
        item.on_time = None if item.due_at is None else at <= item.due_at
        fields += ["answered_at", "answered_by", "on_time"]
    if answer_text:
        item.answer_text = answer_text.strip()
        fields.append("answer_text")
    if to == Status.NEW and before == Status.IN_PROGRESS:
        item.assigned_to = None
        fields.append("assigned_to")
    item.save(update_fields=fields)
    journal.record(
        actor,
        "register.status",
        item,
        summary=gettext_noop("%(before)s → %(after)s"),
        params={"before": Status(before).label, "after": Status(to).label},
        changes={"status": [before, to]},
    )
    return item


@transaction.atomic
def override_due(
    actor, item: RegisterItem, due_at: datetime, reason: str, expected_version: int | None
) -> RegisterItem:
    """Change one item's deadline by hand: the reason and the author are kept.

    Only while the item is open: once answered (or closed) the deadline was met or missed, and
    `on_time` was stamped against it."""
    if item.status not in OPEN_STATES:
        message = _(
            "L'échéance d'un élément déjà traité ne se modifie plus : elle a servi à dire si la "
            "réponse était dans les délais."
        )
        raise DomainError(message, {"due_at": [message]})
    if not (reason or "").strip():
        raise DomainError(
            _("Indiquez le motif du changement d'échéance."),
            {"due_override_reason": [_("Motif obligatoire.")]},
        )
    if problem := core_rules.day_error(due_at.date()):
        raise DomainError(problem, {"due_at": [problem]})
    if due_at < item.received_at:
        raise DomainError(
            _("L'échéance ne peut pas précéder la réception."),
            {"due_at": [_("L'échéance ne peut pas précéder la réception.")]},
        )
    _lock(item, expected_version)
    before = item.due_at
    item.due_at, item.due_override_reason, item.due_override_by, item.due_override_at = (
        due_at,
        reason.strip(),
        actor,
        timezone.now(),
    )
    item.save(
        update_fields=[
            "due_at",
            "due_override_reason",
            "due_override_by",
            "due_override_at",
            "version",
        ]
    )
    journal.record(
        actor,
        "register.due_override",
        item,
        summary=gettext_noop("Échéance modifiée : %(reason)s"),
        params={"reason": reason.strip()},
        changes={"due_at": [journal._plain(before), journal._plain(due_at)]},
    )
    return item


@transaction.atomic
def recompute_due(actor, house: House, *, dry_run: bool = False) -> int:
    """Explicitly recompute the deadlines of a house's open items from the current rules
    (after a change of rule). Manual overrides are kept. Journaled item by item."""
    changed = 0
    for item in (
        RegisterItem.objects.select_for_update()
        .filter(house=house, status__in=OPEN_STATES, due_override_at__isnull=True)
        .exclude(due_rule="")
    ):
        rule = rules.RULES.get(item.due_rule)
        if rule is None:
            continue
        new = rules.due_date(rule, item.received_at, house.commune.departement_id)
        if new != item.due_at:
            changed += 1
            if not dry_run:
                before = item.due_at
                item.due_at = new
                item.save(update_fields=["due_at"])
                journal.record(
                    actor,
                    "register.due_recomputed",
                    item,
                    summary=gettext_noop("Échéance recalculée"),
                    changes={"due_at": [journal._plain(before), journal._plain(new)]},
                )
    return changed


@transaction.atomic
def link_items(
    actor, source: RegisterItem, target: RegisterItem, relation: str = "related"
) -> ItemLink:
    if source.house_id != target.house_id:
        raise DomainError(_("On ne peut lier que des éléments de la même maison."))
    if source.pk == target.pk:
        raise DomainError(_("Un élément ne peut pas être lié à lui-même."))
    link, _created = ItemLink.objects.get_or_create(source=source, target=target, relation=relation)
    journal.record(
        actor,
        "register.linked",
        source,
        summary=gettext_noop("Lié à %(kind)s n°%(number)s — %(subject)s"),
        params={
            "kind": Kind(target.kind).label,
            "number": target.number,
            "subject": target.subject,
        },
    )
    return link


@transaction.atomic
def add_attachment(actor, item: RegisterItem, upload) -> Attachment:
    try:
        kind = check_upload(upload)
    except UploadError as exc:
        raise DomainError(str(exc), {"file": [str(exc)]}) from exc
    att = Attachment(
        item=item,
        original_name=upload.name[:200],
        content_type=CONTENT_TYPES[kind],
        size=upload.size,
        uploaded_by=actor,
    )
    att.file.save(upload.name, upload, save=False)
    att.save()
    journal.record(actor, "register.attachment", item, summary=gettext_noop("Pièce jointe ajoutée"))
    return att


def is_overdue(item: RegisterItem, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return item.status in OPEN_STATES and item.due_at is not None and item.due_at < now
