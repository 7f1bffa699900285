"""The public journey (issue 10, done when): a person types "st etienne", picks the commune the
type-ahead offers, opens the house, files a complaint with a postal address and reads the
acknowledgement with its reference and the one-month deadline (commitment 14); the house's
agent then finds the complaint in the register with that deadline. axe-core on the way."""

from django.utils import timezone
from django.utils.formats import date_format
from playwright.sync_api import expect

from msap.people.models import Role
from msap.registers.models import RegisterItem
from tests import factories as f
from tests.browser.conftest import assert_accessible, login


def test_a_person_finds_a_house_and_complains_and_the_agent_sees_it(page, transactional_db):
    house = f.HouseFactory(name="France Services de Saint-Étienne", commune=f.commune("42218"))
    agent = f.UserFactory(email="agent.stetienne@test.fr")
    f.MembershipFactory(user=agent, role=Role.AGENT, house=house)

    page.goto("/")
    page.get_by_label("Votre commune ou votre code postal").press_sequentially(
        "st etienne", delay=30
    )
    suggestion = (
        page.locator("#public-suggestions").get_by_role("link", name="Saint-Étienne (42").first
    )
    expect(suggestion).to_be_visible()
    assert_accessible(page)
    suggestion.click()
    page.wait_for_url("**/trouver/**")
    page.get_by_role("link", name="France Services de Saint-Étienne").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("France Services de Saint-Étienne")
    page.get_by_role("link", name="Faire une réclamation").click()
    page.get_by_label("Votre adresse postale (facultatif)").fill(
        "3 rue des Lilas, 42000 Saint-Étienne"
    )
    page.get_by_label("Objet").fill("Attente trop longue")
    page.get_by_label("Votre message").fill("J'ai attendu une heure <b>debout</b>.")
    page.get_by_role("button", name="Envoyer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Votre envoi a bien été reçu")
    item = RegisterItem.objects.get(house=house)
    due = date_format(timezone.localtime(item.due_at, house.tz), "DATE_FORMAT")
    expect(page.locator("#ack-reference")).to_have_text(f"Réclamation n° {item.number}")
    expect(page.locator("#ack-deadline")).to_contain_text(due)
    assert_accessible(page)

    page.context.clear_cookies()
    login(page, agent.email, f.PASSWORD)
    page.goto(f"/registres/maison/{house.pk}/reclamations/")
    row = page.get_by_role("row").filter(has_text="Attente trop longue")
    expect(row).to_contain_text(date_format(timezone.localtime(item.due_at), "j F Y"))
