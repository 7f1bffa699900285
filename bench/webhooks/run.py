"""`make bench-webhooks`: 10,000 webhook events delivered by the task queue (issue 9 "Performance").

1. creates a throwaway PostgreSQL database (loopback only, its name must contain "bench";
   default msap_bench_webhooks), migrates it;
2. starts a local receiver (http.server, threads, in this process) that checks each signature
   the Standard Webhooks way and counts each `webhook-id` it accepts;
3. emits N events (default 10,000) for one partner's endpoint with `webhooks.services.emit`,
   the function the appointments and transmissions call: each stores its event, its delivery
   and its task (the workers are not running yet: a backlog, as after a worker's downtime);
4. starts real worker processes (`msap worker`, default 4), which drain the queue over
   PostgreSQL (SELECT … FOR UPDATE SKIP LOCKED), and times them until every delivery is done;
5. then a retry phase: a smaller batch whose first attempts the receiver answers 500 for a
   share of the ids, retried by the queue 30 s later (the backoff's first step);
6. prints the figures (throughput, lost, duplicated, bad signatures, worker RSS), stops the
   workers and drops the database, also on Ctrl-C or error.

It reports; it is not a test: nothing fails on a figure.
"""

import argparse
import base64
import hashlib
import hmac
import os
import secrets
import subprocess
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from bench.database import database_url_option, figure, migrate, throwaway_database
from bench.workers import cpu_seconds, rss_mb, start_workers

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/msap_bench_webhooks"


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    database_url_option(p, "MSAP_BENCH_WEBHOOKS_DATABASE_URL", DEFAULT_URL)
    p.add_argument("--events", type=int, default=10_000)
    p.add_argument("--workers", type=int, default=4, help="`msap worker` processes")
    p.add_argument("--retry-events", type=int, default=500, help="events of the retry phase")
    p.add_argument(
        "--fail-share", type=float, default=0.1, help="share of first attempts answered 500"
    )
    p.add_argument("--timeout", type=float, default=600.0, help="seconds before giving up")
    p.add_argument("--keep-db", action="store_true", help="keep the database (to look at it)")
    return p.parse_args(argv)


