"""Signed links (issue 9, item 6; Dora): a referent who rarely signs in answers one appointment
through a link mailed by the queue when the appointment is addressed to its partner — bound to
that item, expiring, revocable, no account needed. A tampered, expired, revoked or foreign link,
or one whose item is closed, gets a French page and changes nothing."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from msap.appointments.models import Appointment, AppointmentStatus
from msap.core.models import JournalEntry
from msap.core.queue import run_ready_tasks
from msap.portal import links, services
from msap.portal.models import PartnerLink
from msap.transmissions import services as transmission_services
from msap.transmissions.models import Transmission


@pytest.fixture
def link_url(world, booked):
    """The CAF referent's link, read from the mail the queue sent."""
    mail.outbox.clear()
    run_ready_tasks()
    (message,) = [m for m in mail.outbox if world.caf_referent.email in m.to]
    return re.search(r"https?://\S+", message.body).group(0).split("://", 1)[1].split("/", 1)[1]


def status_of(appointment):
    return Appointment.objects.get(pk=appointment.pk).status


def test_booking_mails_each_current_referent_its_link_once(world, booked):
    mail.outbox.clear()
    run_ready_tasks()
    caf_mails = [m for m in mail.outbox if world.caf_referent.email in m.to]
    assert len(caf_mails) == 1 and "/lien/rendez-vous/" in caf_mails[0].body
    # Run again, the task queued twice: nothing is sent twice.
    from msap.portal.tasks import send_appointment_links

    send_appointment_links.call(booked.caf.pk)
    run_ready_tasks()
    assert len([m for m in mail.outbox if world.caf_referent.email in m.to]) == 1
    assert PartnerLink.objects.filter(appointment=booked.caf).count() == 1


def test_the_link_opens_the_appointment_and_confirms_it_without_an_account(
    client, world, booked, link_url
):
    page = client.get("/" + link_url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Point sur un dossier" in text
    # The referent's private contact is never on a page anyone holding the link may read.
    assert world.caf_referent.email not in text and world.caf_referent.phone not in text
    response = client.post("/" + link_url + "confirmed/", {"version": booked.caf.version})
    assert response.status_code == 302
    assert status_of(booked.caf) == AppointmentStatus.CONFIRMED
    assert JournalEntry.objects.filter(action="portal.link_used").count() == 1


def test_a_tampered_link_changes_nothing(client, booked, link_url):
    tampered = link_url[:-3] + ("A" if link_url[-3] != "A" else "B") + link_url[-2:]
    response = client.post("/" + tampered + "confirmed/", {"version": booked.caf.version})
    assert response.status_code == 404
    assert "pas valide" in response.content.decode()
    assert status_of(booked.caf) == AppointmentStatus.REQUESTED


def test_a_link_does_not_open_another_appointment(client, booked, link_url):
    other = link_url.replace(f"/{booked.caf.pk}/", f"/{booked.ft.pk}/")
    response = client.post("/" + other + "confirmed/", {"version": booked.ft.version})
    assert response.status_code == 404
    assert "ne concerne pas cet élément" in response.content.decode()
    assert status_of(booked.ft) == AppointmentStatus.REQUESTED


def test_an_expired_link_changes_nothing(client, booked, link_url):
    PartnerLink.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    response = client.post("/" + link_url + "confirmed/", {"version": booked.caf.version})
    assert response.status_code == 410
    assert "a expiré" in response.content.decode()
    assert status_of(booked.caf) == AppointmentStatus.REQUESTED


def test_a_revoked_link_changes_nothing(client, world, booked, link_url):
    services.revoke_link(world.users.admin, PartnerLink.objects.get(referent=world.caf_referent))
    response = client.post("/" + link_url + "confirmed/", {"version": booked.caf.version})
    assert response.status_code == 410
    assert "révoqué" in response.content.decode()
    assert status_of(booked.caf) == AppointmentStatus.REQUESTED


def test_a_replay_after_the_appointment_closed_changes_nothing(client, booked, link_url):
    revoke = "/" + link_url + "revoked/"
    client.post(revoke, {"reason": "Conseiller absent", "version": booked.caf.version})
    assert status_of(booked.caf) == AppointmentStatus.REVOKED
    response = client.post(revoke, {"reason": "Encore", "version": booked.caf.version + 1})
    assert response.status_code == 410
    assert "Ce rendez-vous est clos" in response.content.decode()
    assert Appointment.objects.get(pk=booked.caf.pk).revoked_reason == "Conseiller absent"


def test_a_link_expires_with_its_appointment(world, booked):
    run_ready_tasks()
    link = PartnerLink.objects.get(appointment=booked.caf)
    assert link.expires_at <= booked.caf.start
    with pytest.raises(links.LinkRefused):
        links.open_link(links.token_for(link), "appointment", booked.caf.pk, booked.caf.start)


# --- transmissions (Dora: a link valid 30 days) ----------------------------------------------------


@pytest.fixture
def transmission(world):
    sent, _created = transmission_services.send(
        world.users.agent,
        world.house,
        partnership=world.caf,
        subject="Droits au RSA après une séparation",
        question="Quels droits, quelles pièces ?",
    )
    return sent


@pytest.fixture
def transmission_url(world, transmission):
    mail.outbox.clear()
    run_ready_tasks()
    (message,) = [
        m for m in mail.outbox if world.caf_referent.email in m.to and "/lien/saisine/" in m.body
    ]
    return (
        "/" + re.search(r"https?://\S+", message.body).group(0).split("://", 1)[1].split("/", 1)[1]
    )


def test_a_transmission_link_lasts_30_days_and_takes_it_in_charge_without_an_account(
    client, world, transmission, transmission_url
):
    link = PartnerLink.objects.get(transmission=transmission)
    assert link.expires_at - link.created_at >= timedelta(days=30) - timedelta(minutes=1)
    page = client.get(transmission_url).content.decode()
    assert "Droits au RSA" in page and world.caf_referent.email not in page
    client.post(transmission_url + "prise-en-charge/", {"prise-en-charge-version": 1})
    assert Transmission.objects.get(pk=transmission.pk).status == "taken"
    client.post(
        transmission_url + "resolution/",
        {"resolution-version": 2, "resolution-text": "Droits ouverts."},
    )
    assert Transmission.objects.get(pk=transmission.pk).status == "resolved"
    # Replayed once the transmission is closed: a French page, nothing changes.
    response = client.post(
        transmission_url + "refus/", {"refus-version": 3, "refus-refusal_reason": "other"}
    )
    assert response.status_code == 410 and "est close" in response.content.decode()
    assert Transmission.objects.get(pk=transmission.pk).status == "resolved"


def test_a_tampered_or_expired_transmission_link_changes_nothing(
    client, transmission, transmission_url
):
    tampered = transmission_url.replace(":", ":x", 1)
    assert (
        client.post(tampered + "prise-en-charge/", {"prise-en-charge-version": 1}).status_code
        == 404
    )
    PartnerLink.objects.update(expires_at=timezone.now())
    assert (
        client.post(
            transmission_url + "prise-en-charge/", {"prise-en-charge-version": 1}
        ).status_code
        == 410
    )
    assert Transmission.objects.get(pk=transmission.pk).status == "sent"


def test_a_transmission_link_does_not_open_an_appointment(client, booked, transmission_url):
    other = transmission_url.replace("/saisine/", "/rendez-vous/").replace(
        f"/{transmission_url.split('/')[3]}/", f"/{booked.caf.pk}/"
    )
    assert client.get(other).status_code == 404
