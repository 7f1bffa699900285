"""The reads of staff and trainings that screens and reports share."""

from django.utils.translation import gettext as _

from msap import permissions
from msap.network.queries import get_house_for_user
from msap.people.services import HOUSE_ROLES


def get_training_for_user(user, house_pk, pk, *, need: str = "sees_staff"):
    """A training of the house's staff (with its attestation) and the user's access to the house:
    the house's staff and the overseers see them; its managers remove them ("manage")."""
    house, access = get_house_for_user(user, house_pk, need=need)
    training = permissions.fetch(
        house.trainings.select_related("user"), pk, _("Formation introuvable.")
    )
    return training, access


def team(house) -> tuple[list, list]:
    """The house's memberships of its own roles, by name, and its trainings (two queries)."""
    memberships = list(
        house.memberships.filter(role__in=HOUSE_ROLES)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "-started_on")
    )
    trainings = list(
        house.trainings.select_related("user", "partner").order_by("user_id", "-started_on")
    )
    return memberships, trainings
