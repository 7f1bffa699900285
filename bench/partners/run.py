"""`make bench-partners`: the free-slot search and the queue at national volume (issue 9
"Performance").

1. creates a throwaway PostgreSQL database (loopback only, its name must contain "bench";
   default msap_bench_partners), migrates it;
2. generates the network (bench/generate.py: ~2,800 houses, their partnerships and staff) and,
   for the CAF, the CPAM and France Travail in every house where they are partners, what they
   offer (appointment types of every location, one adviser per type, weekly slots over a year,
   the house's equipped office and two video equipment), a week of leave and a day's training
   for every adviser and two closures of every house over the year, then 100,000 appointments
   over the year around today (closed ones behind, requested or confirmed ahead), then ANALYZE;
3. times, many times over, the search the booking screens and `/api/v1/slots` make — the next
   10 free slots of the CAF across the houses of the département that has the most, from a
   day chosen at random in the coming six months (`appointments.queries.next_free_slots`, with
   the query that finds the types) — and, in the same run, a baseline: the plain indexed query
   of the same advisers' live appointments over the same week (appointment_adviser_start_idx),
   the least any search must read; prints p50/p95 and the queries per search, and checks that
   no slot returned is taken and that the booking's own check (services.check_slot: holidays,
   closures, hours, absences, the adviser's openings) accepts every one;
4. drops the database (unless --keep-db), then runs `bench/webhooks` (its own database) for the
   queue's figures: 10,000 events delivered by real `msap worker` processes, none lost, none
   twice, the throughput and the workers' memory (--skip-queue to leave it out).

Output: one "name: value unit" line per figure, and the target as a "target_…" line. It
reports; it is not a test: a missed target does not fail the command.
"""

import argparse
import os
import random
import secrets
import subprocess
import sys
import time
from datetime import datetime, timedelta
from datetime import time as clock
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bench.database import admin, check_url, say
from bench.registers.run import figure, percentiles, timed
from msap.lib.env import env_str

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/msap_bench_partners"
TARGET_SEARCH_P95_MS = 50.0
SLOTS_WANTED = 10
# What each partner offers in a house: (subject, location type, minutes); one adviser each.
OFFERS = {
    "caf": [
        ("Dossier de prestations familiales", "video", 30),
        ("Permanence logement", "permanence", 30),
        ("Point sur un dossier", "phone", 20),
    ],
    "cpam": [("Droits santé", "video", 30), ("Point sur un remboursement", "phone", 20)],
    "france-travail": [
        ("Inscription et suivi", "partner_office", 45),
        ("Point sur une indemnisation", "phone", 20),
    ],
}
# Within every generated house's hours (bench/generate.SCHEDULES), Monday to Friday.
OPENINGS = [(clock(9), clock(12)), (clock(14), clock(16, 30))]


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument(
        "--database-url", default=env_str("MSAP_BENCH_PARTNERS_DATABASE_URL", DEFAULT_URL)
    )
    p.add_argument("--houses", type=int, default=2800)
    p.add_argument("--agents", type=int, default=7000)
    p.add_argument("--requests", type=int, default=20_000, help="requests of the attendance tool")
    p.add_argument(
        "--request-days", type=int, default=30, help="days of requests (the search reads none)"
    )
    p.add_argument("--appointments", type=int, default=100_000)
    p.add_argument("--repeat", type=int, default=300, help="timed runs of each query")
    p.add_argument("--seed", type=int, default=9)
    p.add_argument("--queue-events", type=int, default=10_000, help="bench/webhooks' --events")
    p.add_argument("--skip-queue", action="store_true", help="leave bench/webhooks out")
    p.add_argument("--keep-db", action="store_true", help="keep the database (to look at it)")
    return p.parse_args(argv)


