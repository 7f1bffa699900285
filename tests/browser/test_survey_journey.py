"""The survey's journey (issue 11, done when): the agent shows a code at the counter, a visitor
answers the survey on the public form with it, the responsable publishes the comment and the
results, and they show on the house's public page (commitment 15). axe-core on the public form."""

from playwright.sync_api import expect

from msap.surveys import rules
from msap.surveys.models import Answer
from tests import factories as f
from tests.browser.conftest import assert_accessible, login


def test_a_visitor_answers_with_a_code_and_the_published_result_is_public(page, transactional_db):
    house = f.HouseFactory(name="France Services de Tulle", commune=f.commune("19272"))
    responsable = f.UserFactory(email="responsable.tulle@test.fr")
    f.MembershipFactory(user=responsable, role="responsable", house=house)
    campaign = f.survey_campaign(house)
    for _ in range(rules.MIN_SHOWN - 1):  # four earlier answers: the fifth makes figures public
        f.survey_answer(campaign, overall=8)

    # The counter: a code for the visitor, with its QR code.
    login(page, responsable.email, f.PASSWORD)
    page.goto(f"/enquetes/{campaign.pk}/guichet/")
    page.get_by_role("button", name="Afficher un code").click()
    code = page.locator("#survey-token-code").inner_text().strip()
    expect(page.locator("svg.msap-qr")).to_be_visible()
    page.context.clear_cookies()

    # The visitor: the poster's short link, the code of the ticket, the form.
    page.goto("/e/")
    page.get_by_label("Votre code").fill(code.lower())
    page.get_by_role("button", name="Répondre à l'enquête").click()
    expect(page.locator("#survey-code")).to_have_text(code)
    assert_accessible(page)
    for question in rules.QUESTION_FIELDS:
        page.locator(f"#q-{question} label", has_text="Très satisfait").click()
    page.locator("#q-overall label").get_by_text("10", exact=True).click()
    page.get_by_label("Votre commentaire (facultatif)").fill("Merci pour l'aide avec mon dossier.")
    page.get_by_role("button", name="Envoyer ma réponse").click()
    expect(page.locator("#survey-thanks")).to_be_visible()
    assert_accessible(page)
    assert Answer.objects.filter(campaign=campaign).count() == rules.MIN_SHOWN
    # The same code again: refused, nothing saved.
    page.goto(f"/e/{code}/")
    expect(page.locator("#survey-refusal")).to_contain_text("déjà servi")

    # The responsable publishes the comment, then the results.
    login(page, responsable.email, f.PASSWORD)
    page.goto(f"/enquetes/{campaign.pk}/commentaires/")
    page.get_by_role("row").filter(has_text="Merci pour l'aide").get_by_role(
        "button", name="Publier"
    ).click()
    page.goto(f"/enquetes/{campaign.pk}/resultats/")
    expect(page.locator("#survey-count")).to_contain_text(f"{rules.MIN_SHOWN} réponses")
    page.get_by_role("link", name="Publier les résultats").click()
    page.get_by_role("button", name="Publier les résultats").click()
    expect(page.get_by_text("Les résultats sont publiés")).to_be_visible()
    page.context.clear_cookies()

    # The house's public page shows them.
    page.goto(f"/maison/{house.slug}/")
    results = page.locator("#survey-results")
    expect(results).to_contain_text(f"résultats de l'enquête {campaign.year}")
    expect(results).to_contain_text(f"{rules.MIN_SHOWN} réponses")
    expect(results).to_contain_text("Merci pour l'aide avec mon dossier.")
    assert_accessible(page)
