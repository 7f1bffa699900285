"""Is a house open, and when does it next open: its time zone, its holidays, its closures."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine

from msap.lib.dates import next_working_day, timezone_for
from msap.network.hours import HouseCalendar, is_open_at, next_opening
from msap.network.models import Closure, OpeningRange
from tests import factories as f

PARIS = ZoneInfo("Europe/Paris")
REUNION = ZoneInfo("Indian/Reunion")

pytestmark = pytest.mark.django_db


def paris(*args) -> datetime:
    return datetime(*args, tzinfo=PARIS)


@pytest.fixture
def tulle():
    """A house in Corrèze open Monday to Friday, 9:00–12:00 and 14:00–16:30 (the factory's hours)."""
    return f.HouseFactory(commune=f.commune("19272"))


def test_house_is_open_on_tuesday_at_10_paris_time(tulle):
    """Commitment 1: the published hours say the house is open on Tuesday morning."""
    assert is_open_at(tulle, paris(2026, 3, 10, 10, 0))


def test_house_is_closed_at_lunch_time_and_next_opens_at_14(tulle):
    """Commitment 1: at 12:30 the house is closed and reopens at 14:00 the same day."""
    instant = paris(2026, 3, 10, 12, 30)
    assert not is_open_at(tulle, instant)
    opening = next_opening(tulle, instant)
    assert opening.start == paris(2026, 3, 10, 14, 0)
    assert opening.end == paris(2026, 3, 10, 16, 30)


def test_next_opening_while_open_is_the_current_range(tulle):
    """Commitment 1: while open, "next opening" is the range the visitor is in."""
    opening = next_opening(tulle, paris(2026, 3, 10, 10, 0))
    assert opening.start == paris(2026, 3, 10, 9, 0)


def test_range_end_is_exclusive(tulle):
    """Commitment 1: at 12:00 sharp the morning range is over."""
    assert is_open_at(tulle, paris(2026, 3, 10, 11, 59))
    assert not is_open_at(tulle, paris(2026, 3, 10, 12, 0))


def test_instant_in_utc_is_read_in_the_house_time_zone(tulle):
    """Commitment 1: 08:30 UTC in March is 09:30 in Tulle, so the house is open."""
    assert is_open_at(tulle, datetime(2026, 3, 10, 8, 30, tzinfo=UTC))
    assert not is_open_at(tulle, datetime(2026, 3, 10, 7, 30, tzinfo=UTC))


def test_closed_on_1_may_and_next_opening_is_the_next_working_day(tulle):
    """Public holidays: 1 May 2026 (a Friday) is closed; the house reopens on Monday 4 May."""
    instant = paris(2026, 5, 1, 10, 0)
    assert not is_open_at(tulle, instant)
    assert HouseCalendar(tulle).closed_reason(date(2026, 5, 1)) == "jour férié (Fête du Travail)"
    assert next_opening(tulle, instant).start == paris(2026, 5, 4, 9, 0)


def test_closed_on_14_july_and_next_opening_is_the_next_day(tulle):
    """Public holidays: 14 July 2026 (a Tuesday) is closed; the house reopens on Wednesday 15."""
    instant = paris(2026, 7, 14, 10, 0)
    assert not is_open_at(tulle, instant)
    assert next_opening(tulle, instant).start == paris(2026, 7, 15, 9, 0)


def test_26_december_is_closed_in_moselle_but_open_in_correze(tulle):
    """Alsace-Moselle: 26 December (Friday in 2025) is a holiday in Metz, not in Tulle."""
    metz = f.HouseFactory(commune=f.commune("57463"))
    instant = paris(2025, 12, 26, 10, 0)
    assert not is_open_at(metz, instant)
    assert next_opening(metz, instant).start == paris(2025, 12, 29, 9, 0)
    assert is_open_at(tulle, instant)


def test_house_in_la_reunion_is_evaluated_in_reunion_time(tulle):
    """Overseas: 10:00 in Saint-Denis (07:00 in Paris) is open there, while Tulle is not yet open."""
    saint_denis = f.HouseFactory(commune=f.commune("97411"))
    instant = datetime(2026, 3, 10, 10, 0, tzinfo=REUNION)
    assert instant.astimezone(PARIS).hour == 7
    assert is_open_at(saint_denis, instant)
    assert not is_open_at(tulle, instant)
    # 8:30 in Réunion is before opening; the next one is 9:00 Réunion time (06:00 Paris).
    opening = next_opening(saint_denis, datetime(2026, 3, 10, 8, 30, tzinfo=REUNION))
    assert opening.start == datetime(2026, 3, 10, 9, 0, tzinfo=REUNION)
    assert opening.start.astimezone(PARIS) == paris(2026, 3, 10, 6, 0)


def test_20_december_abolition_of_slavery_is_closed_in_la_reunion(tulle):
    """Overseas holidays: 20 December (Friday in 2024) is a holiday in La Réunion only."""
    saint_denis = f.HouseFactory(commune=f.commune("97411"))
    instant = datetime(2024, 12, 20, 10, 0, tzinfo=REUNION)
    assert not is_open_at(saint_denis, instant)
    assert "esclavage" in HouseCalendar(saint_denis).closed_reason(date(2024, 12, 20))
    assert next_opening(saint_denis, instant).start == datetime(2024, 12, 23, 9, 0, tzinfo=REUNION)
    assert is_open_at(tulle, paris(2024, 12, 20, 10, 0))


def test_exceptional_closure_closes_the_house_and_next_opening_skips_it(tulle):
    """Commitment 1: an exceptional closure is published and the next opening comes after it."""
    Closure.objects.create(
        house=tulle,
        start_date=date(2026, 3, 10),
        end_date=date(2026, 3, 11),
        reason="Formation de l'équipe",
    )
    instant = paris(2026, 3, 10, 10, 0)
    assert not is_open_at(tulle, instant)
    assert HouseCalendar(tulle).closed_reason(date(2026, 3, 11)) == "Formation de l'équipe"
    assert next_opening(tulle, instant).start == paris(2026, 3, 12, 9, 0)


def test_next_opening_over_the_march_dst_change(tulle):
    """Time zone: over the last weekend of March 2026 the next opening is Monday 9:00 summer time."""
    opening = next_opening(tulle, paris(2026, 3, 28, 12, 0))
    assert opening.start == paris(2026, 3, 30, 9, 0)
    assert opening.start == datetime(2026, 3, 30, 7, 0, tzinfo=UTC)


def test_next_opening_over_the_october_dst_change(tulle):
    """Time zone: over the last weekend of October 2026 the next opening is Monday 9:00 winter time."""
    opening = next_opening(tulle, paris(2026, 10, 24, 18, 0))
    assert opening.start == paris(2026, 10, 26, 9, 0)
    assert opening.start == datetime(2026, 10, 26, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("day", "utc_hour"),
    [(date(2026, 3, 29), 7), (date(2026, 10, 25), 8)],
    ids=["march-change", "october-change"],
)
def test_sunday_opening_on_the_dst_change_day_has_the_right_offset(tulle, day, utc_hour):
    """Time zone: a Sunday range on the day the clocks change opens at 9:00 local time."""
    OpeningRange.objects.create(house=tulle, weekday=6, start=time(9), end=time(12))
    opening = next_opening(tulle, datetime.combine(day, time(0, 30), tzinfo=PARIS))
    assert opening.start == datetime.combine(day, time(utc_hour), tzinfo=UTC)
    assert is_open_at(tulle, datetime.combine(day, time(utc_hour, 30), tzinfo=UTC))


def test_house_without_hours_has_no_next_opening():
    """Commitment 1: a house with no published hours never opens, and saying so does not fail."""
    house = f.HouseFactory(with_defaults=False)
    assert next_opening(house, paris(2026, 3, 10, 10, 0)) is None


def test_open_now_with_the_clock_frozen(tulle):
    """Commitment 1: "open now" computed at the current time (Tuesday 10 March 2026, 10:00 Paris)."""
    with time_machine.travel(paris(2026, 3, 10, 10, 0), tick=False):
        from django.utils import timezone

        assert is_open_at(tulle, timezone.now())
        assert next_opening(tulle, timezone.now()).end == paris(2026, 3, 10, 12, 0)


# --- working days of a département (msap.lib.dates) ----------------------------------------


@pytest.mark.parametrize(
    ("day", "departement", "expected"),
    [
        (date(2026, 5, 1), "19", date(2026, 5, 4)),  # Friday 1 May, then the weekend
        (date(2025, 12, 26), "57", date(2025, 12, 29)),  # Saint-Étienne in Moselle
        (date(2025, 12, 26), "19", date(2025, 12, 26)),  # an ordinary Friday in Corrèze
        (date(2026, 4, 3), "67", date(2026, 4, 7)),  # Good Friday in Alsace, then Easter Monday
        (date(2024, 12, 20), "974", date(2024, 12, 23)),  # abolition of slavery in La Réunion
        (date(2026, 3, 10), "19", date(2026, 3, 10)),  # a working day is its own next one
    ],
)
def test_next_working_day_follows_the_departement_holidays(day, departement, expected):
    """Deadlines: the next working day skips weekends and the département's own public holidays."""
    assert next_working_day(day, departement) == expected


def test_overseas_departements_have_their_own_time_zone():
    """Overseas: La Réunion, Mayotte, the Antilles and Guyane compute in their own time zone."""
    assert timezone_for("974") == REUNION
    assert timezone_for("971").key == "America/Guadeloupe"
    assert timezone_for("19") == PARIS
