"""/donnees/maisons.csv|.json|.schema.json and /api/v1/opendata/houses.csv|.json: the list of
houses and their hours published online (charter commitment 1; issue 10), never a referent's
or a staff member's contact, and re-importable into the same houses."""

import csv
import io
import json
from pathlib import Path

import pytest

from bench import sites as generator
from msap.network import sites
from msap.network.models import House, HouseStatus, Organisation
from msap.opendata.schema import table_schema
from tests import factories as f

pytestmark = pytest.mark.django_db

URLS = [
    "/donnees/maisons.csv",
    "/donnees/maisons.json",
    "/api/v1/opendata/houses.csv",
    "/api/v1/opendata/houses.json",
]


def csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


def comparable(rows):
    # A house outside the national list is "msap-<pk>": its pk is the new database's own.
    return sorted(tuple((k, v) for k, v in r.items() if k != "id_fs") for r in rows)


def test_the_exports_need_no_account_and_share_the_layout_and_order_of_the_import(client):
    f.HouseFactory(name="France Services de Brive")
    for url in URLS:
        response = client.get(url)
        assert response.status_code == 200, url
    csv_response = client.get("/donnees/maisons.csv")
    assert csv_response["Content-Type"] == "text/csv; charset=utf-8"
    assert csv_response.content.decode().splitlines()[0] == ",".join(sites.COLUMNS)
    json_rows = client.get("/donnees/maisons.json").json()
    assert [list(r) for r in json_rows] == [sites.COLUMNS]
    assert json_rows == csv_rows(csv_response)
    assert client.get("/api/v1/opendata/houses.csv").content == csv_response.content
    assert client.get("/api/v1/opendata/houses.json").json() == json_rows


def test_published_rows_are_the_recognised_houses_with_their_hours(client):
    """Commitment 1: the houses and their hours; a project is not open to the public yet."""
    house = f.HouseFactory(name="France Services de Brive")
    f.HouseFactory(name="Maison en projet", status=HouseStatus.PROJECT, recognised_on=None)
    (published,) = client.get("/donnees/maisons.json").json()
    assert published["lib_fs"] == "France Services de Brive"
    assert published["id_fs"] == f"msap-{house.pk}"
    assert published["insee_com"] == house.commune_id
    assert published["labellisation_fs"] == "Espace labellisé 15/01/2024"
    hours = [published[c] for c in sites.HOUR_COLUMNS]
    assert all(h == "" or " - " in h for h in hours) and any(hours)


def test_no_referent_contact_nor_staff_email_is_ever_published(client):
    """Annex 2: a referent's contact is never given to the public; nor a staff member's."""
    house = f.HouseFactory(email="accueil@maison.exemple.fr", phone="05 55 00 00 00")
    referent = f.ReferentFactory(partnership=f.PartnershipFactory(house=house))
    agent = f.MembershipFactory(
        house=house, user=f.UserFactory(email="agent.prive@maison.exemple.fr")
    ).user
    for url in URLS:
        body = client.get(url).content.decode("utf-8")
        assert "accueil@maison.exemple.fr" in body
        assert referent.email not in body and referent.phone not in body, url
        assert referent.last_name not in body
        assert agent.email not in body, url


def test_an_export_re_imported_into_an_empty_database_gives_the_same_houses(client, tmp_path):
    """Issue 10: "An export re-imported gives the same houses"."""
    sites.import_sites_file(generator.write_national_file(tmp_path / "liste.csv", sites=60, seed=3))
    f.HouseFactory(name="Maison hors liste nationale")
    exported = client.get("/donnees/maisons.csv").content
    before = comparable(csv_rows(client.get("/donnees/maisons.csv")))
    House.objects.all().delete()
    Organisation.objects.all().delete()
    report = sites.import_sites(exported)
    assert report.skipped == 0
    assert report.created == len(before)
    assert comparable(csv_rows(client.get("/donnees/maisons.csv"))) == before
    # And a second import of its own export changes nothing.
    assert sites.import_sites(client.get("/donnees/maisons.csv").content).unchanged == len(before)


def test_a_client_revalidates_its_copy_with_the_etag(client):
    f.HouseFactory()
    for url in URLS:
        first = client.get(url)
        assert "max-age=300" in first["Cache-Control"] and "public" in first["Cache-Control"]
        again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304, url
        assert again.content == b""


def test_a_change_of_a_house_changes_the_export_at_once(client):
    house = f.HouseFactory(name="France Services de Brive")
    etag = client.get("/donnees/maisons.csv")["ETag"]
    # Through the import: the export's own "msap-<pk>" id becomes the house of a new site.
    sites.import_sites(
        client.get("/donnees/maisons.csv").content.replace(b"de Brive", b"de Brive-Centre")
    )
    response = client.get("/donnees/maisons.csv", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert b"France Services de Brive-Centre" in response.content
    assert House.objects.filter(pk=house.pk).exists()


def test_the_table_schema_describes_every_column_and_is_the_documented_one(client):
    response = client.get("/donnees/maisons.schema.json")
    assert response.status_code == 200
    schema = response.json()
    assert [field["name"] for field in schema["fields"]] == sites.COLUMNS
    assert schema["primaryKey"] == "id_fs"
    assert all(field.get("title") for field in schema["fields"])
    documented = Path(__file__).resolve().parents[2] / "docs" / "opendata" / "maisons.schema.json"
    assert json.loads(documented.read_text(encoding="utf-8")) == schema == table_schema()


def test_the_api_schema_documents_the_open_data_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in ("/api/v1/opendata/houses.csv", "/api/v1/opendata/houses.json"):
        responses = paths[path]["get"]["responses"]
        assert {"200", "304"} <= set(responses), path
        assert "security" not in paths[path]["get"] or paths[path]["get"]["security"] == []
    assert "text/csv" in paths["/api/v1/opendata/houses.csv"]["get"]["responses"]["200"]["content"]


def test_writing_to_the_exports_is_refused(client):
    assert client.post("/donnees/maisons.csv").status_code == 405
    assert client.post("/api/v1/opendata/houses.json").status_code == 405
