from django.apps import AppConfig


class AppointmentsConfig(AppConfig):
    name = "msap.appointments"
    label = "appointments"
