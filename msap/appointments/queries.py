"""The reads of appointments that screens, the sends and the API share, scoped by msap.permissions."""

import heapq
from bisect import bisect_left
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import islice
from operator import itemgetter
from time import monotonic
from typing import NamedTuple

from django.db import connections, router
from django.db.models import (
    CharField,
    Count,
    DateField,
    DateTimeField,
    IntegerField,
    Q,
    QuerySet,
    TimeField,
    Value,
)
from django.http import Http404
from django.utils.translation import gettext as _

from msap import permissions
from msap.appointments import rules
from msap.appointments.models import (
    IN_HOUSE,
    LIVE_STATUSES,
    Adviser,
    Appointment,
    AppointmentStatus,
    AppointmentType,
    CalendarFeed,
    LocationType,
    SlotException,
    SlotRule,
)
from msap.desk.models import Outcome, ServiceRequest
from msap.lib.dates import holiday_name, timezone_for
from msap.network.hours import Opening
from msap.network.models import Closure, Equipment, EquipmentKind, House, OpeningRange, Premises


def get_appointment_for_user(user, pk, *, need: str = "counter"):
    """The appointment and the user's access: 404 when its house is unseen, 403 unless the user
    works at its counter (the person's name and contact are need-to-know)."""
    appointment = permissions.fetch(
        Appointment.objects.select_related(
            "house__commune__departement",
            "house__organisation",
            "appointment_type__partnership__partner",
            "adviser",
            "request",
        ),
        pk,
        _("Rendez-vous introuvable."),
    )
    access = permissions.record_access(user, appointment)
    permissions.check_appointment(access, need)
    return appointment, access


def counter_appointments(user):
    """The appointments of the houses where the user works at the counter: the API's list, as
    the screens (the person's name and contact are need-to-know)."""
    return Appointment.objects.filter(house_id__in=permissions.scope_for(user).agent_houses)


def searchable_types(houses, partner, *, type_id=None, location_type=None):
    """The bookable appointment types of `partner` in `houses`, for the free-slot search."""
    types = AppointmentType.objects.filter(
        partnership__house__in=houses,
        partnership__partner=partner,
        partnership__status="active",
        active=True,
    ).select_related("partnership")
    if type_id is not None:
        types = types.filter(pk=type_id)
    if location_type:
        types = types.filter(location_type=location_type)
    return types.order_by("pk")


def feed_appointments(feed: CalendarFeed, now: datetime):
    """What a private calendar feed lists: the adviser's appointments, or those the agent booked
    in the houses where they still work at the counter (leaving a house empties its part)."""
    if feed.adviser_id:
        appointments = Appointment.objects.filter(adviser_id=feed.adviser_id)
    else:
        appointments = Appointment.objects.filter(
            booked_by_id=feed.user_id,
            house_id__in=permissions.scope_for(feed.user).agent_houses,
        )
    return (
        appointments.filter(start__gte=now - timedelta(days=rules.FEED_PAST_DAYS))
        .select_related("house__commune", "appointment_type__partnership__partner")
        .order_by("start", "pk")
    )


def get_feed(token: str) -> CalendarFeed:
    """The feed of a secret token, or 404 (an unknown or renewed token alike)."""
    feed = (
        CalendarFeed.objects.select_related("user", "adviser")
        .filter(token=token, token__gt="")
        .first()
    )
    if feed is None or (feed.user_id and not feed.user.is_active):
        raise Http404(_("Agenda introuvable : l'adresse a peut-être été renouvelée."))
    return feed


def house_advisers(house):
    """The active advisers of the house's active partnerships."""
    return (
        Adviser.objects.filter(partnership__house=house, partnership__status="active", active=True)
        .select_related("partnership__partner")
        .order_by("partnership__partner__short_name", "last_name", "first_name")
    )


def bookable_types(house):
    """The appointment types of the house's active partnerships that have an active adviser."""
    return (
        AppointmentType.objects.filter(
            partnership__house=house,
            partnership__status="active",
            active=True,
            slot_rules__adviser__active=True,
        )
        .select_related("partnership__partner")
        .distinct()
        .order_by("partnership__partner__short_name", "subject")
    )


def house_appointments(house, start: datetime, end: datetime):
    """The house's appointments starting in [start, end), for its day and week lists."""
    return (
        Appointment.objects.filter(house=house, start__gte=start, start__lt=end)
        .select_related("appointment_type__partnership__partner", "adviser")
        .order_by("start", "pk")
    )


def video_equipment(house):
    """The house's video equipment in service, in the order bookings try them."""
    return Equipment.objects.filter(
        house=house, kind=EquipmentKind.VISIO, in_service=True
    ).order_by("pk")


def office_of(house):
    """The house's equipped office for partners' permanences (annex 3 §1.3), or None."""
    return Premises.objects.filter(house=house, permanence_office=True).first()


