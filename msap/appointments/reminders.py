"""What the person receives, by email and by SMS: the preparation sheet once booked, a reminder
before the appointment (48 hours by default, the partner's own delay otherwise).

Derived from state, never from a timer: `due_messages(now)` lists what should have gone and has
not, so a run that was missed loses nothing and the next one catches up. `handle_one` (the
command `msap send_appointment_messages`, run by cron) only queues: it creates each message's
AppointmentMessage row (unique per appointment, kind and channel) and its task in one
transaction, so a message is queued once whatever the number of runs. The task
(`send_appointment_message`, run by `msap worker`) claims its row with a conditional UPDATE on
its lease, reads the appointment as it stands — never a send after the start nor for a cancelled
appointment, even from a backlog after a worker's downtime — and sends; a failed send is retried
with backoff (rules.MESSAGE_ATTEMPTS).
"""

import logging
from datetime import datetime

from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from msap.appointments import rules, sheet
from msap.appointments.models import (
    LIVE_STATUSES,
    Appointment,
    AppointmentMessage,
    MessageChannel,
    MessageKind,
    MessageStatus,
)
from msap.core.queue import backoff, enqueue
from msap.lib import sms

log = logging.getLogger(__name__)


def _reminder_hours(appointment: Appointment) -> int:
    settings = getattr(
        appointment.appointment_type.partnership.partner, "appointment_settings", None
    )
    return settings.reminder_hours if settings else rules.DEFAULT_REMINDER_HOURS


def channels(appointment: Appointment) -> list[str]:
    """Where the person can be reached: their email, their mobile phone."""
    out = []
    if appointment.person_email:
        out.append(MessageChannel.EMAIL)
    if rules.sms_number(appointment.person_phone):
        out.append(MessageChannel.SMS)
    return out


def should_send(appointment: Appointment, kind: str, now: datetime, channel: str = "") -> bool:
    """The rule of each message, read from the appointment as it stands."""
    if appointment.status not in LIVE_STATUSES or appointment.start <= now:
        return False
    if channel and channel not in channels(appointment):
        return False
    if kind == MessageKind.SHEET:
        return True
    due = rules.reminder_due_at(appointment.start, _reminder_hours(appointment))
    # Booked inside the reminder's window: the sheet just went, a reminder would repeat it.
    return due <= now and appointment.created_at < due


def due_messages(now: datetime) -> list[tuple[int, str, str]]:
    """(appointment id, kind, channel) of every message due and not yet queued."""
    live = (
        Appointment.objects.filter(status__in=LIVE_STATUSES, start__gt=now)
        .filter(~Q(person_email="") | ~Q(person_phone=""))
        .select_related("appointment_type__partnership__partner__appointment_settings")
        .prefetch_related("messages")
    )
    # The longest delay a partner may state bounds the reminders' candidates.
    horizon = now + rules.MAX_REMINDER_DELAY
    out = []
    for appointment in live:
        queued = {(m.kind, m.channel) for m in appointment.messages.all()}
        kinds = [MessageKind.SHEET]
        if appointment.start <= horizon and should_send(appointment, MessageKind.REMINDER, now):
            kinds.append(MessageKind.REMINDER)
        for kind in kinds:
            for channel in channels(appointment):
                if (kind, channel) not in queued:
                    out.append((appointment.pk, kind, channel))
    return out


def handle_one(now: datetime | None = None, *, dry_run: bool = False) -> int:
    """One pass: queue every message due. Returns how many were queued (or are due, dry run);
    the workers send them."""
    now = now or timezone.now()
    due = due_messages(now)
    if dry_run:
        return len(due)
    queued = 0
    for appointment_id, kind, channel in due:
        try:
            with transaction.atomic():
                message = AppointmentMessage.objects.create(
                    appointment_id=appointment_id, kind=kind, channel=channel, claimed_at=now
                )
                enqueue(send_appointment_message, message.pk)
        except IntegrityError:
            continue  # a concurrent run queued it first
        queued += 1
    return queued


