"""The satisfaction survey's rules (charter commitment 15, convention-cadre annex 4 §4.1,
"À votre écoute pour progresser": "nous mesurons chaque année la satisfaction des usagers et
vous informons des résultats"), and the limits that keep its ballot honest.
"""

import string
from datetime import date, datetime, timedelta

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Commitment 15: "chaque année" — one campaign per house and calendar year, inside that year.
CAMPAIGNS_PER_YEAR = 1
# The questions follow the charter's commitments (annex 4 §4.1): access and hours (1), welcome
# and courtesy (8), waiting (9), confidentiality (10), the answer obtained (2, 3, 11–13).
QUESTIONS = (
    ("access", gettext_lazy("L'accès à la maison et ses horaires d'ouverture"), "1"),
    ("welcome", gettext_lazy("L'accueil et la courtoisie de l'agent"), "8"),
    ("waiting", gettext_lazy("Le temps d'attente et le confort de l'espace d'attente"), "9"),
    ("confidentiality", gettext_lazy("Le respect de la confidentialité de votre situation"), "10"),
    ("outcome", gettext_lazy("La réponse obtenue à votre demande"), "2"),
)
QUESTION_FIELDS = tuple(code for code, _label, _commitment in QUESTIONS)
# A clear four-step scale, no middle to hide in (the national France Services survey's own).
SCALE = (
    (4, gettext_lazy("Très satisfait")),
    (3, gettext_lazy("Plutôt satisfait")),
    (2, gettext_lazy("Plutôt pas satisfait")),
    (1, gettext_lazy("Pas du tout satisfait")),
)
SCALE_MIN, SCALE_MAX = 1, 4
# Overall satisfaction out of 10 (the issue: "overall satisfaction out of 10").
OVERALL_MIN, OVERALL_MAX = 0, 10
MAX_COMMENT = 1000

# --- one answer per visit ---------------------------------------------------------------------
# A code is typed from a receipt: 8 characters of an alphabet without look-alikes (no 0/O,
# 1/I/L), 31^8 ≈ 8.5 × 10^11 codes, guessed one in billions under the rate limits below.
CODE_ALPHABET = "".join(c for c in string.ascii_uppercase + string.digits if c not in "0O1IL")
CODE_LENGTH = 8
# A code handed out at a visit is for that visit: valid this many days, and never after the
# campaign's close.
TOKEN_VALID_DAYS = 30
# A sheet of printed tickets, and the codes one campaign may hold.
MAX_TICKETS_PER_SHEET = 48
MAX_TOKENS_PER_CAMPAIGN = 20_000
# The public form: a submission bigger than this is refused before it is read.
MAX_PAYLOAD_BYTES = 8 * 1024
# Rate limits of the public form: per client address and per campaign, over an hour.
RATE_WINDOW_SECONDS = 3600
RATE_PER_CLIENT = 20
RATE_PER_CAMPAIGN = 200

# --- results ------------------------------------------------------------------------------------
# Beyond the house itself, a figure over fewer answers than this is masked ("< 5"): a handful of
# answers in a small house would otherwise tell who said what.
MIN_SHOWN = 5


def normalise_code(text: str) -> str:
    """What a person typed, as the stored code: capitals, without spaces or dashes."""
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())[: CODE_LENGTH + 4]


def format_code(code: str) -> str:
    """A code as printed: two groups of four, easier to type."""
    return f"{code[:4]}-{code[4:]}" if len(code) == CODE_LENGTH else code


def campaign_dates_error(year: int, opens_on: date, closes_on: date) -> str | None:
    """Why a campaign's dates are refused (commitment 15: a campaign of that year), or None."""
    if opens_on.year != year or closes_on.year != year:
        return _("La campagne de %(year)s s'ouvre et se clôt dans l'année %(year)s.") % {
            "year": year
        }
    if closes_on < opens_on:
        return _("La clôture de la campagne ne peut pas précéder son ouverture.")
    return None


def token_expiry(issued_at: datetime, campaign_closes_at: datetime) -> datetime:
    """When a code handed out at `issued_at` stops opening the form: TOKEN_VALID_DAYS later, and
    never after the campaign's close."""
    return min(issued_at + timedelta(days=TOKEN_VALID_DAYS), campaign_closes_at)


def shown_count(count: int, *, own_house: bool) -> str | int:
    """A count as shown: the house sees its own, a comparison masks small counts."""
    if own_house or count >= MIN_SHOWN:
        return count
    return f"< {MIN_SHOWN}"
