"""Results of the survey for the house's staff (counts, means, charts with their tables, last
year and the département with small counts masked), the moderation of comments (journaled),
the publication on the house's public page (its cache invalidated), and what the charter
(commitment 15) and the steering committee (art. 6) read."""

import html
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from msap.core.models import JournalEntry
from msap.surveys import queries, rules, services
from msap.surveys.models import ActionStatus, Answer, CommentStatus
from tests import factories as f


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def campaign(one_house):
    return f.survey_campaign(one_house.house)


def test_results_count_and_average_each_question(campaign):
    f.survey_answer(campaign, welcome=4, overall=10)
    f.survey_answer(campaign, welcome=2, overall=6)
    f.survey_answer(campaign, welcome=3, overall=8)

    results = queries.campaign_results(campaign)

    assert results.count == 3
    welcome = next(q for q in results.questions if q.code == "welcome")
    assert welcome.counts == [1, 1, 1, 0]  # very satisfied first
    assert welcome.mean == pytest.approx(3.0)
    assert welcome.satisfied == 67
    assert results.overall_mean == pytest.approx(8.0)
    assert results.overall_counts[10] == 1 and results.overall_counts[6] == 1


def test_the_results_screen_draws_charts_with_their_tables_and_compares(client, world):
    year = timezone.localdate().year
    last = f.survey_campaign(world.house, year=year - 1)
    Answer.objects.create(
        campaign=last,
        answered_on=date(year - 1, 10, 1),
        access=1,
        welcome=1,
        waiting=1,
        confidentiality=1,
        outcome=1,
        overall=2,
    )
    campaign = f.survey_campaign(world.house)
    for _ in range(2):
        f.survey_answer(campaign, access=4)
    client.force_login(world.users.responsable)

    response = client.get(reverse("survey_results", args=[campaign.pk]))

    page = text(response)
    assert response.status_code == 200
    assert page.count("<svg") >= 3 and "Voir les données sous forme de tableau" in page
    assert "Répartition des réponses par question" in page
    # Last year's mean (1.0) beside this year's (4.0) for the access question.
    row = page.split("L'accès à la maison et ses horaires d'ouverture</th>", 1)[1].split("</tr>")[0]
    assert "4,0" in row and "1,0" in row
    # The département has 2 answers this year: fewer than 5, masked.
    assert f"< {rules.MIN_SHOWN} réponses" in page


def test_the_departement_comparison_shows_once_it_has_enough_answers(world):
    campaign = f.survey_campaign(world.house)
    neighbour = f.survey_campaign(world.other)
    for _ in range(3):
        f.survey_answer(campaign, waiting=4)
        f.survey_answer(neighbour, waiting=2)
    far = f.survey_campaign(world.far)  # another département: not counted
    f.survey_answer(far, waiting=1)

    comparison = queries.comparison(campaign)

    assert comparison.departement.count == 6 and comparison.departement_shown
    waiting = next(r for r in comparison.rows() if r["label"].startswith("Le temps d'attente"))
    assert waiting["current"] == pytest.approx(4) and waiting["departement"] == pytest.approx(3)


def test_a_comment_is_published_only_once_approved_and_each_decision_is_journaled(client, world):
    campaign = f.survey_campaign(world.house)
    kept = f.survey_answer(campaign, comment="Accueil chaleureux, merci à Léa.")
    dropped = f.survey_answer(campaign, comment="Commentaire injurieux")
    client.force_login(world.users.responsable)

    client.post(reverse("survey_moderate", args=[kept.pk, "publier"]))
    client.post(reverse("survey_moderate", args=[dropped.pk, "ecarter"]))

    kept.refresh_from_db()
    dropped.refresh_from_db()
    assert kept.comment_status == CommentStatus.APPROVED and kept.moderated_at
    assert dropped.comment_status == CommentStatus.REJECTED
    entries = JournalEntry.objects.filter(action="survey.comment", house_id=world.house.pk)
    assert entries.count() == 2
    assert all(e.actor == world.users.responsable for e in entries)
    # The journal names the decision, never the comment's words.
    assert "injurieux" not in str(list(entries.values()))


def test_an_agent_may_not_moderate(client, world):
    campaign = f.survey_campaign(world.house)
    answer = f.survey_answer(campaign, comment="Bien")
    client.force_login(world.users.agent)
    assert client.post(reverse("survey_moderate", args=[answer.pk, "publier"])).status_code == 403
    answer.refresh_from_db()
    assert answer.comment_status == CommentStatus.PENDING


def test_publication_shows_results_and_approved_comments_on_the_public_page(client, world):
    campaign = f.survey_campaign(world.house)
    for n in range(rules.MIN_SHOWN):
        f.survey_answer(campaign, overall=8 + n % 2)
    approved = f.survey_answer(campaign, comment="Toujours bien reçue.")
    pending = f.survey_answer(campaign, comment="Pas encore lu par la responsable.")
    services.moderate(None, approved, CommentStatus.APPROVED)
    public_url = reverse("public_house", args=[world.house.slug])
    before = text(client.get(public_url))  # cached for every visitor from now on
    assert "résultats de l'enquête" not in before

    client.force_login(world.users.responsable)
    response = client.post(reverse("survey_publish", args=[campaign.pk]))
    assert response.status_code == 302
    client.logout()

    page = text(client.get(public_url))
    assert f"Votre satisfaction : résultats de l'enquête {campaign.year}" in page
    assert "7 réponses" in page
    assert "Toujours bien reçue." in page
    assert pending.comment not in page
    entry = JournalEntry.objects.get(action="survey.publish")
    assert entry.house_id == world.house.pk


