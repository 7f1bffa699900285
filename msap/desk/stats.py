"""Figures of the attendance tool for one or several houses over a period, with the previous
period for comparison. Aggregated in the database: a year of a busy house is one query per axis."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from msap.desk.models import NEEDS, Autonomy, Channel, Outcome, ServiceRequest
from msap.lib.dates import add_months, days_bounds, month_start
from msap.partners.models import Partner, ServiceCategory


@dataclass(frozen=True)
class Period:
    start: date  # inclusive
    end: date  # inclusive
    label: str = ""

    def bounds(self, tz: ZoneInfo) -> tuple[datetime, datetime]:
        return days_bounds(self.start, self.end, tz)


def week_of(day: date) -> Period:
    start = day - timedelta(days=day.weekday())
    return Period(start, start + timedelta(days=6), f"semaine du {start:%d/%m/%Y}")


def month_of(day: date) -> Period:
    start = month_start(day)
    return Period(start, add_months(start, 1) - timedelta(days=1), f"{start:%m/%Y}")


def year_of(day: date) -> Period:
    return Period(date(day.year, 1, 1), date(day.year, 12, 31), str(day.year))


def in_period(qs: QuerySet, period: Period, tz: ZoneInfo) -> QuerySet:
    start, end = period.bounds(tz)
    return qs.filter(occurred_at__gte=start, occurred_at__lt=end)


def _by(qs: QuerySet, field: str) -> dict:
    return {row[field]: row["n"] for row in qs.values(field).annotate(n=Count("id")).order_by()}


@dataclass
class Breakdown:
    """One axis: [(label, current, previous)], ordered by current count."""

    title: str
    rows: list[tuple[str, int, int]]


def summary(qs: QuerySet) -> dict:
    agg = qs.aggregate(
        requests=Count("id"),
        people=Sum("group_size"),
        minutes=Sum("duration_minutes"),
        complex=Count("id", filter=Q(outcome=Outcome.COMPLEX)),
        first_visits=Count("id", filter=Q(first_visit=True)),
        **{name: Count("id", filter=Q(**{name: True})) for name, _ in NEEDS},
    )
    return {k: (v or 0) for k, v in agg.items()}


def breakdowns(qs: QuerySet, previous: QuerySet) -> list[Breakdown]:
    partners = {p.pk: p.short_name for p in Partner.objects.all()}
    categories = {c.pk: f"{c.code}. {c.title}" for c in ServiceCategory.objects.all()}
    axes = [
        (_("Par partenaire"), "partner", lambda k: partners.get(k, _("Sans partenaire"))),
        (_("Par catégorie de service (annexe 1)"), "category", lambda k: categories.get(k, "?")),
        (_("Par canal"), "channel", lambda k: Channel(k).label if k in Channel.values else k),
        (
            _("Par suite donnée"),
            "outcome",
            lambda k: Outcome(k).label if k in Outcome.values else k,
        ),
        (
            _("Par autonomie numérique"),
            "autonomy",
            lambda k: Autonomy(k).label if k in Autonomy.values else _("Non renseignée"),
        ),
    ]
    out = []
    for title, field, name in axes:
        cur, prev = _by(qs, field), _by(previous, field)
        keys = sorted(set(cur) | set(prev), key=lambda k: (-cur.get(k, 0), -prev.get(k, 0), str(k)))
        out.append(Breakdown(title, [(str(name(k)), cur.get(k, 0), prev.get(k, 0)) for k in keys]))
    return out


def daily_counts(qs: QuerySet, period: Period, tz: ZoneInfo) -> list[tuple[date, int]]:
    """Requests per day of the period (zero days included), counted in the house's time zone."""
    from django.db.models.functions import TruncDate

    counts = {
        row["day"]: row["n"]
        for row in qs.annotate(day=TruncDate("occurred_at", tzinfo=tz))
        .values("day")
        .annotate(n=Count("id"))
        .order_by()
    }
    days = (period.end - period.start).days + 1
    return [
        (period.start + timedelta(days=i), counts.get(period.start + timedelta(days=i), 0))
        for i in range(days)
    ]


def monthly_counts(qs: QuerySet, year: int, tz: ZoneInfo) -> list[int]:
    from django.db.models.functions import TruncMonth

    counts = {
        row["month"].month: row["n"]
        for row in qs.annotate(month=TruncMonth("occurred_at", tzinfo=tz))
        .values("month")
        .annotate(n=Count("id"))
        .order_by()
        if row["month"] is not None and row["month"].year == year
    }
    return [counts.get(m, 0) for m in range(1, 13)]


def requests_of(houses) -> QuerySet:
    return ServiceRequest.objects.filter(house__in=houses)
