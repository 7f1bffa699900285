"""Rules of the attendance tool. One rule, one place."""

from datetime import timedelta

from django.conf import settings
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from msap.lib.dates import CLOCK_DRIFT_TOLERANCE

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
FUTURE_TOLERANCE = CLOCK_DRIFT_TOLERANCE
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
