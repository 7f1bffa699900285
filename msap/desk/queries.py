"""The reads of the attendance tool that screens, the API and reports share."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from msap import permissions
from msap.desk import rules
from msap.desk.models import ServiceRequest
from msap.partners.models import Partnership

REQUEST_RELATED = ("partner", "category", "item", "procedure", "commune")


def visible_requests(user) -> QuerySet:
    """Requests a user may read: their houses' for staff and the département's for the
    prefecture (permissions.houses_q); for a referent, those concerning its partner in the
    houses where it is an active partner; all for the national cell and admins."""
    scope = permissions.scope_for(user)
    if scope.admin or scope.national:
        return ServiceRequest.objects.all()
    q = permissions.staff_houses_q(user, "house__")
    if scope.departements:
        q |= Q(house__commune__departement_id__in=scope.departements)
    other_partners = ServiceRequest.other_partners.through
    for partner_id in sorted(scope.partners):
        houses = Partnership.objects.active().filter(partner_id=partner_id).values("house_id")
        mentioned = other_partners.objects.filter(partner_id=partner_id).values("servicerequest_id")
        q |= Q(house_id__in=houses) & (Q(partner_id=partner_id) | Q(pk__in=mentioned))
    if q == permissions.NOTHING:
        return ServiceRequest.objects.none()
    return ServiceRequest.objects.filter(q)


def get_request_for_user(user, pk, *, need: str = "author"):
    """A request of the user's houses and the user's access to it: 404 outside the houses where
    they are staff, 403 when `need` is not allowed ("author": only who recorded it corrects it,
    and only within the edit window)."""
    obj = permissions.fetch(
        ServiceRequest.objects.filter(permissions.staff_houses_q(user, "house__")).select_related(
            "house__commune__departement", "house__organisation", *REQUEST_RELATED
        ),
        pk,
        _("Demande introuvable."),
    )
    access = permissions.record_access(user, obj)
    permissions.check_request(access, need)
    if need == "author" and not rules.can_still_edit(obj, user, timezone.now()):
        raise PermissionDenied(rules.edit_window_passed_message())
    return obj, access
