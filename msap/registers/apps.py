from django.apps import AppConfig


class RegistersConfig(AppConfig):
    name = "msap.registers"
    label = "registers"
