"""Technical admin of what partners offer (types, advisers, slots) until the partner portal
lets referents keep it themselves. Appointments are read-only here and show no person's data."""

from django.contrib import admin

from msap.appointments.models import (
    Adviser,
    Appointment,
    AppointmentType,
    PartnerAppointmentSettings,
    PartnerDocument,
    SlotException,
    SlotRule,
)
from msap.core.admin import CompactInline, ReadOnlyAdmin

admin.site.register(PartnerAppointmentSettings)
admin.site.register(PartnerDocument)


@admin.register(AppointmentType)
class AppointmentTypeAdmin(admin.ModelAdmin):
    list_display = ["subject", "partnership", "location_type", "duration_minutes", "active"]
    list_filter = ["location_type", "active"]
    filter_horizontal = ["documents"]


class SlotRuleInline(CompactInline):
    model = SlotRule


class SlotExceptionInline(CompactInline):
    model = SlotException


@admin.register(Adviser)
class AdviserAdmin(admin.ModelAdmin):
    list_display = ["full_name", "partnership", "active"]
    inlines = [SlotRuleInline, SlotExceptionInline]


@admin.register(Appointment)
class AppointmentAdmin(ReadOnlyAdmin):
    list_display = ["id", "house", "appointment_type", "start", "status"]
    list_filter = ["status"]
    list_display_links = None
