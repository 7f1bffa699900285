"""Every list page costs the same queries for a few rows as for many (ENGINEERING.md:
query-count assertions on list pages): no query per row, whatever the house's activity."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from msap.appointments.models import Appointment
from msap.desk.models import Procedure
from msap.partners.models import ServiceCategory, ServiceItem
from msap.people.models import Role
from msap.registers import services as registers
from tests import factories as f
from tests.conftest import count_queries

# The most any list page may run (session, user, house, access, the list, its counts).
LIST_MAX_QUERIES = 20


def same_cost(client, user, url, add_rows) -> int:
    """The page's queries before and after `add_rows()`; they must be equal and bounded."""
    client.force_login(user)
    few = count_queries(client, url)
    add_rows()
    many = count_queries(client, url)
    assert many == few, f"{url}: {few} queries before, {many} after adding rows"
    assert many <= LIST_MAX_QUERIES, f"{url}: {many} queries"
    return many


def requests(world, n: int, house=None, **fields):
    for i in range(n):
        f.ServiceRequestFactory(
            house=house or world.house,
            agent=world.users.agent,
            occurred_at=timezone.now() - timedelta(minutes=1 + i),
            partner=("caf", "france-travail", None)[i % 3],
            **fields,
        )


def test_the_agents_day_costs_the_same_for_2_or_30_requests(client, world):
    requests(world, 2)
    same_cost(client, world.users.agent, reverse("desk_day"), lambda: requests(world, 28))


def test_the_quick_entry_costs_the_same_whatever_the_history(client, world):
    requests(world, 2)
    same_cost(client, world.users.agent, reverse("desk_entry"), lambda: requests(world, 40))


def test_the_board_costs_the_same_for_few_or_many_requests(client, world):
    requests(world, 2)
    url = reverse("desk_board", args=[world.house.pk])
    same_cost(client, world.users.responsable, url, lambda: requests(world, 40))


def test_the_procedure_list_costs_the_same_for_few_or_many_procedures(client, world):
    category = ServiceCategory.objects.get(code="B1")

    def more():
        for i in range(20):
            Procedure.objects.create(
                partner=f.national_partner("caf"), label=f"Démarche {i}", category=category
            )

    same_cost(client, world.users.national, reverse("desk_procedure_admin"), more)


def items(world, n: int, kind="mail_in"):
    for i in range(n):
        item = f.RegisterItemFactory(
            house=world.house,
            kind=kind,
            subject=f"Objet {i}",
            received_at=timezone.now() - timedelta(days=i * 3),
            partner=f.national_partner("caf"),
            sender_email="x@exemple.fr",
        )
        if i % 2:
            registers.assign(world.users.agent, item, world.users.responsable, item.version)


def test_the_registers_home_costs_the_same_for_few_or_many_items(client, world):
    items(world, 2)
    url = reverse("registers_home", args=[world.house.pk])
    same_cost(client, world.users.responsable, url, lambda: items(world, 30))


@pytest.mark.parametrize("slug", ["courrier-arrive", "courrier-arrive?status=new&q=Objet"])
def test_a_register_list_costs_the_same_for_few_or_many_items(client, world, slug):
    items(world, 2)
    url = reverse("register_list", args=[world.house.pk, "courrier-arrive"])
    url += slug.removeprefix("courrier-arrive")
    same_cost(client, world.users.agent, url, lambda: items(world, 30))


def test_the_dossier_list_costs_the_same_for_few_or_many_files(client, world):
    f.DossierFactory(house=world.house, last_name="Martin")

    def more():
        for i in range(25):
            f.DossierFactory(
                house=world.house, last_name=f"Durand{i}", email=f"durand{i}@exemple.fr"
            )

    url = reverse("dossier_list", args=[world.house.pk])
    same_cost(client, world.users.agent, url, more)


def test_the_house_list_costs_the_same_for_few_or_many_houses(client, world):
    def more():
        for _ in range(20):
            f.HouseFactory()

    same_cost(client, world.users.national, reverse("house_list"), more)


def test_the_partners_page_costs_the_same_for_few_or_many_partnerships(client, world):
    def more():
        for code in ["cpam", "carsat", "msa", "la-poste"]:
            p = f.PartnershipFactory(house=world.house, partner=f.national_partner(code))
            f.ReferentFactory(partnership=p)
            f.ReferentFactory(partnership=p, ended_on=date(2025, 1, 31))
            p.services.set(ServiceItem.objects.all()[:5])

    url = reverse("house_partners", args=[world.house.pk])
    same_cost(client, world.users.agent, url, more)


def test_the_team_page_costs_the_same_for_few_or_many_people(client, world):
    def more():
        for _ in range(10):
            member = f.UserFactory()
            f.MembershipFactory(user=member, role=Role.AGENT, house=world.house)
            f.TrainingFactory(user=member, house=world.house)
            f.MembershipFactory(
                user=f.UserFactory(),
                role=Role.AGENT,
                house=world.house,
                ended_on=date(2025, 6, 30),
            )

    url = reverse("house_staff", args=[world.house.pk])
    same_cost(client, world.users.responsable, url, more)


def test_the_house_appointments_cost_the_same_for_few_or_many(client, world):
    kind = f.AppointmentTypeFactory(partnership=world.caf, location_type="phone")
    advisers = [f.AdviserFactory(partnership=world.caf) for _ in range(3)]
    day = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)

    def appointments(n: int, first: int = 0):
        for i in range(first, first + n):
            start = day + timedelta(minutes=20 * i)
            Appointment.objects.create(
                house=world.house,
                appointment_type=kind,
                adviser=advisers[i % 3],
                start=start,
                end=start + timedelta(minutes=20),
                booked_by=world.users.agent,
                person_name=f"Personne {i}",
            )

    appointments(2)
    url = reverse("appointment_list", args=[world.house.pk]) + "?period=week"
    same_cost(client, world.users.agent, url, lambda: appointments(20, first=2))
