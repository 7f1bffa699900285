"""Every role's home page costs the same few queries whatever the number of houses and rows
(ENGINEERING.md: query-count assertions on list pages; the agent's home once ran 4 per house)."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from msap.people.models import Role
from msap.registers import services as registers
from msap.territory.models import Departement
from tests import factories as f
from tests.conftest import count_queries

# The most a home page may run, whoever reads it (session, user, scope, houses, figures).
HOME_MAX_QUERIES = 16


def grow(world, n: int) -> None:
    """n more houses of the same gestionnaire in Corrèze, each with the users' roles in it, a
    CAF partnership (one without referent, so that it is flagged), requests and register items."""
    agent, responsable = world.users.agent, world.users.responsable
    for _ in range(n):
        house = f.HouseFactory(organisation=world.house.organisation)
        f.MembershipFactory(user=agent, role=Role.AGENT, house=house)
        f.MembershipFactory(user=responsable, role=Role.RESPONSABLE, house=house)
        f.PartnershipFactory(house=house, partner=f.national_partner("caf"))
        for minutes in (5, 10):
            f.ServiceRequestFactory(
                house=house, agent=agent, occurred_at=timezone.now() - timedelta(minutes=minutes)
            )
        registers.record_item(
            agent,
            house,
            kind="email",
            received_at=timezone.now() - timedelta(days=20),
            channel="email",
            subject="Question",
            sender_email="x@exemple.fr",
        )


ROLES = ["agent", "responsable", "gestionnaire", "referent_caf", "prefecture", "national", "admin"]


@pytest.mark.parametrize("role", ROLES)
def test_home_query_count_does_not_grow_with_houses(client, world, role):
    user = getattr(world.users, role)
    client.force_login(user)
    url = reverse("home")
    few = count_queries(client, url)
    grow(world, 6)
    f.HouseFactory(commune=f.commune("19031"))  # one more in the prefecture's département
    many = count_queries(client, url)
    assert many == few, f"{role}: {few} queries with 3 houses, {many} with 10"
    assert many <= HOME_MAX_QUERIES


def test_agent_home_still_flags_each_house_and_counts_every_house(client, world):
    grow(world, 3)
    client.force_login(world.users.agent)
    page = client.get(reverse("home")).content.decode()
    assert (
        page.count("n&#x27;a pas de référent en poste") + page.count("n'a pas de référent en poste")
        == 3
    )
    assert "Vous avez enregistré 6 demandes aujourd" in page
    assert "3 éléments en retard" in page


def test_overseer_home_query_count_does_not_grow_beyond_the_short_list(client, world):
    """Past 30 houses the overseers get counts, not the list: still the same queries."""
    client.force_login(world.users.national)
    url = reverse("home")
    for _ in range(31):
        f.HouseFactory(with_defaults=False, commune=f.commune("23096"))
    few = count_queries(client, url)
    for _ in range(10):
        f.HouseFactory(with_defaults=False, commune=f.commune("23096"))
    assert count_queries(client, url) == few


# --- "today" is the house's day -------------------------------------------------------------------


def overseas_agent(commune_code: str, departement_code: str):
    house = f.HouseFactory(
        commune=f.commune(commune_code),
        organisation=f.OrganisationFactory(
            departement=Departement.objects.get(code=departement_code)
        ),
    )
    agent = f.UserFactory(email=f"agent.{departement_code}@test.fr")
    f.MembershipFactory(user=agent, role=Role.AGENT, house=house)
    return house, agent


def home_page(client, agent, at: datetime) -> str:
    client.force_login(agent)
    with time_machine.travel(at, tick=False):
        return client.get(reverse("home")).content.decode()


@pytest.mark.parametrize(
    ("commune", "departement", "todays_utc", "yesterdays_utc", "now"),
    [
        # 10 March 2026, 01:00 UTC: the 10th in Paris (02:00), still 9 March, 21:00 in
        # Guadeloupe (UTC−4). The request of 9 March 15:00 there is today's for the house, not
        # for Paris; the one of 8 March, 23:00 local is not.
        (
            "97105",
            "971",
            datetime(2026, 3, 9, 19, 0),
            datetime(2026, 3, 9, 3, 0),
            datetime(2026, 3, 10, 1, 0),
        ),
        # 9 March 2026, 21:30 UTC: still the 9th in Paris (22:30), already 10 March, 01:30 in La
        # Réunion (UTC+4). Only the request made after midnight there (01:00 local) is today's,
        # not the one of 9 March, 23:00 local.
        (
            "97411",
            "974",
            datetime(2026, 3, 9, 21, 0),
            datetime(2026, 3, 9, 19, 0),
            datetime(2026, 3, 9, 21, 30),
        ),
    ],
    ids=["guadeloupe", "reunion"],
)
@pytest.mark.django_db
def test_overseas_agent_home_counts_today_in_the_houses_zone(
    client, commune, departement, todays_utc, yesterdays_utc, now
):
    house, agent = overseas_agent(commune, departement)
    for occurred_at in (todays_utc, yesterdays_utc):
        f.ServiceRequestFactory(
            house=house, agent=agent, occurred_at=occurred_at.replace(tzinfo=UTC)
        )
    page = home_page(client, agent, now.replace(tzinfo=UTC))
    assert "Vous avez enregistré 1 demande aujourd" in page


@pytest.mark.django_db
def test_agent_of_two_zones_counts_each_houses_day(client):
    # 10 March 2026, 01:00 UTC: 10 March in Paris (02:00), 9 March (21:00) in Guadeloupe.
    overseas, agent = overseas_agent("97105", "971")
    paris = f.HouseFactory()
    f.MembershipFactory(user=agent, role=Role.AGENT, house=paris)
    f.ServiceRequestFactory(
        house=overseas, agent=agent, occurred_at=datetime(2026, 3, 9, 19, 0, tzinfo=UTC)
    )  # its today
    f.ServiceRequestFactory(
        house=paris, agent=agent, occurred_at=datetime(2026, 3, 9, 22, 0, tzinfo=UTC)
    )  # 9 March 23:00: not
    f.ServiceRequestFactory(
        house=paris, agent=agent, occurred_at=datetime(2026, 3, 9, 23, 30, tzinfo=UTC)
    )  # 10 March 00:30
    page = home_page(client, agent, datetime(2026, 3, 10, 1, 0, tzinfo=UTC))
    assert "Vous avez enregistré 2 demandes aujourd" in page
    assert page.count("1 demande enregistrée aujourd") == 2  # each house's own day
