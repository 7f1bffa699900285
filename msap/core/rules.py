"""Rules every domain shares, each cited to its source: when a date a person or a system gives
is plausible.

Every date that reaches msap (an API body or filter, a form, the board's or a register's query
string) is checked here before any arithmetic: year 1 or year 9999 is a typing or a fuzzing
mistake, and left unchecked it overflows a time-zone conversion (a 500) or is stored for ever
(an item "overdue" since the year 1).
"""

from datetime import UTC, date, datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from msap.lib.dates import CLOCK_DRIFT_TOLERANCE

# The maisons de services publics were created by loi n° 2000-321 du 12 avril 2000, art. 27:
# nothing the network records (a request, a register item, a partnership, an imported history)
# happened before.
EARLIEST_DAY = date(2000, 4, 12)
# Something that happened (a request, a receipt, an answer) is never in the future, beyond the
# drift of a counter PC's clock.
FUTURE_TOLERANCE = CLOCK_DRIFT_TOLERANCE
# A day asked for or planned (a list filter, the board's reference day, a closure, a due date, an
# end of function) may lie ahead, but not beyond ten years: later is a typing mistake (9999).
DAY_HORIZON_YEARS = 10


def too_old_message() -> str:
    return _(
        "Date trop ancienne : rien n'est antérieur au 12 avril 2000, création des maisons de "
        "services publics (loi n° 2000-321, art. 27)."
    )


def future_message() -> str:
    return _("La date ne peut pas être dans le futur.")


def too_far_message() -> str:
    return _("Date trop lointaine : au plus %(years)s ans après aujourd'hui.") % {
        "years": DAY_HORIZON_YEARS
    }


def latest_day(today: date | None = None) -> date:
    today = today or timezone.localdate()
    return today.replace(year=today.year + DAY_HORIZON_YEARS, day=min(today.day, 28))


def moment_error(
    moment: datetime, *, now: datetime | None = None, future: str | None = None
) -> str | None:
    """Why an instant given as past (a request, a receipt, an answer) is implausible, else None.

    Safe at the edges of the calendar: no conversion is made before the bounds are checked.
    `future` replaces the generic message for an instant ahead of the clock.
    """
    if moment.date() < EARLIEST_DAY:  # its own wall-clock day, no conversion
        return too_old_message()
    now = now or timezone.now()
    try:
        ahead = (
            moment.astimezone(UTC) if timezone.is_aware(moment) else moment.replace(tzinfo=UTC)
        ) > now + FUTURE_TOLERANCE
    except OverflowError:  # 9999-12-31 with a negative offset: beyond any clock
        ahead = True
    return (future or future_message()) if ahead else None


def day_error(day: date, *, today: date | None = None) -> str | None:
    """Why a day asked for or planned is implausible, else None (see DAY_HORIZON_YEARS)."""
    if day < EARLIEST_DAY:
        return too_old_message()
    if day > latest_day(today):
        return too_far_message()
    return None


# --- the same rules as form validators -----------------------------------------------------------


def validate_moment(value: datetime) -> None:
    """Form validator for a date and time (DateTimeField(validators=[…])): its day in the window.

    Only the calendar's bounds: the future is refused by the service, in the house's own zone
    (a form reads the time in the server's zone before the house's is applied).
    """
    validate_day(value.date())


def validate_day(value: date) -> None:
    """Form validator for a day asked for or planned (DateField(validators=[…]))."""
    message = day_error(value)
    if message:
        raise ValidationError(message, code="implausible_date")
