"""The attendance tool over the API: POST /api/v1/requests and GET /api/v1/requests."""

import json
from datetime import datetime, timedelta
from typing import get_args
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from msap.api import schemas
from msap.desk.models import NEEDS, AgeBand, Autonomy, Channel, Outcome, Procedure, ServiceRequest
from msap.dossiers.models import LinkedRequest
from tests import factories as f
from tests.api.client import bearer
from tests.api.client import post as post_json

URL = "/api/v1/requests"
PARIS = ZoneInfo("Europe/Paris")
REUNION = ZoneInfo("Indian/Reunion")


def post(client, user, body, **headers):
    return post_json(client, user, URL, body, **headers)


def get(client, user, **params):
    return client.get(URL, params, headers=bearer(user))


def body(house, **overrides):
    data = {
        "house": house.pk,
        "occurred_at": "2025-03-04T10:15:00+01:00",
        "channel": "counter",
        "partner": "caf",
        "category": "B1",
        "item": "B1.3",
        "duration_minutes": 20,
        "outcome": "answered",
    }
    data.update(overrides)
    return data


def ids(response):
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["items"]}


# --- schema ------------------------------------------------------------------------------------


def test_openapi_schema_lists_post_and_get_requests(client, db):
    schema = client.get("/api/v1/openapi.json").json()

    operations = schema["paths"]["/api/v1/requests"]
    assert {"get", "post"} <= set(operations)
    assert operations["post"]["security"] and operations["get"]["security"]
    parameters = {p["name"] for p in operations["post"]["parameters"]}
    assert "Idempotency-Key" in parameters


def test_api_codes_are_the_models_choices():
    assert set(get_args(schemas.ChannelCode)) == set(Channel.values)
    assert set(get_args(schemas.OutcomeCode)) == set(Outcome.values)
    assert set(get_args(schemas.AutonomyCode)) - {""} == set(Autonomy.values)
    assert set(get_args(schemas.AgeBandCode)) == set(AgeBand.values)
    assert {f"need_{c}" for c in get_args(schemas.NeedCode)} == {name for name, _l in NEEDS}


# --- recording -----------------------------------------------------------------------------------


def test_agent_records_a_request_by_codes_and_gets_201(client, one_house):
    procedure = Procedure.objects.get(partner__code="caf", label="Prime d'activité")

    response = post(
        client,
        one_house.users.agent,
        body(
            one_house.house,
            other_partners=["france-travail"],
            procedure="Prime d'activité",
            needs=["language", "crisis"],
            age_band="26_39",
            autonomy="with_help",
            commune="19272",
            first_visit=True,
            notes="Relancer la semaine prochaine",
        ),
    )

    assert response.status_code == 201, response.content
    out = response.json()
    stored = ServiceRequest.objects.get()
    assert out["id"] == stored.pk
    assert stored.house == one_house.house and stored.agent == one_house.users.agent
    assert (
        stored.partner.code == "caf" and stored.category.code == "B1" and stored.item.code == "B1.3"
    )
    assert stored.procedure == procedure
    assert stored.need_language and stored.need_crisis and not stored.need_disability
    assert stored.commune_id == "19272" and stored.duration_minutes == 20
    assert stored.occurred_at == datetime(2025, 3, 4, 10, 15, tzinfo=PARIS)
    assert out["partner"] == "caf" and out["other_partners"] == ["france-travail"]
    assert out["item"] == "B1.3" and out["procedure"] == {
        "id": procedure.pk,
        "label": "Prime d'activité",
    }
    assert out["needs"] == ["language", "crisis"] and out["commune"] == "19272"
    assert out["notes"] == "Relancer la semaine prochaine" and out["has_dossier"] is False
    assert "dossier" not in out


def test_occurred_at_defaults_to_now_and_naive_time_is_the_house_clock(client, one_house):
    first = post(client, one_house.users.agent, body(one_house.house, occurred_at=None))
    second = post(
        client, one_house.users.agent, body(one_house.house, occurred_at="2025-03-04T10:15:00")
    )

    assert first.status_code == second.status_code == 201
    now_stored = ServiceRequest.objects.get(pk=first.json()["id"]).occurred_at
    assert abs((timezone.now() - now_stored).total_seconds()) < 60
    naive = ServiceRequest.objects.get(pk=second.json()["id"]).occurred_at
    assert naive == datetime(2025, 3, 4, 10, 15, tzinfo=PARIS)


