"""`msap purge_dossiers [--dry-run] [--now YYYY-MM-DD]`: anonymise files past their retention period.

Meant to run daily from a scheduler. Idempotent and safe to rerun or run twice at once: it
derives what to do from the files' state (status, last activity), never from a timer.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from msap.core.commands import add_dry_run_argument, add_now_argument, parse_now
from msap.dossiers import rules, services


def _plural(count: int, one: str, many: str) -> str:
    return one if count == 1 else many


class Command(BaseCommand):
    help = "Anonymise les dossiers usagers inactifs depuis plus que la durée de conservation."

    def add_arguments(self, parser):
        add_dry_run_argument(parser, "Compte les dossiers concernés sans rien modifier.")
        add_now_argument(parser)

    def handle(self, *args, dry_run: bool, now: str | None, **options):
        instant = parse_now(now)
        cutoff = rules.retention_cutoff(instant)
        self.stdout.write(
            f"Durée de conservation : {rules.retention_months()} mois ; "
            f"dossiers sans activité depuis le {timezone.localtime(cutoff):%d/%m/%Y}."
        )
        count = services.anonymise_inactive(
            now=instant,
            dry_run=dry_run,
            progress=None
            if dry_run
            else lambda done: self.stdout.write(f"… {done} dossier(s) anonymisé(s)"),
        )
        if count == 0:
            self.stdout.write("Aucun dossier à anonymiser.")
        elif dry_run:
            self.stdout.write(
                f"{count} {_plural(count, 'dossier serait anonymisé', 'dossiers seraient anonymisés')} "
                "(simulation : rien n'a été modifié)."
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"{count} {_plural(count, 'dossier anonymisé', 'dossiers anonymisés')}."
                )
            )
