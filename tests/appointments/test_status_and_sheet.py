"""An appointment's life (requested → confirmed → seen / no-show, or excused / revoked with a
reason) and its preparation sheet (commitment 5): place, time, adviser, a public contact, the
documents to bring; as a PDF and an ICS file, both read back."""

import io

import pytest
import time_machine
from django.urls import reverse
from icalendar import Calendar
from pypdf import PdfReader

from msap.appointments import services, sheet
from msap.appointments.models import Appointment
from msap.core.errors import DomainError
from tests.appointments.conftest import book, paris

pytestmark = pytest.mark.usefixtures("frozen")

TUESDAY_10 = paris(2026, 3, 3, 10)


@pytest.fixture
def appointment(world, offer):
    return book(world, offer.video, offer.sophie, TUESDAY_10)


def test_confirmed_then_seen_once_started(client, world, appointment):
    client.force_login(world.users.agent)
    url = reverse("appointment_status", args=[appointment.pk, "confirmed"])
    page = client.get(url)
    assert "Confirmer le rendez-vous" in page.content.decode()

    client.post(url, {"version": appointment.version})
    appointment.refresh_from_db()
    assert appointment.status == "confirmed"
    with pytest.raises(DomainError, match="pas encore commencé"):
        services.change_status(world.users.agent, appointment, "seen")

    with time_machine.travel(TUESDAY_10, tick=False):
        seen = services.change_status(world.users.agent, appointment, "seen")
    assert seen.status == "seen" and seen.available_statuses() == []
    with pytest.raises(DomainError, match="Passage impossible"):
        services.change_status(world.users.agent, seen, "excused")


def test_revoked_by_the_partner_needs_a_reason(client, world, appointment):
    client.force_login(world.users.agent)
    url = reverse("appointment_status", args=[appointment.pk, "revoked"])

    refused = client.post(url, {"version": appointment.version, "reason": "  "})
    appointment.refresh_from_db()
    assert "Indiquez le motif de l&#x27;annulation par le partenaire." in refused.content.decode()
    assert appointment.status == "requested"

    client.post(url, {"version": appointment.version, "reason": "Conseillère en formation"})
    appointment.refresh_from_db()
    assert appointment.status == "revoked"
    assert appointment.revoked_reason == "Conseillère en formation"


def test_a_stale_version_changes_nothing(client, world, appointment):
    client.force_login(world.users.agent)
    client.post(
        reverse("appointment_status", args=[appointment.pk, "excused"]),
        {"version": appointment.version + 5},
    )
    appointment.refresh_from_db()
    assert appointment.status == "requested"


def test_a_stale_revocation_goes_back_to_the_appointment_with_the_reason_to_reload(
    client, world, appointment
):
    """Optimistic locking: a revocation on an appointment someone else changed since the page was
    read changes nothing, and says so on the appointment's page (as the partner's portal does),
    not on a form whose stale version no edit could fix."""
    client.force_login(world.users.agent)
    response = client.post(
        reverse("appointment_status", args=[appointment.pk, "revoked"]),
        {"version": appointment.version + 5, "reason": "Conseillère en formation"},
        follow=True,
    )
    appointment.refresh_from_db()
    assert appointment.status == "requested"
    assert response.redirect_chain[-1][0] == reverse("appointment_detail", args=[appointment.pk])
    assert "Rechargez la page pour voir sa version actuelle" in response.content.decode()


def test_unknown_status_answers_404(client, world, appointment):
    client.force_login(world.users.agent)
    response = client.get(reverse("appointment_status", args=[appointment.pk, "perdu"]))
    assert response.status_code == 404


def pdf_text(content: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_preparation_sheet_has_place_time_adviser_public_contact_and_documents(
    client, world, appointment
):
    client.force_login(world.users.agent)
    response = client.get(reverse("appointment_sheet", args=[appointment.pk]))

    assert response["Content-Type"] == "application/pdf"
    text = " ".join(pdf_text(response.content).split())
    assert "mardi 3 mars 2026 à 10 h 00" in text
    assert "France Services de Tulle" in text and "1 place de la Mairie" in text
    assert "Sophie Martin" in text
    assert "Avis d'imposition" in text and "Relevé d'identité bancaire" in text
    assert "3230 ou caf.fr" in text and world.house.phone in text
    # Annex 2: never the referent's direct line or email.
    assert world.caf_referent.phone not in text and world.caf_referent.email not in text


def test_ics_file_reads_back_as_the_appointment(client, world, appointment):
    client.force_login(world.users.agent)
    response = client.get(reverse("appointment_ics", args=[appointment.pk]))

    event = Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert event["UID"] == f"rendez-vous-{appointment.pk}@msap"
    assert event.decoded("DTSTART") == TUESDAY_10
    assert event.decoded("DTEND") == appointment.end
    assert "France Services de Tulle" in str(event["LOCATION"])
    assert "Avis d'imposition" in str(event["DESCRIPTION"])
    assert str(event["STATUS"]) == "TENTATIVE"
    assert world.caf_referent.email not in response.content.decode()

    services.change_status(world.users.agent, appointment, "excused")
    cancelled = Calendar.from_ical(sheet.render_ics(Appointment.objects.get(pk=appointment.pk)))
    assert str(cancelled.walk("VEVENT")[0]["STATUS"]) == "CANCELLED"
