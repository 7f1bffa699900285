"""Register screens: who sees them, recording each kind, the guarded actions, bad input."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from msap.core.models import JournalEntry
from msap.registers.models import Attachment, ItemLink, Kind, RegisterItem, Status
from msap.registers.queries import on_time_figures
from tests import factories as f
from tests.registers import paris, text

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def item(one_house):
    return f.RegisterItemFactory(
        house=one_house.house,
        sender_name="Mme Durand",
        sender_address="3 rue des Lilas, 19000 Tulle",
        subject="Demande d'aide au logement",
    )


def scan_attached(*, to, by) -> Attachment:
    """A scanned PDF attached to the item `to` by `by`, as stored after an upload."""
    return Attachment.objects.create(
        item=to,
        original_name="scan.pdf",
        content_type="application/pdf",
        size=10,
        uploaded_by=by,
        file=SimpleUploadedFile("scan.pdf", PDF_BYTES),
    )


def post_action(client, item, action, version=None, **fields):
    data = {f"{action}-version": item.version if version is None else version}
    data.update({f"{action}-{k}": v for k, v in fields.items()})
    return client.post(reverse("item_action", args=[item.pk, action]), data)


# --- who may open the registers ---------------------------------------------------------------------


def screen_urls(world, item):
    return {
        "home": reverse("registers_home", args=[world.house.pk]),
        "list": reverse("register_list", args=[world.house.pk, "courrier-arrive"]),
        "new": reverse("item_new", args=[world.house.pk, "reclamations"]),
        "detail": reverse("item_detail", args=[item.pk]),
    }


@pytest.mark.parametrize("screen", ["home", "list", "new", "detail"])
@pytest.mark.parametrize("role", ["agent", "responsable", "gestionnaire", "admin"])
def test_house_staff_open_every_register_screen(client, world, item, screen, role):
    client.force_login(getattr(world.users, role))
    assert client.get(screen_urls(world, item)[screen]).status_code == 200


@pytest.mark.parametrize("screen", ["home", "list", "new", "detail"])
def test_agent_of_another_house_gets_404(client, world, item, screen):
    client.force_login(world.users.other_agent)
    assert client.get(screen_urls(world, item)[screen]).status_code == 404


@pytest.mark.parametrize("screen", ["home", "list", "new", "detail"])
@pytest.mark.parametrize("role", ["prefecture", "national", "referent_caf"])
def test_overseers_and_referents_never_see_senders_data(client, world, item, screen, role):
    client.force_login(getattr(world.users, role))
    response = client.get(screen_urls(world, item)[screen])
    assert response.status_code == 403
    assert "Mme Durand" not in text(response)


@pytest.mark.parametrize("screen", ["home", "list", "new", "detail"])
def test_anonymous_is_sent_to_login(client, one_house, item, screen):
    response = client.get(screen_urls(one_house, item)[screen])
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


@pytest.mark.parametrize(
    "role, status", [("other_agent", 404), ("prefecture", 403), ("referent_caf", 403)]
)
def test_actions_letters_and_downloads_refused_outside_the_house_staff(
    client, world, item, role, status
):
    att = scan_attached(to=item, by=world.users.agent)
    client.force_login(getattr(world.users, role))
    assert post_action(client, item, "start").status_code == status
    assert client.post(reverse("ack_letter", args=[item.pk])).status_code == status
    assert client.get(reverse("attachment_download", args=[item.pk, att.pk])).status_code == status
    item.refresh_from_db()
    assert item.status == Status.NEW
    assert not RegisterItem.objects.filter(kind=Kind.OUTGOING_MAIL).exists()


def test_unknown_register_is_404(client, one_house):
    client.force_login(one_house.users.agent)
    assert (
        client.get(reverse("register_list", args=[one_house.house.pk, "telegrammes"])).status_code
        == 404
    )


# --- the "à traiter" home ------------------------------------------------------------------------------


@time_machine.travel(paris(2026, 3, 10, 10), tick=False)  # a Tuesday
def test_home_lists_overdue_with_its_delay_due_soon_and_my_items(client, one_house):
    from msap.registers import services

    agent = one_house.users.agent
    emails = [
        # Monday 2 March: due Monday 9 March, so one day late on Tuesday 10.
        ("Courriel en souffrance", "a@exemple.fr", paris(2026, 3, 2, 9)),
        ("Courriel déjà ancien", "c@exemple.fr", paris(2026, 2, 2, 9)),  # due 9 Feb: 29 days late
        # Wednesday 4 March: due Wednesday 11, within DUE_SOON_DAYS.
        ("Courriel à traiter vite", "b@exemple.fr", paris(2026, 3, 4, 9)),
        ("Courriel du jour", "d@exemple.fr", paris(2026, 3, 10, 9)),
    ]
    for subject, sender, received_at in emails:
        f.RegisterItemFactory(
            house=one_house.house,
            created_by=agent,
            kind="email",
            subject=subject,
            sender_email=sender,
            received_at=received_at,
        )
    mine = f.RegisterItemFactory(
        house=one_house.house, created_by=agent, subject="Courrier qui m'est confié"
    )
    services.assign(one_house.users.responsable, mine, agent, mine.version)
    client.force_login(agent)
    html = text(client.get(reverse("registers_home", args=[one_house.house.pk])))
    overdue = html[html.index('id="en-retard"') : html.index('id="bientot"')]
    soon = html[html.index('id="bientot"') : html.index('id="mes-elements"')]
    mine_part = html[html.index('id="mes-elements"') :]
    assert "Courriel en souffrance" in overdue and "En retard de 1 jour<" in overdue
    assert "Courriel déjà ancien" in overdue and "En retard de 29 jours" in overdue
    assert "Courriel à traiter vite" in soon and "Courriel du jour" not in soon
    assert "Courrier qui m'est confié" in mine_part and "Courriel du jour" not in mine_part
    assert "Courrier arrivé" in html and "Réclamation" in html and "Remarque ou suggestion" in html


def test_home_query_count_does_not_grow_with_items(
    client, one_house, django_assert_max_num_queries
):
    for n in range(25):
        f.RegisterItemFactory(
            house=one_house.house,
            kind="mail_in" if n % 2 else "email",
            subject=f"Objet {n}",
            received_at=timezone.now() - timedelta(days=n * 3),
            sender_email="x@exemple.fr",
        )
    client.force_login(one_house.users.agent)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("registers_home", args=[one_house.house.pk]))
    assert response.status_code == 200


def test_on_time_figure_counts_this_months_answers_with_a_deadline(one_house):
    from msap.registers import services

    agent = one_house.users.agent
    on_time = f.RegisterItemFactory(
        house=one_house.house, created_by=agent, received_at=timezone.now() - timedelta(days=2)
    )
    services.set_status(agent, on_time, Status.ANSWERED, on_time.version, answer_text="Réponse.")
    late = f.RegisterItemFactory(
        house=one_house.house, created_by=agent, received_at=timezone.now() - timedelta(days=2)
    )
    RegisterItem.objects.filter(pk=late.pk).update(due_at=timezone.now() - timedelta(days=1))
    late.refresh_from_db()
    services.set_status(agent, late, Status.ANSWERED, late.version, answer_text="Réponse tardive.")
    suggestion = f.RegisterItemFactory(
        house=one_house.house, created_by=agent, kind="suggestion", channel="register"
    )
    services.set_status(agent, suggestion, Status.CLOSED, suggestion.version)
    figures = on_time_figures(one_house.house)
    assert figures[Kind.INCOMING_MAIL] == {"on_time": 1, "total": 2}
    assert figures[Kind.EMAIL] == {"on_time": 0, "total": 0}


def test_home_says_there_was_nothing_to_measure_instead_of_zero_out_of_zero(client, world):
    """Engagements 11 to 15: the on-time figure counts this month's answers that had a deadline;
    with none, the card says so in words instead of "0 / 0"."""
    from msap.registers import services

    agent = world.users.agent
    answered = f.RegisterItemFactory(
        house=world.house,
        created_by=agent,
        kind="mail_in",
        received_at=timezone.now() - timedelta(days=2),
    )
    services.set_status(agent, answered, Status.ANSWERED, answered.version, answer_text="Réponse.")
    client.force_login(agent)
    html = text(client.get(reverse("registers_home", args=[world.house.pk])))
    assert "0 / 0" not in html
    mail = re.search(r'data-register="mail_in">(.*?)</p>', html).group(1)
    assert mail.startswith("répondus dans les délais : 1 sur 1 (")
    email = re.search(r'data-register="email">(.*?)</p>', html).group(1)
    assert email.startswith("Aucun élément répondu sur la période (")
    assert email.endswith(") : aucun délai à mesurer")
    assert 'data-register="suggestion"' not in html  # no deadline, no figure


# --- one register's list --------------------------------------------------------------------------------


def test_list_shows_the_columns_and_filters_by_status_period_and_subject(client, one_house):
    agent = one_house.users.agent
    f.RegisterItemFactory(
        house=one_house.house,
        created_by=agent,
        subject="Carte grise perdue",
        sender_name="M. Martin",
        received_at=paris(2026, 1, 12, 9),
        partner=f.national_partner("caf"),
    )
    answered = f.RegisterItemFactory(
        house=one_house.house,
        created_by=agent,
        subject="Allocation logement",
        received_at=paris(2026, 2, 3, 9),
    )
    from msap.registers import services

    services.set_status(agent, answered, Status.ANSWERED, answered.version, answer_text="Voici.")
    f.RegisterItemFactory(
        house=one_house.house,
        created_by=agent,
        kind="email",
        subject="Carte grise par courriel",
        sender_email="z@exemple.fr",
    )
    client.force_login(agent)
    url = reverse("register_list", args=[one_house.house.pk, "courrier-arrive"])
    html = text(client.get(url))
    assert "Carte grise perdue" in html and "Allocation logement" in html
    assert "Carte grise par courriel" not in html  # another register
    assert "12 janvier 2026" in html and "M. Martin" in html and "CAF" in html
    assert "Échéance" in html and "12 février 2026" in html
    html = text(client.get(url, {"q": "grise"}))
    assert "Carte grise perdue" in html and "Allocation logement" not in html
    html = text(client.get(url, {"status": "answered"}))
    assert "Allocation logement" in html and "Carte grise perdue" not in html
    html = text(client.get(url, {"start": "2026-02-01", "end": "2026-02-28"}))
    assert "Allocation logement" in html and "Carte grise perdue" not in html


def test_list_query_count_does_not_grow_with_items(
    client, one_house, django_assert_max_num_queries
):
    caf = f.national_partner("caf")
    for n in range(30):
        item = f.RegisterItemFactory(
            house=one_house.house,
            subject=f"Objet {n}",
            partner=caf,
        )
        if n % 3 == 0:
            from msap.registers import services

            services.assign(one_house.users.agent, item, one_house.users.responsable, item.version)
    client.force_login(one_house.users.agent)
    with django_assert_max_num_queries(9):
        response = client.get(
            reverse("register_list", args=[one_house.house.pk, "courrier-arrive"])
        )
    assert response.status_code == 200 and "Objet 29" in text(response)


def test_list_is_paginated(client, one_house):
    for n in range(55):
        f.RegisterItemFactory(
            house=one_house.house,
            kind="suggestion",
            channel="register",
            subject=f"Idée {n:02d}",
        )
    client.force_login(one_house.users.agent)
    url = reverse("register_list", args=[one_house.house.pk, "remarques-suggestions"])
    first = text(client.get(url))
    assert "55 éléments" in first and "Idée 54" in first and "Idée 00" not in first
    assert "Idée 00" in text(client.get(url, {"page": 2}))


def test_list_filter_with_reversed_period_says_so_in_french(client, one_house):
    client.force_login(one_house.users.agent)
    url = reverse("register_list", args=[one_house.house.pk, "courrier-arrive"])
    assert "La fin de la période précède son début." in text(
        client.get(url, {"start": "2026-03-01", "end": "2026-02-01"})
    )


# --- recording each kind --------------------------------------------------------------------------------------


def new_item(client, house, slug, **data):
    payload = {
        "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "subject": "Objet de test",
    }
    payload.update(data)
    return client.post(reverse("item_new", args=[house.pk, slug]), payload)


@pytest.mark.parametrize(
    "slug, data, kind, rule",
    [
        (
            "courrier-arrive",
            {"channel": "post", "sender_name": "Mme Roux", "sender_address": "1 rue Haute"},
            "mail_in",
            "mail_1_month",
        ),
        ("courriels", {"sender_email": "usager@exemple.fr"}, "email", "email_1_week"),
        (
            "appels",
            {"phone_outcome": "voicemail", "sender_phone": "06 12 34 56 78"},
            "phone",
            "callback_1_week",
        ),
        (
            "reclamations",
            {"channel": "post", "sender_address": "2 rue Basse, 19000 Tulle"},
            "complaint",
            "complaint_1_month",
        ),
        ("remarques-suggestions", {"channel": "register"}, "suggestion", ""),
    ],
)
def test_agent_records_each_kind_with_its_deadline_rule(client, one_house, slug, data, kind, rule):
    client.force_login(one_house.users.agent)
    response = new_item(client, one_house.house, slug, **data)
    item = RegisterItem.objects.get(house=one_house.house, kind=kind)
    assert response.status_code == 302 and response["Location"] == reverse(
        "item_detail", args=[item.pk]
    )
    assert item.number == 1 and item.due_rule == rule and (item.due_at is not None) == bool(rule)
    assert item.created_by == one_house.users.agent


def test_phone_call_answered_in_five_rings_is_recorded_as_done(client, one_house):
    client.force_login(one_house.users.agent)
    new_item(client, one_house.house, "appels", phone_outcome="answered")
    item = RegisterItem.objects.get(kind="phone")
    assert item.status == Status.CLOSED and item.due_at is None


def test_phone_call_without_outcome_is_refused_in_french(client, one_house):
    client.force_login(one_house.users.agent)
    response = new_item(client, one_house.house, "appels")
    assert "Indiquez l'issue de l'appel." in text(response)
    assert not RegisterItem.objects.exists()


def test_complaint_without_postal_address_is_registered_without_deadline_and_the_form_says_so(
    client, one_house
):
    client.force_login(one_house.users.agent)
    page = text(client.get(reverse("item_new", args=[one_house.house.pk, "reclamations"])))
    assert "sans adresse postale, ce délai ne s'applique pas" in page
    new_item(
        client, one_house.house, "reclamations", channel="counter", sender_email="x@exemple.fr"
    )
    complaint = RegisterItem.objects.get(kind="complaint")
    assert complaint.due_at is None and complaint.status == Status.NEW


def test_outgoing_mail_is_recorded_with_its_recipient_and_linked_to_the_item_it_answers(
    client, one_house, item
):
    client.force_login(one_house.users.agent)
    page = text(client.get(reverse("item_new", args=[one_house.house.pk, "courrier-depart"])))
    assert "Destinataire" in page and "Envoyé le" in page
    new_item(
        client,
        one_house.house,
        "courrier-depart",
        channel="post",
        sender_name="Mme Durand",
        sender_address="3 rue des Lilas",
        reply_kind="mail_in",
        reply_number=item.number,
    )
    out = RegisterItem.objects.get(kind="mail_out")
    assert out.status == Status.CLOSED and out.sender_name == "Mme Durand"
    assert ItemLink.objects.filter(source=item, target=out, relation="answered_by").exists()


def test_outgoing_mail_replying_to_an_unknown_number_is_refused(client, one_house):
    client.force_login(one_house.users.agent)
    response = new_item(
        client,
        one_house.house,
        "courrier-depart",
        channel="post",
        reply_kind="mail_in",
        reply_number=99,
    )
    assert "Aucun élément de ce registre ne porte ce numéro dans la maison." in text(response)
    assert not RegisterItem.objects.exists()


def test_item_may_be_assigned_when_recorded(client, one_house):
    client.force_login(one_house.users.agent)
    new_item(
        client,
        one_house.house,
        "courriels",
        sender_email="u@exemple.fr",
        assigned_to=one_house.users.responsable.pk,
    )
    email = RegisterItem.objects.get(kind="email")
    assert email.assigned_to == one_house.users.responsable and email.status == Status.IN_PROGRESS


def test_received_date_in_the_future_is_refused_and_nothing_saved(client, one_house):
    client.force_login(one_house.users.agent)
    future = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = new_item(
        client, one_house.house, "courrier-arrive", channel="post", received_at=future
    )
    assert "La date de réception ne peut pas être dans le futur." in text(response)
    assert not RegisterItem.objects.exists()


def test_received_at_defaults_to_now(client, one_house):
    client.force_login(one_house.users.agent)
    page = text(client.get(reverse("item_new", args=[one_house.house.pk, "courrier-arrive"])))
    assert timezone.localtime().strftime("%Y-%m-%dT") in page


# --- one item: its deadline, actions and history -------------------------------------------------------------


def test_detail_shows_the_rule_deadline_and_history(client, one_house, item):
    client.force_login(one_house.users.agent)
    html = text(client.get(reverse("item_detail", args=[item.pk])))
    assert "Courrier : réponse sous un mois — engagement 11" in html
    assert "Mme Durand" in html and "3 rue des Lilas" in html
    assert "Courrier arrivé n°1 enregistré" in html


def test_answer_on_substance_stamps_the_answer_and_journals_it(client, one_house, item):
    client.force_login(one_house.users.agent)
    response = post_action(
        client,
        item,
        "answer",
        answer_text="Votre dossier est complet.",
        answered_at=timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (
        item.status == Status.ANSWERED
        and item.on_time is True
        and item.answer_text == "Votre dossier est complet."
    )
    assert JournalEntry.objects.filter(action="register.status", target_id=str(item.pk)).exists()


def test_answer_before_receipt_is_refused_and_nothing_saved(client, one_house, item):
    client.force_login(one_house.users.agent)
    before = (timezone.localtime(item.received_at) - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = post_action(client, item, "answer", answer_text="Réponse.", answered_at=before)
    assert response.status_code == 200
    assert "La réponse ne peut pas précéder la réception." in text(response)
    item.refresh_from_db()
    assert item.status == Status.NEW and item.answered_at is None and item.version == 1


def test_answered_item_cannot_go_back_in_progress(client, one_house, item):
    from msap.registers import services

    services.set_status(
        one_house.users.agent, item, Status.ANSWERED, item.version, answer_text="Réponse."
    )
    item.refresh_from_db()
    client.force_login(one_house.users.agent)
    response = post_action(client, item, "start")
    assert response.status_code == 200
    assert "Passage impossible de « Répondu sur le fond » à « En cours »." in text(response)
    item.refresh_from_db()
    assert item.status == Status.ANSWERED


def test_closing_an_unanswered_letter_is_refused_and_not_offered(client, one_house, item):
    client.force_login(one_house.users.agent)
    assert "actions/close/" not in text(client.get(reverse("item_detail", args=[item.pk])))
    response = post_action(client, item, "close")
    assert response.status_code == 200 and "attend une réponse" in text(response)
    item.refresh_from_db()
    assert item.status == Status.NEW


def test_exempt_without_reason_is_refused_and_nothing_saved(client, one_house, item):
    client.force_login(one_house.users.agent)
    response = post_action(client, item, "exempt", exempt_reason="", exempt_note="")
    assert "Choisissez un motif de dispense" in text(response)
    item.refresh_from_db()
    assert item.status == Status.NEW and item.exempt_reason == ""


def test_exempt_with_a_charter_reason_is_recorded(client, one_house, item):
    client.force_login(one_house.users.agent)
    post_action(client, item, "exempt", exempt_reason="commercial", exempt_note="Prospectus")
    item.refresh_from_db()
    assert item.status == Status.EXEMPT and item.exempt_reason == "commercial"
    assert "Proposition commerciale" in text(client.get(reverse("item_detail", args=[item.pk])))


def test_override_without_reason_is_refused_and_nothing_saved(client, one_house, item):
    client.force_login(one_house.users.agent)
    due = item.due_at
    response = post_action(client, item, "due", due_date="2099-01-01", reason="")
    assert "Indiquez le motif du changement d'échéance." in text(response)
    item.refresh_from_db()
    assert item.due_at == due and item.due_override_at is None


def test_override_keeps_its_reason_and_author_and_shows_them(client, one_house, item):
    client.force_login(one_house.users.agent)
    new_day = (timezone.localdate() + timedelta(days=60)).isoformat()
    post_action(client, item, "due", due_date=new_day, reason="Attente de la réponse de la CAF")
    item.refresh_from_db()
    assert item.due_override_by == one_house.users.agent
    assert timezone.localtime(item.due_at).date().isoformat() == new_day
    html = text(client.get(reverse("item_detail", args=[item.pk])))
    assert "Attente de la réponse de la CAF" in html


def test_deadline_of_a_closed_item_is_not_changed_through_the_screen(client, one_house, item):
    """Commitment 11: the "due" action is not offered on a treated item, and posting it anyway
    is refused in French with nothing saved."""
    from msap.registers import services

    services.set_status(one_house.users.agent, item, Status.ANSWERED, 1, answer_text="Réponse.")
    services.set_status(one_house.users.agent, item, Status.CLOSED, 2)
    item.refresh_from_db()
    due = item.due_at
    client.force_login(one_house.users.agent)
    assert "actions/due/" not in text(client.get(reverse("item_detail", args=[item.pk])))
    new_day = (timezone.localdate() + timedelta(days=60)).isoformat()
    response = post_action(client, item, "due", due_date=new_day, reason="Délai accordé")
    assert response.status_code == 200
    assert "déjà traité ne se modifie plus" in text(response)
    item.refresh_from_db()
    assert item.due_at == due and item.due_override_at is None


def test_stale_version_is_refused_with_the_french_message(client, one_house, item):
    from msap.registers import services

    read_version = item.version
    services.assign(
        one_house.users.responsable, item, one_house.users.responsable, item.version
    )  # someone else, meanwhile
    client.force_login(one_house.users.agent)
    response = post_action(
        client,
        item,
        "answer",
        version=read_version,
        answer_text="Ma réponse",
        answered_at=timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
    )
    assert response.status_code == 200
    assert "Cette fiche a été modifiée par quelqu'un d'autre" in text(response)
    item.refresh_from_db()
    assert item.status == Status.IN_PROGRESS and item.answer_text == ""


def test_assign_to_a_staff_member_moves_to_in_progress(client, one_house, item):
    client.force_login(one_house.users.agent)
    post_action(client, item, "assign", agent=one_house.users.responsable.pk)
    item.refresh_from_db()
    assert item.assigned_to == one_house.users.responsable and item.status == Status.IN_PROGRESS


def test_assign_to_someone_outside_the_house_is_refused(client, world, item):
    client.force_login(world.users.agent)
    response = post_action(client, item, "assign", agent=world.users.other_agent.pk)
    assert response.status_code == 200
    item.refresh_from_db()
    assert item.assigned_to is None


def test_redirect_names_the_referent_and_function_never_their_private_contact(client, world, item):
    client.force_login(world.users.agent)
    post_action(
        client,
        item,
        "redirect",
        referent=world.caf_referent.pk,
        note="",
        answered_at=timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
    )
    item.refresh_from_db()
    assert item.status == Status.REDIRECTED
    assert "Claire Dumont" in item.answer_text and world.caf_referent.function in item.answer_text
    website = world.caf.partner.website
    assert website and website in item.answer_text  # the partner's public contact
    assert (
        "05 55 99 88 77" not in item.answer_text and "claire.dumont.privee" not in item.answer_text
    )


def test_redirect_to_a_referent_of_another_house_is_refused(client, world, item):
    other_referent = world.other_caf.referents.get()
    client.force_login(world.users.agent)
    response = post_action(
        client,
        item,
        "redirect",
        referent=other_referent.pk,
        answered_at=timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
    )
    assert response.status_code == 200
    item.refresh_from_db()
    assert item.status == Status.NEW


def test_link_to_another_item_of_the_house(client, world, item):
    other = f.RegisterItemFactory(house=world.house, kind="phone", subject="Appel de Mme Durand")
    client.force_login(world.users.agent)
    post_action(client, item, "link", kind="phone", number=other.number, relation="related")
    assert ItemLink.objects.filter(source=item, target=other, relation="related").exists()
    assert "Appel de Mme Durand" in text(client.get(reverse("item_detail", args=[item.pk])))


# --- attachments --------------------------------------------------------------------------------------------------


def upload(client, item, name, content, content_type):
    return client.post(
        reverse("item_action", args=[item.pk, "attachment"]),
        {
            "attachment-version": item.version,
            "attachment-file": SimpleUploadedFile(name, content, content_type=content_type),
        },
    )


def test_scan_is_attached_and_downloaded_as_attachment_with_nosniff(client, one_house, item):
    client.force_login(one_house.users.agent)
    assert upload(client, item, "courrier.pdf", PDF_BYTES, "application/pdf").status_code == 302
    att = Attachment.objects.get(item=item)
    response = client.get(reverse("attachment_download", args=[item.pk, att.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_attachment_of_a_forbidden_type_is_refused_and_nothing_saved(client, one_house, item):
    client.force_login(one_house.users.agent)
    response = upload(client, item, "virus.pdf", b"MZ\x90\x00 not a pdf at all", "application/pdf")
    assert "Type de fichier refusé : seuls les fichiers PDF, PNG, JPEG sont acceptés." in text(
        response
    )
    assert not Attachment.objects.exists()


def test_attachment_too_large_is_refused_and_nothing_saved(client, one_house, item, settings):
    settings.MSAP_MAX_UPLOAD_BYTES = 1024
    client.force_login(one_house.users.agent)
    response = upload(client, item, "gros.pdf", PDF_BYTES + b"0" * 2048, "application/pdf")
    assert "Le fichier est trop volumineux" in text(response)
    assert not Attachment.objects.exists()
    assert not settings.MEDIA_ROOT.exists() or not list(settings.MEDIA_ROOT.rglob("*.pdf"))


def test_attachment_of_another_item_is_404(client, world, item):
    other_item = f.RegisterItemFactory(house=world.other, created_by=world.users.other_agent)
    att = scan_attached(to=other_item, by=world.users.other_agent)
    client.force_login(world.users.agent)
    assert client.get(reverse("attachment_download", args=[item.pk, att.pk])).status_code == 404
