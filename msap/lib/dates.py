"""Dates and public holidays for France, metropolitan, Alsace-Moselle and overseas."""

from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

from msap.territory.models import HOLIDAY_SUBDIVISIONS, OVERSEAS_TIMEZONES

# Counter PCs' clocks drift: an instant a few minutes ahead is accepted, beyond is "in the future".
CLOCK_DRIFT_TOLERANCE = timedelta(minutes=5)

FRENCH_WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]


@lru_cache(maxsize=256)
def _holidays(subdivision: str | None, year: int, language: str) -> dict[date, str]:
    return dict(holidays.France(subdiv=subdivision, years=year, language=language))


def public_holidays(departement_code: str, year: int) -> dict[date, str]:
    """Public holidays of a département for a year: {date: name} (Moselle/Alsace and overseas
    included), named in the interface's language."""
    from django.utils.translation import get_language

    language = "en_US" if (get_language() or "fr").startswith("en") else "fr"
    return _holidays(HOLIDAY_SUBDIVISIONS.get(departement_code), year, language)


def holiday_name(day: date, departement_code: str) -> str | None:
    return public_holidays(departement_code, day.year).get(day)


def is_working_day(day: date, departement_code: str) -> bool:
    """Monday to Friday and not a public holiday of the département."""
    return day.weekday() < 5 and holiday_name(day, departement_code) is None


def next_working_day(day: date, departement_code: str) -> date:
    """`day` itself when it is a working day, else the next one."""
    while not is_working_day(day, departement_code):
        day += timedelta(days=1)
    return day


def timezone_for(departement_code: str) -> ZoneInfo:
    return ZoneInfo(OVERSEAS_TIMEZONES.get(departement_code, "Europe/Paris"))


def local(instant: datetime, departement_code: str) -> datetime:
    return instant.astimezone(timezone_for(departement_code))
