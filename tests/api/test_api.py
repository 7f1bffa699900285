"""The REST API: public directory, staff-only referents, personal tokens, French JSON errors."""

import json
from datetime import date, timedelta

import pytest
import time_machine
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from msap.api.api import api
from msap.core.errors import DomainError
from msap.network.models import Equipment, HouseStatus
from msap.partners.models import ServiceItem
from msap.people.models import ApiToken
from tests import factories as f
from tests.api.client import bearer

LIST = "/api/v1/houses"
OPENAPI = "/api/v1/openapi.json"
REFERENT_SECRETS = ["05 55 99 88 77", "claire.dumont.privee@caf.exemple.fr", "Dumont"]


def detail_url(house):
    return f"/api/v1/houses/{house.pk}"


def referents_url(house):
    return f"/api/v1/houses/{house.pk}/referents"


def names(response):
    return {item["name"] for item in response.json()["items"]}


def assert_french_error(response, status):
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert isinstance(body["detail"], str) and body["detail"]
    assert "Traceback" not in response.content.decode()
    return body["detail"]


# --- schema and docs ------------------------------------------------------------------------------


def test_openapi_schema_is_openapi_3_json_listing_the_three_paths(client, db):
    response = client.get(OPENAPI)

    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "msap API"
    assert {"/api/v1/houses", "/api/v1/houses/{id}", "/api/v1/houses/{id}/referents"} <= set(
        schema["paths"]
    )
    # Only the referents endpoint requires credentials.
    assert "security" not in schema["paths"]["/api/v1/houses"]["get"]
    assert schema["paths"]["/api/v1/houses/{id}/referents"]["get"]["security"]


def test_docs_page_is_served(client, db):
    assert client.get("/api/v1/docs").status_code == 200


# --- public directory -----------------------------------------------------------------------------


def test_anonymous_directory_lists_recognised_houses_only(client, world):
    f.HouseFactory(name="Maison en projet", status=HouseStatus.PROJECT, recognised_on=None)
    f.HouseFactory(name="Maison fermée", status=HouseStatus.CLOSED, closed_on=date(2025, 1, 1))

    response = client.get(LIST)

    assert response.status_code == 200
    assert names(response) == {world.house.name, world.other.name, world.far.name}
    assert response.json()["count"] == 3


def test_user_with_a_role_also_sees_project_houses_of_their_scope_only(client, world):
    own_project = f.HouseFactory(
        name="Projet de l'agent", status=HouseStatus.PROJECT, recognised_on=None
    )
    f.MembershipFactory(user=world.users.agent, house=own_project)
    f.HouseFactory(name="Projet d'ailleurs", status=HouseStatus.PROJECT, recognised_on=None)

    as_agent = client.get(LIST, headers=bearer(world.users.agent))
    as_norole = client.get(LIST, headers=bearer(world.users.norole))

    assert "Projet de l'agent" in names(as_agent)
    assert "Projet d'ailleurs" not in names(as_agent)
    assert "Projet de l'agent" not in names(as_norole)


def test_browser_session_user_sees_project_houses_of_their_scope(client, world):
    own_project = f.HouseFactory(
        name="Projet de l'agent", status=HouseStatus.PROJECT, recognised_on=None
    )
    f.MembershipFactory(user=world.users.agent, house=own_project)
    client.force_login(world.users.agent)

    assert "Projet de l'agent" in names(client.get(LIST))


def test_directory_filters_by_departement_status_and_name(client, world):
    assert names(client.get(LIST, {"departement": "23"})) == {world.far.name}
    assert names(client.get(LIST, {"departement": "19"})) == {world.house.name, world.other.name}
    assert names(client.get(LIST, {"q": "ussel"})) == {world.other.name}
    assert names(client.get(LIST, {"status": "recognised", "q": "Tulle"})) == {world.house.name}
    # The public never sees projects, even when asking for them.
    assert names(client.get(LIST, {"status": "project"})) == set()


def test_limit_and_offset_page_the_directory_in_name_order(client, world):
    first = client.get(LIST, {"limit": 2}).json()
    rest = client.get(LIST, {"limit": 2, "offset": 2}).json()

    assert first["count"] == rest["count"] == 3
    assert (first["limit"], first["offset"]) == (2, 0)
    ordered = [i["name"] for i in first["items"]] + [i["name"] for i in rest["items"]]
    assert ordered == sorted([world.house.name, world.other.name, world.far.name])
    assert client.get(LIST, {"limit": 500}).status_code == 200


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": -1}, "limit"),
        ({"limit": 0}, "limit"),
        ({"limit": 501}, "limit"),
        ({"limit": "beaucoup"}, "limit"),
        ({"offset": -1}, "offset"),
        ({"status": "foo"}, "status"),
        ({"departement": "Corrèze"}, "departement"),
        ({"q": "x" * 101}, "q"),
        ({"q": "a\x00b"}, "q"),
    ],
)
def test_invalid_directory_parameter_is_a_422_in_french(client, one_house, params, field):
    response = client.get(LIST, params)

    detail = assert_french_error(response, 422)
    assert detail.startswith("Paramètres invalides.")
    assert field in response.json()["errors"]


