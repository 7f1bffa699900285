"""The rules of webhook deliveries (issue 9, item 7), in one place.

Signatures follow Standard Webhooks (https://www.standardwebhooks.com/): the headers
`webhook-id`, `webhook-timestamp` and `webhook-signature` = "v1," + base64 of HMAC-SHA256 over
"id.timestamp.body" with the endpoint's secret ("whsec_" + base64 of its bytes).
"""

import ipaddress
import socket
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from msap.core.errors import DomainError
from msap.core.queue import backoff


class EventType(models.TextChoices):
    """What a partner's system may subscribe to: its appointments and transmissions."""

    APPOINTMENT_REQUESTED = "appointment.requested", gettext_lazy("Rendez-vous demandé")
    APPOINTMENT_CONFIRMED = "appointment.confirmed", gettext_lazy("Rendez-vous confirmé")
    APPOINTMENT_SEEN = "appointment.seen", gettext_lazy("Rendez-vous honoré")
    APPOINTMENT_NO_SHOW = "appointment.no_show", gettext_lazy("Personne absente au rendez-vous")
    APPOINTMENT_EXCUSED = "appointment.excused", gettext_lazy("Rendez-vous annulé par la personne")
    APPOINTMENT_REVOKED = (
        "appointment.revoked",
        gettext_lazy("Rendez-vous annulé par le partenaire"),
    )
    TRANSMISSION_SENT = "transmission.sent", gettext_lazy("Saisine transmise")
    TRANSMISSION_TAKEN = "transmission.taken_in_charge", gettext_lazy("Saisine prise en charge")
    TRANSMISSION_INFO_REQUESTED = (
        "transmission.information_requested",
        gettext_lazy("Informations demandées sur une saisine"),
    )
    TRANSMISSION_ANSWERED = (
        "transmission.answered",
        gettext_lazy("Réponse de la maison à une saisine"),
    )
    TRANSMISSION_RESOLVED = "transmission.resolved", gettext_lazy("Saisine résolue")
    TRANSMISSION_REDIRECTED = "transmission.redirected", gettext_lazy("Saisine réorientée")
    TRANSMISSION_REFUSED = "transmission.refused", gettext_lazy("Saisine refusée")
    TRANSMISSION_EXPIRED = "transmission.expired", gettext_lazy("Saisine expirée")
    PING = "ping", gettext_lazy("Essai de l'adresse")


SECRET_PREFIX = "whsec_"  # noqa: S105 - the format's prefix, not a secret
SECRET_BYTES = 32
# The receiver's side: a timestamp older (or newer) than this is a replay (Standard Webhooks).
REPLAY_TOLERANCE = timedelta(minutes=5)

# Retries: 30 s, then ×3 each time (1 min 30, 4 min 30, 13 min 30, 40 min, 2 h, 6 h), then every
# 12 h: 13 attempts spread over about three days (RETRY_SPAN), after which the delivery has
# failed and its endpoint, dead for three days, is paused.
MAX_ATTEMPTS = 13


def retry_delay(attempt: int) -> timedelta:
    """The wait after failed attempt number `attempt` (1 = the first send)."""
    return backoff(attempt, first=30, factor=3, cap=12 * 3600)


RETRY_SPAN = sum((retry_delay(n) for n in range(1, MAX_ATTEMPTS)), timedelta())
# Consecutive failed attempts of an endpoint (any delivery) before its partner is alerted by email.
ALERT_AFTER_FAILURES = 5
# How long a worker holds a delivery it is sending (beyond it, another may take it up).
LEASE = timedelta(minutes=2)
# What the delivery log keeps of a receiver's answer.
RESPONSE_EXCERPT = 500


def check_endpoint_url(url: str) -> None:
    """Refuse (DomainError, in French) a URL that is not HTTPS or whose host resolves to a private,
    loopback, link-local or otherwise non-public address: a webhook must never make msap call
    into its own network. MSAP_WEBHOOK_ALLOW_LOOPBACK (tests only) admits http://127.0.0.1."""
    try:
        parts = urlsplit(url)
        host, port = parts.hostname, parts.port
    except ValueError:
        raise DomainError(_("Cette adresse n'est pas une URL valide.")) from None
    if not host:
        raise DomainError(_("Cette adresse n'est pas une URL valide."))
    loopback_ok = settings.MSAP_WEBHOOK_ALLOW_LOOPBACK and host == "127.0.0.1"
    if parts.scheme != "https" and not (loopback_ok and parts.scheme == "http"):
        raise DomainError(_("L'adresse doit commencer par https:// (connexion chiffrée)."))
    if parts.username or parts.password:
        raise DomainError(_("L'adresse ne doit pas contenir d'identifiant ni de mot de passe."))
    if loopback_ok:
        return
    try:
        infos = socket.getaddrinfo(host, port or 443, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        raise DomainError(_("Le nom de domaine de cette adresse est introuvable.")) from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if not address.is_global or address.is_multicast:
            raise DomainError(
                _(
                    "Cette adresse mène à un réseau privé, local ou réservé : seule une adresse "
                    "publique sur Internet est acceptée."
                )
            )
