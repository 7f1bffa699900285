"""The steering committee's rules (convention-cadre, art. 6), each cited to its article."""

from datetime import date

from msap.lib.dates import add_months

# Art. 6: "se réunissent en comité de pilotage au minimum une fois par an": a house whose last
# meeting held is older than this (or that never held one) is flagged and its managers reminded.
MONTHS_BETWEEN_MEETINGS = 12
# Art. 6: the committee's members are the signatories (the gestionnaire and the partners), the
# prefect's representative, and the departmental cell (art. 8), which is invited.
# Minutes and other texts: a page of minutes is long, but not a book.
TEXT_MAX_LENGTH = 20_000
TITLE_MAX_LENGTH = 300
# The minutes as a file: the types the house's other evidence is accepted in.
MINUTES_TYPES = ("pdf", "docx", "odt")
# Figures shown beyond the house (the departmental review, read by the prefecture and the
# partners): a count under this threshold is masked, so that nobody recognises a person from a
# small group (charter of the MSP: the observation function shares anonymised, aggregated signals).
SMALL_COUNT = 5


def next_meeting_due(last_held: date | None, since: date | None = None) -> date | None:
    """The day by which the next meeting is due (art. 6: at least once a year): twelve months
    after the last one held, or, for a house that never held one, after its recognition (`since`:
    the committee meets from the convention on); None when neither is known (due at once)."""
    start = last_held or since
    return None if start is None else add_months(start, MONTHS_BETWEEN_MEETINGS)


def meeting_overdue(last_held: date | None, today: date, since: date | None = None) -> bool:
    """True when the house has had no meeting for MONTHS_BETWEEN_MEETINGS months (art. 6); a day
    exactly twelve months after the last meeting (or the recognition) is still on time."""
    due = next_meeting_due(last_held, since)
    return due is None or today > due


def masked(count: int) -> int | str:
    """A count shown beyond the house: "< 5" under SMALL_COUNT (zero is shown: it tells nothing)."""
    return f"< {SMALL_COUNT}" if 0 < count < SMALL_COUNT else count
