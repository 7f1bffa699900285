"""What the counter hands out (commitment 15, one answer per visit): a code on the agent's screen
with its QR code, a printable sheet of tickets and the house's poster — real PDFs, opened back,
and QR codes that carry the form's short link."""

import io
import re
import xml.etree.ElementTree as ET

import pytest
import segno
from django.urls import reverse
from pypdf import PdfReader

from msap.core.models import JournalEntry
from msap.surveys import rules, sheets
from msap.surveys.models import Token
from tests import factories as f


@pytest.fixture
def campaign(one_house):
    return f.survey_campaign(one_house.house)


def _qr_svg(html: str) -> str:
    match = re.search(r'<svg[^>]*class="msap-qr".*?</svg>', html, re.S)
    assert match, "no QR code on the page"
    return match.group(0)


def test_the_counter_screen_shows_a_new_code_and_the_qr_code_of_its_form(
    client, one_house, campaign
):
    client.force_login(one_house.users.agent)
    response = client.post(reverse("survey_counter", args=[campaign.pk]))

    assert response.status_code == 200
    token = Token.objects.get()
    code = rules.format_code(token.code)
    html = response.content.decode()
    assert code in html
    url = f"http://testserver{reverse('survey_form', args=[code])}"
    assert url in html
    svg = _qr_svg(html)
    ET.fromstring(svg)  # noqa: S314 (our own page) — well-formed SVG
    # The QR code drawn is the one of the form's URL: the same modules segno makes of it.
    expected = sheets.qr(url).svg_inline(
        scale=4, title="Code QR du formulaire de l'enquête", svgclass="msap-qr", lineclass=None
    )
    assert re.search(r' d="([^"]+)"', svg).group(1) == re.search(r' d="([^"]+)"', expected).group(1)
    assert token.used_at is None and token.expires_at > token.issued_at


def test_the_qr_code_of_a_code_encodes_its_short_link():
    url = "https://msap.example/e/7KQM-4TZP/"
    qr = sheets.qr(url)
    assert qr.designator.endswith("M")  # readable with 15 % of it damaged
    # segno's matrix for that URL, and nothing else, is what every page and PDF draws.
    assert [list(row) for row in qr.matrix] == [
        list(row) for row in segno.make(url, error="m").matrix
    ]
    assert [list(row) for row in qr.matrix] != [
        list(row) for row in segno.make(url + "x", error="m").matrix
    ]


def test_a_sheet_of_tickets_is_a_pdf_with_each_new_code_and_its_link(client, one_house, campaign):
    client.force_login(one_house.users.agent)
    response = client.post(reverse("survey_tickets", args=[campaign.pk]), {"count": "6"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(page.extract_text() for page in reader.pages)
    codes = [rules.format_code(t.code) for t in Token.objects.all()]
    assert len(codes) == 6
    for code in codes:
        assert code in text
    assert "testserver/e/" in text
    assert "France Services de Tulle" in text
    entry = JournalEntry.objects.get(action="survey.tickets")
    assert entry.house_id == one_house.house.pk and entry.params == {"count": 6}


@pytest.mark.parametrize("count", ["0", str(rules.MAX_TICKETS_PER_SHEET + 1), "beaucoup"])
def test_a_sheet_of_an_impossible_size_is_refused(client, one_house, campaign, count):
    client.force_login(one_house.users.agent)
    response = client.post(reverse("survey_tickets", args=[campaign.pk]), {"count": count})
    assert response.status_code == 400
    assert not Token.objects.exists()


def test_no_code_is_handed_out_outside_the_campaign(client, one_house):
    campaign = f.survey_campaign(one_house.house, year=2025)
    client.force_login(one_house.users.agent)
    response = client.post(reverse("survey_counter", args=[campaign.pk]))
    assert response.status_code == 400
    assert "en dehors de la campagne" in response.content.decode()
    assert not Token.objects.exists()


def test_the_poster_is_a_pdf_with_the_short_link(client, one_house, campaign):
    client.force_login(one_house.users.agent)
    response = client.get(reverse("survey_poster", args=[one_house.house.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "http://testserver/e/" in text
    assert "France Services de Tulle" in text
    assert str(campaign.year) in text


def test_the_agent_of_another_house_gets_no_code(client, world):
    campaign = f.survey_campaign(world.house)
    client.force_login(world.users.other_agent)
    assert client.post(reverse("survey_counter", args=[campaign.pk])).status_code == 404
    assert (
        client.post(reverse("survey_tickets", args=[campaign.pk]), {"count": "3"}).status_code
        == 404
    )
    assert not Token.objects.exists()
