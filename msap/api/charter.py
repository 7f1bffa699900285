"""The charter over the API (issue 11, item 7): a house's assessment for a year — each
commitment with its status, the reason in words and the links to its evidence.

Allowed, as on the screens (msap.permissions.check_charter), to the house's staff, its
gestionnaire, its département's cell and the national cell; a partner referent of the house
gets 403, anyone who does not see the house 404.
"""

import datetime
from typing import Literal

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema

from msap.api.auth import STAFF_AUTH
from msap.api.params import refuse_fields
from msap.api.schemas import ErrorOut, ValidationErrorOut
from msap.charter import queries
from msap.charter.rules import FIRST_YEAR

router = Router(tags=["charte"])
MAX_ID = 2**63 - 1


class CharterFilters(Schema):
    year: int | None = Field(
        None,
        ge=FIRST_YEAR,
        le=9999,
        description="Année évaluée (l'année en cours par défaut ; jamais une année à venir).",
    )


class EvidenceOut(Schema):
    id: int
    kind: str = Field(description="Type de justificatif (code).")
    label: str
    dated_on: datetime.date
    valid_until: datetime.date
    counts: bool = Field(description="Vrai quand le justificatif compte à la date d'évaluation.")
    url: str = Field(description="Lien de téléchargement (mêmes droits que cette ressource).")


class CommitmentOut(Schema):
    code: str = Field(description="Numéro de l'engagement : 1, 2, 3, 3 bis, 3 ter, 4 … 15.")
    group: int = Field(description="Engagement de service (1 à 5) de l'annexe 4.")
    wording: str
    optional: bool
    status: Literal["met", "partly", "not_met", "not_applicable"]
    status_label: str
    reason: str = Field(description="Pourquoi, en français, avec les chiffres.")
    evidence: list[EvidenceOut]


class CharterOut(Schema):
    house: int
    year: int
    assessed_on: datetime.date
    charter: str
    in_force_from: int
    commitments: list[CommitmentOut]


@router.get(
    "/houses/{id}/charter",
    auth=STAFF_AUTH,
    response={
        200: CharterOut,
        400: ValidationErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        422: ValidationErrorOut,
    },
    summary="Charte de qualité d'une maison : respect des engagements",
    description=(
        "Chaque engagement de la charte (annexe 4) pour l'année : respecté, partiellement, non "
        "respecté ou non applicable, avec la raison et les liens vers ses justificatifs. Réservé "
        "à l'équipe de la maison, à son gestionnaire, à la cellule départementale de son "
        "département et à la cellule nationale (403 pour un référent partenaire)."
    ),
)
def house_charter(
    request, id: int = Path(..., ge=1, le=MAX_ID), filters: Query[CharterFilters] = None
):
    house, _access = queries.get_house_charter_access(request.auth, id)
    this_year = timezone.localdate().year
    year = (filters.year if filters else None) or this_year
    if year > this_year:
        refuse_fields(
            {
                "year": [
                    _("L'année ne peut pas être à venir : %(year)s au plus.") % {"year": this_year}
                ]
            }
        )
    assessment = queries.assess_house(house, year)
    site = settings.SITE_URL
    return {
        "house": house.pk,
        "year": year,
        "assessed_on": assessment.day,
        "charter": assessment.charter.title,
        "in_force_from": assessment.charter.in_force_from,
        "commitments": [
            {
                "code": item.code,
                "group": item.group,
                "wording": item.wording,
                "optional": item.optional,
                "status": item.status,
                "status_label": item.status_label,
                "reason": item.reason,
                "evidence": [
                    {
                        "id": e.pk,
                        "kind": e.kind,
                        "label": e.label,
                        "dated_on": e.dated_on,
                        "valid_until": e.valid_until,
                        "counts": e.counts,
                        "url": site + e.url,
                    }
                    for e in item.evidence
                ],
            }
            for item in assessment.items
        ],
    }
