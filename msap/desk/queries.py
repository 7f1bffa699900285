"""The reads of the attendance tool that screens, the API and reports share."""

from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from msap import permissions
from msap.desk import rules
from msap.desk.models import Procedure, ServiceRequest
from msap.lib.dates import day_bounds, today_in
from msap.network.queries import staff_houses
from msap.partners.models import (
    Partner,
    PartnerKind,
    Partnership,
    PartnershipStatus,
    ServiceCategory,
    ServiceItem,
)

REQUEST_RELATED = ("partner", "category", "item", "procedure", "commune")


def visible_requests(user) -> QuerySet:
    """Requests a user may read: their houses' for staff and the département's for the
    prefecture (permissions.houses_q); for a referent, those concerning its partner in the
    houses where it is an active partner; all for the national cell and admins."""
    scope = permissions.scope_for(user)
    if scope.admin or scope.national:
        return ServiceRequest.objects.all()
    q = permissions.staff_houses_q(user, "house__")
    if scope.departements:
        q |= Q(house__commune__departement_id__in=scope.departements)
    other_partners = ServiceRequest.other_partners.through
    for partner_id in sorted(scope.partners):
        houses = Partnership.objects.active().filter(partner_id=partner_id).values("house_id")
        mentioned = other_partners.objects.filter(partner_id=partner_id).values("servicerequest_id")
        q |= Q(house_id__in=houses) & (Q(partner_id=partner_id) | Q(pk__in=mentioned))
    if q == permissions.NOTHING:
        return ServiceRequest.objects.none()
    return ServiceRequest.objects.filter(q)


def get_request_for_user(user, pk, *, need: str = "author"):
    """A request and the user's access to it: 404 when its house is unseen, 403 when `need` is
    not allowed ("author": only who recorded it corrects it, and only within the edit window),
    as for every record of a house (msap.permissions)."""
    obj, access = permissions.fetch_record(
        user, ServiceRequest, pk, _("Demande introuvable."), REQUEST_RELATED
    )
    permissions.check_request(access, need)
    if need == "author" and not rules.can_still_edit(obj, user, timezone.now()):
        raise PermissionDenied(rules.edit_window_passed_message())
    return obj, access


# --- the counter's screens ------------------------------------------------------------------------

FAVOURITES = 6
FAVOURITES_DAYS = 30


def staff_houses_by_name(user) -> QuerySet:
    """The houses where the user records activity, by name, with what their time zone needs."""
    return staff_houses(user).select_related("commune__departement").order_by("name")


def last_request(user) -> dict | None:
    """The agent's most recent entry: their usual house, partner and category."""
    return (
        ServiceRequest.objects.filter(agent=user)
        .order_by("-occurred_at", "-id")
        .values("house_id", "partner_id", "category_id")
        .first()
    )


def usual_house(user, last: dict | None = None):
    """The house of the agent's most recent request if they still record there, else their
    first by name; None when they record nowhere."""
    houses = staff_houses_by_name(user)
    if last is not None:
        house = houses.filter(pk=last["house_id"]).first()
        if house is not None:
            return house
    return houses.first()


def favourites(user, now: datetime | None = None) -> list[dict]:
    """The agent's most frequent (partner, category, procedure) over the last 30 days: one query."""
    since = (now or timezone.now()) - timedelta(days=FAVOURITES_DAYS)
    rows = (
        ServiceRequest.objects.filter(agent=user, occurred_at__gte=since)
        .values(
            "partner_id",
            "category_id",
            "procedure_id",
            "partner__short_name",
            "category__code",
            "category__label",
            "procedure__label",
        )
        .annotate(n=Count("id"))
        .order_by("-n", "partner__short_name", "category__code", "procedure__label")[:FAVOURITES]
    )
    out = []
    for row in rows:
        out.append(
            {
                "value": f"{row['partner_id'] or ''}:{row['category_id']}:{row['procedure_id'] or ''}",
                "label": favourite_label(
                    row["partner__short_name"], row["category__label"], row["procedure__label"]
                ),
                "count": row["n"],
            }
        )
    return out


def favourite_label(partner: str | None, category: str, procedure: str | None) -> str:
    """A favourite in words (issue 15: "Sans partenaire · B2" named nothing): the partner, the
    annex 1 category's label in the reader's language, then the procedure if there is one."""
    category = gettext(category)  # annex 1's labels are msgids (partners/rules.py)
    if partner:
        label = _("%(partner)s — %(category)s") % {"partner": partner, "category": category}
    else:
        label = _("%(category)s, sans partenaire") % {"category": category}
    if procedure:
        label = _("%(favourite)s — %(procedure)s") % {"favourite": label, "procedure": procedure}
    return label


def partner_groups(house) -> list[tuple[str, list]]:
    """The house's partners first, then the other national operators (one query)."""
    in_house = Partnership.objects.filter(
        house=house, partner=OuterRef("pk"), status=PartnershipStatus.ACTIVE
    )
    partners = (
        Partner.objects.annotate(in_house=Exists(in_house))
        .filter(Q(in_house=True) | Q(kind=PartnerKind.NATIONAL))
        .order_by("short_name")
    )
    mine, others = [], []
    for partner in partners:
        (mine if partner.in_house else others).append(partner)
    groups = [(_("Partenaires de la maison"), mine), (_("Autres opérateurs nationaux"), others)]
    return [g for g in groups if g[1]]


def categories() -> list:
    return list(ServiceCategory.objects.all())


def service_items() -> list:
    return list(ServiceItem.objects.select_related("category"))


def procedures_of(partner_id: int | None, query: str = "") -> list:
    """The active procedures offered for a partner (and those of no partner), at most 100."""
    qs = Procedure.objects.filter(active=True).select_related("category")
    if partner_id:
        qs = qs.filter(Q(partner_id=partner_id) | Q(partner__isnull=True))
    else:
        qs = qs.filter(partner__isnull=True)
    if query:
        qs = qs.filter(label__icontains=query)
    return list(qs.order_by("label")[:100])


def saved_request(user, pk: int):
    """The request the agent has just saved, shown back to them (None when not theirs)."""
    return (
        ServiceRequest.objects.filter(pk=pk, agent=user)
        .select_related("partner", "category", "procedure")
        .first()
    )


def count_of_day(user, house, now: datetime | None = None) -> int:
    """How many requests the agent recorded today, "today" in the house's time zone."""
    start, end = day_bounds(today_in(house.tz, now), house.tz)
    return ServiceRequest.objects.filter(
        agent=user, occurred_at__gte=start, occurred_at__lt=end
    ).count()


def requests_of_day(user, day: date, tz) -> list:
    """The agent's requests of a local day in the houses where they are still staff."""
    start, end = day_bounds(day, tz)
    return list(
        ServiceRequest.objects.filter(
            agent=user,
            occurred_at__gte=start,
            occurred_at__lt=end,
            house__in=staff_houses(user),
        )
        .select_related("house", "partner", "category", "procedure")
        .order_by("-occurred_at", "-id")
    )


def procedure_groups() -> list[tuple[str, list]]:
    """Every procedure of the controlled list, grouped by partner (one query)."""
    groups: dict = {}
    for procedure in Procedure.objects.select_related("partner", "category").order_by(
        "partner__short_name", "label"
    ):
        name = (
            procedure.partner.short_name
            if procedure.partner_id
            else _("Toutes démarches (sans partenaire)")
        )
        groups.setdefault(name, []).append(procedure)
    return list(groups.items())
