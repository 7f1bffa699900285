"""The partner's answers from the portal or a signed link, and the links' life: one function per
intent, each owning its transaction and its journal entry. The appointment's own moves are
msap.appointments.services.change_status; this app adds who answered and through what."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from msap.appointments import services as appointments
from msap.appointments.models import LIVE_STATUSES, Appointment, AppointmentStatus
from msap.core import journal
from msap.core.errors import DomainError
from msap.core.queue import enqueue
from msap.portal import links
from msap.portal.models import PartnerLink
from msap.portal.tasks import send_appointment_links, send_transmission_links
from msap.transmissions import services as transmissions
from msap.transmissions.models import OPEN_STATUSES, Transmission, TransmissionStatus

# What a partner answers to an appointment: it confirms it, or cancels it with its reason.
PARTNER_MOVES = (AppointmentStatus.CONFIRMED, AppointmentStatus.REVOKED)


def appointment_addressed(sender, instance: Appointment, created: bool, raw=False, **kwargs):
    """post_save of an appointment: a new one is addressed to its partner, whose referents get
    their signed link by the queue (in the booking's transaction: no link for a rolled-back
    booking)."""
    if created and not raw and instance.status in LIVE_STATUSES:
        enqueue(send_appointment_links, instance.pk)


def transmission_addressed(sender, instance: Transmission, created: bool, raw=False, **kwargs):
    """post_save of a transmission: a new one is addressed to its partner, whose referent gets
    a signed link valid 30 days (Dora), by the queue, in the sending's transaction."""
    if created and not raw and instance.status in OPEN_STATUSES:
        enqueue(send_transmission_links, instance.pk)


def move_transmission(actor, transmission, status: str, data: dict, *, version, link=None):
    """The partner's move on a transmission, signed in (`actor`) or through `link` (vouched: the
    link was opened for this transmission of this partner)."""
    S = TransmissionStatus
    kw = {"version": version, "vouched": link is not None}
    with transaction.atomic():
        if status == S.TAKEN:
            moved = transmissions.take_in_charge(actor, transmission, **kw)
        elif status == S.INFO_REQUESTED:
            moved = transmissions.request_information(actor, transmission, data["text"], **kw)
        elif status == S.RESOLVED:
            moved = transmissions.resolve(actor, transmission, data["text"], **kw)
        elif status == S.REDIRECTED:
            target = (
                transmission.house.partnerships.active()
                .exclude(pk=transmission.partnership_id)
                .filter(pk=data.get("redirected_to"))
                .first()
            )
            moved = transmissions.redirect(actor, transmission, target, data["text"], **kw)
        elif status == S.REFUSED:
            moved = transmissions.refuse(
                actor, transmission, data["refusal_reason"], data["text"], **kw
            )
        else:
            raise DomainError(_("Cette action n'est pas une réponse du partenaire."))
        if link is not None:
            _used(link, moved, timezone.now())
    return moved


def answer_appointment(
    actor, appointment: Appointment, status: str, *, reason: str = "", version=None, link=None
) -> Appointment:
    """The partner confirms or revokes the appointment, signed in (`actor`) or through `link`."""
    if status not in PARTNER_MOVES:
        raise DomainError(_("Un partenaire confirme ou annule un rendez-vous, rien d'autre."))
    now = timezone.now()
    with transaction.atomic():
        moved = appointments.change_status(
            actor, appointment, status, reason=reason, version=version, now=now
        )
        if link is not None:
            _used(link, moved, now)
    return moved


def _used(link: PartnerLink, item, now: datetime) -> None:
    PartnerLink.objects.filter(pk=link.pk).update(last_used_at=now)
    journal.record(
        None,
        "portal.link_used",
        item,
        summary=gettext_noop("Réponse de %(name)s (%(partner)s) par lien signé"),
        params={
            "name": link.referent.full_name,
            "partner": link.referent.partnership.partner.short_name,
        },
    )


def open_link(token: str, kind: str, item_pk: int) -> PartnerLink:
    """The link, if it may still act (links.LinkRefused otherwise, changing nothing)."""
    return links.open_link(token, kind, item_pk, timezone.now())


def revoke_link(actor, link: PartnerLink) -> None:
    """The link opens nothing any more (a referent who left, a forwarded email)."""
    with transaction.atomic():
        if not PartnerLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        ):
            raise DomainError(_("Ce lien est déjà révoqué."))
        journal.record(
            actor,
            "portal.link_revoked",
            link.item,
            # The referent's name, never their direct email: overseers read the house's history.
            summary=gettext_noop("Lien signé de %(name)s révoqué"),
            params={"name": link.referent.full_name},
        )
