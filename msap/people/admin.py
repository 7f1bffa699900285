from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from msap.people.models import ApiToken, Membership, Training, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_active", "is_staff", "is_demo"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Identité", {"fields": ["first_name", "last_name", "phone"]}),
        (
            "Droits",
            {
                "fields": [
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "is_demo",
                    "groups",
                    "user_permissions",
                ]
            },
        ),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
    filter_horizontal = ["groups", "user_permissions"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = [
        "user",
        "role",
        "house",
        "organisation",
        "partner",
        "departement",
        "started_on",
        "ended_on",
    ]
    list_filter = ["role"]
    raw_id_fields = ["user", "house", "organisation", "partner"]


@admin.register(Training)
class TrainingAdmin(admin.ModelAdmin):
    list_display = ["title", "user", "house", "kind", "started_on"]
    raw_id_fields = ["user", "house", "partner"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "prefix", "label", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["digest", "prefix"]
