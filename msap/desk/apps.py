from django.apps import AppConfig
from django.db.models.signals import post_migrate


class DeskConfig(AppConfig):
    name = "msap.desk"
    label = "desk"

    def ready(self):
        from msap.desk.seed import seed_procedures

        def _seed(sender, using="default", **kwargs):
            seed_procedures(using=using)

        post_migrate.connect(_seed, sender=self, weak=False, dispatch_uid="msap.desk.seed")
