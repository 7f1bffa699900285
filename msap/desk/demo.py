"""A year of realistic activity for demo houses (issue 3 "Demo data").

The boards of a demo house should read like those of a real France Services: thousands of
requests a year, operator shares close to the network's, tax season in May, back-to-school in
September, quieter in August and at Christmas, nothing on a day the house is closed.

Speed: the demo does NOT go through desk.services.record_request one request at a time (one
transaction, an idempotency lookup and an INSERT each: minutes for a network). It writes with
bulk_create in batches, setting the same fields the service sets, valid by construction (the
item belongs to its category, the procedure to its partner, durations within 8 hours, instants
in the past), and no idempotency key: these requests were never posted, so never posted twice.

`activity_rows` yields plain tuples (ROW_FIELDS), so bench/generate.py reuses the same model of
a house's activity to load national volumes with PostgreSQL's COPY.
"""

import math
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from msap.desk.models import AgeBand, Autonomy, Channel, Outcome, Procedure, ServiceRequest
from msap.network.hours import HouseCalendar
from msap.network.models import HouseKind
from msap.partners.models import Partner, PartnerKind, Partnership, ServiceCategory, ServiceItem
from msap.people.models import Membership, Role
from msap.territory.models import Commune

SEED = 3  # issue 3
DAYS = 365

# The columns of one generated request, in the order activity_rows yields them.
ROW_FIELDS = (
    "house_id",
    "agent_id",
    "occurred_at",
    "channel",
    "partner_id",
    "category_id",
    "item_id",
    "procedure_id",
    "duration_minutes",
    "outcome",
    "autonomy",
    "group_size",
    "need_disability",
    "need_illiteracy",
    "need_language",
    "need_social",
    "need_crisis",
    "age_band",
    "commune_id",
    "first_visit",
)

# --- the network's figures the demo imitates ----------------------------------------------------

# Share of requests per national operator in the France Services network (percent; the rest,
# NO_PARTNER_SHARE, concerns no partner: equipment, email account, general information).
NETWORK_SHARES = {
    "ants": 19,
    "caf": 16,
    "cpam": 16,
    "dgfip": 15,
    "carsat": 8,
    "france-travail": 8,
    "msa": 4,
    "justice": 3,
    "la-poste": 3,
    "grdf": 1,
}
NO_PARTNER_SHARE = 7
LOCAL_PARTNER_SHARE = 2  # each local operator (mission locale, CCAS, ADIL…) the house works with
# Titles, taxes and justice joined every France Services house with the network's creation: a
# house serves them without a local convention. Another national operator without a
# partnership with the house is met rarely, and then only to inform and orient.
STATE_OPERATORS = {"ants", "dgfip", "justice"}
OUTSIDE_PARTNERSHIP_FACTOR = 0.15
ORIENTATION_ONLY = "A.1 A.2 A.3 A.4 B1.1"
# The items of annex 1 a partner's requests use when the partnership lists none.
FALLBACK_OFFERS = {
    "ants": "A.1 A.4 B1.1 B1.3 B1.5 B2.7 B3.1",
    "caf": "A.1 A.2 A.3 A.4 B1.1 B1.2 B1.3 B1.4 B1.5 B2.1 B2.2 B2.3 B2.7 B3.1 B3.2 B3.3 C.1 C.2",
    "cpam": "A.1 A.2 A.4 B1.1 B1.2 B1.3 B1.5 B2.1 B2.2 B2.3 B2.6 B3.1 B3.2 C.1 C.2",
    "dgfip": "A.1 A.2 B1.1 B1.2 B1.3 B1.5 B2.1 B2.2 B2.6 B3.1 B3.2 C.1 C.2",
    "carsat": "A.1 A.2 A.3 B1.1 B1.2 B1.3 B1.4 B1.5 B2.1 B2.2 B2.4 B3.1 B3.2 C.1 C.2",
    "france-travail": "A.1 A.2 A.3 A.4 B1.1 B1.2 B1.3 B1.5 B2.1 B2.2 B2.7 B3.1 B3.3 C.1 C.2",
    "msa": "A.1 A.2 A.3 B1.1 B1.2 B1.3 B1.5 B2.1 B2.2 B2.3 B3.1 B3.3 C.1 C.2",
    "la-poste": "A.1 A.2 A.5 B1.6 B1.7 B2.6 B2.7 B3.1",
    "grdf": "A.1 A.2 A.3 B1.1 B2.1 B3.1",
    "justice": "A.1 A.2 A.3 B1.3 B2.1 B2.2 B3.1 B3.2 C.1 C.2",
}
LOCAL_OFFER = "A.1 A.3 B2.1 B2.2 B3.2 C.1 C.2"
NO_PARTNER_OFFER = "A.1 A.3 B1.6 B1.7 B2.7"

