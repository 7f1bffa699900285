from django.contrib import admin

from msap.core.models import JournalEntry


def _technical_admin_only(request) -> bool:
    # Django's admin is for the technical administrator only (is_staff), never for house staff.
    return request.user.is_active and request.user.is_staff


admin.site.has_permission = _technical_admin_only
admin.site.site_header = "msap — administration technique"


class CompactInline(admin.TabularInline):
    """A record's rows in its admin page, without blank rows to fill below them."""

    extra = 0


class ReadOnlyAdmin(admin.ModelAdmin):
    """An admin that shows rows and changes none: services own every change (and journal it)."""

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(JournalEntry)
class JournalEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "action", "target_type", "target_id", "summary"]
    list_filter = ["action"]
    search_fields = ["summary", "target_id"]
