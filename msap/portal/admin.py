from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from msap.core.errors import DomainError
from msap.portal import services
from msap.portal.models import PartnerLink


@admin.register(PartnerLink)
class PartnerLinkAdmin(admin.ModelAdmin):
    """The signed links sent to referents: read-only, revocable (a forwarded email)."""

    list_display = [
        "kind",
        "item_id",
        "referent",
        "created_at",
        "expires_at",
        "sent_at",
        "revoked_at",
    ]
    list_filter = ["kind"]
    readonly_fields = [f.name for f in PartnerLink._meta.fields]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Révoquer les liens choisis"))
    def revoke(self, request, queryset):
        for link in queryset.select_related("referent__partnership__partner"):
            try:
                services.revoke_link(request.user, link)
            except DomainError as exc:
                self.message_user(request, exc.message, messages.WARNING)
