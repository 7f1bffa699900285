from django.apps import AppConfig


class DossiersConfig(AppConfig):
    name = "msap.dossiers"
    label = "dossiers"
