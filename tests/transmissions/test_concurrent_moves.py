"""Concurrent status changes never silently overwrite: ten referents of the CAF act at once on
the same transmission, each on the version they opened — exactly one move wins, the others
read the French stale-version message, and the timeline holds one step after the sending."""

import pytest
from django.db import connection

from msap.transmissions import services
from msap.transmissions.models import Transmission
from tests.concurrency import run_at_once
from tests.transmissions.conftest import send

CLIENTS = 10


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="true concurrency needs PostgreSQL (SQLite serialises writers)",
)
@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_moves_one_wins(reference_data_reloaded, world):
    t = send(world)

    def client(n):
        if n % 2:
            return services.take_in_charge(world.users.referent_caf, t, version=t.version)
        return services.refuse(world.users.referent_caf, t, "duplicate", version=t.version)

    won, refused, errors = run_at_once(client, [(n,) for n in range(CLIENTS)])
    assert errors == []
    assert len(won) == 1 and len(refused) == CLIENTS - 1
    assert all("a changé depuis que vous l'avez ouverte" in m for m in refused)
    stored = Transmission.objects.get(pk=t.pk)
    assert stored.version == 2 and stored.steps.count() == 2
