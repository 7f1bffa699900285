"""Webhook endpoints of partner organisations, the events emitted to them and each delivery.

A delivery's state (pending / delivered / failed, attempts, next attempt) is the truth the
queue works from: a task only names a delivery and claims it with a conditional UPDATE, so a
repeated task or two workers never send it twice at once, and a worker that was down finds it.
"""

import base64
import secrets
import time

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from msap.webhooks import rules


def new_secret() -> str:
    return rules.SECRET_PREFIX + base64.b64encode(secrets.token_bytes(rules.SECRET_BYTES)).decode()


def new_message_id() -> str:
    # Time-ordered (milliseconds, then 80 random bits): the receiver's dedup table and our log
    # sort by it.
    return f"msg_{time.time_ns() // 1_000_000:012x}{secrets.token_hex(10)}"


class EndpointStatus(models.TextChoices):
    ACTIVE = "active", _("Actif")
    PAUSED = "paused", _("En pause")
    DISABLED = "disabled", _("Suspendu après des échecs répétés")


class Endpoint(models.Model):
    """An HTTPS address of a partner's system, with the event types it subscribes to."""

    partner = models.ForeignKey(
        "partners.Partner", on_delete=models.CASCADE, related_name="webhook_endpoints"
    )
    url = models.URLField(_("adresse (URL)"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True)
    event_types = models.JSONField(_("événements souscrits"), default=list)
    secret = models.CharField(_("secret de signature"), max_length=60, default=new_secret)
    status = models.CharField(
        _("état"), max_length=10, choices=EndpointStatus.choices, default=EndpointStatus.ACTIVE
    )
    consecutive_failures = models.PositiveIntegerField(_("échecs consécutifs"), default=0)
    alerted_at = models.DateTimeField(_("alerte envoyée le"), null=True, blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    secret_rotated_at = models.DateTimeField(_("secret renouvelé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("adresse de webhook")
        verbose_name_plural = _("adresses de webhook")
        ordering = ["partner", "pk"]
        indexes = [
            # Serves emit(): the active endpoints of a partner.
            models.Index(fields=["partner", "status"], name="webhook_endpoint_partner_idx"),
        ]

    def __str__(self) -> str:
        return self.url

    def subscribes_to(self, event_type: str) -> bool:
        return event_type in self.event_types


class Event(models.Model):
    """Something that happened for a partner; its id is the `webhook-id` of every delivery."""

    id = models.CharField(primary_key=True, max_length=40, default=new_message_id, editable=False)
    partner = models.ForeignKey(
        "partners.Partner", on_delete=models.CASCADE, related_name="webhook_events"
    )
    event_type = models.CharField(_("événement"), max_length=60, choices=rules.EventType.choices)
    payload = models.JSONField(_("contenu"))
    created_at = models.DateTimeField(_("émis le"), auto_now_add=True)

    class Meta:
        verbose_name = _("événement")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.event_type} {self.id}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("En attente")
    DELIVERED = "delivered", _("Livré")
    FAILED = "failed", _("Échec définitif")


class Delivery(models.Model):
    """One event to one endpoint, until it is delivered or has failed for about three days."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="deliveries")
    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(
        _("état"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(_("tentatives"), default=0)
    next_attempt_at = models.DateTimeField(_("prochaine tentative"))
    # Set by the worker sending it (conditional UPDATE); past it, the claim has lapsed.
    leased_until = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(_("livré le"), null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(_("dernier code HTTP"), null=True)
    last_error = models.CharField(_("dernière erreur"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("livraison")
        ordering = ["-pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "endpoint"], name="webhook_delivery_once"),
            models.CheckConstraint(
                name="webhook_delivered_has_date",
                condition=~Q(status="delivered") | Q(delivered_at__isnull=False),
            ),
        ]
        indexes = [
            # Serves the catch-up: pending deliveries whose attempt is due (webhooks.services).
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="pending"),
                name="webhook_delivery_due_idx",
            ),
            # Serves the delivery log of an endpoint, newest first.
            models.Index(fields=["endpoint", "-id"], name="webhook_delivery_log_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.event_id} → {self.endpoint_id}"


class Attempt(models.Model):
    """One HTTP attempt of a delivery: the log a partner reads to see what its server answered."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="log")
    at = models.DateTimeField(_("le"))
    status_code = models.PositiveSmallIntegerField(_("code HTTP"), null=True)
    error = models.CharField(_("erreur"), max_length=500, blank=True)
    response = models.CharField(_("réponse"), max_length=rules.RESPONSE_EXCERPT, blank=True)
    duration_ms = models.PositiveIntegerField(_("durée (ms)"))
    manual = models.BooleanField(_("renvoi manuel"), default=False)

    class Meta:
        verbose_name = _("tentative")
        ordering = ["delivery", "at"]

    def __str__(self) -> str:
        return f"{self.delivery_id} {self.at:%Y-%m-%d %H:%M:%S} {self.status_code or self.error}"

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300