def main(argv=None) -> None:
    args = parse_args(argv)
    name, maintenance = check_url(args.database_url, "bench-partners")
    os.environ["MSAP_DATABASE_URL"] = args.database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "msap.settings"
    os.environ["MSAP_SECRET_KEY"] = secrets.token_urlsafe(50)
    os.environ["MSAP_LOG_LEVEL"] = "WARNING"
    say(f"bench-partners: base {name} sur 127.0.0.1 (créée puis supprimée)")
    admin(maintenance, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin(maintenance, f'CREATE DATABASE "{name}"')
    try:
        run(args)
    except KeyboardInterrupt:
        say("bench-partners: interrompu")
        return
    finally:
        from django.db import connections

        connections.close_all()
        if args.keep_db:
            say(f"bench-partners: base {name} conservée (--keep-db)")
        else:
            admin(maintenance, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            say(f"bench-partners: base {name} supprimée")
    if not args.skip_queue:
        queue(args)


def queue(args) -> None:
    """bench/webhooks' measurement, as it is, on a database of its own next to ours."""
    parts = urlsplit(args.database_url)
    url = urlunsplit(parts._replace(path=parts.path.rstrip("/") + "_queue"))
    say("bench-partners: la file de tâches (bench/webhooks)")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.webhooks",
            "--database-url",
            url,
            "--events",
            str(args.queue_events),
        ],
        cwd=ROOT,
        check=False,
    )


def build_offers(network, rng: random.Random, today) -> dict:
    """Types, advisers, weekly slots, offices and video equipment for the CAF, the CPAM and
    France Travail in their houses. Returns {type pk: (adviser pk, house pk, location, minutes,
    office pk, equipment pk)} for the appointments."""
    from msap.appointments.models import Adviser, AppointmentType, SlotRule
    from msap.network.models import Equipment, Premises
    from msap.partners.models import Partner, Partnership

    codes = dict(Partner.objects.filter(code__in=OFFERS).values_list("pk", "code"))
    partnerships = list(
        Partnership.objects.filter(partner_id__in=codes, house_id__in=network.houses)
    )
    # Each house's premises (one row per house) get the equipped office of permanences.
    existing = set(Premises.objects.values_list("house_id", flat=True))
    Premises.objects.bulk_create(
        [Premises(house_id=h) for h in network.houses if h not in existing]
    )
    Premises.objects.update(permanence_office=True)
    offices = dict(Premises.objects.values_list("house_id", "pk"))
    videos = Equipment.objects.bulk_create(
        [
            Equipment(house_id=h, kind="visio", label=f"Visioconférence {i}")
            for h in network.houses
            for i in (1, 2)
        ]
    )
    video_of = {}
    for equipment in videos:
        video_of.setdefault(equipment.house_id, []).append(equipment.pk)
    types, advisers = [], []
    for partnership in partnerships:
        for subject, location, minutes in OFFERS[codes[partnership.partner_id]]:
            types.append(
                AppointmentType(
                    partnership=partnership,
                    subject=subject,
                    location_type=location,
                    duration_minutes=minutes,
                    partner_address="1 rue de la République"
                    if location == "partner_office"
                    else "",
                )
            )
            advisers.append(
                Adviser(
                    partnership=partnership,
                    first_name=rng.choice(["Sophie", "Paul", "Nadia", "Karim", "Julie", "Marc"]),
                    last_name=f"Conseiller {len(advisers):05d}",
                )
            )
    AppointmentType.objects.bulk_create(types, batch_size=5000)
    Adviser.objects.bulk_create(advisers, batch_size=5000)
    starts_on = today - timedelta(days=190)
    build_absences_and_closures(advisers, network.houses, rng, starts_on)
    SlotRule.objects.bulk_create(
        [
            SlotRule(
                adviser=adviser,
                appointment_type=kind,
                weekday=day,
                start=start,
                end=end,
                starts_on=starts_on,
            )
            for kind, adviser in zip(types, advisers, strict=True)
            for day in range(5)
            for start, end in OPENINGS
        ],
        batch_size=5000,
    )
    out = {}
    for kind, adviser in zip(types, advisers, strict=True):
        house = kind.partnership.house_id
        # The CAF's and the CPAM's video appointments each use one of the two equipment: one
        # live appointment per adviser and start is then one per equipment too.
        equipment = None
        if kind.location_type == "video":
            equipment = video_of[house][0 if codes[kind.partnership.partner_id] == "caf" else 1]
        office = offices[house] if kind.location_type == "permanence" else None
        out[kind.pk] = (
            adviser.pk,
            house,
            kind.location_type,
            kind.duration_minutes,
            office,
            equipment,
        )
    return out


