"""The reads of houses that screens, the API and reports share, scoped by msap.permissions."""

from collections.abc import Callable

from django.db.models import QuerySet, prefetch_related_objects
from django.utils.translation import gettext as _

from msap import permissions
from msap.network import rules
from msap.network.models import House
from msap.network.rules import Range


def visible_houses(user) -> QuerySet:
    """Every house the user may see, as a queryset (empty for the public)."""
    q = permissions.houses_q(user)
    if q == permissions.NOTHING:
        return House.objects.none()
    houses = House.objects.filter(q)
    # A referent's clause joins the partnerships: one row per house all the same.
    return houses.distinct() if permissions.scope_for(user).partners else houses


def staff_houses(user) -> QuerySet:
    """Houses where the user is staff: they see referents' contacts and record activity."""
    q = permissions.staff_houses_q(user)
    return House.objects.none() if q == permissions.NOTHING else House.objects.filter(q)


def get_house_for_user(user, pk, *, need: str = "view"):
    """The house and the user's access to it; 404 when unseen, 403 when `need` is not allowed."""
    house = permissions.fetch(
        House.objects.select_related("commune__departement", "organisation"),
        pk,
        _("Maison introuvable."),
    )
    access = permissions.house_access(user, house)
    permissions.check_house(access, need)
    return house, access


def current_ranges(house: House) -> list[Range]:
    """The house's weekly schedule as rules.Range values."""
    return [Range(r.weekday, r.start, r.end) for r in house.opening_ranges.all()]


# --- what needs the manager's attention ---------------------------------------------------------

# Domains above network add what they know of houses (partners: a partnership without referent),
# registered once at start-up from their AppConfig.ready. A provider reads a list of houses at
# once and answers {house pk: flags}, so that a page of houses costs the same few queries.
FlagProvider = Callable[[list[House]], dict[int, list[str]]]
FLAG_PROVIDERS: list[FlagProvider] = []


def register_flags(provider: FlagProvider) -> None:
    if provider not in FLAG_PROVIDERS:
        FLAG_PROVIDERS.append(provider)


def houses_flags(houses: list[House]) -> dict[int, list[str]]:
    """What needs each house's manager's attention: the minimum of art. 3.3, the hours of art.
    3.2, then what the other domains flag. Three queries plus one per provider, whatever the
    number of houses."""
    houses = list(houses)
    prefetch_related_objects(houses, "premises", "equipment", "opening_ranges")
    flags: dict[int, list[str]] = {}
    for house in houses:
        found = flags.setdefault(house.pk, [])
        premises = getattr(house, "premises", None)
        kinds = [e.kind for e in house.equipment.all() if e.for_public and e.in_service]
        missing = rules.missing_minimum(premises, kinds)
        if missing:
            found.append(
                "Minimum de l'article 3.3 non atteint : il manque " + ", ".join(missing) + "."
            )
        check = rules.check_schedule(current_ranges(house))
        if not check.ok:
            found.append("Horaires : " + " ".join(check.errors))
    for provider in FLAG_PROVIDERS:
        for pk, more in provider(houses).items():
            flags.setdefault(pk, []).extend(more)
    return flags


def house_flags(house: House) -> list[str]:
    """What needs one house's manager's attention (houses_flags)."""
    return houses_flags([house])[house.pk]


def filter_houses(houses: QuerySet, filters: dict | None) -> QuerySet:
    """The house list's filters (name, département, status, flagged by the import), by name, with what a row shows."""
    data = filters or {}
    if data.get("q"):
        houses = houses.filter(name__icontains=data["q"].strip())
    if data.get("departement"):
        houses = houses.filter(commune__departement_id=data["departement"])
    if data.get("status"):
        houses = houses.filter(status=data["status"])
    if data.get("flagged"):
        houses = houses.exclude(import_flags="")
    return houses.select_related("commune__departement", "organisation").order_by("name", "pk")
