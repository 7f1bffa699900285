"""The reads of personal files that screens and exports share."""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from msap import permissions
from msap.dossiers.models import Dossier, DossierStatus


def get_dossier_for_user(user, pk, *, need: str = "counter"):
    """The file and the user's access: 404 when its house is unseen, 403 unless at its counter."""
    dossier, access = permissions.fetch_record(
        user, Dossier, pk, _("Dossier introuvable."), ["consent_by"]
    )
    permissions.check_dossier(access, need)
    return dossier, access


def dossier_of(request) -> Dossier | None:
    """The personal file a request of the attendance tool belongs to, if any."""
    return Dossier.objects.filter(request_links__request=request).first()


def active_dossiers(house, search: str = "") -> QuerySet:
    """The house's active files by name; each word of `search` must match the first or last name."""
    dossiers = house.dossiers.filter(status=DossierStatus.ACTIVE)
    for term in search.split():
        dossiers = dossiers.filter(Q(last_name__icontains=term) | Q(first_name__icontains=term))
    return dossiers.order_by("last_name", "first_name", "pk")
