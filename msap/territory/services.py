"""Look-ups in the administrative geography: the commune type-ahead and fetch by INSEE code.

Plain ORM lookups on `Commune.search_name` (lowercase, unaccented), so the same code gives the
same answers on SQLite and PostgreSQL without unaccent/ICU extensions.
"""

import re

from django.db.models import F, Q, QuerySet

from msap.territory.models import Commune, search_key

# A query made of digits, or a Corsican INSEE code start ("2A", "2b00"), searches codes.
_CODE_QUERY = re.compile(r"\d{1,5}|2[AB]\d{0,3}", re.IGNORECASE)
MAX_LIMIT = 100


def _communes() -> QuerySet[Commune]:
    return Commune.objects.select_related("departement__region")


def search_communes(query: str, departement: str | None = None, limit: int = 20) -> list[Commune]:
    """Communes whose name starts with `query`, ignoring case, accents, hyphens and apostrophes.

    A query of digits matches the start of a postal code or of the INSEE code instead
    ("750" finds Paris, "57463" finds Metz, "2A004" Ajaccio). `departement` (a code such as
    "974" or "2A") narrows the search. Results: the largest communes first, so that "saint d"
    offers Saint-Denis before the hamlets; at most `limit` (capped at 100). An empty query
    gives no result.
    """
    query = (query or "").strip()
    limit = max(0, min(limit, MAX_LIMIT))
    if not query or not limit:
        return []

    if _CODE_QUERY.fullmatch(query):
        code = query.upper()
        condition = (
            Q(code__startswith=code)
            | Q(postal_codes__startswith=code)
            | Q(postal_codes__contains=" " + code)
        )
    else:
        key = search_key(query)
        if not key:
            return []
        condition = Q(search_name__startswith=key)

    communes = _communes().filter(condition)
    if departement:
        communes = communes.filter(departement_id=departement.strip().upper())
    # NULL population last: PostgreSQL would put NULLs first in a descending order.
    communes = communes.order_by(F("population").desc(nulls_last=True), "name", "code")
    return list(communes[:limit])


def commune_by_code(code: str) -> Commune | None:
    """The commune of this INSEE code ("75056", "2a004" → "2A004"), or None."""
    code = (code or "").strip().upper()
    if not code:
        return None
    return _communes().filter(code=code).first()
