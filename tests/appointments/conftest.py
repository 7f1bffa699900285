"""An offer of the CAF in the users' house (tests/conftest.py's `world`): a video appointment
type, a permanence type and a phone type, two advisers receiving every weekday, the house's
equipped office and one video equipment."""

from datetime import datetime, time
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine

from msap.appointments import services
from msap.appointments.models import PartnerAppointmentSettings, PartnerDocument
from msap.network.models import Equipment, Premises
from tests import factories as f
from tests.conftest import reload_reference_data

PARIS = ZoneInfo("Europe/Paris")


def paris(*args) -> datetime:
    return datetime(*args, tzinfo=PARIS)


# Monday 2 March 2026, 8:00 in Tulle: the tests' present.
NOW = paris(2026, 3, 2, 8)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture
def offer(world):
    house = world.house
    Premises.objects.filter(house=house).update(permanence_office=True)
    visio = Equipment.objects.create(house=house, kind="visio", label="Salle visio")
    documents = [
        PartnerDocument.objects.create(partner=world.caf.partner, label=label)
        for label in ("Avis d'imposition", "Relevé d'identité bancaire")
    ]
    PartnerAppointmentSettings.objects.create(
        partner=world.caf.partner, public_contact="3230 ou caf.fr"
    )
    video = f.AppointmentTypeFactory(partnership=world.caf, location_type="video")
    video.documents.set(documents)
    permanence = f.AppointmentTypeFactory(
        partnership=world.caf, location_type="permanence", subject="Permanence logement"
    )
    phone = f.AppointmentTypeFactory(
        partnership=world.caf, location_type="phone", subject="Point sur un dossier"
    )
    sophie = f.AdviserFactory(partnership=world.caf, first_name="Sophie", last_name="Martin")
    paul = f.AdviserFactory(partnership=world.caf, first_name="Paul", last_name="Roux")
    for adviser in (sophie, paul):
        for kind in (video, permanence, phone):
            for day in range(5):
                f.SlotRuleFactory(
                    adviser=adviser, appointment_type=kind, weekday=day, start=time(9), end=time(12)
                )
    return SimpleNamespace(
        house=house,
        video=video,
        permanence=permanence,
        phone=phone,
        sophie=sophie,
        paul=paul,
        visio=visio,
        documents=documents,
    )


def book(world, kind, adviser, start, *, now=NOW, **person):
    person.setdefault("person_name", "Jeanne Moreau")
    person.setdefault("person_email", "jeanne.moreau@exemple.fr")
    person.setdefault("person_phone", "06 12 34 56 78")
    return services.book(
        world.users.agent,
        world.house,
        appointment_type=kind,
        adviser=adviser,
        start=start,
        now=now,
        **person,
    )


@pytest.fixture
def reference_data_reloaded(transactional_db):
    """A transactional test's database is emptied after each such test: reload the geography
    and reference data the migrations put there when an earlier one removed them."""
    reload_reference_data()
