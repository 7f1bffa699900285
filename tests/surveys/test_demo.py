"""The demo's surveys (commitment 15): most houses ran this year's campaign, some published
it with a plan, some have comments waiting, one ran none (commitment 15 fails there), and an
open campaign keeps unused codes so that the public form can be tried."""

import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from msap.network.models import House
from msap.surveys import queries
from msap.surveys.demo import NO_SURVEY, TRY_HOUSE
from msap.surveys.models import Campaign, CommentStatus, Token


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        out = io.StringIO()
        call_command("demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_output, db):
    return demo_output


def test_most_houses_ran_this_years_survey_and_one_did_not(demo):
    year = timezone.localdate().year
    houses = House.objects.filter(status="recognised")
    facts = {h.slug: queries.charter_facts(h, year) for h in houses}
    ran = [slug for slug, fact in facts.items() if fact.campaign_ran]
    assert len(ran) >= len(facts) - 1 >= 8
    assert facts[NO_SURVEY].campaign_ran is False
    assert queries.charter_facts(House.objects.get(slug=NO_SURVEY), year - 1).published
    published = [fact for fact in facts.values() if fact.published]
    assert published and all(fact.actions for fact in published)
    assert any(fact.campaign_ran and not fact.published for fact in facts.values())


def test_comments_wait_for_moderation_in_open_campaigns(demo):
    year = timezone.localdate().year
    assert Campaign.objects.filter(
        year=year, published_at__isnull=True, answers__comment_status=CommentStatus.PENDING
    ).exists()
    assert not Campaign.objects.filter(
        published_at__isnull=False, answers__comment_status=CommentStatus.PENDING
    ).exists()


def test_the_public_form_can_be_tried_with_the_code_the_demo_prints(demo, client):
    path = demo.split("Pour essayer le formulaire public de l'enquête : ", 1)[1].split()[0]
    response = client.get(path)
    assert response.status_code == 200
    campaign = Campaign.objects.get(house__slug=TRY_HOUSE, year=timezone.localdate().year)
    assert Token.objects.filter(campaign=campaign, used_at__isnull=True).count() >= 10


def test_a_published_house_shows_its_results_on_its_public_page(demo, client):
    campaign = (
        Campaign.objects.filter(published_at__isnull=False).order_by("-year", "house__slug").first()
    )
    page = client.get(reverse("public_house", args=[campaign.house.slug])).content.decode()
    assert 'id="survey-results"' in page


def test_a_second_run_adds_no_campaign(demo):
    before = Campaign.objects.count()
    call_command("demo", stdout=io.StringIO())
    assert Campaign.objects.count() == before
