"""The "never miss an answer" job: one digest per agent and per manager, never twice for the
same item and day, whatever the number of runs or of concurrent workers.

The work is derived from state (open items whose deadline is past or near), so a missed run
loses nothing: the next one catches up. Claims follow healthchecks' `sendalerts`: rows are
claimed with a conditional UPDATE and only what a claim holds is sent by its holder.

The command records and queues; the workers (`msap worker`, as many as needed, on any machine)
send, one task per digest: building the MIME messages is most of a network-wide run, and the
queue shares it between workers. A task that dies between its claim and its send leaves its
rows claimed: those items are not reminded again that day (never twice wins over at least
once), and are the next day.

Every query on ReminderSent filters on `day` first, so that an index on (day, claim) serves
them as the table grows by a day's rows at each date (about 21,000 a day for the network).
"""

import logging
import secrets
from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import NamedTuple

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from msap.core.queue import backoff, enqueue
from msap.lib.dates import local
from msap.people.models import Membership, Role, User
from msap.registers import rules
from msap.registers.models import OPEN_STATES, Kind, RegisterItem, ReminderSent

log = logging.getLogger(__name__)
BATCH = 5000


def pending_pairs(now: datetime) -> list[tuple[int, int]]:
    """(recipient id, item id) for every open item overdue or due soon: its assignee while they
    still work in the house, and the responsables of its house (the managers)."""
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
    staff = set()
    for user_id, house_id, role in (
        Membership.objects.current()
        .filter(role__in=[Role.RESPONSABLE, Role.AGENT], house_id__in=houses, user__is_active=True)
        .values_list("user_id", "house_id", "role")
    ):
        staff.add((user_id, house_id))
        if role == Role.RESPONSABLE:
            managers[house_id].add(user_id)
    pairs = set()
    for pk, house_id, assignee in items:
        # An agent who left the house (or whose account is closed) gets no more mail about it.
        if assignee and (assignee, house_id) in staff:
            pairs.add((assignee, pk))
        for manager in managers[house_id]:
            pairs.add((manager, pk))
    return sorted(pairs)


class DigestLine(NamedTuple):
    """What a digest shows of one item (read as plain values: a network-wide run lists tens of
    thousands of items, and model instances would cost more than the mails)."""

    pk: int
    kind: str
    number: int
    subject: str
    due_at: datetime | None
    status: str
    house_name: str
    departement: str


class Recipient(NamedTuple):
    email: str
    first_name: str
    is_active: bool

    def get_short_name(self) -> str:
        return self.first_name or self.email


def digest_lines(item_ids) -> dict[int, DigestLine]:
    rows = RegisterItem.objects.filter(pk__in=list(item_ids)).values_list(
        "pk", "kind", "number", "subject", "due_at", "status", "house__name",
        "house__commune__departement_id",
    )  # fmt: skip
    return {row[0]: DigestLine(*row) for row in rows}


def recipients(user_ids) -> dict[int, Recipient]:
    rows = User.objects.filter(pk__in=list(user_ids)).values_list(
        "pk", "email", "first_name", "is_active"
    )
    return {pk: Recipient(*rest) for pk, *rest in rows}


def handle_one(now: datetime | None = None, *, dry_run: bool = False) -> int:
    """One pass: record what is to remind today and queue one digest task per recipient who has
    something not yet queued. Returns the number of digests queued; the workers send them."""
    now = now or timezone.now()
    day = timezone.localdate(now)
    pairs = pending_pairs(now)
    if dry_run:
        return len({r for r, _ in pairs})
    forget_old_reminders(day)
    # 1. Make sure a row exists per (recipient, item, day); the unique constraint drops repeats.
    for i in range(0, len(pairs), BATCH):
        ReminderSent.objects.bulk_create(
            [ReminderSent(recipient_id=r, item_id=it, day=day) for r, it in pairs[i : i + BATCH]],
            ignore_conflicts=True,
        )
    # 2. Mark what nobody queued yet, and queue its digests, in one transaction: the task rows
    # commit with the marks (a concurrent run sees them marked and queues nothing for them).
    with transaction.atomic():
        run = secrets.token_hex(8)
        if not ReminderSent.objects.filter(day=day, claim="").update(claim=QUEUED + run):
            return 0
        queued = sorted(
            set(
                ReminderSent.objects.filter(day=day, claim=QUEUED + run).values_list(
                    "recipient_id", flat=True
                )
            )
        )
        for recipient_id in queued:
            enqueue(send_reminder_digest, recipient_id, day.isoformat(), now.isoformat(), run, 1)
    return len(queued)


