"""What each role sees on its home page."""

from django.db.models import Count, Q
from django.utils import timezone

from msap.desk.models import ServiceRequest
from msap.network.models import House, HouseStatus
from msap.network.queries import house_flags, visible_houses
from msap.partners.models import Partner
from msap.registers.indicators import overdue
from msap.registers.models import RegisterItem


def home_context(user, scope) -> dict:
    houses = visible_houses(user).select_related("commune__departement", "organisation")
    total = houses.count()
    ctx = {"scope": scope, "roles": scope.roles, "house_count": total}
    # A short list for people working in a few houses; the overseers get counts and a link.
    if total <= 30:
        ctx["houses"] = list(houses.order_by("name"))
        flags = {}
        if scope.agent_houses or scope.organisations or scope.admin:
            for house in ctx["houses"]:
                if house.pk in scope.agent_houses or house.organisation_id in scope.organisations:
                    f = house_flags(house)
                    if f:
                        flags[house.pk] = f
        ctx["flags"] = flags
    if scope.national or scope.departements or scope.admin:
        ctx["by_status"] = houses.aggregate(
            recognised=Count("pk", filter=Q(status=HouseStatus.RECOGNISED)),
            project=Count("pk", filter=Q(status=HouseStatus.PROJECT)),
            closed=Count("pk", filter=Q(status=HouseStatus.CLOSED)),
        )
    if scope.partners:
        ctx["partners"] = list(Partner.objects.filter(pk__in=scope.partners))
    if scope.agent_houses or scope.admin:
        ctx.update(_counter_figures(user, scope))
    ctx["no_role"] = not scope.has_any_role
    ctx["house_model"] = House
    return ctx


def _counter_figures(user, scope) -> dict:
    """What an agent checks first thing: today's own requests and the register items to answer."""
    now = timezone.now()
    start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    houses = scope.agent_houses
    return {
        "today_requests": ServiceRequest.objects.filter(agent=user, occurred_at__gte=start).count(),
        "overdue_items": overdue(RegisterItem.objects.filter(house_id__in=houses), now).count(),
        "my_open_items": RegisterItem.objects.filter(
            assigned_to=user, status__in=["new", "in_progress"]
        ).count(),
    }
