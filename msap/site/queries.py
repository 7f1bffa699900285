"""What each role sees on its home page: a fixed number of queries, whatever the number of
houses or rows."""

from collections import defaultdict
from datetime import datetime

from django.db.models import Count, Q
from django.utils import timezone

from msap.desk.models import ServiceRequest
from msap.lib.dates import day_bounds, today_in
from msap.network.models import House, HouseStatus
from msap.network.queries import houses_flags, visible_houses
from msap.partners.models import Partner
from msap.registers.indicators import overdue
from msap.registers.models import RegisterItem

# Up to this many houses the home lists them; beyond, the overseers get counts and a link.
HOME_HOUSE_LIST = 30


def home_context(user, scope, now: datetime | None = None) -> dict:
    houses = visible_houses(user).select_related("commune__departement", "organisation")
    total = houses.count()
    ctx = {"scope": scope, "roles": scope.roles, "house_count": total}
    if total <= HOME_HOUSE_LIST:
        ctx["houses"] = list(houses.order_by("name"))
        managed = [
            house
            for house in ctx["houses"]
            if house.pk in scope.agent_houses or house.organisation_id in scope.organisations
        ]
        ctx["flags"] = {pk: f for pk, f in houses_flags(managed).items() if f} if managed else {}
    if scope.national or scope.departements or scope.admin:
        ctx["by_status"] = houses.aggregate(
            recognised=Count("pk", filter=Q(status=HouseStatus.RECOGNISED)),
            project=Count("pk", filter=Q(status=HouseStatus.PROJECT)),
            closed=Count("pk", filter=Q(status=HouseStatus.CLOSED)),
        )
    if scope.partners:
        ctx["partners"] = list(Partner.objects.filter(pk__in=scope.partners))
    if scope.agent_houses or scope.admin:
        ctx.update(_counter_figures(user, scope, now or timezone.now(), ctx.get("houses")))
    ctx["no_role"] = not scope.has_any_role
    ctx["house_model"] = House
    return ctx


def _today_q(scope, now: datetime, houses: list | None) -> Q:
    """Requests made "today", today being counted in the zone of the house they were made in
    (Guadeloupe's day starts six hours after Paris's); a house the user no longer works in
    counts in the server's zone. `houses`: the houses already read, when they were."""
    if houses is None:
        houses = House.objects.filter(pk__in=scope.agent_houses).select_related("commune")
    zones = defaultdict(list)
    for house in houses:
        if house.pk in scope.agent_houses:
            zones[house.tz].append(house.pk)
    server = timezone.get_current_timezone()
    start, end = day_bounds(today_in(server, now), server)
    q = Q(occurred_at__gte=start, occurred_at__lt=end) & ~Q(house_id__in=scope.agent_houses)
    for tz, pks in zones.items():
        start, end = day_bounds(today_in(tz, now), tz)
        q |= Q(house_id__in=pks, occurred_at__gte=start, occurred_at__lt=end)
    return q


def _counter_figures(user, scope, now: datetime, houses: list | None) -> dict:
    """What an agent checks first thing: today's own requests and the register items to answer."""
    return {
        "today_requests": ServiceRequest.objects.filter(agent=user)
        .filter(_today_q(scope, now, houses))
        .count(),
        "overdue_items": overdue(
            RegisterItem.objects.filter(house_id__in=scope.agent_houses), now
        ).count(),
        "my_open_items": RegisterItem.objects.filter(
            assigned_to=user, status__in=["new", "in_progress"]
        ).count(),
    }
