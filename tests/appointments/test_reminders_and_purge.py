"""What the person receives (commitment 5): the preparation sheet once booked, a reminder
48 hours before by default (the partner's own delay otherwise), never after the start nor for a
cancelled appointment, never twice; and their name and contact purged 30 days after."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from msap.appointments import reminders, rules, services
from msap.appointments.models import Appointment, AppointmentMessage, PartnerAppointmentSettings
from tests.appointments.conftest import NOW, book, paris

pytestmark = pytest.mark.usefixtures("frozen")

# Thursday 5 March 2026, 10:00: 74 hours after NOW.
THURSDAY_10 = paris(2026, 3, 5, 10)


def test_the_sheet_goes_once_with_its_pdf_and_ics(world, offer):
    book(world, offer.video, offer.sophie, THURSDAY_10)

    assert reminders.handle_one(NOW) == 1
    assert reminders.handle_one(NOW) == 0

    (message,) = mail.outbox
    assert message.to == ["jeanne.moreau@exemple.fr"]
    assert "jeudi 5 mars 2026" in message.subject
    names = [name for name, _content, _type in message.attachments]
    assert names == ["fiche-rendez-vous.pdf", "rendez-vous.ics"]
    assert world.caf_referent.email not in message.body


def test_the_reminder_goes_48_hours_before_once(world, offer):
    book(world, offer.video, offer.sophie, THURSDAY_10)
    reminders.handle_one(NOW)  # the sheet
    mail.outbox.clear()

    assert reminders.handle_one(THURSDAY_10 - timedelta(hours=49)) == 0
    assert reminders.handle_one(THURSDAY_10 - timedelta(hours=47)) == 1
    assert reminders.handle_one(THURSDAY_10 - timedelta(hours=46)) == 0
    assert [m.subject for m in mail.outbox] == [
        "Rappel : rendez-vous Caisse d'allocations familiales (CAF) le jeudi 5 mars 2026"
    ]


def test_a_run_that_was_down_catches_up_but_never_after_the_start(world, offer):
    late = book(world, offer.video, offer.sophie, THURSDAY_10)
    missed = book(world, offer.phone, offer.paul, paris(2026, 3, 5, 11))

    # Nothing ran until 30 minutes before the first one: both its messages still go.
    sent = reminders.handle_one(THURSDAY_10 - timedelta(minutes=30))
    assert sent == 4
    # A run after the start of the second sends nothing about it.
    Appointment.objects.filter(pk=missed.pk).update(start=THURSDAY_10 - timedelta(hours=1))
    AppointmentMessage.objects.filter(appointment=missed).delete()
    assert reminders.handle_one(THURSDAY_10 - timedelta(minutes=20)) == 0
    assert AppointmentMessage.objects.filter(appointment=late).count() == 2


def test_no_reminder_for_a_cancelled_appointment(world, offer):
    appointment = book(world, offer.video, offer.sophie, THURSDAY_10)
    services.change_status(world.users.agent, appointment, "excused")

    assert reminders.handle_one(THURSDAY_10 - timedelta(hours=47)) == 0
    assert mail.outbox == []


def test_the_partner_delay_replaces_48_hours(world, offer):
    PartnerAppointmentSettings.objects.filter(partner=world.caf.partner).update(reminder_hours=24)
    book(world, offer.video, offer.sophie, THURSDAY_10)
    reminders.handle_one(NOW)

    assert reminders.handle_one(THURSDAY_10 - timedelta(hours=47)) == 0
    assert reminders.handle_one(THURSDAY_10 - timedelta(hours=23)) == 1


def test_a_failed_send_is_retried_by_the_next_run(world, offer, monkeypatch):
    book(world, offer.video, offer.sophie, THURSDAY_10)

    def broken(self, fail_silently=False):
        raise OSError("SMTP down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", broken)
    assert reminders.handle_one(NOW) == 0
    assert not AppointmentMessage.objects.exists()
    monkeypatch.undo()
    assert reminders.handle_one(NOW) == 1


def test_the_command_says_what_it_sent(world, offer, capsys):
    book(world, offer.video, offer.sophie, THURSDAY_10)
    call_command("send_appointment_messages", "--dry-run")
    call_command("send_appointment_messages")
    out = capsys.readouterr().out
    assert "1 message(s) à envoyer (simulation" in out and "1 message(s) envoyé(s)." in out


def test_person_data_purged_30_days_after_the_appointment(world, offer, capsys):
    appointment = book(world, offer.video, offer.sophie, THURSDAY_10)
    after = appointment.end + timedelta(days=rules.PERSONAL_DATA_DAYS)

    assert services.purge_personal_data(now=after - timedelta(minutes=1)) == 0
    call_command("purge_appointments", "--dry-run", "--now", "2026-04-05")
    call_command("purge_appointments", "--now", "2026-04-05")
    call_command("purge_appointments", "--now", "2026-04-05")

    out = capsys.readouterr().out
    assert "1 rendez-vous à purger (simulation" in out
    assert "1 rendez-vous purgé(s)." in out and "Aucun rendez-vous à purger." in out
    appointment.refresh_from_db()
    assert (appointment.person_name, appointment.person_email, appointment.person_phone) == (
        "",
        "",
        "",
    )
    assert appointment.purged_at is not None and appointment.status == "requested"


def test_purge_command_refuses_a_bad_date(world):
    with pytest.raises(CommandError, match="Date invalide"):
        call_command("purge_appointments", "--now", "05/04/2026")
