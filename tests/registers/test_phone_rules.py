"""Commitment 13: a voicemail is called back within a week; a call taken owes nothing more."""

from datetime import timedelta

import pytest

from msap.core.errors import DomainError
from msap.registers import services
from msap.registers.models import Status
from tests import factories as f


def _call(world, outcome):
    return f.RegisterItemFactory(
        house=world.house,
        kind="phone",
        subject="Appel",
        phone_outcome=outcome,
        sender_phone="05 55 00 11 22",
    )


@pytest.mark.parametrize("outcome", ["voicemail", "out_of_hours"])
def test_a_message_left_is_called_back_within_a_week(one_house, outcome):
    item = _call(one_house, outcome)
    assert item.status == Status.NEW and item.due_rule == "callback_1_week"
    assert item.due_at - item.received_at >= timedelta(days=7)


@pytest.mark.parametrize("outcome", ["answered", "missed"])
def test_a_call_taken_or_missed_without_message_owes_nothing_and_is_closed(one_house, outcome):
    item = _call(one_house, outcome)
    assert item.status == Status.CLOSED and item.due_at is None


def test_an_item_is_assigned_only_to_someone_of_the_house(world):
    item = _call(world, "voicemail")
    with pytest.raises(DomainError, match="équipe de la maison"):
        services.assign(world.users.responsable, item, world.users.other_agent, item.version)
    services.assign(world.users.responsable, item, world.users.agent, item.version)
    item.refresh_from_db()
    assert item.assigned_to == world.users.agent and item.status == Status.IN_PROGRESS
