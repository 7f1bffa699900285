"""The acknowledgement of what a person sent through the public site, by email (when given)."""

import logging

from django.core.mail import EmailMessage
from django.db import transaction
from django.tasks import task
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from msap.core.queue import backoff, enqueue
from msap.public.models import Submission

log = logging.getLogger(__name__)
ATTEMPTS = 5


def acknowledgement(submission: Submission) -> EmailMessage:
    item = submission.item
    house = item.house
    with translation.override("fr"):
        params = {
            "kind": item.get_kind_display(),
            "number": item.number,
            "house": house.name,
            "day": date_format(timezone.localtime(item.received_at, house.tz), "DATE_FORMAT"),
        }
        lines = [
            _("Bonjour,"),
            "",
            _("La maison %(house)s a bien reçu votre envoi du %(day)s : %(kind)s n° %(number)s.")
            % params,
        ]
        if item.due_at:
            lines.append(
                _("Une réponse vous sera apportée au plus tard le %(due)s.")
                % {"due": date_format(timezone.localtime(item.due_at, house.tz), "DATE_FORMAT")}
            )
        lines += [
            "",
            _("Objet : %(subject)s") % {"subject": item.subject},
            "",
            _("Ce message est automatique : merci de ne pas y répondre."),
        ]
        subject = _("Accusé de réception — %(kind)s n° %(number)s") % params
    return EmailMessage(subject, "\n".join(lines), to=[item.sender_email])


@task(queue_name="mail")
def send_acknowledgement(submission_pk: int, attempt: int = 1) -> str:
    """Send one acknowledgement once: the row is claimed by a conditional UPDATE."""
    mine = Submission.objects.filter(pk=submission_pk, ack_sent_at__isnull=True)
    if not mine.update(ack_sent_at=timezone.now()):
        return "skipped"
    submission = Submission.objects.select_related("item__house__commune").get(pk=submission_pk)
    try:
        acknowledgement(submission).send()
    except Exception:
        log.exception("public acknowledgement %s not sent (attempt %d)", submission_pk, attempt)
        with transaction.atomic():
            Submission.objects.filter(pk=submission_pk).update(ack_sent_at=None)
            if attempt < ATTEMPTS:
                retry = timezone.now() + backoff(attempt, first=60, factor=4, cap=6 * 3600)
                enqueue(send_acknowledgement, submission_pk, attempt + 1, run_after=retry)
        return "retry" if attempt < ATTEMPTS else "failed"
    return "sent"