def test_unknown_status_message_lists_the_choices_in_french(client, db):
    message = client.get(LIST, {"status": "foo"}).json()["errors"]["status"][0]

    assert message.startswith("Valeur inconnue : choisissez parmi")
    assert "'recognised'" in message and " ou " in message


def test_public_card_shows_hours_partners_categories_and_public_equipment(client, world):
    world.caf.services.set(ServiceItem.objects.filter(code__in=["B1.3", "A.1", "C.1"]))
    Equipment.objects.create(house=world.house, kind="scanner", for_public=False)
    Equipment.objects.create(house=world.house, kind="webcam", in_service=False)

    card = client.get(detail_url(world.house)).json()

    assert card["name"] == "France Services de Tulle"
    assert card["commune"] == {"code": "19272", "name": world.house.commune.name}
    assert card["departement"]["code"] == "19"
    assert card["phone"] == world.house.phone and card["email"] == world.house.email
    assert len(card["opening_hours"]) == 10
    assert card["opening_hours"][0] == {"weekday": 0, "start": "09:00:00", "end": "12:00:00"}
    partners = {p["short_name"]: p["categories"] for p in card["partners"]}
    assert partners == {"CAF": ["A", "B1", "C"], "France Travail": []}
    assert card["equipment"] == ["Point multimédia connecté à internet", "Imprimante"]


def test_withdrawn_partner_is_not_listed_on_the_public_card(client, world):
    world.ft.status, world.ft.left_on = "withdrawn", date(2025, 1, 1)
    world.ft.save(update_fields=["status", "left_on"])

    card = client.get(detail_url(world.house)).json()

    assert [p["short_name"] for p in card["partners"]] == ["CAF"]


def test_unknown_or_project_house_is_a_404_in_french_for_the_public(client, one_house):
    project = f.HouseFactory(status=HouseStatus.PROJECT, recognised_on=None)

    assert assert_french_error(client.get("/api/v1/houses/999999"), 404) == "Maison introuvable."
    assert assert_french_error(client.get(detail_url(project)), 404) == "Maison introuvable."
    assert_french_error(client.get("/api/v1/houses/99999999999999999999"), 422)


def test_referent_contacts_never_appear_in_any_public_answer(client, world):
    world.caf.services.set(ServiceItem.objects.filter(code="B1.3"))
    answers = {
        "list": client.get(LIST),
        "list as agent": client.get(LIST, headers=bearer(world.users.agent)),
        "detail": client.get(detail_url(world.house)),
        "detail as agent": client.get(detail_url(world.house), headers=bearer(world.users.agent)),
        "openapi": client.get(OPENAPI),
    }

    for label, response in answers.items():
        assert response.status_code == 200, label
        text = response.content.decode()
        for secret in [*REFERENT_SECRETS, "Lefèvre", "marc.lefevre.prive@ft.exemple.fr"]:
            assert secret not in text, (label, secret)
    assert "referent" not in json.dumps(answers["detail"].json()).lower()


# --- referents (staff only) ------------------------------------------------------------------------


def test_referents_without_credentials_is_a_401_in_french(client, one_house):
    response = client.get(referents_url(one_house.house))

    detail = assert_french_error(response, 401)
    assert "jeton" in detail
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_agent_with_a_valid_token_sees_the_referents_contacts(client, world):
    response = client.get(referents_url(world.house), headers=bearer(world.users.agent))

    assert response.status_code == 200
    assert "05 55 99 88 77" in response.content.decode()
    by_partner = {r["partner"]: r for r in response.json()}
    assert set(by_partner) == {"CAF", "France Travail"}
    assert by_partner["CAF"]["email"] == "claire.dumont.privee@caf.exemple.fr"
    assert by_partner["CAF"]["last_name"] == "Dumont"


def test_agent_logged_in_in_the_browser_sees_the_referents(client, world):
    client.force_login(world.users.agent)

    response = client.get(referents_url(world.house))

    assert response.status_code == 200
    assert "05 55 99 88 77" in response.content.decode()


def test_ended_referent_is_not_listed(client, world):
    world.ft_referent.ended_on = date(2025, 6, 30)
    world.ft_referent.save(update_fields=["ended_on"])

    response = client.get(referents_url(world.house), headers=bearer(world.users.responsable))

    assert [r["partner"] for r in response.json()] == ["CAF"]


