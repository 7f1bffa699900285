"""Where the quick entry's POST spends its time: cProfile over N recordings, in process.

    .venv/bin/python -m bench.desk.profile [--requests 300] [--database-url …]

Same throwaway database as the bench (a smaller network: the POST does not scan history),
Django's test client through the full middleware stack, an agent logged in with force_login.
Prints the SQL queries of one recording, then the functions costing most CPU (cumulative and
own time; waits on the database do not count), for the quick entry and for the baseline view.
Drops its database at the end.
"""

import argparse
import contextlib
import cProfile
import io
import os
import pstats
import random
import secrets
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

from bench.database import admin, check_url, database_url_option
from bench.desk.run import ROOT

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/msap_bench_profile"


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    database_url_option(
        p, "MSAP_BENCH_PROFILE_DATABASE_URL", DEFAULT_URL, old="BENCH_PROFILE_DATABASE_URL"
    )
    p.add_argument("--requests", type=int, default=300)
    p.add_argument("--top", type=int, default=30)
    args = p.parse_args(argv)
    db_name, maintenance = check_url(args.database_url, "bench.desk.profile")
    with (
        tempfile.TemporaryDirectory(prefix="msap-profile-") as tmp,
        contextlib.ExitStack() as cleanup,
    ):
        os.environ.update(
            MSAP_DATABASE_URL=args.database_url,
            DJANGO_SETTINGS_MODULE="bench.desk.settings",
            MSAP_DATA_DIR=tmp,
            # Real settings refuse the demo key; this run's sessions die with it.
            MSAP_SECRET_KEY=secrets.token_urlsafe(50),
        )
        os.environ.pop("MSAP_TESTING", None)
        sys.path.insert(0, str(ROOT))
        admin(maintenance, f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
        admin(maintenance, f'CREATE DATABASE "{db_name}"')
        cleanup.callback(admin, maintenance, f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connections

        cleanup.callback(connections.close_all)
        call_command("migrate", verbosity=0)
        from bench.desk.run import load_catalogue
        from bench.generate import generate

        network = generate(houses=20, agents=60, requests=50_000, progress=lambda s: None)
        run(args, network, load_catalogue(), Path(tmp))
    return 0


def run(args, network, catalogue, tmp: Path) -> None:
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.desk.load import Session, entry_form
    from msap.people.models import User

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    agent = network.agents[1]
    client = Client(enforce_csrf_checks=False)
    client.force_login(User.objects.get(pk=agent.user_id))
    session = Session(
        agent.email,
        agent.house_id,
        {},
        "",
        network.house_partners[agent.house_id],
        network.house_communes[agent.house_id],
    )
    rng = random.Random(1)

    def body():
        form = entry_form(session, catalogue, rng)
        form["key"] = uuid.uuid4().hex
        return urlencode(form)

    def post(path):
        r = client.post(path, body(), content_type="application/x-www-form-urlencoded")
        assert r.status_code == 302 and "enregistree=" in r["Location"], r.status_code

    for path in ("/saisie/", "/banc/insertion/"):
        for _ in range(20):  # warm up: imports, templates, connection
            post(path)
        with CaptureQueriesContext(connection) as queries:
            post(path)
        print(f"\n=== {path}: {len(queries)} SQL queries for one recording")
        for q in queries:
            print(f"  {q['time']}s  {q['sql'][:160]}")
        # CPU time, not wall time: waits on the database are not the worker's cost. First without
        # the profiler (its overhead inflates deep call chains), then under it.
        started = time.process_time()
        for _ in range(args.requests):
            post(path)
        plain = time.process_time() - started
        print(
            f"=== {path}: {1000 * plain / args.requests:.2f} ms of CPU per recording "
            "(client and server in this process, no profiler)"
        )
        profiler = cProfile.Profile(time.process_time)
        profiler.enable()
        for _ in range(args.requests):
            post(path)
        profiler.disable()
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        total = stats.total_tt
        print(
            f"=== {path}: {args.requests} recordings in {total:.2f} s of CPU "
            f"({1000 * total / args.requests:.1f} ms each, profiler overhead included)"
        )
        stats.sort_stats("cumulative").print_stats(args.top)
        stats.sort_stats("tottime").print_stats(args.top)
        # The application's own functions: where the view's time goes, queries included.
        stats.sort_stats("cumulative").print_stats(
            r"msap/|forms/(forms|fields|models)\.py|shortcuts", args.top
        )
        print(out.getvalue())


if __name__ == "__main__":
    sys.exit(main())
