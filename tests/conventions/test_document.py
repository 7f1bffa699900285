"""The filled convention (issue 11, part 6): DOCX and PDF opened back, no blank of the seed
left, the referents table of annex 2, the signatories, the hours; a missing datum is listed
before generation and nothing is printed."""

import io

import docx
import pypdf
import pytest
from django.urls import reverse

from msap.conventions import document
from msap.network.models import Premises
from tests.conftest import login

MARKS = ("xx", "précisez", "(le gestionnaire", "(gestionnaire")


def _docx_text(content: bytes) -> tuple[str, list]:
    doc = docx.Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(c.text for c in row.cells)
    return "\n".join(parts), doc.tables


def _pdf_text(content: bytes) -> str:
    pages = pypdf.PdfReader(io.BytesIO(content)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def _assert_no_blank(text: str):
    lowered = text.lower()
    for mark in MARKS:
        assert mark not in lowered, f"blank {mark!r} left in the document"


def test_docx_is_filled_with_referents_signatories_and_hours(client, world, convention):
    response = login(client, world.users.agent).get(
        reverse("convention_document", args=[world.house.pk, "docx"])
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.docx"')
    text, tables = _docx_text(response.content)
    _assert_no_blank(text)
    # Annex 2: the referents table, with the house's referents' rows.
    referents = next(t for t in tables if t.rows[0].cells[1].text == "Nom du référent")
    rows = [[c.text for c in r.cells] for r in referents.rows[1:]]
    assert any(
        "Claire Dumont" in r[1] and "claire.dumont.privee@caf.exemple.fr" in r[2] for r in rows
    )
    assert any("Marc Lefèvre" in r[1] for r in rows)
    # The signature block: the gestionnaire and each partner, with their dates.
    signatures = next(t for t in tables if t.rows[0].cells[0].text == "Signataire")
    parties = [r.cells[0].text for r in signatures.rows[1:]]
    assert len(parties) == 3
    assert "Sophie Martin, Présidente de Tulle Agglo" in signatures.rows[1].cells[1].text
    assert "1er avril 2025" in text
    # Art. 3.2: the hours; art. 9: the notice; annex 3: the share of activity.
    assert "lundi : 9 h 00 – 12 h 00, 14 h 00 – 16 h 30" in text
    assert "sous préavis de 3 mois" in text
    assert "62,5 %" in text
    assert "Bureau de permanence le mardi matin." in text
    # Annex 1: each partner's offer; annex 4: the charter, with the partners.
    assert "Aide à la navigation sur le site" in text
    assert "Charte nationale de qualité des Maisons de services au public" in text
    # Annex 4 comes from msap.charter: commitment 1 with its evidence ("suivi / contrôle").
    assert "1. Nous vous informons sur les conditions d’accès et d’accueil" in text
    assert "Autoévaluations régulières effectuée par l’agent d’accueil." in text


def test_pdf_is_filled_with_referents_signatories_and_hours(client, world, convention):
    response = login(client, world.users.responsable).get(
        reverse("convention_document", args=[world.house.pk, "pdf"])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    _assert_no_blank(text)
    assert "Nom du référent" in text and "Claire Dumont" in text and "Marc Lefèvre" in text
    assert "Sophie Martin" in text and "Jean Caf" in text and "Anne Travail" in text
    assert "9 h 00 – 12 h 00" in text


def test_a_missing_datum_is_listed_with_its_screen_and_nothing_generated(client, world, convention):
    Premises.objects.filter(house=world.house).update(reduced_mobility_access="")
    world.caf_referent.ended_on = world.caf_referent.started_on
    world.caf_referent.save(update_fields=["ended_on"])
    login(client, world.users.agent)
    page = client.get(reverse("convention_detail", args=[world.house.pk]))
    body = page.content.decode()
    assert "L’accueil des personnes à mobilité réduite (article 3.3)" in body
    assert reverse("house_premises", args=[world.house.pk]) in body
    assert "Le référent de CAF (annexe 2)" in body
    assert reverse("partnership_detail", args=[world.house.pk, world.caf.pk]) in body
    assert reverse("convention_document", args=[world.house.pk, "docx"]) not in body
    response = client.get(reverse("convention_document", args=[world.house.pk, "pdf"]))
    assert response.status_code == 302  # back to the page, with the refusal as a message
    followed = client.get(response.url)
    assert "La convention ne peut pas être générée" in followed.content.decode()


def test_generation_is_refused_while_a_blank_remains(world, convention):
    convention.service_notice_months = None
    convention.save(update_fields=["service_notice_months"])
    prepared = document.prepare(world.house, convention, 2026, convention.signed_on)
    assert [b.label for b in prepared.blanks] == ["Le préavis de retrait d’un service (article 9)"]
    with pytest.raises(document.MissingData):
        document.render_docx(prepared)


def test_a_year_before_any_charter_is_a_blank_of_annex4(world, convention):
    prepared = document.prepare(world.house, convention, 2014, convention.signed_on)
    labels = [b.label for b in prepared.blanks]
    assert "La charte nationale de qualité en vigueur en 2014 (annexe 4)" in labels


def test_a_partner_that_has_not_signed_is_a_blank(world, convention):
    convention.signatories.filter(partnership=world.ft).delete()
    prepared = document.prepare(world.house, convention, 2026, convention.signed_on)
    assert any("La signature de France Travail" in b.label for b in prepared.blanks)
