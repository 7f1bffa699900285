"""The home page of each role shows what that role checks first."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories as f
from tests.conftest import login


def test_an_agent_sees_todays_requests_and_the_overdue_register_items(client, one_house):
    agent = one_house.users.agent
    f.ServiceRequestFactory(house=one_house.house, agent=agent, occurred_at=timezone.now())
    f.RegisterItemFactory(
        house=one_house.house,
        created_by=agent,
        kind="email",
        received_at=timezone.now() - timedelta(days=20),
        subject="Question sur la prime d'activité",
        sender_email="x@exemple.fr",
    )
    page = login(client, agent).get(reverse("home")).content.decode()
    assert "Vous avez enregistré 1 demande aujourd'hui" in unescape(page)
    assert "1 élément en retard" in page


def test_an_overseer_sees_network_counts_not_counter_figures(client, world):
    page = login(client, world.users.national).get(reverse("home")).content.decode()
    assert "Maisons reconnues" in page
    assert "Saisir une demande" not in page


def test_a_person_without_role_is_told_how_to_get_one(client, world):
    page = login(client, world.users.norole).get(reverse("home")).content.decode()
    assert "pas encore de rôle" in page


def headings(page: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>", "", h).strip()
        for h in re.findall(r"<h[1-6][^>]*>(.*?)</h[1-6]>", unescape(page), re.S)
    ]


def test_the_responsable_s_home_says_whose_figure_it_is_and_gives_the_house_s(client, world):
    """A responsable who recorded nothing today read "0 demandes enregistrées aujourd'hui" while
    the house had many: their own figure is named as theirs, and the house's is given too."""
    for _i in range(3):
        f.ServiceRequestFactory(
            house=world.house, agent=world.users.agent, category="A", occurred_at=timezone.now()
        )
    f.ServiceRequestFactory(
        house=world.other, agent=world.users.other_agent, category="A", occurred_at=timezone.now()
    )
    page = unescape(login(client, world.users.responsable).get(reverse("home")).content.decode())
    assert "Vous avez enregistré 0 demandes aujourd'hui" in page
    assert "Activité de France Services de Tulle" in page
    house_figure = re.search(rf'data-house-requests-today="{world.house.pk}">(.*?)</p>', page)
    assert house_figure.group(1) == (
        "3 demandes enregistrées aujourd'hui par toute l'équipe de la maison"
    )
    assert "Ussel" not in page  # another house's activity is not theirs to see


ROLES = [
    "agent",
    "responsable",
    "other_agent",
    "gestionnaire",
    "referent_caf",
    "prefecture",
    "national",
    "admin",
    "norole",
]


@pytest.mark.parametrize("role", ROLES)
def test_every_tile_on_a_home_page_is_a_link_that_answers(client, world, role):
    """Tiles look clickable (DSFR fr-tile): each one leads to a page this role may open."""
    user = getattr(world.users, role)
    page = login(client, user).get(reverse("home")).content.decode()
    tiles = re.findall(r'<div class="fr-tile[ "].*?</div></div></div></div>', page, re.S)
    for tile in tiles:
        assert "fr-enlarge-link" in tile, tile
        hrefs = re.findall(r'<a href="([^"]+)"', tile)
        assert len(hrefs) == 1, tile
        assert client.get(unescape(hrefs[0])).status_code == 200, hrefs[0]
    if role in ("agent", "responsable", "prefecture", "national"):
        assert tiles, "this role's home has its figures as tiles"


def test_a_single_house_agent_s_register_tile_leads_to_its_registers(client, world):
    page = login(client, world.users.agent).get(reverse("home")).content.decode()
    assert f'href="{reverse("registers_home", args=[world.house.pk])}"' in page


def test_the_prefecture_s_home_names_its_territory_and_labels_its_figures(client, world):
    page = login(client, world.users.prefecture).get(reverse("home")).content.decode()
    assert "Maisons du territoire : Corrèze (19)" in unescape(page)
    assert re.search(r'data-status="recognised">2 maisons<', page)  # Tulle and Ussel, not Guéret
    assert f"{reverse('house_list')}?status=recognised&amp;departement=19" in page
    assert not [h for h in headings(page) if re.fullmatch(r"[\d\s]+", h)]


def test_the_nation_s_home_covers_all_of_france_in_words(client, world):
    page = login(client, world.users.national).get(reverse("home")).content.decode()
    assert "Maisons du territoire : France entière" in unescape(page)
    assert re.search(r'data-status="recognised">3 maisons<', page)
    assert not [h for h in headings(page) if re.fullmatch(r"[\d\s]+", h)]
    assert "Maisons reconnues" in headings(page)
