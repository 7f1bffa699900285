"""Premises, equipment and the art. 3.3 minimum checklist."""

import html
import re

import pytest
from django.urls import reverse

from msap.core.models import JournalEntry
from msap.network.models import Equipment, Premises
from msap.network.services import PREMISES_FIELDS


def page_text(response) -> str:
    """The words of the page as a user reads them: no tags, entities decoded, spaces collapsed."""
    words = re.sub(r"<[^>]+>", " ", response.content.decode())
    return " ".join(html.unescape(words).split())


def premises_post(premises, **overrides) -> dict:
    """The premises form as a browser posts it: unchecked boxes are simply absent."""
    data = {"version": premises.version}
    for name in PREMISES_FIELDS:
        value = getattr(premises, name)
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = value
    for name, value in overrides.items():
        if value is False:
            data.pop(name, None)
        elif value is True:
            data[name] = "on"
        else:
            data[name] = value
    return data


@pytest.mark.parametrize(
    "role", ["agent", "responsable", "gestionnaire", "referent_caf", "prefecture", "national"]
)
def test_premises_page_visible_to_every_viewer(client, world, role):
    client.force_login(getattr(world.users, role))
    response = client.get(reverse("house_premises", args=[world.house.pk]))
    assert response.status_code == 200
    assert "Le minimum de l'article 3.3 est atteint" in page_text(response)


def test_premises_of_an_unseen_house_are_not_found(client, world):
    client.force_login(world.users.other_agent)
    assert client.get(reverse("house_premises", args=[world.house.pk])).status_code == 404


def test_read_only_viewers_get_no_forms(client, world):
    client.force_login(world.users.agent)
    text = page_text(client.get(reverse("house_premises", args=[world.house.pk])))
    assert "Enregistrer les locaux" not in text
    assert "Ajouter l'équipement" not in text
    assert "Point multimédia connecté à internet" in text


def test_responsable_updates_premises_and_it_is_journalled(client, one_house):
    premises = one_house.house.premises
    client.force_login(one_house.users.responsable)
    response = client.post(
        reverse("house_premises", args=[one_house.house.pk]),
        premises_post(premises, has_meeting_room=True, notes="Salle partagée avec la mairie."),
    )
    assert response.status_code == 302
    premises.refresh_from_db()
    assert premises.has_meeting_room and premises.notes == "Salle partagée avec la mairie."
    assert premises.version == 2
    entry = JournalEntry.objects.get(action="house.premises")
    assert entry.changes["has_meeting_room"] == [False, True]
    assert "Les locaux ont été enregistrés." in page_text(client.get(response.url))


def test_missing_minimum_checklist_says_what_is_missing(client, one_house):
    premises = one_house.house.premises
    client.force_login(one_house.users.responsable)
    client.post(
        reverse("house_premises", args=[one_house.house.pk]),
        premises_post(premises, has_confidential_space=False, reduced_mobility_access=""),
    )
    Equipment.objects.filter(house=one_house.house, kind="printer").delete()
    text = page_text(client.get(reverse("house_premises", args=[one_house.house.pk])))
    assert "Il manque 3 éléments du minimum" in text
    assert "Un espace confidentiel (manquant)" in text
    assert "La description de l'accueil des personnes à mobilité réduite (manquant)" in text
    assert "Une imprimante et/ou un scanner (manquant)" in text
    assert "Un point d'accueil du public (présent)" in text


def test_stale_premises_version_is_refused_and_nothing_changed(client, one_house):
    premises = one_house.house.premises
    client.force_login(one_house.users.responsable)
    data = premises_post(premises, has_meeting_room=True)
    Premises.objects.filter(pk=premises.pk).update(version=premises.version + 1)
    response = client.post(reverse("house_premises", args=[one_house.house.pk]), data)
    assert response.status_code == 200
    assert "modifiée par quelqu'un d'autre" in page_text(response)
    premises.refresh_from_db()
    assert not premises.has_meeting_room


def test_agent_may_not_update_premises(client, one_house):
    premises = one_house.house.premises
    client.force_login(one_house.users.agent)
    response = client.post(
        reverse("house_premises", args=[one_house.house.pk]),
        premises_post(premises, has_meeting_room=True),
    )
    assert response.status_code == 403
    premises.refresh_from_db()
    assert not premises.has_meeting_room


def test_responsable_adds_and_removes_equipment(client, one_house):
    client.force_login(one_house.users.responsable)
    response = client.post(
        reverse("equipment_add", args=[one_house.house.pk]),
        {
            "kind": "scanner",
            "label": "Scanner à plat",
            "quantity": "1",
            "for_public": "on",
            "in_service": "on",
        },
    )
    assert response.status_code == 302
    item = Equipment.objects.get(house=one_house.house, kind="scanner")
    assert item.label == "Scanner à plat" and item.for_public and item.in_service
    text = page_text(client.get(response.url))
    assert "Équipement ajouté : Scanner à plat." in text
    response = client.post(reverse("equipment_delete", args=[one_house.house.pk, item.pk]))
    assert response.status_code == 302
    assert not Equipment.objects.filter(pk=item.pk).exists()
    assert JournalEntry.objects.filter(action="house.equipment_removed").exists()


def test_equipment_with_zero_quantity_is_refused(client, one_house):
    client.force_login(one_house.users.responsable)
    response = client.post(
        reverse("equipment_add", args=[one_house.house.pk]),
        {"kind": "tablet", "label": "", "quantity": "0"},
    )
    assert response.status_code == 200
    assert "supérieure ou égale à 1" in page_text(response)
    assert not Equipment.objects.filter(kind="tablet").exists()


def test_agent_may_not_add_or_remove_equipment(client, one_house):
    item = Equipment.objects.filter(house=one_house.house).first()
    client.force_login(one_house.users.agent)
    assert (
        client.post(
            reverse("equipment_add", args=[one_house.house.pk]), {"kind": "tablet", "quantity": "1"}
        ).status_code
        == 403
    )
    assert (
        client.post(reverse("equipment_delete", args=[one_house.house.pk, item.pk])).status_code
        == 403
    )
    assert Equipment.objects.filter(pk=item.pk).exists()


def test_equipment_of_another_house_cannot_be_removed_through_this_one(client, world):
    item = Equipment.objects.filter(house=world.other).first()
    client.force_login(world.users.responsable)
    assert (
        client.post(reverse("equipment_delete", args=[world.house.pk, item.pk])).status_code == 404
    )
    assert (
        client.post(reverse("equipment_delete", args=[world.other.pk, item.pk])).status_code == 404
    )
    assert Equipment.objects.filter(pk=item.pk).exists()
