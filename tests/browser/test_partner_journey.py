"""Issue 9's done-when, in a real Chromium: the agent books a video appointment in the house and
prints its preparation sheet; the CAF referent signs in, confirms it and answers a transmission;
the agent sees both: the appointment confirmed, the transmission resolved. axe-core on every
page visited."""

from datetime import time

from django.utils import timezone

from msap.network.models import Equipment
from msap.people.models import Role
from msap.transmissions import services as transmissions
from msap.transmissions.models import Transmission
from tests import factories as f
from tests.browser.conftest import assert_accessible, login


def test_the_agent_books_and_the_caf_referent_confirms_and_answers(page, live_server):
    house = f.HouseFactory(name="France Services de Tulle", commune=f.commune("19272"))
    Equipment.objects.create(house=house, kind="visio", label="Salle visio")
    caf = f.PartnershipFactory(house=house, partner=f.national_partner("caf"))
    agent = f.UserFactory(email="agent@test.fr", first_name="Léa", last_name="Fabre")
    f.MembershipFactory(user=agent, role=Role.AGENT, house=house)
    referent = f.UserFactory(email="referent.caf@test.fr", first_name="Sophie", last_name="L.")
    f.MembershipFactory(user=referent, role=Role.REFERENT, partner=caf.partner)
    f.ReferentFactory(partnership=caf, user=referent, email="sophie.l@caf.exemple.fr")
    video = f.AppointmentTypeFactory(partnership=caf, location_type="video", subject="Droits CAF")
    adviser = f.AdviserFactory(partnership=caf, first_name="Paul", last_name="Roux")
    for day in range(5):
        f.SlotRuleFactory(
            adviser=adviser, appointment_type=video, weekday=day, start=time(9), end=time(12)
        )
    transmission, _created = transmissions.send(
        agent,
        house,
        partnership=caf,
        subject="Droits au RSA après une séparation",
        question="Quels droits, quelles pièces ?",
        now=timezone.now(),
    )

    # The agent books the first free video slot and prints the preparation sheet.
    login(page, "agent@test.fr", f.PASSWORD)
    page.goto(f"/rendez-vous/maison/{house.pk}/nouveau/?type={video.pk}")
    assert_accessible(page)
    page.locator("input[name=slot] + label").first.click()
    page.get_by_label("Nom et prénom de la personne").fill("Jeanne Moreau")
    page.get_by_role("button", name="Réserver le rendez-vous").click()
    page.get_by_text("Le rendez-vous est réservé").wait_for()
    assert_accessible(page)
    detail = page.url
    sheet = page.get_by_role("link", name="Fiche de préparation (PDF)").get_attribute("href")
    pdf = page.request.get(sheet)
    assert pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF")
    page.context.clear_cookies()

    # The CAF referent signs in, confirms it and takes the transmission in charge, then answers.
    login(page, "referent.caf@test.fr", f.PASSWORD)
    page.get_by_role("link", name="Espace partenaire").first.click()
    assert_accessible(page)
    page.locator("#to-confirm + div a, #to-confirm ~ div a").first.click()
    assert_accessible(page)
    page.get_by_role("link", name="Confirmer le rendez-vous").click()
    assert_accessible(page)
    page.get_by_role("button", name="Confirmer le rendez-vous").click()
    page.get_by_text("Rendez-vous : Confirmé par le partenaire").wait_for()
    page.goto("/partenaire/")
    page.get_by_role("link", name=f"Saisine n° {transmission.pk}").click()
    assert_accessible(page)
    page.get_by_role("button", name="Prise en charge").click()
    page.get_by_text("Saisine : Prise en charge").wait_for()
    page.locator("#id_resolution-text").fill("Droits ouverts : versement le 5 du mois.")
    page.get_by_role("button", name="Résolue").click()
    page.get_by_text("Saisine : Résolue").wait_for()
    assert_accessible(page)
    assert Transmission.objects.get(pk=transmission.pk).status == "resolved"
    page.context.clear_cookies()

    # The agent sees both: the appointment confirmed, the transmission resolved with its answer.
    login(page, "agent@test.fr", f.PASSWORD)
    page.goto(detail)
    page.get_by_text("Confirmé par le partenaire").first.wait_for()
    assert_accessible(page)
    page.goto(f"/saisines/{transmission.pk}/")
    page.get_by_text("Résolue").first.wait_for()
    page.get_by_text("Droits ouverts : versement le 5 du mois.").wait_for()
    assert_accessible(page)
