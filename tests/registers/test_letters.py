"""Letters (commitments 11–12): the PDFs carry the agent, the house's contacts and hours, the
expected answer date; issuing one registers the outgoing mail once."""

import io
import re

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from msap.core.models import JournalEntry
from msap.network.models import OpeningRange
from msap.people.models import User
from msap.registers import letters, services
from msap.registers.models import ItemLink, Kind, RegisterItem, Status
from tests import factories as f
from tests.registers import paris

# Tuesday 3 February 2026, 11:00 in Tulle.
NOW = paris(2026, 2, 3, 11)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def agent(one_house):
    User.objects.filter(pk=one_house.users.agent.pk).update(
        first_name="Camille", last_name="Bernard", phone="05 55 20 30 40"
    )
    one_house.users.agent.refresh_from_db()
    return one_house.users.agent


@pytest.fixture
def letter_item(one_house, agent):
    # Received Monday 2 February 2026: one month later is Monday 2 March 2026.
    item = f.RegisterItemFactory(
        house=one_house.house,
        created_by=agent,
        received_at=paris(2026, 2, 2, 9, 30),
        sender_name="Mme Durand",
        sender_address="3 rue des Lilas\n19000 Tulle",
        subject="Aide au logement",
    )
    return services.assign(agent, item, agent, item.version)


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    # Whitespace normalised: the PDF wraps lines where the page width decides.
    return re.sub(r"\s+", " ", "\n".join(page.extract_text() for page in reader.pages))


def generate(client, user, item, which="ack_letter"):
    client.force_login(user)
    return client.post(reverse(which, args=[item.pk]))


def test_opening_hours_are_written_the_french_way(one_house):
    assert (
        letters.opening_hours_lines(one_house.house)[0]
        == "lundi : 9 h 00 – 12 h 00, 14 h 00 – 16 h 30"
    )
    assert len(letters.opening_hours_lines(one_house.house)) == 5


def test_opening_hours_of_a_house_with_saturday_morning(one_house):
    OpeningRange.objects.create(house=one_house.house, weekday=5, start="09:30", end="12:00")
    assert letters.opening_hours_lines(one_house.house)[-1] == "samedi : 9 h 30 – 12 h 00"


def test_french_dates_with_weekday_and_first_of_month():
    from datetime import date

    assert letters.french_date(date(2026, 3, 2), weekday=True) == "lundi 2 mars 2026"
    assert letters.french_date(date(2026, 4, 1)) == "1er avril 2026"


def test_acknowledgement_carries_agent_house_contacts_hours_and_due_date(
    client, one_house, agent, letter_item
):
    response = generate(client, agent, letter_item)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert response.content.startswith(b"%PDF-")
    content = pdf_text(response.content)
    assert "Camille Bernard" in content
    assert "05 55 20 30 40" in content
    house = one_house.house
    assert house.address in content and f"{house.postal_code} Tulle" in content
    assert house.email in content and house.phone in content
    assert "lundi : 9 h 00 – 12 h 00, 14 h 00 – 16 h 30" in content
    assert "vendredi : 9 h 00 – 12 h 00, 14 h 00 – 16 h 30" in content
    assert "2 février 2026" in content  # received
    assert "au plus tard le lundi 2 mars 2026" in content
    assert "Mme Durand" in content


def test_acknowledgement_uses_the_current_user_when_nobody_is_assigned(client, world, agent):
    User.objects.filter(pk=world.users.responsable.pk).update(
        first_name="Dominique", last_name="Vidal", phone="05 55 70 80 90"
    )
    world.users.responsable.refresh_from_db()
    item = f.RegisterItemFactory(
        house=world.house,
        created_by=agent,
        kind="email",
        sender_email="usager@exemple.fr",
        subject="Question",
    )
    content = pdf_text(generate(client, world.users.responsable, item).content)
    assert "Dominique Vidal" in content and "05 55 70 80 90" in content


