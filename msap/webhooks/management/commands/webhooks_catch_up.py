"""`msap webhooks_catch_up`: queue again the webhook deliveries whose task was lost (a worker
killed while sending). Safe every few minutes beside `msap remind`."""

from django.core.management.base import BaseCommand

from msap.webhooks.services import catch_up


class Command(BaseCommand):
    help = (
        "Remet en file les livraisons de webhooks en attente dont la tâche a été perdue "
        "(processus arrêté pendant un envoi). Sans danger à tout moment."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"{catch_up()} livraison(s) remise(s) en file.")
