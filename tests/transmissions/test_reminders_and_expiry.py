"""Reminders, escalation and expiry, derived from state by the daily job (issue 9 §5): a
reminder to the partner every 10 days without answer (Dora), the escalation contact written
to once after 5 working days not taken in charge (Administration+), an untouched transmission
expired after 30 days (Dora) with its attachments deleted from storage and the person's data
purged. Each is queued once per stage, whatever the number of runs."""

from datetime import date, timedelta

from django.core import mail
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from msap.core.models import JournalEntry
from msap.core.queue import run_ready_tasks
from msap.transmissions import services, tasks
from msap.transmissions.models import Attachment, Notice, Transmission, TransmissionSettings
from tests.transmissions.conftest import NOW, paris, send, send_personal, stored_files

DAY = timedelta(days=1)


def sent_to(address):
    # The partner's signed link (msap.portal) is its own mail: only the transmissions' mails here.
    return [m for m in mail.outbox if address in m.to and "/lien/" not in m.body]


def test_a_reminder_every_ten_days_without_answer_never_twice_for_a_stage(world):
    t = send(world, referent=world.caf_referent)
    assert tasks.handle_one(NOW + 9 * DAY) == 0
    assert tasks.handle_one(NOW + 10 * DAY, dry_run=True) == 1
    assert tasks.handle_one(NOW + 10 * DAY) == 1
    assert tasks.handle_one(NOW + 12 * DAY) == 0  # the same stage: nothing again
    run_ready_tasks("mail")
    reminders = sent_to(world.caf_referent.email)
    assert len(reminders) == 1 and f"n° {t.pk}" in reminders[0].subject
    assert tasks.handle_one(NOW + 20 * DAY) == 1  # the second stage
    run_ready_tasks("mail")
    assert len(sent_to(world.caf_referent.email)) == 2


def test_a_move_starts_a_new_waiting_and_a_closed_transmission_is_not_reminded(world):
    t = send(world)
    t = services.take_in_charge(world.users.referent_caf, t, now=NOW + 8 * DAY)
    assert tasks.handle_one(NOW + 12 * DAY) == 0
    assert tasks.handle_one(NOW + 18 * DAY) == 1
    services.resolve(world.users.referent_caf, t, "Fait", now=NOW + 19 * DAY)
    assert tasks.handle_one(NOW + 40 * DAY) == 0


def test_the_reminder_period_is_the_partnerships_setting(world):
    TransmissionSettings.objects.create(partnership=world.caf, reminder_days=3)
    send(world)
    assert tasks.handle_one(NOW + 3 * DAY) == 1


def test_no_reminder_while_the_partner_waits_for_the_house(world):
    t = services.request_information(world.users.referent_caf, send(world), "Pièce ?")
    assert tasks.handle_one(NOW + 15 * DAY) == 0
    assert t.status == "info_requested"


def test_escalation_goes_once_to_the_contact_after_five_working_days_not_taken(world):
    TransmissionSettings.objects.create(
        partnership=world.caf,
        escalation_name="Chef de service",
        escalation_email="chef@caf.exemple.fr",
    )
    send(world)
    # Sent on Friday 6 March: the fifth working day after is Friday 13.
    assert tasks.handle_one(NOW + 6 * DAY) == 0
    assert tasks.handle_one(NOW + 7 * DAY) == 1
    assert tasks.handle_one(NOW + 8 * DAY) == 0
    run_ready_tasks("mail")
    (escalation,) = sent_to("chef@caf.exemple.fr")
    assert escalation.subject.startswith("Escalade")
    assert Notice.objects.filter(kind="escalation").count() == 1


def test_no_escalation_once_taken_in_charge(world):
    TransmissionSettings.objects.create(
        partnership=world.caf, escalation_email="chef@caf.exemple.fr"
    )
    services.take_in_charge(world.users.referent_caf, send(world), now=NOW + DAY)
    assert tasks.handle_one(NOW + 8 * DAY) == 0


def test_a_lost_notice_is_queued_again_and_sent_once(world):
    t = send(world)
    services.take_in_charge(world.users.referent_caf, t, now=NOW)
    DBTaskResult.objects.all().delete()  # the worker's queue lost the task
    tasks.handle_one(NOW + 2 * timedelta(hours=1))
    run_ready_tasks("mail")
    run_ready_tasks("mail")
    assert len(sent_to(world.users.agent.email)) == 1


def test_an_untouched_transmission_expires_after_30_days_files_and_data_gone(world, private_media):
    t = send_personal(world)
    assert len(stored_files(private_media)) == 1
    assert services.expire_untouched(now=NOW + 30 * DAY) == 0
    call_command("expire_transmissions", now="2026-04-07")
    t.refresh_from_db()
    assert t.status == "expired" and t.purged_at == paris(2026, 4, 7)
    assert (t.person_name, t.person_reference, t.question) == ("", "", "")
    assert Attachment.objects.count() == 0 and stored_files(private_media) == []
    assert JournalEntry.objects.filter(action="transmission.expired").count() == 1
    assert services.expire_untouched(now=NOW + 32 * DAY) == 0  # idempotent
    run_ready_tasks("mail")
    assert "Expirée" in sent_to(world.users.agent.email)[-1].subject


def test_a_transmission_taken_in_charge_does_not_expire(world):
    t = services.take_in_charge(world.users.referent_caf, send(world), now=NOW)
    assert services.expire_untouched(now=NOW + 60 * DAY) == 0
    assert Transmission.objects.get(pk=t.pk).status == "taken"


def test_the_persons_data_goes_when_their_consent_ends(world, private_media):
    t = send_personal(world, consent_until=date(2026, 3, 20))
    services.take_in_charge(world.users.referent_caf, t, now=NOW)
    assert services.purge_past_consent(now=NOW + 14 * DAY) == 0
    assert services.purge_past_consent(now=NOW + 15 * DAY) == 1
    t.refresh_from_db()
    assert t.person_name == "" and t.status == "taken" and stored_files(private_media) == []
    assert services.purge_past_consent(now=NOW + 16 * DAY) == 0


def test_the_command_says_what_it_would_do_in_a_dry_run(world, capsys):
    send(world)
    call_command("expire_transmissions", now="2026-04-07", dry_run=True)
    assert "1 expirée(s) (simulation" in capsys.readouterr().out
    assert Transmission.objects.get().status == "sent"
