"""/houses/{id}/convention: a house's filled framework convention and its four annexes (issue
11, part 7), as DOCX (editable, for signature) or PDF.

For the house's staff only (agents, responsable, gestionnaire): the document carries every
partner referent's direct contact (annex 2, never the public nor the overseers) and the
signatories' management terms (annex 3). While the data leaves a blank of the seed, nothing is
generated: 409, with the list of what is missing and the screen where each is filled.
"""

from typing import Literal

from django.http import HttpResponse
from ninja import Field, Path, Query, Router, Schema, Status

from msap.api.auth import STAFF_AUTH
from msap.api.schemas import ErrorOut, ValidationErrorOut
from msap.conventions import document, queries
from msap.lib.dates import today_in

router = Router(tags=["convention"])

MAX_ID = 2**63 - 1
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


class ConventionQuery(Schema):
    format: Literal["docx", "pdf"] = Field(
        "pdf", description="docx : document modifiable, à signer ; pdf : pour lecture."
    )


class BlankOut(Schema):
    label: str = Field(description="L'information qui manque, en français.")
    url: str = Field(description="L'écran où la renseigner.")


class MissingDataOut(ErrorOut):
    blanks: list[BlankOut] = Field(description="Ce qui manque pour remplir la convention.")


@router.get(
    "/houses/{id}/convention",
    auth=STAFF_AUTH,
    response={
        200: bytes,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: MissingDataOut,
        422: ValidationErrorOut,
    },
    summary="Convention-cadre remplie d'une maison (DOCX ou PDF)",
    description=(
        "La convention-cadre et ses quatre annexes, remplies avec les données de la maison. "
        "Réservé à l'équipe de la maison (annexe 2 : coordonnées des référents). 403 pour les "
        "cellules départementale et nationale et les référents partenaires ; 404 pour une maison "
        "hors de son périmètre ; 409 tant qu'une information manque (liste `blanks`, avec "
        "l'écran où la renseigner) : rien n'est généré."
    ),
    openapi_extra={
        "responses": {
            200: {
                "description": "Le document.",
                "content": {
                    ctype: {"schema": {"type": "string", "format": "binary"}}
                    for ctype in CONTENT_TYPES.values()
                },
            }
        }
    },
)
def get_convention(request, filters: Query[ConventionQuery], id: int = Path(..., ge=1, le=MAX_ID)):
    house, convention, _access = queries.get_house_convention_for_user(
        request.auth, id, need="staff"
    )
    today = today_in(house.tz)
    try:
        content, content_type, name = document.generate(
            house, convention, filters.format, year=today.year, today=today
        )
    except document.MissingData as exc:
        return Status(
            409,
            {
                "detail": exc.message,
                "blanks": [{"label": b.label, "url": b.url} for b in exc.blanks],
            },
        )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
