"""One function per intent on webhooks: emit an event, manage an endpoint, replay a delivery.

`emit` is what the appointments and transmissions call, explicitly, after their own change and
in its transaction: the event, its deliveries and their tasks commit (or roll back) with it.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from msap.core import journal
from msap.core.errors import DomainError
from msap.core.queue import enqueue
from msap.permissions import scope_for
from msap.webhooks import rules
from msap.webhooks.models import (
    Delivery,
    DeliveryStatus,
    Endpoint,
    EndpointStatus,
    Event,
    new_secret,
)
from msap.webhooks.tasks import deliver


def emit(event_type: str, partner, payload: dict) -> Event | None:
    """Record that `event_type` happened for `partner` and queue a delivery to each of its
    endpoints subscribed to it (a paused endpoint keeps its deliveries for its return). None
    when no endpoint subscribes: nothing is stored."""
    if event_type not in rules.EventType.values:
        raise ValueError(f"unknown webhook event type {event_type!r}")
    endpoints = [
        e
        for e in Endpoint.objects.filter(partner=partner).exclude(status=EndpointStatus.DISABLED)
        if e.subscribes_to(event_type)
    ]
    if not endpoints:
        return None
    now = timezone.now()
    with transaction.atomic():
        event = Event.objects.create(partner=partner, event_type=event_type, payload=payload)
        deliveries = Delivery.objects.bulk_create(
            [Delivery(event=event, endpoint=e, next_attempt_at=now) for e in endpoints]
        )
        for delivery, endpoint in zip(deliveries, endpoints, strict=True):
            if endpoint.status == EndpointStatus.ACTIVE:
                enqueue(deliver, delivery.pk)
    return event


# --- who may manage a partner's endpoints --------------------------------------------------------


def can_manage(user, partner) -> bool:
    """The partner's own referents, and national staff (issue 9: only them)."""
    scope = scope_for(user)
    return scope.admin or scope.national or partner.pk in scope.partners


def _check(user, partner) -> None:
    if not can_manage(user, partner):
        raise DomainError(
            _("Seuls les référents de ce partenaire et la cellule nationale gèrent ses webhooks.")
        )


def _clean_event_types(event_types) -> list[str]:
    chosen = sorted(set(event_types or []))
    unknown = [t for t in chosen if t not in rules.EventType.values]
    if unknown:
        raise DomainError(
            _("Événement inconnu : %(types)s.") % {"types": ", ".join(unknown)},
            {"event_types": [_("Choisissez parmi les événements proposés.")]},
        )
    if not chosen:
        raise DomainError(
            _("Choisissez au moins un événement."),
            {"event_types": [_("Choisissez au moins un événement.")]},
        )
    return chosen


def _save(user, endpoint: Endpoint, fields: list[str], action: str, summary: str, **entry) -> None:
    """Save the endpoint's changed `fields` and journal the change, in one transaction."""
    with transaction.atomic():
        endpoint.save(update_fields=fields)
        journal.record(user, action, endpoint, summary=summary, **entry)


def create_endpoint(user, partner, url: str, event_types, description: str = "") -> Endpoint:
    _check(user, partner)
    url = (url or "").strip()
    try:
        rules.check_endpoint_url(url)
    except DomainError as exc:
        raise DomainError(exc.message, {"url": [exc.message]}) from None
    types = _clean_event_types(event_types)
    with transaction.atomic():
        endpoint = Endpoint.objects.create(
            partner=partner, url=url, event_types=types, description=description.strip()[:200]
        )
        journal.record(
            user,
            "webhook.created",
            endpoint,
            summary=gettext_noop("Adresse de webhook %(url)s ajoutée"),
            params={"url": url},
        )
    return endpoint


