"""Complain, suggest, write (issue 10, item 3; commitments 12, 14, 15): each form files an item
in the house's registers with its charter deadline, shows an acknowledgement and, when an email
is given, sends it through the task queue. One form sent twice is one item; robots, floods and
oversized input are refused politely, and nothing is half-saved."""

import datetime as dt
import html
import re

import pytest
import time_machine
from django.core import mail

from msap.core.queue import run_ready_tasks
from msap.public import rules
from msap.registers.models import RegisterItem
from tests import factories as f

pytestmark = pytest.mark.django_db
TUESDAY_10 = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC)


def text(response) -> str:
    return html.unescape(response.content.decode())


def token_of(client, house, kind) -> str:
    body = client.get(f"/maison/{house.slug}/ecrire/{kind}/").content.decode()
    return re.search(r'name="token" value="([^"]+)"', body).group(1)


def send(client, house, kind, token=None, **data):
    fields = {
        "token": token or token_of(client, house, kind),
        "subject": "Accueil",
        "body": "Bonjour",
    }
    fields.update(data)
    return client.post(f"/maison/{house.slug}/ecrire/{kind}/", fields, REMOTE_ADDR="203.0.113.7")


@time_machine.travel(TUESDAY_10, tick=False)
def test_a_complaint_with_an_address_gets_the_one_month_deadline(client, one_house):
    """Commitment 14: a complaint with a postal address is answered within one month."""
    house = one_house.house
    response = send(
        client,
        house,
        "reclamation",
        address="3 rue des Lilas, 19000 Tulle",
        email="a@exemple.fr",
        name="Anne",
    )
    assert response.status_code == 302
    item = RegisterItem.objects.get(house=house)
    assert (item.kind, item.channel, item.created_by, item.due_rule) == (
        "complaint",
        "web",
        None,
        "complaint_1_month",
    )
    ack = text(client.get(response["Location"]))
    assert f"Réclamation n° {item.number}" in ack
    assert "au plus tard le 10 avril 2026" in ack
    assert "Anne" not in ack and "a@exemple.fr" not in ack  # no personal data on the page


@time_machine.travel(TUESDAY_10, tick=False)
def test_a_complaint_without_address_has_no_deadline_and_says_why(client, one_house):
    """Commitment 14: the one-month answer needs a postal address; the form and the
    acknowledgement say so."""
    house = one_house.house
    form = text(client.get(f"/maison/{house.slug}/ecrire/reclamation/"))
    assert "dans un délai d'un mois si vous indiquez votre adresse postale" in form
    response = send(client, house, "reclamation")
    item = RegisterItem.objects.get(house=house)
    assert item.due_at is None
    assert "le délai d'un mois de l'engagement 14 ne s'applique pas" in text(
        client.get(response["Location"])
    )


@time_machine.travel(TUESDAY_10, tick=False)
def test_a_message_is_an_email_answered_within_a_week_and_acknowledged_by_mail(client, one_house):
    """Commitment 12: a message is answered within a week; the acknowledgement goes by email
    through the task queue, once."""
    house = one_house.house
    send(client, house, "message", email="paul@exemple.fr")
    item = RegisterItem.objects.get(house=house)
    assert (item.kind, item.due_rule) == ("email", "email_1_week")
    run_ready_tasks()
    run_ready_tasks()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["paul@exemple.fr"]
    assert f"Courriel n° {item.number}" in mail.outbox[0].subject
    assert "17 mars 2026" in mail.outbox[0].body


def test_a_message_needs_an_email(client, one_house):
    """A message without an email cannot be answered: refused, nothing saved."""
    response = send(client, one_house.house, "message")
    assert response.status_code == 200
    assert "Indiquez votre adresse électronique" in text(response)
    assert not RegisterItem.objects.exists()


def test_a_suggestion_is_recorded_without_deadline(client, one_house):
    """Commitment 15: a suggestion is read, not answered by a date."""
    send(client, one_house.house, "suggestion", subject="Un banc dehors")
    item = RegisterItem.objects.get()
    assert (item.kind, item.due_at, item.subject) == ("suggestion", None, "Un banc dehors")


