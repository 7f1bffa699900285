"""The network directory (public) and the referents of a house (the house's staff only)."""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Path, Query, Router

from msap import permissions
from msap.api.auth import STAFF_AUTH, optional_caller
from msap.api.params import link, links_from, list_page
from msap.api.schemas import (
    ErrorOut,
    HouseFilters,
    HouseListOut,
    HouseOut,
    ReferentOut,
    ValidationErrorOut,
)
from msap.network.models import Equipment, House, HouseStatus
from msap.network.queries import get_house_for_user, visible_houses
from msap.partners.models import Partnership, ServiceItem
from msap.partners.queries import current_referents

router = Router(tags=["maisons"])

MAX_ID = 2**63 - 1  # larger ids would overflow PostgreSQL's bigint before reaching a 404


def houses_for(caller):
    """Houses a caller may find in the directory.

    The public sees recognised houses; a user with a role also sees the projects among the houses
    visible_houses gives them (they prepare the opening).
    """
    shown = Q(status=HouseStatus.RECOGNISED)
    if caller is not None and permissions.scope_for(caller).has_any_role:
        visible = visible_houses(caller).order_by().values("pk")
        shown |= Q(status=HouseStatus.PROJECT, pk__in=visible)
    return House.objects.filter(shown)


def with_public_details(queryset):
    """A fixed number of queries whatever the number of houses (one per prefetch)."""
    partnerships = (
        Partnership.objects.active()
        .select_related("partner")
        .prefetch_related(
            Prefetch("services", queryset=ServiceItem.objects.select_related("category"))
        )
    )
    return queryset.select_related("commune__departement").prefetch_related(
        "opening_ranges",
        Prefetch("partnerships", queryset=partnerships, to_attr="public_partnerships"),
        Prefetch(
            "equipment",
            queryset=Equipment.objects.filter(for_public=True, in_service=True),
            to_attr="public_equipment",
        ),
    )


def _categories(partnership) -> list[str]:
    categories = {item.category for item in partnership.services.all()}
    return [c.code for c in sorted(categories, key=lambda c: (c.position, c.code))]


def _equipment_labels(house) -> list[str]:
    labels = []
    for item in house.public_equipment:
        label = item.get_kind_display()
        if label not in labels:
            labels.append(label)
    return labels


def house_payload(house) -> dict:
    """The public card of a house. Never a referent: only the house's own contact details."""
    departement = house.commune.departement
    return {
        "id": house.pk,
        "name": house.name,
        "slug": house.slug,
        "kind": house.kind,
        "status": house.status,
        "recognised_on": house.recognised_on,
        "address": house.address,
        "address_extra": house.address_extra,
        "postal_code": house.postal_code,
        "commune": {"code": house.commune.code, "name": house.commune.name},
        "departement": {"code": departement.code, "name": departement.name},
        "latitude": float(house.latitude) if house.latitude is not None else None,
        "longitude": float(house.longitude) if house.longitude is not None else None,
        "phone": house.phone,
        "email": house.email,
        "opening_hours": [
            {
                "weekday": r.weekday,
                "start": r.start.isoformat("seconds"),
                "end": r.end.isoformat("seconds"),
            }
            for r in house.opening_ranges.all()
        ],
        "partners": [
            {
                "short_name": p.partner.short_name,
                "name": p.partner.name,
                "categories": _categories(p),
            }
            for p in house.public_partnerships
        ],
        "equipment": _equipment_labels(house),
    }


@router.get(
    "/houses",
    response={200: HouseListOut, 401: ErrorOut, 422: ValidationErrorOut},
    summary="Annuaire des maisons",
    openapi_extra=links_from(
        200,
        GetHouse=link("msap_api_houses_get_house", {"id": "$response.body#/items/0/id"}),
        ListReferents=link("msap_api_houses_list_referents", {"id": "$response.body#/items/0/id"}),
    ),
    description=(
        "Maisons reconnues du réseau, sans authentification. Un utilisateur authentifié voit en "
        "plus les maisons en projet de son périmètre. Aucune coordonnée de référent n'y figure."
    ),
)
def list_houses(request, filters: Query[HouseFilters]):
    houses = houses_for(optional_caller(request))
    if filters.departement:
        houses = houses.filter(commune__departement_id=filters.departement.upper())
    if filters.status:
        houses = houses.filter(status=filters.status)
    if filters.q:
        houses = houses.filter(name__icontains=filters.q.strip())
    return list_page(
        with_public_details(houses.order_by("name", "pk")),
        filters,
        lambda page: [house_payload(h) for h in page],
    )


@router.get(
    "/houses/{id}",
    response={200: HouseOut, 401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="Fiche publique d'une maison",
)
def get_house(request, id: int = Path(..., ge=1, le=MAX_ID)):
    house = with_public_details(houses_for(optional_caller(request)).filter(pk=id)).first()
    if house is None:
        raise Http404(_("Maison introuvable."))
    return house_payload(house)


@router.get(
    "/houses/{id}/referents",
    auth=STAFF_AUTH,
    response={
        200: list[ReferentOut],
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        422: ValidationErrorOut,
    },
    summary="Référents partenaires d'une maison",
    description=(
        "Réservé aux agents de la maison (annexe 2 : les coordonnées des référents ne sont jamais "
        "communiquées au public). Un référent partenaire ne voit que les référents de son organisme."
    ),
)
def list_referents(request, id: int = Path(..., ge=1, le=MAX_ID)):
    house, access = get_house_for_user(request.auth, id)
    referents = current_referents().filter(partnership__house=house, partnership__status="active")
    partner_ids = access.contact_partner_ids
    if partner_ids is not None:
        if not partner_ids:
            raise PermissionDenied(
                _("Les coordonnées des référents sont réservées aux agents de la maison.")
            )
        referents = referents.filter(partnership__partner_id__in=partner_ids)
    referents = referents.select_related("partnership__partner").order_by(
        "partnership__partner__short_name", "last_name", "first_name", "pk"
    )
    return [
        {
            "partner": r.partnership.partner.short_name,
            "first_name": r.first_name,
            "last_name": r.last_name,
            "function": r.function,
            "phone": r.phone,
            "email": r.email,
            "postal_address": r.postal_address,
            "domains": r.domains,
            "started_on": r.started_on,
        }
        for r in referents
    ]
