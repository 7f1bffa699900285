"""The public pages' cache (Django's cache framework: local memory, or Redis by MSAP_CACHE_URL).

Keys carry versions instead of being deleted: each house has its version, and the directory as a
whole has one (a search reads many houses). A change of a house's data — by a service (every
service journals its change with the house: core.JournalEntry) or a direct save (admin, import) —
bumps both, and the old entries are never read again (they expire by their timeout).

An entry also expires when what it says stops being true by the clock alone: "open now" until
the next opening or closing, today's hours until midnight (`timeout_until`).
"""

import hashlib
import math
from collections.abc import Callable
from datetime import datetime

from django.core.cache import caches
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from msap.appointments.models import AppointmentType, SlotRule
from msap.core.models import JournalEntry
from msap.network.models import Closure, Equipment, House, MobileStop, OpeningRange, Premises
from msap.partners.models import Partnership
from msap.surveys.models import Answer, Campaign

ALIAS = "default"
PREFIX = "public:"
ALL = "all"
# An entry is never kept longer than this, whatever the clock says (a safety net).
MAX_TIMEOUT = 3600
VERSION_TIMEOUT = None  # versions never expire: an expired version would resurrect old pages


def _cache():
    return caches[ALIAS]


def version(scope) -> int:
    """The current version of a house (its pk) or of the whole directory (ALL)."""
    key = f"{PREFIX}v:{scope}"
    cache = _cache()
    value = cache.get(key)
    if value is None:
        # A fresh start (or an evicted key): a version distinct from any counter an older
        # entry could have been written under, so that it is never read again.
        cache.add(key, int(timezone.now().timestamp() * 1000), timeout=VERSION_TIMEOUT)
        value = cache.get(key)
    return value


def bump(house_pk: int | None) -> None:
    """A house's data changed: its pages and every search are stale."""
    cache = _cache()
    for scope in (house_pk, ALL) if house_pk else (ALL,):
        key = f"{PREFIX}v:{scope}"
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, int(timezone.now().timestamp() * 1000), timeout=VERSION_TIMEOUT)


def timeout_until(moment: datetime | None, now: datetime) -> int:
    """Seconds from `now` to `moment` (at least 1), capped by MAX_TIMEOUT."""
    if moment is None:
        return MAX_TIMEOUT
    return max(1, min(MAX_TIMEOUT, math.ceil((moment - now).total_seconds())))


def cached(name: str, scope, build: Callable[[], tuple[object, datetime | None]], now: datetime):
    """The value of `name` under the current version of `scope`; `build()` answers (value,
    valid until) when it is missing or no longer true."""
    # Hashed: a name may hold a visitor's text (spaces, any character, any length).
    digest = hashlib.blake2b(name.encode(), digest_size=16).hexdigest()
    key = f"{PREFIX}{digest}:{scope}:{version(scope)}"
    cache = _cache()
    # The entry carries the instant it stops being true: read against the application's clock,
    # not only the backend's expiry (Redis counts its timeouts on its own clock).
    entry = cache.get(key)
    if entry is not None and entry[0] > now.timestamp():
        return entry[1]
    value, until = build()
    timeout = timeout_until(until, now)
    cache.set(key, (now.timestamp() + timeout, value), timeout=timeout)
    return value


# --- whole pages ----------------------------------------------------------------------------------
# A page's entry is kept under its name alone and carries the version of its scope it was rendered
# under: a hit is then one read for a search (entry and the directory's version in one get_many) and
# two for a house's page (the entry names its house, then that house's version), with nothing read
# from the database, so that public.middleware serves it before the session is even looked at.


# Where a cached page holds the visitor's CSRF token (the layout's language switch posts):
# replaced by each request's own token when the page is served.
CSRF_PLACEHOLDER = "msap-public-csrf-token-placeholder"


def page_name(language: str, full_path: str) -> str:
    """The name of a whole page: the same for the view and the middleware."""
    return f"page:{language}:{full_path}"


def _page_key(name: str) -> str:
    # Hashed: a name holds the visitor's path and query (any character, any length).
    return f"{PREFIX}page:{hashlib.blake2b(name.encode(), digest_size=16).hexdigest()}"


