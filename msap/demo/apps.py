from django.apps import AppConfig


class DemoConfig(AppConfig):
    """`msap demo`: the demo network, assembled from every domain's demo builder."""

    name = "msap.demo"
    label = "demo"
