"""The reads of appointments that screens, the sends and the API share, scoped by msap.permissions."""

import heapq
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from operator import itemgetter
from time import monotonic
from typing import NamedTuple

from django.db.models import (
    CharField,
    Count,
    DateField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TimeField,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext as _

from msap import permissions
from msap.appointments import rules
from msap.appointments.models import (
    HOLDS_RESOURCE,
    IN_HOUSE,
    LIVE,
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
    adviser: Adviser

    def receives_on(self, day: date, absences) -> bool:
        """Whether the opening holds on `day` of its weekday: within its dates, the adviser
        not absent that day."""
        return (
            self.starts_on <= day
            and not (self.ends_on and day > self.ends_on)
            and (self.adviser_id, day) not in absences
        )


# The weekly openings, the houses' hours and closures and the advisers' absences are read in
# one query (calendar_rows): one row shape for the four, the rule's first (every column typed,
# so that PostgreSQL types the others' empty ones alike). What each column holds:
#
#   kind     owner    adviser  weekday  start  end  first      last      text        text
#   rule     type     adviser  weekday  start  end  starts_on  ends_on   first name  last name
#   hours    house    -        weekday  start  end  -          -         -           -
#   closure  house    -        -        -      -    start_date end_date  reason      -
#   absence  adviser  -        -        -      -    day        -         -           -
#
# then, for a rule, its adviser's partnership and its own id (the order of its day's openings).
RULE, HOURS, CLOSURE, ABSENCE = "rule", "hours", "closure", "absence"


def _none(field) -> Value:
    return Value(None, output_field=field)


def calendar_rows(types, house_ids, window: tuple[date, date] | None):
    """The rows (see RULE) of the weekly openings of `types` by active advisers of their
    partnerships, the hours and closures of `house_ids` and the absences of those advisers —
    closures and absences over the `window`'s days only when given, else all — in one query."""
    partnerships = {t.partnership_id for t in types}
    integer, day, moment, text = IntegerField(), DateField(), TimeField(), CharField()
    rules_ = SlotRule.objects.filter(
        appointment_type_id__in=[t.pk for t in types],
        adviser__active=True,
        # Also lets the planner read the few advisers of these partnerships by their index,
        # not hash all of the network's.
        adviser__partnership_id__in=partnerships,
    ).values_list(
        Value(RULE),
        "appointment_type_id",
        "adviser_id",
        "weekday",
        "start",
        "end",
        "starts_on",
        "ends_on",
        "adviser__first_name",
        "adviser__last_name",
        "adviser__partnership_id",
        "pk",
    )
    hours = OpeningRange.objects.filter(house_id__in=house_ids).values_list(
        Value(HOURS),
        "house_id",
        _none(integer),
        "weekday",
        "start",
        "end",
        *[_none(f) for f in (day, day, text, text, integer, integer)],
    )
    closures = Closure.objects.filter(house_id__in=house_ids)
    absences = SlotException.objects.filter(adviser__partnership_id__in=partnerships)
    if window is not None:
        # Years of past closures and absences are never turned into rows (the closures read
        # by closure_house_end_idx, each adviser's absences by the adviser's index).
        first, last = window
        closures = closures.filter(end_date__gte=first, start_date__lte=last)
        absences = absences.filter(day__gte=first, day__lte=last)
    closures = closures.values_list(
        Value(CLOSURE),
        "house_id",
        *[_none(f) for f in (integer, integer, moment, moment)],
        "start_date",
        "end_date",
        "reason",
        *[_none(f) for f in (text, integer, integer)],
    )
    absences = absences.values_list(
        Value(ABSENCE),
        "adviser_id",
        *[_none(f) for f in (integer, integer, moment, moment)],
        "day",
        *[_none(f) for f in (day, text, text, integer, integer)],
    )
    parts = [q.order_by() for q in (rules_, hours, closures, absences)]
    return parts[0].union(*parts[1:], all=True)


def rules_of(types, rows) -> dict[int, list[Rule]]:
    """The weekly openings among calendar_rows' `rows` by type, each in its day's order, of
    the advisers of the type's own partnership (the only ones a booking accepts); each adviser
    made once."""
    partnership_of = {t.pk: t.partnership_id for t in types}
    advisers: dict[int, Adviser] = {}
    out: dict[int, list[Rule]] = {}
    rows = sorted((row for row in rows if row[0] == RULE), key=itemgetter(3, 4, 11))
    for _kind, type_id, adviser_id, *values, first_name, last_name, partnership, _pk in rows:
        if partnership != partnership_of[type_id]:
            continue
        adviser = advisers.get(adviser_id)
        if adviser is None:
            adviser = advisers[adviser_id] = Adviser(
                pk=adviser_id,
                partnership_id=partnership,
                first_name=first_name,
                last_name=last_name,
                active=True,
            )
        out.setdefault(type_id, []).append(Rule(adviser_id, *values, adviser))
    return out


def slot_order(slot) -> tuple:
    return (slot.start, slot.adviser.last_name, slot.adviser.pk)


# A weekday's openings are rows (wall-clock start, adviser's last name, adviser id, type id,
# rule, offer), sorted on their first four: slot_order, then the type (see Agenda).
ROW_ORDER = itemgetter(0, 1, 2, 3)


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
        self.weekly: dict[int, list[tuple[time, time]]] = {}
        for weekday, start, end in sorted(ranges):
            self.weekly.setdefault(weekday, []).append((start, end))
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


class Offer:
    """What one appointment type offers between two days: the adviser's weekly openings minus
    their absences and the département's public holidays, minus the house's closures and
    outside its hours for an appointment in the house."""

    def __init__(self, appointment_type: AppointmentType, *, preloaded: dict | None = None):
        """`preloaded` (from `preload`) holds what the offers of many types need, read at once
        (a search across houses, over its days); without it, the type's own is read here, over
        every day (a booking's check)."""
        if preloaded is None:
            preloaded = preload([appointment_type])
        self.type = appointment_type
        self.house_id = appointment_type.partnership.house_id
        self.dept = preloaded["depts"][appointment_type.pk]
        self.tz = timezone_for(self.dept)
        self.step = timedelta(minutes=appointment_type.duration_minutes)
        self.calendar: Hours | None = (
            preloaded["hours"][self.house_id] if appointment_type.in_house else None
        )
        self.rules = preloaded["rules"].get(appointment_type.pk, [])
        self.absences = preloaded["absences"]
        self.videos = preloaded["videos"].get(self.house_id, 0)
        self.has_office = self.house_id in preloaded["offices"]
        # Each weekday's openings with the starts they offer, made once (and once for all the
        # offers of a search with the same times): a day then only checks its dates, the
        # absences, the holidays and the closures.
        known = preloaded["starts"]
        self.weekly: dict[int, list[tuple[Rule, list[time]]]] = {}
        for rule in self.rules:
            hours = None
            if self.calendar is not None:
                hours = tuple(self.calendar.weekly.get(rule.weekday, ()))
            key = (rule.start, rule.end, appointment_type.duration_minutes, hours)
            starts = known.get(key)
            if starts is None:
                starts = known[key] = opening_starts(*key)
            self.weekly.setdefault(rule.weekday, []).append((rule, starts))

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
        kind = self.type.location_type
        if kind == LocationType.VIDEO:
            return self.videos > 0
        if kind == LocationType.PERMANENCE:
            return self.has_office
        return True

    def is_free(self, slot: Slot, busy: "Busy") -> bool:
        """Whether `slot` is free: the adviser and, in the house, the resource it needs."""
        if any(s < slot.end and e > slot.start for s, e in busy.advisers.get(slot.adviser.pk, ())):
            return False
        kind = self.type.location_type
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


class Busy:
    """What is taken over a window (taken()'s rows), by adviser and by house's resource."""

    def __init__(self, rows):
        self.advisers: dict[int, list] = {}
        self.houses: dict[int, list] = {}
        for adviser, office, equipment, start, end, house in rows:
            self.advisers.setdefault(adviser, []).append((start, end))
            if office or equipment:
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
        self.houses = {offer.house_id for offer in offers if offer.type.in_house}
        # Wall-clock order is time order within one time zone: the offers are walked by zone.
        self.zones: dict = {}
        for offer in offers:
            self.zones.setdefault(offer.tz, []).append(offer)
        self.weekdays: dict = {}

    def rows(self, tz, weekday: int) -> list[tuple]:
        rows = self.weekdays.get((tz, weekday))
        if rows is None:
            rows = sorted(
                (
                    (start, rule.adviser.last_name, rule.adviser_id, offer.type.pk, rule, offer)
                    for offer in self.zones[tz]
                    for rule, starts in offer.weekly.get(weekday, ())
                    for start in starts
                ),
                key=ROW_ORDER,
            )
            self.weekdays[(tz, weekday)] = rows
        return rows

    def walk(self, tz, day: date, after: datetime | None = None):
        """The (offer, slot) of the zone's offers on `day`, in time order, starting after
        `after` when given; made as they are read."""
        closed: dict[Offer, bool] = {}
        for start, _name, _pk, _kind, rule, offer in self.rows(tz, day.weekday()):
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
        return heapq.merge(*walks, key=lambda pair: (*slot_order(pair[1]), pair[0].type.pk))


def _video_equipment_count(house):
    return Coalesce(
        Subquery(
            Equipment.objects.filter(house=house, kind=EquipmentKind.VISIO, in_service=True)
            .order_by()
            .values("house")
            .annotate(n=Count("pk"))
            .values("n")
        ),
        0,
    )


def _has_office(house):
    return Exists(Premises.objects.filter(house=house, permanence_office=True))


def _type_house_resources() -> dict:
    """Each appointment type's house: its département, its video equipment in service, its
    permanence office."""
    house = OuterRef("partnership__house")
    return {
        "house_departement": F("partnership__house__commune__departement_id"),
        "house_videos": _video_equipment_count(house),
        "house_office": _has_office(house),
    }


def house_resources(house_ids) -> tuple[dict[int, int], set[int]]:
    """The video equipment in service and whether there is a permanence office, of each house,
    in one query (none without houses)."""
    videos: dict[int, int] = {}
    offices: set[int] = set()
    if house_ids:
        rows = (
            House.objects.filter(pk__in=house_ids)
            .annotate(
                videos=_video_equipment_count(OuterRef("pk")), office=_has_office(OuterRef("pk"))
            )
            .values_list("pk", "videos", "office")
        )
        for pk, count, office in rows:
            videos[pk] = count
            if office:
                offices.add(pk)
    return videos, offices


def search_days(now: datetime, days: int) -> tuple[date, date]:
    """The first and last days a search from `now` over `days` days may look at, in any
    house's time zone (a house's date is at most a day from the UTC one)."""
    today = now.astimezone(UTC).date()
    return today - timedelta(days=1), today + timedelta(days=days)


def preload(types, *, window: tuple[date, date] | None = None, resources=None) -> dict:
    """What the offers of `types` need, each kind read once for all of them whatever their
    number: the weekly openings with their advisers, the absences, the houses' hours and
    closures — the absences and closures of the `window`'s days only when given, else all —
    and, unless `resources` (département by type, video equipment and offices by house) came
    with the types, the houses' resources."""
    if resources is None:
        depts = {t.pk: t.partnership.house.commune.departement_id for t in types}
        videos, offices = house_resources({t.partnership.house_id for t in types if t.in_house})
    else:
        depts, videos, offices = resources
    house_dept = {t.partnership.house_id: depts[t.pk] for t in types if t.in_house}
    rows = list(calendar_rows(types, house_dept, window))
    weekly: dict[int, list] = {house: [] for house in house_dept}
    closed: dict[int, list] = {house: [] for house in house_dept}
    absences = set()
    for kind, owner, _adviser, weekday, start, end, first, last, reason, *_rest in rows:
        if kind == HOURS:
            weekly[owner].append((weekday, start, end))
        elif kind == CLOSURE:
            closed[owner].append((first, last, reason))
        elif kind == ABSENCE:
            absences.add((owner, first))
    return {
        "depts": depts,
        "rules": rules_of(types, rows),
        "starts": {},
        "absences": absences,
        "hours": {
            house: Hours(timezone_for(dept), weekly[house], closed[house])
            for house, dept in house_dept.items()
        },
        "videos": videos,
        "offices": offices,
    }


def load_offers(appointment_types, window: tuple[date, date] | None = None) -> list[Offer]:
    """The offers of many appointment types (a département's houses), in a fixed number of
    queries whatever their number (see preload), over the `window`'s days (all when None)."""
    resources = None
    if isinstance(appointment_types, QuerySet):
        # A types query also brings its houses' département and resources, in the same round
        # trip, and no house or commune is made of its rows.
        types = list(
            appointment_types.select_related(None)
            .select_related("partnership")
            .annotate(**_type_house_resources())
        )
        resources = (
            {t.pk: t.house_departement for t in types},
            {t.partnership.house_id: t.house_videos for t in types},
            {t.partnership.house_id for t in types if t.house_office},
        )
    else:
        types = list(appointment_types)
    if not types:
        return []
    preloaded = preload(types, window=window, resources=resources)
    return [Offer(t, preloaded=preloaded) for t in types]


def taken(adviser_ids, houses, start: datetime, end: datetime) -> list:
    """The live appointments between two instants that hold an adviser of `adviser_ids` or one
    of the shared resources of `houses` (the houses of the appointments in the house). An
    appointment lasts at most MAX_DURATION, so the start is bounded on both sides: the index
    range is the window, not every appointment before it."""
    holds = Q(adviser_id__in=adviser_ids)
    if houses:
        holds |= Q(house__in=houses) & HOLDS_RESOURCE
    return list(
        Appointment.objects.filter(
            LIVE,
            holds,
            start__gte=start - rules.MAX_DURATION,
            start__lt=end,
            end__gt=start,
        ).values_list("adviser_id", "office_id", "equipment_id", "start", "end", "house_id")
    )


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
