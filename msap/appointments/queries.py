"""The reads of appointments that screens, the sends and the API share, scoped by msap.permissions."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Q
from django.utils.translation import gettext as _

from msap import permissions
from msap.appointments import rules
from msap.appointments.models import (
    LIVE,
    Adviser,
    Appointment,
    AppointmentType,
    LocationType,
    SlotException,
)
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


def taken(adviser_ids, house, start: datetime, end: datetime, *, in_house: bool) -> list:
    """The live appointments between two instants that hold an adviser of `adviser_ids` or,
    for an appointment in the house, one of the house's shared resources."""
    holds = Q(adviser_id__in=adviser_ids)
    if in_house:
        holds |= Q(house=house, office__isnull=False) | Q(house=house, equipment__isnull=False)
    return list(
        Appointment.objects.filter(LIVE, holds, start__lt=end, end__gt=start).values_list(
            "adviser_id", "office_id", "equipment_id", "start", "end"
        )
    )


def free_slots(
    appointment_type: AppointmentType, *, now: datetime, days: int = rules.SLOT_SEARCH_DAYS
) -> list[Slot]:
    """The slots of the type still free from `now` over `days` days: the adviser is free and,
    in the house, the resource it needs (the office for a permanence, one of the video
    equipment for a video appointment)."""
    offer = Offer(appointment_type)
    if not offer.rules:
        return []
    first = now.astimezone(offer.tz).date()
    candidates = [
        slot
        for offset in range(days)
        for slot in offer.slots_on(first + timedelta(days=offset))
        if slot.start > now
    ]
    if not candidates:
        return []
    busy = taken(
        {r.adviser_id for r in offer.rules},
        offer.house,
        candidates[0].start,
        candidates[-1].end,
        in_house=appointment_type.in_house,
    )
    kind = appointment_type.location_type
    videos = video_equipment(offer.house).count() if kind == LocationType.VIDEO else 0
    if (kind == LocationType.VIDEO and not videos) or (
        kind == LocationType.PERMANENCE and office_of(offer.house) is None
    ):
        return []

    def free(slot: Slot) -> bool:
        overlapping = [b for b in busy if b[3] < slot.end and b[4] > slot.start]
        if any(b[0] == slot.adviser.pk for b in overlapping):
            return False
        if appointment_type.location_type == LocationType.PERMANENCE:
            return not any(b[1] for b in overlapping)
        if appointment_type.location_type == LocationType.VIDEO:
            return len({b[2] for b in overlapping if b[2]}) < videos
        return True

    return [slot for slot in candidates if free(slot)]
