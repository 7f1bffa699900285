"""Settings of the desk bench: the application's own settings, plus a bench-only URLconf that
adds the baseline view. Nothing else changes: same middleware, same database options."""

from msap.settings import *  # noqa: F403

ROOT_URLCONF = "bench.desk.urls"
