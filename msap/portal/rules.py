"""The rules of the partner portal (issue 9, item 6), in one place."""

from datetime import datetime, timedelta

from msap.transmissions import rules as transmission_rules

# Dora: a partner answers a transmission through a signed link valid as long as the
# transmission may stay untouched before it expires (30 days).
TRANSMISSION_LINK_DAYS = transmission_rules.EXPIRY_DAYS
# An appointment's link serves until the appointment starts, and never longer than this.
APPOINTMENT_LINK_DAYS = 30
# The figures of the portal look back this far.
FIGURES_DAYS = 365


def appointment_link_expiry(now: datetime, start: datetime) -> datetime:
    return min(start, now + timedelta(days=APPOINTMENT_LINK_DAYS))


def transmission_link_expiry(now: datetime) -> datetime:
    return now + timedelta(days=TRANSMISSION_LINK_DAYS)
