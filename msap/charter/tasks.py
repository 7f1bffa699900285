"""The charter's emails, as tasks of the queue: the reminder before an evidence stops counting.

The reminder row (unique per evidence and expiry date) is created with its task in one
transaction (services.queue_expiry_reminders); the task claims the row with a conditional
UPDATE before sending, so a repeated task never sends twice, and a failed send gives its claim
back and queues itself again with backoff."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import get_random_string
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from msap.charter import queries
from msap.charter.models import ExpiryReminder
from msap.core.queue import backoff, enqueue

log = logging.getLogger(__name__)
MAX_SEND_ATTEMPTS = 5


def queue_reminder(reminder_id: int) -> None:
    enqueue(send_reminder, reminder_id, 1)


def build(reminder: ExpiryReminder) -> tuple[str, str, list[str]] | None:
    evidence = reminder.evidence
    to = queries.reminder_recipients(evidence.house_id)
    if not to or evidence.removed_at is not None:
        return None
    values = {
        "house": evidence.house.name,
        "code": evidence.commitment,
        "kind": evidence.get_kind_display(),
        "until": date_format(evidence.valid_until, "SHORT_DATE_FORMAT"),
        "link": settings.SITE_URL + reverse("charter_house", args=[evidence.house_id]),
    }
    subject = _("Charte de qualité : un justificatif de %(house)s expire le %(until)s") % values
    body = (
        _(
            "Le justificatif « %(kind)s » de l'engagement %(code)s de la charte de qualité de "
            "%(house)s cesse de compter après le %(until)s. Enregistrez le document à jour pour que "
            "l'engagement reste justifié :\n\n%(link)s"
        )
        % values
    )
    return subject, body, to


@task(queue_name="mail")
def send_reminder(reminder_id: int, attempt: int) -> bool:
    """Claim and send one expiry reminder; True when this run sent it."""
    token = get_random_string(24)
    if not ExpiryReminder.objects.filter(pk=reminder_id, sent_at__isnull=True, claim="").update(
        claim=token, attempts=attempt
    ):
        return False
    reminder = ExpiryReminder.objects.select_related("evidence__house").get(pk=reminder_id)
    with translation.override(settings.LANGUAGE_CODE):
        message = build(reminder)
    if message is None:
        ExpiryReminder.objects.filter(pk=reminder_id, claim=token).update(sent_at=timezone.now())
        return False
    subject, body, to = message
    try:
        send_mail(subject, body, None, to)
    except Exception:
        log.exception("charter reminder %s not sent (attempt %s)", reminder_id, attempt)
        ExpiryReminder.objects.filter(pk=reminder_id, claim=token).update(claim="")
        if attempt < MAX_SEND_ATTEMPTS:
            retry = timezone.now() + backoff(attempt, first=60, factor=5, cap=3600)
            enqueue(send_reminder, reminder_id, attempt + 1, run_after=retry)
        return False
    ExpiryReminder.objects.filter(pk=reminder_id, claim=token).update(sent_at=timezone.now())
    return True
