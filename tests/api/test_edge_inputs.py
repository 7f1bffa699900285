"""No input reaches a 500 (issue 8, item 12): the API's edge dates and integers.

Every date a system gives is checked against the plausible window of msap.core.rules (nothing
before the law of 12 April 2000 that created the houses, nothing in the future beyond the clock
drift); every integer parameter is bounded. A refusal is a 400 or a 422 in French, and stores
nothing.
"""

import json

import pytest
from django.test import Client

from msap.desk.models import ServiceRequest
from msap.people.models import ApiToken
from msap.registers.models import RegisterItem

EDGE_MOMENTS = [
    "0001-01-01",
    "0001-01-01T00:00:00",
    "0001-01-01T00:00:00+14:00",
    "0001-01-01T00:00:00-12:00",
    "1999-12-31T23:00:00+01:00",
    "9999-12-31",
    "9999-12-31T23:59:59",
    "9999-12-31T23:59:59-12:00",
    "9999-12-31T23:59:59+14:00",
]
EDGE_DAYS = ["0001-01-01", "1999-12-31", "9999-12-31"]
HUGE = ["9223372036854775808", "99999999999999999999999", str(10**40)]


@pytest.fixture
def api(world):
    """A client that reports a server error as a 500 (instead of raising it) and a real token."""
    client = Client(raise_request_exception=False)
    _obj, token = ApiToken.issue(world.users.agent, "test")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client


def post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def refused_in_french(response, field):
    assert response.status_code in (400, 422), response.content
    answer = response.json()
    assert field in answer["errors"], answer
    message = " ".join(answer["errors"][field])
    assert "loi n° 2000-321" in message or "futur" in message or "lointaine" in message, message


@pytest.mark.parametrize("moment", EDGE_MOMENTS)
def test_a_request_dated_outside_the_plausible_window_is_refused_and_not_stored(api, world, moment):
    body = {"house": world.house.pk, "occurred_at": moment, "category": "B1"}
    refused_in_french(post(api, "/api/v1/requests", body), "occurred_at")
    assert not ServiceRequest.objects.exists()


@pytest.mark.parametrize("moment", EDGE_MOMENTS)
def test_a_register_item_dated_outside_the_plausible_window_is_refused_and_not_stored(
    api, world, moment
):
    body = {"house": world.house.pk, "kind": "mail_in", "subject": "x", "received_at": moment}
    refused_in_french(post(api, "/api/v1/register-items", body), "received_at")
    assert not RegisterItem.objects.exists()


@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00"])
def test_an_answer_dated_outside_the_plausible_window_is_refused(api, world, moment):
    created = post(
        api, "/api/v1/register-items", {"house": world.house.pk, "kind": "email", "subject": "x"}
    ).json()
    response = post(
        api,
        f"/api/v1/register-items/{created['id']}/status",
        {"to": "answered", "version": created["version"], "answered_at": moment},
    )
    refused_in_french(response, "answered_at")
    item = RegisterItem.objects.get(pk=created["id"])
    assert (item.status, item.answered_at) == ("new", None)


@pytest.mark.parametrize("url", ["/api/v1/requests", "/api/v1/register-items"])
@pytest.mark.parametrize("name", ["date_from", "date_to"])
@pytest.mark.parametrize("day", EDGE_DAYS)
def test_a_list_filter_outside_the_plausible_window_is_refused_in_french(
    api, world, url, name, day
):
    refused_in_french(api.get(url, {name: day}), name)
    refused_in_french(api.get(url, {name: day, "house": world.house.pk}), name)


@pytest.mark.parametrize("url", ["/api/v1/houses", "/api/v1/requests", "/api/v1/register-items"])
@pytest.mark.parametrize("name", ["offset", "limit", "house"])
@pytest.mark.parametrize("number", HUGE)
def test_an_integer_beyond_64_bits_in_a_list_is_a_422_in_french(api, world, url, name, number):
    if url == "/api/v1/houses" and name == "house":
        name = "departement"  # the directory has no house filter: a huge code instead
    response = api.get(url, {name: number})
    assert response.status_code == 422, response.content
    assert name in response.json()["errors"]


@pytest.mark.parametrize("number", HUGE)
def test_an_integer_beyond_64_bits_in_a_body_or_a_path_is_refused(api, world, number):
    body = {"house": int(number), "category": "B1"}
    assert post(api, "/api/v1/requests", body).status_code == 422
    response = api.post(
        f"/api/v1/register-items/{number}/status",
        json.dumps({"to": "closed", "version": 1}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert api.get(f"/api/v1/houses/{number}").status_code == 422
    assert api.get(f"/api/v1/houses/{number}/referents").status_code == 422
