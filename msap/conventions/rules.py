"""The convention's dates (convention-cadre, art. 7, 9 and 10), in one place.

Counting convention: calendar months from the day of the signature, the day clamped to the
month's last (lib.dates.add_months: 29 February + 3 years = 28 February). Every term is counted
from the signature itself, never from the previous term's end, so a clamp never drifts: a
convention signed on 29 February 2028 comes to term on 28 February 2031, 2034 and 2037 and on
29 February 2040. A term's échéance is the day the convention reaches its anniversary: a
withdrawal or a denunciation takes effect on that day.
"""

from dataclasses import dataclass
from datetime import date

from msap.lib.dates import add_months

# Art. 10: "conclue pour une durée de trois (3) ans à compter de sa signature, avec tacite
# reconduction".
TERM_YEARS = 3
TERM_MONTHS = 12 * TERM_YEARS
# Art. 7: "se retirer de la présente convention sous un préavis de six (6) mois avant son
# échéance" — and the gestionnaire denounces it "sous le même préavis".
NOTICE_MONTHS = 6
# Art. 7: the consequences of a withdrawal are settled "dans un délai de six (6) mois" before it
# takes effect: the parties are alerted one month before the last day to give notice.
ALERT_MONTHS = NOTICE_MONTHS + 1
# Art. 9: the notice of a service's withdrawal is the convention's own ("sous préavis de X");
# what a form may set.
SERVICE_NOTICE_MIN_MONTHS = 1
SERVICE_NOTICE_MAX_MONTHS = 24


@dataclass(frozen=True)
class Term:
    number: int  # 1 for the initial term, 2 for the first tacit renewal…
    start: date
    end: date  # the échéance: the convention's anniversary that closes the term

    @property
    def notice_deadline(self) -> date:
        """The last day a registered letter gives notice for this term (art. 7)."""
        return add_months(self.end, -NOTICE_MONTHS)

    @property
    def alert_on(self) -> date:
        return add_months(self.end, -ALERT_MONTHS)


def term_end(signed_on: date, number: int) -> date:
    """The échéance of term `number` (art. 10), counted from the signature."""
    return add_months(signed_on, TERM_MONTHS * number)


def term(signed_on: date, number: int) -> Term:
    start = signed_on if number == 1 else term_end(signed_on, number - 1)
    return Term(number, start, term_end(signed_on, number))


def term_on(signed_on: date, day: date) -> Term:
    """The term in force on `day` (art. 10: renewed tacitly): the one whose échéance is the
    first after `day`. A day before the signature belongs to the initial term."""
    number = max(1, (day.year - signed_on.year) // TERM_YEARS)
    while number > 1 and term_end(signed_on, number - 1) > day:
        number -= 1
    while term_end(signed_on, number) <= day:
        number += 1
    return term(signed_on, number)


def effective_on(signed_on: date, letter_on: date) -> date:
    """When a withdrawal (or the gestionnaire's denunciation) notified by a registered letter of
    `letter_on` takes effect (art. 7, art. 10): at the échéance of the term in force if the letter
    comes six months or more before it, else at the échéance of the next term."""
    current = term_on(signed_on, letter_on)
    if letter_on <= current.notice_deadline:
        return current.end
    return term_end(signed_on, current.number + 1)


def service_withdrawal_on(notified_on: date, notice_months: int) -> date:
    """When a service stops, announced on `notified_on` under the convention's notice (art. 9)."""
    return add_months(notified_on, notice_months)