def test_published_results_of_few_answers_show_only_their_number(client, world):
    campaign = f.survey_campaign(world.house)
    f.survey_answer(campaign, overall=3)
    services.publish(None, campaign)
    page = text(client.get(reverse("public_house", args=[world.house.slug])))
    assert f"Moins de {rules.MIN_SHOWN} réponses" in page
    assert "sur 10" not in page.split('id="survey-results"')[1].split("</section>")[0]


def test_results_without_answers_cannot_be_published_nor_twice(campaign):
    with pytest.raises(services.DomainError, match="Aucune réponse"):
        services.publish(None, campaign)
    f.survey_answer(campaign)
    services.publish(None, campaign)
    with pytest.raises(services.DomainError, match="déjà publiés"):
        services.publish(None, campaign)


def test_a_new_answer_to_published_results_refreshes_the_public_page(client, world):
    campaign = f.survey_campaign(world.house)
    for _ in range(rules.MIN_SHOWN):
        f.survey_answer(campaign)
    services.publish(None, campaign)
    url = reverse("public_house", args=[world.house.slug])
    assert "5 réponses" in text(client.get(url))
    f.survey_answer(campaign)
    assert "6 réponses" in text(client.get(url))


def test_charter_facts_of_commitment_15(world):
    year = timezone.localdate().year
    assert queries.charter_facts(world.house, year) == queries.CharterFacts(
        False, 0, False, 0, 0, None
    )
    campaign = f.survey_campaign(world.house)
    f.survey_answer(campaign)
    f.survey_answer(campaign)
    services.publish(None, campaign)
    done = services.add_action(
        None, campaign, title="Signalétique", owner="Mairie", due_on=date(year, 12, 1)
    )
    services.add_action(
        None, campaign, title="Chaises", owner="Responsable", due_on=date(year, 12, 15)
    )
    services.update_action(
        None, done, status=ActionStatus.DONE, progress="Posée", due_on=done.due_on
    )

    facts = queries.charter_facts(world.house, year)

    assert facts == queries.CharterFacts(
        campaign_ran=True,
        answers=2,
        published=True,
        actions=2,
        open_actions=1,
        results_url=reverse("survey_results", args=[campaign.pk]),
    )
    assert queries.charter_facts(world.other, year).campaign_ran is False


def test_plan_for_lists_the_actions_by_due_date_for_the_committee(world):
    year = timezone.localdate().year
    assert queries.plan_for(world.house, year).actions == []
    campaign = f.survey_campaign(world.house)
    late = services.add_action(None, campaign, title="B", owner="X", due_on=date(year, 12, 20))
    soon = services.add_action(None, campaign, title="A", owner="Y", due_on=date(year, 12, 2))

    plan = queries.plan_for(world.house, year)

    assert plan.actions == [soon, late] and plan.open_actions == [soon, late]
    assert plan.url == reverse("survey_plan", args=[campaign.pk])


def test_an_action_moves_only_along_its_graph_and_is_journaled(client, world):
    campaign = f.survey_campaign(world.house)
    action = services.add_action(
        None, campaign, title="Horaires", owner="Accueil", due_on=date(2030, 1, 1)
    )
    services.update_action(
        None, action, status=ActionStatus.ABANDONED, progress="", due_on=action.due_on
    )
    with pytest.raises(services.DomainError, match="Passage impossible"):
        services.update_action(
            None, action, status=ActionStatus.DONE, progress="", due_on=action.due_on
        )
    action.refresh_from_db()
    assert action.status == ActionStatus.ABANDONED
    assert JournalEntry.objects.filter(action="survey.action", house_id=world.house.pk).count() == 2


def test_the_plan_form_refuses_an_action_without_owner_and_agents_cannot_add(client, world):
    campaign = f.survey_campaign(world.house)
    url = reverse("survey_plan", args=[campaign.pk])
    client.force_login(world.users.responsable)
    response = client.post(url, {"title": "Affichage", "owner": "", "due_on": "2030-01-31"})
    assert response.status_code == 400 and "Indiquez qui pilote" in text(response)
    client.force_login(world.users.agent)
    assert client.post(url, {"title": "A", "owner": "B", "due_on": "2030-01-31"}).status_code == 403
    assert not campaign.actions.exists()


def test_a_campaign_opens_within_its_year_once(client, world):
    client.force_login(world.users.responsable)
    url = reverse("survey_open", args=[world.house.pk])
    year = timezone.localdate().year
    response = client.post(
        url, {"year": year, "opens_on": f"{year}-09-01", "closes_on": f"{year + 1}-01-15"}
    )
    assert response.status_code == 400 and "se clôt dans l'année" in text(response)
    response = client.post(
        url, {"year": year, "opens_on": f"{year}-09-01", "closes_on": f"{year}-08-01"}
    )
    assert "ne peut pas précéder" in text(response)
    ok = client.post(url, {"year": year, "opens_on": f"{year}-09-01", "closes_on": f"{year}-12-31"})
    assert ok.status_code == 302
    again = client.post(
        url, {"year": year, "opens_on": f"{year}-10-01", "closes_on": f"{year}-12-31"}
    )
    assert "déjà une campagne" in text(again)
    assert world.house.campaigns.count() == 1
    assert (
        JournalEntry.objects.filter(action="survey.campaign", house_id=world.house.pk).count() == 1
    )