def build_absences_and_closures(advisers, houses, rng: random.Random, first_day) -> None:
    """Over the year from `first_day`: a week of leave (Monday to Friday) and a day's training
    for every adviser, and two closures of every house (a bridge day, a week's works), so that
    the search has years' worth of absences and closures to leave out."""
    from msap.appointments.models import SlotException
    from msap.network.models import Closure

    monday = first_day - timedelta(days=first_day.weekday())
    absences = []
    for adviser in advisers:
        leave = monday + timedelta(weeks=rng.randrange(52))
        reasons = {leave + timedelta(days=d): "Congé" for d in range(5)}
        reasons.setdefault(first_day + timedelta(days=rng.randrange(364)), "Formation")
        absences += [
            SlotException(adviser=adviser, day=day, reason=reason)
            for day, reason in reasons.items()
        ]
    SlotException.objects.bulk_create(absences, batch_size=5000)
    closures = []
    for house in houses:
        bridge = first_day + timedelta(days=rng.randrange(364))
        works = monday + timedelta(weeks=rng.randrange(52))
        closures += [
            Closure(house_id=house, start_date=bridge, end_date=bridge, reason="Pont"),
            Closure(
                house_id=house,
                start_date=works,
                end_date=works + timedelta(days=4),
                reason="Travaux",
            ),
        ]
    Closure.objects.bulk_create(closures, batch_size=5000)


