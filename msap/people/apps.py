from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "msap.people"
    label = "people"