class Rule(NamedTuple):
    """A weekly opening (SlotRule) read as plain values: a search reads hundreds of them."""

    adviser_id: int
    weekday: int
    start: time
    end: time
    starts_on: date
    ends_on: date | None
    first_name: str
    last_name: str
    partnership_id: int
    # The advisers made so far, shared by the rules of a search (see adviser).
    made: dict

    @property
    def adviser(self) -> Adviser:
        """The adviser, made once per search and on first use: a département's search reads
        about ninety and returns the few of its ten slots."""
        adviser = self.made.get(self.adviser_id)
        if adviser is None:
            adviser = self.made[self.adviser_id] = Adviser(
                pk=self.adviser_id,
                partnership_id=self.partnership_id,
                first_name=self.first_name,
                last_name=self.last_name,
                active=True,
            )
        return adviser

    def receives_on(self, day: date, absences) -> bool:
        """Whether the opening holds on `day` of its weekday: within its dates, the adviser
        not absent that day."""
        return (
            self.starts_on <= day
            and not (self.ends_on and day > self.ends_on)
            and (self.adviser_id, day) not in absences
        )


# The weekly openings, the houses' hours and closures and the advisers' absences are read in
# one query (calendar_rows): one row shape for the four, the rule's first (every column a
# table's, so that PostgreSQL types the others' empty ones alike). What each column holds:
#
#   kind     owner    adviser  weekday  start  end  first      last      text        text
#   rule     type     adviser  weekday  start  end  starts_on  ends_on   first name  last name
#   hours    house    -        weekday  start  end  -          -         -           -
#   closure  house    -        -        -      -    start_date end_date  reason      -
#   absence  adviser  -        -        -      -    day        -         -           -
#   house    house    videos   -        -      -    -          -         département -
#
# then, for a rule, its adviser's partnership and its own id (the order of its day's openings);
# for a house, whether it has a permanence office (1 or 0). A house's row tells its video
# equipment in service and its département (its time zone and holidays).
RULE, HOURS, CLOSURE, ABSENCE, HOUSE = "rule", "hours", "closure", "absence", "house"
# What each column is, for the database's conversions (SQLite hands dates and times as text).
CALENDAR_FIELDS = [
    *(CharField(), IntegerField(), IntegerField(), IntegerField()),
    *(TimeField(), TimeField(), DateField(), DateField()),
    *(CharField(), CharField(), IntegerField(), IntegerField()),
]


# The query, from the models' tables and columns (Names) and the placeholders of the ids; the
# window's days, when given, bound the closures and absences read.
CALENDAR_SQL = (
    "SELECT 'rule', r.{rule.appointment_type}, r.{rule.adviser}, r.{rule.weekday}, "
    "r.{rule.start}, r.{rule.end}, r.{rule.starts_on}, r.{rule.ends_on}, "
    "a.{adviser.first_name}, a.{adviser.last_name}, a.{adviser.partnership}, r.{rule.id} "
    "FROM {rule} r INNER JOIN {adviser} a ON r.{rule.adviser} = a.{adviser.id} "
    # The advisers' partnerships also let the planner read the few advisers of these by their
    # index, not hash all of the network's.
    "WHERE a.{adviser.active} AND a.{adviser.partnership} {partnerships} "
    "AND r.{rule.appointment_type} {types} "
    "UNION ALL SELECT 'hours', o.{hours.house}, NULL, o.{hours.weekday}, o.{hours.start}, "
    "o.{hours.end}, NULL, NULL, NULL, NULL, NULL, NULL "
    "FROM {hours} o WHERE o.{hours.house} {houses} "
    "UNION ALL SELECT 'closure', c.{closure.house}, NULL, NULL, NULL, NULL, "
    "c.{closure.start_date}, c.{closure.end_date}, c.{closure.reason}, NULL, NULL, NULL "
    "FROM {closure} c WHERE c.{closure.house} {houses}CLOSURE_DAYS "
    "UNION ALL SELECT 'absence', e.{absence.adviser}, NULL, NULL, NULL, NULL, e.{absence.day}, "
    "NULL, NULL, NULL, NULL, NULL "
    "FROM {absence} e INNER JOIN {adviser} b ON e.{absence.adviser} = b.{adviser.id} "
    "WHERE b.{adviser.partnership} {partnerships}ABSENCE_DAYS "
    "UNION ALL SELECT 'house', h.{house.pk}, (SELECT COUNT(*) FROM {equipment} q "
    "WHERE q.{equipment.house} = h.{house.pk} AND q.{equipment.in_service} "
    "AND q.{equipment.kind} = %s), NULL, NULL, NULL, NULL, NULL, m.{commune.departement}, NULL, "
    # A house has one premises at most (by its index, not a scan of the network's).
    "CASE WHEN p.{premises.permanence_office} THEN 1 ELSE 0 END, NULL "
    "FROM {house} h INNER JOIN {commune} m ON h.{house.commune} = m.{commune.pk} "
    "LEFT OUTER JOIN {premises} p ON p.{premises.house} = h.{house.pk} "
    "WHERE h.{house.pk} {all_houses} "
    "ORDER BY 4, 5, 12"
)
# Years of past closures and absences are never turned into rows (the closures read by
# closure_house_end_idx, each adviser's absences by the adviser's index).
CALENDAR_DAYS = {
    "CLOSURE_DAYS": " AND c.{closure.end_date} >= %s AND c.{closure.start_date} <= %s",
    "ABSENCE_DAYS": " AND e.{absence.day} >= %s AND e.{absence.day} <= %s",
}


