"""`make bench-registers`: the registers at national volume (issue 4 "Performance").

1. creates a throwaway PostgreSQL database (loopback only, its name must contain "bench";
   default msap_bench_registers), migrates it;
2. generates ~2,800 houses, ~7,000 staff (one responsable per house) and 1 million register
   items over a year (bench/registers/generate.py, COPY), then VACUUM ANALYZE;
3. times, many times over, the two queries the issue names — the overdue list of one house (the
   registers home's and the API's `overdue=true` query: open items of the house with
   due_at < now, by due_at, LIMIT 50) and the network-wide overdue count — and prints their
   p50/p95 and their `EXPLAIN (ANALYZE, BUFFERS)` summary (which index, time, buffers);
4. runs `msap remind` over the whole network while real `msap worker` processes (default 2,
   started and connected first, as production's are already running) send what it queues, in
   tasks of about 200 digests; the mails are written to files (no mail leaves; each message
   built to bytes as for SMTP) and read back; timed from the command's start to the end of the
   last task (the task rows' `finished_at`); then once more (idempotent: nothing to send the
   same day); then, on a fresh day's slate, with one worker (the baseline of the parallel ones)
   and with the dummy backend (the job's and the queue's own share, without building the mails);
5. drops the database, also on Ctrl-C or error (unless --keep-db).

Output: one "name: value unit" line per figure, and the targets as "target_…" lines. It reports;
it is not a test: a missed target does not fail the command.
"""

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.database import database_url_option, figure, migrate, say, throwaway_database
from bench.workers import backends_cpu, cpu_seconds, start_workers, stop, wait_connected

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/msap_bench_registers"
TARGET_QUERY_P95_MS = 50.0
TARGET_REMIND_S = 10.0
LIST_LIMIT = 50
PLAN_NODE = re.compile(
    r"(Index Only Scan|Index Scan|Bitmap Index Scan|Bitmap Heap Scan|Seq Scan)"
    r"(?: Backward)?(?: using| on) (\S+)"
)


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    database_url_option(
        p, "MSAP_BENCH_REGISTERS_DATABASE_URL", DEFAULT_URL, old="BENCH_REGISTERS_DATABASE_URL"
    )
    p.add_argument("--houses", type=int, default=2800)
    p.add_argument("--staff", type=int, default=7000, help="people working in the houses")
    p.add_argument("--items", type=int, default=1_000_000)
    p.add_argument("--repeat", type=int, default=1000, help="timed runs of each query")
    p.add_argument("--seed", type=int, default=4)
    p.add_argument(
        "--workers", type=int, default=2, help="`msap worker` processes sending the digests"
    )
    p.add_argument(
        "--worker-interval",
        type=float,
        default=1.0,
        help="seconds an idle worker waits before polling again (msap worker's default)",
    )
    p.add_argument("--timeout", type=float, default=600.0, help="seconds before giving up")
    p.add_argument("--keep-db", action="store_true", help="keep the database (to look at it)")
    return p.parse_args(argv)


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    q = statistics.quantiles(ordered, n=100, method="inclusive")
    return statistics.median(ordered), q[94]


def plan_summary(name: str, text: str) -> None:
    """`name_plan: <scan> using <index>` per scan node, then execution time and buffers."""
    scans = []
    for kind, target in PLAN_NODE.findall(text):
        node = f"{kind} {'on' if kind in ('Seq Scan', 'Bitmap Heap Scan') else 'using'} {target}"
        if node not in scans:
            scans.append(node)
    for node in scans:
        say(f"{name}_plan: {node}")
    executed = re.search(r"Execution Time: ([\d.]+) ms", text)
    if executed:
        figure(f"{name}_plan_execution", float(executed.group(1)), "ms")
    buffers = re.search(r"Buffers: (.+)", text)
    if buffers:
        say(f"{name}_plan_buffers: {buffers.group(1).strip()}")


def timed(run, repeat: int) -> list[float]:
    samples = []
    for i in range(repeat):
        started = time.perf_counter()
        run(i)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def main(argv=None) -> None:
    args = parse_args(argv)
    os.environ.setdefault("MSAP_DB_CONN_MAX_AGE", "0")
    workers: list = []
    with throwaway_database(
        args.database_url, "bench-registers", keep=args.keep_db, workers=workers
    ):
        run(args, workers)


