"""The technical administrator's view of the conventions: read-only, the services own every
change (and journal it)."""

from django.contrib import admin

from msap.conventions.models import AdhesionRequest, Convention, Notice, Signatory
from msap.core.admin import CompactInline, ReadOnlyAdmin


class SignatoryInline(CompactInline):
    model = Signatory
    fields = ["kind", "partnership", "signer_name", "signed_on", "withdrawal_effective_on"]
    readonly_fields = fields
    can_delete = False


@admin.register(Convention)
class ConventionAdmin(ReadOnlyAdmin):
    list_display = ["house", "signed_on", "status", "denounced_effective_on"]
    list_filter = ["status"]
    search_fields = ["house__name"]
    inlines = [SignatoryInline]


@admin.register(AdhesionRequest)
class AdhesionRequestAdmin(ReadOnlyAdmin):
    list_display = ["convention", "partner", "requested_on", "status"]
    list_filter = ["status"]


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    list_display = ["convention", "kind", "key", "created_at", "sent_at", "recipients"]
    list_filter = ["kind"]
