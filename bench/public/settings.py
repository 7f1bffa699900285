"""Settings of the public bench: the application's own, with the cache switched off when the
run measures the pages without it (BENCH_PUBLIC_CACHE=off). Nothing else changes."""

import os

from msap.settings import *  # noqa: F403

if os.environ.get("BENCH_PUBLIC_CACHE") == "off":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
