"""The personal file's lifecycle (SPEC "Confidentiality"): consent → use → export → erasure."""

import io
import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from msap.core.errors import DomainError, StaleVersion
from msap.core.models import JournalEntry
from msap.desk import services as desk_services
from msap.desk.models import ServiceRequest
from msap.dossiers import rules, services
from msap.dossiers.models import (
    AccessAction,
    Dossier,
    DossierDocument,
    DossierStatus,
    FollowUp,
)
from msap.dossiers.queries import dossier_of
from msap.lib.dates import add_months
from tests import factories as f
from tests.dossiers import NOT_A_SCAN, PDF, PNG


def journal_text() -> str:
    return json.dumps(
        list(JournalEntry.objects.values("summary", "params", "changes")), ensure_ascii=False
    )


def pdf_text(content: bytes) -> str:
    """The PDF's text with whitespace normalised: table cells wrap long lines."""
    return " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split()
    )


# --- consent --------------------------------------------------------------------------------------


def test_a_file_opened_with_consent_records_when_for_what_and_by_whom(one_house):
    dossier = f.DossierFactory(house=one_house.house)
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.ACTIVE
    assert dossier.consent_purpose == f.CONSENT_PURPOSE
    assert dossier.consent_by == one_house.users.agent
    assert dossier.consent_at is not None
    assert dossier.last_activity_at == dossier.consent_at
    assert (dossier.first_name, dossier.last_name) == ("Héloïse", "Vandermeersch")


@pytest.mark.parametrize("consent_given", [False, None, "oui"])
def test_opening_without_consent_is_refused_and_nothing_saved(one_house, consent_given):
    with pytest.raises(DomainError) as exc:
        services.open_dossier(
            one_house.users.agent,
            one_house.house,
            consent_purpose=f.CONSENT_PURPOSE,
            consent_given=consent_given,
            **f.PERSON,
        )
    assert "accord de la personne" in exc.value.message
    assert "consent_given" in exc.value.errors
    assert not Dossier.objects.exists()
    assert not JournalEntry.objects.filter(action__startswith="dossier.").exists()


def test_opening_without_a_purpose_is_refused_and_nothing_saved(one_house):
    with pytest.raises(DomainError) as exc:
        services.open_dossier(
            one_house.users.agent,
            one_house.house,
            consent_purpose="  ",
            consent_given=True,
            **f.PERSON,
        )
    assert exc.value.errors["consent_purpose"] == [
        "Indiquez la finalité à laquelle la personne consent."
    ]
    assert not Dossier.objects.exists()


def test_opening_without_a_name_or_with_a_bad_email_is_refused(one_house):
    with pytest.raises(DomainError) as exc:
        f.DossierFactory(
            house=one_house.house, last_name="", email="pas-une-adresse", birth_year=1850
        )
    assert set(exc.value.errors) == {"last_name", "email", "birth_year"}
    assert not Dossier.objects.exists()


# --- use ------------------------------------------------------------------------------------------


def test_an_edit_with_a_stale_version_is_refused_and_nothing_saved(one_house):
    dossier = f.DossierFactory(house=one_house.house)
    services.update_dossier(
        one_house.users.agent, dossier, {"phone": "05 55 00 00 01"}, expected_version=1
    )
    stale = Dossier.objects.get(pk=dossier.pk)
    stale.version = 1
    with pytest.raises(StaleVersion):
        services.update_dossier(
            one_house.users.responsable, stale, {"phone": "05 55 99 99 99"}, expected_version=1
        )
    assert Dossier.objects.get(pk=dossier.pk).phone == "05 55 00 00 01"


def test_a_partial_edit_keeps_the_other_fields(world):
    dossier = f.DossierFactory(house=world.house)
    services.update_dossier(
        world.users.agent, dossier, {"next_steps": "Rappeler la CARSAT"}, expected_version=1
    )
    dossier.refresh_from_db()
    assert dossier.next_steps == "Rappeler la CARSAT"
    assert dossier.email == f.PERSON["email"]
    assert dossier.accesses.filter(action=AccessAction.EDIT).count() == 1


