"""The partners' webhooks in the Django admin: endpoints (create, rotate the secret, pause,
resume) and the delivery log with replay. Every change goes through webhooks.services."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from msap.core.admin import CompactInline
from msap.core.errors import DomainError
from msap.webhooks import rules, services
from msap.webhooks.models import Attempt, Delivery, Endpoint


class AttemptInline(CompactInline):
    model = Attempt
    can_delete = False
    fields = ["at", "status_code", "duration_ms", "error", "response"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


def _each(modeladmin, request, queryset, action, done):
    count = 0
    for obj in queryset:
        try:
            action(request.user, obj)
        except DomainError as exc:
            modeladmin.message_user(request, f"{obj} : {exc.message}", messages.ERROR)
        else:
            count += 1
    if count:
        modeladmin.message_user(request, done % {"count": count}, messages.SUCCESS)


@admin.register(Endpoint)
class EndpointAdmin(admin.ModelAdmin):
    list_display = ["url", "partner", "status", "consecutive_failures", "created_at"]
    list_filter = ["status", "partner"]
    search_fields = ["url", "partner__short_name"]
    readonly_fields = ["status", "consecutive_failures", "alerted_at", "secret_rotated_at"]
    actions = ["rotate", "pause", "resume"]

    def get_fields(self, request, obj=None):
        fields = ["partner", "url", "description", "event_types"]
        return fields + self.readonly_fields if obj else fields

    def get_readonly_fields(self, request, obj=None):
        # The address and the partner are checked once, at creation (services.create_endpoint).
        return ["partner", "url", *self.readonly_fields] if obj else []

    def save_model(self, request, obj, form, change):
        if change:
            try:
                obj.event_types = services._clean_event_types(obj.event_types)
            except DomainError as exc:
                self.message_user(request, exc.message, messages.ERROR)
                return
            obj.save(update_fields=["description", "event_types"])
            return
        try:
            created = services.create_endpoint(
                request.user, obj.partner, obj.url, obj.event_types, obj.description
            )
        except DomainError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return
        obj.pk = created.pk
        obj.secret = created.secret
        self.message_user(
            request,
            _("Secret de signature (à copier dans votre serveur) : %(secret)s")
            % {"secret": created.secret},
            messages.WARNING,
        )

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if "event_types" in form.base_fields:
            form.base_fields["event_types"].help_text = _("Liste JSON parmi : %(types)s") % {
                "types": ", ".join(rules.EventType.values)
            }
        return form

    @admin.action(description=_("Renouveler le secret de signature"))
    def rotate(self, request, queryset):
        for endpoint in queryset:
            try:
                secret = services.rotate_secret(request.user, endpoint)
            except DomainError as exc:
                self.message_user(request, exc.message, messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("Nouveau secret de %(url)s : %(secret)s")
                    % {"url": endpoint.url, "secret": secret},
                    messages.WARNING,
                )

    @admin.action(description=_("Mettre en pause"))
    def pause(self, request, queryset):
        _each(self, request, queryset, services.pause, _("%(count)s adresse(s) en pause."))

    @admin.action(description=_("Réactiver"))
    def resume(self, request, queryset):
        _each(self, request, queryset, services.resume, _("%(count)s adresse(s) réactivée(s)."))


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "event",
        "endpoint",
        "status",
        "attempts",
        "next_attempt_at",
        "last_status_code",
    ]
    list_filter = ["status", "endpoint__partner"]
    search_fields = ["event__id", "endpoint__url"]
    list_select_related = ["event", "endpoint"]
    inlines = [AttemptInline]
    actions = ["replay"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Renvoyer maintenant"))
    def replay(self, request, queryset):
        _each(self, request, queryset, services.replay, _("%(count)s livraison(s) renvoyée(s)."))
