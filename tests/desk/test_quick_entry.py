"""Quick entry: a request recorded in seconds, once, in the agent's own house, or refused in French."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from msap.core.models import JournalEntry
from msap.desk import rules
from msap.desk.models import Procedure, ServiceRequest
from msap.desk.queries import favourites as _favourites
from msap.partners.models import Partner
from tests import factories as f
from tests.desk import category, entry_payload

URL = "/saisie/"


def text(response) -> str:
    return unescape(response.content.decode())


def caf():
    return Partner.objects.get(code="caf")


def test_url_names_match_the_paths():
    assert reverse("desk_entry") == URL
    assert reverse("desk_procedures") == "/saisie/demarches/"
    assert reverse("desk_day") == "/activite/jour/"
    assert reverse("desk_request_edit", args=[3]) == "/demandes/3/modifier/"
    assert reverse("desk_request_delete", args=[3]) == "/demandes/3/supprimer/"
    assert reverse("desk_board", args=[3]) == "/maisons/3/activite/"
    assert reverse("desk_procedure_admin") == "/demarches/"


# --- recording ------------------------------------------------------------------------------------


def test_agent_records_one_request_with_the_fields_given(client, one_house):
    client.force_login(one_house.users.agent)
    prime = Procedure.objects.get(partner=caf(), label="Prime d'activité")
    response = client.post(
        URL,
        entry_payload(
            one_house.house,
            procedure="Prime d'activité",
            item=str(category("B1").items.get(code="B1.3").pk),
            channel="phone",
            duration_minutes="20",
            outcome="appointment",
            autonomy="with_help",
            need_language="on",
            age_band="60_74",
            commune="19272 — Tulle (19)",
            first_visit="oui",
            group_size="2",
            notes="Rappeler la semaine prochaine",
        ),
    )
    assert response.status_code == 302
    obj = ServiceRequest.objects.get()
    assert obj.house == one_house.house
    assert obj.agent == one_house.users.agent
    assert obj.partner == caf()
    assert obj.category.code == "B1"
    assert obj.item.code == "B1.3"
    assert obj.procedure == prime
    assert (obj.channel, obj.duration_minutes, obj.outcome, obj.autonomy) == (
        "phone",
        20,
        "appointment",
        "with_help",
    )
    assert obj.need_language is True and obj.need_disability is False
    assert (obj.age_band, obj.commune_id, obj.first_visit, obj.group_size) == (
        "60_74",
        "19272",
        True,
        2,
    )
    assert obj.notes == "Rappeler la semaine prochaine"
    assert abs(obj.occurred_at - timezone.now()) < timedelta(minutes=1)


def test_after_saving_the_page_confirms_with_undo_and_keeps_house_partner_and_category(
    client, one_house
):
    client.force_login(one_house.users.agent)
    response = client.post(
        URL, entry_payload(one_house.house, category=str(category("B2").pk)), follow=True
    )
    html = text(response)
    obj = ServiceRequest.objects.get()
    assert "Demande enregistrée" in html
    assert reverse("desk_request_edit", args=[obj.pk]) in html
    assert reverse("desk_request_delete", args=[obj.pk]) in html
    assert f'<option value="{caf().pk}" selected>CAF</option>' in html
    assert f'value="{category("B2").pk}"\n             accesskey="2"\n             checked' in html
    assert "<strong>1</strong> demande enregistrée" in html


def test_partner_and_category_are_preselected_from_the_last_entry(client, world):
    f.ServiceRequestFactory(
        house=world.house,
        agent=world.users.agent,
        occurred_at=timezone.now() - timedelta(hours=2),
        partner="france-travail",
        category="B3",
    )
    client.force_login(world.users.agent)
    html = text(client.get(URL))
    ft = Partner.objects.get(code="france-travail")
    assert f'<option value="{ft.pk}" selected>France Travail</option>' in html
    assert f'value="{category("B3").pk}"\n             accesskey="3"\n             checked' in html


def test_the_house_is_the_one_of_the_last_request_and_hidden_with_a_single_house(client, world):
    client.force_login(world.users.agent)
    html = text(client.get(URL))
    assert f'<input type="hidden" name="house" value="{world.house.pk}">' in html
    # An agent of two houses chooses; the last request's house comes pre-selected.
    f.MembershipFactory(user=world.users.agent, house=world.other)
    f.ServiceRequestFactory(
        house=world.other, agent=world.users.agent, occurred_at=timezone.now() - timedelta(hours=1)
    )
    html = text(client.get(URL))
    assert 'id="id_house"' in html
    assert f'<option value="{world.other.pk}" selected>' in html


def test_every_render_carries_a_fresh_idempotency_key(client, one_house):
    client.force_login(one_house.users.agent)
    first, second = text(client.get(URL)), text(client.get(URL))

    def key(html):
        start = html.index('name="key" value="') + len('name="key" value="')
        return html[start : html.index('"', start)]

    assert len(key(first)) == 32
    assert key(first) != key(second)


def test_the_same_idempotency_key_posted_twice_records_one_request(client, one_house):
    client.force_login(one_house.users.agent)
    payload = entry_payload(one_house.house)
    first = client.post(URL, payload)
    second = client.post(URL, payload, follow=True)
    assert first.status_code == 302
    assert ServiceRequest.objects.count() == 1
    assert "le double envoi n'a pas créé de doublon" in text(second)


def test_the_same_form_sent_again_with_other_values_changes_nothing_and_says_so(client, world):
    # Back button, a field changed, sent again: the first request stands, the agent is told.
    client.force_login(world.users.agent)
    payload = entry_payload(world.house)
    assert client.post(URL, payload).status_code == 302
    response = client.post(URL, {**payload, "duration_minutes": "45"})
    assert "Cette saisie a déjà été enregistrée avec d'autres valeurs" in text(response)
    assert ServiceRequest.objects.get().duration_minutes == 10


def test_a_favourite_click_alone_records_the_request(client, one_house):
    prime = Procedure.objects.get(partner=caf(), label="Prime d'activité")
    client.force_login(one_house.users.agent)
    favourite = f"{caf().pk}:{category('B1').pk}:{prime.pk}"
    # The form as the page renders it with nothing chosen, plus the favourite button's value.
    payload = entry_payload(
        one_house.house, partner="", category="", item=str(category("A").items.first().pk)
    )
    response = client.post(URL, {**payload, "favourite": favourite})
    assert response.status_code == 302
    obj = ServiceRequest.objects.get()
    assert (obj.partner, obj.category.code, obj.procedure, obj.item) == (caf(), "B1", prime, None)


def test_favourites_are_the_six_most_frequent_combinations_of_the_last_30_days(one_house):
    agent, now = one_house.users.agent, timezone.now()
    combos = [
        ("caf", "B1", 5),
        ("cpam", "B1", 4),
        ("dgfip", "B2", 3),
        ("ants", "B1", 2),
        ("msa", "B2", 2),
        ("la-poste", "A", 1),
    ]
    for partner, code, n in combos:
        for i in range(n):
            f.ServiceRequestFactory(
                house=one_house.house,
                agent=agent,
                occurred_at=now - timedelta(days=1, minutes=i),
                partner=partner,
                category=code,
            )
    f.ServiceRequestFactory(
        house=one_house.house,
        agent=agent,
        occurred_at=now - timedelta(days=2),
        partner="grdf",
        category="A",
    )  # a seventh combination: only six are kept
    for i in range(9):  # frequent, but more than 30 days ago
        f.ServiceRequestFactory(
            house=one_house.house,
            agent=agent,
            occurred_at=now - timedelta(days=31 + i),
            partner="carsat",
            category="C",
        )
    f.ServiceRequestFactory(
        house=one_house.house,
        agent=one_house.users.responsable,
        occurred_at=now,
        partner="justice",
        category="C",
    )  # a colleague's

    labels = [fav["label"] for fav in _favourites(agent)]
    assert labels[:5] == [
        "CAF — Facilitation numérique",
        "CPAM — Facilitation numérique",
        "DGFiP — Facilitation administrative",
        "ANTS — Facilitation numérique",
        "MSA — Facilitation administrative",
    ]
    assert len(labels) == 6
    assert not any(label.startswith(("CARSAT", "Justice")) for label in labels)


def test_favourites_are_shown_as_buttons_of_the_form(client, one_house):
    f.ServiceRequestFactory(
        house=one_house.house,
        agent=one_house.users.agent,
        occurred_at=timezone.now() - timedelta(hours=1),
    )
    client.force_login(one_house.users.agent)
    html = text(client.get(URL))
    assert f'form="quick-entry" name="favourite" value="{caf().pk}:{category("B1").pk}:"' in html
    assert "CAF — Facilitation numérique</button>" in html


def test_favourites_are_named_in_words_not_codes(client, world):
    """A favourite read "Sans partenaire · B2": it names the annex 1 category by its label, the
    partner by its name, "sans partenaire" as words, and the procedure."""
    now = timezone.now()
    f.ServiceRequestFactory(
        house=world.house, agent=world.users.agent, occurred_at=now, partner=None, category="B2"
    )
    procedure = Procedure.objects.filter(partner__code="caf", active=True).first()
    f.ServiceRequestFactory(
        house=world.house, agent=world.users.agent, occurred_at=now, procedure=procedure
    )
    client.force_login(world.users.agent)
    html = text(client.get(URL))
    buttons = re.findall(r'name="favourite" value="[^"]*" class="[^"]*">(.*?)</button>', html)
    assert "Facilitation administrative, sans partenaire" in buttons
    assert f"CAF — Facilitation numérique — {procedure.label}" in buttons
    assert not [b for b in buttons if "·" in b or re.search(r"\b[AC]\b|\bB\d\b", b)]


def test_a_procedure_typed_alone_brings_its_partner(client, one_house):
    client.force_login(one_house.users.agent)
    client.post(URL, entry_payload(one_house.house, partner="", procedure="carte vitale"))
    obj = ServiceRequest.objects.get()
    assert obj.partner.code == "cpam"
    assert obj.procedure.label == "Carte Vitale"


def test_the_notes_reminder_is_shown_next_to_the_notes(client, one_house):
    client.force_login(one_house.users.agent)
    assert str(rules.NOTES_REMINDER) in text(client.get(URL))


def test_post_path_runs_few_queries(client, one_house, django_assert_max_num_queries):
    client.force_login(one_house.users.agent)
    client.get(URL)  # warm the session
    payload = entry_payload(
        one_house.house, procedure="Prime d'activité", item=str(category("B1").items.first().pk)
    )
    with django_assert_max_num_queries(12):
        response = client.post(URL, payload)
    assert response.status_code == 302
    assert ServiceRequest.objects.count() == 1


def test_entry_page_query_count_does_not_grow_with_history(
    client, one_house, django_assert_max_num_queries
):
    client.force_login(one_house.users.agent)
    for i in range(30):
        f.ServiceRequestFactory(
            house=one_house.house,
            agent=one_house.users.agent,
            occurred_at=timezone.now() - timedelta(hours=i),
            partner="caf" if i % 2 else "cpam",
        )
    with django_assert_max_num_queries(16):
        assert client.get(URL).status_code == 200


# --- bad input: a French message, nothing saved -----------------------------------------------------


def future():
    return (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")


BAD_INPUTS = {
    "unknown partner": (
        {"partner": "999999"},
        "Partenaire inconnu : choisissez un partenaire de la liste.",
    ),
    "partner not a number": (
        {"partner": "caf'--"},
        "Partenaire inconnu : choisissez un partenaire de la liste.",
    ),
    "unknown category": (
        {"category": "999999"},
        "Catégorie inconnue : choisissez A, B1, B2, B3 ou C.",
    ),
    "missing category": (
        {"category": ""},
        "Choisissez la catégorie de service : A, B1, B2, B3 ou C.",
    ),
    "future date": (
        {"occurred_at": "FUTURE"},
        "La date de la demande ne peut pas être dans le futur.",
    ),
    "duration over 8 hours": (
        {"duration_minutes": "481"},
        "La durée doit être comprise entre 0 et 480 minutes (8 heures).",
    ),
    "unknown procedure": (
        {"procedure": "Démarche imaginaire"},
        "Démarche inconnue pour ce partenaire",
    ),
    "procedure of another partner": (
        {"procedure": "Carte Vitale"},
        "Démarche inconnue pour ce partenaire",
    ),
    "item of another category": (
        {"item": "ITEM_A1"},
        "La prestation A.1 n'appartient pas à la catégorie B1.",
    ),
    "unknown commune": (
        {"commune": "Zzyzx-sur-Mer"},
        "Commune inconnue : choisissez-la dans la liste proposée.",
    ),
}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_is_refused_in_french_and_nothing_saved(client, one_house, case):
    overrides, message = BAD_INPUTS[case]
    overrides = dict(overrides)
    if overrides.get("occurred_at") == "FUTURE":
        overrides["occurred_at"] = future()
    if overrides.get("item") == "ITEM_A1":
        overrides["item"] = str(category("A").items.get(code="A.1").pk)
    client.force_login(one_house.users.agent)
    response = client.post(URL, entry_payload(one_house.house, **overrides))
    assert response.status_code == 200
    html = text(response)
    assert "Rien n'a été enregistré" in html
    assert message in html
    assert_errors_are_linked_to_their_field(html)
    assert ServiceRequest.objects.count() == 0


def assert_errors_are_linked_to_their_field(html: str) -> None:
    """Each field's message is referenced by the field (aria-describedby) or its fieldset."""
    ids = re.findall(r'id="([\w-]+-desc-error)"', html)
    assert ids
    for ident in ids:
        assert re.search(rf'aria-(describedby|labelledby)="[^"]*\b{ident}\b', html), ident


