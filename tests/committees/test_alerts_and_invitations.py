"""Art. 6: a house without a committee meeting for 12 months is flagged (its home, the
gestionnaire's and the département's screens) and its managers reminded once per overdue spell
through the task queue; the invitation with the agenda goes to the members once, with the
meeting's calendar file (RFC 5545)."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from icalendar import Calendar

from msap.committees import services, tasks
from msap.committees.models import Notice
from msap.core.errors import DomainError
from msap.core.queue import run_ready_tasks
from msap.network.queries import house_flags
from tests import factories as f
from tests.committees.conftest import NOW, hold, plan


def test_a_house_that_never_held_its_committee_is_flagged(world):
    assert any("Aucune réunion du comité de pilotage" in flag for flag in house_flags(world.house))


def test_a_house_whose_last_meeting_is_under_twelve_months_old_is_not_flagged(world):
    hold(world, plan(world, day=date(2025, 3, 6)))
    assert not any("comité de pilotage" in flag for flag in house_flags(world.house))


def test_a_house_whose_last_meeting_is_over_twelve_months_old_is_flagged(world):
    hold(world, plan(world, day=date(2025, 3, 5)))
    flags = house_flags(world.house)
    assert any("depuis le 05/03/2025" in flag for flag in flags)


def test_a_planned_meeting_does_not_count_as_held(world):
    plan(world, day=date(2026, 4, 2))
    assert any("comité de pilotage" in flag for flag in house_flags(world.house))


def test_the_alert_shows_on_the_house_home_and_the_overseer_screen(client, world):
    client.force_login(world.users.responsable)
    page = client.get(reverse("house_detail", args=[world.house.pk])).content.decode()
    assert "Aucune réunion du comité de pilotage" in page
    client.force_login(world.users.gestionnaire)
    page = client.get(reverse("home")).content.decode()
    assert "Aucune réunion du comité de pilotage" in page
    client.force_login(world.users.prefecture)
    page = client.get(reverse("committee_overview")).content.decode()
    assert "2 maisons sans comité de pilotage depuis 12 mois" in page  # Tulle, Ussel (19)


def test_the_reminder_goes_once_per_overdue_spell_to_the_managers(world):
    hold(world, plan(world, day=date(2025, 1, 10)))
    assert tasks.handle_one(NOW, dry_run=True) == 3  # every house of the network is late
    assert tasks.handle_one(NOW) == 3
    assert tasks.handle_one(NOW) == 0  # derived from state: nothing twice
    run_ready_tasks("mail")
    to_tulle = [m for m in mail.outbox if "France Services de Tulle" in m.subject]
    assert len(to_tulle) == 1
    assert set(to_tulle[0].to) == {"responsable@test.fr", "gestionnaire@test.fr"}
    assert "depuis le 10/01/2025" in to_tulle[0].body
    run_ready_tasks("mail")
    assert len(mail.outbox) == 1  # Ussel and Guéret have no manager's account to write to
    # A new meeting, then a new spell a year later: reminded again.
    hold(world, plan(world, day=date(2026, 3, 1)))
    assert tasks.handle_one(NOW + timedelta(days=400)) == 1  # the others are in their spell
    assert Notice.objects.filter(house=world.house, kind="overdue").count() == 2


def test_the_command_says_what_it_queued(world, capsys):
    call_command("remind_committees", "--dry-run")
    assert "3 rappel(s) de comité de pilotage dû(s) (simulation)." in capsys.readouterr().out


def test_the_invitation_goes_once_with_the_agenda_and_the_calendar_file(world):
    meeting = plan(world, day=date(2026, 4, 2))
    assert services.send_invitation(world.users.gestionnaire, meeting) >= 2
    with pytest.raises(DomainError, match="déjà été envoyée"):
        services.send_invitation(world.users.gestionnaire, meeting)
    run_ready_tasks("mail")
    run_ready_tasks("mail")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "claire.dumont.privee@caf.exemple.fr" in message.to
    assert "prefecture@test.fr" in message.to
    assert "1. Bilan de l'année" in message.body and "3. Axes de progrès" in message.body
    name, content, mimetype = message.attachments[0]
    assert name == "comite-de-pilotage.ics" and mimetype == "text/calendar"
    event = Calendar.from_ical(content).walk("VEVENT")[0]
    assert str(event["uid"]) == f"comite-{meeting.pk}@msap"
    assert event.decoded("dtstart") == meeting.starts_at
    assert str(event["location"]) == "Mairie de Tulle, salle du conseil"


def test_no_invitation_for_a_meeting_past(world):
    meeting = plan(world)
    with pytest.raises(DomainError, match="déjà eu lieu"):
        services.send_invitation(world.users.gestionnaire, meeting)
    assert not Notice.objects.exists()


def test_the_ics_download_opens_back_with_its_event(client, world):
    meeting = plan(world, day=date(2026, 4, 2), duration_minutes=90)
    client.force_login(world.users.referent_caf)
    response = client.get(reverse("committee_ics", args=[meeting.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    event = Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert event.decoded("dtend") - event.decoded("dtstart") == timedelta(minutes=90)
    assert str(event["summary"]) == "Comité de pilotage — France Services de Tulle"


def test_a_closed_house_is_not_reminded(world):
    world.other.status = "closed"
    world.other.closed_on = date(2026, 1, 31)
    world.other.save(update_fields=["status", "closed_on"])
    f.MeetingFactory(house=world.far)
    assert {h.pk for h, _s in tasks.due_reminders(NOW)} == {world.house.pk}