class Names:
    """A model's table (`{names}`) and columns (`{names.field}`) quoted by the database, for a
    hand-written query."""

    def __init__(self, model, quote):
        self.model = model
        self.quote = quote

    def __format__(self, spec: str) -> str:
        return self.quote(self.model._meta.db_table)

    def __getattr__(self, name: str) -> str:
        meta = self.model._meta
        return self.quote(meta.pk.column if name == "pk" else meta.get_field(name).column)


def in_list(vendor: str, values) -> tuple[str, list]:
    """An SQL `IN` of `values` and its parameters: one array on PostgreSQL (`= ANY`, planned
    alike, which spares the driver parsing a placeholder per id), else a placeholder each
    (`IN (NULL)`, which matches nothing, for none)."""
    values = list(values)
    if vendor == "postgresql":
        return "= ANY(%s)", [values]
    return "IN (" + (", ".join(["%s"] * len(values)) or "NULL") + ")", values


def read_rows(using: str, sql: str, params: list, fields) -> list[tuple]:
    """The rows of a hand-written query, each column made the Python value of its field in
    `fields` as the ORM makes it (the backend's own conversions: SQLite's dates and times)."""
    connection = connections[using]
    converters = []
    for i, field in enumerate(fields):
        expression = Value(None, output_field=field)
        found = connection.ops.get_db_converters(expression)
        if found:
            converters.append((i, found, expression))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if not converters:
        return rows
    out = []
    for row in rows:
        row = list(row)
        for i, found, expression in converters:
            for convert in found:
                row[i] = convert(row[i], expression, connection)
        out.append(tuple(row))
    return out


def calendar_rows(types, house_ids, window: tuple[date, date] | None) -> list[tuple]:
    """The rows (see RULE) of the weekly openings of `types` by active advisers of their
    partnerships, the hours and closures of `house_ids` (the houses of the appointments in the
    house) and the absences of those advisers — closures and absences over the `window`'s days
    only when given, else all — and the resources and département of every type's house, in
    one query, the rules in their day's order (weekday, start, id).

    Written in SQL (portable: SQLite and PostgreSQL): made by the ORM, the four querysets of
    the rules, hours, closures and absences and their union cost a cold search about 9 ms of
    Python on the bench (profiled), more than the database took to answer."""
    using = router.db_for_read(SlotRule)
    ops = connections[using].ops
    vendor = connections[using].vendor
    partnerships, by_partnership = in_list(vendor, sorted({t.partnership_id for t in types}))
    type_ids, by_type = in_list(vendor, [t.pk for t in types])
    houses, by_house = in_list(vendor, sorted(house_ids))
    all_houses, by_any_house = in_list(vendor, sorted({house_of(t) for t in types}))
    template, days = CALENDAR_SQL, []
    for mark, clause in CALENDAR_DAYS.items():
        template = template.replace(mark, clause if window is not None else "")
    if window is not None:
        days = [ops.adapt_datefield_value(day) for day in window]
    commune = House._meta.get_field("commune").related_model
    # Identifiers come from the models' meta, quoted by the backend; values are parameters.
    sql = template.format(
        rule=Names(SlotRule, ops.quote_name),
        adviser=Names(Adviser, ops.quote_name),
        hours=Names(OpeningRange, ops.quote_name),
        closure=Names(Closure, ops.quote_name),
        absence=Names(SlotException, ops.quote_name),
        house=Names(House, ops.quote_name),
        commune=Names(commune, ops.quote_name),
        equipment=Names(Equipment, ops.quote_name),
        premises=Names(Premises, ops.quote_name),
        partnerships=partnerships,
        types=type_ids,
        houses=houses,
        all_houses=all_houses,
    )
    params = [
        *(*by_partnership, *by_type, *by_house, *by_house, *days, *by_partnership, *days),
        *(EquipmentKind.VISIO.value, *by_any_house),
    ]
    return read_rows(using, sql, params, CALENDAR_FIELDS)


def rules_of(types, rows) -> dict[int, list[Rule]]:
    """The weekly openings among calendar_rows' `rows` by type, in their day's order, of the
    advisers of the type's own partnership (the only ones a booking accepts); each adviser
    made once, when a slot needs it (Rule.adviser)."""
    partnership_of = {t.pk: t.partnership_id for t in types}
    made: dict[int, Adviser] = {}
    out: dict[int, list[Rule]] = {}
    for row in rows:
        # kind, type, adviser, weekday, start, end, starts_on, ends_on, names, partnership, pk
        if row[0] == RULE and row[10] == partnership_of[row[1]]:
            out.setdefault(row[1], []).append(Rule(*row[2:11], made))
    return out


def slot_order(slot) -> tuple:
    return (slot.start, slot.adviser.last_name, slot.adviser.pk)


# A weekday's openings are rows (wall-clock start, adviser's last name, adviser id, type id,
# rule, offer), sorted on their first four: slot_order, then the type (see Agenda).
ROW_ORDER = itemgetter(0, 1, 2, 3)
# More than any change of a time zone's offset in a day: a wall-clock time this much before a
# moment's own is before it, whatever the day's change of time.
WALL_CLOCK_MARGIN = timedelta(hours=3)


