"""Appointments over the API (issue 9, item 9): scoped like the screens (the person's name and
contact are for the agents of the house), a booking sent twice with one Idempotency-Key is one
appointment, a status change carries its version; the free-slot search across a département's
houses never offers a taken adviser, office or video equipment."""

from datetime import time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from msap.appointments import queries
from msap.appointments.models import Appointment, SlotException
from msap.core.errors import DomainError
from msap.network.models import Closure, House
from msap.partners.models import Partnership
from tests import factories as f
from tests.api.client import bearer, post
from tests.appointments.conftest import NOW, book, paris

pytestmark = pytest.mark.usefixtures("frozen")
THURSDAY_10 = paris(2026, 3, 5, 10)


def booking(world, offer, **overrides):
    return {
        "house": world.house.pk,
        "appointment_type": offer.video.pk,
        "adviser": offer.sophie.pk,
        "start": "2026-03-05T10:00:00",
        "person_name": "Jeanne Moreau",
        "person_email": "jeanne.moreau@exemple.fr",
        "person_phone": "06 12 34 56 78",
        **overrides,
    }


def test_a_booking_sent_twice_with_one_key_is_one_appointment(client, world, offer):
    agent = world.users.agent
    first = post(
        client, agent, "/api/v1/appointments", booking(world, offer), **{"Idempotency-Key": "k1"}
    )
    again = post(
        client, agent, "/api/v1/appointments", booking(world, offer), **{"Idempotency-Key": "k1"}
    )

    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["start"] == "2026-03-05T09:00:00Z"  # 10:00 in Tulle
    assert first.json()["available_statuses"] == ["confirmed", "excused", "revoked"]
    assert Appointment.objects.count() == 1


def test_a_key_reused_for_another_booking_is_refused(client, world, offer):
    agent = world.users.agent
    post(client, agent, "/api/v1/appointments", booking(world, offer), **{"Idempotency-Key": "k1"})
    other = post(
        client,
        agent,
        "/api/v1/appointments",
        booking(world, offer, person_name="Paul Durand"),
        **{"Idempotency-Key": "k1"},
    )
    assert other.status_code == 422 and "Idempotency-Key" in other.json()["errors"]
    assert Appointment.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"start": "2026-03-01T10:00:00"}, "slot"),  # in the past
        ({"start": "2026-03-05T10:10:00"}, "slot"),  # not one of the openings
        ({"start": "9999-12-31T23:59:59"}, "start"),  # the calendar's edge
        ({"appointment_type": 10**12}, "appointment_type"),
        ({"adviser": 10**12}, "adviser"),
        ({"request": 10**12}, "request"),
        ({"person_email": "pas-un-courriel"}, "person_email"),
    ],
)
def test_a_bad_booking_gets_a_french_400_and_saves_nothing(client, world, offer, overrides, field):
    response = post(
        client, world.users.agent, "/api/v1/appointments", booking(world, offer, **overrides)
    )
    assert response.status_code == 400, response.json()
    assert field in response.json()["errors"]
    assert Appointment.objects.count() == 0


def test_a_taken_slot_is_refused(client, world, offer):
    book(world, offer.video, offer.sophie, THURSDAY_10)
    response = post(client, world.users.agent, "/api/v1/appointments", booking(world, offer))
    assert response.status_code == 400
    assert "déjà un rendez-vous" in response.json()["detail"]


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("agent", 201),
        ("responsable", 201),
        ("other_agent", 404),
        ("referent_msa", 404),
        ("gestionnaire", 403),
        ("referent_caf", 403),
        ("prefecture", 403),
        ("national", 403),
    ],
)
def test_only_the_houses_agents_book(client, world, offer, role, status):
    response = post(
        client, getattr(world.users, role), "/api/v1/appointments", booking(world, offer)
    )
    assert response.status_code == status


@pytest.mark.parametrize(
    ("role", "list_status", "detail_status"),
    [
        ("agent", 200, 200),
        ("responsable", 200, 200),
        ("other_agent", 200, 404),  # their own house's list: empty of this one
        ("gestionnaire", 403, 403),
        ("referent_caf", 403, 403),
        ("referent_msa", 403, 404),
        ("prefecture", 403, 403),
        ("national", 403, 403),
        ("norole", 403, 404),
    ],
)
def test_the_person_is_only_shown_to_the_houses_agents(
    client, world, offer, role, list_status, detail_status
):
    appointment = book(world, offer.video, offer.sophie, THURSDAY_10)
    user = getattr(world.users, role)
    listed = client.get("/api/v1/appointments", headers=bearer(user))
    detail = client.get(f"/api/v1/appointments/{appointment.pk}", headers=bearer(user))

    assert (listed.status_code, detail.status_code) == (list_status, detail_status)
    if list_status == 200:
        names = [a["person"]["name"] for a in listed.json()["items"]]
        assert names == (["Jeanne Moreau"] if role in ("agent", "responsable") else [])
    if detail_status != 200:
        assert "Moreau" not in detail.content.decode()


