"""The webhook endpoints page of a partner's referents (issue 9, item 7): HTTPS only, never a
private address, subscriptions, the delivery log with manual replay, pause and resume, secret
rotation — on msap.webhooks' services; another partner's endpoints do not exist for them."""

import pytest
from django.urls import reverse

from msap.webhooks import services
from msap.webhooks.models import Delivery, Endpoint, EndpointStatus
from tests import factories as f
from tests.conftest import login

PUBLIC = "https://93.184.216.34/msap"  # an IP literal: no DNS lookup in the tests


@pytest.fixture
def endpoint(world):
    return services.create_endpoint(
        world.users.referent_caf, world.caf.partner, PUBLIC, ["appointment.confirmed"]
    )


def test_a_plain_http_or_private_address_is_refused_in_french(client, world):
    login(client, world.users.referent_caf)
    for url, message in [
        ("http://93.184.216.34/msap", "https://"),
        ("https://10.0.0.7/msap", "réseau privé"),
    ]:
        response = client.post(
            reverse("portal_webhooks"), {"url": url, "event_types": ["appointment.confirmed"]}
        )
        assert response.status_code == 200 and message in response.content.decode()
    assert not Endpoint.objects.exists()


def test_a_referent_adds_an_endpoint_and_reads_its_secret_once(client, world):
    login(client, world.users.referent_caf)
    response = client.post(
        reverse("portal_webhooks"), {"url": PUBLIC, "event_types": ["appointment.confirmed"]}
    )
    endpoint = Endpoint.objects.get()
    assert endpoint.partner == world.caf.partner
    page = client.get(response["Location"]).content.decode()
    assert endpoint.secret in page
    assert endpoint.secret not in client.get(response["Location"]).content.decode()


def test_subscriptions_pause_resume_and_rotation(client, world, endpoint):
    login(client, world.users.referent_caf)
    url = reverse("portal_webhook", args=[endpoint.pk])
    client.post(url, {"event_types": ["appointment.confirmed", "appointment.revoked"]})
    endpoint.refresh_from_db()
    assert endpoint.event_types == ["appointment.confirmed", "appointment.revoked"]
    client.post(url, {"event_types": []})
    endpoint.refresh_from_db()
    assert len(endpoint.event_types) == 2  # refused: at least one event
    client.post(reverse("portal_webhook_action", args=[endpoint.pk, "pause"]))
    assert Endpoint.objects.get(pk=endpoint.pk).status == EndpointStatus.PAUSED
    client.post(reverse("portal_webhook_action", args=[endpoint.pk, "reprise"]))
    assert Endpoint.objects.get(pk=endpoint.pk).status == EndpointStatus.ACTIVE
    old = endpoint.secret
    page = client.post(
        reverse("portal_webhook_action", args=[endpoint.pk, "secret"]), follow=True
    ).content.decode()
    endpoint.refresh_from_db()
    assert endpoint.secret != old and endpoint.secret in page


def test_the_delivery_log_and_a_manual_replay(client, world, endpoint):
    event = services.emit("appointment.confirmed", world.caf.partner, {"id": 1})
    delivery = Delivery.objects.get(event=event)
    Delivery.objects.filter(pk=delivery.pk).update(status="failed", attempts=13)
    login(client, world.users.referent_caf)
    page = client.get(reverse("portal_webhook", args=[endpoint.pk])).content.decode()
    assert event.id in page
    client.post(reverse("portal_delivery_replay", args=[endpoint.pk, delivery.pk]))
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("pending", 0)


def test_another_partners_endpoint_does_not_exist_for_a_referent(client, world, endpoint):
    other = f.UserFactory(email="referent.ft@test.fr")
    f.MembershipFactory(user=other, role="referent", partner=world.ft.partner)
    login(client, other)
    assert client.get(reverse("portal_webhook", args=[endpoint.pk])).status_code == 404
    response = client.post(reverse("portal_webhook_action", args=[endpoint.pk, "pause"]))
    assert response.status_code == 404
    assert Endpoint.objects.get(pk=endpoint.pk).status == EndpointStatus.ACTIVE
    assert PUBLIC not in client.get(reverse("portal_webhooks")).content.decode()
