"""/donnees/: the list of houses as open data, no account needed (charter commitment 1: the list
of houses and their hours published online)."""

from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.views.decorators.http import require_safe

from msap.opendata import services

# Clients and proxies may reuse a copy for 5 minutes, then revalidate it with its ETag.
MAX_AGE = 300


def export_response(request, export: services.Export, filename: str) -> HttpResponse:
    """The export, or 304 when the client's copy (If-None-Match) is still the current one."""
    conditional = get_conditional_response(request, etag=export.etag)
    response = conditional or HttpResponse(export.body, content_type=export.content_type)
    response["ETag"] = export.etag
    if conditional is None:
        response["Content-Disposition"] = f'inline; filename="{filename}"'
        response["Access-Control-Allow-Origin"] = "*"
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response


@require_safe
def houses_csv(request):
    return export_response(request, services.houses_csv(), "maisons.csv")


@require_safe
def houses_json(request):
    return export_response(request, services.houses_json(), "maisons.json")


@require_safe
def houses_schema(request):
    return export_response(request, services.schema_json(), "maisons.schema.json")
