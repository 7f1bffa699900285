"""The convention's dates (art. 7, 9, 10): terms, tacit renewals and the six months' notice,
around term boundaries, leap days and several renewals."""

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from msap.conventions import rules
from msap.lib.dates import add_months


def test_term_lasts_three_years_from_signature_art10():
    assert rules.term_end(date(2025, 3, 15), 1) == date(2028, 3, 15)
    t = rules.term_on(date(2025, 3, 15), date(2026, 1, 1))
    assert (t.number, t.start, t.end) == (1, date(2025, 3, 15), date(2028, 3, 15))


def test_tacit_renewals_follow_each_other_art10():
    signed = date(2020, 6, 1)
    assert rules.term_on(signed, date(2023, 5, 31)).number == 1
    # The échéance is the first day of the next term.
    assert rules.term_on(signed, date(2023, 6, 1)).number == 2
    third = rules.term_on(signed, date(2027, 1, 1))
    assert (third.number, third.start, third.end) == (3, date(2026, 6, 1), date(2029, 6, 1))


def test_notice_of_exactly_six_months_reaches_the_current_term_art7():
    signed = date(2025, 3, 15)
    assert rules.effective_on(signed, date(2027, 9, 15)) == date(2028, 3, 15)


def test_notice_one_day_short_of_six_months_waits_for_the_next_term_art7():
    signed = date(2025, 3, 15)
    assert rules.effective_on(signed, date(2027, 9, 16)) == date(2031, 3, 15)


def test_letter_on_the_echeance_day_counts_for_the_renewed_term_art7():
    signed = date(2025, 3, 15)
    assert rules.effective_on(signed, date(2028, 3, 15)) == date(2031, 3, 15)


def test_signature_on_29_february_comes_to_term_on_28_february_then_29_art10():
    signed = date(2028, 2, 29)
    assert [rules.term_end(signed, n) for n in (1, 2, 3, 4)] == [
        date(2031, 2, 28),
        date(2034, 2, 28),
        date(2037, 2, 28),
        date(2040, 2, 29),  # counted from the signature, the clamp never drifts
    ]


def test_term_ending_28_february_notice_deadline_is_28_august_art7():
    signed = date(2028, 2, 29)  # first échéance 28 February 2031
    assert rules.term(signed, 1).notice_deadline == date(2030, 8, 28)
    assert rules.effective_on(signed, date(2030, 8, 28)) == date(2031, 2, 28)
    assert rules.effective_on(signed, date(2030, 8, 29)) == date(2034, 2, 28)


def test_term_ending_29_february_notice_deadline_is_29_august_art7():
    signed = date(2028, 2, 29)
    fourth = rules.term(signed, 4)
    assert fourth.end == date(2040, 2, 29)
    assert fourth.notice_deadline == date(2039, 8, 29)
    assert rules.effective_on(signed, date(2039, 8, 29)) == date(2040, 2, 29)
    assert rules.effective_on(signed, date(2039, 8, 30)) == date(2043, 2, 28)


def test_echeance_31_august_has_notice_until_28_february_art7():
    signed = date(2025, 8, 31)
    assert rules.term(signed, 1).notice_deadline == date(2028, 2, 29)  # 2028 is leap
    assert rules.term(signed, 2).notice_deadline == date(2031, 2, 28)
    assert rules.effective_on(signed, date(2031, 2, 28)) == date(2031, 8, 31)
    assert rules.effective_on(signed, date(2031, 3, 1)) == date(2034, 8, 31)


def test_alert_comes_a_month_before_the_last_day_to_give_notice():
    t = rules.term(date(2025, 3, 15), 1)
    assert t.alert_on == date(2027, 8, 15) == add_months(t.notice_deadline, -1)


def test_service_withdrawal_under_the_conventions_notice_art9():
    assert rules.service_withdrawal_on(date(2026, 1, 31), 3) == date(2026, 4, 30)


days = st.dates(min_value=date(2000, 4, 12), max_value=date(2060, 12, 31))
# Pure date arithmetic: no deadline, and no health check on a loaded CI machine's slow draws.
INVARIANT = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@INVARIANT
@given(signed=days, offset=st.integers(min_value=0, max_value=40 * 366))
def test_effective_date_is_the_first_echeance_with_six_months_notice(signed, offset):
    letter = signed + timedelta(days=offset)
    effective = rules.effective_on(signed, letter)
    # An échéance of the convention (art. 10), after the letter…
    ends = [rules.term_end(signed, n) for n in range(1, 20)]
    assert effective in ends
    assert effective > letter
    # …with at least six months' notice (art. 7)…
    assert add_months(effective, -rules.NOTICE_MONTHS) >= letter
    # …and the first such: the one before gave less notice, or was already past.
    earlier = [e for e in ends if e < effective]
    assert all(add_months(e, -rules.NOTICE_MONTHS) < letter for e in earlier)
    # Never more than two terms away.
    assert effective <= rules.term_end(signed, rules.term_on(signed, letter).number + 1)


@INVARIANT
@given(signed=days, offset=st.integers(min_value=0, max_value=40 * 366))
def test_the_term_in_force_contains_the_day(signed, offset):
    day = signed + timedelta(days=offset)
    t = rules.term_on(signed, day)
    assert t.start <= day < t.end
    assert t.start == (signed if t.number == 1 else rules.term_end(signed, t.number - 1))
