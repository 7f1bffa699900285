"""Art. 3.2: the parties are informed of every substantial change of hours."""

from datetime import time

import pytest

from msap.core.errors import DomainError
from msap.network import queries, services
from msap.network.models import HoursChange
from msap.network.rules import Range
from msap.partners import services as partner_services


def _week(days, start=time(9), end=time(17)):
    return [Range(d, start, end) for d in days]


def test_substantial_change_of_hours_emails_the_current_referents_once(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    house = world.house
    with django_capture_on_commit_callbacks(execute=True):
        change = services.set_schedule(
            world.users.responsable, house, _week([0, 1, 2, 3]), house.version
        )
    assert change.substantial
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert sorted(message.to) == sorted([world.caf_referent.email, world.ft_referent.email])
    assert "Lundi : 09:00 – 17:00" in message.body and house.name in message.subject
    change.refresh_from_db()
    assert change.partners_informed_at is not None
    # Idempotent: informing again sends nothing more.
    assert partner_services.inform_partners_of_hours(change.pk) == 0
    assert len(mailoutbox) == 1


def test_a_minor_change_of_hours_informs_nobody(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    house = world.house
    ranges = sorted(queries.current_ranges(house))
    first = ranges[0]  # Monday morning closes 15 minutes later: not substantial
    shifted = [Range(first.weekday, first.start, time(first.end.hour, 15)), *ranges[1:]]
    with django_capture_on_commit_callbacks(execute=True):
        change = services.set_schedule(world.users.responsable, house, shifted, house.version)
    assert change is not None and not change.substantial
    assert mailoutbox == []
    assert HoursChange.objects.get(pk=change.pk).partners_informed_at is None


def test_a_recognised_house_cannot_be_recognised_again(world):
    with pytest.raises(DomainError, match="déjà reconnue"):
        services.recognise_house(world.users.admin, world.house, world.house.recognised_on)
