"""Issue 9, "Bad input": concurrent bookings of the same slot, exactly one wins. Twenty
clients, each its own thread and database connection, book the house's only video equipment
for the same start with twenty different advisers: one appointment, nineteen French refusals."""

import pytest
from django.db import connection

from msap.appointments.models import Appointment
from tests import factories as f
from tests.appointments.conftest import NOW, book, paris
from tests.concurrency import run_at_once

CLIENTS = 20


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="true concurrency needs PostgreSQL (SQLite serialises writers)",
)
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_bookings_of_the_video_equipment_one_wins(
    reference_data_reloaded, world, offer
):
    advisers = [f.AdviserFactory(partnership=world.caf) for _ in range(CLIENTS)]
    for adviser in advisers:
        f.SlotRuleFactory(adviser=adviser, appointment_type=offer.video, weekday=1)
    start = paris(2026, 3, 3, 10)
    won, refused, errors = run_at_once(
        lambda adviser: book(world, offer.video, adviser, start, now=NOW).pk,
        [(a,) for a in advisers],
    )

    assert errors == []
    assert len(won) == 1 and len(refused) == CLIENTS - 1
    assert set(refused) == {"L'équipement de visioconférence est déjà réservé sur ce créneau."}
    assert list(Appointment.objects.values_list("pk", flat=True)) == won