# Annex 1 categories when the procedure does not decide (digital help first, then files).
CATEGORY_MIX = {"A": 26, "B1": 28, "B2": 26, "B3": 12, "C": 8}
PROCEDURE_RATE = 0.7  # how often the agent picks a procedure of the partner's list
USUAL_CATEGORY_RATE = 0.5  # how often the request is of the procedure's usual category
ITEM_RATE = 0.85  # how often the agent also picks the item of annex 1

# Requests on an open day of ~7 hours, by the size of the team (a small house with 2 people
# ~8-15 a day, a busy one with 4 or more ~25-40); a mobile house sees fewer per stop.
DAILY_BY_STAFF = {1: 8, 2: 12, 3: 22, 4: 32}
FULL_DAY_HOURS = 7.0
MOBILE_FACTOR = 0.6

# Seasonality. Volume by month (August and Christmas are quieter) and by weekday (Monday busy).
MONTH_VOLUME = {
    1: 1.0,
    2: 0.95,
    3: 1.0,
    4: 1.05,
    5: 1.2,
    6: 1.05,
    7: 0.85,
    8: 0.6,
    9: 1.2,
    10: 1.05,
    11: 1.0,
    12: 0.9,
}
WEEKDAY_VOLUME = (1.15, 1.05, 0.95, 1.0, 0.9, 0.8, 0.8)
CHRISTMAS_VOLUME = 0.55  # 20 December to 3 January


def _season(peaks: dict[int, float]) -> dict[int, float]:
    """Monthly factors of one operator: the peaks given, the other months lowered so that the
    year's mean stays 1 (the yearly share stays the network's)."""
    rest = (12 - sum(peaks.values())) / (12 - len(peaks))
    return {m: peaks.get(m, rest) for m in range(1, 13)}


# Income tax returns (mid-April to early June), back-to-school allowance (late August,
# September), titles before the summer holidays, job seekers at the rentrée and in January.
PARTNER_SEASONS = {
    "dgfip": _season({4: 1.4, 5: 2.3, 6: 1.3, 9: 1.1}),
    "caf": _season({8: 1.2, 9: 1.7}),
    "ants": _season({3: 1.1, 4: 1.2, 5: 1.25, 6: 1.25, 7: 1.1}),
    "france-travail": _season({1: 1.15, 9: 1.2}),
}

FIXED_CHANNELS = {
    Channel.COUNTER: 86,
    Channel.PHONE: 9,
    Channel.EMAIL: 3.5,
    Channel.MAIL: 1,
    Channel.VIDEO: 0.5,
}
MOBILE_CHANNELS = {Channel.MOBILE: 70, Channel.PHONE: 18, Channel.EMAIL: 8, Channel.OUTSIDE: 4}
REMOTE_CHANNELS = {Channel.PHONE.value, Channel.EMAIL.value, Channel.MAIL.value}

