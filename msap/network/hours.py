"""Is a house open at a given instant, and when does it next open?

Computed in the house's own time zone, with its département's public holidays and its
exceptional closures.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from msap.lib.dates import holiday_name
from msap.network.models import House


@dataclass
class Opening:
    start: datetime  # aware, in the house's time zone
    end: datetime


class HouseCalendar:
    """Everything needed to answer opening questions for one house, loaded in two queries."""

    def __init__(self, house: House):
        self.house = house
        self.dept = house.commune.departement_id
        self.tz = house.tz
        self.ranges = list(house.opening_ranges.all())
        self.closures = list(house.closures.all())

    def closed_reason(self, day: date) -> str | None:
        """Why the house is closed all day on `day` (holiday or closure), or None."""
        name = holiday_name(day, self.dept)
        if name:
            return f"jour férié ({name})"
        for c in self.closures:
            if c.start_date <= day <= c.end_date:
                return c.reason
        return None

    def openings_on(self, day: date) -> list[Opening]:
        if self.closed_reason(day):
            return []
        out = []
        for r in self.ranges:
            if r.weekday == day.weekday():
                out.append(
                    Opening(
                        datetime.combine(day, r.start, tzinfo=self.tz),
                        datetime.combine(day, r.end, tzinfo=self.tz),
                    )
                )
        return sorted(out, key=lambda o: o.start)

    def is_open_at(self, instant: datetime) -> bool:
        here = instant.astimezone(self.tz)
        return any(o.start <= here < o.end for o in self.openings_on(here.date()))

    def next_opening(self, instant: datetime, horizon_days: int = 400) -> Opening | None:
        """The next opening starting after `instant`, or the current one if open now."""
        here = instant.astimezone(self.tz)
        for offset in range(horizon_days):
            for o in self.openings_on(here.date() + timedelta(days=offset)):
                if o.end > here:
                    return o
        return None


def is_open_at(house: House, instant: datetime) -> bool:
    return HouseCalendar(house).is_open_at(instant)


def next_opening(house: House, instant: datetime) -> Opening | None:
    return HouseCalendar(house).next_opening(instant)