def test_a_house_the_agent_does_not_work_in_is_refused_and_nothing_saved(client, world):
    client.force_login(world.users.agent)
    response = client.post(URL, entry_payload(world.other))
    assert "Vous n'enregistrez pas les demandes de cette maison" in text(response)
    assert ServiceRequest.objects.count() == 0


def test_agent_of_another_house_cannot_record_in_this_house(client, world):
    client.force_login(world.users.other_agent)
    response = client.post(URL, entry_payload(world.house))
    assert "Vous n'enregistrez pas les demandes de cette maison" in text(response)
    assert not ServiceRequest.objects.exists()


@pytest.mark.parametrize("role", ["referent_caf", "prefecture", "national", "norole"])
def test_people_who_record_nowhere_have_no_quick_entry(client, world, role):
    client.force_login(getattr(world.users, role))
    assert client.get(URL).status_code == 403
    assert client.post(URL, entry_payload(world.house)).status_code == 403
    assert not ServiceRequest.objects.exists()


def test_anonymous_visitors_are_sent_to_the_login_page(client, one_house):
    response = client.post(URL, entry_payload(one_house.house))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not ServiceRequest.objects.exists()


@pytest.mark.parametrize("role", ["agent", "responsable", "gestionnaire"])
def test_house_staff_see_saisie_and_activite_in_the_menu(client, world, role):
    client.force_login(getattr(world.users, role))
    html = text(client.get(reverse("home")))
    assert f'href="{URL}"' in html
    assert 'href="/activite/jour/"' in html


