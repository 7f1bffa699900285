"""Answer deadlines of the quality charter (commitments 11–14). One rule, one place.

Counting convention (applied everywhere, by `due_date` only):
- A deadline counts from the **local date of receipt** in the house's time zone (overseas
  houses use theirs). The day of receipt is day 0.
- "1 month" ends on the same date of the next month, clamped to that month's last day
  (31 January → 28 February, or 29 in a leap year; 31 March → 30 April). "1 week" ends 7 days later.
- A deadline whose last day is a Saturday, a Sunday or a public holiday of the house's
  département (Alsace-Moselle and overseas included) moves to the next working day, as French
  procedural deadlines do (code de procédure civile, art. 642).
- The item is due at the **end** of that last day, 23:59:59 local time, stored in UTC. DST
  changes are handled by computing in local time and converting once.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.utils.translation import gettext_lazy as _

from msap.lib.dates import (
    add_months,
    end_of_day,
    next_working_day,
    timezone_for,
)


@dataclass(frozen=True)
class DeadlineRule:
    code: str
    label: str
    months: int = 0
    days: int = 0
    article: str = ""


# Commitment 11: postal mail answered within one month.
MAIL_ONE_MONTH = DeadlineRule(
    "mail_1_month", _("Courrier : réponse sous un mois"), months=1, article=_("engagement 11")
)
# Commitment 12: emails answered within one week.
EMAIL_ONE_WEEK = DeadlineRule(
    "email_1_week", _("Courriel : réponse sous une semaine"), days=7, article=_("engagement 12")
)
# Commitment 13: a call that reached the voicemail is called back within one week.
CALLBACK_ONE_WEEK = DeadlineRule(
    "callback_1_week", _("Appel : rappel sous une semaine"), days=7, article=_("engagement 13")
)
# Commitment 14: complaints answered on substance within one month, when a postal address is given.
COMPLAINT_ONE_MONTH = DeadlineRule(
    "complaint_1_month",
    _("Réclamation : réponse sur le fond sous un mois"),
    months=1,
    article=_("engagement 14"),
)

RULES = {
    r.code: r for r in (MAIL_ONE_MONTH, EMAIL_ONE_WEEK, CALLBACK_ONE_WEEK, COMPLAINT_ONE_MONTH)
}

# The status graph of a register item (charter commitments 11–14): new → in progress → answered,
# redirected to the competent referent, or exempt from an answer → closed. An answered item may be
# closed; a closed one is final. Over the codes of models.Status (declared on RegisterItem).
TRANSITIONS = {
    "new": {"in_progress", "answered", "redirected", "exempt", "closed"},
    "in_progress": {"answered", "redirected", "exempt", "new"},
    "answered": {"closed"},
    "redirected": {"closed"},
    "exempt": {"closed"},
    "closed": set(),
}
# Commitment 13: the phone outcomes (models.PhoneOutcome) that owe a call back.
CALLBACK_OUTCOMES = {"voicemail", "out_of_hours"}
# Registers (models.Kind) whose items never owe an answer by a deadline of their own: an outgoing
# letter is itself an answer; a suggestion (commitment 15) is read, not answered by a date.
NO_DEADLINE_KINDS = {"mail_out", "suggestion"}


def rule_for(
    kind: str, *, phone_outcome: str = "", sender_address: str = ""
) -> DeadlineRule | None:
    """The charter deadline that applies to a new item of register `kind`, or None when none applies."""
    if kind == "mail_in":
        return MAIL_ONE_MONTH
    if kind == "email":
        return EMAIL_ONE_WEEK
    if kind == "phone":
        # Commitment 13: a call taken within 5 rings is answered; a voicemail is called back
        # within a week. We apply the same week to messages left out of hours: the charter only
        # requires the out-of-hours voicemail to give the hours, but a message left is a request.
        return CALLBACK_ONE_WEEK if phone_outcome in CALLBACK_OUTCOMES else None
    if kind == "complaint":
        # Commitment 14: one month "dans la mesure où vous avez précisé vos coordonnées postales".
        return COMPLAINT_ONE_MONTH if sender_address.strip() else None
    return None


# How many days before its deadline an item shows as "due soon".
DUE_SOON_DAYS = 3


def due_date(rule: DeadlineRule, received_at: datetime, departement_code: str) -> datetime:
    """The instant (aware, UTC) an item received at `received_at` must be answered by."""
    tz = timezone_for(departement_code)
    received_day = received_at.astimezone(tz).date()
    last_day = add_months(received_day, rule.months) + timedelta(days=rule.days)
    last_day = next_working_day(last_day, departement_code)
    return end_of_day(last_day, tz).astimezone(UTC)