def test_same_idempotency_key_twice_records_one_request(client, one_house):
    key = {"Idempotency-Key": "3f6c2a1e-saisie-guichet-42"}

    first = post(client, one_house.users.agent, body(one_house.house), **key)
    second = post(client, one_house.users.agent, body(one_house.house), **key)

    assert first.status_code == 201
    assert second.status_code == 200
    assert second.json()["id"] == first.json()["id"]
    assert ServiceRequest.objects.count() == 1


def test_same_idempotency_key_without_a_date_twice_records_one_request(client, world):
    # "now" is not part of what a retry repeats: it comes later.
    key = {"Idempotency-Key": "sans-date-1"}
    first = post(client, world.users.agent, body(world.house, occurred_at=None), **key)
    second = post(client, world.users.agent, body(world.house, occurred_at=None), **key)
    assert (first.status_code, second.status_code) == (201, 200)
    assert ServiceRequest.objects.count() == 1


@pytest.mark.parametrize(
    "change",
    [
        {"duration_minutes": 45},
        {"partner": "msa"},
        {"occurred_at": "2025-03-04T10:16:00+01:00"},
        {"other_partners": ["msa"]},
        {"notes": "autre chose"},
    ],
)
def test_a_reused_idempotency_key_with_another_body_is_a_422_in_french(client, world, change):
    key = {"Idempotency-Key": "cle-reutilisee"}
    first = post(client, world.users.agent, body(world.house), **key)
    second = post(client, world.users.agent, body(world.house, **change), **key)

    assert first.status_code == 201
    assert second.status_code == 422
    answer = second.json()
    assert "a déjà servi pour la demande n°" in answer["detail"]
    assert answer["errors"]["Idempotency-Key"] == [answer["detail"]]
    stored = ServiceRequest.objects.get()
    assert (stored.pk, stored.duration_minutes, stored.notes) == (first.json()["id"], 20, "")


def test_a_reused_idempotency_key_for_another_house_is_a_422(client, world):
    f.MembershipFactory(user=world.users.agent, role="agent", house=world.other)
    key = {"Idempotency-Key": "cle-deux-maisons"}
    assert post(client, world.users.agent, body(world.house), **key).status_code == 201
    assert post(client, world.users.agent, body(world.other), **key).status_code == 422
    assert ServiceRequest.objects.count() == 1


def test_unknown_codes_are_refused_in_french_and_nothing_saved(client, one_house):
    response = post(
        client,
        one_house.users.agent,
        body(
            one_house.house,
            partner="xyz",
            category="Z",
            item="Z9.9",
            commune="99999",
            procedure=999999,
        ),
    )

    assert response.status_code == 400
    out = response.json()
    assert "Partenaire inconnu" in out["detail"]
    assert set(out["errors"]) == {"partner", "category", "item", "commune", "procedure"}
    assert "Catégorie inconnue" in out["errors"]["category"][0]
    assert "Commune inconnue" in out["errors"]["commune"][0]
    assert ServiceRequest.objects.count() == 0


def test_unknown_channel_is_refused_with_a_french_message(client, one_house):
    response = post(client, one_house.users.agent, body(one_house.house, channel="pigeon"))

    assert response.status_code == 422
    assert "Valeur inconnue" in response.json()["errors"]["channel"][0]
    assert ServiceRequest.objects.count() == 0


def test_future_date_is_refused_and_nothing_saved(client, one_house):
    tomorrow = (timezone.now() + timedelta(days=1)).isoformat()

    response = post(client, one_house.users.agent, body(one_house.house, occurred_at=tomorrow))

    assert response.status_code == 400
    assert "futur" in response.json()["detail"]
    assert ServiceRequest.objects.count() == 0


def test_duration_over_8_hours_is_refused_and_nothing_saved(client, one_house):
    response = post(client, one_house.users.agent, body(one_house.house, duration_minutes=481))

    assert response.status_code == 400
    assert "480 minutes" in response.json()["errors"]["duration_minutes"][0]
    assert ServiceRequest.objects.count() == 0


def test_item_of_another_category_is_refused(client, world):
    response = post(client, world.users.agent, body(world.house, category="A", item="B1.3"))

    assert response.status_code == 400
    assert "n'appartient pas" in response.json()["errors"]["item"][0]


