"""The signed links' sends, as tasks of the queue (run by `msap worker`).

Derived from state: the task names an item; it creates the missing link rows of the item's
current referents and claims each unsent one with a conditional UPDATE before mailing it, so a
task run twice, or two workers, never mail a link twice. A failed send gives its claim back and
queues the task again with a backoff.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.tasks import task
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from msap.appointments.models import LIVE_STATUSES, Appointment
from msap.core.queue import backoff, enqueue
from msap.partners.queries import current_referents
from msap.portal import links, rules
from msap.portal.models import LinkKind, PartnerLink
from msap.transmissions.models import OPEN_STATUSES, Transmission

log = logging.getLogger(__name__)
MAX_SEND_ATTEMPTS = 8


def _moment(value) -> str:
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")


def _link_params(link: PartnerLink, partnership, house, subject: str) -> dict:
    """What every link mail names: who sends what to whom, the link and when it expires."""
    return {
        "partner": partnership.partner.short_name,
        "house": house.name,
        "subject": subject,
        "url": settings.SITE_URL.rstrip("/") + links.url_for(link),
        "expires": _moment(link.expires_at),
    }


def _appointment_mail(link: PartnerLink) -> tuple[str, str]:
    appointment = link.appointment
    kind = appointment.appointment_type
    params = _link_params(link, kind.partnership, appointment.house, kind.subject)
    params["day"] = _moment(appointment.start)
    subject = _("Rendez-vous %(partner)s à confirmer — %(house)s") % params
    body = (
        _(
            "Bonjour,\n\n%(house)s a réservé un rendez-vous avec %(partner)s : « %(subject)s », "
            "le %(day)s.\n\nConfirmez-le ou annulez-le, sans compte, par ce lien personnel "
            "(valable jusqu'au %(expires)s, pour ce seul rendez-vous) :\n%(url)s\n\n"
            "Ne transférez pas ce lien : il permet de répondre au nom de votre organisme.\n"
        )
        % params
    )
    return subject, body


def _transmission_mail(link: PartnerLink) -> tuple[str, str]:
    transmission = link.transmission
    params = _link_params(link, transmission.partnership, transmission.house, transmission.subject)
    params["pk"] = transmission.pk
    subject = _("Saisine n° %(pk)s de %(house)s pour %(partner)s") % params
    body = (
        _(
            "Bonjour,\n\n%(house)s vous transmet la saisine n° %(pk)s : « %(subject)s ».\n\n"
            "Prenez-la en charge, demandez des informations, répondez, réorientez-la ou "
            "refusez-la, sans compte, par ce lien personnel (valable jusqu'au %(expires)s, pour "
            "cette seule saisine) :\n%(url)s\n\n"
            "Ne transférez pas ce lien : il permet de répondre au nom de votre organisme.\n"
        )
        % params
    )
    return subject, body


MAILS = {LinkKind.APPOINTMENT: _appointment_mail, LinkKind.TRANSMISSION: _transmission_mail}


def _issue(kind: str, item, referents, expires_at) -> list[int]:
    """The link rows of the item's referents with an email (created when missing)."""
    ids = []
    for referent in referents.exclude(email=""):
        keys = {"kind": kind, kind: item, "referent": referent}
        try:
            with transaction.atomic():
                link, _created = PartnerLink.objects.get_or_create(
                    **keys, defaults={"email": referent.email, "expires_at": expires_at}
                )
        except IntegrityError:  # another run created it between our read and our insert
            link = PartnerLink.objects.get(**keys)
        ids.append(link.pk)
    return ids


def _send(link_id: int) -> bool:
    """Claim and mail one link; True when this call sent it."""
    now = timezone.now()
    if not PartnerLink.objects.filter(
        pk=link_id, sent_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now
    ).update(sent_at=now, attempts=F("attempts") + 1):
        return False
    link = PartnerLink.objects.select_related(
        "appointment__house",
        "appointment__appointment_type__partnership__partner",
        "transmission__house",
        "transmission__partnership__partner",
    ).get(pk=link_id)
    try:
        with translation.override("fr"):
            subject, body = MAILS[link.kind](link)
        send_mail(subject, body, None, [link.email])
    except Exception:
        log.exception("partner link %s not sent, released for a retry", link_id)
        PartnerLink.objects.filter(pk=link_id).update(sent_at=None)
        if link.attempts < MAX_SEND_ATTEMPTS:
            delay = backoff(link.attempts, first=60, factor=3, cap=6 * 3600)
            enqueue(send_link, link_id, run_after=now + delay)
        return False
    return True


@task(queue_name="mail")
def send_link(link_id: int) -> bool:
    return _send(link_id)


@task(queue_name="mail")
def send_appointment_links(appointment_id: int) -> int:
    """Mail the appointment's partner referents their signed link; returns how many went."""
    now = timezone.now()
    appointment = (
        Appointment.objects.select_related("appointment_type__partnership")
        .filter(pk=appointment_id, status__in=LIVE_STATUSES, start__gt=now)
        .first()
    )
    if appointment is None:
        return 0
    ids = _issue(
        LinkKind.APPOINTMENT,
        appointment,
        current_referents().filter(partnership=appointment.appointment_type.partnership),
        rules.appointment_link_expiry(now, appointment.start),
    )
    return sum(_send(pk) for pk in ids)


@task(queue_name="mail")
def send_transmission_links(transmission_id: int) -> int:
    """Mail the referent the transmission is addressed to (else every current referent of the
    partnership) their signed link, valid 30 days (Dora); returns how many went."""
    now = timezone.now()
    transmission = (
        Transmission.objects.select_related("partnership", "referent")
        .filter(pk=transmission_id, status__in=OPEN_STATUSES)
        .first()
    )
    if transmission is None:
        return 0
    referents = current_referents().filter(partnership=transmission.partnership)
    if transmission.referent_id and referents.filter(pk=transmission.referent_id).exists():
        referents = referents.filter(pk=transmission.referent_id)
    ids = _issue(
        LinkKind.TRANSMISSION, transmission, referents, rules.transmission_link_expiry(now)
    )
    return sum(_send(pk) for pk in ids)
