"""GET /api/v1/houses/{id}/convention (issue 11, part 7): the house's staff only; 409 with the
blanks while a datum is missing; in the OpenAPI schema with every status."""

import io

import docx
import pypdf
import pytest

from msap.network.models import Premises
from tests.api.client import bearer

URL = "/api/v1/houses/{}/convention"


def test_staff_get_the_docx_and_the_pdf(client, world, convention):
    response = client.get(
        URL.format(world.house.pk), {"format": "docx"}, headers=bearer(world.users.agent)
    )
    assert response.status_code == 200
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs)
    assert "Convention-cadre de la Maison de services au public France Services de Tulle" in text
    response = client.get(
        URL.format(world.house.pk), {"format": "pdf"}, headers=bearer(world.users.gestionnaire)
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert len(pypdf.PdfReader(io.BytesIO(response.content)).pages) > 10


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("other_agent", 404),  # another house's agent: the house does not exist for them
        ("referent_msa", 404),
        ("norole", 404),
        ("referent_caf", 403),  # a partner of the house: annex 2 holds the others' contacts
        ("prefecture", 403),
        ("national", 403),
    ],
)
def test_only_the_houses_staff_get_the_convention(client, world, convention, role, status):
    response = client.get(
        URL.format(world.house.pk), {"format": "pdf"}, headers=bearer(getattr(world.users, role))
    )
    assert response.status_code == status
    assert "Claire" not in response.content.decode("utf-8", "replace")


def test_anonymous_gets_401(client, world, convention):
    assert client.get(URL.format(world.house.pk)).status_code == 401


def test_a_missing_datum_answers_409_with_the_blanks(client, world, convention):
    Premises.objects.filter(house=world.house).update(reduced_mobility_access="")
    response = client.get(URL.format(world.house.pk), headers=bearer(world.users.agent))
    assert response.status_code == 409
    body = response.json()
    assert body["detail"].startswith("La convention ne peut pas être générée")
    assert body["blanks"] == [
        {
            "label": "L’accueil des personnes à mobilité réduite (article 3.3)",
            "url": f"/maisons/{world.house.pk}/locaux/",
        }
    ]


def test_a_house_without_convention_answers_409(client, world):
    response = client.get(URL.format(world.house.pk), headers=bearer(world.users.agent))
    assert response.status_code == 409
    assert response.json()["blanks"][0]["url"] == f"/conventions/{world.house.pk}/"


def test_an_unknown_format_answers_422_in_french(client, world, convention):
    response = client.get(
        URL.format(world.house.pk), {"format": "odt"}, headers=bearer(world.users.agent)
    )
    assert response.status_code == 422
    assert "format" in response.json()["errors"]


def test_the_schema_documents_every_status(client):
    operation = client.get("/api/v1/openapi.json").json()["paths"][
        "/api/v1/houses/{id}/convention"
    ]["get"]
    assert set(operation["responses"]) == {"200", "401", "403", "404", "409", "422"}
    assert "application/pdf" in operation["responses"]["200"]["content"]
