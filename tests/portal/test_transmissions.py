"""The inbox of transmissions in the partner portal (issue 9, items 5 and 6): a referent sees
those addressed to its organisation with their running time limit, takes them in charge, asks for
information, resolves, redirects or refuses them; another partner's referent never sees them."""

from django.urls import reverse
from django.utils import timezone

from msap.transmissions import services
from msap.transmissions.models import Transmission
from tests.conftest import login


def send(world, partnership=None):
    transmission, _created = services.send(
        world.users.agent,
        world.house,
        partnership=partnership or world.caf,
        subject="Droits au RSA après une séparation",
        question="Quels droits, quelles pièces ?",
        now=timezone.now(),
    )
    return transmission


def status_of(transmission):
    return Transmission.objects.get(pk=transmission.pk).status


def test_the_inbox_shows_the_organisations_transmissions_with_their_time_limit(client, world):
    caf, ft = send(world), send(world, world.ft)
    login(client, world.users.referent_caf)
    page = client.get(reverse("portal_home")).content.decode()
    assert reverse("portal_transmission", args=[caf.pk]) in page
    assert reverse("portal_transmission", args=[ft.pk]) not in page
    assert "Prise en charge : au plus tard le" in page


def test_the_referent_takes_in_charge_then_resolves(client, world):
    transmission = send(world)
    login(client, world.users.referent_caf)
    client.post(
        reverse("portal_transmission_move", args=[transmission.pk, "prise-en-charge"]),
        {"prise-en-charge-version": transmission.version},
    )
    assert status_of(transmission) == "taken"
    url = reverse("portal_transmission_move", args=[transmission.pk, "resolution"])
    response = client.post(url, {"resolution-version": transmission.version + 1})
    assert response.status_code == 200 and "Indiquez la réponse" in response.content.decode()
    assert status_of(transmission) == "taken"
    client.post(
        url,
        {"resolution-version": transmission.version + 1, "resolution-text": "Droits ouverts."},
    )
    assert status_of(transmission) == "resolved"


def test_a_refusal_needs_its_reason_and_a_redirection_another_partner_of_the_house(client, world):
    transmission = send(world)
    login(client, world.users.referent_caf)
    refuse = reverse("portal_transmission_move", args=[transmission.pk, "refus"])
    client.post(refuse, {"refus-version": transmission.version})
    assert status_of(transmission) == "sent"
    redirect = reverse("portal_transmission_move", args=[transmission.pk, "reorientation"])
    client.post(
        redirect,
        {"reorientation-version": transmission.version, "reorientation-redirected_to": world.ft.pk},
    )
    assert Transmission.objects.get(pk=transmission.pk).redirected_to == world.ft


def test_another_partners_referent_and_the_houses_agent_do_not_answer(client, world, referent_ft):
    transmission = send(world)
    url = reverse("portal_transmission_move", args=[transmission.pk, "prise-en-charge"])
    login(client, referent_ft)
    assert client.get(reverse("portal_transmission", args=[transmission.pk])).status_code == 404
    assert client.post(url, {"prise-en-charge-version": 1}).status_code == 404
    login(client, world.users.agent)
    assert client.post(url, {"prise-en-charge-version": 1}).status_code == 403
    assert status_of(transmission) == "sent"


def test_the_figures_count_the_organisations_transmissions(client, world):
    send(world)
    login(client, world.users.referent_caf)
    rows = client.get(reverse("portal_figures")).context["transmission_figures"]
    assert [(r.partner, r.count, r.open) for r in rows] == [("CAF", 1, 1)]
