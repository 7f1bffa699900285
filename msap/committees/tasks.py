"""The emails of the steering committee, as tasks of the queue, derived from state.

- A meeting's invitation, with its agenda and its ICS file, to every member with an address:
  an INVITATION notice per meeting.
- A house without a meeting held for 12 months (art. 6): an OVERDUE notice to its responsables
  and its gestionnaire's accounts, one per overdue spell (its stage is the last meeting held).

A notice row (unique per house, kind and stage) is created in the transaction of the state it
follows from, with its task; the task claims the row with a conditional UPDATE before sending, so
a repeated task, or `handle_one` run twice, never sends twice (transmissions/tasks.py's pattern).
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.tasks import task
from django.utils import timezone, translation
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _

from msap.committees import ics, queries
from msap.committees.models import Notice, NoticeKind
from msap.core.queue import backoff, enqueue
from msap.network.models import House, HouseStatus
from msap.people.models import Membership, Role

log = logging.getLogger(__name__)
MAX_SEND_ATTEMPTS = 5
# A notice queued this long ago and still unsent and unclaimed lost its task: queue it again.
LOST_AFTER = timedelta(hours=1)


def notify(house, kind: str, stage: str, now: datetime, *, meeting=None) -> bool:
    """Create the notice of this stage and queue its email, in the caller's transaction;
    False when the stage already has its notice (nothing queued twice)."""
    try:
        with transaction.atomic():
            notice = Notice.objects.create(
                house=house, meeting=meeting, kind=kind, stage=stage, created_at=now
            )
    except IntegrityError:
        return False
    enqueue(send_notice, notice.pk, 1)
    return True


def managers_emails(house) -> list[str]:
    """The house's responsables and its gestionnaire's accounts: who calls the committee."""
    return sorted(
        set(
            Membership.objects.current()
            .filter(user__is_active=True)
            .filter(
                Q(role=Role.RESPONSABLE, house=house)
                | Q(role=Role.GESTIONNAIRE, organisation_id=house.organisation_id)
            )
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
    )


def build(notice: Notice) -> EmailMessage | None:
    """The email of a notice, in French; None when it has nobody to go to."""
    house = notice.house
    link = f"{settings.SITE_URL}/comites/maison/{house.pk}/"
    if notice.kind == NoticeKind.INVITATION:
        meeting = notice.meeting
        to = sorted({m.email for m in meeting.members.all() if m.email})
        if not to or meeting.status != "planned":
            return None
        local = timezone.localtime(meeting.starts_at, house.tz)
        values = {
            "house": house.name,
            "day": local.strftime("%d/%m/%Y"),
            "time": local.strftime("%H:%M"),
            "place": meeting.place,
        }
        subject = _("Invitation : comité de pilotage de %(house)s le %(day)s") % values
        body = "\n\n".join(
            [
                _(
                    "Vous êtes invité au comité de pilotage de %(house)s, le %(day)s à %(time)s, "
                    "%(place)s (article 6 de la convention-cadre)."
                )
                % values,
                ics.description(meeting),
                _("Le fichier joint ajoute la réunion à votre agenda."),
            ]
        )
        message = EmailMessage(subject, body, None, to)
        message.attach("comite-de-pilotage.ics", ics.render_ics(meeting), "text/calendar")
        return message
    to = managers_emails(house)
    if not to:
        return None
    state = queries.committee_states([house], timezone.localdate())[house.pk]
    subject = _("Rappel : pas de comité de pilotage depuis 12 mois — %(house)s") % {
        "house": house.name
    }
    return EmailMessage(subject, "\n\n".join([state.message, link]), None, to)


@task(queue_name="mail")
def send_notice(notice_id: int, attempt: int) -> bool:
    """Claim and send one notice; True when this run sent it."""
    token = get_random_string(24)
    if not Notice.objects.filter(pk=notice_id, sent_at__isnull=True, claim="").update(
        claim=token, attempts=attempt
    ):
        return False  # sent already, or another run holds it
    notice = Notice.objects.select_related("house__commune", "meeting").get(pk=notice_id)
    with translation.override(settings.LANGUAGE_CODE):
        message = build(notice)
    if message is None:
        Notice.objects.filter(pk=notice_id, claim=token).update(sent_at=timezone.now())
        return False
    try:
        message.send()
    except Exception:
        log.exception("committee notice %s not sent (attempt %s)", notice_id, attempt)
        Notice.objects.filter(pk=notice_id, claim=token).update(claim="")
        if attempt < MAX_SEND_ATTEMPTS:
            retry = timezone.now() + backoff(attempt, first=60, factor=5, cap=3600)
            enqueue(send_notice, notice_id, attempt + 1, run_after=retry)
        return False
    Notice.objects.filter(pk=notice_id, claim=token).update(sent_at=timezone.now())
    return True


def due_reminders(now: datetime) -> list[tuple[House, str]]:
    """(house, stage) of every open house without a meeting held for 12 months (art. 6); the
    stage names the overdue spell: the day of the last meeting held, or "none"."""
    houses = list(House.objects.exclude(status=HouseStatus.CLOSED).select_related("commune"))
    states = queries.committee_states(houses, timezone.localdate(now))
    return [
        (house, states[house.pk].last_held.isoformat() if states[house.pk].last_held else "none")
        for house in houses
        if states[house.pk].overdue
    ]


def handle_one(now: datetime | None = None, *, dry_run: bool = False) -> int:
    """One pass of `msap remind_committees`: queue the reminders due, and again what a lost task
    left unsent. Returns how many reminders were queued (due, in a dry run)."""
    now = now or timezone.now()
    due = due_reminders(now)
    known = set(Notice.objects.filter(kind=NoticeKind.OVERDUE).values_list("house_id", "stage"))
    fresh = [(h, s) for h, s in due if (h.pk, s) not in known]
    if dry_run:
        return len(fresh)
    queued = 0
    for house, stage in fresh:
        with transaction.atomic():
            queued += notify(house, NoticeKind.OVERDUE, stage, now)
    with transaction.atomic():
        for pk in Notice.objects.filter(
            sent_at__isnull=True, claim="", created_at__lt=now - LOST_AFTER
        ).values_list("pk", flat=True):
            enqueue(send_notice, pk, 1)
    return queued
