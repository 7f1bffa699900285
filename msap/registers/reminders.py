"""The "never miss an answer" job: one digest per agent and per manager, never twice for the
same item and day, whatever the number of runs or of concurrent workers.

The work is derived from state (open items whose deadline is past or near), so a missed run
loses nothing: the next one catches up. Claims follow healthchecks' `sendalerts`: rows are
claimed with a conditional UPDATE and only what a run claimed is sent by it.
"""

import logging
import secrets
from collections import defaultdict
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

from msap.people.models import Membership, Role
from msap.registers import rules
from msap.registers.models import OPEN_STATES, RegisterItem, ReminderSent

log = logging.getLogger(__name__)
BATCH = 5000


def pending_pairs(now: datetime) -> list[tuple[int, int]]:
    """(recipient id, item id) for every open item overdue or due soon: its assignee, and the
    responsables of its house (the managers)."""
    horizon = now + timedelta(days=rules.DUE_SOON_DAYS)
    items = list(
        RegisterItem.objects.filter(status__in=OPEN_STATES, due_at__lte=horizon).values_list(
            "pk", "house_id", "assigned_to_id"
        )
    )
    if not items:
        return []
    houses = {house for _, house, _ in items}
    managers = defaultdict(set)
    for user_id, house_id in (
        Membership.objects.current()
        .filter(role=Role.RESPONSABLE, house_id__in=houses, user__is_active=True)
        .values_list("user_id", "house_id")
    ):
        managers[house_id].add(user_id)
    pairs = set()
    for pk, house_id, assignee in items:
        if assignee:
            pairs.add((assignee, pk))
        for manager in managers[house_id]:
            pairs.add((manager, pk))
    return sorted(pairs)


def handle_one(now: datetime | None = None, *, dry_run: bool = False) -> int:
    """One pass. Returns the number of digests sent."""
    now = now or timezone.now()
    day = timezone.localdate(now)
    pairs = pending_pairs(now)
    if dry_run:
        return len({r for r, _ in pairs})
    # 1. Make sure a row exists per (recipient, item, day); the unique constraint drops repeats.
    for i in range(0, len(pairs), BATCH):
        ReminderSent.objects.bulk_create(
            [ReminderSent(recipient_id=r, item_id=it, day=day) for r, it in pairs[i : i + BATCH]],
            ignore_conflicts=True,
        )
    # 2. Claim what nobody claimed yet, in one conditional UPDATE: concurrent runs split the rows.
    run = secrets.token_hex(8)
    if not ReminderSent.objects.filter(day=day, claim="").update(claim=run):
        return 0
    claimed = defaultdict(list)
    for recipient_id, item_id in ReminderSent.objects.filter(claim=run).values_list(
        "recipient_id", "item_id"
    ):
        claimed[recipient_id].append(item_id)
    sent = 0
    for recipient_id, item_ids in claimed.items():
        try:
            send_digest(recipient_id, item_ids, now)
        except Exception:
            # Give the rows back: the next run retries this recipient.
            log.exception("remind: digest to user %s failed", recipient_id)
            ReminderSent.objects.filter(claim=run, recipient_id=recipient_id).update(claim="")
            continue
        ReminderSent.objects.filter(claim=run, recipient_id=recipient_id).update(sent_at=now)
        sent += 1
    return sent


def send_digest(recipient_id: int, item_ids: list[int], now: datetime) -> None:
    from msap.people.models import User

    user = User.objects.get(pk=recipient_id)
    items = list(
        RegisterItem.objects.filter(pk__in=item_ids).select_related("house").order_by("due_at")
    )
    overdue = [i for i in items if i.due_at and i.due_at < now]
    soon = [i for i in items if i not in overdue]
    subject = f"msap — {len(overdue)} élément(s) en retard, {len(soon)} à échéance proche"
    lines = [f"Bonjour {user.get_short_name()},", ""]
    for title, group in (("En retard", overdue), ("À traiter dans les 3 jours", soon)):
        if not group:
            continue
        lines.append(f"{title} :")
        for i in group:
            due = timezone.localtime(i.due_at).strftime("%d/%m/%Y")
            lines.append(
                f"- {i.house.name} — {i.get_kind_display()} n°{i.number} « {i.subject} », échéance le {due}"
            )
            lines.append(f"  {settings.SITE_URL}/registres/elements/{i.pk}/")
        lines.append("")
    lines.append("Les engagements 11 à 14 de la charte de qualité fixent ces délais de réponse.")
    send_mail(subject, "\n".join(lines), None, [user.email])
