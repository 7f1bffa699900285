"""Personal-file screens: house staff only, every opening logged, bad input refused in French."""

import io
import json
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from msap.core.models import JournalEntry
from msap.dossiers import services
from msap.dossiers.models import (
    AccessAction,
    Dossier,
    DossierDocument,
    DossierStatus,
    FollowUp,
)
from msap.dossiers.queries import dossier_of
from tests import factories as f
from tests.conftest import login
from tests.dossiers import NOT_A_SCAN, PDF


def text(response) -> str:
    return unescape(response.content.decode())


def new_payload(**overrides) -> dict:
    data = {"consent_purpose": f.CONSENT_PURPOSE, "consent_given": "on", **f.PERSON}
    data.update(overrides)
    return data


@pytest.fixture
def dossier(one_house):
    return f.DossierFactory(house=one_house.house)


@pytest.fixture
def document(one_house, dossier):
    return services.add_document(
        one_house.users.agent, dossier, SimpleUploadedFile("avis.pdf", PDF), label="Avis CAF"
    )


# --- list and opening -----------------------------------------------------------------------------


def test_the_list_shows_only_active_files_and_searches_by_name(client, world):
    f.DossierFactory(house=world.house, last_name="Vandermeersch")
    f.DossierFactory(house=world.house, last_name="Martin", first_name="Paul")
    services.erase_dossier(
        world.users.agent, f.DossierFactory(house=world.house, last_name="Effacée")
    )
    f.DossierFactory(house=world.other, consent_by=world.users.other_agent, last_name="Ailleurs")
    login(client, world.users.agent)
    url = reverse("dossier_list", args=[world.house.pk])
    page = text(client.get(url))
    assert "Vandermeersch" in page and "Martin" in page
    assert "Effacée" not in page and "Ailleurs" not in page
    assert "2 dossiers actifs" in page
    found = text(client.get(url, {"q": "paul"}))
    assert "Martin" in found and "Vandermeersch" not in found


def test_opening_a_file_with_consent_from_the_form(client, one_house):
    login(client, one_house.users.agent)
    response = client.post(reverse("dossier_new", args=[one_house.house.pk]), new_payload())
    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("dossier_detail", args=[dossier.pk])
    assert dossier.consent_by == one_house.users.agent
    assert dossier.consent_purpose == f.CONSENT_PURPOSE
    assert dossier.house == one_house.house


def test_the_opening_form_proposes_the_purpose_and_the_consent_checkbox(client, one_house):
    login(client, one_house.users.agent)
    page = text(client.get(reverse("dossier_new", args=[one_house.house.pk])))
    assert "Suivi de mes démarches par la maison" in page
    assert 'name="consent_given"' in page
    assert "La personne a donné son accord" in page


def test_opening_a_file_without_the_consent_checkbox_is_refused_and_nothing_saved(
    client, one_house
):
    login(client, one_house.users.agent)
    payload = new_payload()
    del payload["consent_given"]
    response = client.post(reverse("dossier_new", args=[one_house.house.pk]), payload)
    assert response.status_code == 200
    page = text(response)
    assert "Le dossier ne peut être ouvert qu'avec l'accord de la personne" in page
    assert 'id="id_consent_given_error"' in page
    assert not Dossier.objects.exists()


def test_opening_a_file_without_a_name_is_refused(client, one_house):
    login(client, one_house.users.agent)
    response = client.post(
        reverse("dossier_new", args=[one_house.house.pk]), new_payload(last_name="")
    )
    assert "Indiquez le nom de la personne." in text(response)
    assert not Dossier.objects.exists()


# --- one file -------------------------------------------------------------------------------------


def test_every_opening_of_a_file_is_logged_and_the_log_is_visible(client, one_house, dossier):
    login(client, one_house.users.responsable)
    url = reverse("dossier_detail", args=[dossier.pk])
    client.get(url)
    page = text(client.get(url))
    views = dossier.accesses.filter(action=AccessAction.VIEW)
    assert views.count() == 2
    assert set(views.values_list("user", flat=True)) == {one_house.users.responsable.pk}
    assert "Journal des accès" in page
    assert "Consultation" in page
    assert one_house.users.responsable.get_full_name() in page


def test_the_file_shows_identity_consent_follow_ups_documents_and_requests(
    client, one_house, dossier, document
):
    request = f.ServiceRequestFactory(house=one_house.house)
    services.add_follow_up(
        one_house.users.agent, dossier, note="Rendez-vous CARSAT le 3 mars", request=request
    )
    login(client, one_house.users.agent)
    page = text(client.get(reverse("dossier_detail", args=[dossier.pk])))
    for expected in [
        "Vandermeersch",
        "Héloïse",
        "06 12 34 56 78",
        f.CONSENT_PURPOSE,
        "Rendez-vous CARSAT le 3 mars",
        "Avis CAF",
        "B1.",
    ]:
        assert expected in page
    assert reverse("document_download", args=[dossier.pk, document.pk]) in page


