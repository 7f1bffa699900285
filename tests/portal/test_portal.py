"""The partner portal (issue 9, item 6; SPEC "Who uses it": a partner referent sees only what is
addressed to its organisation, in the houses where it is a partner, confirms appointments, keeps
its referent card current, sees its organisation's figures)."""

from django.urls import reverse

from msap.appointments.models import Appointment, AppointmentStatus
from msap.core.models import JournalEntry
from msap.permissions import forget_scope
from msap.transmissions import services as transmission_services
from tests import factories as f
from tests.conftest import count_queries, login
from tests.portal.conftest import book, offer_of


def test_a_referent_sees_only_the_appointments_addressed_to_its_organisation(
    client, world, booked, referent_ft
):
    login(client, world.users.referent_caf)
    page = client.get(reverse("portal_home")).content.decode()
    assert reverse("portal_appointment", args=[booked.caf.pk]) in page
    assert reverse("portal_appointment", args=[booked.ft.pk]) not in page
    # France Travail's referent, partner of the same house, never learns of the CAF's.
    login(client, referent_ft)
    assert client.get(reverse("portal_appointment", args=[booked.caf.pk])).status_code == 404
    response = client.post(
        reverse("portal_appointment_answer", args=[booked.caf.pk, "confirmed"]),
        {"version": booked.caf.version},
    )
    assert response.status_code == 404
    assert Appointment.objects.get(pk=booked.caf.pk).status == AppointmentStatus.REQUESTED


def test_a_withdrawn_partnership_takes_its_house_out_of_the_portal(client, world, booked):
    world.caf.status, world.caf.left_on = "withdrawn", world.caf.joined_on
    world.caf.save(update_fields=["status", "left_on"])
    login(client, world.users.referent_caf)
    page = client.get(reverse("portal_home")).content.decode()
    assert reverse("portal_appointment", args=[booked.caf.pk]) not in page


def test_the_referent_confirms_an_appointment_and_the_journal_says_so(client, world, booked):
    login(client, world.users.referent_caf)
    url = reverse("portal_appointment_answer", args=[booked.caf.pk, "confirmed"])
    assert "Confirmer le rendez-vous" in client.get(url).content.decode()
    response = client.post(url, {"version": booked.caf.version})
    assert response.status_code == 302
    assert Appointment.objects.get(pk=booked.caf.pk).status == AppointmentStatus.CONFIRMED
    entry = JournalEntry.objects.filter(action="appointment.status").latest("pk")
    assert entry.actor == world.users.referent_caf


def test_a_revocation_needs_its_reason_and_a_stale_version_changes_nothing(client, world, booked):
    login(client, world.users.referent_caf)
    url = reverse("portal_appointment_answer", args=[booked.caf.pk, "revoked"])
    response = client.post(url, {"reason": "  ", "version": booked.caf.version})
    assert response.status_code == 200
    assert "Indiquez le motif" in response.content.decode()
    client.post(url, {"reason": "Conseiller absent", "version": booked.caf.version + 5})
    assert Appointment.objects.get(pk=booked.caf.pk).status == AppointmentStatus.REQUESTED
    client.post(url, {"reason": "Conseiller absent", "version": booked.caf.version})
    revoked = Appointment.objects.get(pk=booked.caf.pk)
    assert (revoked.status, revoked.revoked_reason) == ("revoked", "Conseiller absent")


def test_a_partner_answers_only_confirm_or_revoke(client, world, booked):
    login(client, world.users.referent_caf)
    url = reverse("portal_appointment_answer", args=[booked.caf.pk, "seen"])
    assert client.post(url, {"version": booked.caf.version}).status_code == 404


def test_the_portal_never_shows_the_persons_email(client, world, booked):
    login(client, world.users.referent_caf)
    page = client.get(reverse("portal_appointment", args=[booked.caf.pk])).content.decode()
    assert "Jeanne Moreau" in page
    assert "jeanne.moreau@exemple.fr" not in page
    assert "06 12 34 56 78" in page  # a phone appointment: the adviser calls the person


def test_the_offer_lists_the_advisers_slots_of_the_organisation_only(client, world, booked):
    login(client, world.users.referent_caf)
    page = client.get(reverse("portal_offer")).content.decode()
    assert "Créneaux de Sophie Martin" in page
    assert "Créneaux de Paul Martin" not in page  # France Travail's adviser


def test_the_referent_cards_page_leads_to_the_versioned_edit(client, world):
    login(client, world.users.referent_caf)
    page = client.get(reverse("portal_cards")).content.decode()
    assert reverse("referent_edit", args=[world.house.pk, world.caf_referent.pk]) in page
    # Not France Travail's referent card (its edit link; a name alone could match another's).
    assert reverse("referent_edit", args=[world.house.pk, world.ft_referent.pk]) not in page


def test_the_figures_count_the_organisations_appointments_with_their_rates(client, world, booked):
    login(client, world.users.referent_caf)
    client.post(
        reverse("portal_appointment_answer", args=[booked.caf.pk, "revoked"]),
        {"reason": "Absent", "version": booked.caf.version},
    )
    response = client.get(reverse("portal_figures"))
    totals = response.context["figures"]["totals"]
    assert (totals["total"], totals["revoked"], totals["cancellation_rate"]) == (1, 1, 100.0)


def test_the_portals_pages_cost_the_same_queries_whatever_the_number_of_houses(client, world):
    login(client, world.users.referent_caf)
    kind, adviser = offer_of(world.caf)
    book(world, kind, adviser)
    transmission_services.send(
        world.users.agent, world.house, partnership=world.caf, subject="Objet", question="?"
    )
    urls = [reverse(n) for n in ("portal_home", "portal_offer", "portal_cards", "portal_figures")]
    before = [count_queries(client, url) for url in urls]
    for n in range(3):
        house = f.HouseFactory(name=f"Maison {n}", commune=world.house.commune)
        partnership = f.PartnershipFactory(house=house, partner=world.caf.partner)
        f.ReferentFactory(partnership=partnership)
        f.MembershipFactory(user=world.users.agent, role="agent", house=house)
        kind, adviser = offer_of(partnership)
        book(world, kind, adviser, house=house)
        forget_scope(world.users.agent)
        transmission_services.send(
            world.users.agent, house, partnership=partnership, subject="Objet", question="?"
        )
    assert [count_queries(client, url) for url in urls] == before


def test_the_home_page_of_a_referent_counts_what_waits_for_it(client, world, booked):
    login(client, world.users.referent_caf)
    page = client.get("/").content.decode()
    assert "1 rendez-vous à confirmer" in page
    assert reverse("portal_home") in page
