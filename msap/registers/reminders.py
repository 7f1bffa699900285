"""The "never miss an answer" job: one digest per agent and per manager, never twice for the
same item and day, whatever the number of runs or of concurrent workers.

The work is derived from state (open items whose deadline is past or near), so a missed run
loses nothing: the next one catches up. Claims follow healthchecks' `sendalerts`: rows are
claimed with a conditional UPDATE and only what a run claimed is sent by it.

A run that dies between its claim and its sends leaves its rows claimed: those items are not
reminded again that day (never twice wins over at least once), and are the next day.

Building the MIME messages is most of a network-wide run: with many digests, forked senders
build and send them in parallel from what the run read, report each outcome as it is known,
and the run's own process writes them (see `deliver`).

Every query on ReminderSent filters on `day` first, so that an index on (day, claim) serves
them as the table grows by a day's rows at each date (about 21,000 a day for the network).
"""

import logging
import multiprocessing as mp
import os
import secrets
from collections import defaultdict
from datetime import datetime, timedelta
from multiprocessing.connection import wait
from typing import NamedTuple

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.utils import timezone

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


def handle_one(
    now: datetime | None = None, *, dry_run: bool = False, workers: int | None = None
) -> int:
    """One pass. Returns the number of digests sent. `workers`: see sender_count."""
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
    # 2. Claim what nobody claimed yet, in one conditional UPDATE: concurrent runs split the rows.
    run = secrets.token_hex(8)
    if not ReminderSent.objects.filter(day=day, claim="").update(claim=run):
        return 0
    claimed = defaultdict(list)
    mine = ReminderSent.objects.filter(day=day, claim=run)  # day first: see the module's note
    for recipient_id, item_id in mine.values_list("recipient_id", "item_id"):
        claimed[recipient_id].append(item_id)
    # 3. Everything the digests show, in two queries for the whole run (not two per recipient).
    users = recipients(claimed)
    items = digest_lines({pk for pks in claimed.values() for pk in pks})
    digests = [
        (recipient_id, users.get(recipient_id), [items[pk] for pk in pks if pk in items])
        for recipient_id, pks in claimed.items()
    ]
    # 4. Build and send the mails, in parallel senders when there are many.
    results = deliver(digests, now, kind_labels(), workers=workers)
    # 5. Sent (or nothing left to say): done for the day. Failed: the rows go back, the next run
    # retries. Not reported (a sender died): they stay claimed, like a run that died.
    done = [r for r, outcome in results.items() if outcome is not FAILED]
    failed = [r for r, outcome in results.items() if outcome is FAILED]
    for i in range(0, len(done), 1000):
        mine.filter(recipient_id__in=done[i : i + 1000]).update(sent_at=now)
    for i in range(0, len(failed), 1000):
        mine.filter(recipient_id__in=failed[i : i + 1000]).update(claim="")
    return sum(outcome is True for outcome in results.values())


# --- sending ------------------------------------------------------------------------------------

FAILED = "failed"
# Below this many digests, forking senders costs more than it saves.
PARALLEL_FROM = 200
# What the forked senders read: set before they are forked, inherited, never pickled.
_digests: list = []


def sender_count(requested: int | None, digests: int, mailer) -> int:
    """How many processes build and send the mails. Building a MIME message costs about a
    millisecond of CPU, the bulk of a network-wide run (bench/registers): with many digests the
    work is shared between processes. `requested` (the --workers option, else the
    REMIND_WORKERS setting; 0 means one per CPU, at most 8) is capped by the number of digests.
    The in-memory test backend keeps its mails in this process: it always sends from here."""
    from django.core.mail.backends.locmem import EmailBackend as MemoryBackend

    if requested is None:
        requested = settings.REMIND_WORKERS
    if requested == 0:
        requested = 1 if digests < PARALLEL_FROM else min(8, os.cpu_count() or 1)
    if isinstance(mailer, MemoryBackend) or "fork" not in mp.get_all_start_methods():
        return 1
    return max(1, min(requested, digests))


def deliver(digests: list, now: datetime, kinds: dict, *, workers: int | None = None) -> dict:
    """Send the digests; {recipient id: True (sent), False (nothing left to say), FAILED}.

    A sender that dies (killed, out of memory) loses only the digest it was sending: the ones it
    reported are known, the one in flight is left out of the answer (its rows stay claimed:
    never twice), the ones it had not reached come back FAILED (the next run sends them)."""
    count = sender_count(workers, len(digests), mailers.default)
    if count == 1:
        return dict(send_batch(digests, now, kinds))
    global _digests
    _digests = digests
    fork = mp.get_context("fork")
    senders = {}
    try:
        # fork: the senders start at once with the digests in memory. They never touch the
        # database: everything they need was read above, and this process writes the outcome.
        for index in range(count):
            reader, writer = fork.Pipe(duplex=False)
            process = fork.Process(
                target=_send_share, args=(index, count, now, kinds, writer), daemon=True
            )
            process.start()
            writer.close()  # this end is the sender's: EOF here when it has finished or died
            senders[reader] = (process, digests[index::count], [0])
    finally:
        _digests = []
    results: dict = {}
    while senders:
        for reader in wait(list(senders)):
            process, share, reported = senders[reader]
            try:
                recipient_id, outcome = reader.recv()
            except EOFError:
                del senders[reader]
                process.join()
                _settle_share(process, share, reported[0], results)
                continue
            results[recipient_id] = outcome
            reported[0] += 1
    return results


def _settle_share(process, share: list, reported: int, results: dict) -> None:
    if reported == len(share):
        return
    lost = share[reported][0]
    log.error(
        "remind: a sender stopped (exit code %s) while mailing user %s; that digest stays "
        "claimed for today, the %d it had not reached go to the next run",
        process.exitcode,
        lost,
        len(share) - reported - 1,
    )
    for recipient_id, _user, _items in share[reported + 1 :]:
        results[recipient_id] = FAILED


def _send_share(index: int, count: int, now: datetime, kinds: dict, writer) -> None:
    try:
        send_batch(_digests[index::count], now, kinds, report=writer.send)
    finally:
        writer.close()


def send_batch(
    digests: list, now: datetime, kinds: dict, *, report=None
) -> list[tuple[int, object]]:
    """Send digests over one mail connection (an SMTP server is not reconnected per digest);
    `report` is called with each (recipient id, outcome) as soon as it is known."""
    mailer = mailers.default
    try:
        mailer.open()
    except Exception:
        log.exception("remind: could not open the mail connection; each send will retry it")
    results = []
    try:
        for recipient_id, user, items in digests:
            try:
                delivered = send_digest(
                    recipient_id,
                    [i.pk for i in items],
                    now,
                    user=user,
                    items=items,
                    mailer=mailer,
                    kinds=kinds,
                )
            except Exception:
                log.exception("remind: digest to user %s failed", recipient_id)
                outcome = FAILED
            else:
                outcome = bool(delivered)
            results.append((recipient_id, outcome))
            if report is not None:
                report((recipient_id, outcome))
    finally:
        mailer.close()
    return results


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
