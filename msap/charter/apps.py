from django.apps import AppConfig


class CharterConfig(AppConfig):
    name = "msap.charter"
    label = "charter"
