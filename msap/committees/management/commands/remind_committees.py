"""`msap remind_committees [--dry-run] [--now YYYY-MM-DD]`: queue the reminder of every house
without a steering committee held for 12 months (art. 6), and again what a lost task left unsent.

Meant to run every day from a scheduler, like `msap remind`. Idempotent: one reminder per house
and overdue spell, whatever the number of runs; the worker (`msap worker`) sends them.
"""

from django.core.management.base import BaseCommand

from msap.committees import tasks
from msap.core.commands import add_dry_run_argument, add_now_argument, parse_now


class Command(BaseCommand):
    help = "Met en file les rappels des maisons sans comité de pilotage depuis 12 mois."

    def add_arguments(self, parser):
        add_dry_run_argument(parser, "Compte les rappels dus sans rien envoyer.")
        add_now_argument(parser)

    def handle(self, *args, dry_run: bool, now: str | None, **options):
        count = tasks.handle_one(parse_now(now), dry_run=dry_run)
        if dry_run:
            self.stdout.write(f"{count} rappel(s) de comité de pilotage dû(s) (simulation).")
        else:
            self.stdout.write(f"{count} rappel(s) de comité de pilotage mis en file d'envoi.")
