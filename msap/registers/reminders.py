"""The "never miss an answer" job: one digest per agent and per manager, never twice for the
same item and day, whatever the number of runs or of concurrent workers.

The work is derived from state (open items whose deadline is past or near), so a missed run
loses nothing: the next one catches up. Claims follow healthchecks' `sendalerts`: rows are
claimed with a conditional UPDATE and only what a claim holds is sent by its holder.

The command records and queues; the workers (`msap worker`, as many as needed, on any machine)
send, one task per batch of a few hundred recipients (`DIGESTS_PER_TASK`): building the MIME
messages is most of a network-wide run, and the queue shares the batches between workers, while
what each task costs the queue and the database (its claim, a handful of set-based statements)
is paid per batch, not per digest. A task that dies between its claim and its sends leaves its
rows claimed: those items are not reminded again that day (never twice wins over at least
once), and are the next day.

Every query on ReminderSent filters on `day` first, so that an index on (day, claim) serves
them as the table grows by a day's rows at each date (about 21,000 a day for the network); a
batch's claim names it exactly, so a task reads and updates its own rows only.
"""

import logging
import secrets
from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import NamedTuple

from django.conf import settings
from django.core.mail import mailers
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from msap.core.queue import backoff, enqueue
from msap.lib.dates import local
from msap.lib.mail import EmailMessage
from msap.people.models import Membership, Role
from msap.registers import rules
from msap.registers.models import OPEN_STATES, Kind, RegisterItem, ReminderSent

log = logging.getLogger(__name__)
INSERT_BATCH = 5000


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


