from django.contrib import admin

from msap.charter.models import CharterVersion, Commitment, Evidence


class CommitmentInline(admin.TabularInline):
    model = Commitment
    fields = ["order", "code", "group", "wording", "optional"]
    extra = 0


@admin.register(CharterVersion)
class CharterVersionAdmin(admin.ModelAdmin):
    list_display = ["title", "in_force_from"]
    inlines = [CommitmentInline]


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    # Evidence is recorded and removed through the house's charter page (journaled).
    list_display = ["house", "commitment", "kind", "dated_on", "valid_until", "removed_at"]
    list_filter = ["kind", "commitment"]
    raw_id_fields = ["house", "uploaded_by", "removed_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
