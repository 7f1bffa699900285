"""The reads of personal files that screens and exports share."""

from django.utils.translation import gettext as _

from msap import permissions
from msap.dossiers.models import Dossier


def get_dossier_for_user(user, pk, *, need: str = "counter"):
    """The file and the user's access: 404 when its house is unseen, 403 unless at its counter."""
    dossier = permissions.fetch(
        Dossier.objects.select_related(
            "house__commune__departement", "house__organisation", "consent_by"
        ),
        pk,
        _("Dossier introuvable."),
    )
    access = permissions.record_access(user, dossier)
    permissions.check_dossier(access, need)
    return dossier, access


def dossier_of(request) -> Dossier | None:
    """The personal file a request of the attendance tool belongs to, if any."""
    return Dossier.objects.filter(request_links__request=request).first()
