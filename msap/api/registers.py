"""The registers over the API (issue 4, part 8): record an item, list items, change a status.

A register holds what is needed to answer a sender (name, address, email, phone): it is for the
house's staff only (agents, responsables, the gestionnaire, technical admins), as on the register
screens. The prefecture, the national cell and partner referents get 403 on the list and 403 or
404 on an item: they see the registers' indicators (counts and delays), never a sender.

Fields travel by code (kind, channel, status, partner "caf"), never by internal id, except the
house, the item and the assigned agent. Every change goes through msap.registers.services, like
the screens; a status change carries the version the caller read (409 when someone changed the
item since, with the French message of StaleVersion).
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Status

from msap import permissions
from msap.api.auth import STAFF_AUTH
from msap.api.params import (
    check_period,
    house_days_q,
    list_page,
    refuse_fields,
    status_link,
)
from msap.api.schemas import (
    MAX_DB_ID,
    ErrorOut,
    RegisterItemFilters,
    RegisterItemIn,
    RegisterItemListOut,
    RegisterItemOut,
    RegisterStatusIn,
    ValidationErrorOut,
)
from msap.core.errors import StaleVersion
from msap.network.queries import get_house_for_user, staff_houses
from msap.partners.models import Partner
from msap.registers import services
from msap.registers.models import OPEN_STATES, Kind, RegisterItem
from msap.registers.queries import get_item_for_user

router = Router(tags=["registres"])

# The channel of an item when the caller does not say (the register's usual one).
DEFAULT_CHANNELS = {
    Kind.INCOMING_MAIL: "post",
    Kind.OUTGOING_MAIL: "post",
    Kind.EMAIL: "email",
    Kind.PHONE: "phone",
    Kind.COMPLAINT: "counter",
    Kind.SUGGESTION: "register",
}


def _aware(moment: datetime.datetime | None, house) -> datetime.datetime | None:
    """A naive date and time is the house's own clock (overseas houses have theirs)."""
    if moment is not None and timezone.is_naive(moment):
        return moment.replace(tzinfo=house.tz)
    return moment


def item_payload(item: RegisterItem, now: datetime.datetime) -> dict:
    return {
        "id": item.pk,
        "house": item.house_id,
        "kind": item.kind,
        "number": item.number,
        "received_at": item.received_at,
        "channel": item.channel,
        "sender": {
            "name": item.sender_name,
            "address": item.sender_address,
            "email": item.sender_email,
            "phone": item.sender_phone,
        },
        "subject": item.subject,
        "body": item.body,
        "partner": item.partner.code if item.partner_id else None,
        "assigned_to": item.assigned_to_id,
        "phone_outcome": item.phone_outcome or None,
        "status": item.status,
        "exempt_reason": item.exempt_reason or None,
        "exempt_note": item.exempt_note,
        "due_rule": item.due_rule or None,
        "due_at": item.due_at,
        "due_overridden": item.due_override_at is not None,
        "answered_at": item.answered_at,
        "answer_text": item.answer_text,
        "on_time": item.on_time,
        "overdue": services.is_overdue(item, now),
        "version": item.version,
        "created_at": item.created_at,
    }


def _resolve(body: RegisterItemIn, house) -> dict:
    """The item's data with objects in place of codes; every bad field refused at once."""
    errors: dict[str, list[str]] = {}
    partner = None
    if body.partner:
        partner = Partner.objects.filter(code=body.partner.strip().lower()).first()
        if partner is None:
            errors["partner"] = [_("Partenaire inconnu : « %(code)s ».") % {"code": body.partner}]
    email = body.sender_email.strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["sender_email"] = [_("Adresse électronique invalide.")]
    if body.phone_outcome and body.kind != Kind.PHONE:
        errors["phone_outcome"] = [_("L'issue de l'appel ne concerne que le registre des appels.")]
    if errors:
        refuse_fields(errors)
    return {
        "kind": body.kind,
        "received_at": _aware(body.received_at, house) or timezone.now(),
        "channel": body.channel or DEFAULT_CHANNELS[body.kind],
        "subject": body.subject,
        "sender_name": body.sender_name.strip(),
        "sender_address": body.sender_address.strip(),
        "sender_email": email,
        "sender_phone": body.sender_phone.strip(),
        "body": body.body.strip(),
        "partner": partner,
        "phone_outcome": body.phone_outcome or "",
    }


# --- endpoints ----------------------------------------------------------------------------------