@pytest.mark.parametrize("role", ["referent_caf", "prefecture", "national"])
def test_people_who_record_nowhere_have_no_saisie_in_the_menu(client, world, role):
    client.force_login(getattr(world.users, role))
    assert f'href="{URL}"' not in text(client.get(reverse("home")))


# --- the procedures type-ahead --------------------------------------------------------------------------


def test_procedure_type_ahead_offers_the_partner_s_active_procedures(client, one_house):
    Procedure.objects.filter(label="RSA").update(active=False)
    client.force_login(one_house.users.agent)
    html = text(client.get(reverse("desk_procedures"), {"partner": caf().pk}))
    assert '<option value="Prime d\'activité"' in html
    assert "RSA" not in html  # deactivated
    assert "Carte Vitale" not in html  # another partner's
    html = text(client.get(reverse("desk_procedures"), {"partner": caf().pk, "q": "prime"}))
    assert "Prime d'activité" in html and "Aides au logement" not in html


def test_procedure_type_ahead_ignores_a_bad_partner_and_is_for_staff_only(client, world):
    client.force_login(world.users.agent)
    assert client.get(reverse("desk_procedures"), {"partner": "x'"}).status_code == 200
    client.force_login(world.users.norole)
    assert client.get(reverse("desk_procedures"), {"partner": caf().pk}).status_code == 403