def test_editing_a_file_saves_and_logs_an_edit(client, one_house, dossier):
    login(client, one_house.users.agent)
    url = reverse("dossier_edit", args=[dossier.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {**f.PERSON, "phone": "05 55 12 12 12", "next_steps": "Rappeler", "version": 1}
    )
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert (dossier.phone, dossier.next_steps) == ("05 55 12 12 12", "Rappeler")
    actions = list(dossier.accesses.values_list("action", flat=True))
    assert sorted(actions) == ["edit", "view"]


def test_editing_a_file_with_a_stale_version_is_refused_and_nothing_saved(
    client, one_house, dossier
):
    services.update_dossier(
        one_house.users.responsable, dossier, {"phone": "01 00 00 00 00"}, expected_version=1
    )
    login(client, one_house.users.agent)
    response = client.post(
        reverse("dossier_edit", args=[dossier.pk]),
        {**f.PERSON, "phone": "05 55 12 12 12", "version": 1},
    )
    assert response.status_code == 200
    assert "modifiée par quelqu'un d'autre" in text(response)
    dossier.refresh_from_db()
    assert dossier.phone == "01 00 00 00 00"


def test_adding_a_follow_up_linked_to_a_request(client, one_house, dossier):
    request = f.ServiceRequestFactory(house=one_house.house)
    login(client, one_house.users.agent)
    url = reverse("follow_up_add", args=[dossier.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"note": "Dossier déposé", "due_on": "2030-01-15", "request": request.pk}
    )
    assert response.status_code == 302
    follow_up = FollowUp.objects.get()
    assert (follow_up.note, follow_up.request, str(follow_up.due_on)) == (
        "Dossier déposé",
        request,
        "2030-01-15",
    )
    request.refresh_from_db()
    assert dossier_of(request) == dossier


def test_a_follow_up_cannot_pick_a_request_of_another_house(client, world, dossier):
    elsewhere = f.ServiceRequestFactory(house=world.other, agent=world.users.other_agent)
    login(client, world.users.agent)
    response = client.post(
        reverse("follow_up_add", args=[dossier.pk]), {"note": "Suivi", "request": elsewhere.pk}
    )
    assert response.status_code == 200
    assert "Choisissez une demande récente de la maison." in text(response)
    assert not FollowUp.objects.exists()


def test_an_empty_follow_up_is_refused(client, one_house, dossier):
    login(client, one_house.users.agent)
    response = client.post(reverse("follow_up_add", args=[dossier.pk]), {"note": "  "})
    assert "Écrivez le suivi." in text(response)
    assert not FollowUp.objects.exists()


# --- documents ------------------------------------------------------------------------------------


def test_a_document_is_uploaded_then_downloaded_as_an_attachment_and_logged(
    client, one_house, dossier, private_media
):
    login(client, one_house.users.agent)
    upload = SimpleUploadedFile("Relevé de carrière.pdf", PDF, content_type="application/pdf")
    response = client.post(
        reverse("document_add", args=[dossier.pk]), {"file": upload, "label": "Relevé"}
    )
    assert response.status_code == 302
    document = DossierDocument.objects.get()
    assert (private_media / document.file.name).read_bytes() == PDF
    response = client.get(reverse("document_download", args=[dossier.pk, document.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="releve-de-carriere.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert dossier.accesses.filter(action=AccessAction.DOWNLOAD).count() == 1


def test_a_document_of_the_wrong_type_is_refused_with_a_french_message(
    client, one_house, dossier, private_media
):
    login(client, one_house.users.agent)
    upload = SimpleUploadedFile("scan.pdf", NOT_A_SCAN, content_type="application/pdf")
    response = client.post(reverse("document_add", args=[dossier.pk]), {"file": upload})
    assert response.status_code == 200
    assert "Type de fichier refusé : seuls les fichiers PDF, PNG, JPEG sont acceptés." in text(
        response
    )
    assert not DossierDocument.objects.exists()
    assert not any(private_media.rglob("*.*"))


def test_a_document_too_large_is_refused_with_a_french_message(
    client, one_house, dossier, settings
):
    settings.MSAP_MAX_UPLOAD_BYTES = 1024
    login(client, one_house.users.agent)
    upload = SimpleUploadedFile("scan.pdf", PDF + b"0" * 4096, content_type="application/pdf")
    response = client.post(reverse("document_add", args=[dossier.pk]), {"file": upload})
    assert "Le fichier est trop volumineux" in text(response)
    assert not DossierDocument.objects.exists()


def test_a_document_id_of_another_file_is_not_found(client, world, dossier):
    other_file = f.DossierFactory(house=world.house, last_name="Martin")
    foreign = services.add_document(world.users.agent, other_file, SimpleUploadedFile("b.pdf", PDF))
    login(client, world.users.agent)
    assert (
        client.get(reverse("document_download", args=[dossier.pk, foreign.pk])).status_code == 404
    )
    assert client.post(reverse("document_delete", args=[dossier.pk, foreign.pk])).status_code == 404
    assert DossierDocument.objects.filter(pk=foreign.pk).exists()


def test_deleting_a_document_removes_its_file(
    client, one_house, dossier, document, private_media, django_capture_on_commit_callbacks
):
    path = private_media / document.file.name
    login(client, one_house.users.agent)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("document_delete", args=[dossier.pk, document.pk]))
    assert response.status_code == 302
    assert not DossierDocument.objects.exists()
    assert not path.exists()


# --- export and erasure ---------------------------------------------------------------------------


def test_the_person_gets_a_json_export(client, one_house, dossier):
    login(client, one_house.users.agent)
    response = client.get(reverse("dossier_export", args=[dossier.pk, "json"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"] == f'attachment; filename="dossier-{dossier.pk}.json"'
    assert json.loads(response.content)["identity"]["last_name"] == "Vandermeersch"
    assert dossier.accesses.filter(action=AccessAction.EXPORT).count() == 1


def test_the_person_gets_a_pdf_export(client, one_house, dossier):
    services.add_follow_up(one_house.users.agent, dossier, note="Attestation demandée")
    login(client, one_house.users.agent)
    response = client.get(reverse("dossier_export", args=[dossier.pk, "pdf"]))
    assert response["Content-Type"] == "application/pdf"
    content = " ".join(
        page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages
    )
    assert "Vandermeersch" in content
    assert "Attestation demandée" in content


def test_an_unknown_export_format_is_not_found(client, one_house, dossier):
    login(client, one_house.users.agent)
    assert client.get(reverse("dossier_export", args=[dossier.pk, "xlsx"])).status_code == 404
    assert not dossier.accesses.filter(action=AccessAction.EXPORT).exists()


def test_erasure_needs_the_confirmation(client, one_house, dossier):
    login(client, one_house.users.agent)
    url = reverse("dossier_erase", args=[dossier.pk])
    assert "L'effacement est définitif" in text(client.get(url))
    response = client.post(url, {})
    assert "Cochez la case pour confirmer l'effacement." in text(response)
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.ACTIVE


def test_erasure_keeps_the_requests_and_says_so(
    client, one_house, dossier, document, private_media, django_capture_on_commit_callbacks
):
    request = f.ServiceRequestFactory(house=one_house.house, dossier=dossier, notes="Note libre")
    path = private_media / document.file.name
    login(client, one_house.users.agent)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("dossier_erase", args=[dossier.pk]), {"confirm": "on"}, follow=True
        )
    page = text(response)
    assert f"Le dossier n°{dossier.pk} a été effacé" in page
    assert "Vandermeersch" not in page
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.ERASED
    assert not path.exists()
    request.refresh_from_db()
    assert (dossier_of(request), request.notes) == (None, "")
    # A second erasure is a no-op with a message.
    again = text(
        client.post(reverse("dossier_erase", args=[dossier.pk]), {"confirm": "on"}, follow=True)
    )
    assert "déjà été effacé ou anonymisé" in again


def test_an_erased_file_shows_no_data_and_refuses_changes(client, one_house, dossier):
    services.erase_dossier(one_house.users.agent, dossier)
    login(client, one_house.users.agent)
    page = text(client.get(reverse("dossier_detail", args=[dossier.pk])))
    assert "Effacé à la demande de la personne" in page
    assert "Vandermeersch" not in page
    response = client.get(reverse("dossier_edit", args=[dossier.pk]), follow=True)
    assert "ne peut plus être modifié" in text(response)
    response = client.get(reverse("dossier_export", args=[dossier.pk, "json"]), follow=True)
    assert "plus de données personnelles" in text(response)


def test_the_journal_never_contains_the_persons_name_after_a_whole_session(client, world):
    login(client, world.users.agent)
    client.post(reverse("dossier_new", args=[world.house.pk]), new_payload())
    dossier = Dossier.objects.get()
    client.post(
        reverse("dossier_edit", args=[dossier.pk]),
        {**f.PERSON, "last_name": "Vandermeersch-Dupuis", "version": 1},
    )
    client.post(reverse("follow_up_add", args=[dossier.pk]), {"note": "Appel de Mme Vandermeersch"})
    client.post(
        reverse("document_add", args=[dossier.pk]),
        {"file": SimpleUploadedFile("Vandermeersch.pdf", PDF)},
    )
    client.get(reverse("dossier_export", args=[dossier.pk, "json"]))
    client.post(reverse("dossier_erase", args=[dossier.pk]), {"confirm": "on"})
    entries = list(
        JournalEntry.objects.filter(action__startswith="dossier.").values(
            "summary", "params", "changes"
        )
    )
    assert len(entries) == 6
    dumped = json.dumps(entries, ensure_ascii=False)
    assert "Vandermeersch" not in dumped
    assert "Héloïse" not in dumped


# --- who may see a personal file ------------------------------------------------------------------


def dossier_urls(dossier, document) -> list[tuple[str, str]]:
    pk, house = dossier.pk, dossier.house_id
    return [
        ("get", reverse("dossier_list", args=[house])),
        ("get", reverse("dossier_new", args=[house])),
        ("post", reverse("dossier_new", args=[house])),
        ("get", reverse("dossier_detail", args=[pk])),
        ("get", reverse("dossier_edit", args=[pk])),
        ("post", reverse("dossier_edit", args=[pk])),
        ("get", reverse("follow_up_add", args=[pk])),
        ("post", reverse("follow_up_add", args=[pk])),
        ("get", reverse("document_add", args=[pk])),
        ("post", reverse("document_add", args=[pk])),
        ("get", reverse("document_download", args=[pk, document.pk])),
        ("post", reverse("document_delete", args=[pk, document.pk])),
        ("get", reverse("dossier_export", args=[pk, "json"])),
        ("get", reverse("dossier_export", args=[pk, "pdf"])),
        ("get", reverse("dossier_erase", args=[pk])),
        ("post", reverse("dossier_erase", args=[pk])),
    ]


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("other_agent", 404),  # another house's agent: the house is not even visible
        ("referent_msa", 404),  # a partner that is not a partner of this house
        ("norole", 404),
        ("referent_caf", 403),  # a partner of the house: sees the house, never a personal file
        ("prefecture", 403),
        ("national", 403),
    ],
)
def test_only_the_house_staff_reach_personal_files(
    client, world, dossier, document, role, expected
):
    login(client, getattr(world.users, role))
    payload = {**new_payload(), "note": "x", "confirm": "on", "version": 1}
    before = dossier.accesses.count()
    for method, url in dossier_urls(dossier, document):
        response = getattr(client, method)(url, payload if method == "post" else None)
        assert response.status_code == expected, (method, url)
        assert (
            "Vandermeersch" not in text(response)
            if response.get("Content-Type", "").startswith("text/")
            else True
        )
    assert dossier.accesses.count() == before
    assert Dossier.objects.count() == 1
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.ACTIVE
    assert DossierDocument.objects.count() == 1


def test_anonymous_visitors_are_sent_to_the_login_page(client, one_house, dossier, document):
    for method, url in dossier_urls(dossier, document):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", ["agent", "responsable"])
def test_the_house_agents_open_the_file(client, world, dossier, role):
    login(client, getattr(world.users, role))
    assert client.get(reverse("dossier_detail", args=[dossier.pk])).status_code == 200
    assert client.get(reverse("dossier_list", args=[world.house.pk])).status_code == 200


@pytest.mark.parametrize("role", ["gestionnaire", "admin"])
def test_personal_files_are_need_to_know_even_for_the_gestionnaire_and_the_admin(
    client, world, dossier, role
):
    """Art. 3.5 and SPEC confidentiality: only the agents who receive the person open the file."""
    login(client, getattr(world.users, role))
    assert client.get(reverse("dossier_detail", args=[dossier.pk])).status_code == 403
    assert client.get(reverse("dossier_list", args=[world.house.pk])).status_code == 403


def test_a_file_of_another_house_is_not_found_for_an_agent(client, world):
    elsewhere = f.DossierFactory(house=world.other, consent_by=world.users.other_agent)
    login(client, world.users.agent)
    for name in (
        "dossier_detail",
        "dossier_edit",
        "follow_up_add",
        "document_add",
        "dossier_erase",
    ):
        assert client.get(reverse(name, args=[elsewhere.pk])).status_code == 404, name
    assert client.get(reverse("dossier_export", args=[elsewhere.pk, "json"])).status_code == 404
    assert client.get(reverse("dossier_detail", args=[999_999])).status_code == 404
    assert not elsewhere.accesses.filter(user=world.users.agent).exists()


def test_the_technical_admin_lists_files_without_the_persons_data(client, world, dossier):
    login(client, world.users.admin)
    response = client.get(reverse("admin:dossiers_dossier_changelist"))
    assert response.status_code == 200
    page = text(response)
    assert str(world.house) in page
    assert "Vandermeersch" not in page and "Héloïse" not in page
    # The admin has no page for one file (it would be titled with the person's name): refused.
    change = reverse("admin:dossiers_dossier_change", args=[dossier.pk])
    assert client.get(change).status_code == 403
    assert "Vandermeersch" not in text(
        client.get(reverse("admin:dossiers_dossieraccess_changelist"))
    )
