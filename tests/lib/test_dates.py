"""Calendar arithmetic of msap.lib.dates: calendar months with the end-of-month clamp, a local
day's bounds (daylight-saving days included), the end of a local day, holidays by département."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from msap.lib import dates

PARIS = ZoneInfo("Europe/Paris")
REUNION = ZoneInfo("Indian/Reunion")
GUADELOUPE = ZoneInfo("America/Guadeloupe")


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),  # clamped to February's end
        (date(2028, 1, 31), 1, date(2028, 2, 29)),  # leap year
        (date(2026, 3, 31), 1, date(2026, 4, 30)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),  # across the year
        (date(2026, 1, 15), -1, date(2025, 12, 15)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2026, 1, 31), 23, date(2027, 12, 31)),
        (date(2026, 1, 31), -23, date(2024, 2, 29)),
        (date(2026, 5, 10), 0, date(2026, 5, 10)),
    ],
)
def test_add_months_counts_calendar_months_clamped_to_the_months_end(day, months, expected):
    assert dates.add_months(day, months) == expected


def test_add_months_keeps_a_datetimes_time_and_zone():
    instant = datetime(2026, 1, 31, 10, 30, tzinfo=PARIS)
    moved = dates.add_months(instant, 1)
    assert moved == datetime(2026, 2, 28, 10, 30, tzinfo=PARIS)
    assert moved.tzinfo is PARIS


def test_month_bounds_are_the_local_first_days_of_this_month_and_the_next():
    start, end = dates.month_bounds(date(2026, 12, 17), REUNION)
    assert start == datetime(2026, 12, 1, tzinfo=REUNION)
    assert end == datetime(2027, 1, 1, tzinfo=REUNION)
    assert start.astimezone(UTC) == datetime(2026, 11, 30, 20, tzinfo=UTC)


def test_a_local_day_runs_from_midnight_to_the_next_midnight_in_its_zone():
    start, end = dates.day_bounds(date(2026, 3, 9), GUADELOUPE)
    assert start.astimezone(UTC) == datetime(2026, 3, 9, 4, tzinfo=UTC)
    assert end.astimezone(UTC) == datetime(2026, 3, 10, 4, tzinfo=UTC)


def test_the_spring_daylight_saving_day_lasts_23_hours_and_the_autumn_one_25():
    start, end = dates.day_bounds(date(2026, 3, 29), PARIS)  # clocks go forward at 02:00
    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=23)
    start, end = dates.day_bounds(date(2026, 10, 25), PARIS)  # and back at 03:00
    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=25)


def test_days_bounds_span_first_to_last_day_inclusive():
    start, end = dates.days_bounds(date(2026, 3, 23), date(2026, 3, 29), PARIS)
    assert start == datetime(2026, 3, 23, tzinfo=PARIS)
    assert end == datetime(2026, 3, 30, tzinfo=PARIS)


def test_the_end_of_a_local_day_is_its_last_second_there():
    end = dates.end_of_day(date(2026, 2, 28), REUNION)
    assert end.astimezone(UTC) == datetime(2026, 2, 28, 19, 59, 59, tzinfo=UTC)
    assert dates.end_of_day(date(2026, 3, 29), PARIS).utcoffset() == timedelta(hours=2)


def test_today_is_the_day_of_the_given_zone():
    instant = datetime(2026, 3, 10, 1, 0, tzinfo=UTC)
    assert dates.today_in(PARIS, instant) == date(2026, 3, 10)
    assert dates.today_in(GUADELOUPE, instant) == date(2026, 3, 9)


def test_overseas_departements_have_their_own_zone_the_others_paris():
    assert dates.timezone_for("974") == REUNION
    assert dates.timezone_for("971") == GUADELOUPE
    assert dates.timezone_for("19") == PARIS
    assert dates.local(datetime(2026, 3, 9, 21, tzinfo=UTC), "974").date() == date(2026, 3, 10)


def test_moselle_and_overseas_holidays_are_working_days_elsewhere():
    good_friday = date(2026, 4, 3)
    assert dates.holiday_name(good_friday, "57") is not None
    assert dates.is_working_day(good_friday, "19")
    abolition = date(2025, 12, 19)  # a Friday; La Réunion's abolition day is the 20th
    assert dates.is_working_day(abolition, "974")
    assert dates.holiday_name(date(2026, 12, 20), "974") is not None
    assert dates.holiday_name(date(2026, 12, 20), "19") is None


def test_next_working_day_skips_weekends_and_holidays():
    assert dates.next_working_day(date(2026, 2, 28), "19") == date(2026, 3, 2)  # Saturday
    assert dates.next_working_day(date(2026, 5, 1), "19") == date(2026, 5, 4)  # Friday, 1 May
    assert dates.next_working_day(date(2026, 3, 2), "19") == date(2026, 3, 2)


@pytest.mark.parametrize(
    ("start", "count", "dept", "expected"),
    [
        # A Friday + 3 working days: Monday, Tuesday, Wednesday.
        (date(2026, 3, 6), 3, "19", date(2026, 3, 11)),
        # Easter Monday 2026 (6 April) is not counted.
        (date(2026, 4, 3), 1, "19", date(2026, 4, 7)),
        # Good Friday is a holiday in Moselle only (then Easter Monday everywhere).
        (date(2026, 4, 2), 1, "57", date(2026, 4, 7)),
        (date(2026, 4, 2), 1, "19", date(2026, 4, 3)),
        # Martinique's abolition of slavery (Friday 22 May), then Whit Monday.
        (date(2026, 5, 21), 1, "972", date(2026, 5, 26)),
        (date(2026, 5, 21), 1, "19", date(2026, 5, 22)),
    ],
)
def test_working_days_skip_weekends_and_the_departements_holidays(start, count, dept, expected):
    assert dates.add_working_days(start, count, dept) == expected
    assert dates.working_days_between(start, expected, dept) == count


def test_no_working_day_passes_before_the_start_or_on_the_same_day():
    day = date(2026, 3, 4)
    assert dates.working_days_between(day, day, "19") == 0
    assert dates.working_days_between(day, day - timedelta(days=3), "19") == 0
    # A weekend counts nothing.
    assert dates.working_days_between(date(2026, 3, 6), date(2026, 3, 8), "19") == 0
