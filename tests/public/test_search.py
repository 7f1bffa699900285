"""Find a house (issue 10, item 1; charter commitment 1: the list of houses and their hours are
published): by commune name or postal code, the houses serving the commune first, then the
nearest others; each with today's hours and whether it is open now."""

import datetime as dt
import html
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from msap.network.models import OpeningRange
from tests import factories as f

pytestmark = pytest.mark.django_db
# A Tuesday, 10:00 in Paris: the factory houses are open (9:00-12:00, 14:00-16:30).
TUESDAY_10 = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC)


def _search(client, **params):
    return client.get("/trouver/", params)


def text(response) -> str:
    return html.unescape(response.content.decode())


@time_machine.travel(TUESDAY_10, tick=False)
def test_the_house_serving_the_commune_comes_first_then_the_nearest(client):
    """Houses whose territory serves the commune first, then the others by distance."""
    tulle = f.commune("19272")
    far = f.HouseFactory(
        name="Maison lointaine", latitude=Decimal("45.90"), longitude=Decimal("1.00")
    )
    near = f.HouseFactory(
        name="Maison voisine", latitude=Decimal("45.30"), longitude=Decimal("1.80")
    )
    serving = f.HouseFactory(
        name="Maison de la vallée",
        commune=f.commune("19031"),
        latitude=Decimal("45.27"),
        longitude=Decimal("1.77"),
    )
    serving.served_communes.add(tulle)
    body = text(_search(client, q="tulle"))
    assert (
        body.index("Maison de la vallée")
        < body.index("Maison voisine")
        < body.index("Maison lointaine")
    )
    assert "Dessert votre commune" in body
    assert "Ouvert maintenant" in body
    assert far and near


@time_machine.travel(TUESDAY_10, tick=False)
def test_a_postal_code_finds_the_commune_and_its_house(client):
    """A postal code is searched as well as a name."""
    f.HouseFactory(name="France Services de Tulle", commune=f.commune("19272"))
    response = _search(client, q="19000")
    assert response.status_code == 200
    assert "France Services de Tulle" in text(response)


@time_machine.travel(TUESDAY_10, tick=False)
@pytest.mark.parametrize("query", ["saint etienne", "st etienne", "ST-ÉTIENNE"])
def test_accents_hyphens_and_st_are_forgiven(client, query):
    """Issue 10, item 1: "st etienne" finds Saint-Étienne (accents, hyphens, st forgiven)."""
    f.HouseFactory(name="Maison de Saint-Étienne", commune=f.commune("42218"))
    body = text(_search(client, q=query))
    assert "Maisons pour Saint-Étienne (42)" in body
    assert "Maison de Saint-Étienne" in body


@time_machine.travel(TUESDAY_10, tick=False)
def test_a_closed_house_says_so_with_its_next_opening(client):
    """A house closed now is shown as closed, with when it next opens."""
    house = f.HouseFactory(name="Maison du soir", commune=f.commune("19272"))
    OpeningRange.objects.filter(house=house, weekday=1).delete()
    body = text(_search(client, q="tulle"))
    assert "Fermé maintenant" in body
    assert "Prochaine ouverture : mercredi 11 mars à 09:00" in body


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "Indiquez le nom d'une commune ou un code postal"),
        ("   ", "Indiquez le nom d'une commune ou un code postal"),
        ("x" * 500, "Votre recherche est trop longue"),
        ("Zzyzxville", "Aucune commune ne correspond à « Zzyzxville »"),
    ],
)
def test_bad_searches_get_a_clear_french_message(client, query, message):
    """Empty search, absurd length, unknown commune: a clear French message, never an error."""
    response = _search(client, q=query)
    assert response.status_code == 200
    assert message in text(response)


def test_html_in_the_search_is_escaped(client):
    """HTML or script typed in the search is shown as text, never executed."""
    response = _search(client, q="<script>alert(1)</script>")
    body = response.content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_an_unknown_commune_code_is_refused_in_french(client):
    """A forged commune code: the commune is said to be unknown."""
    body = text(_search(client, commune="<b>99999</b>"))
    assert "Cette commune est inconnue" in body


def test_the_type_ahead_offers_communes_as_links(client):
    """The type-ahead (htmx) lists the communes starting with what is typed, as plain links."""
    body = client.get("/trouver/communes/", {"q": "tull"}).content.decode()
    assert "Tulle (19" in body
    assert "commune=19272" in body
    assert client.get("/trouver/communes/", {"q": "x" * 300}).content.decode().strip() == ""


@time_machine.travel(TUESDAY_10, tick=False)
def test_a_mobile_house_shows_its_next_stops(client):
    """Mobile houses with their next stops (commitment 3 ter)."""
    stop = f.MobileStopFactory(
        house=f.HouseFactory(name="Bus France Services", kind="mobile", commune=f.commune("19272")),
        place="Place du marché",
    )
    body = text(_search(client, q="tulle"))
    assert "Maison itinérante" in body
    assert "mercredi 11 mars, Place du marché" in body
    assert stop


@time_machine.travel(TUESDAY_10, tick=False)
def test_a_project_house_is_not_listed(client):
    """Only recognised houses are published; a project has no page yet."""
    f.HouseFactory(
        name="Maison en projet", commune=f.commune("19272"), status="project", recognised_on=None
    )
    assert "Maison en projet" not in text(_search(client, q="tulle"))
    assert timezone.now() == TUESDAY_10
