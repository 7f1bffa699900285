"""The emails of transmissions, as tasks of the queue, derived from state.

- To the agent who sent it, at each step the partner (or the expiry) makes: a STEP notice.
- To the partner's referents, a reminder for each full period (`reminder_days`) it has waited
  for them since the last change: a REMINDER notice per stage.
- To the partnership's escalation contact, once, when the transmission is still not taken in
  charge `escalation_days` working days after it was sent: an ESCALATION notice.

A notice row (unique per transmission, kind and stage) is created in the transaction of the
state it follows from, with its task; the task claims the row with a conditional UPDATE before
sending, so a repeated task, or `handle_one` run twice, never sends twice. A failed send gives
its claim back and queues itself again with backoff; `handle_one` also queues again what a lost
task left unsent.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.tasks import task
from django.utils import timezone, translation
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _

from msap.core.queue import backoff, enqueue
from msap.lib.dates import timezone_for, working_days_between
from msap.transmissions import queries, rules
from msap.transmissions.models import (
    AWAITING_PARTNER,
    NOT_TAKEN,
    Notice,
    NoticeKind,
    Step,
    Transmission,
)

log = logging.getLogger(__name__)
# A notice queued this long ago and still unsent and unclaimed lost its task: queue it again.
LOST_AFTER = timedelta(hours=1)


def notify(transmission: Transmission, kind: str, stage: str, now: datetime) -> bool:
    """Create the notice of this stage and queue its email, in the caller's transaction;
    False when the stage already has its notice (nothing queued twice)."""
    try:
        with transaction.atomic():
            notice = Notice.objects.create(
                transmission=transmission, kind=kind, stage=stage, created_at=now
            )
    except IntegrityError:
        return False
    enqueue(send_notice, notice.pk, 1)
    return True


def _link(transmission: Transmission) -> str:
    return f"{settings.SITE_URL}/saisines/{transmission.pk}/"


def partner_recipients(transmission: Transmission) -> list[str]:
    """The addressed referent, else every current referent of the partnership (their direct
    address: the partner's own people, never the public)."""
    referent = transmission.referent
    if referent is not None and referent.ended_on is None and referent.email:
        return [referent.email]
    return sorted(
        set(
            transmission.partnership.referents.filter(ended_on__isnull=True)
            .exclude(email="")
            .values_list("email", flat=True)
        )
    )


def build(notice: Notice) -> tuple[str, str, list[str]] | None:
    """(subject, body, recipients) of a notice, in French; None when it has nobody to go to."""
    t = notice.transmission
    values = {
        "pk": t.pk,
        "partner": t.partnership.partner.short_name,
        "house": t.house.name,
        "subject": t.subject,
        "status": t.get_status_display(),
        "link": _link(t),
    }
    if notice.kind == NoticeKind.STEP:
        step = Step.objects.filter(pk=int(notice.stage)).first()
        if step is None or not t.sent_by.email or not t.sent_by.is_active:
            return None
        values["status"] = step.get_status_display()
        subject = _("Saisine n° %(pk)s (%(partner)s) : %(status)s") % values
        lines = [
            _("La saisine n° %(pk)s « %(subject)s » transmise à %(partner)s : %(status)s.") % values
        ]
        if step.text:
            lines.append(step.text)
        return subject, "\n\n".join([*lines, values["link"]]), [t.sent_by.email]
    if notice.kind == NoticeKind.REMINDER:
        to = partner_recipients(t)
        subject = _("Relance : saisine n° %(pk)s de %(house)s en attente") % values
        intro = _(
            "La saisine n° %(pk)s « %(subject)s » de %(house)s attend votre réponse "
            "(statut : %(status)s)."
        )
    else:
        levels = queries.service_levels(t.partnership)
        to = [levels.escalation_email] if levels.escalation_email else []
        subject = _("Escalade : saisine n° %(pk)s de %(house)s non prise en charge") % values
        intro = _(
            "La saisine n° %(pk)s « %(subject)s » adressée à %(partner)s par %(house)s n'est "
            "toujours pas prise en charge. Vous êtes le contact d'escalade de ce partenariat."
        )
    if not to:
        return None
    return subject, "\n\n".join([intro % values, values["link"]]), to


@task(queue_name="mail")
def send_notice(notice_id: int, attempt: int) -> bool:
    """Claim and send one notice; True when this run sent it."""
    token = get_random_string(24)
    if not Notice.objects.filter(pk=notice_id, sent_at__isnull=True, claim="").update(
        claim=token, attempts=attempt
    ):
        return False  # sent already, or another run holds it
    notice = Notice.objects.select_related(
        "transmission__house",
        "transmission__partnership__partner",
        "transmission__sent_by",
        "transmission__referent",
    ).get(pk=notice_id)
    with translation.override(settings.LANGUAGE_CODE):
        message = build(notice)
    if message is None:
        # Nobody to write to: settled, so that no run tries again.
        Notice.objects.filter(pk=notice_id, claim=token).update(sent_at=timezone.now())
        return False
    subject, body, to = message
    try:
        send_mail(subject, body, None, to)
    except Exception:
        log.exception("transmission notice %s not sent (attempt %s)", notice_id, attempt)
        Notice.objects.filter(pk=notice_id, claim=token).update(claim="")
        if attempt < rules.MAX_SEND_ATTEMPTS:
            retry = timezone.now() + backoff(attempt, first=60, factor=5, cap=3600)
            enqueue(send_notice, notice_id, attempt + 1, run_after=retry)
        return False
    Notice.objects.filter(pk=notice_id, claim=token).update(sent_at=timezone.now())
    return True


def due_notices(now: datetime) -> list[tuple[Transmission, str, str]]:
    """(transmission, kind, stage) of every reminder and escalation due now, claimed or not:
    `notify` keeps only the new ones."""
    out = []
    waiting = Transmission.objects.filter(status__in=AWAITING_PARTNER).select_related(
        "house__commune", "partnership"
    )
    levels_of: dict[int, queries.ServiceLevels] = {}
    for t in waiting:
        if t.partnership_id not in levels_of:
            levels_of[t.partnership_id] = queries.service_levels(t.partnership)
        levels = levels_of[t.partnership_id]
        stage = rules.reminder_stage(t.status_changed_at, now, levels.reminder_days)
        if stage:
            # One stage per full period of this waiting (a new change starts a new series).
            since = t.status_changed_at.isoformat(timespec="seconds")
            out.append((t, NoticeKind.REMINDER, f"{t.status}@{since}#{stage}"))
        if t.status in NOT_TAKEN and levels.escalation_email:
            dept = t.house.commune.departement_id
            tz = timezone_for(dept)
            days = working_days_between(
                t.sent_at.astimezone(tz).date(), now.astimezone(tz).date(), dept
            )
            if days >= levels.escalation_days:
                out.append((t, NoticeKind.ESCALATION, "1"))
    return out


def handle_one(now: datetime | None = None, *, dry_run: bool = False) -> int:
    """One pass of `msap remind_transmissions`: queue the reminders and escalations due, and
    again what a lost task left unsent. Returns how many notices were queued (due, dry run)."""
    now = now or timezone.now()
    due = due_notices(now)
    known = set(
        Notice.objects.filter(transmission__in=[t for t, _k, _s in due]).values_list(
            "transmission_id", "kind", "stage"
        )
    )
    fresh = [(t, k, s) for t, k, s in due if (t.pk, k, s) not in known]
    if dry_run:
        return len(fresh)
    queued = 0
    for t, kind, stage in fresh:
        with transaction.atomic():
            queued += notify(t, kind, stage, now)
    with transaction.atomic():
        for pk in Notice.objects.filter(
            sent_at__isnull=True, claim="", created_at__lt=now - LOST_AFTER
        ).values_list("pk", flat=True):
            enqueue(send_notice, pk, 1)
    return queued
