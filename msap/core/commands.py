"""What msap's management commands share: a refusal Django prints in French, the `--dry-run` and
`--now` options."""

from datetime import date, datetime, time

from django.core.management.base import CommandError
from django.utils import timezone


class Erreur(CommandError):
    """Django prints "<class name>: <message>" on stderr and exits with code 1: say it in French."""


def add_dry_run_argument(parser, help: str) -> None:
    """`--dry-run`: count what the job would do (`help` says what), change and send nothing."""
    parser.add_argument("--dry-run", action="store_true", help=help)


def add_now_argument(parser) -> None:
    """`--now YYYY-MM-DD`: the day a job runs as if it were (dry runs, catching up a missed day)."""
    parser.add_argument("--now", help="Date de référence AAAA-MM-JJ (par défaut : maintenant).")


def parse_now(value: str | None) -> datetime:
    """The instant of `--now` (midnight of that day, in the server's zone), or now."""
    if not value:
        return timezone.now()
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise Erreur(
            f"Date invalide : « {value} ». Attendu : AAAA-MM-JJ, par exemple 2026-01-31."
        ) from None
    return timezone.make_aware(datetime.combine(day, time.min))
