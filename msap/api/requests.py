"""The attendance tool over the API (issue 3, part 5): record a request, list requests.

Fields travel by code (partner "caf", category "B1", item "B1.3", commune INSEE code), never by
internal id, except the house and a procedure. Recording goes through desk.services like the
counter screen; reading is scoped through msap.permissions. A personal file's identity never
leaves: the dossier is at most a boolean, and notes are for the house's staff only.
"""

from typing import get_args

from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from msap import permissions
from msap.api.auth import STAFF_AUTH
from msap.api.params import (
    check_period,
    house_days_q,
    idempotency_conflict,
    idempotency_key_header,
    list_page,
    refuse_fields,
)
from msap.api.schemas import (
    ErrorOut,
    NeedCode,
    RequestFilters,
    RequestIn,
    RequestListOut,
    RequestOut,
    ValidationErrorOut,
)
from msap.core.errors import IdempotencyConflict
from msap.desk import services
from msap.desk.models import Procedure, ServiceRequest
from msap.desk.queries import visible_requests
from msap.network.queries import get_house_for_user, staff_houses
from msap.partners.models import Partner, ServiceCategory, ServiceItem
from msap.territory.models import Commune

router = Router(tags=["demandes"])

NEED_CODES = get_args(NeedCode)
OtherPartners = ServiceRequest.other_partners.through


# --- who sees which requests ----------------------------------------------------------------------


def _staff_house_ids(user) -> set[int] | None:
    """Houses whose requests' notes the user may read; None means every house (admin)."""
    if permissions.scope_for(user).admin:
        return None
    return set(staff_houses(user).values_list("pk", flat=True))


def with_details(queryset):
    """Everything the answer shows, in a fixed number of queries (one join, one prefetch)."""
    # dossier_link (a reverse one-to-one, joined): only whether a personal file holds the request.
    return queryset.select_related(
        "partner", "category", "item", "procedure", "dossier_link"
    ).prefetch_related(
        Prefetch("other_partners", queryset=Partner.objects.only("code").order_by("code"))
    )


def request_payload(obj: ServiceRequest, *, notes_visible: bool) -> dict:
    return {
        "id": obj.pk,
        "house": obj.house_id,
        "occurred_at": obj.occurred_at,
        "channel": obj.channel,
        "partner": obj.partner.code if obj.partner_id else None,
        "other_partners": [p.code for p in obj.other_partners.all()],
        "category": obj.category.code,
        "item": obj.item.code if obj.item_id else None,
        "procedure": (
            {"id": obj.procedure.pk, "label": obj.procedure.label} if obj.procedure_id else None
        ),
        "duration_minutes": obj.duration_minutes,
        "outcome": obj.outcome,
        "autonomy": obj.autonomy or None,
        "group_size": obj.group_size,
        "needs": [code for code in NEED_CODES if getattr(obj, f"need_{code}")],
        "age_band": obj.age_band or None,
        "commune": obj.commune_id,
        "first_visit": obj.first_visit,
        "notes": obj.notes if notes_visible else None,
        "has_dossier": hasattr(obj, "dossier_link"),
        "created_at": obj.created_at,
    }


# --- codes → objects ----------------------------------------------------------------------------


