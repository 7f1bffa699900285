"""Rules of transmissions (saisines) to partners (annex 1 C, art. 4.4; issue 9 §5).

Where the seeds are silent, the numbers are those of the public tools of the field, each named.
Time limits are counted in working days of the house's département (msap.lib.dates: weekends
and its public holidays skipped), from the day the transmission was sent, not counting it.
"""

from datetime import date, datetime, timedelta

from msap.lib.dates import add_working_days, working_days_between

# Administration+: a transmission not taken in charge after 3 working days is late.
DEFAULT_TAKE_DAYS = 3
# Administration+: after 5 working days without answer an expert is added — here, the
# partnership's escalation contact is written to.
DEFAULT_ESCALATION_DAYS = 5
# Art. 4.4: the partner processes under its own norms and states its processing time; without
# one stated, msap's default (three working weeks), adjustable per partnership.
DEFAULT_RESOLVE_DAYS = 15
# Dora: a reminder to the partner every 10 days without answer.
DEFAULT_REMINDER_DAYS = 10
# Dora: a transmission left untouched 30 days expires; its attachments and the person's data go.
EXPIRY_DAYS = 30
# The limits a partnership may set (the settings' check constraints).
MAX_DAYS = 90

# "Due soon": at most this many working days left.
DUE_SOON_DAYS = 1

# Attachments: PDF, images, office documents; at most this many per message.
ATTACHMENT_TYPES = ("pdf", "png", "jpg", "docx", "xlsx", "odt", "ods")
MAX_ATTACHMENTS = 5

# The longest texts a form or the API accepts.
QUESTION_MAX_LENGTH = 5000
MESSAGE_MAX_LENGTH = 3000
# The longest a consent may run (the person may agree to less).
MAX_CONSENT_DAYS = 365

# Retries of a notification email: 1 min, 5 min, 25 min, then hourly, 8 tries in all.
MAX_SEND_ATTEMPTS = 8


class SlaState:
    ON_TIME = "on_time"
    DUE_SOON = "due_soon"
    LATE = "late"


def due_on(sent_day: date, days: int, departement_code: str) -> date:
    """The last day of a time limit of `days` working days from the day of sending."""
    return add_working_days(sent_day, days, departement_code)


def sla_state(today: date, due: date, departement_code: str) -> str:
    """On time, due soon (at most DUE_SOON_DAYS working days left) or late (past its last day)."""
    if today > due:
        return SlaState.LATE
    if working_days_between(today, due, departement_code) <= DUE_SOON_DAYS:
        return SlaState.DUE_SOON
    return SlaState.ON_TIME


def reminder_stage(waiting_since: datetime, now: datetime, every_days: int) -> int:
    """How many reminders are due after waiting since `waiting_since`: one per full period."""
    if every_days <= 0 or now <= waiting_since:
        return 0
    return (now - waiting_since) // timedelta(days=every_days)


def expiry_cutoff(now: datetime) -> datetime:
    """Untouched transmissions whose last change is strictly before this instant expire."""
    return now - timedelta(days=EXPIRY_DAYS)


def percentile(values: list[float], share: float) -> float | None:
    """The nearest-rank percentile (share in ]0, 1]) of `values`, None when empty: a value that
    was observed (the 90th percentile of ten delays is the ninth smallest)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-int(share * 100) * len(ordered) // 100))
    return ordered[rank - 1]
