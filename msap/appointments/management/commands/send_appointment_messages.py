"""`msap send_appointment_messages [--dry-run]`: queue the preparation sheets and reminders due.

Meant to run every few minutes from a scheduler; `msap worker` sends what it queues. Idempotent
and safe to run twice at once: what to queue is derived from the appointments' state, and each
message (appointment, kind, channel) is queued once.
"""

from django.core.management.base import BaseCommand

from msap.appointments import reminders
from msap.core.commands import add_dry_run_argument


class Command(BaseCommand):
    help = "Met en file d'attente les fiches de préparation et les rappels de rendez-vous dus."

    def add_arguments(self, parser):
        add_dry_run_argument(parser, "Compte les messages dus sans rien envoyer.")

    def handle(self, *args, dry_run: bool, **options):
        count = reminders.handle_one(dry_run=dry_run)
        if dry_run:
            self.stdout.write(f"{count} message(s) à envoyer (simulation : rien n'a été envoyé).")
        else:
            self.stdout.write(
                f"{count} message(s) mis en file d'attente : `msap worker` les envoie."
            )
