"""The reads of the registers that screens, the API and the reminders share."""

from django.utils.translation import gettext as _

from msap import permissions
from msap.registers.models import RegisterItem

ITEM_RELATED = ("partner", "assigned_to", "answered_by", "created_by", "due_override_by")


def get_item_for_user(user, pk, *, need: str = "staff"):
    """The item and the user's access: 404 when its house is unseen, 403 when seen only from
    outside (prefecture, national cell, partner referent)."""
    item = permissions.fetch(
        RegisterItem.objects.select_related(
            "house__commune__departement", "house__organisation", *ITEM_RELATED
        ),
        pk,
        _("Élément de registre introuvable."),
    )
    access = permissions.record_access(user, item)
    permissions.check_register_item(access, need)
    return item, access
