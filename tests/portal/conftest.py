"""Appointments addressed to the CAF and to France Travail in the users' house (tests/conftest.py's
`world`): one phone type each, an adviser receiving every day, and one booking each, requested."""

from types import SimpleNamespace

import pytest
from django.utils import timezone

from msap.appointments import queries, services
from tests import factories as f


def offer_of(partnership, first_name="Sophie"):
    kind = f.AppointmentTypeFactory(
        partnership=partnership, location_type="phone", subject="Point sur un dossier"
    )
    adviser = f.AdviserFactory(partnership=partnership, first_name=first_name, last_name="Martin")
    for weekday in range(7):
        f.SlotRuleFactory(adviser=adviser, appointment_type=kind, weekday=weekday)
    return kind, adviser


def book(world, kind, adviser, index=0, house=None):
    slot = queries.free_slots(kind, now=timezone.now())[index]
    return services.book(
        world.users.agent,
        house or world.house,
        appointment_type=kind,
        adviser=adviser,
        start=slot.start,
        person_name="Jeanne Moreau",
        person_email="jeanne.moreau@exemple.fr",
        person_phone="06 12 34 56 78",
    )


@pytest.fixture
def booked(world):
    caf_kind, caf_adviser = offer_of(world.caf)
    ft_kind, ft_adviser = offer_of(world.ft, "Paul")
    return SimpleNamespace(
        caf=book(world, caf_kind, caf_adviser),
        ft=book(world, ft_kind, ft_adviser),
        caf_kind=caf_kind,
        caf_adviser=caf_adviser,
    )


@pytest.fixture
def referent_ft(world):
    """A referent of another organisation, partner of the same house."""
    user = f.UserFactory(email="referent.ft@test.fr")
    f.MembershipFactory(user=user, role="referent", partner=world.ft.partner)
    return user
