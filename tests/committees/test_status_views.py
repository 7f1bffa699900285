"""A meeting's and an axis's status moves from the meeting's page (the one state-machine pattern):
a managers' post moves it and journals it; a stale or unknown move says so in French."""

from datetime import date

from django.urls import reverse

from msap.committees import services
from msap.core.models import JournalEntry
from tests.committees.conftest import hold, plan


def test_a_meeting_is_cancelled_and_a_stale_move_refused(client, world):
    meeting = plan(world, day=date(2026, 4, 2))
    client.force_login(world.users.gestionnaire)
    url = reverse("committee_status", args=[meeting.pk])
    client.post(url, {"version": 1, "status": "cancelled"})
    meeting.refresh_from_db()
    assert meeting.status == "cancelled"
    response = client.post(url, {"version": 1, "status": "planned"}, follow=True)
    assert "modifiée par quelqu" in response.content.decode()
    assert JournalEntry.objects.filter(action="committee.status").count() == 1


def test_an_axis_moves_through_the_screen(client, world):
    meeting = hold(world, plan(world))
    axis = services.add_axis(
        world.users.responsable, meeting, title="Axe", owner="Gestionnaire", due_on=date(2026, 9, 1)
    )
    client.force_login(world.users.responsable)
    url = reverse("committee_axis_status", args=[axis.pk])
    client.post(url, {"version": 1, "status": "in_progress"})
    axis.refresh_from_db()
    assert axis.status == "in_progress"
    response = client.post(url, {"version": 2, "status": "inconnu"}, follow=True)
    assert "Choisissez un statut proposé." in response.content.decode()