# --- sending (a task per digest, run by `msap worker`) -------------------------------------------

# The claim of rows whose digest is queued: "q" and the run's token; a sending task replaces it
# with its own token, so a task run twice (a worker that died after sending) sends nothing twice.
QUEUED = "q"
# A failed send is retried by its task with backoff (1 min, 5 min, 25 min, then hourly); after the last try
# its rows go back unclaimed, and the next `msap remind` queues them again.
SEND_ATTEMPTS = 5


@task(queue_name="mail")
def send_reminder_digest(recipient_id: int, day: str, now: str, run: str, attempt: int) -> bool:
    """Send one recipient's digest of the rows queued by `run`. True when a mail went out."""
    day_ = date.fromisoformat(day)
    now_ = datetime.fromisoformat(now)
    token = secrets.token_hex(8)
    rows = ReminderSent.objects.filter(day=day_, recipient_id=recipient_id)  # day first: see above
    if not rows.filter(claim=QUEUED + run).update(claim=token):
        return False  # already sent (a repeated task) or handed back
    mine = rows.filter(claim=token)
    try:
        delivered = send_digest(recipient_id, list(mine.values_list("item_id", flat=True)), now_)
    except Exception:
        log.exception("remind: digest to user %s failed (attempt %d)", recipient_id, attempt)
        if attempt >= SEND_ATTEMPTS:
            mine.update(claim="")  # the next run starts again
            return False
        with transaction.atomic():
            mine.update(claim=QUEUED + run)
            enqueue(
                send_reminder_digest,
                recipient_id,
                day,
                now,
                run,
                attempt + 1,
                run_after=timezone.now() + backoff(attempt, first=60, factor=5, cap=3600),
            )
        return False
    # Sent, or nothing left to say (items answered meanwhile): done for the day.
    mine.update(sent_at=now_)
    return delivered


def forget_old_reminders(today) -> int:
    """Delete the record of reminders older than REMINDER_HISTORY_DAYS (the day index serves it);
    the first run of each day finds a day's worth, the others nothing."""
    oldest = today - timedelta(days=max(1, settings.REMINDER_HISTORY_DAYS))
    deleted, _ = ReminderSent.objects.filter(day__lt=oldest).delete()
    return deleted


def kind_labels() -> dict[str, str]:
    """The register names in the active language, translated once per run."""
    return {value: str(label) for value, label in Kind.choices}


def send_digest(
    recipient_id: int,
    item_ids: list[int],
    now: datetime,
    *,
    user: Recipient | None = None,
    items: list[DigestLine] | None = None,
    mailer=None,
    kinds: dict[str, str] | None = None,
) -> bool:
    """Mail one digest; False when nothing is left to remind (items answered in the meantime,
    e.g. before the retry of a failed send). `user`, `items` and `kinds` may come preloaded."""
    user = user or recipients([recipient_id]).get(recipient_id)
    if items is None:
        items = list(digest_lines(item_ids).values())
    items = sorted(
        (i for i in items if i.status in OPEN_STATES and i.due_at is not None),
        key=lambda i: (i.due_at, i.pk),
    )
    if not items or user is None or not user.is_active:
        return False
    kinds = kinds or kind_labels()
    overdue = [i for i in items if i.due_at < now]
    soon = [i for i in items if i.due_at >= now]
    subject = f"msap — {len(overdue)} élément(s) en retard, {len(soon)} à échéance proche"
    lines = [f"Bonjour {user.get_short_name()},", ""]
    for title, group in (
        ("En retard", overdue),
        (f"À traiter dans les {rules.DUE_SOON_DAYS} jours", soon),
    ):
        if not group:
            continue
        lines.append(f"{title} :")
        for i in group:
            # The date as the house counts it (overseas houses have their own time zone).
            due = local(i.due_at, i.departement).strftime("%d/%m/%Y")
            lines.append(
                f"- {i.house_name} — {kinds[i.kind]} n°{i.number} « {i.subject} », échéance le {due}"
            )
            lines.append(f"  {settings.SITE_URL}/registres/elements/{i.pk}/")
        lines.append("")
    lines.append("Les engagements 11 à 14 de la charte de qualité fixent ces délais de réponse.")
    message = EmailMessage(subject, "\n".join(lines), None, [user.email])
    (mailer or mailers.default).send_messages([message])
    return True
