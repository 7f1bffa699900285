"""The reads of appointments that screens, the sends and the API share, scoped by msap.permissions."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, Q
from django.http import Http404
from django.utils.translation import gettext as _

from msap import permissions
from msap.appointments import rules
from msap.appointments.models import (
    LIVE,
    Adviser,
    Appointment,
    AppointmentStatus,
    AppointmentType,
    CalendarFeed,
    LocationType,
    SlotException,
)
from msap.desk.models import Outcome, ServiceRequest
from msap.lib.dates import holiday_name, timezone_for
from msap.network.hours import HouseCalendar
from msap.network.models import Equipment, EquipmentKind, Premises


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
    ).select_related("partnership__house__commune", "partnership__partner")
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


@dataclass(frozen=True)
class Slot:
    adviser: Adviser
    start: datetime
    end: datetime

    @property
    def value(self) -> str:
        """How a form posts it: the adviser and the start, in UTC ISO format."""
        return f"{self.adviser.pk}|{self.start.isoformat()}"


class Offer:
    """What one appointment type offers between two days, loaded in a few queries: the adviser's
    weekly openings minus their absences and the département's public holidays, minus the
    house's closures and outside its hours for an appointment in the house."""

    def __init__(self, appointment_type: AppointmentType):
        self.type = appointment_type
        house = appointment_type.partnership.house
        self.house = house
        self.dept = house.commune.departement_id
        self.tz = timezone_for(self.dept)
        self.calendar = HouseCalendar(house) if appointment_type.in_house else None
        self.rules = list(
            appointment_type.slot_rules.filter(adviser__active=True).select_related("adviser")
        )
        advisers = {r.adviser_id for r in self.rules}
        self.absences = set(
            SlotException.objects.filter(adviser_id__in=advisers).values_list("adviser_id", "day")
        )

    def closed_reason(self, day: date) -> str | None:
        """Why nothing is offered on `day` at all: a public holiday, or the house closed."""
        name = holiday_name(day, self.dept)
        if name:
            return _("le %(day)s est un jour férié (%(name)s)") % {
                "day": day.strftime("%d/%m/%Y"),
                "name": name,
            }
        if self.calendar:
            for closure in self.calendar.closures:
                if closure.start_date <= day <= closure.end_date:
                    return _("la maison est fermée le %(day)s (%(reason)s)") % {
                        "day": day.strftime("%d/%m/%Y"),
                        "reason": closure.reason,
                    }
        return None

    def slots_on(self, day: date) -> list[Slot]:
        if self.closed_reason(day):
            return []
        openings = self.calendar.openings_on(day) if self.calendar else None
        step = timedelta(minutes=self.type.duration_minutes)
        out = []
        for rule in self.rules:
            if rule.weekday != day.weekday() or day < rule.starts_on:
                continue
            if (rule.ends_on and day > rule.ends_on) or (rule.adviser_id, day) in self.absences:
                continue
            for start in rules.slot_starts(
                rule.start, rule.end, self.type.duration_minutes, day, self.tz
            ):
                if openings is None or rules.within(start, start + step, openings):
                    out.append(Slot(rule.adviser, start, start + step))
        return sorted(out, key=lambda s: (s.start, s.adviser.last_name))

    def check_resources(self) -> bool:
        """Whether the house has what the type books (the office for a permanence, video
        equipment for a video appointment); keeps the number of video equipment."""
        kind = self.type.location_type
        self.videos = video_equipment(self.house).count() if kind == LocationType.VIDEO else 0
        if kind == LocationType.VIDEO:
            return self.videos > 0
        if kind == LocationType.PERMANENCE:
            return office_of(self.house) is not None
        return True

    def candidates(self, first: date, days: int, now: datetime) -> list[Slot]:
        return [
            slot
            for offset in range(days)
            for slot in self.slots_on(first + timedelta(days=offset))
            if slot.start > now
        ]

    def is_free(self, slot: Slot, busy) -> bool:
        """Whether `slot` is free among `busy` (taken()'s rows): the adviser and, in the house,
        the resource it needs."""
        overlapping = [b for b in busy if b[3] < slot.end and b[4] > slot.start]
        if any(b[0] == slot.adviser.pk for b in overlapping):
            return False
        in_house = [b for b in overlapping if b[5] == self.house.pk]
        if self.type.location_type == LocationType.PERMANENCE:
            return not any(b[1] for b in in_house)
        if self.type.location_type == LocationType.VIDEO:
            return len({b[2] for b in in_house if b[2]}) < self.videos
        return True


def taken(adviser_ids, houses, start: datetime, end: datetime) -> list:
    """The live appointments between two instants that hold an adviser of `adviser_ids` or one
    of the shared resources of `houses` (the houses of the appointments in the house)."""
    holds = Q(adviser_id__in=adviser_ids)
    if houses:
        holds |= Q(house__in=houses, office__isnull=False) | Q(
            house__in=houses, equipment__isnull=False
        )
    return list(
        Appointment.objects.filter(LIVE, holds, start__lt=end, end__gt=start).values_list(
            "adviser_id", "office_id", "equipment_id", "start", "end", "house_id"
        )
    )


def next_free_slots(
    appointment_types,
    *,
    now: datetime,
    count: int | None = None,
    days: int = rules.SLOT_SEARCH_DAYS,
) -> list[tuple[AppointmentType, Slot]]:
    """The first `count` free slots (all of them when None) of several appointment types from
    `now` over `days` days, the earliest first: what the booking screen offers for one type and
    the API's search across a département's houses. The days are read a week at a time, with
    one query for what is taken, and the search stops at the week that fills `count`."""
    offers = [offer for t in appointment_types if (offer := Offer(t)).rules]
    offers = [offer for offer in offers if offer.check_resources()]
    if not offers:
        return []
    advisers = {r.adviser_id for offer in offers for r in offer.rules}
    houses = {offer.house.pk for offer in offers if offer.type.in_house}
    found: list[tuple[AppointmentType, Slot]] = []
    for week in range(0, days, rules.SLOT_SEARCH_STEP_DAYS):
        length = min(rules.SLOT_SEARCH_STEP_DAYS, days - week)
        candidates = [
            (offer, slot)
            for offer in offers
            for slot in offer.candidates(
                now.astimezone(offer.tz).date() + timedelta(days=week), length, now
            )
        ]
        if not candidates:
            continue
        busy = taken(
            advisers,
            houses,
            min(slot.start for _offer, slot in candidates),
            max(slot.end for _offer, slot in candidates),
        )
        found += [(offer.type, slot) for offer, slot in candidates if offer.is_free(slot, busy)]
        if count is not None and len(found) >= count:
            break
    found.sort(key=lambda pair: (pair[1].start, pair[1].adviser.last_name, pair[0].pk))
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
