from django.apps import AppConfig


class CommitteesConfig(AppConfig):
    name = "msap.committees"
    label = "committees"

    def ready(self):
        from msap.committees.queries import committee_flags
        from msap.network import queries as network_queries

        # Art. 6: a house without a steering committee for 12 months needs its managers' attention.
        network_queries.register_flags(committee_flags)
