"""The demo's year of activity (issue 3 "Demo data"): only when and where a house is open, by its
staff, with the network's operator shares and seasons, and never twice."""

from collections import Counter
from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction

from msap.desk.demo import NETWORK_SHARES, build_activity
from msap.desk.models import Channel, ServiceRequest
from msap.lib.dates import holiday_name
from msap.network.models import Closure, OpeningRange
from msap.people.models import Role
from msap.territory.models import Departement
from tests import factories as f

TODAY = date(2025, 5, 16)  # a window from 12 April: Good Friday, Easter Monday, 1 and 8 May
DAYS = 35
GOOD_FRIDAY = date(2025, 4, 18)  # a public holiday in Moselle only


def house_in(code: str, dept: str, **kwargs):
    organisation = f.OrganisationFactory(departement=Departement.objects.get(code=dept))
    return f.HouseFactory(commune=f.commune(code), organisation=organisation, **kwargs)


def member(house, role=Role.AGENT, started_on=date(2024, 1, 15), **kwargs):
    return f.MembershipFactory(house=house, role=role, started_on=started_on, **kwargs).user


@pytest.fixture
def metz(db):
    """Monday to Friday (27 h 30), in Moselle: Good Friday is a holiday there."""
    house = house_in("57463", "57")
    house.served_communes.set([f.commune("57606"), f.commune("57672")])
    house.agent = member(house)
    house.responsable = member(house, Role.RESPONSABLE)
    house.newcomer = member(house, started_on=date(2025, 5, 1))
    house.former = member(house, ended_on=date(2025, 1, 31))
    f.PartnershipFactory(house=house, partner=f.national_partner("caf"))
    f.PartnershipFactory(house=house, partner=f.national_partner("cpam"))
    return house


@pytest.fixture
def saint_denis(db):
    """La Réunion (UTC+4), open on Saturday mornings too, closed on 5 and 6 May."""
    house = house_in("97411", "974")
    OpeningRange.objects.create(house=house, weekday=5, start=time(8), end=time(12))
    Closure.objects.create(
        house=house, start_date=date(2025, 5, 5), end_date=date(2025, 5, 6), reason="Travaux"
    )
    member(house)
    member(house)
    f.PartnershipFactory(house=house, partner=f.national_partner("caf"))
    return house


@pytest.fixture
def built(metz, saint_denis):
    created = build_activity([metz, saint_denis], today=TODAY, days=DAYS)
    return created


def local_days(house) -> Counter:
    tz = ZoneInfo(house.timezone)
    return Counter(
        r.astimezone(tz).date()
        for r in ServiceRequest.objects.filter(house=house).values_list("occurred_at", flat=True)
    )


def test_demo_activity_happens_only_on_open_days_within_opening_hours_in_house_time_zone(
    built, metz, saint_denis
):
    for house in (metz, saint_denis):
        tz = ZoneInfo(house.timezone)
        ranges = list(house.opening_ranges.all())
        closures = list(house.closures.all())
        dept = house.commune.departement_id
        requests = list(ServiceRequest.objects.filter(house=house))
        assert requests
        for r in requests:
            here = r.occurred_at.astimezone(tz)
            day = here.date()
            assert TODAY - timedelta(days=DAYS - 1) <= day <= TODAY
            assert day.weekday() != 6, f"{house}: a request on Sunday {day}"
            assert holiday_name(day, dept) is None, f"{house}: a request on holiday {day}"
            assert not any(c.start_date <= day <= c.end_date for c in closures)
            assert any(
                o.weekday == day.weekday() and o.start <= here.time() < o.end for o in ranges
            ), f"{house}: {here} is outside the opening hours"


def test_holidays_are_those_of_the_house_departement_and_saturdays_follow_the_schedule(
    built, metz, saint_denis
):
    metz_days, reunion_days = local_days(metz), local_days(saint_denis)
    assert GOOD_FRIDAY not in metz_days  # Alsace-Moselle
    assert reunion_days[GOOD_FRIDAY] > 0
    for closed in (date(2025, 4, 21), date(2025, 5, 1), date(2025, 5, 8)):
        assert closed not in metz_days and closed not in reunion_days
    saturdays = [d for d in reunion_days if d.weekday() == 5]
    assert saturdays and not [d for d in metz_days if d.weekday() == 5]
    assert date(2025, 5, 5) not in reunion_days and date(2025, 5, 6) not in reunion_days


def test_requests_are_recorded_by_the_staff_in_post_that_day(built, metz):
    by_agent = Counter(ServiceRequest.objects.filter(house=metz).values_list("agent", flat=True))
    assert by_agent[metz.agent.pk] > by_agent[metz.responsable.pk] > 0
    assert by_agent[metz.former.pk] == 0  # left the house: not current staff
    tz = ZoneInfo(metz.timezone)
    newcomer_days = {
        r.astimezone(tz).date()
        for r in ServiceRequest.objects.filter(agent=metz.newcomer).values_list(
            "occurred_at", flat=True
        )
    }
    assert newcomer_days and min(newcomer_days) >= date(2025, 5, 1)


