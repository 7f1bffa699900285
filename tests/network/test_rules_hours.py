"""The opening rule of art. 3.2 (24 h a week over 3 days), substantial changes, and art. 3.3's minimum."""

import random
from datetime import time
from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from msap.network import rules
from msap.network.rules import Range, check_schedule, is_substantial_change, missing_minimum

FAST = settings(max_examples=150, deadline=None)


def t(hhmm: str) -> time:
    return time.fromisoformat(hhmm)


def r(day: int, start: str, end: str) -> Range:
    return Range(day, t(start), t(end))


def week(days=range(5), ranges=(("09:00", "12:00"), ("14:00", "17:00"))) -> list[Range]:
    return [r(d, s, e) for d in days for s, e in ranges]


# --- check_schedule ------------------------------------------------------------------------


def test_exactly_24_hours_over_3_days_is_accepted():
    """Art. 3.2: 24 hours a week over 3 days is the minimum, and it is enough."""
    check = check_schedule([r(0, "08:00", "16:00"), r(2, "08:00", "16:00"), r(4, "08:00", "16:00")])
    assert check.ok
    assert check.errors == []
    assert check.weekly_minutes == 24 * 60
    assert check.open_days == 3
    assert check.weekly_label == "24 h"


def test_23_hours_59_is_refused_saying_what_is_missing():
    """Art. 3.2: under 24 hours is refused and the message says one minute is missing."""
    check = check_schedule([r(0, "08:00", "16:00"), r(2, "08:00", "16:00"), r(4, "08:00", "15:59")])
    assert not check.ok
    assert check.weekly_minutes == 24 * 60 - 1
    assert len(check.errors) == 1
    message = check.errors[0]
    assert "au moins 24 heures" in message
    assert "23 h 59 prévues" in message
    assert "il manque 0 h 01" in message
    assert "article 3.2" in message


def test_30_hours_over_2_days_is_refused_for_lack_of_days():
    """Art. 3.2: the hours must be spread over at least 3 days."""
    check = check_schedule([r(0, "07:00", "22:00"), r(1, "07:00", "22:00")])
    assert not check.ok
    assert check.weekly_minutes == 30 * 60
    assert check.open_days == 2
    assert len(check.errors) == 1
    assert "au moins 3 jours" in check.errors[0]
    assert "2 jours prévus" in check.errors[0]


def test_one_open_day_is_reported_in_the_singular():
    """Art. 3.2: the message about days reads correctly in French for a single day."""
    check = check_schedule([r(3, "00:00", "23:59")])
    assert any("1 jour prévu." in e for e in check.errors)


def test_empty_schedule_is_refused_with_both_rules():
    """Art. 3.2: a house without hours meets neither the 24 hours nor the 3 days."""
    check = check_schedule([])
    assert not check.ok
    assert check.weekly_minutes == 0
    assert any("il manque 24 h" in e for e in check.errors)
    assert any("0 jour" in e for e in check.errors)


def test_overlapping_ranges_are_refused_naming_the_day():
    """Art. 3.2: a schedule whose ranges overlap is refused; the message names the day."""
    check = check_schedule([*week(), r(1, "11:00", "15:00")])
    assert not check.ok
    assert "Mardi : les plages 09:00–12:00 et 11:00–15:00 se chevauchent." in check.errors
    assert "Mardi : les plages 11:00–15:00 et 14:00–17:00 se chevauchent." in check.errors
    assert all(e.startswith("Mardi") for e in check.errors if "chevauchent" in e)


def test_two_ranges_starting_at_the_same_time_overlap():
    """Art. 3.2: the same range entered twice is an overlap, not extra hours."""
    check = check_schedule([*week(), r(0, "09:00", "12:00")])
    assert any(e.startswith("Lundi : les plages") and "chevauchent" in e for e in check.errors)


def test_touching_ranges_do_not_overlap():
    """Art. 3.2: 9:00–12:00 then 12:00–17:00 is a continuous opening, not an overlap."""
    check = check_schedule(week(ranges=(("09:00", "12:00"), ("12:00", "17:00"))))
    assert check.ok
    assert check.weekly_minutes == 5 * 8 * 60


def test_range_ending_before_it_starts_is_refused_naming_the_day():
    """Art. 3.2: an end before the start is refused with a French message naming the day."""
    check = check_schedule([*week(), r(5, "12:00", "09:00")])
    assert not check.ok
    assert (
        "Samedi : l'heure de fin (09:00) doit être après l'heure de début (12:00)." in check.errors
    )
    # The bad range counts for nothing.
    assert check.weekly_minutes == 5 * 6 * 60


