"""The charter's rules (convention-cadre annex 4, vademecum of annex 5) as msap applies them:
which evidence proves which commitment, how long a document counts, when a share of answers
on time keeps or misses a commitment, and the assessment's statuses."""

from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _

from msap.charter.models import EvidenceKind as K
from msap.lib.dates import add_months


class Status(models.TextChoices):
    MET = "met", _("Respecté")
    PARTLY = "partly", _("Partiellement respecté")
    NOT_MET = "not_met", _("Non respecté")
    NOT_APPLICABLE = "not_applicable", _("Non applicable")


# Annex 5, "Suivi / contrôle du respect de l'engagement", item by item: the documents that
# prove each commitment. An item computed from the house's data may take evidence too.
EVIDENCE_KINDS: dict[str, tuple[str, ...]] = {
    "1": (K.SELF_ASSESSMENT,),
    "2": (K.TRAINING_PLAN, K.PARTNER_EVALUATION),
    "3": (K.PARTNER_EVALUATION,),
    "3 bis": (K.MAINTENANCE_CONTRACT,),
    "3 ter": (K.MOBILE_PLANNING,),
    "4": (K.REFERENTS_PROCEDURE, K.PARTNER_EVALUATION),
    "5": (K.PARTNER_EVALUATION,),
    "6": (K.PRM_CONSULTATION,),
    "7": (K.DIFFICULTY_GUIDE,),
    "8": (K.TRAINING_ATTESTATION, K.RECEPTION_PROCEDURE, K.IDENTIFICATION),
    "9": (K.OPENING_PROCEDURE, K.MAINTENANCE_PLANNING, K.DOCUMENTATION),
    "10": (),
    "11": (K.MAIL_PROCEDURE,),
    "12": (K.MAIL_PROCEDURE,),
    "13": (K.ANSWERING_MACHINE, K.PARTNER_EVALUATION),
    "14": (K.COMPLAINT_PROCEDURE,),
    "15": (K.SURVEY_ANALYSIS, K.COMMUNICATION_PLAN, K.STEERING_MINUTES),
}

# The evidence items whose every kind is needed to meet them (one of them: partly), annex 5:
# 9 "procédure d'ouverture et fermeture … planning d'entretien … documentation classée";
# 15 "analyse des résultats et plan d'actions … plan de communication".
ALL_REQUIRED: dict[str, tuple[str, ...]] = {
    "2": (K.TRAINING_PLAN,),
    "3": (K.PARTNER_EVALUATION,),
    "6": (K.PRM_CONSULTATION,),
    "7": (K.DIFFICULTY_GUIDE,),
    "9": (K.OPENING_PROCEDURE, K.MAINTENANCE_PLANNING, K.DOCUMENTATION),
    "15": (K.SURVEY_ANALYSIS, K.COMMUNICATION_PLAN),
}

# How long a document counts when the house does not say (msap's reading: a procedure or a
# contract is reviewed every year, a consultation or a training attestation every three).
VALIDITY_MONTHS: dict[str, int] = {
    K.SELF_ASSESSMENT: 12,
    K.TRAINING_PLAN: 12,
    K.PARTNER_EVALUATION: 12,
    K.MAINTENANCE_CONTRACT: 12,
    K.MOBILE_PLANNING: 12,
    K.REFERENTS_PROCEDURE: 24,
    K.PRM_CONSULTATION: 36,
    K.DIFFICULTY_GUIDE: 36,
    K.TRAINING_ATTESTATION: 36,
    K.RECEPTION_PROCEDURE: 24,
    K.IDENTIFICATION: 36,
    K.OPENING_PROCEDURE: 24,
    K.MAINTENANCE_PLANNING: 12,
    K.DOCUMENTATION: 12,
    K.MAIL_PROCEDURE: 24,
    K.ANSWERING_MACHINE: 12,
    K.COMPLAINT_PROCEDURE: 24,
    K.SURVEY_ANALYSIS: 12,
    K.COMMUNICATION_PLAN: 12,
    K.STEERING_MINUTES: 12,
}
# The first year assessed: the convention-cadre's charter of 2015.
FIRST_YEAR = 2015
# A validity longer than this is refused (a typo in the year): five years.
MAX_VALIDITY_MONTHS = 60
# The reminder goes this many days before an evidence stops counting.
REMIND_BEFORE_DAYS = 30
# Uploads: what the attachments of transmissions accept (msap.lib.uploads sniffs the content).
EVIDENCE_TYPES = ("pdf", "png", "jpg", "docx", "xlsx", "odt", "ods")
MAX_TITLE = 200

# Answers within the charter's deadline (commitments 11–14, 4, 5): all of them meet the
# commitment; from this share on, it is partly met; below, not met (msap's reading: the charter
# promises every answer on time and sets no tolerance, the middle status shows the way back).
PARTLY_SHARE = 0.8
# Commitment 1 and art. 3.2: at least 24 hours a week over at least 3 days (network.rules).


def default_valid_until(kind: str, dated_on: date) -> date:
    return add_months(dated_on, VALIDITY_MONTHS.get(kind, 12))


def max_valid_until(dated_on: date) -> date:
    return add_months(dated_on, MAX_VALIDITY_MONTHS)


def counts_on(dated_on: date, valid_until: date, day: date) -> bool:
    """An evidence counts from its date to its last valid day, both included; expired after."""
    return dated_on <= day <= valid_until


def reference_day(year: int, today: date) -> date:
    """The day a year is assessed on: today for the current year, 31 December for a past one."""
    return min(today, date(year, 12, 31))


def reminder_due(valid_until: date, today: date) -> bool:
    """The expiry reminder is due from REMIND_BEFORE_DAYS before the last valid day to it."""
    return 0 <= (valid_until - today).days <= REMIND_BEFORE_DAYS


def share_status(good: int, total: int) -> str:
    """All on time: met; at least PARTLY_SHARE: partly; less: not met. `total` > 0."""
    if good >= total:
        return Status.MET
    return Status.PARTLY if good / total >= PARTLY_SHARE else Status.NOT_MET


def percent(good: int, total: int) -> str:
    return f"{round(100 * good / total)} %" if total else "—"
