"""Write to the append-only journal from domain functions (never from views)."""

from django.db import models

from msap.core.models import JournalEntry


def record(
    actor, action: str, target: models.Model, *, summary: str = "", changes=None, house_id=None
):
    """Append one entry: `actor` did `action` to `target`; `changes` maps field -> [before, after]."""
    if house_id is None:
        house_id = getattr(target, "house_id", None)
        if house_id is None and target._meta.label_lower == "network.house":
            house_id = target.pk
    return JournalEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        house_id=house_id,
        summary=summary[:300],
        changes=changes or {},
    )


def diff(instance: models.Model, data: dict) -> dict:
    """The fields of `data` whose value differs from `instance`'s, as {field: [before, after]}."""
    out = {}
    for field, new in data.items():
        old = getattr(instance, field)
        if old != new:
            out[field] = [_plain(old), _plain(new)]
    return out


def _plain(value):
    if isinstance(value, models.Model):
        return str(value.pk)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return (
        value if isinstance(value, (str, int, float, bool, type(None), list, dict)) else str(value)
    )
