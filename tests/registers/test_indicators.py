"""The registers' indicators (evidence of commitments 11–14): share answered on time, median and
90th-percentile delay, backlog, exempt share — per register, month, year, house or several."""

from datetime import timedelta

import pytest
from django.utils import timezone

from msap.registers import indicators, services
from msap.registers.indicators import compute, percentile
from msap.registers.models import RegisterItem, Status
from tests import factories as f
from tests.registers import paris

JANUARY = (paris(2025, 1, 1), paris(2025, 2, 1))
FEBRUARY = (paris(2025, 2, 1), paris(2025, 3, 1))
YEAR = (paris(2025, 1, 1), paris(2026, 1, 1))
# Monday 6 January 2025, 10:00: an email received then is due Monday 13 January, 23:59:59.
MONDAY = paris(2025, 1, 6, 10, 0)


def answered(house, user, kind, *, received_at, after_days, to=Status.ANSWERED, **status_data):
    item = f.RegisterItemFactory(house=house, created_by=user, kind=kind, received_at=received_at)
    return services.set_status(
        user,
        item,
        to,
        item.version,
        answered_at=received_at + timedelta(days=after_days),
        **status_data,
    )


def by_kind(house_or_items, period=YEAR):
    items = (
        house_or_items
        if hasattr(house_or_items, "filter")
        else RegisterItem.objects.filter(house=house_or_items)
    )
    return {row.kind: row for row in compute(items, *period, now=timezone.now())}


# --- the percentile convention (no database) ------------------------------------------------------


def test_percentile_interpolates_between_closest_ranks_like_a_spreadsheet():
    # PERCENTILE.INC: rank (n - 1) * q, linear between the two neighbours.
    assert percentile([1, 2, 3, 4, 10], 0.5) == 3
    assert percentile([1, 2, 3, 4, 10], 0.9) == pytest.approx(7.6)  # 4 + 0.6 * (10 - 4)
    assert percentile([1, 2, 3, 4], 0.5) == pytest.approx(2.5)
    assert percentile([1, 2, 3, 4], 0.9) == pytest.approx(3.7)  # rank 2.7: 3 + 0.7 * 1
    assert percentile([5], 0.9) == 5
    assert percentile([], 0.5) is None


# --- one house, one period ---------------------------------------------------------------------------


def test_on_time_share_counts_answers_within_the_deadline_among_answers_owing_one(one_house):
    house, agent = one_house.house, one_house.users.agent
    for days in (1, 2, 3):
        answered(house, agent, "email", received_at=MONDAY, after_days=days)
    answered(house, agent, "email", received_at=MONDAY, after_days=10)  # Thursday 16: late
    f.RegisterItemFactory(
        house=house, created_by=agent, kind="email", received_at=MONDAY
    )  # still open: not in the share
    answered(house, agent, "suggestion", received_at=MONDAY, after_days=30)  # no deadline

    email = by_kind(house)["email"]

    assert (email.received, email.answered, email.on_time, email.with_deadline) == (5, 4, 3, 4)
    assert email.on_time_share == pytest.approx(0.75)
    assert by_kind(house)["suggestion"].on_time_share is None


def test_median_and_p90_delays_are_the_hand_computed_percentiles(one_house):
    for days in (1, 2, 3, 4, 10):
        answered(
            one_house.house, one_house.users.agent, "mail_in", received_at=MONDAY, after_days=days
        )

    mail = by_kind(one_house.house)["mail_in"]

    assert mail.median_days == pytest.approx(3.0)
    assert mail.p90_days == pytest.approx(7.6)


def test_delays_are_in_days_with_their_fraction(one_house):
    answered(one_house.house, one_house.users.agent, "email", received_at=MONDAY, after_days=0.5)
    answered(one_house.house, one_house.users.agent, "email", received_at=MONDAY, after_days=1.5)

    email = by_kind(one_house.house)["email"]

    assert email.median_days == pytest.approx(1.0)
    assert email.p90_days == pytest.approx(1.4)


def test_backlog_counts_the_period_items_still_open(one_house):
    house, agent = one_house.house, one_house.users.agent
    f.RegisterItemFactory(house=house, created_by=agent, received_at=MONDAY)
    in_progress = f.RegisterItemFactory(house=house, created_by=agent, received_at=MONDAY)
    services.assign(agent, in_progress, agent, in_progress.version)
    answered(house, agent, "mail_in", received_at=MONDAY, after_days=2)

    mail = by_kind(house)["mail_in"]

    assert (mail.received, mail.backlog, mail.answered) == (3, 2, 1)


