"""`make bench-public`: the public site under load (issue 10 "Performance").

1. creates a throwaway PostgreSQL database (loopback only, its name must contain "bench";
   default msap_bench_public), migrates it;
2. writes a generated national list of 2,800 sites (bench/sites.write_national_file) and times
   `msap import_sites` loading it: the import's duration;
3. starts the real server (gunicorn, sync workers, on 127.0.0.1 only) with the cache on (Redis
   on 127.0.0.1:6379, a database number and a key prefix of this run's own), then again with
   the cache off (Django's dummy cache);
4. against each server, at full speed with N clients: a static file served by the same server
   (whitenoise: the baseline), a house's public page (a random one of 400 houses of the list,
   each read once before), the commune search (a random one of 200 of their communes); prints
   req/s and p95 of each and the ratio to the static file;
5. stops the servers and drops the database, also on Ctrl-C or error.

Output: one "name: value unit" line per figure, with the targets. It reports; it is not a
test: a missed target does not fail the command. The load generator runs on the same machine.
"""

import argparse
import contextlib
import os
import random
import secrets
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from urllib.parse import quote

from bench.database import admin, check_url, database_url_option, run_cleanly, say
from bench.desk import load
from bench.desk.run import Server, free_port
from bench.registers.run import figure

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/msap_bench_public"
REDIS = "redis://127.0.0.1:6379/14"
TARGET_RPS = 300.0
TARGET_P95_MS = 50.0
STATIC = "/static/public/public.css"


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    database_url_option(p, "MSAP_BENCH_PUBLIC_DATABASE_URL", DEFAULT_URL)
    p.add_argument("--sites", type=int, default=2800)
    p.add_argument("--workers", type=int, default=3)
    p.add_argument("--clients", type=int, default=8, help="concurrent clients")
    p.add_argument("--seconds", type=float, default=15.0, help="seconds per measured phase")
    p.add_argument("--redis", default=REDIS)
    p.add_argument(
        "--pages", type=int, default=400, help="house pages read (half as many searches)"
    )
    p.add_argument("--keep-db", action="store_true", help="keep the database (to look at it)")
    return p.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    db_name, maintenance = check_url(args.database_url, "bench-public")
    return run_cleanly(
        "bench-public", lambda tmp, cleanup: run(args, db_name, maintenance, tmp, cleanup)
    )


def getter(client: load.Client, paths: list[str], seed: int):
    rng, lock = random.Random(seed), threading.Lock()

    def get() -> bool:
        with lock:
            path = rng.choice(paths)
        try:
            return client.request("GET", path).status == 200
        except OSError:
            return False

    return get


def read_once(client: load.Client, path: str) -> None:
    with contextlib.suppress(OSError):  # a slow cold page: the measure reads it again
        client.request("GET", path)


def run(args, db_name: str, maintenance: str, tmp: Path, cleanup: contextlib.ExitStack) -> int:
    env = {
        **os.environ,
        "MSAP_DATABASE_URL": args.database_url,
        "DJANGO_SETTINGS_MODULE": "bench.public.settings",
        "MSAP_DATA_DIR": str(tmp),
        "MSAP_SECRET_KEY": secrets.token_urlsafe(50),
        "MSAP_LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    for name in ("MSAP_TESTING", "MSAP_DEBUG", "DEBUG", "MSAP_CACHE_URL"):
        env.pop(name, None)
        os.environ.pop(name, None)
    os.environ.update(
        {k: env[k] for k in ("MSAP_DATABASE_URL", "DJANGO_SETTINGS_MODULE", "MSAP_DATA_DIR")}
    )
    os.environ["MSAP_SECRET_KEY"] = env["MSAP_SECRET_KEY"]
    sys.path.insert(0, str(ROOT))
    say(f"bench-public: base {db_name} (PostgreSQL, 127.0.0.1), {os.cpu_count()} cœurs")
    admin(maintenance, f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
    admin(maintenance, f'CREATE DATABASE "{db_name}"')
    if not args.keep_db:
        cleanup.callback(admin, maintenance, f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    cleanup.callback(connections.close_all)
    t = time.perf_counter()
    call_command("migrate", verbosity=0)
    say(f"  migrations ({time.perf_counter() - t:.0f} s)")
    call_command("collectstatic", verbosity=0, interactive=False)

    from bench.sites import write_national_file

    source = write_national_file(tmp / "liste-nationale.csv", sites=args.sites)
    t = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "msap", "import_sites", str(source), "--quiet"],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    import_s = time.perf_counter() - t

    from msap.public.queries import listed_houses

    houses = list(listed_houses().values_list("slug", "commune__name"))
    connections.close_all()
    say(f"  import_sites : {args.sites} sites en {import_s:.1f} s, {len(houses)} maisons publiées")
    rng = random.Random(10)
    # The pages read under load: a sample of the houses and of their communes' searches, each
    # read once before the measure (with the cache on, the measure reads it warm).
    sample = rng.sample(houses, min(args.pages, len(houses)))
    pages = [f"/maison/{slug}/" for slug, _name in sample]
    names = sorted({name for _slug, name in sample})
    searches = [f"/trouver/?q={quote(name)}" for name in names[: args.pages // 2]]

    figure("public_import_sites_seconds", import_s, "s")
    figure("public_houses_published", len(houses), "count")
    results = {}
    for cache in ("on", "off"):
        server_env = {**env, "BENCH_PUBLIC_CACHE": cache}
        if cache == "on":
            server_env["MSAP_CACHE_URL"] = args.redis
            server_env["MSAP_CACHE_PREFIX"] = f"bench-public-{secrets.token_hex(6)}"
        port = free_port()
        server = Server(args_for_server(args), server_env, port, tmp / f"gunicorn-{cache}.log")
        try:
            server.wait_ready()
            say(f"  gunicorn : {args.workers} workers sync, cache {cache}, 127.0.0.1:{port}")
            client = load.Client(port)
            phases = {
                "static": getter(client, [STATIC], 1),
                "house": getter(client, pages, 2),
                "search": getter(client, searches, 3),
            }
            # Warm-up: each worker loads its templates; every page is read once (cache filled).
            with ThreadPoolExecutor(max_workers=args.workers) as pool:
                list(pool.map(partial(read_once, client), [*pages, *searches]))
            load.closed_loop(phases["static"], clients=args.clients, duration=3)
            for name, get in phases.items():
                results[(cache, name)] = load.closed_loop(
                    get, clients=args.clients, duration=args.seconds
                )
        finally:
            server.stop()
    report(results)
    return 0


def args_for_server(args):
    return argparse.Namespace(workers=args.workers, worker_class="sync", threads=1)


def report(results) -> None:
    static = results[("on", "static")].throughput or float("nan")
    for (cache, name), result in results.items():
        prefix = f"public_{name}_cache_{cache}"
        figure(f"{prefix}_rps", result.throughput, "req/s")
        figure(f"{prefix}_p50", result.percentile(50), "ms")
        figure(f"{prefix}_p95", result.percentile(95), "ms")
        figure(f"{prefix}_errors", result.errors, "count")
        if name != "static":
            base = results[(cache, "static")].throughput or float("nan")
            figure(f"{prefix}_ratio_to_static", result.throughput / base, "ratio")
    figure("public_static_rps_baseline", static, "req/s")
    figure("target_public_rps", TARGET_RPS, "req/s")
    figure("target_public_p95", TARGET_P95_MS, "ms")