OUTCOMES = {
    "A": {Outcome.ANSWERED: 70, Outcome.ORIENTED: 30},
    "B1": {Outcome.ANSWERED: 80, Outcome.FOLLOW_UP: 10, Outcome.TRANSMITTED: 10},
    "B2": {Outcome.ANSWERED: 50, Outcome.TRANSMITTED: 30, Outcome.FOLLOW_UP: 20},
    "B3": {Outcome.APPOINTMENT: 85, Outcome.ORIENTED: 15},
    "C": {Outcome.COMPLEX: 90, Outcome.FOLLOW_UP: 10},
}
AUTONOMY = {
    "A": {"": 40, Autonomy.ALONE: 40, Autonomy.WITH_HELP: 20},
    "B1": {"": 5, Autonomy.ALONE: 15, Autonomy.WITH_HELP: 55, Autonomy.DONE_FOR: 25},
    "B2": {"": 10, Autonomy.WITH_HELP: 50, Autonomy.DONE_FOR: 40},
    "B3": {"": 10, Autonomy.WITH_HELP: 40, Autonomy.DONE_FOR: 50},
    "C": {"": 10, Autonomy.WITH_HELP: 20, Autonomy.DONE_FOR: 70},
}
DURATIONS = {
    "A": (5, 5, 10, 10, 15),
    "B1": (10, 15, 20, 20, 30, 45),
    "B2": (15, 20, 30, 30, 45, 60),
    "B3": (10, 15, 15, 20),
    "C": (30, 45, 60, 90),
}
REMOTE_MAX_MINUTES = 20
WORKSHOP_RATE = 0.005  # B1 collective sessions (a digital workshop for a small group)

# Adapted-reception needs (charter commitment 7): low rates, higher in complex situations.
NEED_RATES = {
    "need_disability": 0.03,
    "need_illiteracy": 0.04,
    "need_language": 0.03,
    "need_social": 0.06,
    "need_crisis": 0.01,
}
COMPLEX_NEED_RATES = {**NEED_RATES, "need_social": 0.35, "need_crisis": 0.15}

AGE_BANDS = (
    AgeBand.UNKNOWN,
    AgeBand.UNDER_26,
    AgeBand.FROM_26,
    AgeBand.FROM_40,
    AgeBand.FROM_60,
    AgeBand.OVER_75,
)
AGE_MIX = {
    None: (6, 10, 22, 28, 22, 12),
    "carsat": (4, 0, 2, 30, 52, 12),
    "france-travail": (4, 35, 35, 24, 2, 0),
    "caf": (4, 20, 45, 25, 5, 1),
    "msa": (5, 4, 12, 30, 32, 17),
    "ants": (5, 18, 25, 25, 17, 10),
}
FIRST_VISIT = ((True, False, None), (35, 55, 10))

# Communes of residence: the house's own, the communes it serves, the rest of its département.
COMMUNE_MIX = {"own": 0.45, "served": 0.38, "departement": 0.12}  # 5% not asked
DEPARTEMENT_COMMUNES = 40  # the most populated of the département


def _cum(weights: Iterable[float]) -> list[float]:
    out, total = [], 0.0
    for w in weights:
        total += w
        out.append(total)
    return out


class Pick:
    """A weighted choice drawn with precomputed cumulative weights (the hot loop's tool)."""

    __slots__ = ("cum", "values")

    def __init__(self, weighted: dict):
        # Plain values (a TextChoices member becomes its str value): ready for SQL and COPY.
        self.values = [getattr(v, "value", v) for v in weighted]
        self.cum = _cum(weighted.values())

    def __call__(self, rng: random.Random):
        return rng.choices(self.values, cum_weights=self.cum)[0]


_OUTCOMES = {k: Pick(v) for k, v in OUTCOMES.items()}
_AUTONOMY = {k: Pick(v) for k, v in AUTONOMY.items()}
_AGES = {k: Pick(dict(zip(AGE_BANDS, v, strict=True))) for k, v in AGE_MIX.items()}
_FIRST_VISIT = Pick(dict(zip(*FIRST_VISIT, strict=True)))


@dataclass
class Reference:
    """The national reference data, loaded once: operators, annex 1, procedures."""

    national: dict[str, int]  # code -> pk
    categories: dict[str, int]  # code -> pk
    items: dict[str, tuple[int, str]]  # code -> (pk, category code)
    procedures: dict[int, list[tuple[int, str]]]  # partner pk -> [(pk, category code)]

    @classmethod
    def load(cls) -> "Reference":
        items = {
            i.code: (i.pk, i.category.code) for i in ServiceItem.objects.select_related("category")
        }
        procedures: dict[int, list[tuple[int, str]]] = {}
        for pk, partner_id, category in Procedure.objects.filter(
            active=True, partner__isnull=False
        ).values_list("pk", "partner_id", "category__code"):
            procedures.setdefault(partner_id, []).append((pk, category or ""))
        return cls(
            national=dict(
                Partner.objects.filter(kind=PartnerKind.NATIONAL).values_list("code", "pk")
            ),
            categories=dict(ServiceCategory.objects.values_list("code", "pk")),
            items=items,
            procedures=procedures,
        )


