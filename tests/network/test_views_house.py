"""House list, identity, identity edit, the commune type-ahead and the history page."""

import html
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from msap.core.models import JournalEntry
from msap.network.models import House
from tests import factories as f

PARIS = ZoneInfo("Europe/Paris")


def page_text(response) -> str:
    """The page as the user reads it (HTML entities decoded)."""
    return html.unescape(response.content.decode())


def identity_post(house, **overrides):
    data = {
        "version": house.version,
        "name": house.name,
        "kind": house.kind,
        "address": house.address,
        "address_extra": house.address_extra,
        "postal_code": house.postal_code,
        "commune": house.commune.code,
        "latitude": "",
        "longitude": "",
        "phone": house.phone,
        "email": house.email,
        "served_communes": "",
    }
    data.update(overrides)
    return data


# --- list ---------------------------------------------------------------------------------------


def test_house_list_shows_only_the_houses_the_user_may_see(client, world):
    client.force_login(world.users.agent)
    response = client.get(reverse("house_list"))
    assert response.status_code == 200
    assert "France Services de Tulle" in page_text(response)
    assert "France Services d'Ussel" not in page_text(response)
    assert "Guéret" not in page_text(response)


def test_house_list_filters_by_name_and_departement(client, world):
    client.force_login(world.users.national)
    response = client.get(reverse("house_list"), {"departement": "23"})
    assert "France Services de Guéret" in page_text(response)
    assert "France Services de Tulle" not in page_text(response)
    response = client.get(reverse("house_list"), {"q": "ussel"})
    assert "France Services d'Ussel" in page_text(response)
    assert "France Services de Tulle" not in page_text(response)


def test_house_list_shows_the_status_badge(client, world):
    client.force_login(world.users.prefecture)
    response = client.get(reverse("house_list"))
    assert "fr-badge" in page_text(response)
    assert "Reconnue par le préfet" in page_text(response)


def test_house_list_needs_login(client, one_house):
    response = client.get(reverse("house_list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_house_list_query_count_does_not_grow_with_houses(
    client, world, django_assert_max_num_queries
):
    for _ in range(30):
        f.HouseFactory(with_defaults=False)
    client.force_login(world.users.national)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("house_list"))
    assert response.status_code == 200
    assert page_text(response).count('href="/maisons/') >= 33


def test_house_list_is_paginated_by_50(client, world):
    for _ in range(50):
        f.HouseFactory(with_defaults=False)
    client.force_login(world.users.national)
    response = client.get(reverse("house_list"))
    assert "53 maisons" in page_text(response)
    assert "1 / 2" in page_text(response)
    second = client.get(reverse("house_list"), {"page": 2})
    assert second.status_code == 200
    assert "2 / 2" in page_text(second)


# --- identity -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role",
    ["agent", "responsable", "gestionnaire", "referent_caf", "prefecture", "national", "admin"],
)
def test_identity_is_visible_to_everyone_who_sees_the_house(client, world, role):
    client.force_login(getattr(world.users, role))
    response = client.get(reverse("house_detail", args=[world.house.pk]))
    assert response.status_code == 200
    assert "France Services de Tulle" in page_text(response)
    assert "1 place de la Mairie" in page_text(response)
    assert "Reconnue par le préfet le 15 janvier 2024" in page_text(response)


@pytest.mark.parametrize("role", ["other_agent", "referent_msa", "norole"])
def test_identity_of_an_unseen_house_is_not_found(client, world, role):
    client.force_login(getattr(world.users, role))
    response = client.get(reverse("house_detail", args=[world.house.pk]))
    assert response.status_code == 404


def test_identity_needs_login(client, one_house):
    response = client.get(reverse("house_detail", args=[one_house.house.pk]))
    assert response.status_code == 302


def test_edit_button_only_for_managers(client, world):
    client.force_login(world.users.responsable)
    assert reverse("house_edit", args=[world.house.pk]) in page_text(
        client.get(reverse("house_detail", args=[world.house.pk]))
    )
    client.force_login(world.users.agent)
    assert reverse("house_edit", args=[world.house.pk]) not in page_text(
        client.get(reverse("house_detail", args=[world.house.pk]))
    )


def test_flags_shown_to_staff_not_to_partners(client, world):
    world.house.premises.has_confidential_space = False
    world.house.premises.save(update_fields=["has_confidential_space"])
    url = reverse("house_detail", args=[world.house.pk])
    client.force_login(world.users.agent)
    assert "il manque un espace confidentiel" in page_text(client.get(url))
    client.force_login(world.users.referent_caf)
    assert "il manque un espace confidentiel" not in page_text(client.get(url))


@time_machine.travel(datetime(2025, 11, 24, 20, 0, tzinfo=PARIS), tick=False)
def test_identity_shows_the_next_opening_in_french(client, one_house):
    client.force_login(one_house.users.agent)
    response = client.get(reverse("house_detail", args=[one_house.house.pk]))
    assert "Prochaine ouverture : mardi 25 novembre à 9 h 00" in page_text(response)


@time_machine.travel(datetime(2025, 11, 25, 10, 0, tzinfo=PARIS), tick=False)
def test_identity_says_open_now_during_opening_hours(client, one_house):
    client.force_login(one_house.users.agent)
    response = client.get(reverse("house_detail", args=[one_house.house.pk]))
    assert "Ouvert maintenant" in page_text(response)
    assert "jusqu'à 12 h 00" in page_text(response)


# --- identity edit ------------------------------------------------------------------------------


