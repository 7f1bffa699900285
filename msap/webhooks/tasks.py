"""The sends of webhooks, as tasks of the queue (run by `msap worker`)."""

import base64
import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.request
from datetime import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from msap.core.errors import DomainError
from msap.core.queue import enqueue
from msap.people.models import Membership, Role
from msap.webhooks import rules
from msap.webhooks.models import (
    Attempt,
    Delivery,
    DeliveryStatus,
    Endpoint,
    EndpointStatus,
)

log = logging.getLogger(__name__)


def signature(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """Standard Webhooks: "v1," + base64(HMAC-SHA256(secret bytes, "id.timestamp.body"))."""
    key = base64.b64decode(secret.removeprefix(rules.SECRET_PREFIX))
    signed = f"{message_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def body_of(delivery: Delivery) -> bytes:
    """The JSON sent: the same bytes at every attempt (the id and the content do not change)."""
    event = delivery.event
    return json.dumps(
        {
            "type": event.event_type,
            "timestamp": event.created_at.isoformat(),
            "data": event.payload,
        },
        ensure_ascii=False,
        separators=(",", ":"),
        sort_keys=True,
    ).encode()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer like another (3xx: a failure): following it could lead msap into
    a private network the URL check refused."""

    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def post(url: str, body: bytes, headers: dict) -> tuple[int | None, str, str]:
    """(status code or None, the start of the answer, an error message for the log)."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    try:
        with _opener.open(request, timeout=settings.MSAP_WEBHOOK_TIMEOUT) as response:
            return (
                response.status,
                response.read(rules.RESPONSE_EXCERPT).decode(errors="replace"),
                "",
            )
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(rules.RESPONSE_EXCERPT).decode(errors="replace"), ""
    except (OSError, ValueError) as exc:
        return None, "", f"{type(exc).__name__}: {exc}"[:500]


@task(queue_name="webhooks")
def deliver(delivery_id: int) -> str:
    """Attempt one delivery, if it is still due and nobody else holds it; returns what happened."""
    now = timezone.now()
    claimed = (
        Delivery.objects.filter(
            pk=delivery_id,
            status=DeliveryStatus.PENDING,
            next_attempt_at__lte=now,
            endpoint__status=EndpointStatus.ACTIVE,
        )
        .filter(Q(leased_until__isnull=True) | Q(leased_until__lt=now))
        .update(leased_until=now + rules.LEASE, attempts=F("attempts") + 1)
    )
    if not claimed:
        return "skipped"  # delivered, failed, paused, not yet due, or another worker has it
    delivery = Delivery.objects.select_related("event", "endpoint").get(pk=delivery_id)
    endpoint = delivery.endpoint
    body = body_of(delivery)
    status, response, error = None, "", ""
    try:
        # Checked again at each send: the name may have been pointed at a private address since.
        rules.check_endpoint_url(endpoint.url)
    except DomainError as exc:
        error = exc.message
    started = time.monotonic()
    if not error:
        timestamp = int(time.time())
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "msap-webhooks/1",
            "webhook-id": delivery.event_id,
            "webhook-timestamp": str(timestamp),
            "webhook-signature": signature(endpoint.secret, delivery.event_id, timestamp, body),
        }
        status, response, error = post(endpoint.url, body, headers)
    duration = int((time.monotonic() - started) * 1000)
    finished = timezone.now()
    Attempt.objects.create(
        delivery=delivery,
        at=finished,
        status_code=status,
        error=error,
        response=response,
        duration_ms=duration,
    )
    if status is not None and 200 <= status < 300:
        Delivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.DELIVERED,
            delivered_at=finished,
            leased_until=None,
            last_status_code=status,
            last_error="",
        )
        # Only an endpoint that was failing is written: no contention on a healthy one.
        Endpoint.objects.filter(pk=endpoint.pk, consecutive_failures__gt=0).update(
            consecutive_failures=0, alerted_at=None
        )
        return "delivered"
    return _failed(delivery, status, error, finished)


def _failed(delivery: Delivery, status: int | None, error: str, now: datetime) -> str:
    endpoint = delivery.endpoint
    with transaction.atomic():
        Endpoint.objects.filter(pk=endpoint.pk).update(
            consecutive_failures=F("consecutive_failures") + 1
        )
        if delivery.attempts >= rules.MAX_ATTEMPTS:
            # Three days of failures: the delivery has failed, and the endpoint is dead.
            Delivery.objects.filter(pk=delivery.pk).update(
                status=DeliveryStatus.FAILED,
                leased_until=None,
                last_status_code=status,
                last_error=error,
            )
            if Endpoint.objects.filter(pk=endpoint.pk, status=EndpointStatus.ACTIVE).update(
                status=EndpointStatus.DISABLED
            ):
                enqueue(send_alert, endpoint.pk, "disabled")
            return "failed"
        retry_at = now + rules.retry_delay(delivery.attempts)
        Delivery.objects.filter(pk=delivery.pk).update(
            next_attempt_at=retry_at, leased_until=None, last_status_code=status, last_error=error
        )
        enqueue(deliver, delivery.pk, run_after=retry_at)
        # One alert per streak of failures: the conditional update elects its sender.
        if Endpoint.objects.filter(
            pk=endpoint.pk,
            consecutive_failures__gte=rules.ALERT_AFTER_FAILURES,
            alerted_at__isnull=True,
        ).update(alerted_at=now):
            enqueue(send_alert, endpoint.pk, "failing")
    return "retry"


def alert_recipients(endpoint: Endpoint) -> list[str]:
    """The partner's referents with an account, who manage its endpoints."""
    return sorted(
        set(
            Membership.objects.current()
            .filter(role=Role.REFERENT, partner_id=endpoint.partner_id, user__is_active=True)
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
    )


@task(queue_name="mail")
def send_alert(endpoint_id: int, reason: str) -> int:
    """Tell the partner's referents that its endpoint fails (or was suspended)."""
    endpoint = Endpoint.objects.select_related("partner").get(pk=endpoint_id)
    to = alert_recipients(endpoint)
    if not to:
        log.warning("webhooks: no referent to alert for endpoint %s", endpoint_id)
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        values = {
            "url": endpoint.url,
            "partner": endpoint.partner.short_name,
            "failures": endpoint.consecutive_failures,
        }
        if reason == "disabled":
            subject = _("msap — webhook suspendu : %(url)s") % values
            intro = (
                _(
                    "L'adresse %(url)s de %(partner)s échoue depuis environ trois jours : msap l'a "
                    "suspendue. Les événements suivants sont conservés ; réactivez l'adresse une "
                    "fois votre serveur réparé, puis renvoyez les livraisons en échec depuis le "
                    "journal."
                )
                % values
            )
        else:
            subject = _("msap — échecs de livraison du webhook %(url)s") % values
            intro = (
                _(
                    "Les %(failures)s dernières livraisons vers l'adresse %(url)s de %(partner)s "
                    "ont échoué. msap réessaie pendant environ trois jours, puis suspend l'adresse."
                )
                % values
            )
        last = (
            Delivery.objects.filter(endpoint=endpoint)
            .exclude(status=DeliveryStatus.DELIVERED)
            .exclude(last_error="", last_status_code=None)
            .order_by("-pk")
            .values_list("last_status_code", "last_error")
            .first()
        )
        lines = [intro]
        if last:
            lines.append(
                _("Dernière réponse de votre serveur : %(answer)s")
                % {"answer": last[1] or f"HTTP {last[0]}"}
            )
        body = "\n\n".join(lines)
    send_mail(subject, body, None, to)
    return len(to)
