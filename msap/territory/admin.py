from django.contrib import admin

from msap.territory.models import Commune, Departement, Region


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "departement", "postal_codes"]
    search_fields = ["code", "name", "postal_codes"]
    list_filter = ["departement__region"]


admin.site.register([Region, Departement])
