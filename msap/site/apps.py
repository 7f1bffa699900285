from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The top of the stack: layout, navigation, home pages, login and error pages."""

    name = "msap.site"
    label = "site"