def test_responsable_edits_identity_and_it_is_journalled(client, one_house):
    client.force_login(one_house.users.responsable)
    url = reverse("house_edit", args=[one_house.house.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        identity_post(
            one_house.house, phone="05 55 26 00 00", latitude="45,2671", longitude="1,7700"
        ),
    )
    assert response.status_code == 302
    house = House.objects.get(pk=one_house.house.pk)
    assert house.phone == "05 55 26 00 00"
    assert str(house.latitude) == "45.267100"
    assert house.version == one_house.house.version + 1
    entry = JournalEntry.objects.filter(house_id=house.pk, action="house.updated").get()
    assert entry.actor == one_house.users.responsable
    assert entry.changes["phone"] == ["05 55 00 00 00", "05 55 26 00 00"]
    page = client.get(response.url)
    assert "L'identité de la maison a été enregistrée." in page_text(page)


def test_agent_may_not_edit_identity(client, one_house):
    client.force_login(one_house.users.agent)
    url = reverse("house_edit", args=[one_house.house.pk])
    assert client.get(url).status_code == 403
    assert (
        client.post(url, identity_post(one_house.house, phone="01 00 00 00 00")).status_code == 403
    )
    assert House.objects.get(pk=one_house.house.pk).phone == "05 55 00 00 00"


def test_stale_version_is_refused_with_its_message_and_nothing_changed(client, one_house):
    client.force_login(one_house.users.responsable)
    stale = one_house.house.version
    House.objects.filter(pk=one_house.house.pk).update(version=stale + 1)  # someone else saved
    response = client.post(
        reverse("house_edit", args=[one_house.house.pk]),
        identity_post(one_house.house, version=stale, phone="01 99 99 99 99"),
    )
    assert response.status_code == 200
    assert "modifiée par quelqu'un d'autre" in page_text(response)
    assert 'value="01 99 99 99 99"' in page_text(response)  # the user's input is kept
    assert House.objects.get(pk=one_house.house.pk).phone == "05 55 00 00 00"
    assert not JournalEntry.objects.filter(action="house.updated").exists()


def test_unknown_commune_gets_a_french_error(client, one_house):
    client.force_login(one_house.users.responsable)
    response = client.post(
        reverse("house_edit", args=[one_house.house.pk]),
        identity_post(one_house.house, commune="Atlantide"),
    )
    assert response.status_code == 200
    assert "Commune inconnue : « Atlantide »" in page_text(response)
    assert 'aria-describedby="id_commune_helptext id_commune_error"' in page_text(response)
    assert House.objects.get(pk=one_house.house.pk).version == one_house.house.version


def test_commune_accepted_by_name_or_by_labelled_code(client, world):
    client.force_login(world.users.responsable)
    url = reverse("house_edit", args=[world.house.pk])
    response = client.post(
        url,
        identity_post(world.house, commune="Tulle", served_communes="19275 — Ussel (19)\nTulle"),
    )
    assert response.status_code == 302
    house = House.objects.get(pk=world.house.pk)
    assert sorted(house.served_communes.values_list("code", flat=True)) == ["19272", "19275"]
    assert JournalEntry.objects.filter(house_id=house.pk, action="house.territory").count() == 1


def test_move_outside_the_territory_is_refused(client, world):
    client.force_login(world.users.responsable)
    # Guéret (Creuse) is outside the Corrèze house's département: art. 2.3.
    response = client.post(
        reverse("house_edit", args=[world.house.pk]),
        identity_post(world.house, commune="23096", postal_code="23000"),
    )
    assert response.status_code == 200
    assert "cadre géographique" in page_text(response)
    assert House.objects.get(pk=world.house.pk).commune_id == "19272"


def test_commune_search_returns_options(client, one_house):
    client.force_login(one_house.users.responsable)
    response = client.get(reverse("commune_search"), {"commune": "Tull"})
    assert response.status_code == 200
    assert '<option value="19272 — Tulle (19)">' in page_text(response)
    assert page_text(client.get(reverse("commune_search"), {"q": "T"})).strip() == ""


def test_commune_search_needs_login(client, one_house):
    assert client.get(reverse("commune_search"), {"q": "Tulle"}).status_code == 302


# --- history ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["responsable", "gestionnaire", "prefecture", "national"])
def test_history_visible_to_managers_and_overseers(client, world, role):
    client.force_login(world.users.responsable)
    client.post(
        reverse("house_edit", args=[world.house.pk]),
        identity_post(world.house, phone="05 55 26 00 00"),
    )
    client.force_login(getattr(world.users, role))
    response = client.get(reverse("house_history", args=[world.house.pk]))
    assert response.status_code == 200
    assert "Identité de la maison modifiée" in page_text(response)
    assert "Téléphone de la maison : 05 55 00 00 00 → 05 55 26 00 00" in page_text(response)


# Who is refused each page, and how: 403 seen but not allowed, 404 not seen at all.
REFUSED = {
    "house_edit": {"prefecture": 403, "national": 403, "referent_caf": 403, "other_agent": 404},
    "house_history": {"agent": 403, "referent_caf": 403, "other_agent": 404},
}


@pytest.mark.parametrize(
    "page, role, status",
    [(page, role, status) for page, refused in REFUSED.items() for role, status in refused.items()],
)
def test_the_edit_and_history_pages_are_refused_outside_their_readers(
    client, world, page, role, status
):
    """Read-only viewers may not edit the identity, agents and partners not read its history
    (403); the agent of another house does not see the house at all (404)."""
    client.force_login(getattr(world.users, role))
    assert client.get(reverse(page, args=[world.house.pk])).status_code == status
