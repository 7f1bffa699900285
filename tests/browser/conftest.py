"""Real headless Chromium (Debian's package) driven by Playwright against Django's live server."""

import os
import shutil

import pytest

from msap.lib.env import env_bool, env_str
from tests.conftest import reload_reference_data

CHROMIUM = (
    env_str("MSAP_CHROMIUM_PATH", old="CHROMIUM_PATH")
    or shutil.which("chromium")
    or "/usr/bin/chromium"
)
# A missing Chromium fails the browser tests (scripts/system-deps installs it for make test);
# MSAP_SKIP_BROWSER=true is the explicit way to run without them.
SKIP_BROWSER = env_bool("MSAP_SKIP_BROWSER", False)
# Flags for a closed network: no background connections, no first-run work.
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium():
    if SKIP_BROWSER:
        pytest.skip("browser tests skipped (MSAP_SKIP_BROWSER=true)")
    if not os.path.exists(CHROMIUM):
        pytest.fail(
            f"Chromium is required for the browser tests and was not found at {CHROMIUM}: "
            "run `sudo apt-get install chromium` (or `make test`, which installs it when it "
            "can), or set MSAP_SKIP_BROWSER=true to skip the browser tests.",
            pytrace=False,
        )
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # between page actions are synchronous and safe here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server):
    context = chromium.new_context(
        locale="fr-FR", timezone_id="Europe/Paris", base_url=live_server.url
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def assert_accessible(page, *, allow: tuple[str, ...] = ()):
    """axe-core pass on the current page: no serious or critical violation."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    bad = [
        v
        for v in results.response["violations"]
        if v.get("impact") in {"serious", "critical"} and v["id"] not in allow
    ]
    details = "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
        for v in bad
    )
    assert not bad, f"Accessibility violations on {page.url}:\n{details}"


def login(page, email: str, password: str):
    page.goto("/connexion/")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").last.click()
    page.wait_for_url(lambda url: "/connexion/" not in url)


# The labels a page must keep whole, pushed into the caller's `out`: a house tab's label is
# neither cut nor taller than `wraps` (the caller's) line heights; no chart text leaves its chart.
LABEL_CHECKS_JS = """
  for (const a of document.querySelectorAll('nav[data-msap-tabs] a')) {
    if (a.scrollWidth > a.clientWidth + 1) out.push(`tab label cut: ${a.textContent.trim()}`);
    if (a.getClientRects().length > 1 || a.getBoundingClientRect().height > wraps * parseFloat(getComputedStyle(a).lineHeight))
      out.push(`tab label wraps: ${a.textContent.trim()}`);
  }
  for (const svg of document.querySelectorAll('svg[role="img"]')) {
    const box = svg.viewBox.baseVal;
    for (const t of svg.querySelectorAll('text')) {
      const b = t.getBBox();
      if (b.x < box.x - 0.5 || b.x + b.width > box.x + box.width + 0.5)
        out.push(`chart label outside its chart: ${t.textContent}`);
    }
  }
"""


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    """Browser tests run on a transactional database, which Django empties after each test."""
    reload_reference_data()
