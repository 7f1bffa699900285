"""/opendata/houses.csv|.json: the open data of /donnees/ through the API, no token needed."""

from ninja import Router, Schema

from msap.network.sites import COLUMNS
from msap.opendata import services
from msap.opendata.views import export_response

router = Router(tags=["données ouvertes"])

SiteRowOut = type(
    "SiteRowOut",
    (Schema,),
    {"__annotations__": dict.fromkeys(COLUMNS, str)},
)
SiteRowOut.__doc__ = "Un site, dans la disposition de la liste nationale (valeurs texte)."

_NOT_MODIFIED = {"description": "La copie du client (If-None-Match) est toujours à jour."}
_DESCRIPTION = (
    "Les maisons reconnues, une ligne par site, dans la disposition de la liste nationale des "
    "sites France Services ; schéma Table Schema : /donnees/maisons.schema.json. Sans "
    "authentification. Jamais les coordonnées d'un référent ni d'un agent : l'adresse "
    "électronique et le téléphone publics de la maison seulement. En-têtes ETag et "
    "Cache-Control (max-age 300)."
)


@router.get(
    "/opendata/houses.csv",
    auth=None,
    response={200: str, 304: None},
    summary="Liste des maisons (CSV)",
    description=_DESCRIPTION,
    openapi_extra={
        "responses": {
            200: {
                "description": "CSV UTF-8, une ligne d'en-tête puis une ligne par maison.",
                "content": {"text/csv": {"schema": {"type": "string"}}},
            },
            304: _NOT_MODIFIED,
        }
    },
)
def houses_csv(request):
    return export_response(request, services.houses_csv(), "maisons.csv")


@router.get(
    "/opendata/houses.json",
    auth=None,
    response={200: list[SiteRowOut], 304: None},
    summary="Liste des maisons (JSON)",
    description=_DESCRIPTION,
    openapi_extra={"responses": {304: _NOT_MODIFIED}},
)
def houses_json(request):
    return export_response(request, services.houses_json(), "maisons.json")
