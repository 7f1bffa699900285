"""`msap import_sites FILE [--quiet]`: load the national list of France Services sites (CSV,
UTF-8, the open-data layout of network.sites.COLUMNS) into houses.

Idempotent by `id_fs` (a second run changes nothing), resumable (commits every batch; rerun
after an interruption to finish), progress on stderr, then a French report of every cell it
could not read and a summary on stdout. A file in another encoding or without every column is
refused whole: nothing is imported, and the command exits with status 1.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from msap.core.errors import DomainError
from msap.network import sites


class Command(BaseCommand):
    help = "Importe la liste nationale des sites France Services (CSV UTF-8) dans les maisons."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Le fichier CSV de la liste nationale.")
        parser.add_argument(
            "--quiet", action="store_true", help="Sans progression sur la sortie d'erreur."
        )

    def handle(self, *args, file: str, quiet: bool, **options):
        def progress(done: int, total: int) -> None:
            self.stderr.write(
                _("Import : %(done)d/%(total)d lignes…") % {"done": done, "total": total}
            )

        try:
            report = sites.import_sites_file(file, progress=None if quiet else progress)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        for note in report.notes:
            self.stdout.write(note)
        if report.problems:
            self.stdout.write(_("Cellules illisibles :"))
            for problem in report.problems:
                self.stdout.write(f"- {problem}")
        self.stdout.write(report.summary())
