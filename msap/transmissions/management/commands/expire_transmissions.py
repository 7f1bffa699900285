"""`msap expire_transmissions [--dry-run] [--now YYYY-MM-DD]`: expire the transmissions left
untouched rules.EXPIRY_DAYS days (Dora), deleting their attachments and the person's data, and
purge the person's data of those whose consent has ended.

Meant to run daily from a scheduler. Idempotent and safe to rerun or run twice at once: what to
do is derived from the transmissions' state, each one claimed under a row lock.
"""

from django.core.management.base import BaseCommand

from msap.core.commands import add_dry_run_argument, add_now_argument, parse_now
from msap.transmissions import rules, services


class Command(BaseCommand):
    help = (
        "Clôt les saisines restées sans suite, supprime leurs pièces jointes et les données des "
        "personnes, et purge celles dont le consentement a pris fin."
    )

    def add_arguments(self, parser):
        add_dry_run_argument(parser, "Compte les saisines concernées sans rien modifier.")
        add_now_argument(parser)

    def handle(self, *args, dry_run: bool, now: str | None, **options):
        instant = parse_now(now)
        expired = services.expire_untouched(now=instant, dry_run=dry_run)
        purged = services.purge_past_consent(now=instant, dry_run=dry_run)
        suffix = " (simulation : rien n'a été modifié)" if dry_run else ""
        self.stdout.write(
            f"Saisines sans suite depuis {rules.EXPIRY_DAYS} jours : {expired} expirée(s){suffix}."
        )
        self.stdout.write(f"Consentements échus : {purged} saisine(s) purgée(s){suffix}.")