@dataclass(frozen=True)
class Slot:
    adviser: Adviser
    start: datetime
    end: datetime

    @property
    def value(self) -> str:
        """How a form posts it: the adviser and the start, in UTC ISO format."""
        return f"{self.adviser.pk}|{self.start.isoformat()}"


# Slot starts and house hours are wall-clock times compared within one day of one time zone
# (rules.slot_starts, rules.within): laid on any day, a weekly opening gives the same times.
ANY_DAY = date(2001, 1, 1)


def opening_starts(start: time, end: time, minutes: int, hours) -> list[time]:
    """The wall-clock starts a weekly opening from `start` to `end` offers on its weekday,
    kept only inside the house's hours of that weekday (`hours`, (start, end) pairs; None for
    an appointment outside the house)."""
    step = timedelta(minutes=minutes)
    openings = None
    if hours is not None:
        openings = [
            Opening(datetime.combine(ANY_DAY, s), datetime.combine(ANY_DAY, e)) for s, e in hours
        ]
    return [
        slot.time()
        for slot in rules.slot_starts(start, end, minutes, ANY_DAY, None)
        if openings is None or rules.within(slot, slot + step, openings)
    ]


class Hours:
    """A house's weekly hours and its closures (over the search's days, or all of them), read
    as plain values for many houses at once: what an offer in the house needs of
    network.hours.HouseCalendar. Public holidays are the offer's (Offer.closed_reason)."""

    def __init__(self, tz, ranges, closures):
        self.tz = tz
        weekly: dict[int, list[tuple[time, time]]] = {}
        for weekday, start, end in sorted(ranges):
            weekly.setdefault(weekday, []).append((start, end))
        self.weekly: dict[int, tuple[tuple[time, time], ...]] = {
            weekday: tuple(hours) for weekday, hours in weekly.items()
        }
        self.closures: list[tuple[date, date, str]] = closures

    def closure_on(self, day: date) -> str | None:
        """The reason of a closure covering `day`, or None."""
        return next((why for first, last, why in self.closures if first <= day <= last), None)

    def openings_on(self, day: date) -> list[Opening]:
        """The house's openings on `day`, none when it is closed."""
        if self.closure_on(day):
            return []
        return [
            Opening(
                datetime.combine(day, start, tzinfo=self.tz),
                datetime.combine(day, end, tzinfo=self.tz),
            )
            for start, end in self.weekly.get(day.weekday(), ())
        ]


# What a search reads of each appointment type and of its partnership: all their columns, so that
# the few types its slots name are made whole (TypeRow.model) without another query.
TYPE_FIELDS = [f.attname for f in AppointmentType._meta.concrete_fields]
PARTNERSHIP_FIELDS = [
    f.attname
    for f in AppointmentType._meta.get_field("partnership").related_model._meta.concrete_fields
]


class TypeRow:
    """An appointment type of a search across houses read as plain values: a département's
    search reads about ninety, and returns the few its ten slots name, made AppointmentType
    (with their partnership) only then."""

    __slots__ = (
        "db",
        "duration_minutes",
        "house_id",
        "in_house",
        "location_type",
        "model_",
        "partnership",
        "partnership_id",
        "pk",
        "values",
    )

    def __init__(self, db: str, values: tuple):
        self.db = db
        self.values = values[: len(TYPE_FIELDS)]
        self.partnership = values[len(TYPE_FIELDS) :]
        fields = dict(zip(TYPE_FIELDS, self.values, strict=True))
        self.pk = fields["id"]
        self.partnership_id = fields["partnership_id"]
        self.location_type = fields["location_type"]
        self.duration_minutes = fields["duration_minutes"]
        self.house_id = self.partnership[PARTNERSHIP_FIELDS.index("house_id")]
        self.in_house = self.location_type in IN_HOUSE
        self.model_: AppointmentType | None = None

    def model(self) -> AppointmentType:
        """The type as the ORM makes it, with its partnership (select_related's), once."""
        if self.model_ is None:
            kind = AppointmentType.from_db(self.db, TYPE_FIELDS, self.values)
            partnership = AppointmentType._meta.get_field("partnership").related_model
            kind.partnership = partnership.from_db(self.db, PARTNERSHIP_FIELDS, self.partnership)
            self.model_ = kind
        return self.model_


def house_of(appointment_type) -> int:
    """The house of an appointment type, a model or a TypeRow."""
    if isinstance(appointment_type, TypeRow):
        return appointment_type.house_id
    return appointment_type.partnership.house_id


