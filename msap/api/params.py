"""Checks of query parameters shared by the API's lists, before any arithmetic on them."""

import datetime

from django.db.models import Q
from django.utils.translation import gettext as _

from msap.core import rules
from msap.lib.dates import local_days_q


def period_errors(
    date_from: datetime.date | None, date_to: datetime.date | None
) -> dict[str, list[str]]:
    """The French refusals of a list's period: each day in the plausible window (core.rules),
    the end not before the start. Empty when the period is usable."""
    errors: dict[str, list[str]] = {}
    for name, day in (("date_from", date_from), ("date_to", date_to)):
        if day is not None and (problem := rules.day_error(day)):
            errors[name] = [problem]
    if not errors and date_from and date_to and date_from > date_to:
        errors["date_to"] = [_("La date de fin précède la date de début.")]
    return errors


def house_days_q(field: str, date_from: datetime.date | None, date_to: datetime.date | None) -> Q:
    """The rows of a list's period: the instant `field` of a house's record within the days
    asked, counted in that house's time zone (overseas houses have theirs)."""
    return local_days_q(field, "house__commune__departement_id", date_from, date_to)
