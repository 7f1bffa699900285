"""Build a network at national volumes for benchmarks: houses, staff, a year of requests.

    generate(houses=300, agents=1000, requests=1_000_000)

Houses sit in the most populated communes of every département (overseas included, so time
zones and holidays vary), open 30 to 37 h 30 a week, partner of the national operators; agents
share one password (BENCH_PASSWORD) hashed once. Requests come from the demo's model of a
house's activity (msap.desk.demo.activity_rows: seasons, operator shares, opening hours),
scaled to the requested total, and are loaded with COPY on PostgreSQL (bulk_create elsewhere).

Needs a migrated, otherwise empty database: it refuses to run where houses already exist.
Deterministic for a given seed and `today`.
"""

import random
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from datetime import time as clock

from django.contrib.auth.hashers import make_password
from django.db import DatabaseError, connection, transaction
from django.db.models import F
from django.utils import timezone

from msap.desk import demo
from msap.desk.models import ServiceRequest
from msap.network.models import House, HouseKind, HouseStatus, OpeningRange, Organisation
from msap.partners.models import Partner, PartnerKind, Partnership
from msap.people.models import Membership, Role, User
from msap.territory.models import Commune

BENCH_PASSWORD = "banc-d-essai-msap-2025"
EMAIL_DOMAIN = "bench.msap.example"
MOBILE_RATE = 0.05
# Weekly schedules (weekday, start, end): 37 h 30, 30 h, Tuesday to Saturday 32 h.
SCHEDULES = (
    [(d, s, e) for d in range(5) for s, e in (("08:30", "12:30"), ("13:30", "17:00"))],
    [(d, s, e) for d in range(5) for s, e in (("09:00", "12:00"), ("14:00", "17:00"))],
    [(d, s, e) for d in range(1, 5) for s, e in (("09:00", "12:30"), ("13:30", "17:00"))]
    + [(5, "09:00", "13:00")],
)
# Share of houses partner of each national operator (ANTS, DGFiP, Justice: every house).
PARTNER_RATES = {
    "ants": 1.0,
    "caf": 1.0,
    "cpam": 1.0,
    "dgfip": 1.0,
    "carsat": 0.95,
    "france-travail": 0.95,
    "justice": 1.0,
    "msa": 0.7,
    "la-poste": 0.6,
    "grdf": 0.5,
}
COPY_COLUMNS = (*demo.ROW_FIELDS, "notes", "idempotency_key", "created_at", "updated_at", "version")


@dataclass
class Agent:
    user_id: int
    email: str
    house_id: int


@dataclass
class Network:
    """What a bench needs to drive the generated network."""

    houses: list[int]
    agents: list[Agent]
    house_partners: dict[int, list[int]]  # house pk -> national partner pks
    house_communes: dict[int, str]  # house pk -> INSEE code of its commune
    requests: int
    timings: dict[str, float] = field(default_factory=dict)


def generate(
    *,
    houses: int = 300,
    agents: int = 1000,
    requests: int = 1_000_000,
    days: int = demo.DAYS,
    today: date | None = None,
    seed: int = 1,
    progress: Callable[[str], None] = print,
) -> Network:
    if agents < 2 * houses:
        raise ValueError("at least two staff per house (a responsable and an agent)")
    if House.objects.exists():
        raise RuntimeError("generate() fills an empty database: houses already exist")
    today = today or timezone.localdate()
    rng = random.Random(seed)
    timings: dict[str, float] = {}
    started = time.perf_counter()
    with transaction.atomic():
        house_list = _houses(houses, rng, today)
        partners = _partnerships(house_list, rng, today)
        staff = _staff(house_list, agents, rng, today)
    timings["network_s"] = time.perf_counter() - started
    progress(f"  {len(house_list)} maisons, {len(staff)} agents ({timings['network_s']:.1f} s)")

    started = time.perf_counter()
    loaded = _requests(house_list, requests, days, today, seed, progress)
    timings["requests_s"] = time.perf_counter() - started
    progress(f"  {loaded} demandes ({timings['requests_s']:.1f} s)")
    return Network(
        houses=[h.pk for h in house_list],
        agents=staff,
        house_partners=partners,
        house_communes={h.pk: h.commune_id for h in house_list},
        requests=loaded,
        timings=timings,
    )


