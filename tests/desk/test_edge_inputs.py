"""No input reaches a 500 (issue 8, item 12): the desk's screens at the edges of the calendar.

The board's reference day and the quick entry's date are checked against the plausible window
of msap.core.rules; ids read from a query string are bounded to 64 bits.
"""

from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from msap.desk.models import ServiceRequest
from tests.desk import entry_payload


def text(response) -> str:
    return unescape(response.content.decode())


EDGE_DAYS = ["0001-01-01", "1999-12-31", "9999-12-31"]


@pytest.fixture
def agent(world):
    client = Client(raise_request_exception=False)
    client.force_login(world.users.agent)
    return client


@pytest.mark.parametrize("periode", ["semaine", "mois", "annee"])
@pytest.mark.parametrize("day", EDGE_DAYS)
def test_board_with_an_implausible_day_shows_the_current_period_and_says_why(
    agent, world, periode, day
):
    response = agent.get(
        reverse("desk_board", args=[world.house.pk]), {"periode": periode, "date": day}
    )
    assert response.status_code == 200
    html = text(response)
    assert "La période en cours est affichée." in html
    assert "loi n° 2000-321" in html or "Date trop lointaine" in html


@pytest.mark.parametrize("moment", ["0001-01-01T00:00", "1999-12-31T23:00", "9999-12-31T23:59"])
def test_quick_entry_dated_outside_the_window_is_a_form_error_and_stores_nothing(
    agent, world, moment
):
    response = agent.post(reverse("desk_entry"), entry_payload(world.house, occurred_at=moment))
    assert response.status_code == 200
    html = text(response)
    assert "loi n° 2000-321" in html or "Date trop lointaine" in html
    assert not ServiceRequest.objects.exists()


@pytest.mark.parametrize("number", ["9223372036854775808", "99999999999999999999999", "²"])
def test_ids_in_query_strings_beyond_64_bits_or_not_ascii_are_ignored(agent, world, number):
    for url, params in [
        (reverse("desk_entry"), {"maison": number, "enregistree": number}),
        (reverse("desk_procedures"), {"partner": number}),
        (reverse("import_upload"), {"house": number}),
    ]:
        assert agent.get(url, params).status_code == 200, url
