"""The "never miss an answer" job: one digest per agent and per manager, never twice for the
same item and day, whatever the number of runs or of concurrent workers.

The work is derived from state (open items whose deadline is past or near), so a missed run
loses nothing: the next one catches up. Claims follow healthchecks' `sendalerts`: rows are
claimed with a conditional UPDATE and only what a run claimed is sent by it.

A run that dies between its claim and its sends leaves its rows claimed: those items are not
reminded again that day (never twice wins over at least once), and are the next day.

Every query on ReminderSent filters on `day` first, so that an index on (day, claim) serves
them as the table grows by a day's rows at each date (about 21,000 a day for the network).
"""

import logging
import secrets
from collections import defaultdict
from datetime import datetime, timedelta
from typing import NamedTuple

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.utils import timezone

from msap.lib.dates import local
from msap.people.models import Membership, Role
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
    from msap.people.models import User

    rows = User.objects.filter(pk__in=list(user_ids)).values_list(
        "pk", "email", "first_name", "is_active"
    )
    return {pk: Recipient(*rest) for pk, *rest in rows}


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
    mine = ReminderSent.objects.filter(day=day, claim=run)  # day first: see the module's note
    for recipient_id, item_id in mine.values_list("recipient_id", "item_id"):
        claimed[recipient_id].append(item_id)
    # 3. Everything the digests show, in two queries for the whole run (not two per recipient).
    users = recipients(claimed)
    items = digest_lines({pk for pks in claimed.values() for pk in pks})
    kinds = kind_labels()
    # One mail connection for the whole run (an SMTP server is not reconnected per digest).
    mailer = mailers.default
    try:
        mailer.open()
    except Exception:
        log.exception("remind: could not open the mail connection; each send will retry it")
    sent, done = 0, []
    try:
        for recipient_id, item_ids in claimed.items():
            try:
                delivered = send_digest(
                    recipient_id,
                    item_ids,
                    now,
                    user=users.get(recipient_id),
                    items=[items[pk] for pk in item_ids if pk in items],
                    mailer=mailer,
                    kinds=kinds,
                )
            except Exception:
                # Give the rows back: the next run retries this recipient.
                log.exception("remind: digest to user %s failed", recipient_id)
                mine.filter(recipient_id=recipient_id).update(claim="")
                continue
            done.append(recipient_id)
            sent += bool(delivered)
    finally:
        mailer.close()
    for i in range(0, len(done), 1000):
        mine.filter(recipient_id__in=done[i : i + 1000]).update(sent_at=now)
    return sent


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
