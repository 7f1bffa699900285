"""`msap remind_transmissions [--dry-run] [--now YYYY-MM-DD]`: queue the reminders to partners
and the escalations due (transmissions/tasks.py), and again what a lost task left unsent.

Meant to run every hour or every day from a scheduler, like `msap remind`. Idempotent: each
reminder stage and each escalation has one notice, whatever the number of runs; the worker
(`msap worker`) sends them.
"""

from django.core.management.base import BaseCommand

from msap.core.commands import add_dry_run_argument, add_now_argument, parse_now
from msap.transmissions import tasks


class Command(BaseCommand):
    help = "Met en file les relances des partenaires et les escalades de saisines dues."

    def add_arguments(self, parser):
        add_dry_run_argument(parser, "Compte les relances dues sans rien envoyer.")
        add_now_argument(parser)

    def handle(self, *args, dry_run: bool, now: str | None, **options):
        count = tasks.handle_one(parse_now(now), dry_run=dry_run)
        if dry_run:
            self.stdout.write(f"{count} relance(s) ou escalade(s) dues (simulation).")
        else:
            self.stdout.write(f"{count} relance(s) ou escalade(s) mises en file d'envoi.")
