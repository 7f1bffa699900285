"""The agents' transmission screens (issue 9 §5): the list with its filters and its partners'
figures, the new transmission form (from a request too), the detail with its timeline, the
answer to a request for information, attachment downloads for those allowed only. Bad input is
a French message on the page and saves nothing."""

import pytest
from django.urls import reverse

from msap.transmissions import services
from msap.transmissions.models import Transmission
from tests import factories as f
from tests.conftest import count_queries, login
from tests.transmissions.conftest import docx, pdf, send, send_personal


def form_data(world, **extra):
    data = {
        "partnership": world.caf.pk,
        "subject": "Droits au RSA",
        "question": "Quels droits après la séparation ?",
        "urgency": "normal",
        "key": "cle-1",
    }
    data.update(extra)
    return data


def test_the_saisines_tab_lists_and_filters(client, world):
    send(world, subject="Pour la CAF")
    late = send(world, partnership=world.ft, subject="Pour France Travail")
    login(client, world.users.agent)
    url = reverse("transmission_list", args=[world.house.pk])
    page = client.get(url).content.decode()
    assert "Pour la CAF" in page and "Pour France Travail" in page
    assert 'aria-current="page">Saisines<' in page
    assert "Délais des partenaires" in page
    page = client.get(url, {"partnership": world.ft.pk}).content.decode()
    assert "Pour la CAF" not in page and "Pour France Travail" in page
    page = client.get(url, {"status": "resolved"}).content.decode()
    assert "Aucune saisine ne correspond." in page
    assert late.status == "sent"


@pytest.mark.parametrize(
    "query",
    [{"status": "nimporte"}, {"partnership": "abc"}, {"partnership": "99999999999999999999"}],
)
def test_a_bad_filter_is_a_french_message_not_an_error(client, world, query):
    login(client, world.users.agent)
    response = client.get(reverse("transmission_list", args=[world.house.pk]), query)
    assert response.status_code == 200
    assert (
        "Rien n'a été enregistré" in response.content.decode()
        or "Choisissez" in response.content.decode()
    )


def test_the_list_costs_the_same_queries_for_2_or_12_transmissions(client, world):
    login(client, world.users.agent)
    url = reverse("transmission_list", args=[world.house.pk])
    for _ in range(2):
        send(world)
    few = count_queries(client, url)
    for _ in range(10):
        send(world)
    assert count_queries(client, url) == few


def test_an_agent_transmits_with_consent_and_attachments(client, world, frozen):
    login(client, world.users.agent)
    data = form_data(
        world,
        person_name="Rose Martin",
        consent="on",
        consent_categories=["identity", "documents"],
        consent_until="2026-06-30",
        attachments=[pdf(), docx()],
    )
    response = client.post(reverse("transmission_new", args=[world.house.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    transmission = Transmission.objects.get()
    assert transmission.attachments.count() == 2 and transmission.consent_by == world.users.agent
    page = client.get(response["Location"]).content.decode()
    assert "Rose Martin" in page and "avis-imposition.pdf" in page and "courrier.docx" in page


def test_personal_data_without_consent_is_refused_on_the_form(client, world):
    login(client, world.users.agent)
    response = client.post(
        reverse("transmission_new", args=[world.house.pk]),
        form_data(world, person_name="Rose Martin", attachments=[pdf()]),
    )
    assert response.status_code == 200
    assert "recueillez d&#x27;abord le consentement" in response.content.decode()
    assert Transmission.objects.count() == 0


def test_a_double_submission_creates_one_transmission(client, world):
    login(client, world.users.agent)
    url = reverse("transmission_new", args=[world.house.pk])
    first = client.post(url, form_data(world))
    second = client.post(url, form_data(world))
    assert first["Location"] == second["Location"]
    assert Transmission.objects.count() == 1


def test_the_form_opens_from_a_request_with_its_partner(client, world):
    request = f.ServiceRequestFactory(
        house=world.house, agent=world.users.agent, partner="france-travail"
    )
    login(client, world.users.agent)
    page = client.get(reverse("transmission_new", args=[world.house.pk]), {"demande": request.pk})
    form = page.context["form"]
    assert form.initial["request"] == request.pk and form.initial["partnership"] == world.ft.pk


def test_a_partner_of_another_house_is_not_a_choice(client, world):
    login(client, world.users.agent)
    response = client.post(
        reverse("transmission_new", args=[world.house.pk]),
        form_data(world, partnership=world.other_caf.pk),
    )
    assert "Choisissez un partenaire de la maison." in response.content.decode()
    assert Transmission.objects.count() == 0


def test_the_house_answers_a_request_for_information(client, world, frozen):
    t = services.request_information(
        world.users.referent_caf, send_personal(world), "L'avis 2025 ?"
    )
    login(client, world.users.agent)
    detail = reverse("transmission_detail", args=[t.pk])
    assert "Répondre à la demande d'informations" in client.get(detail).content.decode()
    url = reverse("transmission_answer", args=[t.pk])
    refused = client.post(url, {"text": "", "version": t.version})
    assert (
        refused.status_code == 400
        and "Indiquez la réponse de la maison." in refused.content.decode()
    )
    response = client.post(
        url, {"text": "Le voici", "version": t.version, "attachments": [pdf("avis-2025.pdf")]}
    )
    assert response.status_code == 302
    t.refresh_from_db()
    assert t.status == "answered" and t.attachments.count() == 2
    stale = client.post(url, {"text": "Encore", "version": t.version - 1})
    assert "a changé depuis que vous l&#x27;avez ouverte" in stale.content.decode()


def test_attachments_download_for_the_house_and_the_addressed_partner_only(client, world):
    t = send_personal(world)
    attachment = t.attachments.get()
    url = reverse("transmission_attachment", args=[t.pk, attachment.pk])
    for user in (world.users.agent, world.users.referent_caf):
        login(client, user)
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment;")
    for user in (world.users.referent_msa, world.users.other_agent, world.users.prefecture):
        login(client, user)
        assert client.get(url).status_code == 404
    login(client, world.users.agent)
    assert client.get(reverse("transmission_attachment", args=[t.pk, 999999])).status_code == 404


def test_the_referent_of_the_partner_reads_the_transmission_but_not_another_organisations(
    client, world
):
    t = send_personal(world)
    to_ft = send(world, partnership=world.ft)
    login(client, world.users.referent_caf)
    page = client.get(reverse("transmission_detail", args=[t.pk])).content.decode()
    assert "Rose Martin" in page
    assert client.get(reverse("transmission_detail", args=[to_ft.pk])).status_code == 404
