"""The author corrects or deletes a request within the edit window; every change is journaled."""

from datetime import timedelta
from html import unescape

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from msap.core.models import JournalEntry
from msap.desk import rules
from msap.desk.models import ServiceRequest
from tests import factories as f
from tests.desk import entry_payload


def text(response) -> str:
    return unescape(response.content.decode())


@pytest.fixture
def recorded(one_house):
    """A request the agent recorded ten minutes ago, through the service."""
    return f.ServiceRequestFactory(
        house=one_house.house,
        partner=None,
        category="A",
        occurred_at=timezone.now() - timedelta(minutes=10),
        idempotency_key="k-1",
    )


def edit_payload(world, obj, **overrides) -> dict:
    data = entry_payload(
        world.house, duration_minutes="25", outcome="oriented", version=str(obj.version)
    )
    for name in ("house", "key"):
        data.pop(name)
    data.update(overrides)
    return data


def edit_url(obj):
    return reverse("desk_request_edit", args=[obj.pk])


def delete_url(obj):
    return reverse("desk_request_delete", args=[obj.pk])


def test_author_edits_within_the_window_and_the_change_is_journaled(client, one_house, recorded):
    client.force_login(one_house.users.agent)
    page = client.get(edit_url(recorded))
    assert page.status_code == 200
    assert f'name="version" value="{recorded.version}"' in text(page)
    response = client.post(edit_url(recorded), edit_payload(one_house, recorded))
    assert response.status_code == 302
    recorded.refresh_from_db()
    assert (
        recorded.duration_minutes,
        recorded.outcome,
        recorded.partner.code,
        recorded.category.code,
    ) == (25, "oriented", "caf", "B1")
    assert recorded.version == 2
    entry = JournalEntry.objects.get(action="request.updated", target_id=str(recorded.pk))
    assert entry.actor == one_house.users.agent
    assert entry.changes["duration_minutes"] == [10, 25]
    assert "Demande modifiée." in text(client.get(reverse("desk_day")))


def test_an_empty_date_keeps_the_recorded_time(client, one_house, recorded):
    before = recorded.occurred_at
    client.force_login(one_house.users.agent)
    client.post(edit_url(recorded), edit_payload(one_house, recorded, occurred_at=""))
    recorded.refresh_from_db()
    assert recorded.occurred_at == before


def test_a_stale_version_is_refused_and_nothing_changed(client, one_house, recorded):
    client.force_login(one_house.users.agent)
    response = client.post(
        edit_url(recorded),
        edit_payload(one_house, recorded, version=str(recorded.version - 1 or 99)),
    )
    assert "a été modifiée par quelqu'un d'autre" in text(response)
    recorded.refresh_from_db()
    assert recorded.duration_minutes == 10 and recorded.version == 1


def test_a_bad_correction_is_refused_in_french_and_nothing_changed(client, one_house, recorded):
    client.force_login(one_house.users.agent)
    response = client.post(
        edit_url(recorded), edit_payload(one_house, recorded, duration_minutes="600")
    )
    assert "La durée doit être comprise entre 0 et 480 minutes (8 heures)." in text(response)
    recorded.refresh_from_db()
    assert recorded.duration_minutes == 10
    assert not JournalEntry.objects.filter(action="request.updated").exists()


def test_author_deletes_within_the_window_and_the_deletion_is_journaled(
    client, one_house, recorded
):
    client.force_login(one_house.users.agent)
    response = client.post(delete_url(recorded), {"next": reverse("desk_entry")})
    assert response.status_code == 302
    assert response["Location"] == reverse("desk_entry")
    assert not ServiceRequest.objects.filter(pk=recorded.pk).exists()
    entry = JournalEntry.objects.get(action="request.deleted", target_id=str(recorded.pk))
    assert entry.actor == one_house.users.agent and entry.house_id == one_house.house.pk