def test_acknowledgement_registers_the_outgoing_mail_once_even_when_generated_twice(
    client, one_house, agent, letter_item
):
    generate(client, agent, letter_item)
    generate(client, agent, letter_item)
    outgoing = RegisterItem.objects.filter(house=one_house.house, kind=Kind.OUTGOING_MAIL)
    assert outgoing.count() == 1
    out = outgoing.get()
    assert out.subject == "Accusé de réception — Aide au logement"
    assert out.status == Status.CLOSED and out.sender_name == "Mme Durand"
    assert ItemLink.objects.filter(source=letter_item, target=out, relation="related").exists()
    assert (
        JournalEntry.objects.filter(action="register.recorded", target_id=str(out.pk)).count() == 1
    )
    assert (
        JournalEntry.objects.filter(action="register.letter", target_id=str(letter_item.pk)).count()
        == 2
    )


def test_acknowledgement_on_another_day_is_registered_again(client, world, agent, letter_item):
    generate(client, agent, letter_item)
    with time_machine.travel(paris(2026, 2, 4, 9), tick=False):
        generate(client, agent, letter_item)
    assert RegisterItem.objects.filter(kind=Kind.OUTGOING_MAIL).count() == 2


def test_answer_letter_carries_the_answer_and_is_linked_as_answered_by(
    client, one_house, agent, letter_item
):
    services.set_status(
        agent,
        letter_item,
        Status.ANSWERED,
        letter_item.version,
        answer_text="Votre demande d'aide au logement est transmise à la CAF.",
    )
    response = generate(client, agent, letter_item, "answer_letter")
    generate(client, agent, letter_item, "answer_letter")
    content = pdf_text(response.content)
    assert "Votre demande d'aide au logement est transmise à la CAF." in content
    assert "Camille Bernard" in content and "05 55 20 30 40" in content
    assert "lundi : 9 h 00 – 12 h 00, 14 h 00 – 16 h 30" in content
    out = RegisterItem.objects.get(kind=Kind.OUTGOING_MAIL)
    assert out.subject == "Réponse — Aide au logement"
    assert ItemLink.objects.filter(source=letter_item, target=out, relation="answered_by").exists()


def test_redirect_letter_names_the_referent_but_never_their_private_contact(
    client, world, agent, letter_item
):
    text = letters.redirect_answer_text(world.caf_referent)
    services.set_status(
        agent, letter_item, Status.REDIRECTED, letter_item.version, answer_text=text
    )
    content = pdf_text(generate(client, agent, letter_item, "answer_letter").content)
    assert "Claire Dumont" in content and world.caf_referent.function in content
    assert "05 55 99 88 77" not in content and "claire.dumont.privee" not in content


def test_answer_letter_before_any_answer_is_refused_and_nothing_registered(
    client, one_house, agent, letter_item
):
    response = generate(client, agent, letter_item, "answer_letter")
    assert response.status_code == 302
    assert not RegisterItem.objects.filter(kind=Kind.OUTGOING_MAIL).exists()
    page = client.get(response["Location"]).content.decode()
    assert "Enregistrez d&#x27;abord la réponse" in page


def test_phone_call_gets_no_acknowledgement(client, one_house, agent):
    call = f.RegisterItemFactory(
        house=one_house.house, created_by=agent, kind="phone", phone_outcome="voicemail"
    )
    assert generate(client, agent, call).status_code == 302
    assert not RegisterItem.objects.filter(kind=Kind.OUTGOING_MAIL).exists()


def test_letters_are_refused_to_other_houses_and_overseers(client, world, agent, letter_item):
    assert generate(client, world.users.other_agent, letter_item).status_code == 404
    assert generate(client, world.users.prefecture, letter_item).status_code == 403
    assert generate(client, world.users.referent_caf, letter_item).status_code == 403
    client.logout()
    assert client.post(reverse("ack_letter", args=[letter_item.pk])).status_code == 302
    assert not RegisterItem.objects.filter(kind=Kind.OUTGOING_MAIL).exists()


def test_letter_generation_needs_post(client, one_house, agent, letter_item):
    client.force_login(agent)
    assert client.get(reverse("ack_letter", args=[letter_item.pk])).status_code == 405
