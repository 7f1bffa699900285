from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "msap.api"
    label = "api"