@pytest.mark.parametrize("role", ["prefecture", "national"])
def test_overseers_may_not_read_referent_contacts(client, world, role):
    response = client.get(referents_url(world.house), headers=bearer(getattr(world.users, role)))

    detail = assert_french_error(response, 403)
    assert "réservées aux agents" in detail
    assert "05 55 99 88 77" not in response.content.decode()


@pytest.mark.parametrize("role", ["other_agent", "referent_msa", "norole"])
def test_house_outside_the_users_scope_is_a_404(client, world, role):
    response = client.get(referents_url(world.house), headers=bearer(getattr(world.users, role)))

    assert assert_french_error(response, 404) == "Maison introuvable."


def test_partner_referent_sees_only_its_own_organisations_referents(client, world):
    response = client.get(referents_url(world.house), headers=bearer(world.users.referent_caf))

    assert response.status_code == 200
    assert [(r["partner"], r["last_name"]) for r in response.json()] == [("CAF", "Dumont")]
    assert "Lefèvre" not in response.content.decode()


def test_revoked_token_is_refused(client, one_house):
    obj, token = ApiToken.issue(one_house.users.agent)
    obj.revoked_at = timezone.now()
    obj.save(update_fields=["revoked_at"])

    response = client.get(
        referents_url(one_house.house), headers={"Authorization": f"Bearer {token}"}
    )

    assert "révoqué" in assert_french_error(response, 401)


@pytest.mark.parametrize("header", ["Bearer n-importe-quoi", "Bearer ", "Bearer " + "x" * 5000])
def test_garbage_token_is_refused(client, one_house, header):
    response = client.get(referents_url(one_house.house), headers={"Authorization": header})

    assert_french_error(response, 401)


def test_garbage_token_is_refused_on_public_endpoints_too(client, one_house):
    response = client.get(LIST, headers={"Authorization": "Bearer n-importe-quoi"})

    assert_french_error(response, 401)


def test_token_of_a_deactivated_account_is_refused(client, one_house):
    headers = bearer(one_house.users.agent)
    one_house.users.agent.is_active = False
    one_house.users.agent.save(update_fields=["is_active"])

    assert_french_error(client.get(referents_url(one_house.house), headers=headers), 401)


def test_only_the_digest_of_a_token_is_stored(world):
    obj, token = ApiToken.issue(world.users.agent)

    obj.refresh_from_db()
    assert obj.digest == ApiToken.hash(token) and token not in obj.digest


def test_last_used_at_is_written_at_most_once_a_minute(client, one_house):
    obj, token = ApiToken.issue(one_house.users.agent)
    headers = {"Authorization": f"Bearer {token}"}
    start = timezone.now()

    with time_machine.travel(start, tick=False):
        client.get(referents_url(one_house.house), headers=headers)
    obj.refresh_from_db()
    assert obj.last_used_at == start

    with (
        time_machine.travel(start + timedelta(seconds=30), tick=False),
        CaptureQueriesContext(connection) as queries,
    ):
        client.get(referents_url(one_house.house), headers=headers)
    obj.refresh_from_db()
    assert obj.last_used_at == start
    assert not [q for q in queries.captured_queries if q["sql"].startswith("UPDATE")]

    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        client.get(referents_url(one_house.house), headers=headers)
    obj.refresh_from_db()
    assert obj.last_used_at == start + timedelta(seconds=61)


# --- errors and query count ------------------------------------------------------------------------


def test_domain_error_becomes_a_400_with_its_french_message(db):
    request = RequestFactory().get(LIST)
    error = DomainError("Horaires insuffisants.", {"hours": ["Au moins 24 heures."]})

    response = api.on_exception(request, error)

    assert response.status_code == 400
    assert json.loads(response.content) == {
        "detail": "Horaires insuffisants.",
        "errors": {"hours": ["Au moins 24 heures."]},
    }


def _network(count):
    items = list(ServiceItem.objects.filter(code__in=["A.1", "B2.1", "B3.1"]))
    for _ in range(count):
        partnership = f.PartnershipFactory()
        partnership.services.set(items)
        f.PartnershipFactory(house=partnership.house, partner=f.national_partner("cpam"))


def test_directory_query_count_does_not_grow_with_the_number_of_houses(
    client, world, django_assert_max_num_queries
):
    _network(2)
    with CaptureQueriesContext(connection) as few:
        client.get(LIST, {"limit": 500}, headers=bearer(world.users.agent))
    _network(28)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(LIST, {"limit": 500}, headers=bearer(world.users.agent))

    assert response.json()["count"] == 33
    assert all(len(item["partners"]) == 2 for item in response.json()["items"][3:])


def test_anonymous_directory_of_30_houses_takes_a_handful_of_queries(
    client, db, django_assert_max_num_queries
):
    _network(30)

    with django_assert_max_num_queries(7):
        response = client.get(LIST)

    assert response.json()["count"] == 30