def test_nul_characters_are_refused_in_french_not_crashing(client, one_house):
    response = post(
        client,
        one_house.users.agent,
        body(one_house.house, other_partners=["caf\x00"], procedure="a\x00"),
    )

    assert response.status_code == 422
    fields = set(response.json()["errors"])
    assert "other_partners.0" in fields and any(f.startswith("procedure") for f in fields)
    assert ServiceRequest.objects.count() == 0


def test_too_long_idempotency_key_is_refused(client, one_house):
    response = post(
        client, one_house.users.agent, body(one_house.house), **{"Idempotency-Key": "k" * 65}
    )

    assert response.status_code == 422
    assert ServiceRequest.objects.count() == 0


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("other_agent", 404),
        ("referent_caf", 403),
        ("prefecture", 403),
        ("national", 403),
        ("norole", 404),
    ],
)
def test_only_the_house_staff_may_record_there(client, world, role, status):
    response = post(client, getattr(world.users, role), body(world.house))

    assert response.status_code == status
    assert response.json()["detail"]
    assert ServiceRequest.objects.count() == 0


def test_recording_without_credentials_is_401(client, one_house):
    response = client.post(
        URL, data=json.dumps(body(one_house.house)), content_type="application/json"
    )

    assert response.status_code == 401
    assert ServiceRequest.objects.count() == 0


# --- listing -------------------------------------------------------------------------------------


@pytest.fixture
def activity(world):
    """Requests in the three houses; `far` has CAF requests but CAF is not its partner."""
    users = world.users
    far_agent = f.UserFactory(email="agent.gueret@test.fr")
    f.MembershipFactory(user=far_agent, role="agent", house=world.far)
    return {
        "house_caf": f.ServiceRequestFactory(
            agent=users.agent, house=world.house, notes="note Tulle"
        ),
        "house_ft": f.ServiceRequestFactory(
            agent=users.agent, house=world.house, partner="france-travail", category="B2"
        ),
        "house_cpam_with_caf": f.ServiceRequestFactory(
            agent=users.agent, house=world.house, partner="cpam"
        ),
        "other_caf": f.ServiceRequestFactory(
            agent=users.other_agent, house=world.other, notes="note Ussel"
        ),
        "far_caf": f.ServiceRequestFactory(agent=far_agent, house=world.far),
    }


def _link_caf(activity):
    activity["house_cpam_with_caf"].other_partners.set([f.national_partner("caf")])


def test_agent_lists_only_their_houses_requests(client, world, activity):
    assert ids(get(client, world.users.agent)) == {
        activity[k].pk for k in ("house_caf", "house_ft", "house_cpam_with_caf")
    }
    assert ids(get(client, world.users.other_agent)) == {activity["other_caf"].pk}


def test_referent_lists_only_its_partners_requests_in_its_houses(client, world, activity):
    _link_caf(activity)

    seen = ids(get(client, world.users.referent_caf))

    assert seen == {activity[k].pk for k in ("house_caf", "house_cpam_with_caf", "other_caf")}
    assert ids(get(client, world.users.referent_msa)) == set()


def test_prefecture_lists_its_departement_and_national_everything(client, world, activity):
    in_19 = {activity[k].pk for k in ("house_caf", "house_ft", "house_cpam_with_caf", "other_caf")}

    assert ids(get(client, world.users.prefecture)) == in_19
    assert ids(get(client, world.users.national)) == in_19 | {activity["far_caf"].pk}


def test_user_without_role_lists_nothing(client, world, activity):
    assert ids(get(client, world.users.norole)) == set()


def test_notes_are_shown_to_the_house_staff_only(client, world, activity):
    def notes(user):
        items = get(client, user, house=world.house.pk).json()["items"]
        return {item["id"]: item["notes"] for item in items}

    pk = activity["house_caf"].pk
    assert notes(world.users.agent)[pk] == "note Tulle"
    assert notes(world.users.gestionnaire)[pk] == "note Tulle"
    for reader in ("referent_caf", "prefecture", "national"):
        assert notes(getattr(world.users, reader))[pk] is None


