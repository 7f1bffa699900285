"""`msap convention_dates [--dry-run] [--now YYYY-MM-DD]`: what the convention's dates bring
about (art. 7, 9, 10) — a withdrawal, a service's withdrawal or a denunciation that takes effect,
the alert before each term.

Meant to run daily from a scheduler. Idempotent: it derives what to do from the conventions'
state (effective dates, the notices already created), so a missed day is caught up by the next
run and a second run does nothing.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from msap.conventions import rules, services
from msap.conventions.models import Convention, ConventionStatus
from msap.core.commands import add_dry_run_argument, add_now_argument, parse_now
from msap.lib.dates import today_in


class Command(BaseCommand):
    help = "Applique les échéances des conventions-cadres et prévient avant chaque échéance."

    def add_arguments(self, parser):
        add_dry_run_argument(parser, "Liste les conventions concernées sans rien modifier.")
        add_now_argument(parser)

    def handle(self, *args, dry_run: bool, now: str | None, **options):
        instant = parse_now(now)
        done = 0
        conventions = (
            Convention.objects.exclude(status=ConventionStatus.ENDED)
            .select_related("house__commune", "house__organisation")
            .order_by("pk")
        )
        for convention in conventions:
            today = today_in(convention.house.tz, instant)
            if dry_run:
                term = rules.term_on(convention.signed_on, today)
                if today >= term.alert_on:
                    self.stdout.write(f"{convention.house.name} : échéance le {term.end:%d/%m/%Y}.")
                continue
            actions = services.handle_one(convention, today)
            if actions:
                done += 1
                self.stdout.write(f"{convention.house.name} : {', '.join(actions)}.")
        if dry_run:
            self.stdout.write("Simulation : rien n'a été modifié.")
        elif done == 0:
            self.stdout.write(f"Rien à faire le {timezone.localtime(instant):%d/%m/%Y}.")
        else:
            self.stdout.write(self.style.SUCCESS(f"{done} convention(s) traitée(s)."))
