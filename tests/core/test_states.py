"""The one state-machine pattern (msap.core.states) on each status field that uses it: register
item (charter commitments 11–14), house lifecycle (art. 3.4), partnership (art. 7), personal
file (SPEC confidentiality). Valid moves, refused moves with their French message, and the
statuses each record offers."""

from datetime import date

import pytest

from msap.core.errors import DomainError
from msap.dossiers import services as dossier_services
from msap.dossiers.models import Dossier, DossierStatus
from msap.network import services as network_services
from msap.network.models import House, HouseStatus
from msap.partners import services as partner_services
from msap.partners.models import Partnership, PartnershipStatus
from msap.registers import rules
from msap.registers import services as register_services
from msap.registers.models import RegisterItem, Status
from tests import factories as f

pytestmark = pytest.mark.django_db


# --- register item: the charter's graph (registers.rules.TRANSITIONS) -------------------------


def test_register_graph_is_over_the_models_status_codes():
    """The graph in rules.py names every status of the model, and only those."""
    assert set(rules.TRANSITIONS) == set(Status.values)
    assert set().union(*rules.TRANSITIONS.values()) <= set(Status.values)


def test_new_letter_offers_every_answer_but_not_closing_while_it_owes_one(one_house):
    """Commitment 11: a letter owes an answer within a month; closing is not a way around it."""
    item = f.RegisterItemFactory(house=one_house.house)
    assert item.available_statuses() == [
        Status.IN_PROGRESS,
        Status.ANSWERED,
        Status.REDIRECTED,
        Status.EXEMPT,
    ]
    with pytest.raises(DomainError) as exc:
        item.set_status(Status.CLOSED)
    assert "attend une réponse dans un délai de la charte" in exc.value.message
    assert "status" in exc.value.errors
    assert item.status == Status.NEW


def test_answered_item_may_only_be_closed(world):
    item = f.RegisterItemFactory(house=world.house)
    register_services.set_status(world.users.agent, item, Status.ANSWERED, item.version)
    item = RegisterItem.objects.get(pk=item.pk)
    assert item.available_statuses() == [Status.CLOSED]
    with pytest.raises(DomainError) as exc:
        item.set_status(Status.IN_PROGRESS)
    assert exc.value.message == "Passage impossible de « Répondu sur le fond » à « En cours »."
    assert item.set_status(Status.CLOSED) == Status.ANSWERED
    assert item.status == Status.CLOSED


def test_closed_item_is_final(one_house):
    """A call taken within 5 rings is closed when recorded (commitment 13): nothing follows."""
    item = f.RegisterItemFactory(house=one_house.house, kind="phone", phone_outcome="answered")
    assert item.status == Status.CLOSED
    assert item.available_statuses() == []
    with pytest.raises(DomainError, match="Passage impossible de « Clos » à « Nouveau »"):
        item.set_status(Status.NEW)


def test_unknown_status_is_refused_in_french(one_house):
    item = f.RegisterItemFactory(house=one_house.house)
    with pytest.raises(DomainError) as exc:
        item.set_status("archived")
    assert exc.value.message == "Statut inconnu."
    assert item.status == Status.NEW


def test_register_service_moves_through_the_machine_and_saves(one_house):
    item = f.RegisterItemFactory(house=one_house.house, kind="email", sender_email="u@exemple.fr")
    register_services.set_status(one_house.users.agent, item, Status.IN_PROGRESS, item.version)
    assert RegisterItem.objects.get(pk=item.pk).status == Status.IN_PROGRESS


# --- house lifecycle (art. 3.4) ---------------------------------------------------------------


def test_project_house_may_be_recognised_or_closed():
    house = f.HouseFactory(status=HouseStatus.PROJECT)
    assert house.available_statuses() == [HouseStatus.RECOGNISED, HouseStatus.CLOSED]


def test_recognition_then_closure_through_the_services():
    """Art. 3.4: the prefect recognises a project; a recognised house may later close."""
    actor = f.UserFactory()
    house = f.HouseFactory(status=HouseStatus.PROJECT)
    network_services.recognise_house(actor, house, date(2025, 3, 1))
    house = House.objects.get(pk=house.pk)
    assert (house.status, house.recognised_on) == (HouseStatus.RECOGNISED, date(2025, 3, 1))
    assert house.available_statuses() == [HouseStatus.CLOSED]
    network_services.close_house(actor, house, date(2026, 6, 30))
    house = House.objects.get(pk=house.pk)
    assert house.status == HouseStatus.CLOSED and house.available_statuses() == []


