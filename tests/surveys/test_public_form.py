"""The public form of the satisfaction survey (charter commitment 15: "nous mesurons chaque
année la satisfaction des usagers"): one anonymous answer per visit, with a one-time code, and
nothing saved — with a French message — for every attempt to stuff the ballot."""

import html
from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from msap.surveys import rules, services
from msap.surveys.models import Answer, CommentStatus, Token
from tests import factories as f

ANSWER = {k: str(v) for k, v in f.SURVEY_ANSWER.items()}


@pytest.fixture
def campaign(one_house):
    return f.survey_campaign(one_house.house)


@pytest.fixture
def token(campaign):
    (token,) = services.issue_tokens(None, campaign, 1)
    return token


def text(response) -> str:
    return html.unescape(response.content.decode())


def form_url(token):
    return reverse("survey_form", args=[rules.format_code(token.code)])


def test_a_visitor_answers_once_with_the_code_of_their_visit(client, token):
    page = client.get(form_url(token))
    assert page.status_code == 200
    assert "L'accueil et la courtoisie de l'agent" in text(page)

    response = client.post(form_url(token), {**ANSWER, "comment": "Très bon accueil."})

    assert response.status_code == 302 and response["Location"] == reverse("survey_thanks")
    answer = Answer.objects.get()
    assert (answer.welcome, answer.overall, answer.comment) == (4, 9, "Très bon accueil.")
    assert answer.comment_status == CommentStatus.PENDING  # read before it is published
    assert Token.objects.get().used_at is not None


def test_an_answer_keeps_nothing_that_leads_to_a_person(client, token):
    # Anonymous: no address, no account, no time of day, no link to the code that opened it.
    client.post(form_url(token), ANSWER, REMOTE_ADDR="203.0.113.9")
    fields = {field.name for field in Answer._meta.get_fields()}
    assert not fields & {"ip", "client", "user", "token", "created_at", "person"}
    assert "203.0.113.9" not in str(list(Answer.objects.values()))


def test_the_code_typed_in_lower_case_with_spaces_opens_the_form(client, token):
    typed = f" {token.code[:4].lower()} {token.code[4:].lower()} "
    response = client.get(reverse("survey_entry"), {"code": typed})
    assert response.status_code == 302
    assert response["Location"] == form_url(token)


def test_a_code_of_the_wrong_length_is_refused_on_the_entry_page(client):
    response = client.get(reverse("survey_entry"), {"code": "ABC"})
    assert response.status_code == 400
    assert "8 caractères" in text(response)


def test_a_used_code_is_refused_and_saves_nothing(client, token):
    client.post(form_url(token), ANSWER)
    again = client.post(form_url(token), {**ANSWER, "overall": "0"})

    assert again.status_code == 410
    assert "déjà servi" in text(again)
    assert Answer.objects.count() == 1 and Answer.objects.get().overall == 9


def test_an_unknown_code_is_refused(client, campaign):
    response = client.post(reverse("survey_form", args=["ZZZZ-ZZZZ"]), ANSWER)
    assert response.status_code == 404
    assert "Ce code n'existe pas" in text(response)
    assert not Answer.objects.exists()


def test_an_expired_code_is_refused(client, token):
    later = timezone.now() + timedelta(days=rules.TOKEN_VALID_DAYS, hours=1)
    with time_machine.travel(later):
        response = client.post(form_url(token), ANSWER)
    assert response.status_code == 410
    assert "expiré" in text(response)
    assert not Answer.objects.exists()


def test_an_answer_outside_the_campaign_is_refused(client, one_house):
    year = timezone.localdate().year
    campaign = f.survey_campaign(
        one_house.house, opens_on=date(year, 1, 1), closes_on=date(year, 12, 31)
    )
    (token,) = services.issue_tokens(None, campaign, 1)
    # The code's own validity is not the point: the campaign closed (commitment 15: that year's).
    Token.objects.filter(pk=token.pk).update(expires_at=timezone.now() + timedelta(days=400))
    with time_machine.travel(date(year + 1, 1, 2)):
        response = client.post(form_url(token), ANSWER)
    assert response.status_code == 410
    assert "en dehors de la campagne" in text(response)
    assert not Answer.objects.exists()