@dataclass
class PartnerChoice:
    """What requests for one partner look like in one house."""

    partner_id: int | None
    code: str | None  # national operator code (seasons, age mix), None for local/no partner
    weight: float
    items_by_category: dict[str, list[int]]
    categories: Pick = field(init=False)
    procedures: list[tuple[int, str]] = field(default_factory=list)

    def __post_init__(self):
        self.categories = Pick(
            {c: w for c, w in CATEGORY_MIX.items() if self.items_by_category.get(c)}
        )


@dataclass
class Member:
    user_id: int
    started_on: date
    weight: float


@dataclass
class HousePlan:
    """Everything needed to generate one house's activity, loaded in a handful of queries."""

    house_id: int
    calendar: HouseCalendar
    mobile: bool
    staff: list[Member]
    choices: list[PartnerChoice]
    communes: Pick
    category_pks: dict[str, int]
    daily: float  # requests on a full open day with the whole team
    _partner_picks: dict[int, Pick] = field(default_factory=dict)

    @classmethod
    def for_house(cls, house, ref: Reference) -> "HousePlan":
        staff = [
            Member(user_id, started_on, 1.0 if role == Role.AGENT else 0.6)
            for user_id, started_on, role in Membership.objects.current()
            .filter(house=house, role__in=(Role.AGENT, Role.RESPONSABLE))
            .order_by("started_on", "pk")
            .values_list("user_id", "started_on", "role")
        ]
        size = len(staff)
        daily = DAILY_BY_STAFF.get(size, 32 + 5 * (size - 4)) if size else 0
        mobile = house.kind == HouseKind.MOBILE
        if mobile:
            daily *= MOBILE_FACTOR
        return cls(
            house_id=house.pk,
            calendar=HouseCalendar(house),
            mobile=mobile,
            staff=staff,
            choices=_partner_choices(house, ref),
            communes=_commune_pick(house),
            category_pks=ref.categories,
            daily=daily,
        )

    def partner_pick(self, month: int) -> Pick:
        pick = self._partner_picks.get(month)
        if pick is None:
            weights = {}
            for index, choice in enumerate(self.choices):
                season = PARTNER_SEASONS.get(choice.code)
                weights[index] = choice.weight * (season[month] if season else 1.0)
            pick = self._partner_picks[month] = Pick(weights)
        return pick

    def day(self, day: date) -> tuple[list, list[Member], float]:
        """The day's openings, the staff then in post, and the expected number of requests."""
        openings = self.calendar.openings_on(day)
        if not openings or not self.staff:
            return [], [], 0.0
        present = [m for m in self.staff if m.started_on <= day]
        if not present:
            return [], [], 0.0
        hours = sum((o.end - o.start).total_seconds() for o in openings) / 3600
        mean = (
            self.daily
            * min(hours / FULL_DAY_HOURS, 1.3)
            * len(present)
            / len(self.staff)
            * MONTH_VOLUME[day.month]
            * WEEKDAY_VOLUME[day.weekday()]
        )
        if (day.month == 12 and day.day >= 20) or (day.month == 1 and day.day <= 3):
            mean *= CHRISTMAS_VOLUME
        return openings, present, mean

    def expected(self, first_day: date, last_day: date) -> float:
        """The expected number of requests over a period (bench/generate.py scales on it)."""
        total, day = 0.0, first_day
        while day <= last_day:
            total += self.day(day)[2]
            day += timedelta(days=1)
        return total


def _offer(ref: Reference, codes: Iterable[str]) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for code in codes:
        if code in ref.items:
            pk, category = ref.items[code]
            out.setdefault(category, []).append(pk)
    return out


