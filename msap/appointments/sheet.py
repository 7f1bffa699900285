"""The preparation sheet of an appointment (charter commitment 5): place, time, the adviser's
name, the contact to use, the documents to bring. A printable PDF (WeasyPrint) and an ICS file.

The contact is a public one: the house's own phone and email for an appointment in the house,
the partner's public contact otherwise. Never a referent's direct line or email (annex 2).
"""

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from msap.appointments.models import (
    Appointment,
    AppointmentStatus,
    LocationType,
    PartnerAppointmentSettings,
)
from msap.lib.dates import timezone_for
from msap.registers.letters import french_date, french_time


@dataclass
class Sheet:
    title: str
    partner: str
    day: str
    time: str
    duration: int
    place: str
    place_lines: list[str]
    adviser: str
    contacts: list[str]
    documents: list[str]
    processing_days: int | None
    cancelled: bool


def _public_contact(partner) -> str:
    settings = PartnerAppointmentSettings.objects.filter(partner=partner).first()
    return (settings.public_contact if settings else "") or partner.website


def sheet_for(appointment: Appointment) -> Sheet:
    """What the sheet says, in French (the person reads it, whatever the agent's language)."""
    kind = appointment.appointment_type
    partner = kind.partnership.partner
    house = appointment.house
    local = appointment.start.astimezone(timezone_for(house.commune.departement_id))
    names = {"partner": partner.short_name}
    house_lines = [house.name, house.address]
    if house.address_extra:
        house_lines.append(house.address_extra)
    house_lines.append(f"{house.postal_code} {house.commune.name}")
    if kind.location_type == LocationType.PARTNER_OFFICE:
        place, lines = _("Dans les locaux de %(partner)s") % names, [kind.partner_address]
    elif kind.location_type == LocationType.PHONE:
        place = _("Par téléphone")
        lines = [_("Le conseiller vous appelle au numéro donné à la maison.")]
    elif kind.location_type == LocationType.VIDEO:
        place, lines = _("En visioconférence, depuis la maison France Services"), house_lines
    else:
        place = _("Permanence de %(partner)s à la maison France Services") % names
        lines = house_lines
    contacts = []
    public = _public_contact(partner)
    if public:
        contacts.append(f"{partner.short_name} : {public}")
    house_contact = " — ".join(c for c in (house.phone, house.email) if c)
    if house_contact:
        contacts.append(f"{house.name} : {house_contact}")
    return Sheet(
        title=kind.subject,
        partner=f"{partner.name} ({partner.short_name})",
        day=french_date(local.date(), weekday=True),
        time=french_time(local.time()),
        duration=kind.duration_minutes,
        place=place,
        place_lines=[line for line in lines if line],
        adviser=appointment.adviser.full_name,
        contacts=contacts,
        documents=[d.label for d in kind.documents.all()],
        processing_days=kind.processing_days,
        cancelled=appointment.status in (AppointmentStatus.EXCUSED, AppointmentStatus.REVOKED),
    )


def render_pdf(appointment: Appointment) -> bytes:
    from weasyprint import HTML

    # The person reads it in French, whatever language the agent's screen uses.
    with translation.override("fr"):
        html = render_to_string(
            "appointments/sheet_pdf.html",
            {"sheet": sheet_for(appointment), "appointment": appointment},
        )
    return HTML(string=html).write_pdf()


ICS_STATUS = {
    AppointmentStatus.REQUESTED: "TENTATIVE",
    AppointmentStatus.CONFIRMED: "CONFIRMED",
    AppointmentStatus.SEEN: "CONFIRMED",
    AppointmentStatus.NO_SHOW: "CONFIRMED",
    AppointmentStatus.EXCUSED: "CANCELLED",
    AppointmentStatus.REVOKED: "CANCELLED",
}


def render_ics(appointment: Appointment) -> bytes:
    """One VEVENT, its UID stable per appointment and its SEQUENCE its version, so that a
    calendar updates (or cancels) the event it already holds."""
    with translation.override("fr"):
        return _ics(appointment, sheet_for(appointment))


def _ics(appointment: Appointment, sheet: Sheet) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//msap//rendez-vous France Services//FR")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if sheet.cancelled else "PUBLISH")
    event = Event()
    event.add("uid", f"rendez-vous-{appointment.pk}@msap")
    event.add("sequence", appointment.version)
    event.add("dtstamp", appointment.created_at)
    event.add("dtstart", appointment.start)
    event.add("dtend", appointment.end)
    event.add(
        "summary",
        _("Rendez-vous %(partner)s : %(subject)s")
        % {"partner": sheet.partner, "subject": sheet.title},
    )
    event.add("location", ", ".join([sheet.place, *sheet.place_lines]))
    description = [_("Avec : %(adviser)s") % {"adviser": sheet.adviser}, *sheet.contacts]
    if sheet.documents:
        description.append(
            _("Documents à apporter : %(list)s") % {"list": ", ".join(sheet.documents)}
        )
    event.add("description", "\n".join(description))
    event.add("status", ICS_STATUS[appointment.status])
    calendar.add_component(event)
    return calendar.to_ical()


# --- the private calendar feeds of agents and advisers --------------------------------------------


def render_feed(feed, appointments, *, detail_url) -> bytes:
    """The feed (RFC 5545) of an agent or an adviser: one VEVENT per appointment, the same UID
    and SEQUENCE as the appointment's own ICS file, so a calendar that imported it updates it.

    Minimal personal data (SPEC "Confidentiality"): a feed address lives in a calendar
    application, often a third party's (Google, Microsoft), and is polled without login. It
    carries the partner, the subject, the place, the status and the appointment's number — what
    an agent or an adviser needs to plan their day — and never the person's name, email or
    phone, which stay behind msap's login (`detail_url(appointment)`, for an agent's feed)."""
    calendar = Calendar()
    calendar.add("prodid", "-//msap//agenda privé France Services//FR")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    with translation.override("fr"):
        name = (
            _("Rendez-vous de %(adviser)s") % {"adviser": feed.adviser.full_name}
            if feed.adviser_id
            else _("Mes rendez-vous France Services")
        )
        calendar.add("x-wr-calname", name)
        for appointment in appointments:
            kind = appointment.appointment_type
            event = Event()
            event.add("uid", f"rendez-vous-{appointment.pk}@msap")
            event.add("sequence", appointment.version)
            event.add("dtstamp", appointment.status_changed_at or appointment.created_at)
            event.add("dtstart", appointment.start)
            event.add("dtend", appointment.end)
            event.add(
                "summary",
                _("%(partner)s : %(subject)s (rendez-vous n° %(number)s)")
                % {
                    "partner": kind.partnership.partner.short_name,
                    "subject": kind.subject,
                    "number": appointment.pk,
                },
            )
            event.add("location", _feed_place(appointment))
            lines = [AppointmentStatus(appointment.status).label]
            if not feed.adviser_id:
                lines.append(detail_url(appointment))
                event.add("url", detail_url(appointment))
            event.add("description", "\n".join(str(line) for line in lines))
            event.add("status", ICS_STATUS[appointment.status])
            calendar.add_component(event)
    return calendar.to_ical()


def _feed_place(appointment: Appointment) -> str:
    kind = appointment.appointment_type
    house = appointment.house
    if kind.location_type == LocationType.PARTNER_OFFICE:
        return kind.partner_address
    if kind.location_type == LocationType.PHONE:
        return str(LocationType.PHONE.label)
    return f"{house.name}, {house.address}, {house.postal_code} {house.commune.name}"
