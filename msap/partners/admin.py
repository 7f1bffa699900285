from django.contrib import admin

from msap.partners.models import Partner, Partnership, Referent, ServiceCategory, ServiceItem


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["short_name", "name", "kind", "departement"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ["partner", "house", "joined_on", "status"]
    list_filter = ["status", "partner"]
    raw_id_fields = ["house"]


@admin.register(Referent)
class ReferentAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "partnership", "started_on", "ended_on"]
    raw_id_fields = ["partnership", "user"]


admin.site.register([ServiceCategory, ServiceItem])
