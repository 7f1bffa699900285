"""Quick entry in a real browser: a common request in at most 5 keystrokes-or-clicks and 15 seconds,
recorded once whatever the agent double-clicks (issue 3, "Quick entry")."""

import re
import time

from playwright.sync_api import expect

from msap.desk.models import ServiceRequest
from msap.partners.models import Partner
from tests import factories as f
from tests.browser.conftest import assert_accessible, login

BUDGET_ACTIONS = 5
BUDGET_SECONDS = 15
SAVED = re.compile(r"/saisie/\?enregistree=\d+")


class Agent:
    """Drives the page the way an agent does, counting each key press and each click."""

    def __init__(self, page):
        self.page = page
        self.actions = 0

    def press(self, key: str) -> None:
        self.actions += 1
        self.page.keyboard.press(key)

    def click(self, locator) -> None:
        self.actions += 1
        locator.click()


def saved_count(page, previous: int) -> int:
    """Wait for the next confirmation page, then read how many requests are stored."""
    page.wait_for_url(SAVED)
    page.wait_for_load_state("load")
    expect(page.locator("#saved-status")).to_contain_text("Demande enregistrée")
    return ServiceRequest.objects.count() - previous


def test_a_common_request_is_recorded_in_five_actions_and_fifteen_seconds(page, world):
    caf = Partner.objects.get(code="caf")
    login(page, world.users.agent.email, f.PASSWORD)
    page.goto("/saisie/")
    expect(page.get_by_label("Partenaire concerné")).to_be_focused()
    # The shortcut hint names this browser's keys: Alt+key in Chromium (not Firefox's Alt+Maj).
    hint = page.locator("[data-msap-accesskeys] [data-keys]:visible")
    expect(hint).to_have_count(1)
    expect(hint).to_contain_text("Alt+A, Alt+1")
    expect(hint).not_to_contain_text("Maj")

    # First request of a new agent, nothing pre-selected: type "c" on the partner (CAF), Tab to
    # the categories, right arrow from A to B1, Enter.
    agent = Agent(page)
    started = time.monotonic()
    agent.press("c")
    agent.press("Tab")
    agent.press("ArrowRight")
    agent.press("Enter")
    assert saved_count(page, 0) == 1
    elapsed = time.monotonic() - started
    assert agent.actions <= BUDGET_ACTIONS
    assert elapsed < BUDGET_SECONDS, f"{elapsed:.1f} s"

    obj = ServiceRequest.objects.get()
    assert (obj.agent, obj.house, obj.partner, obj.category.code) == (
        world.users.agent,
        world.house,
        caf,
        "B1",
    )
    expect(page.locator("#today-count")).to_contain_text("1 demande enregistrée")

    # The page comes back ready for the next person: focus on the first field, same choices.
    expect(page.get_by_label("Partenaire concerné")).to_be_focused()
    expect(page.get_by_label("Partenaire concerné")).to_have_value(str(caf.pk))
    expect(page.get_by_label("B1. Facilitation numérique")).to_be_checked()

    # The same common request again: one key press.
    agent = Agent(page)
    agent.press("Enter")
    assert saved_count(page, 1) == 1
    assert agent.actions == 1
    expect(page.locator("#today-count")).to_contain_text("2 demandes enregistrées")

    # A favourite: one click.
    agent = Agent(page)
    agent.click(
        page.locator("#favourites").get_by_role("button", name="CAF — Facilitation numérique")
    )
    assert saved_count(page, 2) == 1
    assert agent.actions == 1
    assert (
        ServiceRequest.objects.filter(
            agent=world.users.agent, partner=caf, category__code="B1"
        ).count()
        == 3
    )


def test_a_double_click_on_save_records_one_request(page, world):
    login(page, world.users.agent.email, f.PASSWORD)
    page.goto("/saisie/")
    page.get_by_label("Partenaire concerné").select_option(label="CAF")
    page.locator("label[for=category-B2]").click()  # DSFR draws the radio on its label
    page.get_by_role("button", name="Enregistrer la demande").dblclick()
    page.wait_for_url(SAVED)
    page.wait_for_load_state("networkidle")
    assert ServiceRequest.objects.count() == 1
    assert ServiceRequest.objects.get().category.code == "B2"

    # A retry after a network error: the same form sent twice at once, as a flaky network would.
    statuses = page.evaluate(
        """async () => {
            const form = document.getElementById("quick-entry");
            const send = () => fetch(form.action, {method: "POST", body: new FormData(form), redirect: "manual"});
            const responses = await Promise.all([send(), send()]);
            return responses.map(r => r.type === "opaqueredirect" ? 302 : r.status);
        }"""
    )
    assert statuses == [302, 302]
    assert ServiceRequest.objects.count() == 2


def test_quick_entry_and_the_day_pass_axe(page, world):
    login(page, world.users.agent.email, f.PASSWORD)
    page.goto("/saisie/")
    assert_accessible(page)
    page.get_by_label("Partenaire concerné").select_option(label="CAF")
    page.locator("label[for=category-A]").click()
    page.get_by_role("button", name="Enregistrer la demande").click()
    page.wait_for_url(SAVED)
    assert_accessible(page)  # with the confirmation and a favourite
    page.goto("/activite/jour/")
    expect(page.get_by_role("table", name="Demandes enregistrées aujourd'hui")).to_contain_text(
        "CAF"
    )
    assert_accessible(page)
