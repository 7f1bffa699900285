"""The committee's screens (art. 6): planned and kept by the gestionnaire and the responsable,
read by the partners of the house and the departmental cell; refusals in French, nothing saved;
one meeting for a double submission; a stale edit of the minutes refused."""

from datetime import date

from django.urls import reverse

from msap.committees.models import Meeting
from tests.committees.conftest import docx, hold, plan

FORM = {
    "day": "2026-04-02",
    "at": "14:00",
    "duration_minutes": "120",
    "place": "Mairie de Tulle",
    "agenda": "Bilan de l'année\nAxes de progrès",
    "key": "cle-formulaire",
}


def test_the_gestionnaire_plans_a_meeting_and_a_double_post_creates_one(client, world):
    client.force_login(world.users.gestionnaire)
    url = reverse("committee_new", args=[world.house.pk])
    first = client.post(url, FORM)
    second = client.post(url, FORM)
    meeting = Meeting.objects.get()
    assert (
        first["Location"] == second["Location"] == reverse("committee_meeting", args=[meeting.pk])
    )
    page = client.get(first["Location"]).content.decode()
    assert "Bilan de l&#x27;année" in page or "Bilan de l'année" in page
    assert "Claire Dumont" in page


def test_an_implausible_date_is_refused_in_french_and_nothing_saved(client, world):
    client.force_login(world.users.responsable)
    response = client.post(
        reverse("committee_new", args=[world.house.pk]), {**FORM, "day": "1999-01-01"}
    )
    assert response.status_code == 200
    assert "Date trop ancienne" in response.content.decode()
    assert not Meeting.objects.exists()


def test_minutes_posted_for_a_future_meeting_are_refused(client, world):
    meeting = plan(world, day=date(2026, 4, 2))
    client.force_login(world.users.responsable)
    response = client.post(
        reverse("committee_minutes", args=[meeting.pk]),
        {"version": meeting.version, "minutes": "Compte rendu"},
    )
    assert "pas encore eu lieu" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.minutes == ""


def test_a_stale_minutes_form_is_refused_and_keeps_the_other_edit(client, world, private_media):
    meeting = plan(world)
    client.force_login(world.users.responsable)
    url = reverse("committee_minutes", args=[meeting.pk])
    client.post(url, {"version": 1, "minutes": "Version de la responsable"})
    client.force_login(world.users.gestionnaire)
    response = client.post(url, {"version": 1, "minutes": "Version du gestionnaire"})
    assert "modifiée par quelqu" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.minutes == "Version de la responsable"


def test_the_minutes_file_is_downloaded_by_a_partner_of_the_house(client, world):
    meeting = hold(world, plan(world), minutes="", upload=docx())
    client.force_login(world.users.referent_caf)
    response = client.get(reverse("committee_minutes_file", args=[meeting.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"PK")


def test_a_partner_reads_but_does_not_keep_the_committee(client, world):
    meeting = hold(world, plan(world))
    client.force_login(world.users.referent_caf)
    page = client.get(reverse("committee_meeting", args=[meeting.pk])).content.decode()
    assert "Ouvrir une permanence CAF le mardi" in page
    assert "Compte rendu et décisions" not in page
    response = client.post(
        reverse("committee_minutes", args=[meeting.pk]), {"version": 2, "minutes": "Autre"}
    )
    assert response.status_code == 403


def test_an_agent_of_another_house_never_sees_the_meeting(client, world):
    meeting = hold(world, plan(world))
    client.force_login(world.users.other_agent)
    assert client.get(reverse("committee_meeting", args=[meeting.pk])).status_code == 404
    assert client.get(reverse("committee_list", args=[world.house.pk])).status_code == 404


def test_the_house_navigation_links_the_committee(client, world):
    client.force_login(world.users.agent)
    page = client.get(reverse("committee_list", args=[world.house.pk])).content.decode()
    assert f'href="{reverse("committee_list", args=[world.house.pk])}" aria-current="page"' in page
    assert "Prévoir une réunion" not in page  # an agent reads only


def test_presence_is_recorded_through_the_screen(client, world):
    meeting = plan(world)
    member = meeting.members.first()
    client.force_login(world.users.responsable)
    response = client.post(
        reverse("committee_presence", args=[meeting.pk]),
        {"version": 1, **{f"member_{m.pk}": "present" for m in meeting.members.all()}},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.presence == "present"