def test_a_dossier_is_at_most_a_boolean(client, world, activity):
    dossier = f.DossierFactory(
        house=world.house, consent_purpose="Suivi RSA", first_name="Jeanne", last_name="Martin"
    )
    linked = activity["house_caf"]
    LinkedRequest.objects.create(request=linked, dossier=dossier)

    response = get(client, world.users.agent, house=world.house.pk)

    item = next(i for i in response.json()["items"] if i["id"] == linked.pk)
    assert item["has_dossier"] is True
    assert [key for key in item if "dossier" in key] == ["has_dossier"]
    assert "Martin" not in response.content.decode()


def test_list_filters_by_house_dates_partner_category_and_channel(client, world, activity):
    old = f.ServiceRequestFactory(
        agent=world.users.agent,
        house=world.house,
        occurred_at=datetime(2024, 6, 10, 15, 0, tzinfo=PARIS),
        channel="phone",
    )
    agent = world.users.agent

    assert ids(
        get(client, agent, house=world.house.pk, date_from="2024-06-10", date_to="2024-06-10")
    ) == {old.pk}
    assert ids(get(client, agent, date_to="2024-06-09")) == set()
    assert ids(get(client, agent, partner="france-travail")) == {activity["house_ft"].pk}
    assert ids(get(client, agent, category="B2")) == {activity["house_ft"].pk}
    assert ids(get(client, agent, channel="phone")) == {old.pk}


def test_list_dates_are_each_house_own_days_overseas_included(client, world):
    # 00:30 on 11 June in Réunion is still 10 June in Paris: the request is of Réunion's 11 June.
    agent = world.users.agent
    reunion = f.overseas_house_of(agent)
    late_paris = f.ServiceRequestFactory(
        agent=agent, house=world.house, occurred_at=datetime(2024, 6, 10, 23, 30, tzinfo=PARIS)
    )
    early_reunion = f.ServiceRequestFactory(
        agent=agent, house=reunion, occurred_at=datetime(2024, 6, 11, 0, 30, tzinfo=REUNION)
    )

    assert ids(get(client, agent, date_from="2024-06-11", date_to="2024-06-11")) == {
        early_reunion.pk
    }
    assert ids(get(client, agent, date_from="2024-06-10", date_to="2024-06-10")) == {late_paris.pk}
    assert ids(get(client, agent, house=reunion.pk, date_to="2024-06-10")) == set()


def test_list_is_newest_first_and_paginated(client, world, activity):
    agent = world.users.agent
    older = f.ServiceRequestFactory(
        agent=agent, house=world.house, occurred_at=timezone.now() - timedelta(days=3)
    )

    full = get(client, agent).json()
    page = get(client, agent, limit=1, offset=3).json()

    stamps = [item["occurred_at"] for item in full["items"]]
    assert stamps == sorted(stamps, reverse=True)
    assert full["count"] == 4 and page["count"] == 4
    assert [item["id"] for item in page["items"]] == [older.pk]


def test_list_refuses_a_limit_over_1000(client, one_house):
    response = get(client, one_house.users.agent, limit=1001)

    assert response.status_code == 422
    assert "1000" in response.json()["errors"]["limit"][0]


def test_list_refuses_unknown_codes_in_french(client, world, activity):
    response = get(client, world.users.agent, partner="inconnu", category="Z")

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"partner", "category"}


def test_list_of_an_unseen_house_is_404(client, world, activity):
    response = get(client, world.users.agent, house=world.other.pk)

    assert response.status_code == 404
    assert "introuvable" in response.json()["detail"]


def test_list_without_credentials_is_401(client, one_house):
    assert client.get(URL).status_code == 401


def test_list_query_count_does_not_grow_with_the_page(client, one_house):
    agent = one_house.users.agent
    ft = f.national_partner("france-travail")

    def count_queries():
        with CaptureQueriesContext(connection) as ctx:
            assert get(client, agent).status_code == 200
        return len(ctx.captured_queries)

    for _i in range(3):
        f.ServiceRequestFactory(agent=agent, house=one_house.house).other_partners.set([ft])
    count_queries()  # the first request stores the agent's roles snapshot (people/roles.py)
    few = count_queries()
    for _i in range(25):
        f.ServiceRequestFactory(
            agent=agent, house=one_house.house, partner="cpam"
        ).other_partners.set([ft])
    many = count_queries()

    assert many == few
    assert many <= 10
