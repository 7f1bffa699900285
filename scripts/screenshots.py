"""Take the README's screenshots from a running demo (`make demo`), in Debian's Chromium.

    .venv/bin/python scripts/screenshots.py [--base http://127.0.0.1:8000] [--out docs/screenshots]

Each picture is a screen as a demo user sees it, at 1280 px wide: the same pages every time, so
a refreshed picture shows what changed in the interface and nothing else.
"""

import argparse
import re
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from playwright.sync_api import sync_playwright

from msap.demo.data import DEMO_PASSWORD

CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]

# (file, account, how to reach the page from the account's home — `house:` a page under the
# account's first house, `{house}` that house's number —, full page or the first screen)
SHOTS = [
    ("home-agent", "agent@demo.msap.fr", None, False),
    ("quick-entry", "agent@demo.msap.fr", "/saisie/", False),
    ("day", "agent@demo.msap.fr", "/activite/jour/", False),
    ("board", "responsable@demo.msap.fr", "house:activite/", True),
    ("hours", "responsable@demo.msap.fr", "house:horaires/", True),
    ("registers", "responsable@demo.msap.fr", "/registres/maison/{house}/", True),
    ("partners", "responsable@demo.msap.fr", "house:partenaires/", False),
    ("appointments", "agent@demo.msap.fr", "/rendez-vous/maison/{house}/", False),
    ("transmissions", "agent@demo.msap.fr", "/saisines/maison/{house}/", False),
    ("portal", "referent.caf@demo.msap.fr", "/partenaire/", False),
    ("charter", "responsable@demo.msap.fr", "/charte/maisons/{house}/", False),
    ("charter-table", "prefecture@demo.msap.fr", "/charte/", False),
    ("survey", "responsable@demo.msap.fr", "/enquetes/maison/{house}/", False),
    ("committee", "responsable@demo.msap.fr", "/comites/maison/{house}/", False),
    ("convention", "responsable@demo.msap.fr", "/conventions/{house}/", False),
    ("home-prefecture", "prefecture@demo.msap.fr", None, False),
    ("home-national", "national@demo.msap.fr", None, False),
    # The public site, signed out (account None); `public:house` is the first house of the plan.
    ("public-home", None, None, False),
    ("public-search", None, "/trouver/?q=tulle", True),
    ("public-house", None, "public:house", True),
    ("public-complaint", None, "public:house/ecrire/reclamation/", True),
]


def login(page, base: str, email: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/connexion/")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").last.click()
    page.wait_for_url(lambda url: "/connexion/" not in url)


def house_url(page, base: str) -> str:
    """The first house of the account, from the links of its home page."""
    page.goto(f"{base}/")
    href = page.locator("a[href^='/maisons/']").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    for link in href:
        match = re.match(r"^/maisons/(\d+)/", link)
        if match:
            return f"{base}/maisons/{match.group(1)}/"
    raise SystemExit("no house linked from the home page: is the demo built (make demo)?")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--out", default="docs/screenshots")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="fr-FR")
        signed_in = None
        for name, email, target, full in SHOTS:
            if email != signed_in:
                if email is None:
                    page.context.clear_cookies()
                else:
                    login(page, args.base, email)
                signed_in = email
            if target is None:
                url = f"{args.base}/"
            elif target.startswith("public:house"):
                page.goto(f"{args.base}/plan-du-site/")
                href = page.locator("a[href^='/maison/']").first.get_attribute("href")
                url = args.base + href + target.removeprefix("public:house").lstrip("/")
            elif target.startswith("house:"):
                url = house_url(page, args.base) + target.removeprefix("house:")
            elif "{house}" in target:
                number = house_url(page, args.base).rstrip("/").rsplit("/", 1)[-1]
                url = args.base + target.format(house=number)
            else:
                url = args.base + target
            response = page.goto(url)
            if response is None or response.status != 200:
                raise SystemExit(f"{url} answered {response and response.status}")
            path = out / f"{name}.png"
            page.screenshot(path=str(path), full_page=full)
            print(f"{path}: {url}")
        browser.close()


if __name__ == "__main__":
    main()
