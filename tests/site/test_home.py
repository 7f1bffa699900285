"""The home page of each role shows what that role checks first."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from msap.desk import services as desk
from msap.partners.models import ServiceCategory
from msap.registers import services as registers
from tests.conftest import login


def test_an_agent_sees_todays_requests_and_the_overdue_register_items(client, world):
    agent = world.users.agent
    desk.record_request(agent, world.house, {"category": ServiceCategory.objects.get(code="A")})
    registers.record_item(
        agent,
        world.house,
        kind="email",
        received_at=timezone.now() - timedelta(days=20),
        channel="email",
        subject="Question sur la prime d'activité",
        sender_email="x@exemple.fr",
    )
    page = login(client, agent).get(reverse("home")).content.decode()
    assert (
        "1 demande enregistrée aujourd&#x27;hui" in page
        or "1 demande enregistrée aujourd'hui" in page
    )
    assert "1 élément en retard" in page


def test_an_overseer_sees_network_counts_not_counter_figures(client, world):
    page = login(client, world.users.national).get(reverse("home")).content.decode()
    assert "maisons reconnues" in page
    assert "Saisir une demande" not in page


def test_a_person_without_role_is_told_how_to_get_one(client, world):
    page = login(client, world.users.norole).get(reverse("home")).content.decode()
    assert "pas encore de rôle" in page