def test_a_follow_up_links_its_request_and_restarts_the_retention_period(one_house):
    past = datetime(2025, 1, 10, 9, tzinfo=UTC)
    dossier = f.DossierFactory(house=one_house.house, now=past)
    request = f.ServiceRequestFactory(house=one_house.house)
    follow_up = services.add_follow_up(
        one_house.users.agent, dossier, note="Dossier ASPA déposé", request=request
    )
    dossier.refresh_from_db()
    request.refresh_from_db()
    assert follow_up.request == request
    assert dossier_of(request) == dossier
    assert dossier.last_activity_at > past


def test_a_follow_up_on_a_request_of_another_house_is_refused(world):
    dossier = f.DossierFactory(house=world.house)
    elsewhere = f.ServiceRequestFactory(house=world.other, agent=world.users.other_agent)
    with pytest.raises(DomainError) as exc:
        services.add_follow_up(world.users.agent, dossier, note="Suivi", request=elsewhere)
    assert exc.value.errors["request"] == ["Cette demande a été enregistrée dans une autre maison."]
    assert not FollowUp.objects.exists()
    elsewhere.refresh_from_db()
    assert dossier_of(elsewhere) is None


def test_a_follow_up_on_a_request_of_another_persons_file_is_refused(world):
    dossier = f.DossierFactory(house=world.house)
    someone_else = f.DossierFactory(house=world.house, last_name="Martin")
    request = f.ServiceRequestFactory(house=world.house, dossier=someone_else)
    with pytest.raises(DomainError):
        services.add_follow_up(world.users.agent, dossier, note="Suivi", request=request)
    assert not FollowUp.objects.exists()


def test_a_document_is_stored_privately_with_a_random_name_and_its_sniffed_type(
    one_house, private_media
):
    dossier = f.DossierFactory(house=one_house.house)
    upload = SimpleUploadedFile(
        "Avis d'imposition Vandermeersch.jpeg", PNG, content_type="image/jpeg"
    )
    document = services.add_document(
        one_house.users.agent, dossier, upload, label="Avis d'imposition"
    )
    assert document.content_type == "image/png"  # the content wins over the name and the browser
    assert document.size == len(PNG)
    assert document.original_name == "Avis d'imposition Vandermeersch.jpeg"
    assert document.file.name.startswith(f"dossiers/{dossier.pk}/")
    assert document.file.name.endswith(".png")
    assert "Vandermeersch" not in document.file.name
    assert (private_media / document.file.name).read_bytes() == PNG


def test_a_document_of_the_wrong_type_is_refused_and_nothing_saved(one_house, private_media):
    dossier = f.DossierFactory(house=one_house.house)
    upload = SimpleUploadedFile("scan.pdf", NOT_A_SCAN, content_type="application/pdf")
    with pytest.raises(DomainError) as exc:
        services.add_document(one_house.users.agent, dossier, upload)
    assert exc.value.errors["file"] == [
        "Type de fichier refusé : seuls les fichiers PDF, PNG, JPEG sont acceptés."
    ]
    assert not DossierDocument.objects.exists()
    assert not any(private_media.rglob("*.*"))


def test_a_document_too_large_is_refused_and_nothing_saved(one_house, settings, private_media):
    settings.MSAP_MAX_UPLOAD_BYTES = 1024
    dossier = f.DossierFactory(house=one_house.house)
    upload = SimpleUploadedFile("scan.pdf", PDF + b"0" * 2048, content_type="application/pdf")
    with pytest.raises(DomainError) as exc:
        services.add_document(one_house.users.agent, dossier, upload)
    assert "trop volumineux" in exc.value.errors["file"][0]
    assert not DossierDocument.objects.exists()
    assert not any(private_media.rglob("*.*"))


def test_removing_a_document_deletes_its_file(
    one_house, private_media, django_capture_on_commit_callbacks
):
    dossier = f.DossierFactory(house=one_house.house)
    document = services.add_document(
        one_house.users.agent, dossier, SimpleUploadedFile("a.pdf", PDF)
    )
    path = private_media / document.file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.remove_document(one_house.users.agent, document)
    assert not path.exists()
    assert not DossierDocument.objects.exists()


# --- the whole lifecycle ----------------------------------------------------------------------------