def test_empty_range_is_refused_and_does_not_count_as_an_open_day():
    """Art. 3.2: a range that ends when it starts opens nothing (not even a day)."""
    check = check_schedule([r(0, "08:00", "20:00"), r(1, "08:00", "20:00"), r(2, "09:00", "09:00")])
    assert not check.ok
    assert check.open_days == 2
    assert any(e.startswith("Mercredi : l'heure de fin") for e in check.errors)


def test_range_shorter_than_a_minute_does_not_make_an_open_day():
    """Art. 3.2: a few seconds of "opening" cannot turn a 2-day week into a 3-day one."""
    check = check_schedule(
        [r(0, "08:00", "20:00"), r(1, "08:00", "20:00"), Range(2, time(9, 0), time(9, 0, 30))]
    )
    assert not check.ok
    assert check.open_days == 2


def test_unknown_weekday_is_refused():
    """Art. 3.2: a range on a day that is not Monday–Sunday is refused, not counted."""
    check = check_schedule([*week(), Range(7, t("09:00"), t("12:00"))])
    assert not check.ok
    assert "Jour inconnu." in check.errors
    assert check.weekly_minutes == 5 * 6 * 60


# --- properties -----------------------------------------------------------------------------

minutes_of_day = st.integers(min_value=0, max_value=23 * 60 + 59)


