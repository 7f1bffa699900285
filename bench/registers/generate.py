"""A national network's registers for the bench: ~2,800 houses, their staff, 1 million items.

    network = make_network(houses=2800, staff=7000)
    load_items(network, items=1_000_000)

Houses sit in the most populated communes, round-robin over every département (overseas
included: their time zones and holidays feed the deadlines). Each house has one responsable
(the manager who receives the house's digest) and one to three agents, about 7,000 people as in
the real network. Items are spread over the past year, kinds and delays as in msap's demo:
most answered (about 92 % of them on time), about 1.5 % open and overdue, about 3 % open and
not yet due. Deadlines come from `rules.due_date` (the one deadline function), cached per rule,
day and département. Items are loaded with COPY (psycopg 3), every id drawn by the database.

Needs a migrated, otherwise empty PostgreSQL database. Deterministic for a given seed and now.
"""

import random
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from functools import lru_cache

from django.db import DatabaseError, connection, transaction

from bench.generate import bench_house, pick_communes
from msap.lib.dates import timezone_for
from msap.network.models import House, Organisation
from msap.people.models import Membership, Role, User
from msap.registers import rules
from msap.registers.models import RegisterItem

EMAIL_DOMAIN = "bench-registres.msap.example"
# Share of each register among the items (emails and calls dominate, as in the demo).
KINDS = [
    ("email", 0.40),
    ("phone", 0.25),
    ("mail_in", 0.18),
    ("mail_out", 0.12),
    ("complaint", 0.03),
    ("suggestion", 0.02),
]
OPEN_OVERDUE = 0.015
OPEN_NOT_DUE = 0.03
ON_TIME = 0.92
DEADLINE_RULES = {
    "email": rules.EMAIL_ONE_WEEK,
    "mail_in": rules.MAIL_ONE_MONTH,
    "complaint": rules.COMPLAINT_ONE_MONTH,
    "phone": rules.CALLBACK_ONE_WEEK,  # the voicemails; calls taken at once owe nothing
}
CHANNELS = {
    "email": "email",
    "phone": "phone",
    "mail_in": "post",
    "mail_out": "post",
    "complaint": "post",
    "suggestion": "register",
}
SUBJECTS = {
    "email": "Question sur un dossier en ligne",
    "phone": "Message : rappel demandé",
    "mail_in": "Demande d'attestation",
    "mail_out": "Réponse à votre courrier",
    "complaint": "Réclamation sur un délai d'attente",
    "suggestion": "Suggestion sur les horaires",
}
COLUMNS = [f.attname for f in RegisterItem._meta.concrete_fields if not f.primary_key]


@dataclass
class Network:
    houses: list[tuple[int, str]]  # (pk, département code)
    staff: dict[int, list[int]]  # house pk -> user pks, the responsable first
    timings: dict[str, float] = field(default_factory=dict)


def make_network(*, houses: int, staff: int, seed: int, today: date) -> Network:
    """Houses, one responsable each, agents spread 1 to 3 a house (`staff` people in all)."""
    if House.objects.exists():
        raise RuntimeError("the bench fills an empty database: houses already exist")
    if staff < 2 * houses:
        raise ValueError("at least a responsable and an agent per house")
    rng = random.Random(seed)
    started = time.perf_counter()
    communes = pick_communes(houses)
    with transaction.atomic():
        orgs = {
            o.departement_id: o
            for o in Organisation.objects.bulk_create(
                [
                    Organisation(name=f"GIP France Services {d}", kind="gip", departement_id=d)
                    for d in sorted({c.departement_id for c in communes})
                ]
            )
        }
        made = House.objects.bulk_create(
            [
                bench_house(
                    i,
                    c,
                    orgs[c.departement_id],
                    slug=f"banc-registres-{i:04d}",
                    email_domain=EMAIL_DOMAIN,
                    recognised_on=today - timedelta(days=rng.randint(400, 3000)),
                )
                for i, c in enumerate(communes)
            ],
            batch_size=1000,
        )
        users = User.objects.bulk_create(
            [
                User(
                    email=f"agent{i:05d}@{EMAIL_DOMAIN}",
                    first_name="Agent",
                    last_name=f"{i:05d}",
                    password="!",  # unusable: nobody logs in
                )
                for i in range(staff)
            ],
            batch_size=2000,
        )
        assignment = [h for h in made for _ in range(2)]
        assignment += [rng.choice(made) for _ in range(staff - len(assignment))]
        members, seen = [], set()
        by_house: dict[int, list[int]] = defaultdict(list)
        for user, house in zip(users, assignment, strict=True):
            role = Role.AGENT if house.pk in seen else Role.RESPONSABLE
            seen.add(house.pk)
            members.append(
                Membership(user=user, role=role, house=house, started_on=date(2020, 1, 6))
            )
            by_house[house.pk].append(user.pk)
        Membership.objects.bulk_create(members, batch_size=2000)
    network = Network(houses=[(h.pk, h.commune.departement_id) for h in made], staff=dict(by_house))
    network.timings["network_s"] = time.perf_counter() - started
    return network


