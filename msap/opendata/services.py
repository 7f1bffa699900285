"""The published list of houses, built from msap's own data, cached, with the validators that
let a client skip it when nothing changed.

Every change of a house goes through a network service that journals it (import_sites
included): the journal's last entry (id and instant) is the version of the data, and the cache
key. A change
makes a new key; the old entry expires on its own."""

import hashlib
import io
import json
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Max

from msap.core.models import JournalEntry
from msap.network.models import House, OpeningRange
from msap.network.sites import COLUMNS, published_rows, write_csv
from msap.opendata.schema import table_schema

# A change made outside the services (Django's admin) shows within this delay at worst.
CACHE_SECONDS = 300


@dataclass(frozen=True)
class Export:
    body: bytes
    content_type: str
    etag: str


def _export(body: bytes, content_type: str) -> Export:
    return Export(body, content_type, '"' + hashlib.sha256(body).hexdigest()[:32] + '"')


def data_version() -> str:
    """A cheap fingerprint of what the export reads: the journal's last entry (every change
    through a service), the houses' and opening ranges' counts, last ids and the last house's
    creation (rows made or removed by other paths). Three aggregate queries."""
    last = JournalEntry.objects.aggregate(pk=Max("pk"), at=Max("at"))
    houses = House.objects.aggregate(
        n=Count("pk"), pk=Max("pk"), v=Max("version"), at=Max("created_at")
    )
    ranges = OpeningRange.objects.aggregate(n=Count("pk"), pk=Max("pk"))
    # Instants as well as ids: SQLite gives a rolled-back row's id again.
    stamps = [value.timestamp() if value else 0 for value in (last["at"], houses["at"])]
    return ":".join(
        map(str, [last["pk"], *stamps, houses["n"], houses["pk"], houses["v"], *ranges.values()])
    )


def _cached(kind: str, build) -> Export:
    key = f"opendata:{kind}:{data_version()}"
    export = cache.get(key)
    if export is None:
        export = build()
        cache.set(key, export, CACHE_SECONDS)
    return export


def _csv() -> Export:
    out = io.StringIO()
    write_csv(published_rows(), out)
    return _export(out.getvalue().encode("utf-8"), "text/csv; charset=utf-8")


def _json() -> Export:
    rows = published_rows()
    assert all(list(row) == COLUMNS for row in rows)
    body = json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return _export(body, "application/json; charset=utf-8")


def houses_csv() -> Export:
    """The recognised houses in the national list's layout, CSV UTF-8."""
    return _cached("csv", _csv)


def houses_json() -> Export:
    """The same rows as a JSON array of objects, keys in the columns' order."""
    return _cached("json", _json)


def schema_json() -> Export:
    """The Table Schema of the export (docs/opendata/maisons.schema.json holds the same)."""
    body = json.dumps(table_schema(), ensure_ascii=False, indent=2) + "\n"
    return _export(body.encode("utf-8"), "application/json; charset=utf-8")
