from django.apps import AppConfig


class DossiersConfig(AppConfig):
    name = "msap.dossiers"
    label = "dossiers"

    def ready(self):
        from django.db.models.signals import post_save

        from msap.desk.models import ServiceRequest
        from msap.dossiers.services import request_changed

        post_save.connect(
            request_changed, sender=ServiceRequest, weak=False, dispatch_uid="msap.dossiers.request"
        )