@pytest.mark.parametrize("missing", [*rules.QUESTION_FIELDS, "overall"])
def test_a_missing_mandatory_answer_is_refused_and_the_code_stays_usable(client, token, missing):
    data = {k: v for k, v in ANSWER.items() if k != missing}
    response = client.post(form_url(token), data)

    assert response.status_code == 400
    assert "Rien n'a été enregistré" in text(response) or "n'a pas été enregistrée" in text(
        response
    )
    assert not Answer.objects.exists()
    assert Token.objects.get().used_at is None


@pytest.mark.parametrize(
    ("field", "value"), [("welcome", "5"), ("waiting", "0"), ("overall", "11"), ("overall", "dix")]
)
def test_an_answer_off_the_scale_is_refused(client, token, field, value):
    response = client.post(form_url(token), {**ANSWER, field: value})
    assert response.status_code == 400
    assert not Answer.objects.exists()


def test_the_service_refuses_what_the_form_would_not_send(token):
    # The API of the service checks again: a mark out of 10 means 0 to 10.
    with pytest.raises(services.DomainError) as refused:
        services.submit_answer(token.code, {**f.SURVEY_ANSWER, "overall": 12}, client="x")
    assert "va de 0 à 10" in str(refused.value.errors["overall"])
    assert not Answer.objects.exists()


def test_a_comment_over_the_limit_is_refused(client, token):
    response = client.post(form_url(token), {**ANSWER, "comment": "a" * (rules.MAX_COMMENT + 1)})
    assert response.status_code == 400
    assert "caractères au plus" in text(response)
    assert not Answer.objects.exists()


def test_an_oversized_payload_is_refused_before_it_is_read(client, token):
    response = client.post(form_url(token), {**ANSWER, "padding": "x" * rules.MAX_PAYLOAD_BYTES})
    assert response.status_code == 413
    assert "trop longue" in text(response)
    assert not Answer.objects.exists()
    assert Token.objects.get().used_at is None


def test_a_robot_filling_the_honeypot_is_refused_politely(client, token):
    response = client.post(form_url(token), {**ANSWER, "website": "http://spam.example"})
    assert response.status_code == 429
    assert "Ne pas remplir" in text(response)
    assert not Answer.objects.exists()


def test_one_client_trying_codes_is_stopped_by_the_rate_limit(client, campaign):
    # Guessing a code is trying codes: every look-up counts against the client's hour.
    for n in range(rules.RATE_PER_CLIENT):
        assert client.get(reverse("survey_form", args=[f"ZZZZ-ZZ{n:02d}"])).status_code == 404
    (token,) = services.issue_tokens(None, campaign, 1)
    response = client.post(form_url(token), ANSWER)
    assert response.status_code == 429
    assert "beaucoup de réponses" in text(response)
    assert not Answer.objects.exists()


def test_a_campaign_flooded_from_many_addresses_is_stopped(campaign, settings):
    settings.DEBUG = False
    tokens = services.issue_tokens(None, campaign, rules.MAX_TICKETS_PER_SHEET)
    limit = 3
    rules_limit = rules.RATE_PER_CAMPAIGN
    try:
        rules.RATE_PER_CAMPAIGN = limit
        for n, token in enumerate(tokens[:limit]):
            services.submit_answer(token.code, f.SURVEY_ANSWER, client=f"198.51.100.{n}")
        with pytest.raises(services.Refused):
            services.submit_answer(tokens[limit].code, f.SURVEY_ANSWER, client="198.51.100.99")
    finally:
        rules.RATE_PER_CAMPAIGN = rules_limit
    assert Answer.objects.count() == limit
    assert Token.objects.get(pk=tokens[limit].pk).used_at is None  # still usable an hour later


def test_codes_are_random_short_and_unambiguous(campaign):
    tokens = services.issue_tokens(None, campaign, rules.MAX_TICKETS_PER_SHEET)
    codes = {t.code for t in tokens}
    assert len(codes) == rules.MAX_TICKETS_PER_SHEET
    assert all(len(c) == 8 and set(c) <= set(rules.CODE_ALPHABET) for c in codes)
    assert not set("0O1IL") & set("".join(codes))
