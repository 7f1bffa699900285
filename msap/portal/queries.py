"""The reads of the partner portal: only what is addressed to the referent's organisations, in
the houses where each is an active partner. A fixed number of queries whatever the number of
houses (tests/portal/test_queries.py counts them)."""

from datetime import datetime, timedelta

from django.db.models import Count, Prefetch, Q
from django.utils.translation import gettext as _

from msap import permissions
from msap.appointments.models import (
    Adviser,
    Appointment,
    AppointmentStatus,
    AppointmentType,
    SlotException,
    SlotRule,
)
from msap.appointments.queries import STATUS_NAMES, TypeFigures
from msap.partners.models import Partnership
from msap.partners.queries import current_referents
from msap.portal import rules
from msap.transmissions import queries as transmissions
from msap.transmissions.models import OPEN_STATUSES, Transmission

APPOINTMENT_RELATED = (
    "house__commune",
    "appointment_type__partnership__partner",
    "adviser",
)
# The lists of the portal show at most this many appointments each.
LIST_SIZE = 100


def partnerships(user):
    """The active partnerships of the user's organisations: the houses the portal covers."""
    scope = permissions.scope_for(user)
    return (
        Partnership.objects.active()
        .filter(partner_id__in=scope.partners)
        .select_related("partner", "house__commune")
        .order_by("house__name", "partner__short_name")
    )


def addressed_appointments(user):
    """The appointments booked with the user's organisations, in the houses where each is an
    active partner."""
    scope = permissions.scope_for(user)
    return Appointment.objects.filter(
        appointment_type__partnership__partner_id__in=scope.partners,
        appointment_type__partnership__status="active",
    ).select_related(*APPOINTMENT_RELATED)


def to_confirm(user, now: datetime):
    """Requested and still to come: what the partner has to answer, soonest first."""
    return (
        addressed_appointments(user)
        .filter(status=AppointmentStatus.REQUESTED, start__gt=now)
        .order_by("start", "pk")[:LIST_SIZE]
    )


def coming(user, now: datetime):
    """Confirmed and still to come."""
    return (
        addressed_appointments(user)
        .filter(status=AppointmentStatus.CONFIRMED, start__gt=now)
        .order_by("start", "pk")[:LIST_SIZE]
    )


def get_appointment_for_referent(user, pk, *, need: str = "answer"):
    """An appointment and the user's access to it through the portal: 404 unless addressed to
    one of their organisations (or seen as the house's staff or overseer), 403 to answer it
    unless addressed to them."""
    appointment = permissions.fetch(
        Appointment.objects.select_related(*APPOINTMENT_RELATED, "house__organisation"),
        pk,
        _("Rendez-vous introuvable."),
    )
    access = permissions.house_access(user, appointment.house)
    permissions.check_partner_item(
        access, appointment.appointment_type.partnership.partner_id, need
    )
    return appointment, access


def offer(user, today) -> list[Partnership]:
    """Each partnership with its appointment types, advisers, their weekly slots and their
    coming absences: what the partner offers in each house (five queries)."""
    return list(
        partnerships(user).prefetch_related(
            Prefetch(
                "appointment_types",
                queryset=AppointmentType.objects.filter(active=True).order_by("subject"),
            ),
            Prefetch(
                "advisers",
                queryset=Adviser.objects.filter(active=True).prefetch_related(
                    Prefetch(
                        "slot_rules",
                        queryset=SlotRule.objects.filter(
                            Q(ends_on__isnull=True) | Q(ends_on__gte=today)
                        ).select_related("appointment_type"),
                    ),
                    Prefetch(
                        "exceptions",
                        queryset=SlotException.objects.filter(
                            day__gte=today, day__lte=today + timedelta(days=90)
                        ),
                    ),
                ),
            ),
        )
    )


def referent_cards(user):
    """The referent cards in post of the user's organisations, the user's own first."""
    scope = permissions.scope_for(user)
    return (
        current_referents()
        .filter(partnership__partner_id__in=scope.partners, partnership__status="active")
        .select_related("partnership__partner", "partnership__house")
        .order_by("partnership__house__name", "last_name")
    )


def appointment_figures(user, now: datetime) -> dict:
    """Appointments of the past FIGURES_DAYS by house and partner, with the rates of
    commitment 5: confirmed by the partner, missed, cancelled. Two queries."""
    since = now - timedelta(days=rules.FIGURES_DAYS)
    status = {s: Count("pk", filter=Q(status=s)) for s in AppointmentStatus.values}
    rows = list(
        addressed_appointments(user)
        .filter(start__gte=since, start__lt=now + timedelta(days=rules.FIGURES_DAYS))
        .values(
            "house__name",
            "appointment_type__partnership__partner__short_name",
        )
        .annotate(total=Count("pk"), **status)
        .order_by("house__name", "appointment_type__partnership__partner__short_name")
    )
    totals = {key: sum(row[key] for row in rows) for key in ["total", *AppointmentStatus.values]}
    for row in [*rows, totals]:
        # The rates as the appointments' indicators define them (one definition of each).
        counts = TypeFigures("", "", "", **{key: row[key] for key in ["total", *STATUS_NAMES]})
        row["confirmation_rate"] = counts.confirmation_rate
        row["no_show_rate"] = counts.no_show_rate
        row["cancellation_rate"] = counts.cancellation_rate
    return {"rows": rows, "totals": totals, "since": since}


def inbox(user, now: datetime) -> list:
    """The transmissions addressed to the user's organisations, open ones first, each with the
    time limit running now (transmissions.queries.deadline): at most LIST_SIZE."""
    scope = permissions.scope_for(user)
    rows = list(
        Transmission.objects.filter(
            partnership__partner_id__in=scope.partners, partnership__status="active"
        )
        .select_related(*transmissions.RELATED)
        .order_by("-sent_at", "-pk")[:LIST_SIZE]
    )
    rows.sort(key=lambda t: t.status not in OPEN_STATUSES)
    for t in rows:
        t.running = transmissions.deadline(t, now)
    return rows


def transmission_figures(user, now: datetime):
    """Per partner: transmissions, open, overdue, median and 90th percentile of the working days
    to take in charge and to resolve (transmissions.queries.partner_figures, one query)."""
    scope = permissions.scope_for(user)
    qs = Transmission.objects.filter(
        partnership__partner_id__in=scope.partners,
        partnership__status="active",
        sent_at__gte=now - timedelta(days=rules.FIGURES_DAYS),
    )
    return transmissions.partner_figures(qs, now.date())
