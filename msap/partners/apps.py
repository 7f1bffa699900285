from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PartnersConfig(AppConfig):
    name = "msap.partners"
    label = "partners"

    def ready(self):
        from msap.partners.seed import seed_reference_data

        def _seed(sender, using="default", **kwargs):
            seed_reference_data(using=using)

        # The national operators (annex 2) and the offer of annex 1 are data every instance has.
        post_migrate.connect(_seed, sender=self, weak=False, dispatch_uid="msap.partners.seed")
