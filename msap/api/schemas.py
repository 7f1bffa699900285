"""Shapes of the API's answers and query parameters (they are the OpenAPI schema).

The public house schema lists its fields one by one: a field added to a model never reaches the
public by accident. It has no referent field at all (annex 2: a referent's contact details are
never communicated to the public).
"""

import datetime
from typing import Literal

from ninja import Field, Schema

MAX_LIMIT = 500
DEFAULT_LIMIT = 50


class ErrorOut(Schema):
    detail: str = Field(description="Message d'erreur, en français.")


class ValidationErrorOut(ErrorOut):
    errors: dict[str, list[str]] = Field(description="Messages par paramètre invalide.")


class HouseFilters(Schema):
    departement: str | None = Field(
        None,
        pattern=r"^([0-9]{2,3}|2[ABab])$",
        description="Code du département (ex. 19, 2A, 974).",
    )
    status: Literal["project", "recognised", "closed"] | None = Field(
        None, description="Statut : project (en projet), recognised (reconnue), closed (fermée)."
    )
    # No NUL character: PostgreSQL refuses them in a text parameter.
    q: str | None = Field(
        None, max_length=100, pattern=r"^[^\x00]*$", description="Partie du nom de la maison."
    )
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Nombre de maisons par page.")
    offset: int = Field(0, ge=0, description="Rang de la première maison renvoyée.")


class PlaceOut(Schema):
    code: str
    name: str


class OpeningRangeOut(Schema):
    weekday: int = Field(description="Jour de la semaine : 0 = lundi … 6 = dimanche.")
    start: datetime.time
    end: datetime.time


class PartnerOut(Schema):
    short_name: str = Field(description="Sigle du partenaire.")
    name: str
    categories: list[str] = Field(
        description="Codes des catégories de l'offre de référence (annexe 1) délivrées : A, B1, B2, B3, C."
    )


class HouseOut(Schema):
    id: int
    name: str
    slug: str
    kind: str = Field(description="fixed (maison fixe) ou mobile (itinérante).")
    status: str = Field(description="project, recognised ou closed.")
    recognised_on: datetime.date | None
    address: str
    address_extra: str
    postal_code: str
    commune: PlaceOut
    departement: PlaceOut
    latitude: float | None
    longitude: float | None
    phone: str = Field(description="Téléphone d'accueil de la maison (jamais celui d'un référent).")
    email: str = Field(
        description="Adresse électronique de la maison (jamais celle d'un référent)."
    )
    opening_hours: list[OpeningRangeOut]
    partners: list[PartnerOut]
    equipment: list[str] = Field(description="Équipements à la disposition du public.")


class HouseListOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[HouseOut]


class ReferentOut(Schema):
    partner: str = Field(description="Sigle du partenaire.")
    first_name: str
    last_name: str
    function: str
    phone: str
    email: str
    postal_address: str
    domains: str
    started_on: datetime.date