# --- the controlled list of procedures (national cell) ---------------------------------------------------


def test_national_cell_adds_a_procedure_and_it_is_journaled(client, world):
    client.force_login(world.users.national)
    response = client.post(
        reverse("desk_procedure_admin"),
        {
            "action": "add",
            "partner": caf().pk,
            "label": "  Complément   familial ",
            "category": category("B2").pk,
        },
        follow=True,
    )
    assert "Démarche « Complément familial » ajoutée." in text(response)
    procedure = Procedure.objects.get(partner=caf(), label="Complément familial")
    assert procedure.category.code == "B2" and procedure.active
    assert JournalEntry.objects.filter(
        action="procedure.added", target_id=str(procedure.pk)
    ).exists()
    client.force_login(world.users.agent)
    assert "Complément familial" in text(
        client.get(reverse("desk_procedures"), {"partner": caf().pk})
    )


def test_a_duplicate_procedure_is_refused(client, world):
    client.force_login(world.users.national)
    response = client.post(
        reverse("desk_procedure_admin"),
        {"action": "add", "partner": caf().pk, "label": "prime d'activité"},
    )
    assert "Cette démarche existe déjà pour CAF." in text(response)
    assert Procedure.objects.filter(partner=caf(), label__iexact="prime d'activité").count() == 1


def test_national_cell_deactivates_a_procedure_which_leaves_the_entry_list(client, world):
    rsa = Procedure.objects.get(partner=caf(), label="RSA")
    client.force_login(world.users.admin)
    client.post(reverse("desk_procedure_admin"), {"action": "deactivate", "procedure": rsa.pk})
    rsa.refresh_from_db()
    assert rsa.active is False
    assert JournalEntry.objects.filter(
        action="procedure.deactivated", target_id=str(rsa.pk)
    ).exists()
    client.force_login(world.users.agent)
    response = client.post(URL, entry_payload(world.house, procedure="RSA"))
    assert "Démarche inconnue pour ce partenaire" in text(response)


@pytest.mark.parametrize(
    "role", ["agent", "responsable", "gestionnaire", "referent_caf", "prefecture", "norole"]
)
def test_only_the_national_cell_manages_procedures(client, world, role):
    client.force_login(getattr(world.users, role))
    assert client.get(reverse("desk_procedure_admin")).status_code == 403
    response = client.post(
        reverse("desk_procedure_admin"), {"action": "add", "partner": caf().pk, "label": "Nouvelle"}
    )
    assert response.status_code == 403
    assert not Procedure.objects.filter(label="Nouvelle").exists()