def test_recognising_twice_says_since_when_and_changes_nothing():
    house = f.HouseFactory(status=HouseStatus.RECOGNISED, recognised_on=date(2024, 1, 15))
    with pytest.raises(DomainError) as exc:
        network_services.recognise_house(f.UserFactory(), house, date(2025, 1, 1))
    assert exc.value.message == "Cette maison est déjà reconnue depuis le 15/01/2024."
    assert House.objects.get(pk=house.pk).recognised_on == date(2024, 1, 15)


def test_closed_house_cannot_be_recognised_nor_closed_again():
    house = f.HouseFactory(status=HouseStatus.CLOSED, closed_on=date(2025, 1, 1))
    with pytest.raises(DomainError) as exc:
        house.set_status(HouseStatus.RECOGNISED)
    assert exc.value.message == "Une maison fermée ne peut pas être reconnue."
    with pytest.raises(DomainError) as exc:
        network_services.close_house(f.UserFactory(), house, date(2025, 6, 1))
    assert exc.value.message == "Cette maison est déjà fermée."
    assert House.objects.get(pk=house.pk).closed_on == date(2025, 1, 1)


def test_house_cannot_go_back_to_project():
    house = f.HouseFactory(status=HouseStatus.RECOGNISED)
    with pytest.raises(DomainError) as exc:
        house.set_status(HouseStatus.PROJECT)
    assert exc.value.message == "Passage impossible de « Reconnue par le préfet » à « En projet »."


# --- partnership (art. 7) ---------------------------------------------------------------------


def test_active_partnership_may_withdraw_once(world):
    """Art. 7: a partner may withdraw from a house; the withdrawal is final."""
    assert world.ft.available_statuses() == [PartnershipStatus.WITHDRAWN]
    partner_services.withdraw_partnership(f.UserFactory(), world.ft, on=date(2026, 1, 31))
    partnership = Partnership.objects.get(pk=world.ft.pk)
    assert partnership.status == PartnershipStatus.WITHDRAWN
    assert partnership.available_statuses() == []
    with pytest.raises(DomainError) as exc:
        partnership.set_status(PartnershipStatus.WITHDRAWN)
    assert exc.value.message == "Ce partenaire s'est déjà retiré."
    with pytest.raises(DomainError) as exc:
        partnership.set_status(PartnershipStatus.ACTIVE)
    assert exc.value.message == "Passage impossible de « Retiré » à « Partenaire »."


def test_withdrawing_twice_is_refused_before_the_date_is_checked(world):
    partner_services.withdraw_partnership(f.UserFactory(), world.ft, on=date(2026, 1, 31))
    partnership = Partnership.objects.get(pk=world.ft.pk)
    with pytest.raises(DomainError) as exc:
        partner_services.withdraw_partnership(f.UserFactory(), partnership, on=date(2000, 1, 1))
    assert exc.value.message == "Ce partenaire s'est déjà retiré."
    assert Partnership.objects.get(pk=world.ft.pk).left_on == date(2026, 1, 31)


# --- personal file (SPEC confidentiality) -----------------------------------------------------


def test_active_file_may_be_anonymised_or_erased(one_house):
    dossier = f.DossierFactory(house=one_house.house)
    assert dossier.available_statuses() == [DossierStatus.ANONYMISED, DossierStatus.ERASED]
    assert Dossier.statuses_leading_to(DossierStatus.ERASED) == {DossierStatus.ACTIVE}


def test_erased_file_is_final_and_erasing_again_changes_nothing(one_house):
    dossier = f.DossierFactory(house=one_house.house)
    assert dossier_services.erase_dossier(one_house.users.agent, dossier) is True
    dossier = Dossier.objects.get(pk=dossier.pk)
    assert dossier.status == DossierStatus.ERASED and dossier.available_statuses() == []
    with pytest.raises(DomainError) as exc:
        dossier.set_status(DossierStatus.ACTIVE)
    assert exc.value.message == (
        "Passage impossible de « Effacé à la demande de la personne » à « Actif »."
    )
    assert dossier_services.erase_dossier(one_house.users.agent, dossier) is False
