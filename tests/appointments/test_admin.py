"""The technical admin shows appointments but never changes them: an appointment changes only
through its services, journaled (issue 8, "one action per user intent")."""

import pytest

from msap.appointments.models import Appointment
from tests.appointments.conftest import book, paris

pytestmark = pytest.mark.usefixtures("frozen")
THURSDAY_10 = paris(2026, 3, 5, 10)


def test_admin_lists_an_appointment_but_cannot_add_change_or_delete_one(client, world, offer):
    """Rule: appointments are read-only in the admin (appointments/admin.py, core.admin.ReadOnlyAdmin)."""
    appointment = book(world, offer.phone, offer.sophie, THURSDAY_10)
    client.force_login(world.users.admin)
    base = "/admin/appointments/appointment/"

    assert client.get(base).status_code == 200
    assert client.get(f"{base}add/").status_code == 403
    assert client.get(f"{base}{appointment.pk}/delete/").status_code == 403
    response = client.post(f"{base}{appointment.pk}/change/", {"status": "revoked"})
    assert response.status_code == 403
    assert Appointment.objects.get(pk=appointment.pk).status == appointment.status
