"""Technical admin of the registers: read-mostly (changes go through the screens and services,
which journal them)."""

from django.contrib import admin

from msap.core.admin import CompactInline
from msap.registers.models import Attachment, ItemLink, RegisterItem, ReminderSent


class AttachmentInline(CompactInline):
    model = Attachment
    fields = ["original_name", "content_type", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    can_delete = False


@admin.register(RegisterItem)
class RegisterItemAdmin(admin.ModelAdmin):
    list_display = [
        "house",
        "kind",
        "number",
        "received_at",
        "subject",
        "status",
        "due_at",
        "on_time",
    ]
    list_filter = ["kind", "status", "on_time"]
    search_fields = ["subject", "house__name"]
    date_hierarchy = "received_at"
    raw_id_fields = [
        "house",
        "partner",
        "assigned_to",
        "answered_by",
        "created_by",
        "due_override_by",
    ]
    # Deadlines are data: their history lives in the journal, so they are not edited here.
    readonly_fields = [
        "number",
        "due_rule",
        "due_at",
        "due_override_reason",
        "due_override_by",
        "due_override_at",
        "answered_at",
        "on_time",
        "version",
        "created_at",
    ]
    inlines = [AttachmentInline]


@admin.register(ItemLink)
class ItemLinkAdmin(admin.ModelAdmin):
    list_display = ["source", "relation", "target", "created_at"]
    raw_id_fields = ["source", "target"]


@admin.register(ReminderSent)
class ReminderSentAdmin(admin.ModelAdmin):
    list_display = ["recipient", "item", "day", "sent_at"]
    raw_id_fields = ["recipient", "item"]
