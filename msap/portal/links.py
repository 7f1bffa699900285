"""The signed URL of a partner link and what opening it checks: each refusal says, in French,
why nothing can be done, and changes nothing."""

from datetime import datetime

from django.core import signing
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from msap.appointments.models import LIVE_STATUSES
from msap.portal.models import LinkKind, PartnerLink
from msap.transmissions.models import OPEN_STATUSES

SALT = "msap.portal.link"
# The URL segment of each kind of item.
PATHS = {LinkKind.APPOINTMENT: "rendez-vous", LinkKind.TRANSMISSION: "saisine"}


class LinkRefused(Exception):
    """The link opens nothing: `message` is the French page's text, `status` its HTTP code."""

    def __init__(self, message: str, status: int = 410):
        super().__init__(message)
        self.message = message
        self.status = status


def token_for(link: PartnerLink) -> str:
    return signing.dumps({"l": link.pk, "n": link.nonce}, salt=SALT)


def url_for(link: PartnerLink) -> str:
    return reverse("link_open", args=[PATHS[link.kind], link.item_id, token_for(link)])


def item_closed(link: PartnerLink, now: datetime) -> str | None:
    """Why the item no longer waits for the partner, or None."""
    if link.kind == LinkKind.APPOINTMENT:
        appointment = link.appointment
        if appointment.status not in LIVE_STATUSES:
            return _("Ce rendez-vous est clos (%(status)s) : il n'attend plus de réponse.") % {
                "status": appointment.get_status_display()
            }
        if appointment.start <= now:
            return _("Ce rendez-vous a commencé : il ne se confirme ni ne s'annule plus en ligne.")
    elif link.transmission.status not in OPEN_STATUSES:
        return _("Cette saisine est close (%(status)s) : elle n'attend plus de réponse.") % {
            "status": link.transmission.get_status_display()
        }
    return None


def open_link(token: str, kind: str, item_pk: int, now: datetime) -> PartnerLink:
    """The link the token names, if it may act on item `item_pk` of `kind` now."""
    invalid = LinkRefused(
        _(
            "Ce lien n'est pas valide : il a peut-être été mal copié. Ouvrez-le depuis le "
            "courriel reçu, ou connectez-vous à msap."
        ),
        404,
    )
    try:
        data = signing.loads(token, salt=SALT)
        pk, nonce = int(data["l"]), str(data["n"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise invalid from None
    link = (
        PartnerLink.objects.select_related(
            "referent__partnership__partner",
            "appointment__house__commune",
            "appointment__appointment_type__partnership__partner",
            "appointment__adviser",
            "transmission__house__commune__departement",
            "transmission__partnership__partner",
        )
        .filter(pk=pk, nonce=nonce)
        .first()
    )
    if link is None:
        raise invalid
    if link.kind != kind or link.item_id != item_pk:
        raise LinkRefused(_("Ce lien ne concerne pas cet élément : rien n'a été modifié."), 404)
    if link.revoked_at is not None:
        raise LinkRefused(
            _("Ce lien a été révoqué : demandez à la maison France Services un nouveau lien.")
        )
    if link.expires_at <= now:
        raise LinkRefused(
            _("Ce lien a expiré le %(day)s : connectez-vous à msap pour répondre.")
            % {"day": formats.date_format(timezone.localtime(link.expires_at), "SHORT_DATE_FORMAT")}
        )
    closed = item_closed(link, now)
    if closed:
        raise LinkRefused(closed)
    return link