def test_consent_use_export_then_erasure_keeps_requests_as_anonymous_statistics(
    one_house, private_media, django_capture_on_commit_callbacks
):
    agent = one_house.users.agent
    # Consent, then use.
    dossier = f.DossierFactory(house=one_house.house)
    request = f.ServiceRequestFactory(
        house=one_house.house, partner="carsat", notes="A rappeler après le 15"
    )
    services.add_follow_up(
        agent, dossier, note="Demande de retraite anticipée déposée en ligne", request=request
    )
    document = services.add_document(
        agent, dossier, SimpleUploadedFile("releve-carriere.pdf", PDF), label="Relevé de carrière"
    )
    file_path = private_media / document.file.name
    assert file_path.exists()

    # Export: JSON.
    exported = json.loads(services.export_dossier(agent, dossier, "json"))
    assert exported["identity"]["last_name"] == "Vandermeersch"
    assert exported["consent"]["purpose"] == f.CONSENT_PURPOSE
    assert exported["follow_ups"][0]["note"] == "Demande de retraite anticipée déposée en ligne"
    assert exported["documents"] == [
        {
            "name": "releve-carriere.pdf",
            "description": "Relevé de carrière",
            "type": "application/pdf",
            "size": len(PDF),
            "uploaded_at": exported["documents"][0]["uploaded_at"],
        }
    ]
    assert exported["requests"][0]["category"].startswith("B1")
    assert exported["requests"][0]["partners"] == [f.national_partner("carsat").name]
    assert "notes" not in exported["requests"][0]

    # Export: PDF, read back.
    text = pdf_text(services.export_dossier(agent, dossier, "pdf"))
    assert "Vandermeersch" in text
    assert "Demande de retraite anticipée déposée en ligne" in text
    assert dossier.accesses.filter(action=AccessAction.EXPORT).count() == 2

    # Erasure at the person's request.
    with django_capture_on_commit_callbacks(execute=True):
        assert services.erase_dossier(agent, dossier) is True
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.ERASED
    assert dossier.closed_at is not None
    assert all(getattr(dossier, field) in ("", None) for field in rules.IDENTITY_FIELDS)
    assert not FollowUp.objects.filter(dossier=dossier).exists()
    assert not DossierDocument.objects.filter(dossier=dossier).exists()
    assert not file_path.exists()
    assert not any(private_media.rglob("*.*"))
    request.refresh_from_db()
    assert dossier_of(request) is None
    assert request.notes == ""
    assert ServiceRequest.objects.filter(pk=request.pk, category__code="B1").exists()
    assert "Vandermeersch" not in str(dossier)
    # The journal tells what happened, never about whom.
    assert JournalEntry.objects.filter(action="dossier.erased", target_id=str(dossier.pk)).exists()
    assert "Vandermeersch" not in journal_text()
    assert "Héloïse" not in journal_text()


def test_erasing_twice_is_a_no_op(one_house, django_capture_on_commit_callbacks):
    dossier = f.DossierFactory(house=one_house.house)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.erase_dossier(one_house.users.agent, dossier) is True
        assert services.erase_dossier(one_house.users.agent, dossier) is False
    assert JournalEntry.objects.filter(action="dossier.erased").count() == 1
    assert dossier.accesses.filter(action=AccessAction.ERASE).count() == 1


def test_an_erased_file_cannot_be_exported_or_edited(one_house):
    dossier = f.DossierFactory(house=one_house.house)
    services.erase_dossier(one_house.users.agent, dossier)
    with pytest.raises(DomainError, match="plus de données personnelles"):
        services.export_dossier(one_house.users.agent, dossier, "json")
    with pytest.raises(DomainError):
        services.update_dossier(
            one_house.users.agent, dossier, {"last_name": "Retour"}, expected_version=None
        )
    with pytest.raises(DomainError):
        services.add_follow_up(one_house.users.agent, dossier, note="Suivi")


def test_an_unknown_export_format_is_refused(one_house):
    dossier = f.DossierFactory(house=one_house.house)
    with pytest.raises(DomainError, match="Format d'export inconnu"):
        services.export_dossier(one_house.users.agent, dossier, "xlsx")
    assert not dossier.accesses.filter(action=AccessAction.EXPORT).exists()