def pick_communes(n: int) -> list[Commune]:
    """The most populated communes, round-robin over the départements: every département has
    a house before any has a fourth."""
    by_dept: dict[str, list[Commune]] = defaultdict(list)
    for commune in Commune.objects.exclude(population=None).order_by("-population", "code"):
        by_dept[commune.departement_id].append(commune)
    chosen, rank = [], 0
    while len(chosen) < n:
        row = [cs[rank] for _d, cs in sorted(by_dept.items()) if len(cs) > rank]
        if not row:
            raise ValueError(f"not enough communes for {n} houses")
        chosen += row[: n - len(chosen)]
        rank += 1
    return chosen


def bench_house(
    i: int, commune: Commune, organisation, *, slug: str, email_domain=EMAIL_DOMAIN, **fields
) -> House:
    """The `i`-th recognised house of a bench, in `commune` (not saved: for bulk_create)."""
    return House(
        name=f"France Services de {commune.name} ({commune.departement_id})",
        slug=slug,
        organisation=organisation,
        status=HouseStatus.RECOGNISED,
        address="1 place de la Mairie",
        postal_code=(commune.postal_codes.split() or ["00000"])[0],
        commune=commune,
        email=f"maison{i}@{email_domain}",
        **fields,
    )


def _houses(n: int, rng: random.Random, today: date) -> list[House]:
    communes = pick_communes(n)
    organisations = Organisation.objects.bulk_create(
        [
            Organisation(name=f"Groupement France Services {dept}", kind="gip", departement_id=dept)
            for dept in sorted({c.departement_id for c in communes})
        ]
    )
    org_of = {o.departement_id: o for o in organisations}
    houses = House.objects.bulk_create(
        [
            bench_house(
                i,
                c,
                org_of[c.departement_id],
                slug=f"banc-{i:04d}",
                # In this order: the draws of the generator's seed.
                kind=HouseKind.MOBILE if rng.random() < MOBILE_RATE else HouseKind.FIXED,
                recognised_on=today - timedelta(days=rng.randint(400, 3000)),
            )
            for i, c in enumerate(communes)
        ]
    )
    ranges = []
    for house in houses:
        for weekday, start, end in rng.choice(SCHEDULES):
            ranges.append(
                OpeningRange(
                    house=house,
                    weekday=weekday,
                    start=clock.fromisoformat(start),
                    end=clock.fromisoformat(end),
                )
            )
    OpeningRange.objects.bulk_create(ranges)
    # Served communes: the next most populated of the département not holding a house.
    taken = {c.code for c in communes}
    by_dept: dict[str, list[str]] = defaultdict(list)
    for code, dept in (
        Commune.objects.filter(departement_id__in=org_of)
        .exclude(code__in=taken)
        .order_by("-population", "code")
        .values_list("code", "departement_id")
    ):
        if len(by_dept[dept]) < 60:
            by_dept[dept].append(code)
    through = House.served_communes.through
    links = []
    for house in houses:
        pool = by_dept[house.commune.departement_id]
        for code in rng.sample(pool, k=min(len(pool), rng.randint(3, 8))):
            links.append(through(house_id=house.pk, commune_id=code))
    through.objects.bulk_create(links, ignore_conflicts=True)
    # The plans read house.commune.departement: keep the instances with their commune.
    return list(House.objects.filter(pk__in=[h.pk for h in houses]).select_related("commune"))


