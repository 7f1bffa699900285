"""`msap remind`: queue the overdue / due-soon digests, which `msap worker` sends. Safe every few
minutes or once a day."""

import time

from django.core.management.base import BaseCommand

from msap.core.commands import add_dry_run_argument
from msap.registers.reminders import handle_one


class Command(BaseCommand):
    help = "Met en file (envoyés par msap worker) les récapitulatifs des éléments de registre en retard ou à échéance proche."

    def add_arguments(self, parser):
        add_dry_run_argument(parser, "Compte les destinataires sans rien envoyer.")
        parser.add_argument("--loop", action="store_true", help="Tourne en continu.")
        parser.add_argument(
            "--interval", type=int, default=300, help="Secondes entre deux passages avec --loop."
        )

    def handle(self, *args, dry_run=False, loop=False, interval=300, **options):
        while True:
            started = time.monotonic()
            count = handle_one(dry_run=dry_run)
            verb = "à prévenir" if dry_run else "mis en file pour `msap worker`"
            self.stdout.write(
                f"{count} récapitulatif(s) {verb} en {time.monotonic() - started:.2f} s."
            )
            if not loop:
                return
            time.sleep(interval)