def run(args, workers: list) -> None:
    load = os.getloadavg()
    say(f"machine: {os.cpu_count()} cœurs, charge {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    migrate("migrate_seconds")
    # The application's modules, once Django is set up.
    from django.db import connection
    from django.db.models import Count, Q
    from django.utils import timezone

    from bench.registers import generate
    from msap.lib.mail import read_messages
    from msap.registers import reminders
    from msap.registers.models import OPEN_STATES, RegisterItem, ReminderSent

    now = timezone.now()
    network = generate.make_network(
        houses=args.houses, staff=args.staff, seed=args.seed, today=timezone.localdate()
    )
    figure("houses", len(network.houses))
    figure("staff", sum(len(s) for s in network.staff.values()), "people")
    figure("network_seconds", network.timings["network_s"], "s")
    started = time.perf_counter()
    loaded = generate.load_items(network, total=args.items, now=now, seed=args.seed, progress=say)
    figure("items", loaded, "rows")
    figure("load_seconds", time.perf_counter() - started, "s")
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {RegisterItem._meta.db_table}")
    figure("vacuum_analyze_seconds", time.perf_counter() - started, "s")

    now = timezone.now()
    late = Q(status__in=OPEN_STATES, due_at__lt=now)
    figure("open_overdue", RegisterItem.objects.filter(late).count(), "items")
    figure(
        "open_not_overdue",
        RegisterItem.objects.filter(status__in=OPEN_STATES).exclude(late).count(),
        "items",
    )

    # 1. The overdue list of one house, as the API (`overdue=true`) and the registers home ask it.
    houses = [pk for pk, _dept in network.houses]

    def house_list(house_id):
        return (
            RegisterItem.objects.filter(late, house_id=house_id)
            .select_related("partner")
            .order_by("due_at", "pk")[:LIST_LIMIT]
        )

    list(house_list(houses[0]))  # warm the connection
    samples = timed(lambda i: list(house_list(houses[(i * 7919) % len(houses)])), args.repeat)
    p50, p95 = percentiles(samples)
    figure("overdue_house_runs", len(samples))
    figure("overdue_house_p50", p50, "ms")
    figure("overdue_house_p95", p95, "ms")
    figure("target_overdue_house_p95", TARGET_QUERY_P95_MS, "ms")
    busiest = (
        RegisterItem.objects.filter(late)
        .values_list("house_id", flat=True)
        .order_by()
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    plan_summary("overdue_house", explain(connection, lambda: list(house_list(busiest))))

    # 2. The network-wide overdue count (the national cell's figure).
    def overdue_count():
        return RegisterItem.objects.filter(late).count()

    samples = timed(lambda i: overdue_count(), max(50, args.repeat // 5))
    p50, p95 = percentiles(samples)
    figure("overdue_count_runs", len(samples))
    figure("overdue_count_p50", p50, "ms")
    figure("overdue_count_p95", p95, "ms")
    figure("target_overdue_count_p95", TARGET_QUERY_P95_MS, "ms")
    plan_summary("overdue_count", explain(connection, overdue_count))

    # 3. `msap remind` over the whole network, then again the same day, with real `msap worker`
    # processes sending what it queues. The mails are written to files (msap.lib.mail), built to
    # bytes as an SMTP backend builds them, and read back.
    pairs = len(reminders.pending_pairs(timezone.now()))
    figure("remind_pending_pairs", pairs, "(recipient, item)")
    figure("remind_worker_poll_interval", args.worker_interval, "s")
    with tempfile.TemporaryDirectory(prefix="msap-bench-mails-") as spool:
        phase = remind_phase(args, args.workers, mail_files(spool), workers, command=True)
        figure("remind_queue_seconds", phase["queued_seconds"], "s")
        figure("remind_network_seconds", phase["seconds"], "s")
        figure("target_remind_network_seconds", TARGET_REMIND_S, "s")
        messages = read_messages(spool)
        figure("remind_digests", len(messages), "mails")
        figure("remind_tasks", phase["tasks"], "tasks")
        figure("remind_tasks_failed", phase["failed"], "tasks")
        figure("remind_workers", len(workers), "processes")
        figure("remind_workers_that_ran_tasks", phase["workers_used"], "processes")
        figure("remind_worker_cpu_seconds", phase["cpu"], "s")
        figure("remind_command_cpu_seconds", phase["command_cpu"], "s")
        figure("remind_database_cpu_seconds", phase["database_cpu"], "s")
        figure("remind_items_listed", ReminderSent.objects.exclude(sent_at=None).count(), "rows")
        figure("remind_mail_bytes", sum(p.stat().st_size for p in Path(spool).iterdir()), "B")
        if messages:
            say("remind_sample_subject: " + messages[0]["Subject"])
        # The same day again, the workers still running: nothing to queue, nothing sent.
        started = time.perf_counter()
        again = reminders.handle_one()
        drain(timezone.now(), args.timeout)
        figure("remind_second_run_seconds", time.perf_counter() - started, "s")
        figure("remind_second_run_digests", again, "mails")
        stop(workers)
    # On a fresh day's slate: one worker (the baseline of the parallel ones).
    if args.workers > 1:
        ReminderSent.objects.all().delete()
        with tempfile.TemporaryDirectory(prefix="msap-bench-mails-") as spool:
            single = remind_phase(args, 1, mail_files(spool), workers)
            stop(workers)
        figure("remind_network_seconds_one_worker", single["seconds"], "s")
        figure("remind_speedup_vs_one_worker", single["seconds"] / phase["seconds"])
    # And with the dummy backend (no message built): the job's and the queue's share of the time.
    ReminderSent.objects.all().delete()
    dummy = {"MSAP_EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend"}
    bare = remind_phase(args, args.workers, dummy, workers)
    stop(workers)
    figure("remind_network_seconds_without_building_mails", bare["seconds"], "s")
    figure("remind_worker_cpu_seconds_without_building_mails", bare["cpu"], "s")
    sys.stdout.flush()


def mail_files(spool: str) -> dict:
    """The workers' mail settings: each message written to a file of `spool` (msap.lib.mail)."""
    return {"MSAP_EMAIL_BACKEND": "msap.lib.mail.EmailBackend", "MSAP_EMAIL_FILE_PATH": spool}


def remind_phase(args, count: int, mail_env: dict, workers: list, *, command=False) -> dict:
    """Start `count` real `msap worker` processes (waited for until each polls: production's
    are already running), then time `msap remind` from its start to the end of the last task it
    queued, as the task rows record it."""
    from django.core.management import call_command
    from django.utils import timezone

    from msap.registers import reminders

    workers.extend(start_workers(count, queue="mail", interval=args.worker_interval, env=mail_env))
    wait_connected(workers)
    cpu = sum(cpu_seconds(w.pid) for w in workers)
    database = backends_cpu()
    command_cpu = time.process_time()
    began = timezone.now()
    started = time.perf_counter()
    if command:
        call_command("remind")
    else:
        reminders.handle_one()
    queued = time.perf_counter() - started
    command_cpu = time.process_time() - command_cpu
    tasks = drain(began, args.timeout)
    database = sum(s - database.get(pid, 0.0) for pid, s in backends_cpu().items())
    ends = [t.finished_at for t in tasks if t.finished_at]
    return {
        "queued_seconds": queued,
        "seconds": (max(ends) - began).total_seconds() if ends else queued,
        "tasks": len(tasks),
        "failed": sum(t.status == "FAILED" for t in tasks),
        "workers_used": len({w for t in tasks for w in t.worker_ids}),
        "cpu": sum(cpu_seconds(w.pid) for w in workers) - cpu,
        "command_cpu": command_cpu,
        "database_cpu": database,
    }


def drain(since, timeout: float) -> list:
    """The mail tasks queued since `since`, once none is waiting or running."""
    from django_tasks_db.models import DBTaskResult

    mail_tasks = DBTaskResult.objects.filter(queue_name="mail", enqueued_at__gte=since)
    deadline = time.perf_counter() + timeout
    while mail_tasks.filter(status__in=["READY", "RUNNING"]).exists():
        if time.perf_counter() > deadline:
            raise SystemExit(f"bench-registers: tasks still waiting after {timeout:.0f} s")
        time.sleep(0.05)
    return list(mail_tasks)


def explain(connection, run) -> str:
    """EXPLAIN (ANALYZE, BUFFERS) of the statement `run` sends, exactly as the ORM sent it."""
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        run()
    sql = queries.captured_queries[-1]["sql"]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())
