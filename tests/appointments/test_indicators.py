"""Indicators of appointments (issue 9 §8, charter commitment 5): by partner and type, the
confirmation, no-show and cancellation rates, and the share of the house's requests that ended
in an appointment — the signal that the house is not a mere appointment desk. A referent sees
its own organisation's figures only; the prefecture its départements; the pages cost the same
queries for few or many appointments."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from msap.appointments import queries, services
from msap.desk.models import Outcome
from tests import factories as f
from tests.appointments.conftest import NOW, book, paris

pytestmark = pytest.mark.usefixtures("frozen")
YEAR = (paris(2026, 1, 1), paris(2027, 1, 1))


def history(world, offer):
    """Six CAF appointments this week, moved along their statuses once they have started."""
    made = [
        book(world, offer.video, offer.sophie, paris(2026, 3, 2, 9)),
        book(world, offer.video, offer.sophie, paris(2026, 3, 2, 10)),
        book(world, offer.phone, offer.paul, paris(2026, 3, 2, 9)),
        book(world, offer.phone, offer.paul, paris(2026, 3, 2, 10)),
        book(world, offer.phone, offer.paul, paris(2026, 3, 3, 9)),
        book(world, offer.permanence, offer.sophie, paris(2026, 3, 3, 9)),
    ]
    agent = world.users.agent
    for appointment in made[:4]:
        services.change_status(agent, appointment, "confirmed")
    with time_machine.travel(NOW + timedelta(days=2), tick=False):
        for appointment, status in zip(made[:3], ["seen", "seen", "no_show"], strict=True):
            appointment.refresh_from_db()
            services.change_status(agent, appointment, status)
    services.change_status(agent, made[4], "excused")
    services.change_status(agent, made[5], "revoked", reason="Conseillère en formation")
    return made


def test_rates_by_partner_and_type(world, offer):
    history(world, offer)

    figures = queries.indicators([world.house.pk], *YEAR)

    assert figures.overall.total == 6
    # 4 of 6 confirmed; 1 no-show among the 3 that took place; 2 of 6 cancelled.
    assert figures.overall.confirmation_rate == 66.7
    assert figures.overall.no_show_rate == 33.3
    assert figures.overall.cancellation_rate == 33.3
    by_type = {(r.partner, r.location_type): (r.total, r.seen, r.no_show) for r in figures.rows}
    assert by_type == {
        ("CAF", "phone"): (3, 0, 1),
        ("CAF", "permanence"): (1, 0, 0),
        ("CAF", "video"): (2, 2, 0),
    }
    assert [(p.partner, p.total) for p in figures.by_partner] == [("CAF", 6)]


def test_the_share_of_requests_ending_in_an_appointment(world, offer):
    agent = world.users.agent
    linked = f.ServiceRequestFactory(house=world.house, agent=agent, occurred_at=NOW)
    f.ServiceRequestFactory(
        house=world.house, agent=agent, occurred_at=NOW, outcome=Outcome.APPOINTMENT
    )
    for _i in range(2):
        f.ServiceRequestFactory(house=world.house, agent=agent, occurred_at=NOW)
    book(world, offer.video, offer.sophie, paris(2026, 3, 5, 10), request=linked)
    book(world, offer.video, offer.sophie, paris(2026, 3, 5, 11), request=linked)

    figures = queries.indicators([world.house.pk], *YEAR)

    assert (figures.requests_with_appointment, figures.requests) == (2, 4)
    assert figures.appointment_share == 50.0


def test_nothing_to_divide_is_no_rate(world):
    figures = queries.indicators([world.house.pk], *YEAR)
    assert figures.overall.confirmation_rate is None and figures.appointment_share is None


def test_the_house_page_for_its_team_and_for_a_referent(client, world, offer):
    history(world, offer)
    url = reverse("appointment_indicators", args=[world.house.pk])
    client.force_login(world.users.responsable)
    page = client.get(url, {"date_from": "2026-01-01", "date_to": "2026-12-31"}).content.decode()
    assert "66.7 %" in page or "66,7 %" in page

    # France Travail's referent would see the house, but no CAF figures.
    ft = f.UserFactory(email="referent.ft@test.fr")
    f.MembershipFactory(user=ft, role="referent", partner=world.ft.partner)
    client.force_login(ft)
    page = client.get(url, {"date_from": "2026-01-01"}).content.decode()
    assert "Aucun rendez-vous sur cette période." in page and "CAF" not in page.split("<main")[1]


def test_a_bad_period_gets_a_french_message(client, world):
    client.force_login(world.users.agent)
    url = reverse("appointment_indicators", args=[world.house.pk])
    for params in ({"date_from": "31/31/2026"}, {"date_from": "1900-01-01"}):
        response = client.get(url, params)
        assert response.status_code == 200
        assert "fr-message--error" in response.content.decode()
    response = client.get(url, {"date_from": "2026-03-10", "date_to": "2026-03-01"})
    assert "La date de fin précède la date de début." in response.content.decode()


def test_the_prefecture_sees_its_departement_the_others_are_refused(client, world, offer):
    history(world, offer)
    url = reverse("appointment_network_indicators")
    client.force_login(world.users.prefecture)
    page = client.get(url, {"date_from": "2026-01-01", "date_to": "2026-12-31"}).content.decode()
    assert "<dd>6</dd>" in page
    assert 'value="23"' not in page  # not a département of theirs
    client.force_login(world.users.national)
    assert client.get(url, {"departement": "23", "date_from": "2026-01-01"}).status_code == 200
    client.force_login(world.users.agent)
    assert client.get(url).status_code == 403


def test_the_pages_cost_the_same_queries_for_few_or_many_appointments(client, world, offer):
    client.force_login(world.users.responsable)
    house_url = reverse("appointment_indicators", args=[world.house.pk])
    client.force_login(world.users.national)
    network_url = reverse("appointment_network_indicators")

    def count(url, user):
        client.force_login(user)
        client.get(url)
        with CaptureQueriesContext(connection) as queries_:
            client.get(url, {"date_from": "2026-01-01"})
        return len(queries_)

    before = (count(house_url, world.users.responsable), count(network_url, world.users.national))
    history(world, offer)
    other = f.AppointmentTypeFactory(partnership=world.ft, location_type="phone", subject="Emploi")
    adviser = f.AdviserFactory(partnership=world.ft)
    for day in (9, 10, 11):
        f.SlotRuleFactory(
            adviser=adviser, appointment_type=other, weekday=paris(2026, 3, day).weekday()
        )
        book(world, other, adviser, paris(2026, 3, day, 9))
    after = (count(house_url, world.users.responsable), count(network_url, world.users.national))
    assert after == before
