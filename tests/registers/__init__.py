"""Tests of the registers (charter commitments 11–15). Shared helpers: Paris time, the page as read."""

from datetime import datetime
from html import unescape
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")


def paris(*args) -> datetime:
    return datetime(*args, tzinfo=PARIS)


def text(response) -> str:
    """The page as the user reads it (entities such as &#x27; decoded)."""
    return unescape(response.content.decode())
