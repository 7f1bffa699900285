"""What the person receives (commitment 5), by email and SMS: the preparation sheet once booked,
a reminder 48 hours before by default (the partner's own delay otherwise), never after the start
nor for a cancelled appointment, never twice, each a task of the queue retried with backoff; and
their name and contact purged 30 days after."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from msap.appointments import reminders, rules, services
from msap.appointments.models import Appointment, AppointmentMessage, PartnerAppointmentSettings
from msap.core.queue import run_ready_tasks
from msap.lib import sms
from tests.appointments import conftest
from tests.appointments.conftest import NOW, paris

pytestmark = pytest.mark.usefixtures("frozen")

# Thursday 5 March 2026, 10:00: 74 hours after NOW.
THURSDAY_10 = paris(2026, 3, 5, 10)


def run_at(moment) -> int:
    """What cron and the worker do at `moment`: the command queues what is due, the worker
    sends it. Returns how many messages the command queued."""
    with time_machine.travel(moment, tick=False):
        queued = reminders.handle_one()
        run_ready_tasks()
    return queued


def book(*args, **kwargs):
    """Book as the agent does, then let the worker send what the booking itself queued for the
    partner (its referents' signed link to answer, the portal's concern): what follows here is
    only what the person receives."""
    appointment = conftest.book(*args, **kwargs)
    run_ready_tasks()
    mail.outbox.clear()
    return appointment


def statuses(appointment) -> dict:
    return {
        (m.kind, m.channel): m.status
        for m in AppointmentMessage.objects.filter(appointment=appointment)
    }


def test_the_sheet_goes_once_by_email_with_its_pdf_and_ics_and_by_sms(world, offer):
    book(world, offer.video, offer.sophie, THURSDAY_10)

    assert run_at(NOW) == 2
    assert run_at(NOW) == 0

    (message,) = mail.outbox
    assert message.to == ["jeanne.moreau@exemple.fr"]
    assert "jeudi 5 mars 2026" in message.subject
    names = [name for name, _content, _type in message.attachments]
    assert names == ["fiche-rendez-vous.pdf", "rendez-vous.ics"]
    assert world.caf_referent.email not in message.body
    (text,) = sms.outbox
    assert text.to == "+33612345678"
    assert "jeudi 5 mars 2026 à 10 h 00" in text.body and "3230 ou caf.fr" in text.body
    assert world.caf_referent.email not in text.body


def test_the_command_only_queues_the_worker_sends(world, offer):
    book(world, offer.video, offer.sophie, THURSDAY_10)

    assert reminders.handle_one(NOW) == 2
    assert mail.outbox == [] and sms.outbox == []
    assert run_ready_tasks() == 2
    assert len(mail.outbox) == 1 and len(sms.outbox) == 1
    assert run_ready_tasks() == 0


def test_a_task_run_twice_sends_once(world, offer):
    book(world, offer.video, offer.sophie, THURSDAY_10, person_phone="")
    reminders.handle_one(NOW)
    message = AppointmentMessage.objects.get()

    assert reminders.send_appointment_message.call(message.pk) == "sent"
    assert reminders.send_appointment_message.call(message.pk) == "skipped"
    assert len(mail.outbox) == 1


def test_no_sms_to_a_landline(world, offer):
    book(world, offer.video, offer.sophie, THURSDAY_10, person_phone="05 55 20 00 00")
    assert run_at(NOW) == 1
    assert len(mail.outbox) == 1 and sms.outbox == []


def test_the_reminder_goes_48_hours_before_once(world, offer):
    book(world, offer.video, offer.sophie, THURSDAY_10)
    run_at(NOW)  # the sheet
    mail.outbox.clear()
    sms.outbox.clear()

    assert run_at(THURSDAY_10 - timedelta(hours=49)) == 0
    assert run_at(THURSDAY_10 - timedelta(hours=47)) == 2
    assert run_at(THURSDAY_10 - timedelta(hours=46)) == 0
    assert [m.subject for m in mail.outbox] == [
        "Rappel : rendez-vous Caisse d'allocations familiales (CAF) le jeudi 5 mars 2026"
    ]
    assert [t.body.splitlines()[0] for t in sms.outbox] == [
        "Rappel : rendez-vous CAF le jeudi 5 mars 2026 à 10 h 00."
    ]


def test_a_worker_that_was_down_catches_up_but_never_after_the_start(world, offer):
    late = book(world, offer.video, offer.sophie, THURSDAY_10, person_phone="")
    missed = book(world, offer.phone, offer.paul, paris(2026, 3, 5, 11), person_email="")

    # The command ran on time, the worker was down.
    with time_machine.travel(NOW, tick=False):
        assert reminders.handle_one() == 2
    with time_machine.travel(THURSDAY_10 - timedelta(hours=47), tick=False):
        assert reminders.handle_one() == 2
    # The worker is back 30 minutes before the first one, after the start of the second.
    Appointment.objects.filter(pk=missed.pk).update(start=THURSDAY_10 - timedelta(hours=1))
    with time_machine.travel(THURSDAY_10 - timedelta(minutes=30), tick=False):
        run_ready_tasks()

    assert statuses(late) == {("sheet", "email"): "sent", ("reminder", "email"): "sent"}
    assert statuses(missed) == {("sheet", "sms"): "dropped", ("reminder", "sms"): "dropped"}
    assert len(mail.outbox) == 2 and sms.outbox == []


def test_no_reminder_for_a_cancelled_appointment(world, offer):
    appointment = book(world, offer.video, offer.sophie, THURSDAY_10)
    with time_machine.travel(NOW, tick=False):
        reminders.handle_one()  # queued, then cancelled before the worker ran
    services.change_status(world.users.agent, appointment, "excused")

    run_ready_tasks()
    assert run_at(THURSDAY_10 - timedelta(hours=47)) == 0
    assert mail.outbox == [] and sms.outbox == []
    assert set(statuses(appointment).values()) == {"dropped"}


def test_the_partner_delay_replaces_48_hours(world, offer):
    PartnerAppointmentSettings.objects.filter(partner=world.caf.partner).update(reminder_hours=24)
    book(world, offer.video, offer.sophie, THURSDAY_10)
    run_at(NOW)

    assert run_at(THURSDAY_10 - timedelta(hours=47)) == 0
    assert run_at(THURSDAY_10 - timedelta(hours=23)) == 2


def test_a_failed_send_is_retried_with_backoff(world, offer, monkeypatch):
    book(world, offer.video, offer.sophie, THURSDAY_10, person_phone="")

    def broken(self, fail_silently=False):
        raise OSError("SMTP down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", broken)
    assert run_at(NOW) == 1
    message = AppointmentMessage.objects.get()
    assert (message.status, message.attempts) == ("queued", 1)
    assert "SMTP down" in message.last_error
    monkeypatch.undo()
    # Not before its backoff (one minute), then sent.
    with time_machine.travel(NOW + timedelta(seconds=30), tick=False):
        assert run_ready_tasks() == 0
    with time_machine.travel(NOW + timedelta(seconds=61), tick=False):
        assert run_ready_tasks() == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("sent", 2)
    assert len(mail.outbox) == 1


def test_a_send_failing_every_time_is_given_up(world, offer, monkeypatch):
    book(world, offer.video, offer.sophie, THURSDAY_10, person_email="")

    class Broken(sms.BaseBackend):
        def send_messages(self, messages):
            raise OSError("provider down")

    monkeypatch.setattr(sms, "get_backend", Broken)
    moment = NOW
    run_at(moment)
    for _attempt in range(rules.MESSAGE_ATTEMPTS):
        moment += timedelta(hours=2)
        with time_machine.travel(moment, tick=False):
            run_ready_tasks()
    message = AppointmentMessage.objects.get()
    assert (message.status, message.attempts) == ("failed", rules.MESSAGE_ATTEMPTS)
    assert run_at(moment) == 0  # never queued again


def test_the_command_says_what_it_queued(world, offer, capsys):
    book(world, offer.video, offer.sophie, THURSDAY_10)
    call_command("send_appointment_messages", "--dry-run")
    call_command("send_appointment_messages")
    out = capsys.readouterr().out
    assert "2 message(s) à envoyer (simulation" in out
    assert "2 message(s) mis en file d'attente" in out


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


@pytest.mark.parametrize(
    ("phone", "number"),
    [
        ("06 12 34 56 78", "+33612345678"),
        ("+33 7 12 34 56 78", "+33712345678"),
        ("0033612345678", "+33612345678"),
        ("0692 12 34 56", "+262692123456"),  # La Réunion dials +262
        ("0696123456", "+596696123456"),  # Martinique
        ("05 55 20 00 00", None),  # a landline gets no text message
        ("06 12 34", None),
        ("", None),
    ],
)
def test_a_text_message_only_reaches_a_mobile_number(phone, number):
    assert rules.sms_number(phone) == number
