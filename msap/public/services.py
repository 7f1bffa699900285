"""What a member of the public does on the site: send a complaint, a remark or suggestion, or a
message to a house. Each becomes an item of the house's registers (registers.services), with the
charter's deadline, in one transaction with its acknowledgement's task.
"""

import logging
import secrets
from dataclasses import dataclass

from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from msap.core import limits
from msap.core.errors import DomainError
from msap.core.limits import Refused
from msap.core.queue import enqueue
from msap.network.models import House
from msap.public import rules, tasks
from msap.public.models import Submission
from msap.registers import services as registers
from msap.registers.models import Channel, Kind, RegisterItem

log = logging.getLogger(__name__)

# The public forms and the register each one writes to (commitments 12, 14, 15).
FORM_KINDS = {
    "reclamation": Kind.COMPLAINT,
    "suggestion": Kind.SUGGESTION,
    "message": Kind.EMAIL,
}
_FORM_SALT = "msap.public.form"
_ACK_SALT = "msap.public.ack"


def new_form_token() -> str:
    """The token a form carries: one send of this form is one item, however often it is posted."""
    return signing.TimestampSigner(salt=_FORM_SALT).sign(secrets.token_hex(16))


def read_form_token(token: str) -> str:
    """The token's random part, or DomainError when it is forged or too old."""
    try:
        return signing.TimestampSigner(salt=_FORM_SALT).unsign(
            (token or "")[:200], max_age=rules.FORM_TOKEN_MAX_AGE
        )
    except signing.BadSignature as exc:
        raise DomainError(
            _("Ce formulaire a expiré : rechargez la page, puis envoyez votre message à nouveau.")
        ) from exc


def ack_reference(item: RegisterItem) -> str:
    """The signed reference of an acknowledgement's page (it holds no personal data)."""
    return signing.dumps(item.pk, salt=_ACK_SALT)


def item_for_ack(reference: str, house: House) -> RegisterItem | None:
    try:
        pk = signing.loads(reference[:200], salt=_ACK_SALT, max_age=rules.FORM_TOKEN_MAX_AGE)
    except signing.BadSignature:
        return None
    return RegisterItem.objects.filter(pk=pk, house=house, created_by__isnull=True).first()


def _count(key: str) -> int:
    return limits.count(key, rules.RATE_WINDOW_SECONDS)


def check_rate(client: str, house: House) -> None:
    """Refuse a client address, or a house, that sends more than the hour's allowance."""
    window = int(timezone.now().timestamp()) // rules.RATE_WINDOW_SECONDS
    by_client = _count(f"public:rate:client:{client}:{window}")
    by_house = _count(f"public:rate:house:{house.pk}:{window}")
    if by_client > rules.RATE_PER_CLIENT or by_house > rules.RATE_PER_HOUSE:
        log.warning(
            "public form refused: rate limit (client %s: %d, house %s: %d this hour)",
            client,
            by_client,
            house.pk,
            by_house,
        )
        raise Refused(
            _(
                "Nous avons reçu beaucoup de messages en peu de temps : votre envoi n'a pas été "
                "enregistré. Réessayez dans une heure, ou appelez la maison."
            )
        )


def refuse_robot(client: str, house: House) -> None:
    log.warning("public form refused: honeypot filled (client %s, house %s)", client, house.pk)
    raise Refused(
        _(
            "Votre envoi n'a pas pu être enregistré. Si vous êtes une personne, videz le champ "
            "« Ne pas remplir » puis envoyez à nouveau, ou appelez la maison."
        )
    )


@dataclass
class Sent:
    item: RegisterItem
    created: bool


def submit(house: House, form_kind: str, token: str, data: dict, *, client: str) -> Sent:
    """Record what the person sent as an item of the house's registers, once per form token;
    queue its acknowledgement by email when an address is given."""
    if form_kind not in FORM_KINDS:
        raise DomainError(_("Ce formulaire n'existe pas."))
    key = read_form_token(token)
    existing = Submission.objects.filter(token=key).select_related("item").first()
    if existing is not None:
        return Sent(existing.item, False)  # the same form sent twice: one item
    check_rate(client, house)
    try:
        with transaction.atomic():
            item = registers.record_item(
                None,
                house,
                kind=FORM_KINDS[form_kind],
                received_at=timezone.now(),
                channel=Channel.WEB,
                subject=data["subject"],
                body=data.get("body", ""),
                sender_name=data.get("name", ""),
                sender_address=data.get("address", ""),
                sender_email=data.get("email", ""),
                sender_phone=data.get("phone", ""),
            )
            submission = Submission.objects.create(token=key, item=item)
            if item.sender_email:
                enqueue(tasks.send_acknowledgement, submission.pk)
    except IntegrityError:
        # The same token posted twice at once: the other request's item stands.
        existing = Submission.objects.filter(token=key).select_related("item").first()
        if existing is None:
            raise
        return Sent(existing.item, False)
    return Sent(item, True)
