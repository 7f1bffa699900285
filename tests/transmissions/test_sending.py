"""Sending a transmission (issue 9 §5, annex 1 C): the question, its urgency, attachments within
limits, the person's consent whenever personal data goes with it; the time limits in the
house's working days. Every refusal is French and saves nothing."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from msap.core.errors import DomainError, IdempotencyConflict
from msap.core.models import JournalEntry
from msap.transmissions import services
from msap.transmissions.models import (
    Attachment,
    DataCategory,
    Transmission,
    TransmissionSettings,
)
from msap.webhooks.models import Endpoint, Event
from tests import factories as f
from tests.transmissions.conftest import CONSENT, NOW, docx, pdf, send, send_personal, stored_files


def nothing_saved(media):
    assert Transmission.objects.count() == 0
    assert Attachment.objects.count() == 0
    assert stored_files(media) == []


def test_a_situation_without_personal_data_goes_without_consent(world):
    transmission = send(world, urgency="urgent")
    assert transmission.status == "sent" and transmission.urgency == "urgent"
    assert transmission.consent_at is None and transmission.consent_categories == []
    assert transmission.steps.get().status == "sent"
    assert JournalEntry.objects.filter(action="transmission.sent").count() == 1


def test_personal_data_goes_with_the_consent_recorded_who_when_what_how_long(world, private_media):
    transmission = send_personal(world)
    assert transmission.consent_at == NOW
    assert transmission.consent_by == world.users.agent
    assert transmission.consent_until == date(2026, 6, 30)
    assert set(transmission.consent_categories) == {"identity", "reference", "documents"}
    attachment = transmission.attachments.get()
    assert attachment.kind == "pdf" and attachment.original_name == "avis-imposition.pdf"
    # Stored under a random name, never the browser's.
    assert "avis" not in attachment.file.name
    assert len(stored_files(private_media)) == 1


@pytest.mark.parametrize(
    "data",
    [
        {"person_name": "Rose Martin"},
        {"person_reference": "1234567"},
        {"attachments": "pdf"},
        {"dossier": True},
    ],
)
def test_personal_data_without_consent_is_refused_and_nothing_saved(world, private_media, data):
    if data.get("attachments"):
        data = {"attachments": [pdf()]}
    if data.get("dossier"):
        data = {"dossier": f.DossierFactory(house=world.house, consent_by=world.users.agent)}
    with pytest.raises(DomainError, match="recueillez d'abord le consentement"):
        send(world, **data)
    nothing_saved(private_media)


def test_consent_must_cover_what_is_shared(world, private_media):
    with pytest.raises(DomainError, match="n'a pas accepté de partager : Pièces justificatives"):
        send_personal(world, consent_categories=[DataCategory.IDENTITY, DataCategory.REFERENCE])
    with pytest.raises(DomainError, match="Cochez les données"):
        send_personal(world, consent_categories=["health"])
    nothing_saved(private_media)


@pytest.mark.parametrize(
    ("until", "message"),
    [(None, "jusqu'à quand"), (date(2026, 3, 5), "jusqu'à quand"), (date(2027, 6, 1), "au plus")],
)
def test_consent_holds_for_a_stated_time_to_come_of_a_year_at_most(world, until, message):
    with pytest.raises(DomainError, match=message):
        send_personal(world, consent_until=until)
    assert Transmission.objects.count() == 0


def test_an_attachment_too_large_is_refused_and_nothing_saved(world, settings, private_media):
    settings.MSAP_MAX_UPLOAD_BYTES = 50
    with pytest.raises(DomainError, match=r"avis-imposition\.pdf : Le fichier est trop volumineux"):
        send_personal(world)
    nothing_saved(private_media)


def test_a_forbidden_attachment_type_is_refused_and_nothing_saved(world, private_media):
    exe = SimpleUploadedFile("notice.pdf", b"MZ\x90\x00 this is a program")
    with pytest.raises(DomainError, match="Type de fichier refusé"):
        send_personal(world, attachments=[pdf(), exe])
    nothing_saved(private_media)


def test_office_documents_and_images_are_accepted_attachments(world):
    png = SimpleUploadedFile("scan.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 20)
    transmission = send_personal(world, attachments=[docx(), png])
    assert sorted(transmission.attachments.values_list("kind", flat=True)) == ["docx", "png"]


def test_more_than_five_attachments_are_refused(world, private_media):
    with pytest.raises(DomainError, match="au plus 5 fichiers"):
        send_personal(world, attachments=[pdf(f"p{i}.pdf") for i in range(6)])
    nothing_saved(private_media)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("subject", "  ", "l'objet"),
        ("question", "", "la question posée"),
        ("question", "x" * 5001, "5000 caractères"),
        ("urgency", "tres_urgent", "urgence"),
    ],
)
def test_bad_fields_are_refused_in_french(world, field, value, message):
    with pytest.raises(DomainError, match=message):
        send(world, **{field: value})
    assert Transmission.objects.count() == 0


def test_only_a_partner_of_the_house_and_its_current_referent_are_addressed(world):
    with pytest.raises(DomainError, match="n'est pas partenaire de la maison"):
        send(world, partnership=world.other_caf)
    with pytest.raises(DomainError, match="référent actuel"):
        send(world, referent=world.ft_referent)
    transmission = send(world, referent=world.caf_referent)
    assert transmission.referent == world.caf_referent


def test_the_request_and_the_file_linked_must_be_the_houses(world):
    other_request = f.ServiceRequestFactory(house=world.other, agent=world.users.other_agent)
    with pytest.raises(DomainError, match="pas été enregistrée dans cette maison"):
        send(world, request=other_request)
    request = f.ServiceRequestFactory(house=world.house, agent=world.users.agent)
    assert send(world, request=request).request == request


def test_only_an_agent_of_the_house_sends(world):
    for user in (world.users.other_agent, world.users.referent_caf, world.users.prefecture):
        with pytest.raises(DomainError, match="Seuls les agents de la maison"):
            services.send(
                user, world.house, partnership=world.caf, subject="Objet", question="Question"
            )
    assert Transmission.objects.count() == 0


def test_a_double_submission_creates_one_transmission(world):
    first = send(world, idempotency_key="k-1")
    second, created = services.send(
        world.users.agent,
        world.house,
        partnership=world.caf,
        subject=first.subject,
        question=first.question,
        idempotency_key="k-1",
    )
    assert second == first and created is False
    with pytest.raises(IdempotencyConflict, match="avec d'autres valeurs"):
        send(world, idempotency_key="k-1", subject="Autre objet")
    assert Transmission.objects.count() == 1


def test_time_limits_are_counted_in_the_houses_working_days(world):
    """Sent on Friday 6 March: taken in charge by Wednesday 11 (Administration+: 3 working
    days), resolved within 15 working days (msap's default), weekends skipped."""
    transmission = send(world)
    assert transmission.take_days == 3 and transmission.take_due_on == date(2026, 3, 11)
    assert transmission.resolve_days == 15 and transmission.resolve_due_on == date(2026, 3, 27)


def test_the_partners_stated_processing_time_sets_the_time_to_resolve(world):
    f.AppointmentTypeFactory(partnership=world.caf, processing_days=8)
    f.AppointmentTypeFactory(partnership=world.caf, processing_days=5)
    transmission = send(world)
    assert transmission.resolve_days == 8 and transmission.resolve_due_on == date(2026, 3, 18)


def test_a_partnerships_own_settings_win(world):
    TransmissionSettings.objects.create(partnership=world.caf, take_days=2, resolve_days=4)
    transmission = send(world)
    assert transmission.take_due_on == date(2026, 3, 10)
    assert transmission.resolve_due_on == date(2026, 3, 12)


def test_sending_emits_the_webhook_event_without_personal_data(world):
    Endpoint.objects.create(
        partner=world.caf.partner,
        url="https://caf.exemple.fr/hook",
        event_types=["transmission.sent"],
    )
    transmission = send_personal(world)
    event = Event.objects.get()
    assert event.event_type == "transmission.sent"
    assert event.payload["transmission"] == transmission.pk
    assert "Rose" not in str(event.payload) and "1234567" not in str(event.payload)


def test_the_consent_is_journaled(world):
    transmission = send_personal(world)
    entry = JournalEntry.objects.get(action="transmission.consent")
    assert entry.target_id == str(transmission.pk)
    assert entry.changes["consent_categories"][1] == ["documents", "identity", "reference"]


def test_personal_data_without_consent_is_refused_by_the_database_too(world):
    transmission = send(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        Transmission.objects.filter(pk=transmission.pk).update(person_name="Rose Martin")


def test_consent_given_for_nothing_personal_is_still_checked(world):
    with pytest.raises(DomainError, match="Cochez les données"):
        send(world, consent=True)
    assert send(world, **CONSENT).consent_at == NOW
