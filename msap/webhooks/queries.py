"""The reads of webhook endpoints that the partner portal shares: a partner's referents see
their organisation's endpoints and delivery log, nobody else's."""

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from msap import permissions
from msap.webhooks import rules
from msap.webhooks.models import Attempt, Delivery, Endpoint

# The delivery log shows this many deliveries, newest first.
LOG_SIZE = 50


def partner_endpoints(user):
    """The endpoints of the user's partner organisations (issue 9, item 7)."""
    scope = permissions.scope_for(user)
    return Endpoint.objects.filter(partner_id__in=scope.partners).select_related("partner")


def get_endpoint_for_user(user, pk) -> Endpoint:
    """One of the user's organisations' endpoints: 403 for who is not a referent, 404 for an
    endpoint of another partner (its existence undisclosed)."""
    permissions.require_referent(user)
    return permissions.fetch(partner_endpoints(user), pk, _("Adresse de webhook introuvable."))


def get_delivery(endpoint: Endpoint, pk) -> Delivery:
    return permissions.fetch(
        endpoint.deliveries.select_related("event"), pk, _("Livraison introuvable.")
    )


def delivery_log(endpoint: Endpoint) -> list[Delivery]:
    """The endpoint's last deliveries with their event and attempts: three queries."""
    return list(
        endpoint.deliveries.select_related("event")
        .prefetch_related(Prefetch("log", queryset=Attempt.objects.order_by("-at")))
        .order_by("-pk")[:LOG_SIZE]
    )


def event_choices():
    return rules.EventType.choices