def test_a_small_house_records_about_a_dozen_requests_an_open_day(built, saint_denis):
    days = local_days(saint_denis)
    weekdays = [n for d, n in days.items() if d.weekday() < 5]
    assert 8 <= sum(weekdays) / len(weekdays) <= 15


def test_fields_are_consistent_with_annex_1_and_the_house(built, metz):
    allowed_communes = {metz.commune_id, "57606", "57672"}
    requests = ServiceRequest.objects.filter(house=metz).select_related(
        "item", "procedure", "commune"
    )
    channels = Counter()
    for r in requests:
        if r.item_id:
            assert r.item.category_id == r.category_id
        if r.procedure_id:
            assert r.procedure.partner_id == r.partner_id
        assert 0 < r.duration_minutes <= 480
        assert (
            r.commune is None
            or r.commune_id in allowed_communes
            or r.commune.departement_id == "57"
        )
        assert r.idempotency_key == ""
        assert r.created_at == r.occurred_at  # recorded back then: out of the edit window
        channels[r.channel] += 1
    assert channels[Channel.COUNTER] > 0.75 * sum(channels.values())
    assert channels[Channel.MOBILE] == 0  # a fixed house


def test_a_second_run_adds_nothing_and_the_same_seed_gives_the_same_activity(
    built, metz, saint_denis
):
    count = ServiceRequest.objects.count()
    assert built == count > 0
    assert build_activity([metz, saint_denis], today=TODAY, days=DAYS) == 0
    assert ServiceRequest.objects.count() == count

    def fingerprint():
        return list(
            ServiceRequest.objects.filter(house=metz)
            .order_by("occurred_at", "id")
            .values_list("occurred_at", "agent", "partner", "category", "item", "outcome")
        )

    before = fingerprint()
    ServiceRequest.objects.filter(house=metz).delete()
    assert build_activity([metz], today=TODAY, days=DAYS) == len(before)
    assert fingerprint() == before


@pytest.fixture(scope="module")
def busy_year_built(django_db_setup, django_db_blocker):
    """A busy house (4 agents, 7 h 30 a day) partner of every national operator, over 2025.
    Built once for the module, rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        # A fixed slug: the activity is drawn from random.Random(seed, slug), and a factory's
        # sequence number would make the draw depend on which tests ran before in the process.
        house = house_in("19031", "19", slug="maison-tres-frequentee")
        OpeningRange.objects.filter(house=house).delete()
        for day in range(5):
            OpeningRange.objects.create(
                house=house, weekday=day, start=time(8, 30), end=time(12, 30)
            )
            OpeningRange.objects.create(house=house, weekday=day, start=time(13, 30), end=time(17))
        for _ in range(4):
            member(house)
        for code in NETWORK_SHARES:
            f.PartnershipFactory(house=house, partner=f.national_partner(code))
        build_activity([house], today=date(2025, 12, 31))
        yield house
        transaction.set_rollback(True)


@pytest.fixture
def busy_year(busy_year_built, db):
    return busy_year_built


def shares(requests) -> Counter:
    counts = Counter(requests.values_list("partner__code", flat=True))
    total = sum(counts.values())
    return Counter({code: 100 * n / total for code, n in counts.items()})


def test_a_busy_year_has_thousands_of_requests_with_the_network_operator_shares(busy_year):
    requests = ServiceRequest.objects.filter(house=busy_year)
    assert requests.count() > 5000
    weekdays = [n for d, n in local_days(busy_year).items() if d.weekday() < 5]
    assert 25 <= sum(weekdays) / len(weekdays) <= 40
    share = shares(requests)
    for code, expected in {"ants": 19, "caf": 16, "cpam": 16, "dgfip": 15}.items():
        assert abs(share[code] - expected) <= 3, f"{code}: {share[code]:.1f}%"
    assert share["ants"] > share["carsat"] > share["msa"] > share["grdf"] > 0
    assert 3 <= share[None] <= 11  # requests concerning no partner
    first = Counter(requests.values_list("first_visit", flat=True))
    assert 30 <= 100 * first[True] / requests.count() <= 40
    for need in ("need_disability", "need_language", "need_crisis"):
        assert 0 < requests.filter(**{need: True}).count() < 0.1 * requests.count()


def test_taxes_peak_in_may_families_in_september_and_august_is_quiet(busy_year):
    requests = ServiceRequest.objects.filter(house=busy_year)

    def month(m):
        return requests.filter(occurred_at__month=m)

    assert shares(month(5))["dgfip"] > 1.5 * shares(month(11))["dgfip"]
    assert shares(month(9))["caf"] > 1.3 * shares(month(3))["caf"]
    assert month(8).count() < 0.75 * month(6).count()
    assert month(9).count() > month(8).count()