def update_endpoint(user, endpoint: Endpoint, event_types, description: str = "") -> Endpoint:
    """Change what the endpoint subscribes to and its description (its URL stays: a new address
    is a new endpoint, with its own secret)."""
    _check(user, endpoint.partner)
    types = _clean_event_types(event_types)
    description = (description or "").strip()[:200]
    changes = {}
    if types != endpoint.event_types:
        changes["event_types"] = [endpoint.event_types, types]
    if description != endpoint.description:
        changes["description"] = [endpoint.description, description]
    if not changes:
        return endpoint
    endpoint.event_types, endpoint.description = types, description
    _save(
        user,
        endpoint,
        ["event_types", "description"],
        "webhook.updated",
        gettext_noop("Souscriptions de l'adresse de webhook modifiées"),
        changes=changes,
    )
    return endpoint


def rotate_secret(user, endpoint: Endpoint) -> str:
    """A new signing secret, effective for the next attempt; returns it (shown once)."""
    _check(user, endpoint.partner)
    endpoint.secret = new_secret()
    endpoint.secret_rotated_at = timezone.now()
    _save(
        user,
        endpoint,
        ["secret", "secret_rotated_at"],
        "webhook.secret_rotated",
        gettext_noop("Secret de signature renouvelé"),
    )
    return endpoint.secret


def pause(user, endpoint: Endpoint) -> None:
    _check(user, endpoint.partner)
    with transaction.atomic():
        if not Endpoint.objects.filter(pk=endpoint.pk, status=EndpointStatus.ACTIVE).update(
            status=EndpointStatus.PAUSED
        ):
            raise DomainError(_("Cette adresse n'est pas active."))
        journal.record(user, "webhook.paused", endpoint, summary=gettext_noop("Mise en pause"))
    endpoint.status = EndpointStatus.PAUSED


def resume(user, endpoint: Endpoint) -> int:
    """Active again, failures forgotten; its pending deliveries are queued now. Returns how many."""
    _check(user, endpoint.partner)
    now = timezone.now()
    with transaction.atomic():
        if (
            not Endpoint.objects.filter(pk=endpoint.pk)
            .exclude(status=EndpointStatus.ACTIVE)
            .update(status=EndpointStatus.ACTIVE, consecutive_failures=0, alerted_at=None)
        ):
            raise DomainError(_("Cette adresse est déjà active."))
        pending = list(
            Delivery.objects.filter(endpoint=endpoint, status=DeliveryStatus.PENDING).values_list(
                "pk", flat=True
            )
        )
        Delivery.objects.filter(pk__in=pending).update(next_attempt_at=now, leased_until=None)
        for pk in pending:
            enqueue(deliver, pk)
        journal.record(user, "webhook.resumed", endpoint, summary=gettext_noop("Réactivée"))
    endpoint.status = EndpointStatus.ACTIVE
    return len(pending)


def replay(user, delivery: Delivery) -> None:
    """Send a delivery again now, under the same `webhook-id` (the receiver may dedup it), with
    a fresh series of attempts."""
    _check(user, delivery.endpoint.partner)
    if delivery.endpoint.status != EndpointStatus.ACTIVE:
        raise DomainError(_("Réactivez l'adresse avant de renvoyer une livraison."))
    with transaction.atomic():
        if not Delivery.objects.filter(pk=delivery.pk, leased_until__isnull=True).update(
            status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=timezone.now()
        ):
            raise DomainError(
                _("Cette livraison est en cours d'envoi ; réessayez dans un instant.")
            )
        enqueue(deliver, delivery.pk)
        journal.record(
            user,
            "webhook.replayed",
            delivery.endpoint,
            summary=gettext_noop("Livraison %(id)s renvoyée"),
            params={"id": delivery.event_id},
        )


def catch_up(now=None) -> int:
    """Queue again every pending delivery whose attempt is long due and nobody holds: one whose
    task was lost with a worker killed mid-send. Safe at any time (the task claims first)."""
    now = now or timezone.now()
    stale = list(
        Delivery.objects.filter(
            status=DeliveryStatus.PENDING,
            next_attempt_at__lte=now - rules.LEASE,
            endpoint__status=EndpointStatus.ACTIVE,
        )
        .exclude(leased_until__gte=now)
        .values_list("pk", flat=True)
    )
    with transaction.atomic():
        for pk in stale:
            enqueue(deliver, pk)
    return len(stale)
