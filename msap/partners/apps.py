from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PartnersConfig(AppConfig):
    name = "msap.partners"
    label = "partners"

    def ready(self):
        from msap.network import queries as network_queries
        from msap.network.signals import substantial_hours_change
        from msap.partners.queries import referent_flags
        from msap.partners.seed import seed_reference_data
        from msap.partners.services import inform_partners_of_hours

        # Art. 3.2: partners are told of a substantial change of hours; annex 2: a partnership
        # without a referent in post needs the manager's attention.
        substantial_hours_change.connect(
            inform_partners_of_hours, weak=False, dispatch_uid="msap.partners.hours"
        )
        network_queries.register_flags(referent_flags)

        def _seed(sender, using="default", **kwargs):
            seed_reference_data(using=using)

        # The national operators (annex 2) and the offer of annex 1 are data every instance has.
        post_migrate.connect(_seed, sender=self, weak=False, dispatch_uid="msap.partners.seed")
