from django.apps import AppConfig


class ConventionsConfig(AppConfig):
    name = "msap.conventions"
    label = "conventions"