@router.post(
    "/register-items",
    auth=STAFF_AUTH,
    response={
        201: RegisterItemOut,
        400: ValidationErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        422: ValidationErrorOut,
    },
    summary="Enregistrer un élément de registre",
    # The next call a client makes (and the stateful fuzzing follows): the new item's status.
    openapi_extra=status_link("msap_api_registers_change_status", "item_id", "in_progress"),
    description=(
        "Enregistre un courrier, un courriel, un appel, une réclamation ou une suggestion dans le "
        "registre d'une maison (engagements 11 à 15 de la charte de qualité), réservé à l'équipe "
        "de la maison. Le numéro d'ordre et l'échéance de réponse sont calculés comme à l'écran "
        "(courrier et réclamation avec adresse postale : un mois ; courriel et rappel d'un "
        "message : une semaine). Une date de réception future, un partenaire inconnu ou un "
        "courriel invalide sont refusés (400), sans rien enregistrer."
    ),
)
def create_item(request, body: RegisterItemIn):
    user = request.auth
    house, _access = get_house_for_user(user, body.house, need="staff")
    data = _resolve(body, house)
    item = services.record_item(user, house, **data)
    item = RegisterItem.objects.select_related("partner").get(pk=item.pk)
    return Status(201, item_payload(item, timezone.now()))


@router.get(
    "/register-items",
    auth=STAFF_AUTH,
    response={
        200: RegisterItemListOut,
        400: ValidationErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        422: ValidationErrorOut,
    },
    summary="Éléments des registres",
    description=(
        "Éléments des registres des maisons où l'appelant travaille (agent, responsable, "
        "gestionnaire), les plus récents d'abord ; avec `overdue=true`, les éléments en retard, "
        "les plus anciennes échéances d'abord. La préfecture, la cellule nationale et les "
        "référents partenaires reçoivent 403 : les registres contiennent les coordonnées des "
        "expéditeurs, ils n'en voient que les indicateurs."
    ),
)
def list_items(request, filters: Query[RegisterItemFilters]):
    user = request.auth
    now = timezone.now()
    if filters.house is not None:
        house, _access = get_house_for_user(user, filters.house, need="staff")
        items = RegisterItem.objects.filter(house=house)
    else:
        houses = staff_houses(user)
        if not permissions.scope_for(user).admin and not houses.exists():
            raise PermissionDenied(permissions.registers_staff_only())
        items = RegisterItem.objects.filter(house__in=houses)
    check_period(filters.date_from, filters.date_to)
    if filters.date_from or filters.date_to:
        # Each item's days are its house's (overseas houses have their own time zone).
        items = items.filter(house_days_q("received_at", filters.date_from, filters.date_to))
    if filters.kind:
        items = items.filter(kind=filters.kind)
    if filters.status:
        items = items.filter(status=filters.status)
    late = Q(status__in=OPEN_STATES, due_at__lt=now)
    if filters.overdue is True:
        # The registers home's query: served by register_house_due_idx for one house.
        items = items.filter(late).order_by("due_at", "pk")
    else:
        if filters.overdue is False:
            items = items.exclude(late)
        items = items.order_by("-received_at", "-pk")
    return list_page(
        items.select_related("partner"), filters, lambda page: [item_payload(i, now) for i in page]
    )


@router.post(
    "/register-items/{item_id}/status",
    auth=STAFF_AUTH,
    response={
        200: RegisterItemOut,
        400: ValidationErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ValidationErrorOut,
    },
    summary="Changer le statut d'un élément",
    description=(
        "Nouveau → en cours → répondu sur le fond, réorienté vers le référent compétent ou "
        "dispensé de réponse (motif obligatoire) → clos. Répondre enregistre la date de réponse "
        "et si le délai de la charte est tenu. `version` est celle que l'appelant a lue : si "
        "l'élément a été modifié depuis, la demande est refusée (409) sans rien changer."
    ),
)
def change_status(request, body: RegisterStatusIn, item_id: int = Path(..., ge=1, le=MAX_DB_ID)):
    user = request.auth
    item, _access = get_item_for_user(user, item_id)
    try:
        item = services.set_status(
            user,
            item,
            body.to,
            body.version,
            answered_at=_aware(body.answered_at, item.house),
            answer_text=body.answer_text,
            exempt_reason=body.exempt_reason or "",
            exempt_note=body.exempt_note,
        )
    except StaleVersion as exc:
        return Status(409, {"detail": exc.message})
    item = RegisterItem.objects.select_related("partner").get(pk=item.pk)
    return item_payload(item, timezone.now())
