"""The plausible window of every date a person or a system gives (msap.core.rules)."""

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from msap.core import rules

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "moment",
    [
        datetime(1, 1, 1),
        datetime(1, 1, 1, tzinfo=UTC),
        datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=14))),
        datetime(2000, 4, 11, 23, 59, tzinfo=UTC),
    ],
)
def test_nothing_happened_before_the_law_that_created_the_houses(moment):
    assert "loi n° 2000-321" in rules.moment_error(moment, now=NOW)


@pytest.mark.parametrize(
    "moment",
    [
        datetime(9999, 12, 31, 23, 59),
        datetime(9999, 12, 31, 23, 59, tzinfo=timezone(timedelta(hours=-12))),
        NOW + rules.FUTURE_TOLERANCE + timedelta(seconds=1),
    ],
)
def test_what_happened_is_not_in_the_future_beyond_the_clock_drift(moment):
    assert rules.moment_error(moment, now=NOW, future="Pas demain.") == "Pas demain."


@pytest.mark.parametrize(
    "moment", [datetime(2000, 4, 12, tzinfo=UTC), NOW + rules.FUTURE_TOLERANCE, NOW]
)
def test_the_window_includes_its_bounds(moment):
    assert rules.moment_error(moment, now=NOW) is None


def test_a_day_asked_for_may_lie_ahead_up_to_the_horizon():
    today = date(2026, 2, 28)
    assert rules.day_error(date(2036, 2, 28), today=today) is None
    assert "10 ans" in rules.day_error(date(2036, 3, 1), today=today)
    assert "10 ans" in rules.day_error(date(9999, 12, 31), today=today)
    assert "loi n° 2000-321" in rules.day_error(date(1, 1, 1), today=today)
    assert rules.latest_day(date(2028, 2, 29)) == date(2038, 2, 28)  # no 29 February in 2038