def _time(minutes: int) -> time:
    return time(minutes // 60, minutes % 60)


@st.composite
def valid_schedules(draw):
    """Non-overlapping valid ranges: per day, sorted distinct cut points paired up."""
    ranges = []
    for day in range(7):
        cuts = sorted(draw(st.sets(minutes_of_day, max_size=6)))
        if len(cuts) % 2:
            cuts = cuts[:-1]
        for start, end in zip(cuts[::2], cuts[1::2], strict=True):
            ranges.append(Range(day, _time(start), _time(end)))
    return ranges


any_range = st.builds(
    Range,
    weekday=st.integers(min_value=0, max_value=6),
    start=st.times(),
    end=st.times(),
)


@FAST
@given(valid_schedules())
def test_property_valid_schedule_is_accepted_exactly_when_24_hours_over_3_days(ranges):
    """Art. 3.2: for non-overlapping ranges, the verdict is exactly "≥ 24 h and ≥ 3 days"."""
    check = check_schedule(ranges)
    total = sum(x.minutes for x in ranges)
    days = len({x.weekday for x in ranges})
    assert check.ok == (total >= rules.MIN_WEEKLY_MINUTES and days >= rules.MIN_OPEN_DAYS)


@FAST
@given(valid_schedules())
def test_property_weekly_minutes_is_the_sum_of_the_ranges(ranges):
    """Art. 3.2: the weekly total shown to the manager is the sum of the ranges."""
    check = check_schedule(ranges)
    assert check.weekly_minutes == sum(x.minutes for x in ranges)
    assert check.weekly_minutes == rules.weekly_minutes(ranges)
    assert check.open_days == len({x.weekday for x in ranges})


@FAST
@given(st.lists(any_range, max_size=20))
def test_property_check_never_raises_on_arbitrary_input(ranges):
    """Art. 3.2: any input gets a verdict with French messages, never an exception."""
    check = check_schedule(ranges)
    assert isinstance(check.ok, bool)
    assert all(isinstance(e, str) and e for e in check.errors)
    assert check.weekly_minutes >= 0
    assert 0 <= check.open_days <= 7


@FAST
@given(st.lists(any_range, max_size=20), st.randoms(use_true_random=False))
def test_property_order_of_ranges_does_not_change_the_verdict(ranges, rnd):
    """Art. 3.2: the verdict depends on the schedule, not on the order it was typed in."""
    shuffled = list(ranges)
    rnd.shuffle(shuffled)
    a, b = check_schedule(ranges), check_schedule(shuffled)
    assert (a.ok, a.weekly_minutes, a.open_days, sorted(a.errors)) == (
        b.ok,
        b.weekly_minutes,
        b.open_days,
        sorted(b.errors),
    )


@FAST
@given(valid_schedules())
def test_property_a_schedule_is_never_a_substantial_change_of_itself(ranges):
    """Art. 3.2: saving the same hours again informs nobody."""
    shuffled = list(ranges)
    random.Random(0).shuffle(shuffled)
    assert not is_substantial_change(ranges, shuffled)


# --- is_substantial_change ------------------------------------------------------------------


def test_identical_schedule_is_not_a_substantial_change():
    """Art. 3.2: no change, nobody to inform."""
    assert not is_substantial_change(week(), week())


def test_start_shifted_by_30_minutes_is_a_substantial_change():
    """Art. 3.2: opening half an hour later is substantial (partners are informed)."""
    after = [*week(days=range(4)), r(4, "09:30", "12:00"), r(4, "14:00", "17:00")]
    assert is_substantial_change(week(), after)


def test_start_shifted_by_15_minutes_is_not_a_substantial_change():
    """Art. 3.2: a quarter of an hour on one range is a minor adjustment."""
    after = [*week(days=range(4)), r(4, "09:15", "12:00"), r(4, "14:00", "17:00")]
    assert not is_substantial_change(week(), after)


def test_end_shifted_by_30_minutes_is_a_substantial_change():
    """Art. 3.2: closing half an hour earlier is substantial."""
    after = [*week(days=range(4)), r(4, "09:00", "12:00"), r(4, "14:00", "16:30")]
    assert is_substantial_change(week(), after)


def test_removing_a_day_is_a_substantial_change():
    """Art. 3.2: closing one more day a week is substantial."""
    assert is_substantial_change(week(), week(days=range(4)))


def test_moving_a_day_is_a_substantial_change_even_with_the_same_total():
    """Art. 3.2: opening on Saturday instead of Friday is substantial."""
    assert is_substantial_change(week(), week(days=[0, 1, 2, 3, 5]))


def test_splitting_a_range_is_a_substantial_change():
    """Art. 3.2: closing at lunch time on a day that was continuous is substantial."""
    before = week(ranges=(("09:00", "17:00"),))
    after = [
        *week(days=range(4), ranges=(("09:00", "17:00"),)),
        r(4, "09:00", "12:00"),
        r(4, "12:30", "17:00"),
    ]
    assert is_substantial_change(before, after)


def test_small_shifts_adding_up_to_an_hour_are_a_substantial_change():
    """Art. 3.2: the weekly total moving by an hour or more is substantial."""
    after = week(ranges=(("09:00", "12:00"), ("14:00", "16:45")))  # 15 min less, 5 days
    assert is_substantial_change(week(), after)


# --- missing_minimum (art. 3.3) -----------------------------------------------------------


def premises(**overrides):
    base = {
        "has_reception_point": True,
        "has_seated_waiting_area": True,
        "has_confidential_space": True,
        "has_internet": True,
        "reduced_mobility_access": "Accueil de plain-pied.",
    }
    return SimpleNamespace(**{**base, **overrides})


def test_complete_premises_lack_nothing():
    """Art. 3.3: premises and public equipment of the minimum: nothing is flagged."""
    assert missing_minimum(premises(), ["multimedia", "printer"]) == []


def test_missing_confidential_space_is_listed():
    """Art. 3.3 and commitment 10: a house without a confidential space is flagged."""
    assert missing_minimum(premises(has_confidential_space=False), ["kiosk", "scanner"]) == [
        "un espace confidentiel"
    ]


def test_no_printer_nor_scanner_is_listed():
    """Art. 3.3: the public needs a printer and/or a scanner."""
    assert missing_minimum(premises(), ["multimedia", "webcam"]) == [
        "une imprimante et/ou un scanner"
    ]


def test_no_public_computer_is_listed():
    """Art. 3.3: the public needs a multimedia point, a kiosk or a webcam."""
    assert missing_minimum(premises(), ["printer"]) == [
        "un point multimédia, une borne multiservice ou une webcam"
    ]


def test_blank_reduced_mobility_description_is_listed():
    """Art. 3.3 and commitment 6: the reception of people with reduced mobility is described."""
    missing = missing_minimum(premises(reduced_mobility_access="   "), ["multimedia", "printer"])
    assert missing == ["la description de l'accueil des personnes à mobilité réduite"]


def test_house_without_premises_lacks_the_whole_minimum():
    """Art. 3.3: a house whose premises were never described lacks all of the minimum."""
    missing = missing_minimum(None, [])
    assert len(missing) == len(rules.PREMISES_MINIMUM) + 1 + len(rules.PUBLIC_EQUIPMENT_GROUPS)


def test_the_figures_of_the_refusal_come_from_the_rule_constants(monkeypatch):
    """Art. 3.2: the minimum stated to the user is the one the rule checks (one rule, one place)."""
    monkeypatch.setattr(rules, "MIN_WEEKLY_MINUTES", 30 * 60)
    monkeypatch.setattr(rules, "MIN_WEEKLY_HOURS", 30)
    monkeypatch.setattr(rules, "MIN_OPEN_DAYS", 5)
    check = rules.check_schedule([])
    assert any("au moins 30 heures par semaine" in e for e in check.errors)
    assert any("au moins 5 jours par semaine" in e for e in check.errors)