class Receiver:
    """A partner's server: verifies signatures, answers 500 to the first attempt of a share
    (`fail_share`) of the ids, and counts the ids it accepted (2xx) — twice is a duplicate."""

    def __init__(self):
        self.key = b""
        self.fail_share = 0.0
        self.seen: set[str] = set()
        self.accepted: Counter = Counter()
        self.failed_on_purpose = 0
        self.bad_signatures = 0
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                code = receiver.handle(self.headers, body)
                self.send_response(code)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/webhooks"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def handle(self, headers, body: bytes) -> int:
        msg_id, timestamp = headers["webhook-id"], headers["webhook-timestamp"]
        expected = base64.b64encode(
            hmac.new(self.key, f"{msg_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
        ).decode()
        signatures = [s.partition(",")[2] for s in headers["webhook-signature"].split()]
        with self.lock:
            if not any(hmac.compare_digest(s, expected) for s in signatures):
                self.bad_signatures += 1
                return 401
            first = msg_id not in self.seen
            self.seen.add(msg_id)
            # Which ids fail: a hash of the id, so the choice needs no coordination.
            if first and hashlib.sha256(msg_id.encode()).digest()[0] < 256 * self.fail_share:
                self.failed_on_purpose += 1
                return 500
            self.accepted[msg_id] += 1
            return 200


def main(argv=None) -> None:
    args = parse_args(argv)
    env = {
        "MSAP_WEBHOOK_ALLOW_LOOPBACK": "true",  # the receiver is on 127.0.0.1
        "MSAP_EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "MSAP_LOG_LEVEL": "WARNING",
    }
    workers: list[subprocess.Popen] = []
    with throwaway_database(
        args.database_url, "bench-webhooks", keep=args.keep_db, env=env, workers=workers
    ):
        run(args, workers)


def run(args, workers: list) -> None:
    migrate("setup_migrate_seconds")
    # The application's modules, once Django is set up.
    from msap.partners.models import Partner
    from msap.people.models import User
    from msap.webhooks import services
    from msap.webhooks.models import Delivery, DeliveryStatus

    receiver = Receiver()
    staff = User.objects.create_user(
        email="bench@msap.local", password=secrets.token_urlsafe(), is_staff=True
    )
    partner = Partner.objects.get(code="caf")
    endpoint = services.create_endpoint(
        staff, partner, receiver.url, ["transmission.sent", "appointment.confirmed"]
    )
    receiver.key = base64.b64decode(endpoint.secret.removeprefix("whsec_"))

    def emit(count: int) -> list[str]:
        ids = []
        for i in range(count):
            event = services.emit(
                "transmission.sent",
                partner,
                {"transmission": i, "house": "France Services de Tulle", "urgent": i % 7 == 0},
            )
            ids.append(event.id)
        return ids

    def drain(expected: int, deadline: float) -> float:
        """Seconds until `expected` deliveries are done (delivered or failed), polling."""
        t0 = time.perf_counter()
        done = 0
        while time.perf_counter() - t0 < deadline:
            done = Delivery.objects.exclude(status=DeliveryStatus.PENDING).count()
            if done >= expected:
                break
            time.sleep(0.25)
        return time.perf_counter() - t0

    # Phase 1: a backlog of N events, then the workers drain it.
    started = time.perf_counter()
    ids = emit(args.events)
    emitted = time.perf_counter() - started
    figure("webhook_events", len(ids), "events")
    figure("webhook_emit_rate", len(ids) / emitted, "events/s")
    workers.extend(start_workers(args.workers, queue="webhooks", interval=0.2))
    seconds = drain(len(ids), args.timeout)
    # CPU per delivery moves much less with the machine's load than the throughput does.
    cpu = sum(cpu_seconds(w.pid) for w in workers if w.poll() is None)
    figure("webhook_workers", args.workers, "processes")
    figure("webhook_delivery_seconds", seconds, "s")
    figure("webhook_throughput", sum(receiver.accepted.values()) / seconds, "events/s")
    figure("webhook_worker_cpu_per_delivery", cpu * 1000 / max(1, len(ids)), "ms")
    figure("load_average_1min", os.getloadavg()[0])
    figure("webhook_lost", sum(1 for i in ids if receiver.accepted[i] == 0), "events")
    figure("webhook_duplicated", sum(1 for i in ids if receiver.accepted[i] > 1), "events")
    figure("webhook_bad_signatures", receiver.bad_signatures, "requests")
    rss = [rss_mb(w.pid) for w in workers if w.poll() is None]
    figure("worker_rss_max", max(rss, default=0.0), "MB")
    figure("worker_rss_mean", sum(rss) / len(rss) if rss else 0.0, "MB")

    # Phase 2: retries. A share of first attempts get a 500; the queue retries them 30 s later.
    receiver.fail_share = args.fail_share
    started = time.perf_counter()
    batch_ids = emit(args.retry_events)
    drain(len(ids) + len(batch_ids), args.timeout)
    figure("retry_events", len(batch_ids), "events")
    figure("retry_first_attempts_failed", receiver.failed_on_purpose, "events")
    figure("retry_phase_seconds", time.perf_counter() - started, "s")
    figure("retry_lost", sum(1 for i in batch_ids if receiver.accepted[i] == 0), "events")
    figure("retry_duplicated", sum(1 for i in batch_ids if receiver.accepted[i] > 1), "events")
    statuses = Counter(Delivery.objects.values_list("status", flat=True))
    figure("deliveries_by_status", " ".join(f"{k}={v}" for k, v in sorted(statuses.items())))
    rss = [rss_mb(w.pid) for w in workers if w.poll() is None]
    figure("worker_rss_max_after_retries", max(rss, default=0.0), "MB")
