"""Private calendar feeds (issue 9 §4): a secret address per agent and per adviser, read without
login by a calendar application, parsed back as RFC 5545; renewing it closes the old address;
the feed carries no name, email or phone of the person; an agent's feed lists only the houses
where they still work."""

import pytest
from django.urls import reverse
from icalendar import Calendar

from msap.appointments import services
from msap.appointments.models import CalendarFeed
from msap.people.models import Membership
from tests.appointments.conftest import book, paris

pytestmark = pytest.mark.usefixtures("frozen")


def feed_url(feed):
    return reverse("appointment_feed", args=[feed.token])


def events(response):
    assert response["Content-Type"].startswith("text/calendar")
    return list(Calendar.from_ical(response.content).walk("VEVENT"))


def test_the_advisers_feed_lists_their_appointments_without_the_persons_data(client, world, offer):
    mine = book(world, offer.video, offer.sophie, paris(2026, 3, 5, 10))
    book(world, offer.phone, offer.paul, paris(2026, 3, 5, 10))  # Paul's, not in Sophie's feed
    services.change_status(world.users.agent, mine, "revoked", reason="Conseillère absente")
    feed = services.feed_of(adviser=offer.sophie)

    response = client.get(feed_url(feed))  # no login

    assert response.status_code == 200
    (event,) = events(response)
    assert str(event["uid"]) == f"rendez-vous-{mine.pk}@msap"
    assert event["status"] == "CANCELLED" and event["sequence"] == 2
    assert event.decoded("dtstart") == paris(2026, 3, 5, 10)
    assert "CAF : " in str(event["summary"]) and "France Services de Tulle" in str(
        event["location"]
    )
    text = response.content.decode()
    for private in ("Moreau", "Jeanne", "jeanne.moreau", "06 12 34 56 78", "0612345678"):
        assert private not in text


def test_the_agents_feed_lists_what_they_booked_in_the_houses_where_they_work(client, world, offer):
    appointment = book(world, offer.video, offer.sophie, paris(2026, 3, 5, 10))
    feed = services.feed_of(user=world.users.agent)

    (event,) = events(client.get(feed_url(feed)))
    assert f"/rendez-vous/{appointment.pk}/" in str(event["url"])
    assert "Moreau" not in client.get(feed_url(feed)).content.decode()

    # The agent leaves the house: the feed no longer shows its appointments.
    Membership.objects.filter(user=world.users.agent).delete()
    world.users.agent.refresh_from_db()
    assert events(client.get(feed_url(feed))) == []


def test_renewing_closes_the_old_address(client, world, offer):
    feed = services.feed_of(adviser=offer.sophie)
    old = feed_url(feed)

    services.renew_feed(world.users.responsable, feed)

    assert client.get(old).status_code == 404
    assert client.get(feed_url(feed)).status_code == 200
    assert len(feed.token) >= 43  # 32 random bytes


def test_an_unknown_token_is_a_404(client, world):
    assert client.get(reverse("appointment_feed", args=["a" * 43])).status_code == 404


def test_the_feeds_page_shows_and_renews_the_agents_own_address(client, world, offer):
    client.force_login(world.users.agent)
    url = reverse("appointment_feeds", args=[world.house.pk])

    page = client.get(url)
    feed = CalendarFeed.objects.get(user=world.users.agent)
    assert page.status_code == 200 and feed.token in page.content.decode()
    assert "Sophie Martin" not in page.content.decode()  # advisers' feeds: managers only

    client.post(url, {"feed": "mine"})
    renewed = CalendarFeed.objects.get(user=world.users.agent)
    assert renewed.token != feed.token and renewed.renewed_at is not None


def test_a_manager_hands_out_and_renews_an_advisers_address(client, world, offer):
    client.force_login(world.users.responsable)
    url = reverse("appointment_feeds", args=[world.house.pk])
    page = client.get(url).content.decode()
    feed = CalendarFeed.objects.get(adviser=offer.sophie)
    assert "Sophie Martin" in page and feed.token in page

    client.post(url, {"feed": str(offer.sophie.pk)})
    assert CalendarFeed.objects.get(adviser=offer.sophie).token != feed.token
    # An agent cannot renew an adviser's address; a made-up choice changes nothing.
    client.force_login(world.users.agent)
    before = CalendarFeed.objects.get(adviser=offer.sophie).token
    for choice in (str(offer.sophie.pk), "x" * 30, "99999999999999999999"):
        assert client.post(url, {"feed": choice}).status_code == 302
    assert CalendarFeed.objects.get(adviser=offer.sophie).token == before
