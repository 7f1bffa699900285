"""Helpers for the attendance tool's tests."""

from uuid import uuid4
from zoneinfo import ZoneInfo

from msap.partners.models import Partner, ServiceCategory

PARIS = ZoneInfo("Europe/Paris")


def category(code: str) -> ServiceCategory:
    return ServiceCategory.objects.get(code=code)


def entry_payload(house, **overrides) -> dict:
    """What the quick entry posts for a common request: CAF, B1, defaults elsewhere."""
    data = {
        "house": house.pk,
        "partner": Partner.objects.get(code="caf").pk,
        "category": category("B1").pk,
        "procedure": "",
        "item": "",
        "channel": "counter",
        "duration_minutes": "10",
        "outcome": "answered",
        "autonomy": "",
        "age_band": "",
        "commune": "",
        "first_visit": "",
        "group_size": "1",
        "occurred_at": "",
        "notes": "",
        "key": uuid4().hex,
    }
    data.update(overrides)
    return data
