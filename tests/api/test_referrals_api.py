"""`/api/v1/referrals` (issue 9 §9): transmissions over the API, scoped like the screens — the
house's agents send and read them, the addressed partner's referents read them and move them
along, nobody else sees any. Every status in the schema; bad input a French 400, nothing saved."""

from datetime import date, timedelta
from typing import get_args

from msap.api import referrals as api
from msap.transmissions.models import (
    DataCategory,
    RefusalReason,
    Transmission,
    TransmissionStatus,
)
from tests.api.client import bearer, post
from tests.transmissions.conftest import send

URL = "/api/v1/referrals"


def body(world, **overrides):
    data = {
        "house": world.house.pk,
        "partner": "caf",
        "subject": "Droits au RSA",
        "question": "Quels droits après une séparation ?",
    }
    data.update(overrides)
    return data


def test_api_codes_are_the_models_choices():
    assert set(get_args(api.StatusCode)) == set(TransmissionStatus.values)
    assert set(get_args(api.CategoryCode)) == set(DataCategory.values)
    assert set(get_args(api.ReasonCode)) == set(RefusalReason.values)


def test_the_schema_lists_referrals_with_their_statuses(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    create = schema["paths"]["/api/v1/referrals"]["post"]["responses"]
    assert {"200", "201", "400", "401", "403", "404", "422"} <= set(create)
    move = schema["paths"]["/api/v1/referrals/{referral_id}/status"]["post"]["responses"]
    assert "409" in move


def test_an_agent_sends_with_consent_and_a_retry_creates_nothing_more(client, world):
    in_days = lambda n: (date.today() + timedelta(days=n)).isoformat()  # noqa: E731
    data = body(
        world,
        person_name="Rose Martin",
        consent={"categories": ["identity"], "until": in_days(400)},
    )
    refused = post(client, world.users.agent, URL, data)
    assert refused.status_code == 400 and "au plus 365 jours" in refused.json()["detail"]
    data["consent"]["until"] = in_days(30)
    first = post(client, world.users.agent, URL, data, **{"Idempotency-Key": "k1"})
    assert first.status_code == 201, first.json()
    again = post(client, world.users.agent, URL, data, **{"Idempotency-Key": "k1"})
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    other = post(
        client, world.users.agent, URL, {**data, "subject": "Autre"}, **{"Idempotency-Key": "k1"}
    )
    assert other.status_code == 422
    assert Transmission.objects.count() == 1
    assert first.json()["person_name"] == "Rose Martin" and first.json()["status"] == "sent"


def test_personal_data_without_consent_is_a_french_400(client, world):
    response = post(client, world.users.agent, URL, body(world, person_reference="123"))
    assert response.status_code == 400
    assert "recueillez d'abord le consentement" in response.json()["detail"]
    assert Transmission.objects.count() == 0


def test_a_partner_the_house_does_not_have_is_refused(client, world):
    response = post(client, world.users.agent, URL, body(world, partner="msa"))
    assert response.status_code == 400 and response.json()["errors"]["partner"]
    response = post(client, world.users.other_agent, URL, body(world))
    assert response.status_code == 404


def test_lists_are_scoped_like_the_screens(client, world):
    to_caf, to_ft = send(world), send(world, partnership=world.ft)

    def ids(user, **params):
        response = client.get(URL, params, headers=bearer(user))
        assert response.status_code == 200
        return [item["id"] for item in response.json()["items"]]

    assert ids(world.users.agent) == [to_ft.pk, to_caf.pk]
    assert ids(world.users.agent, partner="caf") == [to_caf.pk]
    assert ids(world.users.referent_caf) == [to_caf.pk]
    for user in (world.users.referent_msa, world.users.prefecture, world.users.other_agent):
        assert ids(user) == []
    response = client.get(f"{URL}/{to_ft.pk}", headers=bearer(world.users.referent_caf))
    assert response.status_code == 404


def test_the_partner_moves_it_and_a_stale_version_is_409(client, world):
    t = send(world)
    url = f"{URL}/{t.pk}/status"
    taken = post(client, world.users.referent_caf, url, {"to": "taken", "version": t.version})
    assert taken.status_code == 200 and taken.json()["status"] == "taken"
    stale = post(
        client,
        world.users.referent_caf,
        url,
        {"to": "refused", "version": t.version, "refusal_reason": "duplicate"},
    )
    assert stale.status_code == 409
    version = taken.json()["version"]
    no_reason = post(client, world.users.referent_caf, url, {"to": "refused", "version": version})
    assert no_reason.status_code == 400 and "motif du refus" in no_reason.json()["detail"]
    elsewhere = post(
        client,
        world.users.referent_caf,
        url,
        {"to": "redirected", "version": version, "redirected_to": "msa"},
    )
    assert elsewhere.status_code == 400
    redirected = post(
        client,
        world.users.referent_caf,
        url,
        {"to": "redirected", "version": version, "redirected_to": "france-travail"},
    )
    assert redirected.status_code == 200 and redirected.json()["redirected_to"] == "france-travail"
    assert [s["status"] for s in redirected.json()["steps"]] == ["sent", "taken", "redirected"]


def test_each_side_keeps_to_its_moves(client, world):
    t = send(world)
    url = f"{URL}/{t.pk}/status"
    assert post(client, world.users.agent, url, {"to": "taken", "version": 1}).status_code == 403
    assert (
        post(
            client, world.users.referent_caf, url, {"to": "answered", "version": 1, "text": "x"}
        ).status_code
        == 403
    )
    assert (
        post(client, world.users.referent_msa, url, {"to": "taken", "version": 1}).status_code
        == 404
    )
