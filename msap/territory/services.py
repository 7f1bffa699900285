"""Look-ups in the administrative geography: the commune type-ahead and fetch by INSEE code.

Plain ORM lookups on `Commune.search_name` (lowercase, unaccented), so the same code gives the
same answers on SQLite and PostgreSQL without unaccent/ICU extensions.
"""

import re

from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When

from msap.territory.models import Commune, FormerCommune, search_key

# A query made of digits, or a Corsican INSEE code start ("2A", "2b00"), searches codes.
_CODE_QUERY = re.compile(r"\d{1,5}|2[AB]\d{0,3}", re.IGNORECASE)
MAX_LIMIT = 100
# What people type for a saint's name, as whole words: "st etienne", "ste foy".
_SAINTS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}
# An ordinal as typed after a city's name ("13e", "13eme", "13ème", "1er", "1ere", "2nd"):
# folded to its number, a prefix of INSEE's "13e Arrondissement"/"1er Arrondissement".
_ORDINAL = re.compile(r"\b(\d+) ?(?:e|eme|er|ere|re|nd|nde)\b")


def _communes() -> QuerySet[Commune]:
    return Commune.objects.select_related("departement__region", "parent")


def _name_keys(query: str) -> list[str]:
    """The search keys of a typed name: as typed, with its ordinals folded to their number, and
    each with its abbreviations spelt out ("st etienne" → "saint etienne")."""
    typed = search_key(query)
    keys = []
    for key in (_ORDINAL.sub(r"\1", typed), typed):
        if key:
            keys += [" ".join(_SAINTS.get(word, word) for word in key.split()), key]
    return list(dict.fromkeys(keys))


def _whole_word(keys: list[str]) -> Q:
    """The names where a key ends a word: "marseille 1" is the 1er arrondissement, not the 10e."""
    condition = Q()
    for key in keys:
        condition |= Q(search_name=key) | Q(search_name__startswith=key + " ")
        if key[-1].isdigit():
            condition |= Q(search_name__startswith=key + "e ")
            condition |= Q(search_name__startswith=key + "er ")
    return condition


def _ranked(communes: QuerySet[Commune], keys: list[str]) -> QuerySet[Commune]:
    """The exact name first, then the names where the query ends a word, then the largest."""
    rank = Case(
        When(search_name__in=keys, then=Value(0)),
        When(_whole_word(keys), then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    # NULL population last: PostgreSQL would put NULLs first in a descending order.
    return communes.order_by(rank, F("population").desc(nulls_last=True), "name", "code")


def search_communes(query: str, departement: str | None = None, limit: int = 20) -> list[Commune]:
    """Communes whose name starts with `query`, ignoring case, accents, hyphens and apostrophes.

    "st"/"ste" stand for Saint/Sainte ("st etienne" finds Saint-Étienne); the municipal
    arrondissements are found as "Marseille 13e", "marseille 13", "Lyon 3eme" or "Paris 15".
    A former commune's name (a commune déléguée or associée) offers the commune it joined,
    with `former_name` set to the name that matched (see `Commune.label`), after the communes
    whose own name matches. A query of digits matches the start of a postal code or of the
    INSEE code instead ("750" finds Paris, "57463" finds Metz, "2A004" Ajaccio). `departement`
    (a code such as "974" or "2A") narrows the search. Results: the exact name first, then
    the largest communes, so that "saint d" offers Saint-Denis before the hamlets; at most
    `limit` (capped at 100). An empty query gives no result.
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
        communes = _communes().filter(condition)
        if departement:
            communes = communes.filter(departement_id=departement.strip().upper())
        communes = communes.order_by(F("population").desc(nulls_last=True), "name", "code")
        return list(communes[:limit])

    keys = _name_keys(query)
    if not keys:
        return []
    if _ORDINAL.search(search_key(query).rsplit(" ", 1)[-1]):
        # An ordinal typed in full ("paris 1er") names one arrondissement, not the 10e to 19e.
        condition = _whole_word(keys)
    else:
        condition = Q()
        for key in keys:
            condition |= Q(search_name__startswith=key)
    communes = _communes().filter(condition)
    if departement:
        communes = communes.filter(departement_id=departement.strip().upper())
    results = list(_ranked(communes, keys)[:limit])
    if len(results) < limit:
        results += _former_matches(condition, departement, {c.code for c in results})[
            : limit - len(results)
        ]
    return results


def _former_matches(condition: Q, departement: str | None, seen: set[str]) -> list[Commune]:
    """The current communes whose former communes' names match, each once, with `former_name`."""
    formers = FormerCommune.objects.filter(condition).exclude(commune_id__in=seen)
    if departement:
        formers = formers.filter(commune__departement_id=departement.strip().upper())
    formers = formers.select_related("commune__departement__region").order_by(
        F("commune__population").desc(nulls_last=True), "name", "code"
    )
    results = []
    for former in formers[:MAX_LIMIT]:
        if former.commune_id not in seen:
            seen.add(former.commune_id)
            former.commune.former_name = former.name
            results.append(former.commune)
    return results


def commune_by_code(code: str, former: bool = False) -> Commune | None:
    """The commune of this INSEE code ("75056", "2a004" → "2A004"), or None. With `former`,
    a former commune's code (a merger's) gives the commune it joined."""
    code = (code or "").strip().upper()
    if not code:
        return None
    commune = _communes().filter(code=code).first()
    if commune is None and former:
        commune = _communes().filter(former_communes__code=code).first()
    return commune
