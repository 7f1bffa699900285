"""Who works at a house's counter, for the domains that act as one of its agents (the demo builders
of the appointments and the transmissions book and send as the house's first agent)."""

from msap.people.models import Membership, Role


def first_counter_agent(house):
    """The user of the house's oldest current agent or responsable membership, or None."""
    membership = (
        Membership.objects.current()
        .filter(house=house, role__in=[Role.AGENT, Role.RESPONSABLE])
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return membership.user if membership else None