def test_the_journal_never_contains_the_persons_data(world, django_capture_on_commit_callbacks):
    agent = world.users.agent
    dossier = f.DossierFactory(house=world.house)
    services.update_dossier(
        agent, dossier, {"email": "nouvelle.adresse@exemple.fr"}, expected_version=1
    )
    services.add_follow_up(agent, dossier, note="Secret médical évoqué, à ne pas journaliser")
    services.add_document(agent, dossier, SimpleUploadedFile("Vandermeersch.pdf", PDF))
    services.export_dossier(agent, dossier, "json")
    with django_capture_on_commit_callbacks(execute=True):
        services.erase_dossier(agent, dossier)
    text = journal_text()
    assert JournalEntry.objects.filter(action__startswith="dossier.").count() == 6
    for value in [
        *f.PERSON.values(),
        "nouvelle.adresse@exemple.fr",
        "Secret médical",
        f.CONSENT_PURPOSE,
    ]:
        assert str(value) not in text
    # Field names are fine: they say what changed, not to what.
    assert '"email"' in text


# --- retention rule -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("instant", "months", "expected"),
    [
        (datetime(2026, 3, 15, 10, tzinfo=UTC), 24, datetime(2024, 3, 15, 10, tzinfo=UTC)),
        (datetime(2026, 3, 31, 10, tzinfo=UTC), 1, datetime(2026, 2, 28, 10, tzinfo=UTC)),
        (datetime(2026, 2, 28, 10, tzinfo=UTC), 24, datetime(2024, 2, 28, 10, tzinfo=UTC)),
        (datetime(2026, 1, 31, 10, tzinfo=UTC), 23, datetime(2024, 2, 29, 10, tzinfo=UTC)),
        (datetime(2026, 1, 10, 10, tzinfo=UTC), 13, datetime(2024, 12, 10, 10, tzinfo=UTC)),
    ],
)
def test_retention_counts_calendar_months_clamped_to_the_end_of_the_month(
    instant, months, expected
):
    assert add_months(instant, -months) == expected


def test_retention_period_comes_from_settings_and_follows_the_local_calendar(settings):
    settings.MSAP_DOSSIER_RETENTION_MONTHS = 6
    paris = ZoneInfo("Europe/Paris")
    # 15 September 14:00 in Paris (summer time) → 15 March 14:00 in Paris (winter time).
    assert rules.retention_cutoff(datetime(2026, 9, 15, 12, tzinfo=UTC)) == datetime(
        2026, 3, 15, 14, tzinfo=paris
    )


def test_a_change_to_a_file_erased_meanwhile_is_refused(one_house):
    """A screen opened before the erasure must not put personal data back into the file."""
    dossier = f.DossierFactory(house=one_house.house)
    services.erase_dossier(one_house.users.responsable, Dossier.objects.get(pk=dossier.pk))
    assert dossier.status == DossierStatus.ACTIVE  # the agent's stale copy
    with pytest.raises(DomainError, match="effacé ou anonymisé"):
        services.add_follow_up(one_house.users.agent, dossier, note="Rappel de Mme Vandermeersch")
    with pytest.raises(DomainError, match="effacé ou anonymisé"):
        services.add_document(one_house.users.agent, dossier, SimpleUploadedFile("a.pdf", PDF))
    assert not FollowUp.objects.exists()
    assert not DossierDocument.objects.exists()


def test_correcting_a_request_of_the_file_restarts_its_retention_period(one_house):
    # Using the file for a request restarts its retention (SPEC confidentiality: purged after
    # its retention period of inactivity); the link lives in dossiers, the correction in desk.
    past = datetime(2025, 1, 10, 9, tzinfo=UTC)
    dossier = f.DossierFactory(house=one_house.house, now=past)
    request = f.ServiceRequestFactory(house=one_house.house, dossier=dossier)
    desk_services.update_request(
        one_house.users.agent, request, {"duration_minutes": 20}, expected_version=request.version
    )
    dossier.refresh_from_db()
    assert dossier.last_activity_at > past
