"""The reads of the registers that screens, the API and the reminders share."""

from datetime import datetime, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from msap import permissions
from msap.core.models import JournalEntry
from msap.lib.dates import day_bounds, month_bounds, today_in
from msap.registers import rules
from msap.registers.models import OPEN_STATES, Kind, RegisterItem

ITEM_RELATED = ("partner", "assigned_to", "answered_by", "created_by", "due_override_by")


def get_item_for_user(user, pk, *, need: str = "staff"):
    """The item and the user's access: 404 when its house is unseen, 403 when seen only from
    outside (prefecture, national cell, partner referent)."""
    item, access = permissions.fetch_record(
        user, RegisterItem, pk, _("Élément de registre introuvable."), ITEM_RELATED
    )
    permissions.check_register_item(access, need)
    return item, access


# --- the registers' screens ---------------------------------------------------------------------

# Registers whose items owe an answer by a deadline: they carry the "answered on time" figure.
DEADLINE_KINDS = [Kind.INCOMING_MAIL, Kind.EMAIL, Kind.PHONE, Kind.COMPLAINT]
LIST_RELATED = ("assigned_to", "partner")
HOME_LIST_LIMIT = 30


def on_time_figures(house, now: datetime | None = None) -> dict[str, dict]:
    """Per register, for the current month (house time zone): items answered on time / items
    answered that had a deadline (RegisterItem.on_time). One query."""
    now = now or timezone.now()
    start, end = month_bounds(today_in(house.tz, now), house.tz)
    rows = (
        RegisterItem.objects.filter(
            house=house, answered_at__gte=start, answered_at__lt=end, on_time__isnull=False
        )
        .values("kind")
        .annotate(total=Count("id"), on_time=Count("id", filter=Q(on_time=True)))
    )
    figures = {kind: {"on_time": 0, "total": 0} for kind in DEADLINE_KINDS}
    for row in rows:
        figures[row["kind"]] = {"on_time": row["on_time"], "total": row["total"]}
    return figures


def register_counts(house) -> dict:
    """Per register: how many items, how many still open (one query)."""
    rows = (
        RegisterItem.objects.filter(house=house)
        .values("kind")
        .annotate(total=Count("id"), open=Count("id", filter=Q(status__in=OPEN_STATES)))
    )
    return {row["kind"]: row for row in rows}


def home_lists(house, user, now: datetime) -> dict[str, list]:
    """What the registers' home shows: the open items overdue, due soon and the user's own,
    each at most HOME_LIST_LIMIT (three queries)."""
    open_items = RegisterItem.objects.filter(house=house, status__in=OPEN_STATES).select_related(
        *LIST_RELATED
    )
    soon = now + timedelta(days=rules.DUE_SOON_DAYS)
    return {
        "overdue": list(
            open_items.filter(due_at__lt=now).order_by("due_at", "pk")[:HOME_LIST_LIMIT]
        ),
        "due_soon": list(
            open_items.filter(due_at__gte=now, due_at__lte=soon).order_by("due_at", "pk")[
                :HOME_LIST_LIMIT
            ]
        ),
        "mine": list(
            open_items.filter(assigned_to=user).order_by("due_at", "pk")[:HOME_LIST_LIMIT]
        ),
    }


OVERDUE = "overdue"


def register_items(house, kind: str, now: datetime, filters: dict | None = None) -> QuerySet:
    """A register's items, newest first, filtered by status ("overdue" included), by local day
    of receipt (`start`, `end` inclusive, in the house's time zone) and by subject."""
    items = RegisterItem.objects.filter(house=house, kind=kind).select_related(*LIST_RELATED)
    data = filters or {}
    if data.get("status") == OVERDUE:
        items = items.filter(status__in=OPEN_STATES, due_at__lt=now)
    elif data.get("status"):
        items = items.filter(status=data["status"])
    if data.get("start"):
        items = items.filter(received_at__gte=day_bounds(data["start"], house.tz)[0])
    if data.get("end"):
        items = items.filter(received_at__lt=day_bounds(data["end"], house.tz)[1])
    if data.get("q"):
        items = items.filter(subject__icontains=data["q"].strip())
    return items.order_by("-received_at", "-id")


def item_for_detail(pk: int) -> RegisterItem:
    """The item with everything its page shows, read again from the database (after a refused
    action the instance in memory may differ from the row)."""
    return RegisterItem.objects.select_related(*permissions.HOUSE_RELATED, *ITEM_RELATED).get(pk=pk)


def item_relations(item: RegisterItem) -> dict:
    """The item's links both ways, attachments and the last 100 entries of its history."""
    return {
        "links_out": item.links_out.select_related("target").order_by("created_at"),
        "links_in": item.links_in.select_related("source").order_by("created_at"),
        "attachments": item.attachments.select_related("uploaded_by").order_by("uploaded_at"),
        "history": JournalEntry.objects.filter(
            target_type=RegisterItem._meta.label_lower, target_id=str(item.pk)
        )
        .select_related("actor")
        .order_by("-at", "-id")[:100],
    }
