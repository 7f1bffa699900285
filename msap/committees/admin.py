"""Technical admin of the steering committee: meetings and axes are shown, never changed (the
services own every change and journal it)."""

from django.contrib import admin

from msap.committees.models import Meeting, Member, ProgressAxis
from msap.core.admin import CompactInline, ReadOnlyAdmin


class MemberInline(CompactInline):
    model = Member
    fields = ["kind", "name", "organisation", "presence"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["pk", "house", "starts_at", "status"]
    list_filter = ["status"]
    fields = ["house", "starts_at", "place", "status", "invitation_sent_at"]
    readonly_fields = fields
    inlines = [MemberInline]


@admin.register(ProgressAxis)
class ProgressAxisAdmin(ReadOnlyAdmin):
    list_display = ["title", "house", "owner", "due_on", "status"]
    list_filter = ["status"]