class Offer:
    """What one appointment type offers between two days: the adviser's weekly openings minus
    their absences and the département's public holidays, minus the house's closures and
    outside its hours for an appointment in the house."""

    def __init__(
        self, appointment_type: AppointmentType | TypeRow, *, preloaded: dict | None = None
    ):
        """`preloaded` (from `preload`) holds what the offers of many types need, read at once
        (a search across houses, over its days); without it, the type's own is read here, over
        every day (a booking's check)."""
        if preloaded is None:
            preloaded = preload([appointment_type])
        self.kind = appointment_type
        self.type_id = appointment_type.pk
        self.location_type = appointment_type.location_type
        self.in_house = appointment_type.in_house
        self.house_id = house_of(appointment_type)
        self.dept = preloaded["depts"][appointment_type.pk]
        self.tz = timezone_for(self.dept)
        self.step = timedelta(minutes=appointment_type.duration_minutes)
        self.calendar: Hours | None = preloaded["hours"][self.house_id] if self.in_house else None
        self.rules = preloaded["rules"].get(appointment_type.pk, [])
        self.absences = preloaded["absences"]
        self.videos = preloaded["videos"].get(self.house_id, 0)
        self.has_office = self.house_id in preloaded["offices"]
        # Each weekday's openings with the starts they offer, made once (and once for all the
        # offers of a search with the same times): a day then only checks its dates, the
        # absences, the holidays and the closures.
        known = preloaded["starts"]
        minutes = appointment_type.duration_minutes
        self.weekly: dict[int, list[tuple[Rule, list[time]]]] = {}
        for rule in self.rules:
            hours = None if self.calendar is None else self.calendar.weekly.get(rule.weekday, ())
            key = (rule.start, rule.end, minutes, hours)
            starts = known.get(key)
            if starts is None:
                starts = known[key] = opening_starts(*key)
            self.weekly.setdefault(rule.weekday, []).append((rule, starts))

    @property
    def type(self) -> AppointmentType:
        """The appointment type, made from its row on first use in a search across houses."""
        if isinstance(self.kind, TypeRow):
            return self.kind.model()
        return self.kind

    def closed_reason(self, day: date) -> str | None:
        """Why nothing is offered on `day` at all: a public holiday, or the house closed."""
        name = holiday_name(day, self.dept)
        if name:
            return _("le %(day)s est un jour férié (%(name)s)") % {
                "day": day.strftime("%d/%m/%Y"),
                "name": name,
            }
        closure = self.calendar.closure_on(day) if self.calendar else None
        if closure:
            return _("la maison est fermée le %(day)s (%(reason)s)") % {
                "day": day.strftime("%d/%m/%Y"),
                "reason": closure,
            }
        return None

    def closed_on(self, day: date) -> bool:
        """Whether nothing is offered on `day` (closed_reason without its words)."""
        return bool(
            holiday_name(day, self.dept) or (self.calendar and self.calendar.closure_on(day))
        )

    def slots_on(self, day: date) -> list[Slot]:
        """The day's slots, earliest first (then by adviser)."""
        return [slot for _offer, slot in Agenda([self]).walk(self.tz, day)]

    def check_resources(self) -> bool:
        """Whether the house has what the type books: the office for a permanence, video
        equipment for a video appointment."""
        kind = self.location_type
        if kind == LocationType.VIDEO:
            return self.videos > 0
        if kind == LocationType.PERMANENCE:
            return self.has_office
        return True

    def is_free(self, slot: Slot, busy: "Busy") -> bool:
        """Whether `slot` is free: the adviser and, in the house, the resource it needs."""
        if any(s < slot.end and e > slot.start for s, e in busy.advisers.get(slot.adviser.pk, ())):
            return False
        kind = self.location_type
        if kind not in IN_HOUSE:
            return True
        held = [
            (office, equipment)
            for office, equipment, s, e in busy.houses.get(self.house_id, ())
            if s < slot.end and e > slot.start
        ]
        if kind == LocationType.PERMANENCE:
            return not any(office for office, _equipment in held)
        return len({equipment for _office, equipment in held if equipment}) < self.videos


# What an appointment read by taken() holds of a search's: one of its advisers, or a resource
# of one of its houses.
ADVISER, RESOURCE = "adviser", "resource"


class Busy:
    """What is taken over a window (taken()'s rows), by adviser and by house's resource."""

    def __init__(self, rows):
        self.advisers: dict[int, list] = {}
        self.houses: dict[int, list] = {}
        for held, adviser, office, equipment, start, end, house in rows:
            if held == ADVISER:
                self.advisers.setdefault(adviser, []).append((start, end))
            else:
                self.houses.setdefault(house, []).append((office, equipment, start, end))


