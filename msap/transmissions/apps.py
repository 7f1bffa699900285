from django.apps import AppConfig


class TransmissionsConfig(AppConfig):
    name = "msap.transmissions"
    label = "transmissions"
