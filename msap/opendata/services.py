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
from django.db.models import Max

from msap.core.models import JournalEntry
from msap.network.sites import COLUMNS, published_rows, write_csv
from msap.opendata.schema import table_schema

CACHE_SECONDS = 3600


@dataclass(frozen=True)
class Export:
    body: bytes
    content_type: str
    etag: str


def _export(body: bytes, content_type: str) -> Export:
    return Export(body, content_type, '"' + hashlib.sha256(body).hexdigest()[:32] + '"')


def _cached(kind: str, build) -> Export:
    # The instant as well as the id: a rolled-back entry's id is given again on SQLite.
    last = JournalEntry.objects.aggregate(pk=Max("pk"), at=Max("at"))
    stamp = last["at"].timestamp() if last["at"] else 0
    key = f"opendata:{kind}:{last['pk'] or 0}:{stamp}"
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
