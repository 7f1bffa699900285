from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class AppointmentsConfig(AppConfig):
    name = "msap.appointments"
    label = "appointments"

    def ready(self):
        from msap.appointments import models
        from msap.appointments.queries import offer_cache
        from msap.network import models as network
        from msap.partners.models import Partnership

        # What the search across houses keeps (queries.OfferCache) is made of these: any
        # change saved in this process forgets it all at once.
        for model in (
            models.AppointmentType,
            models.SlotRule,
            models.SlotException,
            models.Adviser,
            Partnership,
            network.House,
            network.OpeningRange,
            network.Closure,
            network.Equipment,
            network.Premises,
        ):
            for event, signal in (("saved", post_save), ("deleted", post_delete)):
                signal.connect(
                    offer_cache.forget,
                    sender=model,
                    weak=False,
                    dispatch_uid=f"msap.appointments.offers.{model._meta.label}.{event}",
                )
