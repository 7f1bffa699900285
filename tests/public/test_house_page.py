"""A house's public page (issue 10, item 2; commitment 1, annex 1, annex 2): address and access,
public contact, the week's hours with holidays and closures, partners and their services, the
permanences, the equipment, the charter — never a referent's or a staff member's contact."""

import datetime as dt
import html
from pathlib import Path

import pytest
import time_machine
from django.contrib.staticfiles import finders

from msap.network.models import Closure
from msap.partners.models import ServiceItem
from tests import factories as f

pytestmark = pytest.mark.django_db
TUESDAY_10 = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC)


def text(response) -> str:
    return html.unescape(response.content.decode())


@time_machine.travel(TUESDAY_10, tick=False)
def test_the_page_shows_what_the_house_publishes(client, world):
    """Address, reduced mobility access, public phone, the week's hours, partners' services,
    permanences, equipment, the 15 commitments, how to complain."""
    house = world.house
    world.caf.services.add(ServiceItem.objects.order_by("pk").first())
    kind = f.AppointmentTypeFactory(
        partnership=world.caf, location_type="permanence", subject="Permanence CAF"
    )
    f.SlotRuleFactory(
        appointment_type=kind, adviser=f.AdviserFactory(partnership=world.caf), weekday=3
    )
    Closure.objects.create(
        house=house,
        start_date=dt.date(2026, 3, 12),
        end_date=dt.date(2026, 3, 12),
        reason="Formation de l'équipe",
    )
    response = client.get(f"/maison/{house.slug}/")
    assert response.status_code == 200
    body = text(response)
    for expected in (
        house.address,
        "Accueil de plain-pied, rampe.",
        house.phone,
        "Ouvert maintenant",
        "mardi 10 mars",
        "jeudi 12 mars",
        "Fermé (Formation de l'équipe)",
        world.caf.partner.name,
        ServiceItem.objects.order_by("pk").first().title,
        "Permanence CAF : jeudi 09:00 – 12:00",
        "Point multimédia connecté à internet",
        "15. Nous mesurons annuellement la satisfaction des usagers",
        "Faire une réclamation",
    ):
        assert expected in body, expected
    # Annex 2: a referent's contact, an adviser's name, a staff email never reach the public.
    for secret in (
        world.caf_referent.email,
        world.caf_referent.phone,
        world.caf_referent.last_name,
        "Conseillère",
        world.users.agent.email,
    ):
        assert secret not in body, secret


@time_machine.travel(dt.datetime(2026, 5, 1, 8, 0, tzinfo=dt.UTC), tick=False)
def test_a_holiday_shows_as_closed_with_its_name(client, one_house):
    """A public holiday of the house's département closes it all day, said by name."""
    body = text(client.get(f"/maison/{one_house.house.slug}/"))
    assert "Fermé (jour férié (Fête du Travail))" in body
    assert "Fermé maintenant" in body


def test_a_project_house_has_no_page(client):
    """A house not yet recognised has no public page (404)."""
    house = f.HouseFactory(status="project", recognised_on=None)
    assert client.get(f"/maison/{house.slug}/").status_code == 404
    assert client.get("/maison/pas-une-maison/").status_code == 404


@time_machine.travel(TUESDAY_10, tick=False)
def test_a_closed_house_points_to_the_nearest_open_ones(client):
    """A house closed for good says so and lists the nearest open houses."""
    closed = f.HouseFactory(
        name="Maison fermée",
        status="closed",
        closed_on=dt.date(2026, 1, 31),
        commune=f.commune("19272"),
    )
    f.HouseFactory(name="Maison ouverte", commune=f.commune("19272"))
    body = text(client.get(f"/maison/{closed.slug}/"))
    assert "Cette maison a fermé définitivement le 31 janvier 2026." in body
    assert "Maison ouverte" in body


@time_machine.travel(TUESDAY_10, tick=False)
def test_a_change_of_hours_is_seen_at_once_despite_the_cache(client, one_house):
    """The page is cached, and invalidated when the house's data changes (issue 10, item 6)."""
    house = one_house.house
    url = f"/maison/{house.slug}/"
    assert "Ouvert maintenant" in text(client.get(url))
    Closure.objects.create(
        house=house,
        start_date=dt.date(2026, 3, 10),
        end_date=dt.date(2026, 3, 10),
        reason="Inventaire",
    )
    body = text(client.get(url))
    assert "Fermé maintenant" in body and "Inventaire" in body


def test_the_print_stylesheet_keeps_hours_and_services(client, one_house):
    """Commitment 1: the page prints the hours and services to post at the door."""
    body = client.get(f"/maison/{one_house.house.slug}/").content.decode()
    assert "public/public.css" in body
    sheet = finders.find("public/public.css")
    sheet = Path(sheet).read_text(encoding="utf-8")
    assert "@media print" in sheet and ".public-noprint" in sheet
    assert 'class="fr-col-12 fr-col-md-6 public-print" aria-labelledby="horaires"' in body
