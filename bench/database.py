"""The throwaway PostgreSQL database every bench creates, fills and drops, and its output."""

import contextlib
import os
import re
import secrets
import signal
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bench.workers import stop
from msap.lib.env import env_str

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def check_url(url: str, bench: str) -> tuple[str, str]:
    """(database name, maintenance URL). The bench drops its database at the end: only a
    loopback server, and a name containing "bench" made of a-z, 0-9 and _ (it is interpolated
    in CREATE / DROP DATABASE)."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if parts.scheme not in ("postgres", "postgresql"):
        raise SystemExit(f"{bench}: PostgreSQL only (postgres://…)")
    if (parts.hostname or "") not in LOOPBACK:
        raise SystemExit(f"{bench}: loopback only, not {parts.hostname}")
    if "bench" not in name or not re.fullmatch(r"[a-z0-9_]+", name):
        raise SystemExit(
            f"{bench}: the database is dropped at the end; its name must contain "
            f"'bench' and only a-z, 0-9, _ ({name})"
        )
    return name, urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))


def database_url_option(parser, env_name: str, default: str, *, old: str = "") -> None:
    """The bench's `--database-url`, by default the environment's `env_name` (or its former name
    `old`), else `default`; check_url refuses anything but a loopback bench database."""
    parser.add_argument("--database-url", default=env_str(env_name, default, old=old or ()))


def admin(maintenance_url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(maintenance_url, autocommit=True) as conn:
        conn.execute(sql)


@contextlib.contextmanager
def throwaway_database(
    url: str, bench: str, *, keep: bool = False, env: dict | None = None, workers: list = ()
):
    """The bench's database, created empty (a previous run's dropped first), the application's
    settings pointed at it (plus `env`); on the way out, also on Ctrl-C or an error, the
    `msap worker` processes the bench started (`workers`) stopped, its connections closed and
    the database dropped, unless `keep`. A Ctrl-C ends the bench quietly."""
    name, maintenance = check_url(url, bench)
    os.environ["MSAP_DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "msap.settings"
    # The application's own settings refuse the demo key; a throwaway one for this run.
    os.environ["MSAP_SECRET_KEY"] = secrets.token_urlsafe(50)
    os.environ.update(env or {})
    say(f"{bench}: base {name} sur 127.0.0.1 (créée puis supprimée)")
    admin(maintenance, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin(maintenance, f'CREATE DATABASE "{name}"')
    try:
        yield name
    except KeyboardInterrupt:
        say(f"{bench}: interrompu")
    finally:
        stop(workers)
        from django.db import connections  # once the settings above are in place

        connections.close_all()
        if keep:
            say(f"{bench}: base {name} conservée (--keep-db)")
        else:
            admin(maintenance, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            say(f"{bench}: base {name} supprimée")


def migrate(figure_name: str) -> None:
    """Django set up on the bench's database and the database migrated, timed as a figure."""
    import django

    django.setup()
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    figure(figure_name, time.perf_counter() - started, "s")


def say(text: str) -> None:
    print(text, flush=True)


def figure(name: str, value, unit: str = "") -> None:
    """One `name: value unit` line of a bench's output (three decimals below 10, one above)."""
    if isinstance(value, float):
        value = f"{value:.3f}" if value < 10 else f"{value:.1f}"
    say(f"{name}: {value} {unit}".rstrip())


def run_cleanly(bench: str, body: Callable[[Path, contextlib.ExitStack], int]) -> int:
    """Run `body(tmp, cleanup)` with a temporary directory and an ExitStack for what it starts
    (servers, databases), SIGTERM taken as Ctrl-C; the stack unwinds first (server, then
    database), then the temporary directory goes."""

    def on_term(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_term)
    with (
        tempfile.TemporaryDirectory(prefix="msap-bench-") as tmp,
        contextlib.ExitStack() as cleanup,
    ):
        try:
            return body(Path(tmp), cleanup)
        except KeyboardInterrupt:
            say(f"{bench}: interrompu, nettoyage…")
            return 130
