"""Rules of the attendance tool. One rule, one place."""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# A request lasting more than a working day is an input error (issue "Bad input").
MIN_DURATION_MINUTES = 0
MAX_DURATION_MINUTES = 8 * 60
DURATION_MESSAGE = format_lazy(
    _("La durée doit être comprise entre {minimum} et {maximum} minutes ({hours} heures)."),
    minimum=MIN_DURATION_MINUTES,
    maximum=MAX_DURATION_MINUTES,
    hours=MAX_DURATION_MINUTES // 60,
)
MAX_GROUP_SIZE = 200
NOTES_MAX_LENGTH = 2000
# Shown next to the notes field: the attendance record is anonymous (art. 3.5, SPEC confidentiality).
NOTES_REMINDER = _(
    "N'écrivez ici aucune donnée personnelle (nom, numéro de dossier, santé…) : "
    "l'enregistrement de fréquentation est anonyme."
)


def edit_window() -> timedelta:
    """How long the author may edit or delete a request after recording it (configurable)."""
    return timedelta(hours=settings.MSAP_REQUEST_EDIT_WINDOW_HOURS)


def can_still_edit(request_obj, user, now) -> bool:
    return request_obj.agent_id == user.pk and now - request_obj.created_at <= edit_window()


def edit_window_passed_message() -> str:
    hours = int(edit_window().total_seconds() // 3600)
    return gettext(
        "Le délai de modification est dépassé : une demande se corrige dans les %(hours)s heures "
        "qui suivent son enregistrement."
    ) % {"hours": hours}


# --- the board's comparison (issue 15: a period in progress against the whole previous one read
# "−455" on 1 December) ------------------------------------------------------------------------------

WEEK, MONTH, YEAR = "semaine", "mois", "annee"  # the board's `periode` parameter


@dataclass(frozen=True)
class Comparison:
    """What the board counts and what it compares it with, both ends inclusive."""

    start: date
    end: date  # the period's last day, or today while the period is in progress
    previous_start: date
    previous_end: date  # the same elapsed part of the previous period
    in_progress: bool


def compared_span(kind: str, start: date, end: date, today: date) -> Comparison:
    """The board's comparison rule: a period compares with the same elapsed part of the previous
    one, so that 1–10 December is set against 1–10 November, not against all of November.

    - week: the previous week's same days (Monday–Wednesday against Monday–Wednesday);
    - month: the same days of the month, clamped to the previous month's length (1–30 March
      against 1–28 February, 1–31 March against 1–29 February in a leap year);
    - year: 1 January to the same date of the previous year (29 February clamped to the 28th);
    - a period that is over (or not begun) compares whole with the whole previous period.
    Today counts as elapsed: the board is read during the day.
    """
    if kind == WEEK:
        previous_start = start - timedelta(days=7)
    elif kind == MONTH:
        previous_start = (start - timedelta(days=1)).replace(day=1)
    elif kind == YEAR:
        previous_start = date(start.year - 1, 1, 1)
    else:
        raise ValueError(f"unknown period kind {kind!r}")
    previous_end = start - timedelta(days=1)
    if not start <= today < end:
        return Comparison(start, end, previous_start, previous_end, in_progress=False)
    if kind == WEEK:
        same = previous_start + (today - start)
    elif kind == MONTH:
        same = previous_start.replace(day=min(today.day, previous_end.day))
    else:
        last = calendar.monthrange(previous_start.year, today.month)[1]
        same = date(previous_start.year, today.month, min(today.day, last))
    return Comparison(start, today, previous_start, same, in_progress=True)
