from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "msap.public"
    label = "public"

    def ready(self):
        from msap.public import cache

        cache.connect_invalidation()
