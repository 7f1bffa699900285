"""Rules of the convention about a house's opening and premises. One rule, one place."""

import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import time

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from msap.lib.dates import FRENCH_WEEKDAYS

# Art. 3.2 and charter commitment 1: open at least 24 hours a week over at least three days.
MIN_WEEKLY_MINUTES = 24 * 60
MIN_WEEKLY_HOURS = MIN_WEEKLY_MINUTES // 60
MIN_OPEN_DAYS = 3

# Art. 3.2: the parties are informed of every *substantial* change of hours. We call a change
# substantial when the open days change, the weekly total moves by an hour or more, or a range
# starts or ends 30 minutes or more earlier or later.
SUBSTANTIAL_TOTAL_MINUTES = 60
SUBSTANTIAL_SHIFT_MINUTES = 30


@dataclass(frozen=True, order=True)
class Range:
    weekday: int
    start: time
    end: time

    @property
    def minutes(self) -> int:
        return _minutes(self.end) - _minutes(self.start)

    def as_json(self) -> list:
        return [self.weekday, self.start.strftime("%H:%M"), self.end.strftime("%H:%M")]

    @classmethod
    def from_json(cls, row) -> "Range":
        return cls(int(row[0]), time.fromisoformat(row[1]), time.fromisoformat(row[2]))


def _minutes(t: time) -> int:
    return t.hour * 60 + t.minute


def _opens(r: Range) -> bool:
    # Counted to the minute: a range of a few seconds opens nothing (and makes no open day).
    return r.minutes > 0


def weekly_minutes(ranges: Iterable[Range]) -> int:
    return sum(r.minutes for r in ranges if _opens(r))


def open_days(ranges: Iterable[Range]) -> set[int]:
    return {r.weekday for r in ranges if _opens(r)}


def format_minutes(total: int) -> str:
    hours, minutes = divmod(total, 60)
    return f"{hours} h {minutes:02d}" if minutes else f"{hours} h"


@dataclass
class ScheduleCheck:
    errors: list[str]
    weekly_minutes: int
    open_days: int

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def weekly_label(self) -> str:
        return format_minutes(self.weekly_minutes)


def check_schedule(ranges: Iterable[Range]) -> ScheduleCheck:
    """Validate a weekly schedule; the errors say, in French, what is wrong or missing."""
    ranges = sorted(ranges)
    errors: list[str] = []
    for r in ranges:
        if not 0 <= r.weekday <= 6:
            errors.append(_("Jour inconnu."))
        elif not _opens(r):
            errors.append(
                _(
                    "%(day)s : l'heure de fin (%(end)s) doit être après l'heure de début (%(start)s)."
                )
                % {
                    "day": FRENCH_WEEKDAYS[r.weekday].capitalize(),
                    "start": r.start.strftime("%H:%M"),
                    "end": r.end.strftime("%H:%M"),
                }
            )
    valid = [r for r in ranges if 0 <= r.weekday <= 6 and _opens(r)]
    for a, b in itertools.pairwise(valid):
        if a.weekday == b.weekday and _minutes(b.start) < _minutes(a.end):
            errors.append(
                _("%(day)s : les plages %(a)s et %(b)s se chevauchent.")
                % {
                    "day": FRENCH_WEEKDAYS[a.weekday].capitalize(),
                    "a": f"{a.start:%H:%M}–{a.end:%H:%M}",
                    "b": f"{b.start:%H:%M}–{b.end:%H:%M}",
                }
            )
    total = weekly_minutes(valid)
    days = len(open_days(valid))
    if total < MIN_WEEKLY_MINUTES:
        errors.append(
            _(
                "La maison doit ouvrir au moins %(hours)d heures par semaine (article 3.2 de la "
                "convention) : %(total)s prévues, il manque %(missing)s."
            )
            % {
                "hours": MIN_WEEKLY_HOURS,
                "total": format_minutes(total),
                "missing": format_minutes(MIN_WEEKLY_MINUTES - total),
            }
        )
    if days < MIN_OPEN_DAYS:
        errors.append(
            ngettext(
                "La maison doit ouvrir au moins %(minimum)d jours par semaine (article 3.2 de la "
                "convention) : %(days)d jour prévu.",
                "La maison doit ouvrir au moins %(minimum)d jours par semaine (article 3.2 de la "
                "convention) : %(days)d jours prévus.",
                days,
            )
            % {"minimum": MIN_OPEN_DAYS, "days": days}
        )
    return ScheduleCheck(errors=errors, weekly_minutes=total, open_days=days)


def is_substantial_change(before: Iterable[Range], after: Iterable[Range]) -> bool:
    before, after = sorted(before), sorted(after)
    if open_days(before) != open_days(after):
        return True
    if abs(weekly_minutes(before) - weekly_minutes(after)) >= SUBSTANTIAL_TOTAL_MINUTES:
        return True
    for day in open_days(after):
        b = [r for r in before if r.weekday == day]
        a = [r for r in after if r.weekday == day]
        if len(a) != len(b):
            return True
        for rb, ra in zip(b, a, strict=True):
            if abs(_minutes(rb.start) - _minutes(ra.start)) >= SUBSTANTIAL_SHIFT_MINUTES:
                return True
            if abs(_minutes(rb.end) - _minutes(ra.end)) >= SUBSTANTIAL_SHIFT_MINUTES:
                return True
    return False


# Art. 3.3: the minimum every house has. Each entry: (Premises field, label as a msgid).
PREMISES_MINIMUM = [
    ("has_reception_point", gettext_noop("un point d'accueil du public")),
    ("has_seated_waiting_area", gettext_noop("un point d'attente assise")),
    ("has_confidential_space", gettext_noop("un espace confidentiel")),
    ("has_internet", gettext_noop("un accès à internet")),
]
REDUCED_MOBILITY = gettext_noop("la description de l'accueil des personnes à mobilité réduite")
# Art. 3.3 and commitment 3 bis: equipment for the public, at least one of each group.
PUBLIC_EQUIPMENT_GROUPS = [
    (
        {"multimedia", "kiosk", "webcam", "visio"},
        gettext_noop("un point multimédia, une borne multiservice ou une webcam"),
    ),
    ({"printer", "scanner", "photocopier"}, gettext_noop("une imprimante et/ou un scanner")),
]


def missing_minimum(premises, equipment_kinds: Iterable[str]) -> list[str]:
    """What the house lacks of art. 3.3's minimum, as phrases in the active language
    ("un espace confidentiel")."""
    missing = []
    for field, label in PREMISES_MINIMUM:
        if premises is None or not getattr(premises, field):
            missing.append(_(label))
    if premises is None or not premises.reduced_mobility_access.strip():
        missing.append(_(REDUCED_MOBILITY))
    kinds = set(equipment_kinds)
    for group, label in PUBLIC_EQUIPMENT_GROUPS:
        if not kinds & group:
            missing.append(_(label))
    return missing
