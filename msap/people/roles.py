"""The roles snapshot on the user row (User.roles): what msap.permissions reads on every request.

The snapshot is a list of [role, house_id, organisation_id, partner_id, departement_id], one per
current membership. Any save or delete of a membership sets it back to NULL and bumps
roles_version, in the same transaction; the next request computes it again and writes it only
over the version it read, so a snapshot computed while a membership was changing is never
stored. Bulk writes of memberships, which send no signal, call `invalidate` themselves.
"""

from django.db.models import F
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from msap.people.models import Membership, User


def invalidate(user_ids) -> None:
    User.objects.filter(pk__in=list(user_ids)).update(
        roles=None, roles_version=F("roles_version") + 1
    )


def current_roles(user) -> list[list]:
    """The user's current memberships, from the snapshot or computed (User.current_roles)."""
    return user.current_roles()


@receiver(post_save, sender=Membership, dispatch_uid="people.roles.saved")
@receiver(post_delete, sender=Membership, dispatch_uid="people.roles.deleted")
def membership_changed(sender, instance, **kwargs) -> None:
    invalidate([instance.user_id])
    if Membership.user.is_cached(instance):  # the caller's copy of the user follows
        user = instance.user
        user.roles = None
        user.roles_version += 1
        user.__dict__.pop("_msap_scope", None)