@lru_cache(maxsize=200_000)
def _due(rule_code: str, received_day: date, dept: str) -> datetime:
    """rules.due_date depends on the local day of receipt only: one call per (rule, day, dept)."""
    received = datetime.combine(received_day, clock(12), tzinfo=timezone_for(dept))
    return rules.due_date(rules.RULES[rule_code], received, dept)


def _item_rows(network: Network, total: int, now: datetime, seed: int):
    """Yield (house index, row dict) for `total` items; houses get uneven shares (0.3 to 2x)."""
    rng = random.Random(seed)
    weights = [rng.uniform(0.3, 2.0) for _ in network.houses]
    scale = total / sum(weights)
    counts = [int(w * scale) for w in weights]
    for i in range(total - sum(counts)):
        counts[i % len(counts)] += 1
    kinds, kind_weights = zip(*KINDS, strict=True)
    for (house_id, dept), count in zip(network.houses, counts, strict=True):
        staff = network.staff[house_id]
        tz = timezone_for(dept)
        rows = []
        for _ in range(count):
            draw = rng.random()
            state = (
                "overdue"
                if draw < OPEN_OVERDUE
                else "open"
                if draw < OPEN_OVERDUE + OPEN_NOT_DUE
                else "done"
            )
            kind = rng.choices(kinds, kind_weights)[0]
            if state != "done" and kind not in DEADLINE_RULES:
                kind = "email"
            rule = DEADLINE_RULES.get(kind)
            outcome = ""
            if kind == "phone":
                outcome = "voicemail" if state != "done" or rng.random() < 0.5 else "answered"
                if outcome == "answered":
                    rule = None
            window = 31 if rule and rule.months else 7
            if state == "overdue":  # late by a few days, sometimes weeks (exponential tail)
                age = window + 3 + min(rng.expovariate(1 / 12), 120)
            elif state == "open":
                age = rng.uniform(0, window - 3)
            else:
                age = rng.uniform(1, 365)
            received = now - timedelta(days=age, minutes=rng.randint(0, 600))
            due = _due(rule.code, received.astimezone(tz).date(), dept) if rule else None
            row = {
                "kind": kind,
                "received_at": received,
                "due_rule": rule.code if rule else "",
                "due_at": due,
                "phone_outcome": outcome,
                "assigned_to_id": rng.choice(staff) if rng.random() < 0.7 else None,
                "status": "new",
                "answered_at": None,
                "on_time": None,
                "answered_by_id": None,
            }
            if state != "done":
                if row["assigned_to_id"]:
                    row["status"] = "in_progress"
            elif kind in ("mail_out", "suggestion") or outcome == "answered":
                row["status"] = "closed"
            else:
                if due is None:
                    answered = received + timedelta(days=rng.uniform(0.1, 15))
                elif rng.random() < ON_TIME:
                    answered = received + (due - received) * rng.betavariate(1.4, 3.2)
                else:
                    answered = due + timedelta(days=rng.uniform(0.5, 15))
                answered = min(answered, now - timedelta(minutes=5))
                row.update(
                    status=rng.choice(("answered", "answered", "answered", "redirected", "closed")),
                    answered_at=answered,
                    on_time=None if due is None else answered <= due,
                    answered_by_id=row["assigned_to_id"] or staff[0],
                )
            rows.append(row)
        rows.sort(key=lambda r: r["received_at"])
        numbers: dict[str, int] = defaultdict(int)
        for row in rows:
            numbers[row["kind"]] += 1
            yield house_id, staff[0], numbers[row["kind"]], row


def load_items(network: Network, *, total: int, now: datetime, seed: int, progress=print) -> int:
    """COPY the items into registers_registeritem; returns how many."""
    fixed = {
        "channel": None,
        "sender_name": "Expéditeur fictif",
        "sender_address": "",
        "sender_email": "",
        "sender_phone": "",
        "body": "",
        "partner_id": None,
        "exempt_reason": "",
        "exempt_note": "",
        "due_override_reason": "",
        "due_override_by_id": None,
        "due_override_at": None,
        "answer_text": "",
        "version": 1,
    }
    table = RegisterItem._meta.db_table
    fields = {f.attname: f.column for f in RegisterItem._meta.concrete_fields}
    columns = ", ".join(connection.ops.quote_name(fields[name]) for name in COLUMNS)
    count, started = 0, time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        try:  # skip the per-row foreign-key triggers when allowed (every id is real)
            with transaction.atomic():
                cursor.execute("SET LOCAL session_replication_role = replica")
        except DatabaseError:
            pass
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for house_id, creator, number, row in _item_rows(network, total, now, seed):
                values = {
                    **fixed,
                    **row,
                    "house_id": house_id,
                    "number": number,
                    "channel": CHANNELS[row["kind"]],
                    "subject": SUBJECTS[row["kind"]],
                    "created_by_id": creator,
                    "created_at": row["received_at"],
                }
                copy.write_row([values[name] for name in COLUMNS])
                count += 1
                if count % 200_000 == 0:
                    progress(f"  … {count} éléments ({time.perf_counter() - started:.0f} s)")
    return count


def utc_now() -> datetime:
    return datetime.now(UTC)
