"""Art. 6: a steering committee at least once a year; a count shown beyond the house is masked."""

from datetime import date

import pytest

from msap.committees import rules


@pytest.mark.parametrize(
    "last, today, overdue",
    [
        (None, date(2026, 3, 6), True),  # never held: due at once
        (date(2025, 3, 6), date(2026, 3, 6), False),  # exactly twelve months: still on time
        (date(2025, 3, 6), date(2026, 3, 7), True),
        (date(2024, 2, 29), date(2025, 2, 28), False),  # leap day: due on the 28th
        (date(2024, 2, 29), date(2025, 3, 1), True),
        (date(2025, 1, 31), date(2026, 1, 31), False),
    ],
)
def test_a_meeting_is_due_twelve_months_after_the_last_one_held(last, today, overdue):
    assert rules.meeting_overdue(last, today) is overdue


@pytest.mark.parametrize("count, shown", [(0, 0), (1, "< 5"), (4, "< 5"), (5, 5), (120, 120)])
def test_counts_under_five_are_masked_beyond_the_house(count, shown):
    assert rules.masked(count) == shown


@pytest.mark.parametrize(
    "recognised, today, overdue",
    [
        (date(2026, 1, 15), date(2026, 12, 1), False),  # recognised this year: its first is not due
        (date(2025, 12, 1), date(2026, 12, 1), False),  # exactly twelve months: still on time
        (date(2025, 11, 30), date(2026, 12, 1), True),
    ],
)
def test_a_house_that_never_met_is_due_twelve_months_after_its_recognition(
    recognised, today, overdue
):
    """Art. 6 runs from the convention on: a house recognised last month is not yet in default."""
    assert rules.meeting_overdue(None, today, since=recognised) is overdue
