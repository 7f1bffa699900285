from django.apps import AppConfig


class CommitteesConfig(AppConfig):
    name = "msap.committees"
    label = "committees"
