"""A per-process cache of the small reference tables the counter validates against at every
recording (partners, service categories and items, procedures, and houses for their time zone —
whether the agent may record there is always checked against their current roles): a few
thousand rows that change a few times a year. The quick entry is the hottest path of the product; looking these up in the
database each time cost half its queries (bench/desk). An unknown id reloads the table once, so
a partner or procedure created a second ago is found; entries also expire after `TTL` seconds.
"""

import threading
import time

from msap.desk.models import Procedure
from msap.network.models import House
from msap.partners.models import Partner, ServiceCategory, ServiceItem

TTL = 300
_lock = threading.Lock()
_tables: dict[str, tuple[float, dict]] = {}


def _load(name: str) -> dict:
    if name == "procedure":
        rows = Procedure.objects.filter(active=True).select_related("partner")
    elif name == "house":
        # Only the recording's needs: the id for the row, the département for the time zone.
        rows = House.objects.select_related("commune__departement").only(
            "id", "name", "commune__departement__code", "commune__departement__name"
        )
    else:
        model = {"partner": Partner, "category": ServiceCategory, "item": ServiceItem}[name]
        rows = model.objects.all()
    return {obj.pk: obj for obj in rows}


def table(name: str, *, refresh: bool = False) -> dict:
    now = time.monotonic()
    with _lock:
        entry = _tables.get(name)
        if refresh or entry is None or now - entry[0] > TTL:
            entry = (now, _load(name))
            _tables[name] = entry
        return entry[1]


def get(name: str, pk):
    """The object of table `name` with primary key `pk`, or None when there is none."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    obj = table(name).get(pk)
    if obj is None:
        obj = table(name, refresh=True).get(pk)
    return obj


def procedures_labelled(label: str, partner_id: int | None) -> list:
    """Active procedures whose label is `label` (case-insensitive), for that partner or none."""
    wanted = label.strip().casefold()

    def matches(procedures):
        return [
            p
            for p in procedures.values()
            if p.label.casefold() == wanted
            and (partner_id is None or p.partner_id in (partner_id, None))
        ]

    found = matches(table("procedure"))
    return found or matches(table("procedure", refresh=True))


def clear() -> None:
    with _lock:
        _tables.clear()
