from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "msap.surveys"
    label = "surveys"
