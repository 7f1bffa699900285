"""The reads of staff and trainings that screens and reports share."""

from django.utils.translation import gettext as _

from msap import permissions
from msap.network.queries import get_house_for_user


def get_training_for_user(user, house_pk, pk, *, need: str = "sees_staff"):
    """A training of the house's staff (with its attestation) and the user's access to the house:
    the house's staff and the overseers see them; its managers remove them ("manage")."""
    house, access = get_house_for_user(user, house_pk, need=need)
    training = permissions.fetch(
        house.trainings.select_related("user"), pk, _("Formation introuvable.")
    )
    return training, access
