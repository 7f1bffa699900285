"""Rules of personal files (SPEC "Confidentiality", art. 3.5): consent, retention, uploads."""

from datetime import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext

from msap.lib.dates import add_months
from msap.lib.uploads import CONTENT_TYPES


def default_consent_purpose() -> str:
    """The purpose proposed to the person when a file is opened, in the agent's language; the
    agent may adapt it."""
    return gettext(
        "Suivi de mes démarches par la maison : conservation de mes coordonnées, des suivis de mes "
        "demandes et des documents que je confie, jusqu'à %(months)s mois après mon dernier passage."
    ) % {"months": retention_months()}


CONSENT_PURPOSE_MAX_LENGTH = 300

# Identity and contact fields: what erasure and anonymisation blank.
IDENTITY_FIELDS = [
    "first_name",
    "last_name",
    "birth_year",
    "phone",
    "email",
    "postal_address",
    "next_steps",
]

# Scans and attestations a person entrusts: sniffed types and their MIME type.
DOCUMENT_TYPES = CONTENT_TYPES

# The retention purge works in batches so that one run never holds a long transaction.
PURGE_BATCH_SIZE = 200

OLDEST_BIRTH_YEAR = 1900


def retention_months() -> int:
    """SPEC "Confidentiality": inactive files are anonymised after this period (default 24 months)."""
    return settings.MSAP_DOSSIER_RETENTION_MONTHS


def retention_cutoff(now: datetime | None = None) -> datetime:
    """Files whose last activity is strictly before this instant are past their retention period."""
    # Counted in the network's time zone, so that "24 months" follows the calendar agents read.
    return add_months(timezone.localtime(now or timezone.now()), -retention_months())
