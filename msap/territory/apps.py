from django.apps import AppConfig


class TerritoryConfig(AppConfig):
    name = "msap.territory"
    label = "territory"
