"""`make bench-desk`: the recording path of the attendance tool under load (issue 3 "Performance").

1. creates a throwaway PostgreSQL database (its name must contain "bench"), migrates it and fills
   it with bench/generate.py (national volumes);
2. starts the real server: gunicorn, several workers, the application's settings plus a
   bench-only URL for the baseline (bench/desk/settings.py), on 127.0.0.1 only;
3. logs agents in through the login form, then drives the quick entry (POST /saisie/) at a
   steady rate, then at full speed, and the baseline view (one INSERT) the same way;
4. prints one line per figure ("name: value unit") with the targets, reads each worker's RSS;
5. stops the server and drops the database, also on Ctrl-C or error.

It reports; it is not a test: a missed target does not fail the command.
"""

import argparse
import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench.database import admin, check_url, database_url_option, run_cleanly, say

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/msap_bench"
TARGETS = {"p95_ms": 30.0, "ratio": 0.60, "rss_mb": 150.0}


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    database_url_option(p, "MSAP_BENCH_DATABASE_URL", DEFAULT_URL, old="BENCH_DATABASE_URL")
    p.add_argument("--houses", type=int, default=300)
    p.add_argument("--agents", type=int, default=1000)
    p.add_argument(
        "--requests", type=int, default=1_000_000, help="requests already in the database"
    )
    p.add_argument("--workers", type=int, default=4)
    p.add_argument("--worker-class", default="sync", choices=("sync", "gthread"))
    p.add_argument("--threads", type=int, default=1, help="threads per worker (gthread)")
    p.add_argument("--sessions", type=int, default=32, help="agents logged in for the load")
    p.add_argument("--rate", type=float, default=50.0, help="recordings per second, steady phase")
    p.add_argument("--steady", type=float, default=40.0, help="seconds of the steady phase")
    p.add_argument("--max-seconds", type=float, default=15.0, help="seconds per full-speed round")
    p.add_argument(
        "--rounds", type=int, default=2, help="full-speed rounds, desk and baseline alternated"
    )
    p.add_argument("--clients", type=int, default=8, help="concurrent clients at full speed")
    p.add_argument("--keep-db", action="store_true", help="keep the database (to look at it)")
    return p.parse_args(argv)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn in its own session (Ctrl-C in the terminal reaches the bench, which stops it)."""

    def __init__(self, args, env: dict, port: int, log: Path):
        self.port, self.log = port, log
        cmd = [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "msap.wsgi",
            "--bind", f"127.0.0.1:{port}",
            "--workers", str(args.workers),
            "--worker-class", args.worker_class,
            "--threads", str(args.threads),
            "--timeout", "30",
            "--graceful-timeout", "5",
            "--log-level", "warning",
            "--error-logfile", str(log),
        ]  # fmt: skip
        # The application's own log lines (INFO) go to the log file, as a server's would.
        self.out = open(log.with_suffix(".out"), "wb")  # noqa: SIM115 (closed by stop())
        self.proc = subprocess.Popen(
            cmd, cwd=ROOT, env=env, start_new_session=True, stdout=self.out, stderr=self.out
        )

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({self.proc.returncode}): see {self.log}")
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{self.port}/healthz", timeout=2
                ) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("gunicorn did not answer /healthz in time")

    def workers(self) -> list[int]:
        pid = self.proc.pid
        try:
            return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
        except OSError:  # no /proc children file: scan the parents
            out = []
            for stat in Path("/proc").glob("[0-9]*/stat"):
                with contextlib.suppress(OSError):
                    fields = stat.read_text().rsplit(")", 1)[1].split()
                    if int(fields[1]) == pid:
                        out.append(int(stat.parent.name))
            return out

    @staticmethod
    def rss_mb(pid: int) -> float:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()  # the master stops its workers gracefully
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)  # its own process group, by its id
                self.proc.wait(5)
        self.out.close()


def main(argv=None) -> int:
    args = parse_args(argv)
    db_name, maintenance = check_url(args.database_url, "bench-desk")
    return run_cleanly(
        "bench-desk", lambda tmp, cleanup: run(args, db_name, maintenance, tmp, cleanup)
    )


def run(args, db_name: str, maintenance: str, tmp: Path, cleanup: contextlib.ExitStack) -> int:
    env = {
        **os.environ,
        "MSAP_DATABASE_URL": args.database_url,
        "DJANGO_SETTINGS_MODULE": "bench.desk.settings",
        "MSAP_DATA_DIR": str(tmp),  # static and private files of this run, removed with it
        # Real settings refuse the demo key; this run's sessions die with it.
        "MSAP_SECRET_KEY": secrets.token_urlsafe(50),
        "PYTHONPATH": str(ROOT),
    }
    env.pop("MSAP_TESTING", None)  # the real password hashers, lockout and settings
    env.pop("MSAP_DEBUG", None)
    env.pop("DEBUG", None)
    os.environ.update(
        {
            k: env[k]
            for k in (
                "MSAP_DATABASE_URL",
                "DJANGO_SETTINGS_MODULE",
                "MSAP_DATA_DIR",
                "MSAP_SECRET_KEY",
            )
        }
    )
    os.environ.pop("MSAP_TESTING", None)
    sys.path.insert(0, str(ROOT))

    started = time.perf_counter()
    say(f"bench-desk: base {db_name} (PostgreSQL, 127.0.0.1), {os.cpu_count()} cœurs")
    admin(maintenance, f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
    admin(maintenance, f'CREATE DATABASE "{db_name}"')
    if not args.keep_db:
        cleanup.callback(admin, maintenance, f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    cleanup.callback(connections.close_all)  # before the drop (LIFO)
    t = time.perf_counter()
    call_command("migrate", verbosity=0)
    say(f"  migrations ({time.perf_counter() - t:.0f} s)")
    from bench.generate import BENCH_PASSWORD, generate

    say(f"  génération : {args.houses} maisons, {args.agents} agents, ~{args.requests} demandes")
    network = generate(houses=args.houses, agents=args.agents, requests=args.requests, progress=say)
    catalogue = load_catalogue()
    connections.close_all()
    setup_s = time.perf_counter() - started
    say(f"  préparation terminée en {setup_s:.0f} s")

    port = free_port()
    server = Server(args, env, port, tmp / "gunicorn.log")
    cleanup.callback(server.stop)
    server.wait_ready()
    say(f"  gunicorn : {args.workers} workers {args.worker_class} sur 127.0.0.1:{port}")

    from bench.desk import load

    client = load.Client(port)
    sessions = login_agents(client, network, args.sessions, BENCH_PASSWORD)
    say(f"  {len(sessions)} agents connectés par le formulaire de connexion")
    desk = load.poster(client, "/saisie/", sessions, catalogue, seed=1)
    base = load.poster(client, "/banc/insertion/", sessions, catalogue, seed=2)

    say("  échauffement…")
    load.open_loop(desk, rate=20, duration=4)
    load.open_loop(base, rate=20, duration=4)
    say(f"  charge régulière : {args.rate:g}/s pendant {args.steady:g} s (saisie rapide)")
    steady = load.open_loop(desk, rate=args.rate, duration=args.steady)
    say(f"  charge régulière : {args.rate:g}/s pendant {args.steady / 2:g} s (vue minimale)")
    steady_base = load.open_loop(base, rate=args.rate, duration=args.steady / 2)
    say(
        f"  pleine charge : {args.rounds} × ({args.max_seconds:g} s saisie + {args.max_seconds:g} s vue minimale), {args.clients} clients"
    )
    full, full_base = load.Result(), load.Result()
    cpu = CpuMeter(server, maintenance, db_name)
    for _ in range(args.rounds):  # alternated: a burst of other work on the machine hits both
        with cpu.measure("desk"):
            merge(full, load.closed_loop(desk, clients=args.clients, duration=args.max_seconds))
        with cpu.measure("baseline"):
            merge(
                full_base, load.closed_loop(base, clients=args.clients, duration=args.max_seconds)
            )
    rss = {pid: Server.rss_mb(pid) for pid in server.workers()}
    report(args, steady, steady_base, full, full_base, cpu, rss, network, setup_s)
    return 0


class CpuMeter:
    """CPU time spent by the gunicorn workers and by their PostgreSQL backends during a phase,
    read from /proc: a cost per request that other work on the machine barely changes (unlike
    throughput and latency, which depend on what else runs). Sampled every half second, as
    backends come and go (connections are recycled after DB_CONN_MAX_AGE)."""

    TICK = os.sysconf("SC_CLK_TCK")
    PERIOD = 0.5

    def __init__(self, server: Server, maintenance: str, db_name: str):
        self.server, self.maintenance, self.db_name = server, maintenance, db_name
        self.seconds: dict[tuple[str, str], float] = {}

    @classmethod
    def _cpu(cls, pid: int) -> float | None:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None
        return (int(fields[11]) + int(fields[12])) / cls.TICK  # utime + stime

    @contextlib.contextmanager
    def measure(self, name: str):
        import psycopg

        spans: dict[str, dict[int, list[float]]] = {"app": {}, "db": {}}
        query = "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()"
        with psycopg.connect(self.maintenance, autocommit=True) as conn:

            def sample(initial: bool) -> None:
                pids = {
                    "app": self.server.workers(),
                    "db": [pid for (pid,) in conn.execute(query, (self.db_name,)).fetchall()],
                }
                for kind, found in pids.items():
                    for pid in found:
                        cpu = self._cpu(pid)
                        if cpu is not None:
                            # A process born during the phase spent all its CPU in it.
                            span = spans[kind].setdefault(pid, [cpu if initial else 0.0, cpu])
                            span[1] = cpu

            stop = threading.Event()

            def poll() -> None:
                while not stop.wait(self.PERIOD):
                    sample(False)

            sample(True)
            poller = threading.Thread(target=poll, daemon=True)
            poller.start()
            client = sum(os.times()[:2])  # this process: the load client's own cost
            try:
                yield
            finally:
                stop.set()
                poller.join()
                sample(False)
                client = sum(os.times()[:2]) - client
        for kind, by_pid in spans.items():
            spent = sum(last - first for first, last in by_pid.values())
            self.seconds[name, kind] = self.seconds.get((name, kind), 0.0) + spent
        self.seconds[name, "client"] = self.seconds.get((name, "client"), 0.0) + client

    def per_request_ms(self, name: str, kind: str, requests: int) -> float:
        return 1000 * self.seconds.get((name, kind), 0.0) / requests if requests else float("nan")


def load_catalogue():
    from bench.desk.load import Catalogue
    from msap.desk.models import Procedure
    from msap.partners.models import ServiceCategory, ServiceItem

    items: dict[int, list[int]] = {}
    for pk, category in ServiceItem.objects.values_list("pk", "category_id"):
        items.setdefault(category, []).append(pk)
    procedures: dict[int, list[str]] = {}
    for partner, label in Procedure.objects.filter(active=True, partner__isnull=False).values_list(
        "partner_id", "label"
    ):
        procedures.setdefault(partner, []).append(label)
    return Catalogue(
        categories=dict(ServiceCategory.objects.values_list("code", "pk")),
        items=items,
        procedures=procedures,
    )


def login_agents(client, network, n: int, password: str) -> list:
    from bench.desk import load

    # One agent per house first (spread over the network), then more.
    seen, chosen = set(), []
    for agent in network.agents:
        if agent.house_id not in seen and len(chosen) < n:
            seen.add(agent.house_id)
            chosen.append(agent)

    def one(agent):
        return load.login(
            client,
            agent.email,
            password,
            agent.house_id,
            network.house_partners.get(agent.house_id, []),
            network.house_communes[agent.house_id],
        )

    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(one, chosen))


def merge(into, part) -> None:
    into.latencies_ms += part.latencies_ms
    into.ok += part.ok
    into.errors += part.errors
    into.elapsed_s += part.elapsed_s


def figure(name: str, value: float, unit: str) -> None:
    digits = {"ratio": 2, "count": 0}.get(unit, 1)
    print(f"{name}: {value:.{digits}f} {unit}", flush=True)


def report(args, steady, steady_base, full, full_base, cpu, rss, network, setup_s) -> None:
    rate = f"{args.rate:g}rps"
    print()
    figure("desk_record_throughput", full.throughput, "req/s")
    figure(f"desk_record_p50_at_{rate}", steady.percentile(50), "ms")
    figure(f"desk_record_p95_at_{rate}", steady.percentile(95), "ms")
    figure(f"desk_record_p99_at_{rate}", steady.percentile(99), "ms")
    figure("desk_record_p95_target", TARGETS["p95_ms"], "ms")
    figure(f"desk_record_achieved_rate_at_{rate}", steady.throughput, "req/s")
    figure("desk_record_errors", steady.errors + full.errors, "count")
    figure("desk_record_p95_at_max", full.percentile(95), "ms")
    figure("baseline_insert_throughput", full_base.throughput, "req/s")
    figure(f"baseline_insert_p50_at_{rate}", steady_base.percentile(50), "ms")
    figure(f"baseline_insert_p95_at_{rate}", steady_base.percentile(95), "ms")
    figure("baseline_insert_errors", steady_base.errors + full_base.errors, "count")
    ratio = full.throughput / full_base.throughput if full_base.throughput else float("nan")
    figure("desk_vs_baseline_throughput_ratio", ratio, "ratio")
    figure("desk_vs_baseline_throughput_ratio_target", TARGETS["ratio"], "ratio")
    for name, result in (("desk_record", full), ("baseline_insert", full_base)):
        app = cpu.per_request_ms(name.split("_")[0], "app", result.ok + result.errors)
        db = cpu.per_request_ms(name.split("_")[0], "db", result.ok + result.errors)
        figure(f"{name}_app_cpu_per_request", app, "ms")
        figure(f"{name}_db_cpu_per_request", db, "ms")
        client = cpu.per_request_ms(name.split("_")[0], "client", result.ok + result.errors)
        figure(f"{name}_client_cpu_per_request", client, "ms")
    desk_cpu = sum(cpu.per_request_ms("desk", k, full.ok + full.errors) for k in ("app", "db"))
    base_cpu = sum(
        cpu.per_request_ms("baseline", k, full_base.ok + full_base.errors) for k in ("app", "db")
    )
    # What the throughput ratio would be on a machine doing nothing else (CPU-bound server).
    figure("desk_vs_baseline_cpu_ratio", base_cpu / desk_cpu if desk_cpu else float("nan"), "ratio")
    figure("gunicorn_worker_rss_max", max(rss.values(), default=float("nan")), "MB")
    figure("gunicorn_worker_rss_mean", sum(rss.values()) / len(rss) if rss else float("nan"), "MB")
    figure("gunicorn_worker_rss_target", TARGETS["rss_mb"], "MB")
    figure("gunicorn_workers", len(rss), "count")
    figure("dataset_houses", len(network.houses), "count")
    figure("dataset_agents", len(network.agents), "count")
    figure("dataset_requests", network.requests, "count")
    figure("setup_time", setup_s, "s")
    misses = []
    if not steady.percentile(95) <= TARGETS["p95_ms"]:
        misses.append("p95 à 50/s")
    if not ratio >= TARGETS["ratio"]:
        misses.append("rapport au minimum")
    if not max(rss.values(), default=0) <= TARGETS["rss_mb"]:
        misses.append("mémoire par worker")
    print("targets_missed: " + (", ".join(misses) if misses else "aucun"))


if __name__ == "__main__":
    sys.exit(main())