def build_appointments(offers: dict, network, count: int, rng: random.Random, now) -> int:
    """`count` appointments on the offers' slots over the year around `now`, none overlapping
    for an adviser: closed ones behind (seen, no-show, excused, revoked), live ones ahead."""
    from msap.appointments.models import Appointment
    from msap.lib.dates import timezone_for
    from msap.network.models import House

    departement = dict(House.objects.values_list("pk", "commune__departement_id"))
    booker = {}
    for agent in network.agents:
        booker.setdefault(agent.house_id, agent.user_id)
    kinds = list(offers.items())
    first_day = now.date() - timedelta(days=182)
    taken, rows = set(), []
    while len(rows) < count:
        type_pk, (adviser, house, _location, minutes, office, equipment) = rng.choice(kinds)
        day = first_day + timedelta(days=rng.randrange(364))
        if day.weekday() > 4:
            continue
        opening_start, opening_end = rng.choice(OPENINGS)
        slots = (
            (opening_end.hour * 60 + opening_end.minute)
            - (opening_start.hour * 60 + opening_start.minute)
        ) // minutes
        start = datetime.combine(day, opening_start, tzinfo=timezone_for(departement[house]))
        start += timedelta(minutes=minutes * rng.randrange(slots))
        if (adviser, start) in taken:
            continue
        taken.add((adviser, start))
        if start < now:
            status = rng.choices(["seen", "no_show", "excused", "revoked"], [70, 10, 12, 8])[0]
        else:
            status = rng.choices(["requested", "confirmed", "excused", "revoked"], [45, 45, 6, 4])[
                0
            ]
        rows.append(
            Appointment(
                house_id=house,
                appointment_type_id=type_pk,
                adviser_id=adviser,
                start=start,
                end=start + timedelta(minutes=minutes),
                status=status,
                office_id=office,
                equipment_id=equipment,
                booked_by_id=booker[house],
                person_name=f"Personne {len(rows):06d}",
                revoked_reason="Conseiller indisponible" if status == "revoked" else "",
                status_changed_at=min(start, now),
            )
        )
    Appointment.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def run(args) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from bench.generate import generate
    from msap.appointments import queries, services
    from msap.appointments.models import LIVE, Appointment, SlotException
    from msap.core.errors import DomainError
    from msap.network.models import Closure, House
    from msap.partners.models import Partner

    rng = random.Random(args.seed)
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    figure("setup_migrate_seconds", time.perf_counter() - started, "s")
    started = time.perf_counter()
    network = generate(
        houses=args.houses,
        agents=args.agents,
        requests=args.requests,
        days=args.request_days,
        seed=args.seed,
        progress=say,
    )
    now = timezone.now()
    offers = build_offers(network, rng, timezone.localdate(now))
    made = build_appointments(offers, network, args.appointments, rng, now)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    figure("setup_data_seconds", time.perf_counter() - started, "s")
    figure("houses", len(network.houses), "houses")
    figure("appointment_types", len(offers), "types")
    figure("appointments", made, "appointments")
    figure("absences", SlotException.objects.count(), "days")
    figure("closures", Closure.objects.count(), "closures")

    caf = Partner.objects.get(code="caf")
    code, houses_in = (
        House.objects.filter(partnerships__partner=caf)
        .values_list("commune__departement_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "commune__departement_id")
        .first()
    )
    houses = House.objects.filter(commune__departement_id=code).values("pk")
    types = list(queries.searchable_types(houses, caf))
    advisers = sorted(
        {pk for t in types for pk in t.slot_rules.values_list("adviser_id", flat=True)}
    )
    figure("search_departement", code)
    figure("search_houses", houses_in, "houses")
    figure("search_types", len(types), "types")
    moments = [
        now + timedelta(days=rng.randrange(180), minutes=rng.randrange(1440))
        for _ in range(args.repeat)
    ]

    def search(i):
        return queries.next_free_slots(
            queries.searchable_types(houses, caf), now=moments[i], count=SLOTS_WANTED
        )

    def baseline(i):
        return list(
            Appointment.objects.filter(
                LIVE,
                adviser_id__in=advisers,
                start__gte=moments[i],
                start__lt=moments[i] + timedelta(days=7),
            ).values_list("adviser_id", "start", "end")
        )

    def cold(i):
        # What a search costs when the process keeps nothing of the houses' offer.
        queries.offer_cache.forget()
        return search(i)

    def warm(i):
        # The same search a minute later (another booking screen, the same days): the houses'
        # offer over those days is kept from the cold one.
        return queries.next_free_slots(
            queries.searchable_types(houses, caf),
            now=moments[i] + timedelta(minutes=1),
            count=SLOTS_WANTED,
        )

    search(0)  # warm-up: connections, caches of holidays and time zones
    queries.offer_cache.forget()
    with CaptureQueriesContext(connection) as captured:
        found = search(0)
    figure("slots_cold_queries", len(captured), "queries")
    with CaptureQueriesContext(connection) as captured:
        warm(0)
    figure("slots_warm_queries", len(captured), "queries")
    checked = [search(i) for i in range(0, args.repeat, max(1, args.repeat // 20))]
    conflicts = refused = 0
    for slots in checked:
        for kind, slot in slots:
            conflicts += Appointment.objects.filter(
                LIVE, adviser=slot.adviser, start__lt=slot.end, end__gt=slot.start
            ).exists()
            try:
                services.check_slot(kind, slot.adviser, slot.start, now)
            except DomainError:
                refused += 1
    figure("search_slots_found", len(found), "slots")
    figure("search_slots_checked", sum(len(slots) for slots in checked), "slots")
    figure("search_slots_taken", conflicts, "slots")
    figure("search_slots_refused", refused, "slots")
    # Alternated, so that the machine's other work weighs on all three alike: a cold search
    # (nothing kept), a warm one (the same search a minute later), the baseline.
    cold_ms, warm_ms, baseline_ms = [], [], []
    for i in range(args.repeat):
        cold_ms += timed(lambda _i, i=i: cold(i), 1)
        warm_ms += timed(lambda _i, i=i: warm(i), 1)
        baseline_ms += timed(lambda _i, i=i: baseline(i), 1)
    for name, values in (("", warm_ms), ("_cold", cold_ms)):
        p50, p95 = percentiles(values)
        figure(f"next_10_free_slots{name}_p50", p50, "ms")
        figure(f"next_10_free_slots{name}_p95", p95, "ms")
    figure("target_next_10_free_slots_p95", TARGET_SEARCH_P95_MS, "ms")
    p50, p95 = percentiles(baseline_ms)
    figure("baseline_indexed_week_p50", p50, "ms")
    figure("baseline_indexed_week_p95", p95, "ms")
    figure("runs", args.repeat, "runs")
    # The machine's load weighs on every round trip to the database: compare runs alike.
    figure("load_average_1min", os.getloadavg()[0])
