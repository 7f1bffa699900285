from django.contrib import admin

from msap.core.admin import ReadOnlyAdmin
from msap.surveys.models import Action, Answer, Campaign


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdmin):
    list_display = ("house", "year", "opens_on", "closes_on", "published_at")
    list_filter = ("year",)


@admin.register(Answer)
class AnswerAdmin(ReadOnlyAdmin):
    list_display = ("campaign", "answered_on", "overall", "comment_status")


@admin.register(Action)
class ActionAdmin(ReadOnlyAdmin):
    list_display = ("campaign", "title", "owner", "due_on", "status")