def _partnerships(houses: list[House], rng: random.Random, today: date) -> dict[int, list[int]]:
    national = dict(Partner.objects.filter(kind=PartnerKind.NATIONAL).values_list("code", "pk"))
    rows, of_house = [], defaultdict(list)
    for house in houses:
        for code, rate in PARTNER_RATES.items():
            if code in national and rng.random() < rate:
                rows.append(
                    Partnership(
                        house=house, partner_id=national[code], joined_on=house.recognised_on
                    )
                )
                of_house[house.pk].append(national[code])
    Partnership.objects.bulk_create(rows)
    # Offers: the usual items of each operator (demo.FALLBACK_OFFERS).
    items = {code: pk for code, (pk, _cat) in demo.Reference.load().items.items()}
    code_of = {pk: code for code, pk in national.items()}
    through = Partnership.services.through
    links = [
        through(partnership_id=p.pk, serviceitem_id=items[item])
        for p in Partnership.objects.filter(house__in=houses)
        for item in demo.FALLBACK_OFFERS[code_of[p.partner_id]].split()
        if item in items
    ]
    through.objects.bulk_create(links)
    return dict(of_house)


def _staff(houses: list[House], n: int, rng: random.Random, today: date) -> list[Agent]:
    """At least a responsable and an agent per house; the others spread at random (some houses
    end up with 5 or 6 people, as in real networks). One password hash for all (a PBKDF2
    round per person would cost minutes)."""
    password = make_password(BENCH_PASSWORD)
    users = User.objects.bulk_create(
        [
            User(
                email=f"agent{i:05d}@{EMAIL_DOMAIN}",
                first_name="Agent",
                last_name=f"{i:05d}",
                password=password,
            )
            for i in range(n)
        ]
    )
    assignment = [h for h in houses for _ in range(2)]
    assignment += [rng.choice(houses) for _ in range(n - len(assignment))]
    memberships, agents, seen = [], [], set()
    for user, house in zip(users, assignment, strict=True):
        role = Role.AGENT if house.pk in seen else Role.RESPONSABLE
        seen.add(house.pk)
        # Most joined years ago; some this year (their activity starts with them).
        days_ago = rng.randint(30, 364) if rng.random() < 0.15 else rng.randint(365, 3000)
        memberships.append(
            Membership(
                user=user, role=role, house=house, started_on=today - timedelta(days=days_ago)
            )
        )
        agents.append(Agent(user.pk, user.email, house.pk))
    Membership.objects.bulk_create(memberships)
    return agents


def _requests(houses: list[House], target: int, days: int, today: date, seed: int, progress) -> int:
    ref = demo.Reference.load()
    first_day = today - timedelta(days=days - 1)
    plans = [demo.HousePlan.for_house(h, ref) for h in houses]
    expected = sum(p.expected(first_day, today) for p in plans)
    scale = target / expected if expected else 0.0
    cutoff = timezone.now()

    def rows():
        for index, (house, plan) in enumerate(zip(houses, plans, strict=True), 1):
            rng = random.Random(f"{seed}/{house.slug}")
            for row in demo.activity_rows(
                plan, first_day=first_day, last_day=today, rng=rng, cutoff=cutoff, scale=scale
            ):
                # Recorded when it happened: created_at = updated_at = occurred_at.
                yield (*row, "", "", row[2], row[2], 1)
            if index % 50 == 0:
                progress(f"  … {index}/{len(houses)} maisons")

    if connection.vendor == "postgresql":
        return _copy(rows())
    make = demo._model_maker(cutoff)
    count, batch = 0, []
    with transaction.atomic():
        for row in rows():
            batch.append(make(row[: len(demo.ROW_FIELDS)]))
            if len(batch) >= 5000:
                count += demo._write(batch)
        count += demo._write(batch)
        ServiceRequest.objects.filter(house__in=houses).update(
            created_at=F("occurred_at"), updated_at=F("occurred_at")
        )
    return count


def _copy(rows) -> int:
    """COPY into the requests table: about ten times faster than INSERTs at a million rows.
    Every id comes from the database, so the session skips the per-row foreign-key triggers
    when it may (session_replication_role needs a superuser; otherwise they run, slower)."""
    table = ServiceRequest._meta.db_table
    columns = ", ".join(COPY_COLUMNS)  # attnames: the columns of these fields
    count = 0
    with transaction.atomic(), connection.cursor() as cursor:
        try:
            with transaction.atomic():
                cursor.execute("SET LOCAL session_replication_role = replica")
        except DatabaseError:
            pass
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {table}")
    return count
