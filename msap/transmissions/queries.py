"""The reads of transmissions that screens, the sends, the API and the figures share, scoped by
msap.permissions."""

import statistics
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Max, Q
from django.utils.translation import gettext as _

from msap import permissions
from msap.lib.dates import timezone_for, working_days_between
from msap.transmissions import rules
from msap.transmissions.models import (
    NOT_TAKEN,
    OPEN_STATUSES,
    Transmission,
    TransmissionSettings,
    TransmissionStatus,
)

RELATED = (
    "house__commune__departement",
    "partnership__partner",
    "referent",
    "redirected_to__partner",
    "request__category",
    "dossier",
    "sent_by",
)


def get_transmission_for_user(user, pk, *, need: str = "view"):
    """The transmission and the user's access: 404 unless they are an agent of its house or a
    referent of the partner it is addressed to; 403 for an action of the other side."""
    transmission = permissions.fetch(
        Transmission.objects.select_related(*RELATED), pk, _("Saisine introuvable.")
    )
    access = permissions.transmission_access(user, transmission)
    permissions.check_transmission(access, need)
    return transmission, access


def visible_transmissions(user):
    """What a user may open, in every house: the API's list and a referent's inbox."""
    return Transmission.objects.filter(permissions.transmissions_q(user)).select_related(*RELATED)


@dataclass(frozen=True)
class ServiceLevels:
    """A partnership's time limits and reminders for transmissions, and where they come from."""

    take_days: int
    resolve_days: int
    reminder_days: int
    escalation_days: int
    escalation_name: str = ""
    escalation_email: str = ""
    stated_by_partner: bool = False  # resolve_days is the partner's stated processing time


def service_levels(partnership) -> ServiceLevels:
    """The partnership's own settings, else the partner's stated processing time (the longest
    of its appointment types in the house, art. 4.4) with the defaults of rules.py."""
    own = TransmissionSettings.objects.filter(partnership=partnership).first()
    if own is not None:
        return ServiceLevels(
            take_days=own.take_days,
            resolve_days=own.resolve_days,
            reminder_days=own.reminder_days,
            escalation_days=own.escalation_days,
            escalation_name=own.escalation_name,
            escalation_email=own.escalation_email,
        )
    stated = partnership.appointment_types.filter(
        active=True, processing_days__isnull=False
    ).aggregate(days=Max("processing_days"))["days"]
    resolve = min(
        max(stated or rules.DEFAULT_RESOLVE_DAYS, rules.DEFAULT_TAKE_DAYS), rules.MAX_DAYS
    )
    return ServiceLevels(
        take_days=rules.DEFAULT_TAKE_DAYS,
        resolve_days=resolve,
        reminder_days=rules.DEFAULT_REMINDER_DAYS,
        escalation_days=rules.DEFAULT_ESCALATION_DAYS,
        stated_by_partner=stated is not None,
    )


def today_for(transmission: Transmission, now: datetime) -> date:
    return now.astimezone(timezone_for(transmission.house.commune.departement_id)).date()


@dataclass(frozen=True)
class Deadline:
    label: str
    due_on: date
    state: str  # rules.SlaState


def deadline(transmission: Transmission, now: datetime) -> Deadline | None:
    """The time limit running now (taking in charge, then resolving) and its state; None once
    the transmission is closed or waits for the house."""
    if transmission.status not in OPEN_STATUSES or (
        transmission.status == TransmissionStatus.INFO_REQUESTED
    ):
        return None
    dept = transmission.house.commune.departement_id
    if transmission.status in NOT_TAKEN:
        label, due = _("Prise en charge"), transmission.take_due_on
    else:
        label, due = _("Traitement"), transmission.resolve_due_on
    return Deadline(label, due, rules.sla_state(today_for(transmission, now), due, dept))


def late_q(today: date) -> Q:
    """Open transmissions past their running time limit on `today` (the house's day)."""
    return Q(status__in=NOT_TAKEN, take_due_on__lt=today) | Q(
        status__in=[TransmissionStatus.TAKEN, TransmissionStatus.ANSWERED],
        resolve_due_on__lt=today,
    )


def house_transmissions(house, *, status: str = "", partnership=None, late: bool = False, today):
    qs = Transmission.objects.filter(house=house).select_related(*RELATED)
    if status:
        qs = qs.filter(status=status)
    if partnership is not None:
        qs = qs.filter(partnership=partnership)
    if late:
        qs = qs.filter(late_q(today))
    return qs.order_by("-sent_at", "-pk")


@dataclass
class PartnerFigures:
    partner: str
    count: int = 0
    open: int = 0
    overdue: int = 0
    take_median: float | None = None
    take_p90: float | None = None
    resolve_median: float | None = None
    resolve_p90: float | None = None


def partner_figures(transmissions, today: date) -> list[PartnerFigures]:
    """Per partner: how many, how many open and overdue today, and the median and 90th
    percentile of the working days to take in charge and to resolve (issue 9 §8). One query."""
    rows = transmissions.values_list(
        "partnership__partner__short_name",
        "house__commune__departement_id",
        "status",
        "sent_at",
        "taken_at",
        "closed_at",
        "take_due_on",
        "resolve_due_on",
    )
    takes: dict[str, list[int]] = {}
    resolves: dict[str, list[int]] = {}
    out: dict[str, PartnerFigures] = {}
    for partner, dept, status, sent, taken, closed, take_due, resolve_due in rows:
        figures = out.setdefault(partner, PartnerFigures(partner))
        figures.count += 1
        tz = timezone_for(dept)
        sent_day = sent.astimezone(tz).date()
        if status in OPEN_STATUSES:
            figures.open += 1
            due = take_due if status in NOT_TAKEN else resolve_due
            figures.overdue += status != TransmissionStatus.INFO_REQUESTED and today > due
        if taken:
            takes.setdefault(partner, []).append(
                working_days_between(sent_day, taken.astimezone(tz).date(), dept)
            )
        if status == TransmissionStatus.RESOLVED and closed:
            resolves.setdefault(partner, []).append(
                working_days_between(sent_day, closed.astimezone(tz).date(), dept)
            )
    for partner, figures in out.items():
        if takes.get(partner):
            figures.take_median = statistics.median(takes[partner])
            figures.take_p90 = rules.percentile(takes[partner], 0.9)
        if resolves.get(partner):
            figures.resolve_median = statistics.median(resolves[partner])
            figures.resolve_p90 = rules.percentile(resolves[partner], 0.9)
    return sorted(out.values(), key=lambda f: f.partner)
