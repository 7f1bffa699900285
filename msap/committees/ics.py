"""The calendar file (RFC 5545) of a committee meeting: one VEVENT whose UID is stable per meeting
and whose SEQUENCE is its version, so that a calendar updates the event it already holds, as the
appointments' files do (appointments/sheet.py)."""

from datetime import timedelta

from django.utils import translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from msap.committees.models import Meeting, MeetingStatus


def render_ics(meeting: Meeting) -> bytes:
    with translation.override("fr"):
        calendar = Calendar()
        calendar.add("prodid", "-//msap//comité de pilotage France Services//FR")
        calendar.add("version", "2.0")
        cancelled = meeting.status == MeetingStatus.CANCELLED
        calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
        event = Event()
        event.add("uid", f"comite-{meeting.pk}@msap")
        event.add("sequence", meeting.version)
        event.add("dtstamp", meeting.created_at)
        event.add("dtstart", meeting.starts_at)
        event.add("dtend", meeting.starts_at + timedelta(minutes=meeting.duration_minutes))
        event.add("summary", _("Comité de pilotage — %(house)s") % {"house": meeting.house.name})
        event.add("location", meeting.place)
        event.add("description", description(meeting))
        event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        calendar.add_component(event)
        return calendar.to_ical()


def description(meeting: Meeting) -> str:
    """The agenda, numbered, as the invitation and the calendar event give it."""
    lines = [_("Ordre du jour :")]
    points = list(meeting.agenda.all())
    lines += [f"{i}. {p.title}" for i, p in enumerate(points, 1)] or [_("(à préciser)")]
    return "\n".join(lines)