def page_hit(name: str, now: datetime, scope=None) -> tuple[object, int, str] | None:
    """The (scope, status, html) of page `name` if it is still true — rendered under the
    current version of its scope and before its instant of expiry —, None otherwise. With the
    page's `scope` known (the directory for a search, a house seen before) one round trip reads
    the entry and the version; a wrong guess costs a second read, never a wrong page."""
    key = _page_key(name)
    cache = _cache()
    if scope is None:
        entry, current = cache.get(key), None
    else:
        found = cache.get_many([key, f"{PREFIX}v:{scope}"])
        entry, current = found.get(key), found.get(f"{PREFIX}v:{scope}")
    if entry is None:
        return None
    if scope != entry[0]:
        current = cache.get(f"{PREFIX}v:{entry[0]}")
    if current is None or entry[1] != current or entry[2] <= now.timestamp():
        return None
    return entry[0], entry[3], entry[4]


def page_store(name: str, scope, build: Callable[[], tuple[tuple[int, str], datetime | None]], now):
    """Render page `name` by `build()` — ((status, html), valid until) — and keep it under the
    version of `scope` read before rendering (a change during the render makes it stale at once)."""
    current = version(scope)
    (status, html), until = build()
    timeout = timeout_until(until, now)
    entry = (scope, current, now.timestamp() + timeout, status, html)
    _cache().set(_page_key(name), entry, timeout=timeout)
    return scope, status, html


def house_pk(slug: str, fetch) -> int | None:
    """The house of a public page's slug (slugs do not change), kept so that a page served
    from the cache reads nothing from the database; `fetch(slug)` answers the house or None
    (not kept: a house published later is found)."""
    digest = hashlib.blake2b(slug.encode(), digest_size=16).hexdigest()
    key = f"{PREFIX}slug:{digest}"
    cache = _cache()
    pk = cache.get(key)
    if pk is None:
        house = fetch(slug)
        if house is None:
            return None
        pk = house.pk
        cache.set(key, pk, timeout=MAX_TIMEOUT)
    return pk


# --- invalidation --------------------------------------------------------------------------------


def _house_of(instance) -> int | None:
    if isinstance(instance, House):
        return instance.pk
    if isinstance(instance, SlotRule):
        return instance.appointment_type.partnership.house_id
    if isinstance(instance, AppointmentType):
        return instance.partnership.house_id
    return getattr(instance, "house_id", None)


def _on_change(sender, instance, **kwargs):
    bump(_house_of(instance))


# The journal's actions that change what the public sees of a house (not its registers, its
# requests or its files, journaled by the hundred each day).
PUBLIC_ACTIONS = ("house.", "partnership.", "survey.publish", "survey.comment")


def _on_journal(sender, instance, created, **kwargs):
    # Every service journals its change with the house it concerns: this catches the bulk
    # writes (a whole week of hours replaced) that send no model signal.
    if created and instance.house_id and instance.action.startswith(PUBLIC_ACTIONS):
        bump(instance.house_id)


def _on_answer(sender, instance, created, **kwargs):
    # A new answer changes the figures of a campaign whose results are already published.
    if created:
        published = Campaign.objects.filter(pk=instance.campaign_id, published_at__isnull=False)
        for house_id in published.values_list("house_id", flat=True):
            bump(house_id)


def _on_m2m(sender, instance, action, **kwargs):
    if action.startswith("post_"):
        bump(_house_of(instance) if not isinstance(instance, type) else None)


WATCHED = (House, OpeningRange, Closure, MobileStop, Premises, Equipment, Partnership)
WATCHED_ABOVE = (AppointmentType, SlotRule)


def connect_invalidation() -> None:
    for model in (*WATCHED, *WATCHED_ABOVE):
        post_save.connect(_on_change, sender=model, dispatch_uid=f"public-{model.__name__}-save")
        post_delete.connect(
            _on_change, sender=model, dispatch_uid=f"public-{model.__name__}-delete"
        )
    post_save.connect(_on_journal, sender=JournalEntry, dispatch_uid="public-journal")
    post_save.connect(_on_answer, sender=Answer, dispatch_uid="public-survey-answer")
    for through in (House.served_communes.through, Partnership.services.through):
        m2m_changed.connect(_on_m2m, sender=through, dispatch_uid=f"public-{through.__name__}")