def _partner_choices(house, ref: Reference) -> list[PartnerChoice]:
    partnerships = {
        p.partner_id: p
        for p in Partnership.objects.active()
        .filter(house=house)
        .select_related("partner")
        .prefetch_related("services")
    }
    by_pk = {pk: code for code, pk in ref.national.items()}
    choices = []
    for code, share in NETWORK_SHARES.items():
        pk = ref.national.get(code)
        if pk is None:
            continue
        partnership = partnerships.get(pk)
        if partnership is not None or code in STATE_OPERATORS:
            listed = [s.code for s in partnership.services.all()] if partnership else []
            offer = listed or FALLBACK_OFFERS[code].split()
            weight = share
        else:
            offer, weight = ORIENTATION_ONLY.split(), share * OUTSIDE_PARTNERSHIP_FACTOR
        procedures = ref.procedures.get(pk, [])
        choices.append(PartnerChoice(pk, code, weight, _offer(ref, offer), procedures))
    for pk, partnership in partnerships.items():
        if pk in by_pk:
            continue
        offer = [s.code for s in partnership.services.all()] or LOCAL_OFFER.split()
        choices.append(
            PartnerChoice(
                pk, None, LOCAL_PARTNER_SHARE, _offer(ref, offer), ref.procedures.get(pk, [])
            )
        )
    choices.append(
        PartnerChoice(None, None, NO_PARTNER_SHARE, _offer(ref, NO_PARTNER_OFFER.split()))
    )
    return [c for c in choices if c.items_by_category]


def _commune_pick(house) -> Pick:
    own = house.commune_id
    served = {c for c in house.served_communes.values_list("pk", flat=True) if c != own}
    if house.kind == HouseKind.MOBILE:
        served |= {c for c in house.stops.values_list("commune_id", flat=True) if c != own}
    nearby = list(
        Commune.objects.filter(departement_id=house.commune.departement_id)
        .exclude(pk__in=[own, *served])
        .order_by("-population", "code")
        .values_list("pk", flat=True)[:DEPARTEMENT_COMMUNES]
    )
    weights = {own: COMMUNE_MIX["own"]}
    for code in sorted(served):
        weights[code] = COMMUNE_MIX["served"] / len(served)
    for code in nearby:
        weights[code] = COMMUNE_MIX["departement"] / len(nearby)
    weights[None] = 1 - sum(weights.values())
    return Pick(weights)


def _count(rng: random.Random, mean: float) -> int:
    """A day's number of requests: around the mean, a little more spread than Poisson."""
    if mean <= 0:
        return 0
    return max(0, round(rng.gauss(mean, 1.3 * math.sqrt(mean))))


def _instants(rng: random.Random, openings: list, n: int) -> list[datetime]:
    """n instants within the day's openings (wall-clock of the house), sorted; none in the
    last five minutes of a range (a request starts before the doors close)."""
    spans = [max((o.end - o.start).total_seconds() - 300, 60) for o in openings]
    cum = _cum(spans)
    out = []
    for _ in range(n):
        index = rng.choices(range(len(openings)), cum_weights=cum)[0]
        out.append(openings[index].start + timedelta(seconds=int(rng.random() * spans[index])))
    out.sort()
    return out


def activity_rows(
    plan: HousePlan,
    *,
    first_day: date,
    last_day: date,
    rng: random.Random,
    cutoff: datetime | None = None,
    scale: float = 1.0,
) -> Iterator[tuple]:
    """The requests of one house from first_day to last_day (included), as ROW_FIELDS tuples.

    `cutoff` drops instants after it (today's afternoon when built in the morning); `scale`
    multiplies the volume (bench/generate.py uses it to reach a target)."""
    channels = Pick(MOBILE_CHANNELS if plan.mobile else FIXED_CHANNELS)
    day = first_day
    while day <= last_day:
        openings, present, mean = plan.day(day)
        day += timedelta(days=1)
        if not present:
            continue
        agents = Pick({m.user_id: m.weight for m in present})
        partners = plan.partner_pick(openings[0].start.month)
        for instant in _instants(rng, openings, _count(rng, mean * scale)):
            if cutoff is not None and instant > cutoff:
                break
            yield _row(rng, plan, plan.choices[partners(rng)], agents(rng), instant, channels)