class Agenda:
    """The offers of a search and, made once per weekday on first use, that weekday's openings
    of them all as rows in the order a search walks them (ROW_ORDER: the start, then the
    adviser's name, then the type): a day then only checks, row after row, its holidays,
    closures, absences and what is taken, and stops at the count. Kept with the offers
    (OfferCache), so a repeated search walks a handful of rows, not the département's day."""

    def __init__(self, offers: list[Offer]):
        self.offers = offers
        self.advisers = {r.adviser_id for offer in offers for r in offer.rules}
        self.houses = {offer.house_id for offer in offers if offer.in_house}
        # Wall-clock order is time order within one time zone: the offers are walked by zone.
        self.zones: dict = {}
        for offer in offers:
            self.zones.setdefault(offer.tz, []).append(offer)
        self.weekdays: dict = {}
        self.starts: dict = {}

    def rows(self, tz, weekday: int) -> list[tuple]:
        rows = self.weekdays.get((tz, weekday))
        if rows is None:
            rows = sorted(
                (
                    (start, rule.last_name, rule.adviser_id, offer.type_id, rule, offer)
                    for offer in self.zones[tz]
                    for rule, starts in offer.weekly.get(weekday, ())
                    for start in starts
                ),
                key=ROW_ORDER,
            )
            self.weekdays[(tz, weekday)] = rows
            self.starts[(tz, weekday)] = [row[0] for row in rows]
        return rows

    def first_row(self, tz, day: date, after: datetime | None) -> int:
        """Where the walk of `day` may begin: past the rows whose wall-clock start is hours
        before `after` (so earlier than it whatever a change of time that day): on a search's
        first day, the openings already past are never made into instants."""
        if after is None:
            return 0
        local = after.astimezone(tz)
        if local.date() != day:
            return 0
        bound = datetime.combine(day, local.time()) - WALL_CLOCK_MARGIN
        if bound.date() != day:
            return 0
        return bisect_left(self.starts[(tz, day.weekday())], bound.time())

    def walk(self, tz, day: date, after: datetime | None = None):
        """The (offer, slot) of the zone's offers on `day`, in time order, starting after
        `after` when given; made as they are read."""
        closed: dict[Offer, bool] = {}
        rows = self.rows(tz, day.weekday())
        for start, _name, _pk, _kind, rule, offer in islice(
            rows, self.first_row(tz, day, after), None
        ):
            shut = closed.get(offer)
            if shut is None:
                shut = closed[offer] = offer.closed_on(day)
            if shut or not rule.receives_on(day, offer.absences):
                continue
            moment = datetime.combine(day, start, tzinfo=tz)
            if after is None or moment > after:
                yield offer, Slot(rule.adviser, moment, moment + offer.step)

    def day(self, offset: int, now: datetime):
        """The slots after `now` on the `offset`-th day from `now`'s date in each house's own
        time zone, in time order whatever the zones."""
        walks = [
            self.walk(tz, now.astimezone(tz).date() + timedelta(days=offset), now)
            for tz in self.zones
        ]
        if len(walks) == 1:
            return walks[0]
        return heapq.merge(*walks, key=lambda pair: (*slot_order(pair[1]), pair[0].type_id))


def search_days(now: datetime, days: int) -> tuple[date, date]:
    """The first and last days a search from `now` over `days` days may look at, in any
    house's time zone (a house's date is at most a day from the UTC one)."""
    today = now.astimezone(UTC).date()
    return today - timedelta(days=1), today + timedelta(days=days)


def preload(types, *, window: tuple[date, date] | None = None) -> dict:
    """What the offers of `types` need, read in one query for all of them whatever their
    number (calendar_rows): the weekly openings with their advisers, the absences, the houses'
    hours, closures, resources and départements — the absences and closures of the `window`'s
    days only when given, else all."""
    in_house = {house_of(t) for t in types if t.in_house}
    rows = calendar_rows(types, in_house, window)
    weekly: dict[int, list] = {house: [] for house in in_house}
    closed: dict[int, list] = {house: [] for house in in_house}
    absences = set()
    dept_of, videos, offices = {}, {}, set()
    for kind, owner, count, weekday, start, end, first, last, text, _t, office, _pk in rows:
        if kind == HOURS:
            weekly[owner].append((weekday, start, end))
        elif kind == CLOSURE:
            closed[owner].append((first, last, text))
        elif kind == ABSENCE:
            absences.add((owner, first))
        elif kind == HOUSE:
            dept_of[owner] = text
            videos[owner] = count
            if office:
                offices.add(owner)
    return {
        "depts": {t.pk: dept_of[house_of(t)] for t in types},
        "rules": rules_of(types, rows),
        "starts": {},
        "absences": absences,
        "hours": {
            house: Hours(timezone_for(dept_of[house]), weekly[house], closed[house])
            for house in in_house
        },
        "videos": videos,
        "offices": offices,
    }


def load_offers(appointment_types, window: tuple[date, date] | None = None) -> list[Offer]:
    """The offers of many appointment types (a département's houses), in a fixed number of
    queries whatever their number (see preload), over the `window`'s days (all when None)."""
    if isinstance(appointment_types, QuerySet):
        # A types query is read as plain values (TypeRow), its partnership's with them: no
        # model instance is made of the types a search does not return.
        types = [
            TypeRow(appointment_types.db, values)
            for values in appointment_types.select_related(None).values_list(
                *TYPE_FIELDS, *(f"partnership__{name}" for name in PARTNERSHIP_FIELDS)
            )
        ]
    else:
        types = list(appointment_types)
    if not types:
        return []
    preloaded = preload(types, window=window)
    return [Offer(t, preloaded=preloaded) for t in types]


