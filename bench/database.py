"""The throwaway PostgreSQL database every bench creates, fills and drops, and its output."""

import contextlib
import re
import signal
import tempfile
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

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


def admin(maintenance_url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(maintenance_url, autocommit=True) as conn:
        conn.execute(sql)


def say(text: str) -> None:
    print(text, flush=True)


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