def _row(rng, plan, choice: PartnerChoice, agent_id, instant, channels: Pick) -> tuple:
    procedure_id, category = None, None
    if choice.procedures and rng.random() < PROCEDURE_RATE:
        procedure_id, usual = rng.choice(choice.procedures)
        if usual in choice.items_by_category and rng.random() < USUAL_CATEGORY_RATE:
            category = usual
    if category is None:
        category = choice.categories(rng)
    item_id = rng.choice(choice.items_by_category[category]) if rng.random() < ITEM_RATE else None
    channel = channels(rng)
    duration = rng.choice(DURATIONS[category])
    if channel in REMOTE_CHANNELS:
        duration = min(duration, REMOTE_MAX_MINUTES)
    group_size, autonomy, age_band, first_visit = 1, _AUTONOMY[category](rng), None, None
    if category == "B1" and channel != Channel.PHONE.value and rng.random() < WORKSHOP_RATE:
        group_size, duration, autonomy, age_band = rng.randint(4, 10), rng.choice((90, 120)), "", ""
    else:
        age_band = _AGES.get(choice.code, _AGES[None])(rng)
        first_visit = _FIRST_VISIT(rng)
    rates = COMPLEX_NEED_RATES if category == "C" else NEED_RATES
    needs = [rng.random() < rate for rate in rates.values()]
    return (
        plan.house_id,
        agent_id,
        instant,
        channel,
        choice.partner_id,
        plan.category_pks[category],
        item_id,
        procedure_id,
        duration,
        _OUTCOMES[category](rng),
        autonomy,
        group_size,
        *needs,
        age_band,
        plan.communes(rng),
        first_visit,
    )


# --- the demo --------------------------------------------------------------------------------


def build_activity(
    houses, *, today: date, days: int = DAYS, seed: int = SEED, batch_size: int = 2000
) -> int:
    """Record `days` days of activity up to `today` (included) for each house; returns how many
    requests were created.

    Deterministic: each house draws from its own random.Random(seed, slug), so its activity
    does not depend on the other houses passed. Idempotent: a house that already has requests
    in the window is left as it is. Instants after now are dropped (today's afternoon)."""
    ref = Reference.load()
    make = _model_maker(timezone.now())
    first_day = today - timedelta(days=days - 1)
    cutoff = timezone.now()
    created = 0
    for house in houses:
        plan = HousePlan.for_house(house, ref)
        start = datetime.combine(first_day, datetime.min.time(), tzinfo=plan.calendar.tz)
        end = datetime.combine(
            today + timedelta(days=1), datetime.min.time(), tzinfo=plan.calendar.tz
        )
        window = ServiceRequest.objects.filter(
            house=house, occurred_at__gte=start, occurred_at__lt=end
        )
        if window.exists():
            continue
        rng = random.Random(f"{seed}/{house.slug}")
        rows = activity_rows(plan, first_day=first_day, last_day=today, rng=rng, cutoff=cutoff)
        with transaction.atomic():
            batch: list[ServiceRequest] = []
            for row in rows:
                batch.append(make(row))
                if len(batch) >= batch_size:
                    created += _write(batch)
            created += _write(batch)
            # auto_now_add stamps bulk inserts with now: a request of last March was recorded
            # last March (and is therefore out of its author's edit window).
            window.update(created_at=F("occurred_at"), updated_at=F("occurred_at"))
    return created


def _model_maker(now: datetime):
    """row -> ServiceRequest, built with positional arguments in the model's field order (about
    twice as fast as keywords on tens of thousands of instances); the other fields get the
    values the service would give them (no notes, no idempotency key, version 1)."""
    defaults = {
        "id": None,
        "notes": "",
        "idempotency_key": "",
        "created_at": now,
        "updated_at": now,
        "version": 1,
    }
    attnames = [f.attname for f in ServiceRequest._meta.concrete_fields]
    missing = set(attnames) - set(ROW_FIELDS) - set(defaults)
    assert not missing, f"demo rows lack {missing}"
    slots = [ROW_FIELDS.index(a) if a in ROW_FIELDS else None for a in attnames]
    fixed = [defaults.get(a) for a in attnames]

    def make(row: tuple) -> ServiceRequest:
        return ServiceRequest(*[fixed[i] if s is None else row[s] for i, s in enumerate(slots)])

    return make


def _write(batch: list) -> int:
    n = len(batch)
    if n:
        ServiceRequest.objects.bulk_create(batch, batch_size=n)
        batch.clear()
    return n
