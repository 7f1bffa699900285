"""Technical admin of personal files: status and dates only, never the person's data.

Reading a file goes through the house's screens, which log every access; the admin shows
nothing that would bypass that log, and changes nothing (services own every change).
"""

from django.contrib import admin

from msap.core.admin import ReadOnlyAdmin
from msap.dossiers.models import Dossier, DossierAccess


class ListOnlyAdmin(ReadOnlyAdmin):
    def has_view_permission(self, request, obj=None):
        # The list only: a file's own page would title it with the person's name (Dossier.__str__).
        return obj is None and super().has_view_permission(request, obj)


@admin.register(Dossier)
class DossierAdmin(ListOnlyAdmin):
    list_display = ["id", "house", "status", "consent_at", "last_activity_at", "closed_at"]
    list_display_links = None
    list_filter = ["status"]
    list_select_related = ["house"]
    show_full_result_count = False


@admin.register(DossierAccess)
class DossierAccessAdmin(ListOnlyAdmin):
    list_display = ["at", "dossier_id", "user", "action"]
    list_display_links = None
    list_filter = ["action"]
    list_select_related = ["user"]