def test_the_list_costs_the_same_queries_for_2_or_12_appointments(client, world, offer):
    headers = bearer(world.users.agent)
    for hour in (9, 10):
        book(world, offer.video, offer.sophie, paris(2026, 3, 5, hour))
    client.get("/api/v1/appointments", headers=headers)  # the token's first use is recorded
    with CaptureQueriesContext(connection) as few:
        assert len(client.get("/api/v1/appointments", headers=headers).json()["items"]) == 2
    for day in (9, 10, 11, 12, 13):
        for adviser in (offer.sophie, offer.paul):
            book(world, offer.phone, adviser, paris(2026, 3, day, 9))
    with CaptureQueriesContext(connection) as many:
        assert len(client.get("/api/v1/appointments", headers=headers).json()["items"]) == 12
    assert len(many) == len(few)


def test_a_status_change_carries_its_version(client, world, offer):
    appointment = book(world, offer.video, offer.sophie, THURSDAY_10)
    url = f"/api/v1/appointments/{appointment.pk}/status"
    agent = world.users.agent

    confirmed = post(client, agent, url, {"to": "confirmed", "version": 1})
    stale = post(client, agent, url, {"to": "excused", "version": 1})
    early = post(client, agent, url, {"to": "seen", "version": 2})
    no_reason = post(client, agent, url, {"to": "revoked", "version": 2})

    assert confirmed.status_code == 200 and confirmed.json()["status"] == "confirmed"
    assert stale.status_code == 409
    assert early.status_code == 400 and "pas encore commencé" in early.json()["detail"]
    assert no_reason.status_code == 400 and "reason" in no_reason.json()["errors"]
    appointment.refresh_from_db()
    assert (appointment.status, appointment.version) == ("confirmed", 2)


def test_free_slots_across_a_departements_houses_skip_what_is_taken(client, world, offer):
    # A second house of Corrèze where the CAF receives by phone; Guéret (Creuse) is not searched.
    ussel = Partnership.objects.get(house=world.other, partner=world.caf.partner)
    phone = f.AppointmentTypeFactory(partnership=ussel, location_type="phone", subject="Dossier")
    luc = f.AdviserFactory(partnership=ussel, first_name="Luc", last_name="Petit")
    f.SlotRuleFactory(adviser=luc, appointment_type=phone, weekday=0, start="10:00", end="11:00")
    book(world, offer.video, offer.sophie, paris(2026, 3, 2, 9))
    headers = bearer(world.users.agent)

    response = client.get(
        "/api/v1/slots",
        {"partner": "caf", "departement": "19", "location_type": "video", "count": 3},
        headers=headers,
    )
    items = response.json()["items"]
    # 9:00 in Tulle is taken: Sophie by her appointment, Paul because it holds the house's
    # only video equipment.
    assert [(i["start"], i["adviser"]["name"]) for i in items] == [
        ("2026-03-02T09:30:00+01:00", "Sophie Martin"),
        ("2026-03-02T09:30:00+01:00", "Paul Roux"),
        ("2026-03-02T10:00:00+01:00", "Sophie Martin"),
    ]

    everything = client.get(
        "/api/v1/slots", {"partner": "caf", "departement": "19", "count": 50}, headers=headers
    ).json()["items"]
    assert {i["house"] for i in everything} == {world.house.pk, world.other.pk}


def test_the_slot_search_needs_a_house_or_a_departement(client, world, offer):
    headers = bearer(world.users.agent)
    neither = client.get("/api/v1/slots", {"partner": "caf"}, headers=headers)
    unknown = client.get(
        "/api/v1/slots", {"partner": "nope", "house": world.house.pk}, headers=headers
    )
    far = client.get(
        "/api/v1/slots",
        {"partner": "caf", "house": world.house.pk, "date_from": "2031-01-01"},
        headers=headers,
    )
    assert neither.status_code == 400 and "house" in neither.json()["errors"]
    assert unknown.status_code == 400 and "partner" in unknown.json()["errors"]
    assert far.status_code == 400 and "date_from" in far.json()["errors"]


