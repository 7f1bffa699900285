from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "msap.network"
    label = "network"
