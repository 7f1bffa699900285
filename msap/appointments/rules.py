"""Rules of appointments with partners (charter commitment 5, annex 1 B3, art. 4.4)."""

from datetime import date, datetime, time, timedelta

# Issue 9 §4 (the practice of RDV Service Public): a reminder 48 hours before, unless the
# partner states another delay.
DEFAULT_REMINDER_HOURS = 48
# The longest delay a partner may state (two weeks; the settings' check constraint).
MAX_REMINDER_HOURS = 336
MAX_REMINDER_DELAY = timedelta(hours=MAX_REMINDER_HOURS)

# SPEC "Confidentiality": the person's name and contact serve the appointment only. They are
# blanked this many days after its end (time to note a no-show or send a follow-up), whatever
# its status.
PERSONAL_DATA_DAYS = 30

# How far ahead the booking screen looks for free slots, and how far ahead one may book.
SLOT_SEARCH_DAYS = 21
# The free-slot search reads this many days at a time (one query for what is taken each).
SLOT_SEARCH_STEP_DAYS = 7
# A type lasts at most this long (the appointment_type_duration_range constraint), and so does
# an appointment (its end is its start plus its type's duration): what is taken over a window
# began at most this long before it, which bounds the index range of that read from both sides.
MAX_DURATION = timedelta(minutes=240)
# The search across a département's houses keeps what they offer (types, weekly openings,
# absences, hours, closures, resources) this long in the process, forgotten at once on any
# change saved in it. What is taken is read afresh each time, and a booking re-reads the offer
# and locks it: a stale search can only offer a slot the booking then refuses, in French.
OFFER_CACHE_SECONDS = 60
OFFER_CACHE_SIZE = 256
BOOKING_HORIZON_DAYS = 365

# The purge works in batches so that one run never holds a long transaction.
PURGE_BATCH_SIZE = 500


def personal_data_cutoff(now: datetime) -> datetime:
    """Appointments that ended strictly before this instant lose the person's name and contact."""
    return now - timedelta(days=PERSONAL_DATA_DAYS)


def reminder_due_at(start: datetime, reminder_hours: int) -> datetime:
    return start - timedelta(hours=reminder_hours)


def slot_starts(rule_start: time, rule_end: time, duration_minutes: int, day: date, tz):
    """The starts of the appointments a weekly opening offers on `day`: from its start, one
    after the other, each ending by the opening's end."""
    step = timedelta(minutes=duration_minutes)
    start = datetime.combine(day, rule_start, tzinfo=tz)
    end = datetime.combine(day, rule_end, tzinfo=tz)
    while start + step <= end:
        yield start
        start += step


def within(start: datetime, end: datetime, openings) -> bool:
    """Whether [start, end) lies inside one of the openings (objects with .start and .end)."""
    return any(o.start <= start and end <= o.end for o in openings)


# Sends of the sheet and the reminder (tasks of the queue): attempts before a message is given up,
# and the wait before each retry (1 min, then ×5, at most an hour). The reminder is worth
# nothing after the start, which ends the retries anyway.
MESSAGE_ATTEMPTS = 5
RETRY_FIRST_SECONDS = 60
RETRY_FACTOR = 5
RETRY_CAP_SECONDS = 3600
# How long a task holds a message while it sends; a worker that died frees it after this.
MESSAGE_LEASE = timedelta(minutes=5)


# Overseas mobile numbers dial with their own country code (ARCEP's numbering plan).
OVERSEAS_MOBILE_CODES = {
    "0639": "+262",  # Mayotte
    "0690": "+590",  # Guadeloupe, Saint-Martin, Saint-Barthélemy
    "0691": "+590",
    "0692": "+262",  # La Réunion
    "0693": "+262",
    "0694": "+594",  # Guyane
    "0696": "+596",  # Martinique
    "0697": "+596",
}


def sms_number(phone: str) -> str | None:
    """The person's number in international form when it is a French mobile (06 or 07, +33 6/7,
    overseas ones with their own country code), the only numbers a text message reaches; None
    otherwise (a landline: the messages go by email only)."""
    digits = "".join(c for c in phone if c.isdigit() or c == "+")
    for prefix in ("+33", "0033"):
        if digits.startswith(prefix):
            digits = "0" + digits[len(prefix) :]
    if len(digits) != 10 or not digits.isdigit() or digits[:2] not in ("06", "07"):
        return None
    code = OVERSEAS_MOBILE_CODES.get(digits[:4], "+33")
    return code + digits[1:]


# Private calendar feeds (issue 9 §4): what a feed lists, from this many days back (so that a
# calendar sees a recent cancellation) to every appointment ahead; and its secret's length
# (32 random bytes, URL-safe: unguessable, the only key of an address a calendar polls).
FEED_PAST_DAYS = 30
FEED_TOKEN_BYTES = 32


def rate(part: int, whole: int) -> float | None:
    """A share in percent, one decimal; None when there is nothing to divide (shown as "—", not
    as a misleading 0 %)."""
    return round(100 * part / whole, 1) if whole else None
