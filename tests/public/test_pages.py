"""The pages the law expects (issue 10, item 5): accessibility statement, legal notice, privacy
notice, plan du site, /sitemap.xml listing every public page of every house, robots.txt."""

import html
import re

import pytest

from tests import factories as f

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(response.content.decode())


def test_the_footer_of_every_page_links_the_legal_pages(client):
    """Every page links the accessibility statement, the legal and privacy notices, the plan."""
    body = client.get("/").content.decode()
    for path in (
        "/accessibilite/",
        "/mentions-legales/",
        "/donnees-personnelles/",
        "/plan-du-site/",
    ):
        assert f'href="{path}"' in body
        assert client.get(path).status_code == 200


def test_the_accessibility_statement_is_honest_about_its_status(client):
    """RGAA: the statement says how it was tested and that it is partially compliant."""
    body = text(client.get("/accessibilite/"))
    assert "partiellement conforme" in body
    assert "axe-core" in body and "Playwright" in body and "clavier" in body
    assert "Défenseur des droits" in body


def test_the_privacy_notice_gives_the_retention_periods_of_the_settings(client, settings):
    """Privacy notice: what is kept and how long, read from the retention rules themselves."""
    settings.MSAP_DOSSIER_RETENTION_MONTHS = 18
    body = text(client.get("/donnees-personnelles/"))
    assert "18 mois après la dernière démarche" in body
    assert "30 jours après le rendez-vous" in body
    assert "CNIL" in body


def test_the_sitemap_lists_every_public_page_of_every_house_and_no_project(client):
    """/sitemap.xml lists every house with a public page, not a project."""
    houses = [f.HouseFactory(), f.HouseFactory(status="closed", closed_on="2026-01-02")]
    project = f.HouseFactory(status="project", recognised_on=None)
    response = client.get("/sitemap.xml")
    assert response["Content-Type"].startswith("application/xml")
    locs = re.findall(r"<loc>([^<]+)</loc>", response.content.decode())
    for house in houses:
        assert f"http://testserver/maison/{house.slug}/" in locs
    assert f"http://testserver/maison/{project.slug}/" not in locs
    assert "http://testserver/accessibilite/" in locs
    for loc in locs:
        assert client.get(loc.removeprefix("http://testserver")).status_code == 200


def test_robots_txt_points_to_the_sitemap_and_keeps_robots_out_of_staff_screens(client):
    body = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in body
    assert "Disallow: /maisons/" in body and "Disallow: /connexion/" in body


def test_the_plan_lists_the_houses_and_the_open_data_files(client):
    """Plan du site: every page, the houses by département, the open-data file by its path."""
    house = f.HouseFactory(name="Maison du plan")
    body = text(client.get("/plan-du-site/"))
    assert "Maison du plan" in body and f"/maison/{house.slug}/" in body
    assert "/donnees/maisons.csv" in body
