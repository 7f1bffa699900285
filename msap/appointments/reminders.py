"""What the person receives by email: the preparation sheet once booked, a reminder before.

Derived from state, never from a timer: `due_messages(now)` lists what should have gone and has
not, so a run that was missed loses nothing and the next one catches up. Each message is
claimed by inserting its AppointmentMessage row (unique per appointment and kind) before it is
sent: two runs at once never send it twice. A send that fails gives its claim back, for the
next run. Never a reminder after the start, nor for a cancelled appointment: both are read from
the appointment at the moment of the claim.

`send_one(appointment_id, kind)` is the unit of work: when the task queue lands, it becomes the
task that `handle_one` enqueues.
"""

import logging
from datetime import datetime

from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from msap.appointments import rules, sheet
from msap.appointments.models import (
    LIVE_STATUSES,
    Appointment,
    AppointmentMessage,
    MessageKind,
)

log = logging.getLogger(__name__)


def _reminder_hours(appointment: Appointment) -> int:
    settings = getattr(
        appointment.appointment_type.partnership.partner, "appointment_settings", None
    )
    return settings.reminder_hours if settings else rules.DEFAULT_REMINDER_HOURS


def should_send(appointment: Appointment, kind: str, now: datetime) -> bool:
    """The rule of each message, read from the appointment as it stands."""
    if appointment.status not in LIVE_STATUSES or appointment.start <= now:
        return False
    if not appointment.person_email:
        return False
    if kind == MessageKind.SHEET:
        return True
    due = rules.reminder_due_at(appointment.start, _reminder_hours(appointment))
    # Booked inside the reminder's window: the sheet just went, a reminder would repeat it.
    return due <= now and appointment.created_at < due


def due_messages(now: datetime) -> list[tuple[int, str]]:
    """(appointment id, kind) of every message due and not yet claimed."""
    live = (
        Appointment.objects.filter(status__in=LIVE_STATUSES, start__gt=now)
        .exclude(person_email="")
        .select_related("appointment_type__partnership__partner__appointment_settings")
    )
    out = []
    for appointment in live.exclude(messages__kind=MessageKind.SHEET):
        out.append((appointment.pk, MessageKind.SHEET))
    # The longest delay a partner may state bounds the candidates; should_send decides.
    horizon = now + rules.MAX_REMINDER_DELAY
    for appointment in live.filter(start__lte=horizon).exclude(messages__kind=MessageKind.REMINDER):
        if should_send(appointment, MessageKind.REMINDER, now):
            out.append((appointment.pk, MessageKind.REMINDER))
    return out


def _claim(appointment_id: int, kind: str, now: datetime) -> Appointment | None:
    """Claim the message, or None when it is no longer due or someone else claimed it."""
    try:
        with transaction.atomic():
            appointment = (
                # Only the appointment's row: PostgreSQL locks no nullable side of a join.
                Appointment.objects.select_for_update(of=("self",))
                .select_related(
                    "house__commune",
                    "adviser",
                    "appointment_type__partnership__partner__appointment_settings",
                )
                .get(pk=appointment_id)
            )
            if not should_send(appointment, kind, now):
                return None
            AppointmentMessage.objects.create(appointment=appointment, kind=kind, claimed_at=now)
    except (IntegrityError, Appointment.DoesNotExist):
        return None
    return appointment


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


def send_one(appointment_id: int, kind: str, now: datetime | None = None) -> bool:
    """Claim and send one message; True when it was sent by this call."""
    now = now or timezone.now()
    appointment = _claim(appointment_id, kind, now)
    if appointment is None:
        return False
    try:
        build_message(appointment, kind).send()
    except Exception:
        log.exception(
            "appointment %s: %s not sent, released for the next run", appointment_id, kind
        )
        AppointmentMessage.objects.filter(
            appointment_id=appointment_id, kind=kind, sent_at__isnull=True
        ).delete()
        return False
    AppointmentMessage.objects.filter(appointment_id=appointment_id, kind=kind).update(sent_at=now)
    return True


def handle_one(now: datetime | None = None, *, dry_run: bool = False) -> int:
    """One pass: send every message due. Returns how many were sent (or are due, dry run)."""
    now = now or timezone.now()
    due = due_messages(now)
    if dry_run:
        return len(due)
    return sum(send_one(pk, kind, now) for pk, kind in due)
