"""Partners' systems hear of their appointments (issue 9 §7): each booking and status change
emits `appointment.<status>` through msap.webhooks, signed and delivered by the queue, with
no personal data of the person in the body."""

import json

import pytest

from msap.appointments import services
from msap.core.queue import run_ready_tasks
from msap.webhooks import services as webhooks
from msap.webhooks.models import Event
from tests.appointments.conftest import book, paris
from tests.webhooks.receiver import Receiver

pytestmark = pytest.mark.usefixtures("frozen")
THURSDAY_10 = paris(2026, 3, 5, 10)


@pytest.fixture(autouse=True)
def local_receiver_allowed(settings):
    settings.MSAP_WEBHOOK_ALLOW_LOOPBACK = True


def test_booking_and_status_changes_reach_the_partners_endpoint_without_the_persons_data(
    world, offer
):
    with Receiver() as receiver:
        endpoint = webhooks.create_endpoint(
            world.users.referent_caf,
            world.caf.partner,
            receiver.url,
            ["appointment.requested", "appointment.confirmed", "appointment.revoked"],
        )
        receiver.secret = endpoint.secret
        appointment = book(world, offer.video, offer.sophie, THURSDAY_10)
        appointment = services.change_status(world.users.agent, appointment, "confirmed")
        services.change_status(world.users.agent, appointment, "revoked", reason="Grève")
        run_ready_tasks("webhooks")

    types = [json.loads(body)["type"] for _headers, body in receiver.requests]
    assert types == ["appointment.requested", "appointment.confirmed", "appointment.revoked"]
    last = json.loads(receiver.requests[-1][1])["data"]
    assert last["id"] == appointment.pk and last["revoked_reason"] == "Grève"
    assert last["adviser"]["name"] == "Sophie Martin"
    for _headers, body in receiver.requests:
        text = body.decode()
        assert "Moreau" not in text and "jeanne" not in text and "06 12" not in text


def test_no_event_is_stored_for_a_partner_without_endpoint(world, offer):
    book(world, offer.video, offer.sophie, THURSDAY_10)
    assert not Event.objects.exists()
