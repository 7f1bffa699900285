"""The reads of partnerships and referents that screens, the API and other domains share."""

from django.db.models import Exists, OuterRef, Prefetch
from django.utils.translation import gettext as _

from msap import permissions
from msap.network.queries import get_house_for_user
from msap.partners.models import Partnership, Referent, ServiceItem


def current_referents():
    """Referents in post (annex 2)."""
    return Referent.objects.filter(ended_on__isnull=True)


def partnerships_without_referent(house):
    """Active partnerships of `house` with no referent in post: flagged to the manager (annex 2)."""
    has_current = Exists(current_referents().filter(partnership=OuterRef("pk")))
    return house.partnerships.active().select_related("partner").filter(~has_current)


def referent_flags(houses) -> dict[int, list[str]]:
    """What each house's manager must see about its partners (network.queries.houses_flags):
    one query for all the houses."""
    has_current = Exists(current_referents().filter(partnership=OuterRef("pk")))
    unstaffed = (
        Partnership.objects.active()
        .filter(house__in=[h.pk for h in houses])
        .filter(~has_current)
        .select_related("partner")
    )
    flags: dict[int, list[str]] = {}
    for p in unstaffed:
        flags.setdefault(p.house_id, []).append(
            f"{p.partner.short_name} n'a pas de référent en poste (annexe 2)."
        )
    return flags


def get_referent_for_user(user, house_pk, pk, *, need: str = "view"):
    """A referent card of the house and what the user may do with it: 404 when the house or the
    card is unseen, 403 when `need` ("edit") is not allowed."""
    house, house_access = get_house_for_user(user, house_pk)
    referent = permissions.fetch(
        Referent.objects.select_related("partnership__partner", "partnership__house").filter(
            partnership__house=house
        ),
        pk,
        _("Référent introuvable."),
    )
    referent.partnership.house = house  # the instance loaded with what the house's pages show
    access = permissions.referent_access(house_access, referent.partnership.partner_id)
    permissions.check_referent(access, need)
    return referent, access


def with_details(partnerships):
    """Partnerships with their partner, annex 1 items and referents, in a fixed number of queries."""
    return partnerships.select_related("partner").prefetch_related(
        Prefetch("services", queryset=ServiceItem.objects.select_related("category")),
        Prefetch("referents", queryset=Referent.objects.order_by("-started_on", "last_name")),
    )
