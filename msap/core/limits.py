"""Abuse limits of the forms the public fills without an account (a complaint, a survey's
answer): a counter per key and window in Django's cache, and the polite refusal (429) they
answer when a limit is passed. Shared by public and surveys (moved down from public.services)."""

from django.core.cache import caches

from msap.core.errors import DomainError


class Refused(DomainError):
    """A send refused as abusive (honeypot, rate limit): said politely, logged."""

    status = 429


def count(key: str, window_seconds: int) -> int:
    """Count one more hit of `key` in its window; the number of hits so far."""
    cache = caches["default"]
    cache.add(key, 0, timeout=window_seconds)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window_seconds)
        return 1
