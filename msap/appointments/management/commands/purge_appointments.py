"""`msap purge_appointments [--dry-run] [--now YYYY-MM-DD]`: blank the person's name and contact
of appointments ended more than rules.PERSONAL_DATA_DAYS days ago.

Meant to run daily from a scheduler. Idempotent and safe to rerun or run twice at once: it
derives what to do from the appointments' state (purged or not, end), never from a timer.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from msap.appointments import rules, services
from msap.core.commands import add_dry_run_argument, add_now_argument, parse_now


class Command(BaseCommand):
    help = "Efface le nom et les coordonnées des personnes des rendez-vous passés depuis plus que la durée de conservation."

    def add_arguments(self, parser):
        add_dry_run_argument(parser, "Compte les rendez-vous concernés sans rien modifier.")
        add_now_argument(parser)

    def handle(self, *args, dry_run: bool, now: str | None, **options):
        instant = parse_now(now)
        cutoff = rules.personal_data_cutoff(instant)
        self.stdout.write(
            f"Conservation : {rules.PERSONAL_DATA_DAYS} jours après le rendez-vous ; "
            f"rendez-vous terminés avant le {timezone.localtime(cutoff):%d/%m/%Y}."
        )
        count = services.purge_personal_data(now=instant, dry_run=dry_run)
        if count == 0:
            self.stdout.write("Aucun rendez-vous à purger.")
        elif dry_run:
            self.stdout.write(f"{count} rendez-vous à purger (simulation : rien n'a été modifié).")
        else:
            self.stdout.write(self.style.SUCCESS(f"{count} rendez-vous purgé(s)."))
