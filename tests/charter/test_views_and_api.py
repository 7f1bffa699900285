"""The charter's screens, PDF and API (issue 11, items 2 and 7): the house's page with each
commitment's status, reason and evidence, the evidence upload and removal (bad input: a French
message, nothing saved), the table of houses × commitments, the self-assessment PDF opened back,
and GET /api/v1/houses/{id}/charter for the staff, the gestionnaire and the cells only."""

import datetime as dt
import html
import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from msap.charter.models import Evidence
from msap.charter.models import EvidenceKind as K
from msap.core.models import JournalEntry
from tests.api.client import bearer
from tests.charter.helpers import PDF, evidence, pdf_upload

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 6, 15, 10, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _mid_june_2026(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(NOW, tick=False):
        yield


def text(response) -> str:
    return html.unescape(response.content.decode())


def add_url(house):
    return f"/charte/maisons/{house.pk}/justificatifs/"


def post_evidence(client, house, **overrides):
    data = {
        "key": "k-1",
        "commitment": "6",
        "kind": K.PRM_CONSULTATION,
        "title": "Visite de l'APF",
        "dated_on": "2026-05-20",
        "valid_until": "",
        "file": pdf_upload("compte-rendu.pdf"),
    }
    data.update(overrides)
    data = {k: v for k, v in data.items() if v is not None}
    return client.post(add_url(house), data)


def test_the_house_page_shows_status_reason_and_evidence(client, one_house):
    house, boss = one_house.house, one_house.users.responsable
    evidence(boss, house, "9", K.OPENING_PROCEDURE, dt.date(2026, 1, 10))
    client.force_login(one_house.users.agent)
    body = text(client.get(f"/charte/maisons/{house.pk}/"))
    assert "Charte de qualité : autoévaluation 2026" in body
    assert "27 h 30 par semaine sur 5 jours" in body
    assert "Procédure d'ouverture et de fermeture" in body
    assert "/charte/justificatifs/" in body
    assert "Enregistrer un justificatif" not in body  # the agent does not manage evidence


def test_the_responsable_records_an_evidence_once_even_submitted_twice(client, one_house):
    """Double submission: one evidence; it is journaled; its validity defaults to its kind's."""
    house = one_house.house
    client.force_login(one_house.users.responsable)
    assert post_evidence(client, house).status_code == 302
    assert post_evidence(client, house).status_code == 302
    e = Evidence.objects.get()
    assert (e.commitment, e.valid_until) == ("6", dt.date(2029, 5, 20))
    assert JournalEntry.objects.filter(action="charter.evidence_recorded").count() == 1
    body = text(client.get(f"/charte/maisons/{house.pk}/"))
    assert "Visite de l'APF" in body
    download = client.get(f"/charte/justificatifs/{e.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"dated_on": ""}, "Indiquez la date du document."),
        ({"file": None}, "Joignez le fichier du justificatif."),
        ({"dated_on": "2026-06-16"}, "ne peut pas être dans le futur"),
        ({"valid_until": "2026-05-01"}, "La fin de validité doit suivre la date du document."),
        ({"valid_until": "2036-01-01"}, "5 ans au plus"),
        (
            {"file": SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf")},
            "",
        ),
        ({"kind": K.MAINTENANCE_CONTRACT}, "ne justifie pas l'engagement 6"),
        ({"commitment": "99"}, ""),
    ],
)
def test_bad_evidence_is_refused_in_french_and_saves_nothing(client, one_house, overrides, message):
    client.force_login(one_house.users.responsable)
    response = post_evidence(client, one_house.house, **overrides)
    assert response.status_code == 400
    assert "Rien n'a été enregistré" in text(response)
    assert message in text(response)
    assert not Evidence.objects.exists()


def test_an_oversized_file_is_refused(client, one_house, settings):
    settings.MSAP_MAX_UPLOAD_BYTES = 1000
    client.force_login(one_house.users.responsable)
    big = SimpleUploadedFile("gros.pdf", PDF + b"0" * 2000)
    response = post_evidence(client, one_house.house, file=big)
    assert response.status_code == 400
    assert "Le fichier est trop volumineux" in text(response)
    assert not Evidence.objects.exists()


def test_a_removed_evidence_stops_counting(client, one_house):
    house, boss = one_house.house, one_house.users.responsable
    e = evidence(boss, house, "7", K.DIFFICULTY_GUIDE, dt.date(2026, 1, 10))
    client.force_login(boss)
    page = text(client.get(f"/charte/maisons/{house.pk}/"))
    assert 'data-status="met"' in page.split('id="commitment-7"')[1][:40]
    assert client.post(f"/charte/justificatifs/{e.pk}/retirer/").status_code == 302
    page = text(client.get(f"/charte/maisons/{house.pk}/"))
    assert 'data-status="not_met"' in page.split('id="commitment-7"')[1][:40]
    client.post(f"/charte/justificatifs/{e.pk}/retirer/")
    assert JournalEntry.objects.filter(action="charter.evidence_removed").count() == 1


def test_a_future_year_is_refused(client, one_house):
    client.force_login(one_house.users.agent)
    body = text(client.get(f"/charte/maisons/{one_house.house.pk}/", {"year": "2027"}))
    assert "L'année ne peut pas être à venir" in body
    pdf = client.get(f"/charte/maisons/{one_house.house.pk}/autoevaluation.pdf", {"year": "2099"})
    assert pdf.status_code == 400


def test_the_self_assessment_pdf_opens_with_its_reasons(client, one_house):
    """A printable self-assessment (PDF), in French, with each commitment's reason."""
    house, boss = one_house.house, one_house.users.responsable
    evidence(boss, house, "7", K.DIFFICULTY_GUIDE, dt.date(2026, 1, 10))
    client.force_login(boss)
    response = client.get(f"/charte/maisons/{house.pk}/autoevaluation.pdf", {"year": "2026"})
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    content = " ".join(page.extract_text() for page in reader.pages)
    content = " ".join(content.split())
    assert "Autoévaluation de la charte de qualité 2026" in content
    assert house.name in content
    assert "Respecté" in content and "Non respecté" in content
    assert "27 h 30 par semaine" in content
    assert "Aucun espace confidentiel" not in content


def test_the_table_filters_by_departement(client, world):
    client.force_login(world.users.national)
    body = text(client.get("/charte/", {"year": "2026"}))
    assert world.house.name in body and world.far.name in body
    body = text(client.get("/charte/", {"departement": "23"}))
    assert world.far.name in body and world.house.name not in body
    client.force_login(world.users.prefecture)
    body = text(client.get("/charte/"))
    assert world.house.name in body and world.far.name not in body


# --- the API ------------------------------------------------------------------------------------


def api_url(house, year=None):
    return f"/api/v1/houses/{house.pk}/charter" + (f"?year={year}" if year else "")


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("agent", 200),
        ("responsable", 200),
        ("gestionnaire", 200),
        ("prefecture", 200),
        ("national", 200),
        ("referent_caf", 403),
        ("other_agent", 404),
        ("referent_msa", 404),
        ("norole", 404),
    ],
)
def test_the_api_answers_the_staff_the_gestionnaire_and_the_cells(client, world, role, expected):
    user = getattr(world.users, role)
    response = client.get(api_url(world.house, 2026), headers=bearer(user))
    assert response.status_code == expected
    if expected != 200:
        assert response.json()["detail"]


def test_the_api_gives_each_commitment_with_its_status_reason_and_evidence(client, world):
    e = evidence(
        world.users.responsable, world.house, "7", K.DIFFICULTY_GUIDE, dt.date(2026, 1, 10)
    )
    response = client.get(api_url(world.house), headers=bearer(world.users.prefecture))
    body = response.json()
    assert body["year"] == 2026
    codes = [c["code"] for c in body["commitments"]]
    assert codes[:5] == ["1", "2", "3", "3 bis", "3 ter"] and len(codes) == 17
    seven = next(c for c in body["commitments"] if c["code"] == "7")
    assert seven["status"] == "met"
    assert seven["evidence"][0]["url"].endswith(f"/charte/justificatifs/{e.pk}/")
    assert "Guide de l'accueil des personnes en difficulté" in seven["reason"]


def test_the_api_refuses_a_future_year_and_anonymous_callers(client, world):
    response = client.get(api_url(world.house, 2030), headers=bearer(world.users.agent))
    assert response.status_code == 400
    assert "à venir" in response.json()["detail"]
    assert (
        client.get(api_url(world.house, 2014), headers=bearer(world.users.agent)).status_code == 422
    )
    assert client.get(api_url(world.house)).status_code == 401