def handle_one(now: datetime | None = None, *, dry_run: bool = False) -> int:
    """One pass: record what is to remind today and queue the digests of every recipient who has
    something not yet queued, one task per batch of recipients. Returns the number of digests
    queued; the workers send them."""
    now = now or timezone.now()
    day = timezone.localdate(now)
    pairs = pending_pairs(now)
    if dry_run:
        return len({r for r, _ in pairs})
    forget_old_reminders(day)
    today = ReminderSent.objects.filter(day=day)  # day first: see above
    # What is already recorded today (queued or sent by an earlier run), and the rows a run
    # handed back after a send's last failed try (claim ""), to queue again.
    recorded = today.values_list("recipient_id", "item_id", "claim")
    known = {(r, i): claim for r, i, claim in recorded}
    new = [pair for pair in pairs if pair not in known]
    handed_back = {r for (r, _), claim in known.items() if claim == ""}
    recipients = {r for r, _ in new} | handed_back
    if not recipients:
        return 0
    # A recipient's rows all go to batch `recipient id mod n`: a digest is never split between
    # two tasks, and the batches hold about DIGESTS_PER_TASK digests each.
    n = -(-len(recipients) // DIGESTS_PER_TASK)
    rows = defaultdict(list)
    for r, item in new:  # sorted: concurrent runs insert in one order (no deadlock)
        rows[r % n].append((r, item))
    run = QUEUED + secrets.token_hex(8)
    queued = 0
    for batch in sorted({r % n for r in recipients}):
        claim = f"{run}.{batch}"
        # Each batch's rows commit with its task (a crash leaves nothing claimed without its
        # task), and the workers start on the first batches while the next are recorded. A row
        # a concurrent run recorded first is left to it (the unique constraint).
        with transaction.atomic():
            ReminderSent.objects.bulk_create(
                [
                    ReminderSent(recipient_id=r, item_id=i, day=day, claim=claim)
                    for r, i in rows[batch]
                ],
                batch_size=INSERT_BATCH,
                ignore_conflicts=True,
            )
            back = [r for r in handed_back if r % n == batch]
            if back:
                today.filter(claim="", recipient_id__in=back).update(claim=claim)
            held = len(set(today.filter(claim=claim).values_list("recipient_id", flat=True)))
            if held:
                enqueue(send_reminder_digests, claim, day.isoformat(), now.isoformat(), 1)
                queued += held
    return queued


# --- sending (a task per batch of digests, run by `msap worker`) ---------------------------------

# The claim of rows whose digest is queued: "q", the run's token and the batch's number, set as
# the rows are recorded; a sending task replaces it with its own token, so a task run twice (a
# worker that died after sending) sends nothing twice.
QUEUED = "q"
# Recipients per task: the queue's own work (claiming the task, recording its end) and the
# task's queries are paid per batch, not per digest; and a few hundred digests keep the batches
# of a network-wide run spread over the workers (about 30 for the network's 5,700 digests).
DIGESTS_PER_TASK = 200
# A failed send is retried with backoff (1 min, 5 min, 25 min, then hourly) by a task of its
# own holding only the digests that failed; after the last try their rows go back unclaimed,
# and the next `msap remind` queues them again.
SEND_ATTEMPTS = 5


@task(queue_name="mail")
def send_reminder_digests(queued: str, day: str, now: str, attempt: int) -> int:
    """Send the digests of the rows `queued` names (a batch of recipients): one UPDATE claims
    them, one read brings their lines and recipients, the mails go out on one connection, one
    UPDATE records them sent. Returns the number of mails sent."""
    day_ = date.fromisoformat(day)
    now_ = datetime.fromisoformat(now)
    token = secrets.token_hex(8)
    today = ReminderSent.objects.filter(day=day_)  # day first: see above
    if not today.filter(claim=queued).update(claim=token):
        return 0  # already sent (a repeated task) or handed back
    mine = today.filter(claim=token)
    sent, failed = deliver(read_digests(mine), now_, attempt)
    # Sent, or nothing left to say (items answered meanwhile, account closed): done for the day.
    mine.exclude(recipient_id__in=failed).update(sent_at=now_)
    if failed and attempt >= SEND_ATTEMPTS:
        mine.filter(recipient_id__in=failed).update(claim="")  # the next run starts again
    elif failed:
        retry = QUEUED + secrets.token_hex(8)
        with transaction.atomic():
            mine.filter(recipient_id__in=failed).update(claim=retry)
            enqueue(
                send_reminder_digests,
                retry,
                day,
                now,
                attempt + 1,
                run_after=timezone.now() + backoff(attempt, first=60, factor=5, cap=3600),
            )
    return sent


def read_digests(rows) -> dict[int, tuple[Recipient, list[DigestLine]]]:
    """{recipient id: (recipient, lines)} of the claimed `rows`, in one query."""
    digests = {}
    for recipient_id, *person, item_id, kind, number, subject, due_at, status, name, dept in (
        rows.order_by("recipient_id", "item_id").values_list(
            "recipient_id", "recipient__email", "recipient__first_name", "recipient__is_active",
            "item_id", "item__kind", "item__number", "item__subject", "item__due_at",
            "item__status", "item__house__name", "item__house__commune__departement_id",
        )
    ):  # fmt: skip
        _, lines = digests.setdefault(recipient_id, (Recipient(*person), []))
        lines.append(DigestLine(item_id, kind, number, subject, due_at, status, name, dept))
    return digests


def deliver(digests: dict, now: datetime, attempt: int) -> tuple[int, list[int]]:
    """Mail each digest on one connection of the default mailer: (mails sent, recipient ids whose
    send failed). One failure does not stop the others; a connection that cannot open fails
    them all (the retry is for the caller)."""
    kinds = kind_labels()
    mailer = mailers.default
    try:
        mailer.open()
    except Exception:
        log.exception(
            "remind: no mail connection for %d digest(s) (attempt %d)", len(digests), attempt
        )
        return 0, list(digests)
    sent, failed = 0, []
    try:
        for recipient_id, (user, lines) in digests.items():
            try:
                sent += send_digest(recipient_id, user, lines, now, mailer=mailer, kinds=kinds)
            except Exception:
                log.exception(
                    "remind: digest to user %s failed (attempt %d)", recipient_id, attempt
                )
                failed.append(recipient_id)
    finally:
        try:
            mailer.close()
        except Exception:  # the mails went out: they are recorded sent all the same
            log.exception("remind: closing the mail connection failed")
    return sent, failed


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
    user: Recipient,
    items: list[DigestLine],
    now: datetime,
    *,
    mailer,
    kinds: dict[str, str],
) -> bool:
    """Mail one digest on `mailer`; False when nothing is left to remind (items answered in the
    meantime, e.g. before the retry of a failed send) or the account was closed."""
    items = sorted(
        (i for i in items if i.status in OPEN_STATES and i.due_at is not None),
        key=lambda i: (i.due_at, i.pk),
    )
    if not items or not user.is_active:
        return False
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
    mailer.send_messages([message])
    return True
