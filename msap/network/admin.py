from django.contrib import admin

from msap.core.admin import CompactInline
from msap.network.models import (
    Closure,
    Equipment,
    HoursChange,
    House,
    MobileStop,
    OpeningRange,
    Organisation,
    Premises,
)


class OpeningRangeInline(CompactInline):
    model = OpeningRange


class EquipmentInline(CompactInline):
    model = Equipment


@admin.register(House)
class HouseAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "commune", "status", "kind"]
    list_filter = ["status", "kind"]
    search_fields = ["name", "commune__name"]
    raw_id_fields = ["commune", "served_communes"]
    inlines = [OpeningRangeInline, EquipmentInline]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "departement"]
    list_filter = ["kind"]
    search_fields = ["name"]


admin.site.register([Closure, HoursChange, MobileStop, Premises])
