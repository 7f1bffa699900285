"""What each role sees on its home page: a fixed number of queries, whatever the number of
houses or rows."""

from collections import defaultdict
from datetime import datetime

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from msap.desk.models import ServiceRequest
from msap.lib.dates import day_bounds, today_in
from msap.network.models import House, HouseStatus
from msap.network.queries import houses_flags, visible_houses
from msap.partners.models import Partner
from msap.portal.queries import addressed_appointments
from msap.registers.indicators import overdue
from msap.registers.models import RegisterItem
from msap.territory.models import Departement

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
        ctx.update(_network_figures(houses, scope))
    if scope.partners:
        ctx["partners"] = list(Partner.objects.filter(pk__in=scope.partners))
        # What waits for the partner: the portal's list, counted (item 6 of issue 9).
        ctx["to_confirm"] = (
            addressed_appointments(user)
            .filter(status="requested", start__gt=now or timezone.now())
            .count()
        )
    if scope.agent_houses or scope.admin:
        ctx.update(_counter_figures(user, scope, now or timezone.now(), ctx.get("houses")))
    ctx["no_role"] = not scope.has_any_role
    ctx["house_model"] = House
    return ctx


def _network_figures(houses, scope) -> dict:
    """An overseer's houses by status, over the territory it covers, named in words."""
    if scope.national or scope.admin:
        territory, departement = _("France entière"), ""
    else:
        departements = list(Departement.objects.filter(code__in=scope.departements))
        territory = ", ".join(f"{d.name} ({d.code})" for d in departements)
        departement = departements[0].code if len(departements) == 1 else ""
    counts = houses.aggregate(
        **{status: Count("pk", filter=Q(status=status)) for status in HouseStatus.values}
    )
    return {
        "territory": territory,
        "by_status": [
            {"status": status, "label": label, "count": counts[status]}
            for status, label in (
                (HouseStatus.RECOGNISED, _("Maisons reconnues")),
                (HouseStatus.PROJECT, _("Maisons en projet")),
                (HouseStatus.CLOSED, _("Maisons fermées")),
            )
        ],
        "territory_departement": departement,
    }


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
    """What an agent checks first thing: today's requests (their own, and each of their houses'
    whole team's) and the register items to answer."""
    if houses is None:
        houses = House.objects.filter(pk__in=scope.agent_houses).select_related("commune")
    mine = sorted((h for h in houses if h.pk in scope.agent_houses), key=lambda h: h.name)
    today = _today_q(scope, now, mine)
    by_house = dict(
        ServiceRequest.objects.filter(today, house_id__in=scope.agent_houses)
        .values_list("house_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    house_today = [{"house": house, "count": by_house.get(house.pk, 0)} for house in mine]
    return {
        "today_requests": ServiceRequest.objects.filter(agent=user).filter(today).count(),
        "house_today": house_today,
        # The registers' tiles lead to the one house's registers; over several houses the
        # figures are shown without a link (each house's card links to its registers).
        "registers_house": house_today[0]["house"] if len(house_today) == 1 else None,
        "overdue_items": overdue(
            RegisterItem.objects.filter(house_id__in=scope.agent_houses), now
        ).count(),
        "my_open_items": RegisterItem.objects.filter(
            assigned_to=user, status__in=["new", "in_progress"]
        ).count(),
    }