def test_the_same_form_sent_twice_is_one_item(client, one_house):
    """Double submission: the form's token makes it one item; both answers show it."""
    house = one_house.house
    token = token_of(client, house, "reclamation")
    first = send(client, house, "reclamation", token=token)
    second = send(client, house, "reclamation", token=token)
    assert RegisterItem.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_a_forged_token_is_refused(client, one_house):
    """A token not signed by the site: a French refusal, nothing saved."""
    response = send(client, one_house.house, "suggestion", token="forged")
    assert "Ce formulaire a expiré" in text(response)
    assert not RegisterItem.objects.exists()


def test_the_honeypot_refuses_robots_politely_and_logs(client, one_house, caplog):
    """A robot fills the hidden field: a polite refusal, logged, nothing saved."""
    response = send(client, one_house.house, "suggestion", website="http://spam.example")
    assert response.status_code == 429
    assert "Votre envoi n'a pas pu être enregistré" in text(response)
    assert "honeypot" in caplog.text
    assert not RegisterItem.objects.exists()


def test_a_flood_from_one_address_is_limited(client, one_house, caplog):
    """Rate limit per client address: beyond the hour's allowance, a polite refusal, logged."""
    house = one_house.house
    for _ in range(rules.RATE_PER_CLIENT):
        assert send(client, house, "suggestion").status_code == 302
    response = send(client, house, "suggestion")
    assert response.status_code == 429
    assert "Réessayez dans une heure" in text(response)
    assert "rate limit" in caplog.text
    assert RegisterItem.objects.count() == rules.RATE_PER_CLIENT


def test_a_flood_on_one_house_from_many_addresses_is_limited(client, one_house, settings):
    """Rate limit per house: many addresses together are limited too."""
    house = one_house.house
    for n in range(rules.RATE_PER_HOUSE):
        fields = {"token": token_of(client, house, "suggestion"), "subject": "S", "body": "B"}
        client.post(
            f"/maison/{house.slug}/ecrire/suggestion/",
            fields,
            REMOTE_ADDR=f"198.51.{n // 250}.{n % 250}",
        )
    fields = {"token": token_of(client, house, "suggestion"), "subject": "S", "body": "B"}
    response = client.post(
        f"/maison/{house.slug}/ecrire/suggestion/", fields, REMOTE_ADDR="192.0.2.1"
    )
    assert response.status_code == 429
    assert RegisterItem.objects.count() == rules.RATE_PER_HOUSE


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"body": "x" * (rules.MAX_BODY + 1)}, "5000 caractères au plus"),
        ({"subject": ""}, "Indiquez l'objet de votre message."),
        ({"email": "pas une adresse"}, "Indiquez une adresse électronique valide"),
        ({"subject": "a\x00b"}, "Le caractère nul n’est pas autorisé."),
    ],
)
def test_bad_input_is_refused_in_french_and_saves_nothing(client, one_house, data, message):
    """Size limits and malformed input: a French message on the form, nothing saved."""
    response = send(client, one_house.house, "reclamation", **data)
    assert response.status_code == 200
    assert message in text(response)
    assert not RegisterItem.objects.exists()


def test_script_in_a_field_is_stored_as_text_and_escaped(client, one_house, world):
    """HTML or script in any field is kept as text and shown escaped to the agent."""
    send(client, one_house.house, "reclamation", subject="<script>alert(1)</script>")
    item = RegisterItem.objects.get()
    client.force_login(one_house.users.agent)
    body = client.get(f"/registres/elements/{item.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;" in body


def test_a_closed_or_unknown_form_kind_is_404(client, one_house):
    """Only the three forms exist; a closed house takes no new message."""
    house = one_house.house
    assert client.get(f"/maison/{house.slug}/ecrire/autre/").status_code == 404
    closed = f.HouseFactory(status="closed", closed_on=dt.date(2026, 1, 1))
    assert client.get(f"/maison/{closed.slug}/ecrire/reclamation/").status_code == 404


def test_an_acknowledgement_link_cannot_be_forged(client, one_house):
    """The acknowledgement's reference is signed: a forged one is 404."""
    assert client.get(f"/maison/{one_house.house.slug}/recu/123/").status_code == 404