def test_exempt_share_is_exempt_items_among_received(one_house):
    house, agent = one_house.house, one_house.users.agent
    answered(
        house, agent, "email", received_at=MONDAY, after_days=0, to=Status.EXEMPT,
        exempt_reason="commercial",
    )  # fmt: skip
    for days in (1, 2):
        answered(house, agent, "email", received_at=MONDAY, after_days=days)
    f.RegisterItemFactory(house=house, created_by=agent, kind="email", received_at=MONDAY)

    email = by_kind(house)["email"]

    assert email.exempt == 1 and email.exempt_share == pytest.approx(0.25)


def test_one_indicator_per_register_with_items_in_french_and_in_register_order(one_house):
    f.RegisterItemFactory(
        house=one_house.house,
        kind="complaint",
        received_at=MONDAY,
    )
    f.RegisterItemFactory(house=one_house.house, received_at=MONDAY)

    rows = compute(RegisterItem.objects.all(), *YEAR, now=timezone.now())

    assert [(r.kind, r.label) for r in rows] == [
        ("mail_in", "Courrier arrivé"),
        ("complaint", "Réclamation"),
    ]


def test_empty_period_has_no_indicator(one_house):
    f.RegisterItemFactory(house=one_house.house, received_at=MONDAY)

    assert compute(RegisterItem.objects.all(), *FEBRUARY, now=timezone.now()) == []


# --- per month and year ---------------------------------------------------------------------------------


def test_month_and_year_take_the_items_received_in_them(one_house):
    house, agent = one_house.house, one_house.users.agent
    answered(house, agent, "email", received_at=MONDAY, after_days=1)
    # 31 January at 23:30 in Paris is 22:30 UTC: a January item for a house in Paris time.
    answered(house, agent, "email", received_at=paris(2025, 1, 31, 23, 30), after_days=12)
    answered(house, agent, "email", received_at=paris(2025, 2, 3, 9, 0), after_days=2)
    f.RegisterItemFactory(
        house=house, created_by=agent, kind="email", received_at=paris(2024, 12, 31, 18, 0)
    )  # the year before

    january = by_kind(house, JANUARY)["email"]
    february = by_kind(house, FEBRUARY)["email"]
    year = by_kind(house, YEAR)["email"]

    assert (january.received, january.on_time, january.with_deadline) == (2, 1, 2)
    assert january.median_days == pytest.approx(6.5)
    assert (february.received, february.on_time_share) == (1, 1.0)
    assert (year.received, year.on_time, year.with_deadline, year.backlog) == (3, 2, 3, 0)
    assert year.median_days == pytest.approx(2.0)


# --- per house and over several houses -------------------------------------------------------------------


def test_several_houses_pool_their_items_not_their_shares(world):
    # Tulle: 3 on time of 4 (delays 1, 2, 3, 10). Ussel: 0 of 1 (delay 12), one exempt.
    for days in (1, 2, 3, 10):
        answered(world.house, world.users.agent, "email", received_at=MONDAY, after_days=days)
    other, other_agent = world.other, world.users.other_agent
    answered(other, other_agent, "email", received_at=MONDAY, after_days=12)
    answered(
        other, other_agent, "email", received_at=MONDAY, after_days=1, to=Status.EXEMPT,
        exempt_reason="automatic",
    )  # fmt: skip

    tulle = by_kind(world.house)["email"]
    ussel = by_kind(world.other)["email"]
    both = by_kind(RegisterItem.objects.filter(house__in=[world.house, world.other]))["email"]

    assert (tulle.on_time_share, tulle.exempt_share) == (0.75, 0.0)
    assert ussel.on_time_share == pytest.approx(0.5) and ussel.exempt_share == 0.5
    # Pooled: 4 on time (3 + the exempt one, answered within its week) of 6; not (0.75 + 0.5) / 2.
    assert (both.received, both.on_time, both.with_deadline) == (6, 4, 6)
    assert both.on_time_share == pytest.approx(4 / 6)
    assert both.exempt_share == pytest.approx(1 / 6)
    # Delays 1, 1, 2, 3, 10, 12: median 2.5, p90 at rank 4.5 = 10 + 0.5 * 2 = 11.
    assert both.median_days == pytest.approx(2.5)
    assert both.p90_days == pytest.approx(11.0)


def test_overdue_lists_open_items_past_their_deadline(one_house):
    late = f.RegisterItemFactory(house=one_house.house, kind="email", received_at=MONDAY)
    done = answered(
        one_house.house, one_house.users.agent, "email", received_at=MONDAY, after_days=20
    )
    fresh = f.RegisterItemFactory(house=one_house.house, kind="email")

    found = set(indicators.overdue(RegisterItem.objects.all(), timezone.now()))

    assert late in found and done not in found and fresh not in found