def test_the_first_slots_of_a_search_are_the_first_of_the_whole_offer(world, offer):
    """The search stops at the tenth free slot: they are the ten earliest of all the types,
    whatever type each comes from, taken ones left out."""
    book(world, offer.video, offer.sophie, paris(2026, 3, 2, 9))
    book(world, offer.phone, offer.paul, paris(2026, 3, 2, 9, 30))
    types = [offer.video, offer.permanence, offer.phone]
    everything = queries.next_free_slots(types, now=NOW)
    first = queries.next_free_slots(types, now=NOW, count=10)

    assert first == everything[:10]
    assert {kind.pk for kind, _slot in first} == {t.pk for t in types}
    assert all(
        not (slot.adviser == offer.paul and slot.start == paris(2026, 3, 2, 9, 30))
        for _kind, slot in everything
    )


def _caf_search(world, houses):
    return queries.searchable_types(
        House.objects.filter(pk__in=houses).values("pk"), world.caf.partner
    )


def _queries_of(search) -> int:
    with CaptureQueriesContext(connection) as captured:
        search()
    return len(captured)


def test_the_search_reads_as_many_queries_for_a_departements_houses_as_for_one(world, offer):
    """Issue 9 "Performance": the next free slots across a département's houses cost a fixed
    number of queries, whatever the number of houses searched: the types, their calendar
    (weekly openings, hours, closures, absences) and what is taken that week."""
    houses = [world.house.pk]
    for _ in range(3):
        house = f.HouseFactory(commune=world.other.commune)
        partnership = f.PartnershipFactory(house=house, partner=world.caf.partner)
        kind = f.AppointmentTypeFactory(partnership=partnership, location_type="phone")
        adviser = f.AdviserFactory(partnership=partnership)
        f.SlotRuleFactory(adviser=adviser, appointment_type=kind, weekday=0)
        houses.append(house.pk)

    queries.offer_cache.forget()
    one = _queries_of(
        lambda: queries.next_free_slots(_caf_search(world, houses[:1]), now=NOW, count=10)
    )
    queries.offer_cache.forget()
    many = _queries_of(
        lambda: queries.next_free_slots(_caf_search(world, houses), now=NOW, count=10)
    )
    found = queries.next_free_slots(_caf_search(world, houses), now=NOW, count=50)

    assert one == many == 3
    assert {kind.partnership.house_id for kind, _slot in found} == set(houses)


def test_a_repeated_search_reads_only_what_is_taken_and_sees_a_new_absence_at_once(world, offer):
    """A repeated search keeps what the houses offer, but reads what is taken afresh (a slot
    booked in between is never offered) and forgets the offer on any change (an absence
    declared in between is never offered either)."""
    search = _caf_search(world, [world.house.pk])
    queries.offer_cache.forget()
    first = queries.next_free_slots(search, now=NOW, count=3)
    _kind, slot = first[0]
    book(world, offer.video, slot.adviser, slot.start)

    again = _queries_of(lambda: queries.next_free_slots(search, now=NOW, count=3))
    after_booking = queries.next_free_slots(search, now=NOW, count=50)
    SlotException.objects.create(adviser=offer.sophie, day=slot.start.date(), reason="Congé")
    after_absence = queries.next_free_slots(search, now=NOW, count=50)

    assert again == 1
    assert slot.adviser == offer.sophie
    assert any(
        s.adviser == offer.sophie and s.start.date() == slot.start.date() for _k, s in after_booking
    )
    assert (slot.adviser, slot.start) not in {(s.adviser, s.start) for k, s in after_booking}
    assert not any(
        s.adviser == offer.sophie and s.start.date() == slot.start.date() for _k, s in after_absence
    )


def test_a_search_of_later_days_respects_their_absences_and_closures(world, offer):
    """The houses' offer is kept with the days it was read for: a search of later days (the
    API's date_from) reads its own, and never offers a day the adviser is absent, nor, in the
    house, a day it is closed, a closure begun before those days included."""
    SlotException.objects.create(adviser=offer.sophie, day=paris(2026, 6, 4).date(), reason="Congé")
    Closure.objects.create(
        house=world.house,
        start_date=paris(2026, 5, 28).date(),
        end_date=paris(2026, 6, 2).date(),
        reason="Travaux",
    )
    search = _caf_search(world, [world.house.pk])
    queries.offer_cache.forget()
    queries.next_free_slots(search, now=NOW, count=3)
    june = paris(2026, 6, 1, 8)  # Monday 1 June 2026

    cold = _queries_of(lambda: queries.next_free_slots(search, now=june, count=3))
    found = queries.next_free_slots(search, now=june + timedelta(minutes=1))
    warm = _queries_of(lambda: queries.next_free_slots(search, now=june, count=3))
    days = {(kind.in_house, slot.adviser.pk, slot.start.date()) for kind, slot in found}

    assert (cold, warm) == (3, 1)
    assert (False, offer.sophie.pk, june.date()) in days
    assert not any(in_house and day <= paris(2026, 6, 2).date() for in_house, _a, day in days)
    assert (True, offer.sophie.pk, paris(2026, 6, 3).date()) in days
    assert (False, offer.sophie.pk, paris(2026, 6, 4).date()) not in days
    assert (False, offer.paul.pk, paris(2026, 6, 4).date()) in days


