"""`msap remind`: send the overdue / due-soon digests. Safe every few minutes or once a day."""

import time

from django.core.management.base import BaseCommand, CommandError

from msap.registers.reminders import handle_one


class Command(BaseCommand):
    help = "Envoie les récapitulatifs des éléments de registre en retard ou à échéance proche."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Compte les destinataires sans rien envoyer."
        )
        parser.add_argument("--loop", action="store_true", help="Tourne en continu.")
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="Processus qui préparent et envoient les courriels (0 : un par processeur ; "
            "par défaut MSAP_REMIND_WORKERS).",
        )
        parser.add_argument(
            "--interval", type=int, default=300, help="Secondes entre deux passages avec --loop."
        )

    def handle(self, *args, dry_run=False, loop=False, interval=300, workers=None, **options):
        if workers is not None and workers < 0:
            raise CommandError("--workers : un nombre positif ou nul de processus.")
        while True:
            started = time.monotonic()
            count = handle_one(dry_run=dry_run, workers=workers)
            verb = "à prévenir" if dry_run else "envoyé(s)"
            self.stdout.write(
                f"{count} récapitulatif(s) {verb} en {time.monotonic() - started:.2f} s."
            )
            if not loop:
                return
            time.sleep(interval)