def test_delete_does_not_redirect_to_another_site(client, world, recorded):
    client.force_login(world.users.agent)
    response = client.post(delete_url(recorded), {"next": "https://exemple.com/"})
    assert response["Location"] == reverse("desk_day")


def test_a_get_of_the_delete_url_only_asks_for_confirmation(client, world, recorded):
    client.force_login(world.users.agent)
    page = client.get(delete_url(recorded))
    assert page.status_code == 200 and "Cette action est définitive" in page.content.decode()
    assert ServiceRequest.objects.filter(pk=recorded.pk).exists()


def test_after_the_window_edit_and_delete_are_refused(client, one_house, recorded):
    later = timezone.now() + rules.edit_window() + timedelta(minutes=1)
    with time_machine.travel(later, tick=False):
        client.force_login(one_house.users.agent)  # a new working day, a new session
        page = client.get(edit_url(recorded))
        assert page.status_code == 403
        assert "Le délai de modification est dépassé" in text(page)
        assert client.post(edit_url(recorded), edit_payload(one_house, recorded)).status_code == 403
        assert client.post(delete_url(recorded)).status_code == 403
        day = text(client.get(reverse("desk_day")))
    recorded.refresh_from_db()
    assert recorded.duration_minutes == 10
    assert not JournalEntry.objects.filter(
        action__in=["request.updated", "request.deleted"]
    ).exists()
    assert edit_url(recorded) not in day


def test_just_inside_the_window_the_author_still_edits(client, one_house, recorded):
    with time_machine.travel(
        recorded.created_at + rules.edit_window() - timedelta(minutes=1), tick=False
    ):
        client.force_login(one_house.users.agent)
        assert client.post(edit_url(recorded), edit_payload(one_house, recorded)).status_code == 302


@pytest.mark.parametrize("role", ["responsable", "gestionnaire"])
def test_a_colleague_of_the_same_house_may_not_edit_or_delete(client, world, recorded, role):
    client.force_login(getattr(world.users, role))
    assert client.get(edit_url(recorded)).status_code == 403
    assert client.post(edit_url(recorded), edit_payload(world, recorded)).status_code == 403
    response = client.post(delete_url(recorded))
    assert response.status_code == 403
    assert "Seul l'agent qui a enregistré la demande" in text(response)
    recorded.refresh_from_db()
    assert recorded.duration_minutes == 10


@pytest.mark.parametrize("role", ["other_agent", "referent_msa", "norole"])
def test_people_outside_the_house_do_not_see_the_request(client, world, recorded, role):
    client.force_login(getattr(world.users, role))
    assert client.get(edit_url(recorded)).status_code == 404
    assert client.post(delete_url(recorded)).status_code == 404
    assert ServiceRequest.objects.filter(pk=recorded.pk).exists()


@pytest.mark.parametrize("role", ["referent_caf", "prefecture", "national"])
def test_who_sees_the_house_from_outside_is_refused_the_request_as_for_a_register_item(
    client, world, recorded, role
):
    # One rule for every record of a house (msap.permissions): 404 where the house is unseen,
    # 403 where it is seen but the record is not theirs to change.
    client.force_login(getattr(world.users, role))
    assert client.get(edit_url(recorded)).status_code == 403
    response = client.post(delete_url(recorded))
    assert response.status_code == 403
    assert "Seul l'agent qui a enregistré la demande" in text(response)
    assert ServiceRequest.objects.filter(pk=recorded.pk).exists()


def test_anonymous_visitors_cannot_delete(client, one_house, recorded):
    response = client.post(delete_url(recorded))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert ServiceRequest.objects.filter(pk=recorded.pk).exists()


def test_the_duration_message_states_the_rule_bounds():
    """The bounds of a request's duration are said from desk.rules' constants."""
    message = str(rules.DURATION_MESSAGE)
    assert f"entre {rules.MIN_DURATION_MINUTES} et {rules.MAX_DURATION_MINUTES} minutes" in message
