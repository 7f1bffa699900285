"""Real `msap worker` processes for the benches that measure the task queue: started as
production starts them (their own processes and PostgreSQL connections), waited for, measured
from /proc, stopped."""

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APP_NAME = "msap-bench-worker"


def start_workers(
    count: int, *, queue: str, interval: float, env: dict | None = None
) -> list[subprocess.Popen]:
    """`count` workers of `queue`, with this process's environment plus `env`, and the
    application's own database connection settings (not a bench's MSAP_DB_CONN_MAX_AGE). Each
    names its PostgreSQL connection (libpq's PGAPPNAME) so `wait_connected` sees it poll."""
    command = [sys.executable, "-m", "msap", "worker", "--queue-name", queue]
    command += ["--interval", str(interval), "--verbosity", "0"]
    inherited = {k: v for k, v in os.environ.items() if k != "MSAP_DB_CONN_MAX_AGE"}
    return [
        subprocess.Popen(
            [*command, "--worker-id", f"bench-{i}"],
            cwd=ROOT,
            env={**inherited, **(env or {}), "PGAPPNAME": f"{APP_NAME}-{i}"},
            start_new_session=True,  # Ctrl-C reaches the bench, which stops them
        )
        for i in range(count)
    ]


def wait_connected(workers: list[subprocess.Popen], timeout: float = 60.0) -> float:
    """Seconds until every worker has polled the queue once (its connection is open), so that
    what is timed next excludes their start (production's workers are already running)."""
    from django.db import connection

    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(DISTINCT application_name) FROM pg_stat_activity "
                "WHERE datname = current_database() AND application_name LIKE %s",
                [f"{APP_NAME}-%"],
            )
            if cursor.fetchone()[0] >= len(workers):
                return time.perf_counter() - started
        if any(w.poll() is not None for w in workers):
            raise SystemExit("bench: a worker stopped while starting")
        time.sleep(0.1)
    raise SystemExit(f"bench: the workers did not connect within {timeout:.0f} s")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (/proc/<pid>/stat fields 14 and 15)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def backends_cpu() -> dict[int, float]:
    """{pid: CPU seconds} of the PostgreSQL backends of this database (the bench's own and the
    workers'), the server being on this machine: the database's share of a phase."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
        pids = [pid for (pid,) in cursor.fetchall()]
    seconds = {}
    for pid in pids:
        with contextlib.suppress(OSError):  # gone meanwhile
            seconds[pid] = cpu_seconds(pid)
    return seconds


def stop(workers: list[subprocess.Popen]) -> None:
    """SIGTERM (a worker finishes its task), then kill after 15 s."""
    for worker in workers:
        if worker.poll() is None:
            worker.send_signal(signal.SIGTERM)
    for worker in workers:
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
    workers.clear()
