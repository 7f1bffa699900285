"""The admin of a record that changes only through its services (journaled, checked): listed and
shown to the technical staff, never added, edited or deleted by hand."""

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    # Nothing that cannot be changed may be deleted either.
    has_delete_permission = has_change_permission
