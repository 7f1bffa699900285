"""`msap remind_charter [--dry-run] [--now YYYY-MM-DD]`: queue the reminders before a charter
evidence stops counting (charter/services.py), and again what a lost task left unsent.

Meant to run every day from a scheduler, like `msap remind`. Idempotent: an evidence has one
reminder per expiry date, whatever the number of runs; the worker (`msap worker`) sends them.
"""

from django.core.management.base import BaseCommand

from msap.charter import services
from msap.core.commands import add_dry_run_argument, add_now_argument, parse_now


class Command(BaseCommand):
    help = "Met en file les rappels des justificatifs de la charte qui vont expirer."

    def add_arguments(self, parser):
        add_dry_run_argument(parser, "Compte les rappels dus sans rien envoyer.")
        add_now_argument(parser)

    def handle(self, *args, dry_run: bool, now: str | None, **options):
        count = services.queue_expiry_reminders(parse_now(now), dry_run=dry_run)
        if dry_run:
            self.stdout.write(f"{count} rappel(s) d'expiration dus (simulation).")
        else:
            self.stdout.write(f"{count} rappel(s) d'expiration mis en file d'envoi.")