# What is taken (taken()): the live appointments (LIVE_STATUSES) over a window that hold one of
# the search's advisers, then those of its houses that hold a resource (HOLDS_RESOURCE, the
# predicate of appointment_live_resource_idx, which PostgreSQL then reads).
TAKEN_SQL = (
    "SELECT 'adviser', t.{a.adviser}, t.{a.office}, t.{a.equipment}, t.{a.start}, t.{a.end}, "
    "t.{a.house} FROM {a} t WHERE t.{a.status} {live} AND t.{a.adviser} {advisers} "
    "AND t.{a.start} >= %s AND t.{a.start} < %s AND t.{a.end} > %s"
)
TAKEN_RESOURCES_SQL = (
    " UNION ALL SELECT 'resource', t.{a.adviser}, t.{a.office}, t.{a.equipment}, t.{a.start}, "
    "t.{a.end}, t.{a.house} FROM {a} t WHERE t.{a.status} {live} "
    "AND (t.{a.office} IS NOT NULL OR t.{a.equipment} IS NOT NULL) AND t.{a.house} {houses} "
    "AND t.{a.start} >= %s AND t.{a.start} < %s AND t.{a.end} > %s"
)
TAKEN_FIELDS = [
    CharField(),
    *(IntegerField(),) * 3,
    DateTimeField(),
    DateTimeField(),
    IntegerField(),
]


def taken(adviser_ids, houses, start: datetime, end: datetime) -> list:
    """The live appointments between two instants that hold an adviser of `adviser_ids` or one
    of the shared resources of `houses` (the houses of the appointments in the house), each
    row tagged with what it holds of the search's (ADVISER, RESOURCE; an appointment holding
    both comes once for each). An appointment lasts at most MAX_DURATION, so the start is
    bounded on both sides: the index range is the window, not every appointment before it.

    Two reads in one query rather than one read of either: PostgreSQL planned the `OR` of the
    two in about 4.5 ms on the bench (weighing every index of either side for each of the ~90
    advisers), the two apart in under 1 ms, for the same 0.5 ms of execution. Written in SQL
    (portable), like calendar_rows: the ORM's union cost more Python than the read."""
    using = router.db_for_read(Appointment)
    ops = connections[using].ops
    vendor = connections[using].vendor
    advisers, by_adviser = in_list(vendor, sorted(adviser_ids))
    resources, by_house = in_list(vendor, sorted(houses))
    # The statuses stay a list of values: PostgreSQL then proves the partial indexes' predicate.
    live, by_status = in_list("", [status.value for status in LIVE_STATUSES])
    window = [
        ops.adapt_datetimefield_value(moment) for moment in (start - rules.MAX_DURATION, end, start)
    ]
    template = TAKEN_SQL + (TAKEN_RESOURCES_SQL if houses else "")
    # Identifiers come from the model's meta, quoted by the backend; values are parameters.
    sql = template.format(
        a=Names(Appointment, ops.quote_name),
        live=live,
        advisers=advisers,
        houses=resources,
    )
    params = [*by_status, *by_adviser, *window]
    if houses:
        params += [*by_status, *by_house, *window]
    return read_rows(using, sql, params, TAKEN_FIELDS)


class OfferCache:
    """What a search across houses offers (load_offers' result, without what is taken), kept
    OFFER_CACHE_SECONDS in the process per types query (its SQL and parameters) with the days
    it was read for (a search of other days reads afresh), and forgotten whole on any change
    of what it is made of (see AppointmentsConfig.ready)."""

    def __init__(self):
        self.entries: dict = {}

    def get(self, key, window: tuple[date, date], load):
        now = monotonic()
        hit = self.entries.get(key)
        if hit is not None and hit[0] > now and hit[1][0] <= window[0] and window[1] <= hit[1][1]:
            return hit[2]
        if len(self.entries) >= rules.OFFER_CACHE_SIZE:
            self.entries.clear()
        offers = load()
        self.entries[key] = (now + rules.OFFER_CACHE_SECONDS, window, offers)
        return offers

    def forget(self, **_signal):
        self.entries.clear()


offer_cache = OfferCache()


def searchable_offers(appointment_types, window: tuple[date, date]) -> Agenda:
    """The offers that can give a slot over the `window`'s days (a weekly opening, the
    resource they need): from the cache for a types query (the search across a département's
    houses), read afresh for types already in hand (the booking screen's one type)."""

    def load():
        return Agenda(
            [o for o in load_offers(appointment_types, window) if o.rules and o.check_resources()]
        )

    if not isinstance(appointment_types, QuerySet):
        return load()
    sql, params = appointment_types.query.sql_with_params()
    return offer_cache.get((appointment_types.db, sql, tuple(params)), window, load)


def next_free_slots(
    appointment_types,
    *,
    now: datetime,
    count: int | None = None,
    days: int = rules.SLOT_SEARCH_DAYS,
) -> list[tuple[AppointmentType, Slot]]:
    """The first `count` free slots (all of them when None) of several appointment types from
    `now` over `days` days, the earliest first: what the booking screen offers for one type and
    the API's search across a département's houses, loaded in a fixed number of queries
    (load_offers) whatever the number of houses. What is taken is read a week at a time, one
    query each; the days are then walked one by one in time order (Agenda), and the search
    stops at the slot that fills `count`."""
    agenda = searchable_offers(appointment_types, search_days(now, days))
    if not agenda.offers:
        return []
    found: list[tuple[AppointmentType, Slot]] = []
    step = rules.SLOT_SEARCH_STEP_DAYS
    for week in range(0, days, step):
        # One query for what is taken over the week (a day more for the time zones' sake),
        # then the days one by one, up to the slot that fills `count`.
        busy = Busy(
            taken(
                agenda.advisers,
                agenda.houses,
                max(now, now + timedelta(days=week - 1)),
                now + timedelta(days=week + step + 1),
            )
        )
        for offset in range(week, min(week + step, days)):
            for offer, slot in agenda.day(offset, now):
                if offer.is_free(slot, busy):
                    found.append((offer.type, slot))
                    if count is not None and len(found) >= count:
                        break
            if count is not None and len(found) >= count:
                break
        if count is not None and len(found) >= count:
            break
    found.sort(key=lambda pair: (*slot_order(pair[1]), pair[0].pk))
    return found if count is None else found[:count]


