"""Webhooks to partners' systems (issue 9, item 7): signed the Standard Webhooks way, retried
with exponential backoff over about three days, deduplicable by id, logged, replayable; an alert
after repeated failures and a dead endpoint paused. Deliveries run for real: django-tasks-db's
worker in the test's process (`run_ready_tasks`), posting to a local HTTP receiver."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from msap.core.errors import DomainError
from msap.core.queue import run_ready_tasks
from msap.webhooks import rules, services
from msap.webhooks.models import Delivery, DeliveryStatus, Endpoint, EndpointStatus, Event
from tests import factories as f
from tests.webhooks.receiver import Receiver, Refused, verify

TYPES = ["transmission.sent", "appointment.confirmed"]


@pytest.fixture(autouse=True)
def local_receiver_allowed(settings):
    settings.MSAP_WEBHOOK_ALLOW_LOOPBACK = True


@pytest.fixture
def frozen():
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


@pytest.fixture
def caf(world):
    return f.national_partner("caf")


def endpoint_for(world, caf, receiver, types=TYPES):
    endpoint = services.create_endpoint(world.users.referent_caf, caf, receiver.url, types)
    receiver.secret = endpoint.secret
    return endpoint


def test_a_delivery_is_signed_the_standard_webhooks_way_and_the_partner_verifies_it(world, caf):
    with Receiver() as receiver:
        endpoint = endpoint_for(world, caf, receiver)
        event = services.emit("transmission.sent", caf, {"transmission": 42, "house": "Tulle"})
        run_ready_tasks()

    assert endpoint.secret.startswith("whsec_")
    ((headers, body),) = receiver.requests
    assert headers["webhook-id"] == event.id and headers["content-type"] == "application/json"
    assert headers["webhook-signature"].startswith("v1,")
    assert receiver.processed[event.id] == {
        "type": "transmission.sent",
        "timestamp": event.created_at.isoformat(),
        "data": {"transmission": 42, "house": "Tulle"},
    }
    # Another secret, or a body changed on the way: the signature does not verify.
    with pytest.raises(Refused, match="signature"):
        verify(services.new_secret(), headers, body)
    with pytest.raises(Refused, match="signature"):
        verify(endpoint.secret, headers, body.replace(b"42", b"43"))
    assert Delivery.objects.get().status == DeliveryStatus.DELIVERED


def test_a_replay_outside_five_minutes_is_detectable_by_the_receiver(world, caf):
    with Receiver() as receiver:
        endpoint = endpoint_for(world, caf, receiver)
        services.emit("transmission.sent", caf, {"transmission": 1})
        run_ready_tasks()
    ((headers, body),) = receiver.requests
    sent_at = int(headers["webhook-timestamp"])

    # An attacker who captured the request replays it 6 minutes later: refused.
    assert verify(endpoint.secret, headers, body, now=sent_at + 299)
    with pytest.raises(Refused, match="replay"):
        verify(endpoint.secret, headers, body, now=sent_at + 6 * 60)
    # Moving the timestamp forward breaks the signature, which covers it.
    forged = {**headers, "webhook-timestamp": str(sent_at + 6 * 60)}
    with pytest.raises(Refused, match="signature"):
        verify(endpoint.secret, forged, body, now=sent_at + 6 * 60)


def test_a_500_is_retried_with_exponential_backoff_under_the_same_id(world, caf, frozen):
    with Receiver(statuses=[500, 503]) as receiver:
        endpoint_for(world, caf, receiver)
        event = services.emit("appointment.confirmed", caf, {"appointment": 7})
        run_ready_tasks()
        delivery = Delivery.objects.get()
        assert (delivery.attempts, delivery.status) == (1, DeliveryStatus.PENDING)
        assert delivery.next_attempt_at == timezone.now() + timedelta(seconds=30)

        frozen.shift(timedelta(seconds=29))
        assert run_ready_tasks() == 0  # not before its time
        frozen.shift(timedelta(seconds=1))
        run_ready_tasks()
        delivery.refresh_from_db()
        assert delivery.attempts == 2
        assert delivery.next_attempt_at == timezone.now() + timedelta(seconds=90)  # ×3

        frozen.shift(timedelta(seconds=90))
        run_ready_tasks()

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.attempts == 3
    assert [h["webhook-id"] for h, _ in receiver.requests] == [event.id] * 3
    assert list(receiver.processed) == [event.id]
    assert [(a.status_code, a.succeeded) for a in delivery.log.all()] == [
        (500, False),
        (503, False),
        (200, True),
    ]
    assert Endpoint.objects.get().consecutive_failures == 0


def test_the_retries_span_about_three_days():
    assert timedelta(days=2, hours=18) <= rules.RETRY_SPAN <= timedelta(days=3, hours=6)
    delays = [rules.retry_delay(n) for n in range(1, rules.MAX_ATTEMPTS)]
    assert delays == sorted(delays) and delays[0] == timedelta(seconds=30)


def test_a_manual_replay_keeps_the_id_so_the_receiver_dedups_it(world, caf):
    with Receiver() as receiver:
        endpoint_for(world, caf, receiver)
        event = services.emit("transmission.sent", caf, {"transmission": 3})
        run_ready_tasks()
        services.replay(world.users.referent_caf, Delivery.objects.get())
        run_ready_tasks()

    assert [h["webhook-id"] for h, _ in receiver.requests] == [event.id, event.id]
    assert receiver.duplicates == 1 and list(receiver.processed) == [event.id]
    assert Delivery.objects.get().log.count() == 2


def test_a_task_run_twice_delivers_once(world, caf):
    with Receiver() as receiver:
        endpoint_for(world, caf, receiver)
        services.emit("transmission.sent", caf, {"transmission": 4})
        (task_row,) = DBTaskResult.objects.all()
        run_ready_tasks()
        # The worker died after the send, before recording the task as done: run again.
        assert services.deliver.call(*task_row.args_kwargs["args"]) == "skipped"

    assert len(receiver.requests) == 1


def test_repeated_failures_alert_the_referents_then_a_dead_endpoint_is_suspended(
    world, caf, frozen
):
    with Receiver(statuses=[500] * rules.MAX_ATTEMPTS) as receiver:
        endpoint = endpoint_for(world, caf, receiver)
        services.emit("transmission.sent", caf, {"transmission": 5})
        for attempt in range(1, rules.MAX_ATTEMPTS + 1):
            run_ready_tasks()
            if attempt == rules.ALERT_AFTER_FAILURES:
                (alert,) = mail.outbox
                assert alert.to == [world.users.referent_caf.email]
                assert "ont échoué" in alert.body and "HTTP 500" in alert.body
            frozen.shift(rules.retry_delay(attempt))

    assert len(receiver.requests) == rules.MAX_ATTEMPTS
    assert Delivery.objects.get().status == DeliveryStatus.FAILED
    endpoint.refresh_from_db()
    assert endpoint.status == EndpointStatus.DISABLED
    assert "suspendu" in mail.outbox[-1].subject and len(mail.outbox) == 2
    # Suspended: nothing more is queued for it until its referent reactivates it.
    services.emit("transmission.sent", caf, {"transmission": 6})
    assert Delivery.objects.count() == 1
    services.resume(world.users.referent_caf, endpoint)
    assert Endpoint.objects.get().status == EndpointStatus.ACTIVE


def test_a_paused_endpoint_keeps_its_events_and_receives_them_on_resume(world, caf):
    with Receiver() as receiver:
        endpoint = endpoint_for(world, caf, receiver)
        services.pause(world.users.referent_caf, endpoint)
        services.emit("transmission.sent", caf, {"transmission": 8})
        run_ready_tasks()
        assert receiver.requests == []
        assert services.resume(world.users.referent_caf, endpoint) == 1
        run_ready_tasks()

    assert len(receiver.processed) == 1


def test_events_go_only_to_subscribed_endpoints_of_their_partner(world, caf):
    with Receiver() as receiver:
        endpoint_for(world, caf, receiver, types=["appointment.confirmed"])
        assert services.emit("transmission.sent", caf, {"x": 1}) is None
        assert services.emit("appointment.confirmed", f.national_partner("msa"), {"x": 2}) is None
        run_ready_tasks()

    assert receiver.requests == [] and not Event.objects.exists()


def test_an_event_of_a_rolled_back_change_is_never_sent(world, caf):
    with Receiver() as receiver:
        endpoint_for(world, caf, receiver)
        with pytest.raises(RuntimeError), transaction.atomic():
            services.emit("transmission.sent", caf, {"transmission": 9})
            raise RuntimeError("the transmission failed to save")
        run_ready_tasks()

    assert receiver.requests == [] and not DBTaskResult.objects.exists()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://8.8.8.8/hook", "https://"),
        ("https://10.1.2.3/hook", "réseau privé"),
        ("https://192.168.0.10/hook", "réseau privé"),
        ("https://169.254.169.254/latest/meta-data", "réseau privé"),
        ("https://[::1]/hook", "réseau privé"),
        ("https://localhost/hook", "réseau privé"),
        ("https://user:pw@8.8.8.8/hook", "identifiant"),
        ("pas une adresse", "pas une URL valide"),
        ("https://", "pas une URL valide"),
    ],
)
def test_an_address_not_https_or_not_public_is_refused_and_nothing_saved(world, caf, url, message):
    with pytest.raises(DomainError, match=message):
        services.create_endpoint(world.users.referent_caf, caf, url, TYPES)
    assert not Endpoint.objects.exists()


def test_plain_http_on_loopback_only_with_the_test_setting(world, caf, settings):
    settings.MSAP_WEBHOOK_ALLOW_LOOPBACK = False
    with pytest.raises(DomainError, match="https://"):
        services.create_endpoint(world.users.referent_caf, caf, "http://127.0.0.1:9/h", TYPES)
    endpoint = services.create_endpoint(world.users.national, caf, "https://8.8.8.8/h", TYPES)
    assert endpoint.url == "https://8.8.8.8/h"


def test_unknown_or_no_event_types_are_refused(world, caf):
    with pytest.raises(DomainError, match="Événement inconnu"):
        services.create_endpoint(world.users.referent_caf, caf, "https://8.8.8.8/", ["x.y"])
    with pytest.raises(DomainError, match="au moins un"):
        services.create_endpoint(world.users.referent_caf, caf, "https://8.8.8.8/", [])


def test_only_the_partners_referents_and_national_staff_manage_its_endpoints(world, caf):
    endpoint = services.create_endpoint(world.users.national, caf, "https://8.8.8.8/", TYPES)
    for user in (world.users.referent_msa, world.users.agent, world.users.responsable):
        with pytest.raises(DomainError, match="Seuls les référents"):
            services.rotate_secret(user, endpoint)
        with pytest.raises(DomainError, match="Seuls les référents"):
            services.create_endpoint(user, caf, "https://8.8.8.8/", TYPES)
    old = endpoint.secret
    assert services.rotate_secret(world.users.referent_caf, endpoint) != old
    services.pause(world.users.admin, endpoint)
    with pytest.raises(DomainError, match="pas active"):
        services.pause(world.users.referent_caf, endpoint)


def test_a_rotated_secret_signs_the_next_attempt(world, caf, frozen):
    with Receiver(statuses=[500]) as receiver:
        endpoint = endpoint_for(world, caf, receiver)
        services.emit("transmission.sent", caf, {"transmission": 10})
        run_ready_tasks()
        receiver.secret = services.rotate_secret(world.users.referent_caf, endpoint)
        frozen.shift(rules.retry_delay(1))
        run_ready_tasks()

    assert len(receiver.processed) == 1 and receiver.refused == []


def test_catch_up_requeues_a_delivery_whose_task_was_lost(world, caf, frozen):
    with Receiver() as receiver:
        endpoint_for(world, caf, receiver)
        services.emit("transmission.sent", caf, {"transmission": 11})
        DBTaskResult.objects.all().delete()  # the task row lost with its worker
        assert services.catch_up() == 0  # not yet: it may still be on its way
        frozen.shift(rules.LEASE + timedelta(seconds=1))
        assert services.catch_up() == 1
        run_ready_tasks()

    assert len(receiver.processed) == 1


def test_the_worker_command_explains_itself_in_french():
    from msap.core.management.commands.worker import Command

    text = Command().create_parser("msap", "worker").format_help()
    assert "Exécute les tâches en attente" in text and "Files à traiter" in text


# --- the technical administrator's screens (Django admin) ------------------------------------------


def test_admin_lists_endpoints_and_the_delivery_log_and_replays_a_delivery(world, caf, client):
    with Receiver(statuses=[500]) as receiver:
        endpoint_for(world, caf, receiver)
        services.emit("transmission.sent", caf, {"transmission": 12})
        run_ready_tasks()
        delivery = Delivery.objects.get()
        client.force_login(world.users.admin)

        assert client.get("/admin/webhooks/endpoint/").status_code == 200
        log_page = client.get(f"/admin/webhooks/delivery/{delivery.pk}/change/")
        assert log_page.status_code == 200 and b"500" in log_page.content
        response = client.post(
            "/admin/webhooks/delivery/",
            {"action": "replay", "_selected_action": [delivery.pk]},
            follow=True,
        )
        assert "1 livraison(s) renvoyée(s)." in response.content.decode()
        run_ready_tasks()

    assert len(receiver.processed) == 1 and Delivery.objects.get().attempts == 1


def test_admin_refuses_a_private_address_with_its_french_message(world, caf, client):
    client.force_login(world.users.admin)
    response = client.post(
        "/admin/webhooks/endpoint/add/",
        {
            "partner": caf.pk,
            "url": "https://10.0.0.8/hook",
            "description": "",
            "event_types": '["transmission.sent"]',
        },
        follow=True,
    )

    assert "réseau privé" in response.content.decode()
    assert not Endpoint.objects.exists()
