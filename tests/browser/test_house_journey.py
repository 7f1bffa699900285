"""The responsable's journey in a real Chromium: hours refused then accepted (art. 3.2), a
referent added (annex 2), and an axe-core pass on every page visited."""

from msap.network.models import OpeningRange
from msap.partners.models import Referent
from msap.people.models import Role
from tests import factories as f
from tests.browser.conftest import assert_accessible, login


def _fill_week(page, days, start="09:00", end="12:00", afternoon=("14:00", "17:00")):
    for day in range(7):
        for slot, (a, b) in enumerate([(start, end), afternoon]):
            on = day in days
            page.locator(f"#id_d{day}_{slot}_start").fill(a if on else "")
            page.locator(f"#id_d{day}_{slot}_end").fill(b if on else "")


def test_responsable_edits_hours_and_adds_a_referent(page, live_server):
    house = f.HouseFactory(name="France Services de Tulle", commune=f.commune("19272"))
    partnership = f.PartnershipFactory(house=house, partner=f.national_partner("cpam"))
    user = f.UserFactory(email="resp@test.fr", first_name="Rose", last_name="Martin")
    f.MembershipFactory(user=user, role=Role.RESPONSABLE, house=house)

    login(page, "resp@test.fr", f.PASSWORD)
    assert_accessible(page)

    page.goto(f"/maisons/{house.pk}/")
    assert_accessible(page)

    # Refused: 2 days of 6 hours — under 24 h and under 3 days (art. 3.2). Nothing saved.
    page.goto(f"/maisons/{house.pk}/horaires/")
    assert_accessible(page)
    before = sorted(OpeningRange.objects.filter(house=house).values_list("weekday", "start", "end"))
    _fill_week(page, days={0, 1})
    page.get_by_role("button", name="Enregistrer les horaires").click()
    page.get_by_text("au moins 24 heures par semaine").first.wait_for()
    page.get_by_text("au moins 3 jours par semaine").first.wait_for()
    assert (
        sorted(OpeningRange.objects.filter(house=house).values_list("weekday", "start", "end"))
        == before
    )
    assert_accessible(page)

    # Accepted: Monday to Thursday, 9–12 and 14–17 = 24 h over 4 days.
    _fill_week(page, days={0, 1, 2, 3})
    page.get_by_role("button", name="Enregistrer les horaires").click()
    page.get_by_text("horaires ont été enregistrés").first.wait_for()
    assert OpeningRange.objects.filter(house=house).count() == 8
    assert_accessible(page)

    # A referent for the CPAM.
    page.goto(f"/maisons/{house.pk}/partenaires/{partnership.pk}/referents/ajouter/")
    assert_accessible(page)
    page.locator("#id_first_name").fill("Nadia")
    page.locator("#id_last_name").fill("Benali")
    page.locator("#id_function").fill("Conseillère référente")
    page.locator("#id_phone").fill("05 55 20 30 40")
    page.locator("#id_email").fill("nadia.benali@cpam.exemple.fr")
    page.get_by_role("button", name="Enregistrer le référent").click()
    page.get_by_text("Nadia Benali").first.wait_for()
    referent = Referent.objects.get(partnership=partnership)
    assert (referent.phone, referent.ended_on) == ("05 55 20 30 40", None)
    assert_accessible(page)