def build_message(appointment: Appointment, kind: str) -> EmailMessage:
    with translation.override("fr"):
        content = sheet.sheet_for(appointment)
        params = {"partner": content.partner, "day": content.day, "time": content.time}
        if kind == MessageKind.SHEET:
            subject = _("Votre rendez-vous %(partner)s du %(day)s") % params
            body = (
                _(
                    "Bonjour,\n\nVotre rendez-vous avec %(partner)s est prévu le %(day)s à %(time)s. "
                    "Vous trouverez en pièces jointes sa fiche de préparation (lieu, conseiller, "
                    "documents à apporter) et le rendez-vous pour votre agenda.\n"
                )
                % params
            )
        else:
            subject = _("Rappel : rendez-vous %(partner)s le %(day)s") % params
            body = (
                _(
                    "Bonjour,\n\nNous vous rappelons votre rendez-vous avec %(partner)s le %(day)s "
                    "à %(time)s.\n"
                )
                % params
            )
        body += "\n" + "\n".join([content.place, *content.place_lines])
        if content.documents:
            body += "\n\n" + _("Documents à apporter : %(list)s") % {
                "list": ", ".join(content.documents)
            }
        body += "\n\n" + "\n".join(content.contacts)
    message = EmailMessage(subject, body, to=[appointment.person_email])
    if kind == MessageKind.SHEET:
        message.attach("fiche-rendez-vous.pdf", sheet.render_pdf(appointment), "application/pdf")
    message.attach("rendez-vous.ics", sheet.render_ics(appointment), "text/calendar")
    return message


def build_sms(appointment: Appointment, kind: str) -> str:
    """A short text: the partner, the day and time, the place, the public contact. No adviser
    name and no document list (the email and the printed sheet carry them)."""
    with translation.override("fr"):
        content = sheet.sheet_for(appointment)
        params = {"partner": appointment.appointment_type.partnership.partner.short_name}
        params.update(day=content.day, time=content.time)
        if kind == MessageKind.SHEET:
            text = _("Rendez-vous %(partner)s le %(day)s à %(time)s.") % params
        else:
            text = _("Rappel : rendez-vous %(partner)s le %(day)s à %(time)s.") % params
        lines = [text, ", ".join([content.place, *content.place_lines[:1]])]
        if content.contacts:
            lines.append(content.contacts[0])
    return "\n".join(lines)


def _send(appointment: Appointment, kind: str, channel: str) -> None:
    if channel == MessageChannel.SMS:
        sms.send_sms(rules.sms_number(appointment.person_phone), build_sms(appointment, kind))
    else:
        build_message(appointment, kind).send()


@task(queue_name="mail")
def send_appointment_message(message_id: int) -> str:
    """Send one queued message if it is still due and nobody else holds it; says what happened."""
    now = timezone.now()
    claimed = (
        AppointmentMessage.objects.filter(pk=message_id, status=MessageStatus.QUEUED)
        .filter(Q(leased_until__isnull=True) | Q(leased_until__lt=now))
        .update(leased_until=now + rules.MESSAGE_LEASE, attempts=F("attempts") + 1)
    )
    if not claimed:
        return "skipped"  # sent, given up, not yet due for its retry, or another worker has it
    message = AppointmentMessage.objects.select_related(
        "appointment__house__commune",
        "appointment__adviser",
        "appointment__appointment_type__partnership__partner__appointment_settings",
    ).get(pk=message_id)
    mine = AppointmentMessage.objects.filter(pk=message_id)
    appointment = message.appointment
    if not should_send(appointment, message.kind, now, message.channel):
        mine.update(status=MessageStatus.DROPPED, leased_until=None)
        return "dropped"
    try:
        _send(appointment, message.kind, message.channel)
    except Exception as exc:
        log.exception(
            "appointment %s: %s by %s not sent (attempt %d)",
            appointment.pk,
            message.kind,
            message.channel,
            message.attempts,
        )
        error = f"{type(exc).__name__}: {exc}"[:300]
        if message.attempts >= rules.MESSAGE_ATTEMPTS:
            mine.update(status=MessageStatus.FAILED, leased_until=None, last_error=error)
            return "failed"
        retry_at = timezone.now() + backoff(
            message.attempts,
            first=rules.RETRY_FIRST_SECONDS,
            factor=rules.RETRY_FACTOR,
            cap=rules.RETRY_CAP_SECONDS,
        )
        with transaction.atomic():
            # The lease runs until the retry: nothing claims the message before its backoff.
            mine.update(leased_until=retry_at, last_error=error)
            enqueue(send_appointment_message, message_id, run_after=retry_at)
        return "retry"
    mine.update(status=MessageStatus.SENT, sent_at=timezone.now(), leased_until=None)
    return "sent"
