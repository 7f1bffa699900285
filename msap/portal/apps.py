from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "msap.portal"
    verbose_name = "Espace partenaires"

    def ready(self):
        from django.db.models.signals import post_save

        from msap.appointments.models import Appointment
        from msap.portal import services
        from msap.transmissions.models import Transmission

        # A new appointment is addressed to its partner: its referents get a signed link.
        post_save.connect(
            services.appointment_addressed, sender=Appointment, dispatch_uid="portal-appointment"
        )
        post_save.connect(
            services.transmission_addressed,
            sender=Transmission,
            dispatch_uid="portal-transmission",
        )