def test_the_first_slots_across_houses_are_the_earliest_of_all_of_them(world, offer):
    """Across a département's houses the search gives the earliest free slots of them all,
    whichever house each is in: by start, then the adviser's name, then the type."""
    ussel = Partnership.objects.get(house=world.other, partner=world.caf.partner)
    phone = f.AppointmentTypeFactory(partnership=ussel, location_type="phone", subject="Dossier")
    luc = f.AdviserFactory(partnership=ussel, first_name="Luc", last_name="Petit")
    f.SlotRuleFactory(adviser=luc, appointment_type=phone, weekday=0, start="08:30", end="09:30")
    search = _caf_search(world, [world.house.pk, world.other.pk])

    first = queries.next_free_slots(search, now=NOW, count=5)
    everything = queries.next_free_slots(search, now=NOW)

    assert first == everything[:5]
    assert [(slot.start.time(), slot.adviser.last_name, kind.pk) for kind, slot in first] == [
        (time(8, 30), "Petit", phone.pk),
        (time(9), "Martin", offer.video.pk),
        (time(9), "Martin", offer.permanence.pk),
        (time(9), "Martin", offer.phone.pk),
        (time(9), "Petit", phone.pk),
    ]


def test_an_opening_by_another_partnerships_adviser_is_never_offered(world, offer):
    """A booking takes only an adviser of the type's own partnership ("Ce conseiller ne reçoit
    pas pour ce type de rendez-vous"): the search never offers another partnership's adviser,
    even with a weekly opening on the type."""
    ussel = Partnership.objects.get(house=world.other, partner=world.caf.partner)
    stranger = f.AdviserFactory(partnership=ussel, first_name="Anne", last_name="Aubert")
    f.SlotRuleFactory(
        adviser=stranger, appointment_type=offer.phone, weekday=0, start="08:30", end="09:00"
    )

    found = queries.next_free_slots([offer.phone], now=NOW)
    searched = queries.next_free_slots(_caf_search(world, [world.house.pk]), now=NOW)

    assert found and stranger.pk not in {slot.adviser.pk for _kind, slot in found + searched}
    with pytest.raises(DomainError):
        book(world, offer.phone, stranger, paris(2026, 3, 2, 8, 30))


@pytest.mark.parametrize(
    ("now", "first"),
    [
        (paris(2026, 3, 29, 10, 10), [(10, 30), (11, 0), (11, 30)]),
        (paris(2026, 3, 29, 10, 0), [(10, 30), (11, 0), (11, 30)]),
        (paris(2026, 3, 29, 3, 0), [(9, 0), (9, 30), (10, 0)]),
    ],
)
def test_a_search_offers_nothing_before_its_moment_on_the_day_the_clocks_change(
    world, offer, now, first
):
    """Issue 9 §2: the next free slots are those after the moment searched from, also on the
    search's first day when it is the day of a change of time (Sunday 29 March 2026, the clocks
    go from 2:00 to 3:00 in Paris): none already past, none at the very moment, none skipped."""
    f.SlotRuleFactory(
        adviser=offer.sophie,
        appointment_type=offer.phone,
        weekday=6,
        start=time(9),
        end=time(12),
    )

    found = queries.next_free_slots([offer.phone], now=now, count=3)

    assert [slot.start for _kind, slot in found] == [paris(2026, 3, 29, *hm) for hm in first]
    assert {slot.adviser for _kind, slot in found} == {offer.sophie}


def test_a_search_late_on_its_first_day_goes_on_to_the_next_day(world, offer):
    """The openings of the first day that are past are left out, the next day's all offered."""
    found = queries.next_free_slots([offer.phone], now=paris(2026, 3, 2, 11, 50), count=2)

    assert [(slot.start, slot.adviser) for _kind, slot in found] == [
        (paris(2026, 3, 3, 9), offer.sophie),
        (paris(2026, 3, 3, 9), offer.paul),
    ]
