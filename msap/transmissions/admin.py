"""Technical admin of transmissions: the partnerships' settings are editable; transmissions are
read-only and show no person's data (they belong to the house's agents and the partner)."""

from django.contrib import admin

from msap.transmissions.models import Transmission, TransmissionSettings


@admin.register(TransmissionSettings)
class TransmissionSettingsAdmin(admin.ModelAdmin):
    list_display = ["partnership", "take_days", "resolve_days", "reminder_days", "escalation_days"]


@admin.register(Transmission)
class TransmissionAdmin(admin.ModelAdmin):
    list_display = ["pk", "house", "partnership", "status", "urgency", "sent_at"]
    list_filter = ["status", "urgency"]
    fields = [
        "house",
        "partnership",
        "status",
        "urgency",
        "sent_at",
        "take_due_on",
        "resolve_due_on",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