def _resolve(payload: RequestIn, house) -> tuple[dict, list[Partner]]:
    """The request's data with objects in place of codes; every unknown code refused at once."""
    errors: dict[str, list[str]] = {}

    def refuse(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    codes = {c.strip().lower() for c in [payload.partner or "", *payload.other_partners]} - {""}
    partners = {p.code.lower(): p for p in Partner.objects.filter(code__in=codes)}
    partner = None
    if payload.partner:
        partner = partners.get(payload.partner.strip().lower())
        if partner is None:
            refuse("partner", _("Partenaire inconnu : « %(code)s ».") % {"code": payload.partner})
    others = []
    for code in payload.other_partners:
        other = partners.get(code.strip().lower())
        if other is None:
            refuse("other_partners", _("Partenaire inconnu : « %(code)s ».") % {"code": code})
        elif other != partner and other not in others:
            others.append(other)
    category = ServiceCategory.objects.filter(code=payload.category.strip().upper()).first()
    if category is None:
        refuse(
            "category",
            _("Catégorie inconnue : « %(code)s » (A, B1, B2, B3 ou C).")
            % {"code": payload.category},
        )
    item = None
    if payload.item:
        item = ServiceItem.objects.filter(code=payload.item.strip().upper()).first()
        if item is None:
            refuse("item", _("Prestation inconnue : « %(code)s ».") % {"code": payload.item})
    procedure = _procedure(payload.procedure, partner, refuse)
    commune = None
    if payload.commune:
        commune = Commune.objects.filter(code=payload.commune.upper()).first()
        if commune is None:
            refuse(
                "commune",
                _("Commune inconnue : code INSEE « %(code)s ».") % {"code": payload.commune},
            )
    if errors:
        refuse_fields(errors)
    data = {
        "channel": payload.channel,
        "partner": partner,
        "category": category,
        "item": item,
        "procedure": procedure,
        "duration_minutes": payload.duration_minutes,
        "outcome": payload.outcome,
        "autonomy": payload.autonomy or "",
        "group_size": payload.group_size,
        "age_band": payload.age_band or "",
        "commune": commune,
        "first_visit": payload.first_visit,
        "notes": payload.notes,
        **{f"need_{code}": code in payload.needs for code in NEED_CODES},
    }
    if payload.occurred_at is not None:
        moment = payload.occurred_at
        if timezone.is_naive(moment):  # the house's own clock
            moment = moment.replace(tzinfo=house.tz)
        data["occurred_at"] = moment
    return data, others


def _procedure(value, partner, refuse) -> Procedure | None:
    if value is None or value == "":
        return None
    if isinstance(value, int):
        found = Procedure.objects.filter(pk=value).first() if 0 < value < 2**63 else None
    else:
        whose = Q(partner=partner) | Q(partner__isnull=True) if partner else Q(partner__isnull=True)
        found = Procedure.objects.filter(whose, label=value.strip()).first()
    if found is None:
        refuse("procedure", _("Démarche inconnue : « %(value)s ».") % {"value": value})
    return found


# --- endpoints ----------------------------------------------------------------------------------


@router.post(
    "/requests",
    auth=STAFF_AUTH,
    response={
        200: RequestOut,
        201: RequestOut,
        400: ValidationErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        422: ValidationErrorOut,
    },
    summary="Enregistrer une demande",
    description=(
        "Enregistre une demande traitée par une maison (outil de fréquentation, art. 3.6 de la "
        "convention), réservé aux agents de la maison. Avec l'en-tête `Idempotency-Key`, un "
        "nouvel envoi avec la même clé et le même contenu renvoie la demande déjà enregistrée "
        "(200) au lieu d'en créer une seconde (201) ; la même clé avec un autre contenu est "
        "refusée (422). Une date future, une durée de plus de 8 heures ou un code "
        "inconnu sont refusés (400), sans rien enregistrer."
    ),
)
def create_request(
    request,
    # Named "body" so that a refused field is reported as "channel", not "payload.channel"
    # (api._field_name drops the location names).
    body: RequestIn,
    idempotency_key: str | None = idempotency_key_header("cet enregistrement"),
):
    user = request.auth
    house, _access = get_house_for_user(user, body.house, need="staff")
    data, others = _resolve(body, house)
    key = (idempotency_key or "").strip()
    try:
        obj, created = services.record_request(
            user, house, data, idempotency_key=key, other_partners=others
        )
    except IdempotencyConflict as exc:
        message = _(
            "La clé d'idempotence « %(key)s » a déjà servi pour la demande n° %(pk)s, avec "
            "d'autres valeurs : rien n'a été enregistré. Utilisez une nouvelle clé pour un "
            "nouvel enregistrement."
        ) % {"key": key, "pk": exc.existing.pk}
        return idempotency_conflict(message)
    obj = with_details(ServiceRequest.objects.filter(pk=obj.pk)).get()
    staff_ids = _staff_house_ids(user)
    notes_visible = staff_ids is None or obj.house_id in staff_ids
    return Status(201 if created else 200, request_payload(obj, notes_visible=notes_visible))


@router.get(
    "/requests",
    auth=STAFF_AUTH,
    response={
        200: RequestListOut,
        400: ValidationErrorOut,
        401: ErrorOut,
        404: ErrorOut,
        422: ValidationErrorOut,
    },
    summary="Demandes enregistrées",
    description=(
        "Demandes du périmètre de l'appelant, les plus récentes d'abord : un agent voit ses "
        "maisons ; un référent, les demandes concernant son organisme dans les maisons où il est "
        "partenaire ; la préfecture, son département ; la cellule nationale, tout le réseau. "
        "Les dates s'entendent à l'heure de chaque maison (outre-mer compris). Les notes ne "
        "sont communiquées qu'aux agents de la maison ; aucun élément d'identité d'un dossier usager n'est jamais renvoyé."
    ),
)
def list_requests(request, filters: Query[RequestFilters]):
    user = request.auth
    requests = visible_requests(user)
    if filters.house is not None:
        house, _access = get_house_for_user(user, filters.house)  # 404 when unseen
        requests = requests.filter(house=house)
    check_period(filters.date_from, filters.date_to)
    errors: dict[str, list[str]] = {}
    if filters.date_from or filters.date_to:
        # Each request's days are its house's (overseas houses have their own time zone).
        requests = requests.filter(house_days_q("occurred_at", filters.date_from, filters.date_to))
    if filters.partner:
        partner_id = (
            Partner.objects.filter(code=filters.partner.strip().lower())
            .values_list("pk", flat=True)
            .first()
        )
        if partner_id is None:
            errors["partner"] = [
                _("Partenaire inconnu : « %(code)s ».") % {"code": filters.partner}
            ]
        requests = requests.filter(partner_id=partner_id)
    if filters.category:
        category_id = (
            ServiceCategory.objects.filter(code=filters.category.strip().upper())
            .values_list("pk", flat=True)
            .first()
        )
        if category_id is None:
            errors["category"] = [
                _("Catégorie inconnue : « %(code)s » (A, B1, B2, B3 ou C).")
                % {"code": filters.category}
            ]
        requests = requests.filter(category_id=category_id)
    if filters.channel:
        requests = requests.filter(channel=filters.channel)
    if errors:
        refuse_fields(errors)

    def payloads(page):
        staff_ids = _staff_house_ids(user) if page else set()
        return [
            request_payload(r, notes_visible=staff_ids is None or r.house_id in staff_ids)
            for r in page
        ]

    return list_page(with_details(requests.order_by("-occurred_at", "-pk")), filters, payloads)
