from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "msap.core"
    label = "core"
