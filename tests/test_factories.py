"""The factories make records the way the application does: what a service refuses, a factory
refuses; what a service journals, a factory's record is journaled (tests/factories.py)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from msap.core.errors import DomainError
from msap.core.models import JournalEntry
from msap.desk.models import ServiceRequest
from msap.dossiers.queries import dossier_of
from msap.people.models import Role
from tests import factories as f


def test_a_request_dated_in_the_future_is_refused_as_the_quick_entry_refuses_it(one_house):
    with pytest.raises(DomainError) as exc:
        f.ServiceRequestFactory(
            house=one_house.house, occurred_at=timezone.now() + timedelta(days=2)
        )
    assert "futur" in exc.value.errors["occurred_at"][0]
    assert not ServiceRequest.objects.exists()


def test_a_request_with_a_field_requests_do_not_have_is_refused(one_house):
    with pytest.raises(TypeError, match="sender_name"):
        f.ServiceRequestFactory(house=one_house.house, sender_name="Mme Durand")


def test_a_request_is_recorded_by_the_houses_agent_and_takes_codes(one_house):
    request = f.ServiceRequestFactory(
        house=one_house.house, partner="cpam", category="B2", other_partners=["msa"]
    )
    assert request.agent == one_house.users.agent
    assert (request.partner.code, request.category.code) == ("cpam", "B2")
    assert [p.code for p in request.other_partners.all()] == ["msa"]


def test_a_house_without_staff_gets_an_agent_for_its_records(db):
    house = f.HouseFactory()
    request = f.ServiceRequestFactory(house=house)
    assert request.agent.memberships.get().role == Role.AGENT
    assert f.ServiceRequestFactory(house=house).agent == request.agent


def test_a_request_linked_to_a_file_belongs_to_it(one_house):
    dossier = f.DossierFactory(house=one_house.house)
    assert dossier_of(f.ServiceRequestFactory(house=one_house.house, dossier=dossier)) == dossier


def test_register_items_are_numbered_in_order_and_journaled_by_the_service(one_house):
    first = f.RegisterItemFactory(house=one_house.house)
    second = f.RegisterItemFactory(house=one_house.house)
    call = f.RegisterItemFactory(house=one_house.house, kind="phone")
    assert (first.number, second.number, call.number) == (1, 2, 1)
    assert first.due_rule == "mail_1_month" and call.due_rule == "callback_1_week"
    assert call.channel == "phone" and call.phone_outcome == "voicemail"
    assert JournalEntry.objects.filter(action="register.recorded").count() == 3


def test_a_register_item_dated_in_the_future_is_refused(one_house):
    with pytest.raises(DomainError):
        f.RegisterItemFactory(house=one_house.house, received_at=timezone.now() + timedelta(days=2))


def test_a_personal_file_opens_with_consent_by_the_agent_and_is_journaled(one_house):
    dossier = f.DossierFactory(house=one_house.house, first_name="")
    assert dossier.consent_by == one_house.users.agent
    assert dossier.consent_purpose == f.CONSENT_PURPOSE and dossier.first_name == ""
    assert JournalEntry.objects.filter(action="dossier.opened").count() == 1


def test_a_personal_file_without_a_name_is_refused_as_on_the_screen(one_house):
    with pytest.raises(DomainError):
        f.DossierFactory(house=one_house.house, last_name="")
