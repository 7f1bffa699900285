"""Indicators of the registers (the evidence commitments 11–14 name): per register, per month
or year, per house or aggregated — share answered on time, median and 90th-percentile delay,
backlog, exempt share."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q, QuerySet

from msap.registers.models import Kind, Status


@dataclass
class Indicator:
    kind: str
    label: str
    received: int
    answered: int
    on_time: int
    with_deadline: int
    exempt: int
    backlog: int
    median_days: float | None
    p90_days: float | None

    @property
    def on_time_share(self) -> float | None:
        """Answered on time among the answered items that had a deadline."""
        return None if not self.with_deadline else self.on_time / self.with_deadline

    @property
    def exempt_share(self) -> float | None:
        return None if not self.received else self.exempt / self.received


def percentile(sorted_values: list[float], q: float) -> float | None:
    """Linear interpolation between closest ranks (the spreadsheet PERCENTILE.INC convention)."""
    if not sorted_values:
        return None
    pos = (len(sorted_values) - 1) * q
    low = int(pos)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (pos - low)


def compute(items: QuerySet, start: datetime, end: datetime, *, now: datetime) -> list[Indicator]:
    """Indicators of the items received in [start, end), one per register kind that has items.
    The backlog counts items of the period still open at `now`."""
    period = items.filter(received_at__gte=start, received_at__lt=end)
    counts = {
        row["kind"]: row
        for row in period.values("kind")
        .annotate(
            received=Count("id"),
            answered=Count("id", filter=Q(answered_at__isnull=False)),
            # Not named "on_time": an annotation shadowing the field would turn the next
            # filter on `on_time` into a filter on this aggregate.
            on_time_count=Count("id", filter=Q(on_time=True)),
            with_deadline=Count("id", filter=Q(on_time__isnull=False)),
            exempt=Count("id", filter=Q(status=Status.EXEMPT)),
            backlog=Count("id", filter=Q(status__in=[Status.NEW, Status.IN_PROGRESS])),
        )
        .order_by()
    }
    delays: dict[str, list[float]] = {}
    for kind, received_at, answered_at in period.filter(answered_at__isnull=False).values_list(
        "kind", "received_at", "answered_at"
    ):
        delays.setdefault(kind, []).append((answered_at - received_at).total_seconds() / 86400)
    out = []
    for kind in Kind.values:
        row = counts.get(kind)
        if not row:
            continue
        d = sorted(delays.get(kind, []))
        out.append(
            Indicator(
                kind=kind,
                label=Kind(kind).label,
                received=row["received"],
                answered=row["answered"],
                on_time=row["on_time_count"],
                with_deadline=row["with_deadline"],
                exempt=row["exempt"],
                backlog=row["backlog"],
                median_days=percentile(d, 0.5),
                p90_days=percentile(d, 0.9),
            )
        )
    return out


def overdue(items: QuerySet, now: datetime) -> QuerySet:
    return items.filter(status__in=[Status.NEW, Status.IN_PROGRESS], due_at__lt=now)