def free_slots(
    appointment_type: AppointmentType, *, now: datetime, days: int = rules.SLOT_SEARCH_DAYS
) -> list[Slot]:
    """The slots of the type still free from `now` over `days` days: the adviser is free and,
    in the house, the resource it needs (the office for a permanence, one of the video
    equipment for a video appointment)."""
    return [slot for _type, slot in next_free_slots([appointment_type], now=now, days=days)]


# --- indicators (issue 9 §8; charter commitment 5) ------------------------------------------------


@dataclass
class TypeFigures:
    """The appointments of one partner's type over a period, by status, and their rates."""

    partner: str
    subject: str
    location_type: str
    total: int = 0
    requested: int = 0
    confirmed: int = 0
    seen: int = 0
    no_show: int = 0
    excused: int = 0
    revoked: int = 0

    @property
    def location_label(self) -> str:
        return LocationType(self.location_type).label if self.location_type else ""

    @property
    def reached_confirmation(self) -> int:
        return self.confirmed + self.seen + self.no_show

    @property
    def confirmation_rate(self) -> float | None:
        """Share of the appointments the partner confirmed (whatever happened after)."""
        return rules.rate(self.reached_confirmation, self.total)

    @property
    def no_show_rate(self) -> float | None:
        """Share of the appointments that took place where the person did not come."""
        return rules.rate(self.no_show, self.seen + self.no_show)

    @property
    def cancellation_rate(self) -> float | None:
        """Share cancelled, by the person (excused) or by the partner (revoked)."""
        return rules.rate(self.excused + self.revoked, self.total)

    def add(self, other: "TypeFigures") -> None:
        for name in ("total", "requested", "confirmed", "seen", "no_show", "excused", "revoked"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class Indicators:
    rows: list[TypeFigures]
    by_partner: list[TypeFigures]
    overall: TypeFigures
    requests: int
    requests_with_appointment: int

    @property
    def appointment_share(self) -> float | None:
        """Commitment 5's signal: the house must not become a mere appointment desk. The share
        of its requests that ended in an appointment (the desk's outcome "appointment taken",
        or an appointment booked from the request)."""
        return rules.rate(self.requests_with_appointment, self.requests)


STATUS_NAMES = [s.value for s in AppointmentStatus]


def indicators(houses, start: datetime, end: datetime, *, partner_ids=None) -> Indicators:
    """The appointments' figures of `houses` (a queryset or list of house ids; None for the whole
    network) for appointments starting and requests made in [start, end), restricted to
    `partner_ids` when given (a referent sees only its organisation's). Two queries."""
    appointments = Appointment.objects.filter(start__gte=start, start__lt=end)
    requests = ServiceRequest.objects.filter(occurred_at__gte=start, occurred_at__lt=end)
    if houses is not None:
        appointments = appointments.filter(house__in=houses)
        requests = requests.filter(house__in=houses)
    if partner_ids is not None:
        appointments = appointments.filter(appointment_type__partnership__partner__in=partner_ids)
        requests = requests.filter(partner__in=partner_ids)
    counts = {name: Count("pk", filter=Q(status=name)) for name in STATUS_NAMES}
    grouped = (
        appointments.values(
            "appointment_type__partnership__partner__short_name",
            "appointment_type__subject",
            "appointment_type__location_type",
        )
        .annotate(total=Count("pk"), **counts)
        .order_by(
            "appointment_type__partnership__partner__short_name",
            "appointment_type__subject",
            "appointment_type__location_type",
        )
    )
    rows = [
        TypeFigures(
            partner=row["appointment_type__partnership__partner__short_name"],
            subject=row["appointment_type__subject"],
            location_type=row["appointment_type__location_type"],
            total=row["total"],
            **{name: row[name] for name in STATUS_NAMES},
        )
        for row in grouped
    ]
    partners: dict[str, TypeFigures] = {}
    overall = TypeFigures(partner="", subject="", location_type="")
    for row in rows:
        partners.setdefault(row.partner, TypeFigures(row.partner, "", "")).add(row)
        overall.add(row)
    share = requests.aggregate(
        total=Count("pk", distinct=True),
        booked=Count(
            "pk",
            filter=Q(outcome=Outcome.APPOINTMENT) | Q(appointments__isnull=False),
            distinct=True,
        ),
    )
    return Indicators(
        rows=rows,
        by_partner=list(partners.values()),
        overall=overall,
        requests=share["total"],
        requests_with_appointment=share["booked"],
    )
