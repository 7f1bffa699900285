"""No input reaches a 500 (issue 8, item 12): the register screens at the edges of the calendar.

A register item dated year 1 would be "overdue" for ever: every date typed on a register screen
(reception, answer, new deadline, list filters) is checked against the plausible window of
msap.core.rules, with a French form error, and nothing is stored.
"""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from msap.registers.models import RegisterItem
from tests import factories as f
from tests.registers import text

EDGE_DAYS = ["0001-01-01", "1999-12-31", "9999-12-31"]
EDGE_MOMENTS = ["0001-01-01T00:00", "1999-12-31T23:00", "9999-12-31T23:59"]


def implausible(html: str) -> bool:
    return "loi n° 2000-321" in html or "Date trop lointaine" in html


def post_implausible(agent, item, action, **fields):
    """Post one of the item's actions: the form comes back saying the date is implausible."""
    data = {
        f"{action}-{name}": value for name, value in {"version": item.version, **fields}.items()
    }
    response = agent.post(reverse("item_action", args=[item.pk, action]), data)
    assert response.status_code == 200
    assert implausible(text(response))


@pytest.fixture
def agent(world):
    client = Client(raise_request_exception=False)
    client.force_login(world.users.agent)
    return client


@pytest.mark.parametrize("name", ["start", "end"])
@pytest.mark.parametrize("day", EDGE_DAYS)
def test_list_filter_outside_the_window_is_a_form_error(agent, world, name, day):
    url = reverse("register_list", args=[world.house.pk, "courrier-arrive"])
    response = agent.get(url, {name: day})
    assert response.status_code == 200
    assert implausible(text(response))


@pytest.mark.parametrize("moment", EDGE_MOMENTS)
def test_an_item_received_outside_the_window_is_a_form_error_and_not_stored(agent, world, moment):
    url = reverse("item_new", args=[world.house.pk, "courrier-arrive"])
    response = agent.post(url, {"received_at": moment, "subject": "Objet", "channel": "post"})
    assert response.status_code == 200
    assert implausible(text(response))
    assert not RegisterItem.objects.exists()


@pytest.mark.parametrize("moment", ["0001-01-01T00:00", "9999-12-31T23:59"])
def test_an_answer_dated_outside_the_window_is_a_form_error(agent, world, moment):
    item = f.RegisterItemFactory(house=world.house)
    post_implausible(agent, item, "answer", answered_at=moment, answer_text="R")
    item.refresh_from_db()
    assert (item.status, item.answered_at) == ("new", None)


@pytest.mark.parametrize("day", EDGE_DAYS)
def test_a_new_deadline_outside_the_window_is_refused(agent, world, day):
    item = f.RegisterItemFactory(
        house=world.house,
        received_at=timezone.now() - timedelta(days=1),
    )
    due_at = item.due_at
    post_implausible(agent, item, "due", due_date=day, reason="Test")
    item.refresh_from_db()
    assert item.due_at == due_at
