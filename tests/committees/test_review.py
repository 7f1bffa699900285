"""The departmental annual review (issue 11 §4): one PDF for all the houses of a département and
a year — activity, registers, appointments, transmissions, committee meetings and decisions,
progress axes — with the counts under 5 masked (it is read beyond the house). Opened back with
pypdf."""

import io
from datetime import date, datetime

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from msap.committees import review, services
from msap.surveys import services as survey_services
from msap.territory.models import Departement
from tests import factories as f
from tests.committees.conftest import PARIS, hold, plan


def text_of(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def activity(world):
    """Last year in Tulle: a held meeting with its decisions and an axis; 7 CAF requests and 2
    France Travail requests."""
    meeting = hold(
        world,
        plan(world, day=date(2025, 6, 12)),
        decisions=["Ouvrir une permanence CAF le mardi"],
    )
    services.add_axis(
        world.users.responsable,
        meeting,
        title="Réduire le délai de réponse aux courriels",
        owner="Responsable de la maison",
        due_on=date(2026, 6, 30),
    )
    at = datetime(2025, 5, 20, 10, tzinfo=PARIS)
    for _ in range(7):
        f.ServiceRequestFactory(
            house=world.house, agent=world.users.agent, partner=world.caf.partner, occurred_at=at
        )
    for _ in range(2):
        f.ServiceRequestFactory(
            house=world.house, agent=world.users.agent, partner=world.ft.partner, occurred_at=at
        )
    return meeting


def test_the_review_has_every_house_its_meetings_decisions_and_axes(world, activity):
    text = text_of(review.render_pdf(Departement.objects.get(code="19"), 2025))
    assert "Bilan annuel départemental 2025 — Corrèze (19)" in text
    assert "France Services de Tulle" in text and "France Services d'Ussel" in text
    assert "Guéret" not in text  # another département
    assert "Ouvrir une permanence CAF le mardi" in text
    assert "Réduire le délai de réponse aux courriels" in text
    assert "12/06/2025" in text
    assert "Pas de comité depuis plus de 12 mois" in flat(text)  # Ussel never held one


def test_small_counts_are_masked_beyond_the_house(world, activity):
    text = text_of(review.render_pdf(Departement.objects.get(code="19"), 2025))
    assert "Demandes enregistrées : 9" in text
    lines = text.splitlines()
    assert any(line.startswith("CAF") and line.endswith("7") for line in lines)
    assert any(line.startswith("France Travail") and "< 5" in line for line in lines)


def test_the_review_is_a_list_of_sections_others_can_extend(world, activity):
    def extra(rev, house):
        return review.Section("Section ajoutée", "committees/review/overview.html", {"rows": []})

    review.register_house_section(extra)
    try:
        text = text_of(review.render_pdf(Departement.objects.get(code="19"), 2025))
    finally:
        review.HOUSE_SECTIONS.remove(extra)
    assert text.count("Section ajoutée") == 2  # one per house of the département


def test_the_departement_cell_downloads_its_review(client, world, activity):
    client.force_login(world.users.prefecture)
    response = client.get(reverse("committee_review"), {"departement": "19", "year": "2025"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "Ouvrir une permanence CAF le mardi" in text_of(response.content)


def test_the_departement_cell_cannot_pick_another_departement(client, world):
    client.force_login(world.users.prefecture)
    response = client.get(reverse("committee_review"), {"departement": "23", "year": "2025"})
    assert response.status_code == 400
    assert "Choisissez un département proposé." in response.content.decode()


@pytest.mark.parametrize("year", ["1999", "2999", "abc"])
def test_an_implausible_year_is_refused_in_french(client, world, year):
    client.force_login(world.users.national)
    response = client.get(reverse("committee_review"), {"departement": "19", "year": year})
    assert response.status_code == 400
    assert (
        "Rien n'a été enregistré" in response.content.decode()
        or "année" in response.content.decode()
    )


def test_the_national_cell_picks_any_departement(client, world):
    client.force_login(world.users.national)
    response = client.get(reverse("committee_review"), {"departement": "23", "year": "2025"})
    assert response.status_code == 200
    assert "Guéret" in text_of(response.content)


def test_the_review_carries_the_charter_and_the_survey_of_each_house(world, activity):
    """Art. 6 and issue 11 §4: the annual review gives, per house, its charter compliance with
    the reason of what is not met, and its survey (answers masked under 5) with the improvement
    plan the committee reviews."""
    with time_machine.travel(datetime(2025, 9, 10, 10, tzinfo=PARIS), tick=False):
        campaign = f.survey_campaign(world.house, year=2025)
        for _ in range(3):
            f.survey_answer(campaign)
        survey_services.add_action(
            world.users.responsable,
            campaign,
            title="Afficher les horaires à l'entrée",
            owner="Accueil",
            due_on=date(2025, 12, 1),
        )
    text = flat(text_of(review.render_pdf(Departement.objects.get(code="19"), 2025)))
    assert text.count("Charte de qualité (annexe 4)") == 2  # one per house
    assert "Respecté :" in text and "Non respecté :" in text
    assert "Enquête de satisfaction (engagement 15)" in text
    assert "Réponses : < 5." in text
    assert "Afficher les horaires à l'entrée" in text
    assert "Aucune enquête de satisfaction cette année." in text  # Ussel ran none
