"""The OpenAPI schema tells the truth (issue 8, item 12): every status an endpoint answers is
documented, a 400 carries the `errors` the schema promises, times are declared as sent."""

import json
import re

import pytest

from msap.people.models import ApiToken


@pytest.fixture
def schema(client, db):
    return client.get("/api/v1/openapi.json").json()


def operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield f"{method.upper()} {path}", operation


# The open data of the national list: no token, no parameter, so neither 401 nor 422 can occur.
OPEN_DATA = "/api/v1/opendata/"


def test_every_operation_documents_its_refusals(schema):
    for label, operation in operations(schema):
        statuses = set(operation["responses"])
        if OPEN_DATA in label:
            assert not operation.get("parameters") and "401" not in statuses, label
            continue
        assert {"401", "422"} <= statuses, label  # a bad token, a malformed parameter
        if "{" in label or label.startswith("POST"):  # an object by id, or a house in a body
            assert "404" in statuses, label
        if label.startswith("POST"):
            assert {"400", "403"} <= statuses, label  # a domain rule; a session without CSRF


def test_a_400_and_a_422_promise_their_errors_field(schema):
    for label, operation in operations(schema):
        for status in ("400", "422"):
            if status in operation["responses"]:
                ref = operation["responses"][status]["content"]["application/json"]["schema"]
                name = ref["$ref"].rsplit("/", 1)[1]
                assert "errors" in schema["components"]["schemas"][name]["required"], label


def test_opening_hours_are_declared_as_the_wall_clock_times_sent(client, schema, world):
    declared = schema["components"]["schemas"]["OpeningRangeOut"]["properties"]["start"]
    assert "format" not in declared  # not an RFC 3339 "time", which needs an offset
    house = client.get(f"/api/v1/houses/{world.house.pk}")
    for opening in house.json()["opening_hours"]:
        assert re.fullmatch(declared["pattern"], opening["start"]), opening


@pytest.mark.parametrize(
    "raw", ['{"house": 1,', "not json", b"\xff\xfe\x00", '{"house": 1} trailing']
)
def test_malformed_json_is_a_400_in_french_with_the_errors_field(client, world, raw):
    _obj, token = ApiToken.issue(world.users.agent, "test")
    for url in ("/api/v1/requests", "/api/v1/register-items"):
        response = client.post(
            url,
            data=raw,
            content_type="application/json",
            headers={"Authorization": f"Bearer {token}"},
        )
        assert response.status_code == 400, response.content
        answer = response.json()
        assert answer["detail"].startswith("Corps de la requête illisible")
        assert answer["errors"] == {"body": [answer["detail"]]}


def test_a_json_body_that_is_not_an_object_is_a_422(client, world):
    _obj, token = ApiToken.issue(world.users.agent, "test")
    response = client.post(
        "/api/v1/requests",
        data=json.dumps([1, 2]),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 422
    assert response.json()["errors"]
