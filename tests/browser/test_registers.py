"""Registers in a real browser: an agent registers an incoming letter, prints its acknowledgement
of receipt, answers it, and sees the register's "answered on time" figure move (issue 4)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from msap.registers.models import Kind, RegisterItem, Status
from tests import factories as f
from tests.browser.conftest import assert_accessible, login


def on_time_figure(page) -> str:
    return page.locator('[data-register="mail_in"]').inner_text()


def test_agent_registers_a_letter_acknowledges_it_answers_it_and_sees_the_indicator_move(
    page, world
):
    agent = world.users.agent
    # An email left unanswered for three weeks: the "à traiter" tables are on the page.
    f.RegisterItemFactory(
        house=world.house,
        created_by=agent,
        kind="email",
        sender_email="usager@exemple.fr",
        subject="Relance",
        received_at=timezone.now() - timedelta(days=21),
    )
    login(page, agent.email, f.PASSWORD)

    page.goto(f"/registres/maison/{world.house.pk}/")
    expect(page.get_by_role("heading", name="Registres", exact=True)).to_be_visible()
    assert "Aucun élément répondu sur la période" in on_time_figure(page)
    expect(page.get_by_text("En retard de", exact=False).first).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Courrier arrivé (0)").click()
    expect(page.get_by_role("heading", name="Courrier arrivé", exact=True)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Enregistrer un courrier arrivé").click()
    expect(page.get_by_label("Reçu le")).not_to_have_value("")
    assert_accessible(page)
    page.get_by_role("textbox", name="Expéditeur", exact=True).fill("Mme Durand")
    page.get_by_role("textbox", name="Adresse postale").fill("3 rue des Lilas, 19000 Tulle")
    page.get_by_role("textbox", name="Objet", exact=True).fill("Demande d'aide au logement")
    page.get_by_role("button", name="Enregistrer").click()

    expect(page.get_by_text("Courrier arrivé n°1 : enregistré.")).to_be_visible()
    expect(page.get_by_text("Courrier : réponse sous un mois — engagement 11")).to_be_visible()
    assert_accessible(page)
    item = RegisterItem.objects.get(house=world.house, kind=Kind.INCOMING_MAIL)

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Accusé de réception (PDF)").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    assert RegisterItem.objects.filter(house=world.house, kind=Kind.OUTGOING_MAIL).count() == 1

    # An empty answer is refused in French: named in the error summary, which takes the focus,
    # and under its field.
    page.get_by_role("button", name="Enregistrer la réponse").click()
    summary = page.locator("[data-msap-error-summary]")
    expect(summary.get_by_role("link", name="Réponse sur le fond")).to_be_visible()
    expect(summary).to_be_focused()
    expect(page.get_by_text("Écrivez la réponse.", exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Réponse sur le fond").fill("Votre demande est transmise à la CAF.")
    page.get_by_role("button", name="Enregistrer la réponse").click()
    expect(page.get_by_text("La réponse est enregistrée.")).to_be_visible()
    item.refresh_from_db()
    assert item.status == Status.ANSWERED and item.on_time is True

    page.get_by_role("link", name="À traiter").click()
    assert "répondus dans les délais : 1 sur 1" in on_time_figure(page)

    page.get_by_role("link", name="Courrier arrivé (1)").click()
    expect(page.get_by_role("link", name="Demande d'aide au logement")).to_be_visible()
    assert_accessible(page)


@pytest.mark.parametrize("width", [320, 1280])
def test_the_on_time_figure_stays_inside_its_card(page, world, width):
    """The on-time line sat in the card's end and was drawn below the card, over the next row."""
    login(page, world.users.agent.email, f.PASSWORD)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"/registres/maison/{world.house.pk}/")
    problems = page.evaluate(
        """() => {
          const out = [];
          const cards = [...document.querySelectorAll('.fr-card')];
          for (const figure of document.querySelectorAll('[data-register]')) {
            const f = figure.getBoundingClientRect();
            const c = figure.closest('.fr-card').getBoundingClientRect();
            if (f.top < c.top || f.bottom > c.bottom || f.left < c.left || f.right > c.right)
              out.push(`outside its card: ${figure.dataset.register}`);
          }
          cards.forEach((a, i) => cards.slice(i + 1).forEach(b => {
            const r = a.getBoundingClientRect(), s = b.getBoundingClientRect();
            if (r.left < s.right && s.left < r.right && r.top < s.bottom && s.top < r.bottom)
              out.push('two cards overlap');
          }));
          return out;
        }"""
    )
    assert page.locator("[data-register]").count() == 4
    assert not problems, problems
