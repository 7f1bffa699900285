"""The demo's registers: a year of items per house, realistic delays, a few overdue ones today."""

from collections import Counter
from datetime import date, timedelta

import pytest
import time_machine
from django.utils import timezone

from msap.core.models import JournalEntry
from msap.network.models import House
from msap.registers import rules
from msap.registers.demo import build_registers
from msap.registers.models import OPEN_STATES, ItemLink, Kind, RegisterItem, Status
from tests.registers import paris

TODAY = date(2026, 3, 10)


@pytest.fixture
def built(world):
    """The registers of the world's houses, built on Tuesday 10 March 2026 at 10:00."""
    with time_machine.travel(paris(2026, 3, 10, 10, 0), tick=False):
        houses = House.objects.filter(pk__in=[world.house.pk, world.other.pk, world.far.pk])
        created = build_registers(houses.select_related("commune"), today=TODAY)
        yield created


def items_of(house):
    return RegisterItem.objects.filter(house=house)


def test_each_staffed_house_gets_a_year_of_items_in_realistic_volumes(world, built):
    assert built == RegisterItem.objects.count()
    for house in (world.house, world.other):
        kinds = Counter(items_of(house).values_list("kind", flat=True))
        weeks = 52
        assert 1.5 * weeks <= kinds[Kind.INCOMING_MAIL] <= 6.5 * weeks
        assert 4 * weeks <= kinds[Kind.EMAIL] <= 16 * weeks
        assert kinds[Kind.PHONE] >= 2 * weeks
        assert 3 <= kinds[Kind.COMPLAINT] <= 60 and 3 <= kinds[Kind.SUGGESTION] <= 60
        assert 0 < kinds[Kind.OUTGOING_MAIL] < kinds[Kind.INCOMING_MAIL] + kinds[Kind.COMPLAINT]
        first = items_of(house).order_by("received_at").first().received_at
        assert first.date() >= TODAY - timedelta(weeks=53)


def test_a_house_without_staff_is_skipped(world, built):
    assert not items_of(world.far).exists()


def test_a_few_items_are_overdue_today_and_some_due_soon(world, built):
    now = timezone.now()
    for house in (world.house, world.other):
        open_items = items_of(house).filter(status__in=OPEN_STATES)
        overdue = open_items.filter(due_at__lt=now).count()
        soon = open_items.filter(due_at__gte=now, due_at__lte=now + timedelta(days=3)).count()
        assert 2 <= overdue <= 5
        assert soon >= 1
        assert open_items.count() < 60  # a backlog, not a flood


def test_every_answer_is_stamped_on_time_against_its_deadline(world, built):
    answered = RegisterItem.objects.filter(answered_at__isnull=False)
    assert answered.count() > 1000
    for received_at, due_at, answered_at, on_time in answered.values_list(
        "received_at", "due_at", "answered_at", "on_time"
    ):
        assert received_at <= answered_at <= paris(2026, 3, 10, 0, 0)
        assert on_time == (None if due_at is None else answered_at <= due_at)
    shares = Counter(answered.exclude(on_time=None).values_list("on_time", flat=True))
    on_time_share = shares[True] / (shares[True] + shares[False])
    assert 0.85 <= on_time_share <= 0.97  # most within the deadline, some late


def test_deadlines_come_from_the_one_due_date_function(world, built):
    for item in RegisterItem.objects.exclude(due_rule="").select_related("house__commune"):
        rule = rules.RULES[item.due_rule]
        assert item.due_at == rules.due_date(
            rule, item.received_at, item.house.commune.departement_id
        )
    assert not RegisterItem.objects.filter(due_rule="", due_at__isnull=False).exists()


def test_numbers_are_unique_and_follow_the_order_of_receipt(world, built):
    for house in (world.house, world.other):
        for kind in Kind.values:
            numbers = list(
                items_of(house)
                .filter(kind=kind)
                .order_by("received_at", "pk")
                .values_list("number", flat=True)
            )
            assert numbers == list(range(1, len(numbers) + 1)), kind


def test_items_open_today_were_recorded_through_the_services(world, built):
    open_ids = set(RegisterItem.objects.filter(status__in=OPEN_STATES).values_list("pk", flat=True))
    journaled = set(
        JournalEntry.objects.filter(action="register.recorded").values_list("target_id", flat=True)
    )
    assert open_ids and {str(pk) for pk in open_ids} <= journaled
    assigned = RegisterItem.objects.filter(pk__in=open_ids, assigned_to__isnull=False)
    assert assigned.exists() and not assigned.filter(status=Status.NEW).exclude(kind="suggestion")


def test_exempt_items_carry_a_charter_reason_and_some_are_redirected(world, built):
    exempt = RegisterItem.objects.filter(status=Status.EXEMPT)
    assert exempt.exists()
    assert not exempt.filter(exempt_reason="").exists()
    assert RegisterItem.objects.filter(status=Status.REDIRECTED).exists()


def test_outgoing_letters_answer_the_items_they_are_linked_to(world, built):
    letters = RegisterItem.objects.filter(kind=Kind.OUTGOING_MAIL)
    links = ItemLink.objects.filter(relation="answered_by").select_related("source", "target")
    assert links.count() == letters.count()
    for link in links:
        assert link.target.kind == Kind.OUTGOING_MAIL
        assert link.source.house_id == link.target.house_id
        assert link.target.received_at == link.source.answered_at


def test_second_build_adds_nothing(world, built):
    before = RegisterItem.objects.count()
    with time_machine.travel(paris(2026, 3, 10, 11, 0), tick=False):
        again = build_registers(House.objects.all(), today=TODAY)

    assert again == 0 and RegisterItem.objects.count() == before


def test_same_day_and_seed_build_the_same_registers(world, built):
    def snapshot():
        return sorted(
            RegisterItem.objects.values_list(
                "house_id", "kind", "number", "received_at", "status", "answered_at", "subject"
            )
        )

    first = snapshot()
    RegisterItem.objects.all().delete()
    with time_machine.travel(paris(2026, 3, 10, 16, 0), tick=False):
        build_registers(House.objects.filter(pk__in=[world.house.pk, world.other.pk]), today=TODAY)

    assert snapshot() == first


def test_a_day_in_the_future_is_refused(one_house):
    with pytest.raises(ValueError):
        build_registers(House.objects.all(), today=timezone.localdate() + timedelta(days=2))
    assert not RegisterItem.objects.exists()
