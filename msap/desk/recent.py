"""The recent requests of a house that a record made from one of them names (an appointment, a
transmission): the choices of the form's `request` field and their labels, defined once."""

from datetime import timedelta

from django import forms
from django.utils import timezone

from msap.desk.models import ServiceRequest


def offer_recent_requests(
    field: forms.ModelChoiceField, house, *, days: int, limit: int = 100
) -> None:
    """Let `field` choose among the house's requests of the last `days` days, the `limit` most
    recent (two indexed queries whatever the house's history), labelled by time and category."""
    since = timezone.now() - timedelta(days=days)
    ids = list(
        ServiceRequest.objects.filter(house=house, occurred_at__gte=since)
        .order_by("-occurred_at")
        .values_list("pk", flat=True)[:limit]
    )
    field.queryset = (
        ServiceRequest.objects.filter(pk__in=ids)
        .select_related("category", "partner")
        .order_by("-occurred_at")
    )
    field.label_from_instance = lambda r: (
        f"{timezone.localtime(r.occurred_at):%d/%m %H:%M} — {r.category}"
        + (f" ({r.partner})" if r.partner_id else "")
    )
