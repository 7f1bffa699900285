"""Dates and public holidays for France, metropolitan, Alsace-Moselle and overseas, and the
calendar arithmetic every domain shares (calendar months, a local day's bounds)."""

import calendar
import operator
from datetime import date, datetime, time, timedelta
from functools import lru_cache, reduce
from zoneinfo import ZoneInfo

import holidays
from django.db.models import Q
from django.utils.translation import get_language

# Overseas départements live in their own time zone; deadlines and opening hours are computed there.
OVERSEAS_TIMEZONES = {
    "971": "America/Guadeloupe",
    "972": "America/Martinique",
    "973": "America/Cayenne",
    "974": "Indian/Reunion",
    "976": "Indian/Mayotte",
    # Collectivités d'outre-mer where France Services sites exist (INSEE codes them 975, 977, 978).
    "975": "America/Miquelon",
    "977": "America/St_Barthelemy",
    "978": "America/Marigot",
}
# Subdivision codes of the `holidays` package for départements with extra public holidays.
HOLIDAY_SUBDIVISIONS = {
    "57": "57",  # Moselle: Good Friday and 26 December
    "67": "6AE",  # Bas-Rhin (Alsace)
    "68": "6AE",  # Haut-Rhin (Alsace)
    "971": "971",
    "972": "972",
    "973": "973",
    "974": "974",
    "976": "976",
    "975": "PM",  # Saint-Pierre-et-Miquelon
    "977": "BL",  # Saint-Barthélemy: 9 October, abolition of slavery
    "978": "MF",  # Saint-Martin: 28 May, abolition of slavery, and 21 July, Victor Schœlcher
}

# Counter PCs' clocks drift: an instant a few minutes ahead is accepted, beyond is "in the future".
CLOCK_DRIFT_TOLERANCE = timedelta(minutes=5)

# The French names the letters and the rules write, whatever the reader's language.
FRENCH_WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
FRENCH_MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]


@lru_cache(maxsize=256)
def _holidays(subdivision: str | None, year: int, language: str) -> dict[date, str]:
    return dict(holidays.France(subdiv=subdivision, years=year, language=language))


def public_holidays(departement_code: str, year: int) -> dict[date, str]:
    """Public holidays of a département for a year: {date: name} (Moselle/Alsace and overseas
    included), named in the interface's language."""
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


def add_working_days(day: date, count: int, departement_code: str) -> date:
    """The `count`-th working day after `day` (`day` itself not counted, whatever it is): a
    time limit of 3 working days from a Friday falls on the Wednesday."""
    while count > 0:
        day += timedelta(days=1)
        if is_working_day(day, departement_code):
            count -= 1
    return day


def working_days_between(first: date, last: date, departement_code: str) -> int:
    """The working days after `first` up to `last` included (0 when `last` is not after it):
    what `add_working_days` counts, so that working_days_between(d, add_working_days(d, n)) = n."""
    count, day = 0, first
    while day < last:
        day += timedelta(days=1)
        count += is_working_day(day, departement_code)
    return count


def timezone_for(departement_code: str) -> ZoneInfo:
    return ZoneInfo(OVERSEAS_TIMEZONES.get(departement_code, "Europe/Paris"))


def local_days_q(field: str, departement: str, first: date | None, last: date | None) -> Q:
    """The lookups of the rows whose instant `field` falls from day `first` to day `last`
    (inclusive, either may be None), each row's days counted in the time zone of its
    département (the lookup path `departement`, e.g. "house__commune__departement_id"): a
    house's days are its own, overseas included, whatever the server's time zone."""
    clauses = []
    for zone in sorted({"Europe/Paris", *OVERSEAS_TIMEZONES.values()}):
        codes = [code for code, name in OVERSEAS_TIMEZONES.items() if name == zone]
        where = (
            Q(**{f"{departement}__in": codes})
            if codes
            else ~Q(**{f"{departement}__in": list(OVERSEAS_TIMEZONES)})
        )
        tz = ZoneInfo(zone)
        if first is not None:
            where &= Q(**{f"{field}__gte": datetime.combine(first, time.min, tz)})
        if last is not None:
            where &= Q(**{f"{field}__lt": datetime.combine(last + timedelta(days=1), time.min, tz)})
        clauses.append(where)
    return reduce(operator.or_, clauses)


def local(instant: datetime, departement_code: str) -> datetime:
    return instant.astimezone(timezone_for(departement_code))


def today_in(tz: ZoneInfo, now: datetime | None = None) -> date:
    """The calendar day it is in `tz` at `now` (aware; the clock when omitted)."""
    return (now or datetime.now(tz)).astimezone(tz).date()


# --- calendar arithmetic ------------------------------------------------------------------------


def add_months[D: (date, datetime)](day: D, months: int) -> D:
    """`day` moved by `months` calendar months (negative: back), the day clamped to the month's
    last (31 January + 1 month = 28 or 29 February); a datetime keeps its time and zone."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def month_start(day: date) -> date:
    """The first day of `day`'s month."""
    return day.replace(day=1)


def day_bounds(day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """A local day as a half-open range [start, end) of aware instants: midnight to the next
    midnight in `tz`, 23 or 25 hours long on a daylight-saving day."""
    start = datetime.combine(day, time.min, tzinfo=tz)
    return start, datetime.combine(day + timedelta(days=1), time.min, tzinfo=tz)


def days_bounds(first: date, last: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """Several local days, `first` to `last` inclusive, as one half-open range of instants."""
    return day_bounds(first, tz)[0], day_bounds(last, tz)[1]


def month_bounds(day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """The local calendar month holding `day`, as a half-open range of aware instants."""
    start = month_start(day)
    return day_bounds(start, tz)[0], day_bounds(add_months(start, 1), tz)[0]


def end_of_day(day: date, tz: ZoneInfo) -> datetime:
    """The last second of a local day (23:59:59 in `tz`): a deadline falls due at the end of
    its last day."""
    return datetime.combine(day, time(23, 59, 59), tzinfo=tz)
