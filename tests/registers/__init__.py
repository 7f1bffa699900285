"""Tests of the registers (charter commitments 11–15). Shared helpers for building items."""

from datetime import datetime, timedelta
from html import unescape
from zoneinfo import ZoneInfo

from django.utils import timezone

from msap.registers import services

PARIS = ZoneInfo("Europe/Paris")


def record(
    house, user, kind="mail_in", *, received_at=None, subject="Demande de renseignements", **data
):
    """Register an item through the service, as the screens do."""
    data.setdefault("channel", {"email": "email", "phone": "phone"}.get(kind, "post"))
    if kind == "phone":
        data.setdefault("phone_outcome", "voicemail")
    return services.record_item(
        user,
        house,
        kind=kind,
        received_at=received_at or timezone.now() - timedelta(hours=1),
        subject=subject,
        **data,
    )


def paris(*args) -> datetime:
    return datetime(*args, tzinfo=PARIS)


def text(response) -> str:
    """The page as the user reads it (entities such as &#x27; decoded)."""
    return unescape(response.content.decode())
