"""Booking an appointment with a partner (commitment 5, issue 9 §2–3): from the house's free
slots, never twice the same adviser, office or video equipment, never on a public holiday, in
the past or, in the house, outside its hours. Every refusal is French and saves nothing."""

from datetime import time, timedelta

import pytest
from django.urls import reverse

from msap.appointments import queries, services
from msap.appointments.models import Appointment, SlotException
from msap.core.errors import DomainError
from msap.desk import services as desk_services
from msap.network.models import Closure
from msap.partners.models import ServiceCategory
from tests import factories as f
from tests.appointments.conftest import NOW, book, paris

pytestmark = pytest.mark.usefixtures("frozen")

TUESDAY_10 = paris(2026, 3, 3, 10)


def post_booking(client, world, kind, adviser, start, **extra):
    client.force_login(world.users.agent)
    data = {
        "type": kind.pk,
        "slot": f"{adviser.pk}|{start.isoformat()}",
        "person_name": "Jeanne Moreau",
        "person_email": "jeanne.moreau@exemple.fr",
        "person_phone": "06 12 34 56 78",
        **extra,
    }
    return client.post(reverse("appointment_new", args=[world.house.pk]), data)


def test_agent_books_a_video_appointment_from_the_house_free_slots(client, world, offer):
    request = desk_services.record_request(
        world.users.agent,
        world.house,
        {"category": ServiceCategory.objects.get(code="B1"), "partner": world.caf.partner},
    )[0]
    client.force_login(world.users.agent)
    chooser = client.get(reverse("appointment_new", args=[world.house.pk]))
    assert offer.video.subject in chooser.content.decode()
    page = client.get(reverse("appointment_new", args=[world.house.pk]), {"type": offer.video.pk})
    html = page.content.decode()
    assert "lundi 2 mars 2026" in html and "Sophie Martin" in html

    response = post_booking(
        client, world, offer.video, offer.sophie, TUESDAY_10, request=request.pk
    )

    appointment = Appointment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("appointment_detail", args=[appointment.pk])
    assert appointment.status == "requested"
    assert appointment.equipment == offer.visio and appointment.office is None
    assert appointment.end == TUESDAY_10 + timedelta(minutes=30)
    assert appointment.request == request and appointment.booked_by == world.users.agent
    detail = client.get(response["Location"]).content.decode()
    assert "Jeanne Moreau" in detail and "Salle visio" not in detail


def test_video_equipment_is_not_double_booked(client, world, offer):
    book(world, offer.video, offer.sophie, TUESDAY_10)

    response = post_booking(client, world, offer.video, offer.paul, TUESDAY_10)

    assert response.status_code == 200
    assert "L&#x27;équipement de visioconférence est déjà réservé sur ce créneau." in (
        response.content.decode()
    )
    assert Appointment.objects.count() == 1
    # The free slots no longer offer that time to anyone: the house has one video equipment.
    starts = {s.start for s in queries.free_slots(offer.video, now=NOW)}
    assert TUESDAY_10 not in starts and TUESDAY_10 + timedelta(minutes=30) in starts


def test_a_second_video_equipment_takes_the_second_booking(world, offer):
    other = offer.visio.__class__.objects.create(house=world.house, kind="visio", label="Salle 2")

    book(world, offer.video, offer.sophie, TUESDAY_10)
    again = book(world, offer.video, offer.paul, TUESDAY_10)

    assert again.equipment == other


def test_an_overlapping_start_of_another_duration_is_refused_too(world, offer):
    long = f.AppointmentTypeFactory(
        partnership=world.caf, location_type="video", duration_minutes=60
    )
    f.SlotRuleFactory(
        adviser=offer.paul, appointment_type=long, weekday=1, start=time(9, 45), end=time(12)
    )
    book(world, offer.video, offer.sophie, TUESDAY_10)  # 10:00-10:30

    with pytest.raises(DomainError, match="visioconférence est déjà réservé"):
        book(world, long, offer.paul, paris(2026, 3, 3, 9, 45))  # 9:45-10:45

    assert Appointment.objects.count() == 1


def test_adviser_is_not_double_booked(world, offer):
    book(world, offer.phone, offer.sophie, TUESDAY_10)

    with pytest.raises(DomainError, match="Le conseiller a déjà un rendez-vous"):
        book(world, offer.video, offer.sophie, TUESDAY_10)

    assert Appointment.objects.count() == 1


def test_permanence_office_is_not_double_booked(world, offer):
    ft_permanence = f.AppointmentTypeFactory(partnership=world.ft, location_type="permanence")
    ft_adviser = f.AdviserFactory(partnership=world.ft)
    f.SlotRuleFactory(adviser=ft_adviser, appointment_type=ft_permanence, weekday=1)
    first = book(world, offer.permanence, offer.sophie, TUESDAY_10)

    with pytest.raises(DomainError, match="Le bureau de permanence est déjà réservé"):
        book(world, ft_permanence, ft_adviser, TUESDAY_10)

    assert first.office.house == world.house
    assert Appointment.objects.count() == 1


def test_cancelled_appointment_frees_its_slot(world, offer):
    first = book(world, offer.video, offer.sophie, TUESDAY_10)
    services.change_status(world.users.agent, first, "excused")

    again = book(world, offer.video, offer.sophie, TUESDAY_10)

    assert again.status == "requested"


def test_slot_on_a_public_holiday_is_refused(client, world, offer):
    # Friday 1 May 2026, Fête du Travail: a weekday of the adviser's rules.
    holiday = paris(2026, 5, 1, 10)

    response = post_booking(client, world, offer.phone, offer.sophie, holiday)

    assert (
        "Aucun rendez-vous ce jour-là : le 01/05/2026 est un jour férié"
        in response.content.decode()
    )
    assert not Appointment.objects.exists()
    assert all(
        s.start.date() != holiday.date()
        for s in queries.free_slots(offer.phone, now=paris(2026, 4, 28, 8))
    )


def test_permanence_outside_the_house_hours_is_refused(client, world, offer):
    # The house closes from 12:00 to 14:00; the adviser's rule runs to 13:00.
    f.SlotRuleFactory(
        adviser=offer.paul,
        appointment_type=offer.permanence,
        weekday=1,
        start=time(12),
        end=time(13),
    )
    noon = paris(2026, 3, 3, 12)

    response = post_booking(client, world, offer.permanence, offer.paul, noon)

    assert "en dehors des horaires d&#x27;ouverture de la maison" in response.content.decode()
    assert not Appointment.objects.exists()
    assert noon not in {s.start for s in queries.free_slots(offer.permanence, now=NOW)}


def test_permanence_on_a_closure_day_is_refused(world, offer):
    Closure.objects.create(
        house=world.house,
        start_date=TUESDAY_10.date(),
        end_date=TUESDAY_10.date(),
        reason="Travaux",
    )
    with pytest.raises(DomainError, match=r"la maison est fermée le 03/03/2026 \(Travaux\)"):
        book(world, offer.permanence, offer.sophie, TUESDAY_10)
    # A phone appointment does not need the house open.
    assert book(world, offer.phone, offer.sophie, TUESDAY_10).pk


def test_appointment_in_the_past_is_refused(client, world, offer):
    response = post_booking(client, world, offer.video, offer.sophie, paris(2026, 2, 27, 10))

    assert "Ce créneau est passé : choisissez un rendez-vous à venir." in response.content.decode()
    assert not Appointment.objects.exists()


def test_start_outside_the_adviser_slots_is_refused(world, offer):
    with pytest.raises(DomainError, match="ne fait pas partie des créneaux ouverts"):
        book(world, offer.phone, offer.sophie, paris(2026, 3, 3, 10, 10))
    SlotException.objects.create(adviser=offer.sophie, day=TUESDAY_10.date(), reason="Congés")
    with pytest.raises(DomainError, match="Le conseiller est absent ce jour-là"):
        book(world, offer.phone, offer.sophie, TUESDAY_10)
    assert not Appointment.objects.exists()


def test_phone_appointment_needs_the_person_phone(client, world, offer):
    response = post_booking(client, world, offer.phone, offer.sophie, TUESDAY_10, person_phone="")

    assert (
        "Un rendez-vous par téléphone demande le numéro de la personne."
        in response.content.decode()
    )
    assert not Appointment.objects.exists()


@pytest.mark.parametrize(
    "slot",
    [
        "",
        "n'importe quoi",
        "999999|2026-03-03T10:00:00+01:00",
        "1|2026-03-03T10:00:00",
        "1|2026-13-45",
        "99999999999999999999|2026-03-03T10:00:00+01:00",
    ],
)
def test_malformed_slot_gets_a_french_message(client, world, offer, slot):
    client.force_login(world.users.agent)
    response = client.post(
        reverse("appointment_new", args=[world.house.pk]),
        {"type": offer.video.pk, "slot": slot, "person_name": "Jeanne Moreau"},
    )

    assert response.status_code == 200
    assert "Choisissez un créneau" in response.content.decode()
    assert not Appointment.objects.exists()


def test_unknown_type_answers_404(client, world, offer):
    client.force_login(world.users.agent)
    other_type = f.AppointmentTypeFactory(partnership=world.other_caf)
    for value in ("abc", str(other_type.pk)):
        response = client.get(reverse("appointment_new", args=[world.house.pk]), {"type": value})
        assert response.status_code == 404


def test_request_of_another_house_is_refused(world, offer):
    request = desk_services.record_request(
        world.users.other_agent,
        world.other,
        {"category": ServiceCategory.objects.get(code="B1")},
    )[0]
    with pytest.raises(DomainError, match="pas été enregistrée dans cette maison"):
        book(world, offer.video, offer.sophie, TUESDAY_10, request=request)


def test_house_list_shows_the_day_and_the_week(client, world, offer):
    book(world, offer.video, offer.sophie, TUESDAY_10, person_name="Jeanne Moreau")
    book(world, offer.phone, offer.paul, paris(2026, 3, 5, 9), person_name="Louis Petit")
    client.force_login(world.users.agent)
    url = reverse("appointment_list", args=[world.house.pk])

    day = client.get(url, {"day": "2026-03-03"}).content.decode()
    week = client.get(url, {"day": "2026-03-03", "period": "week"}).content.decode()
    bad = client.get(url, {"day": "hier"})
    edge = client.get(url, {"day": "9999-12-31", "period": "week"})

    assert "Jeanne Moreau" in day and "Louis Petit" not in day
    assert "Jeanne Moreau" in week and "Louis Petit" in week
    assert bad.status_code == 200 and "Indiquez une date" in bad.content.decode()
    assert (
        edge.status_code == 200 and "Indiquez une date entre 2000 et 2100." in edge.content.decode()
    )
