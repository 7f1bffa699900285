"""Shapes of the API's answers and query parameters (they are the OpenAPI schema).

The public house schema lists its fields one by one: a field added to a model never reaches the
public by accident. It has no referent field at all (annex 2: a referent's contact details are
never communicated to the public).
"""

import datetime
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import StrictInt

from msap.desk import rules as desk_rules

MAX_LIMIT = 500
DEFAULT_LIMIT = 50
# Every integer parameter is bounded: beyond 64 bits an offset overflows the database's LIMIT.
MAX_OFFSET = 10_000_000


def version_field(description: str):
    """The `version` a change carries: the record's version as the caller read it (a stale one
    is refused with 409), within the column's range."""
    return Field(..., ge=1, le=2**31 - 1, description=description)


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
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Rang de la première maison renvoyée.")


class PlaceOut(Schema):
    code: str
    name: str


# A wall-clock time of the house, as sent ("09:00:00"): not a JSON Schema "time", which is an
# RFC 3339 time with an offset (the house's zone is its département's).
WALL_TIME = Field(
    pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$",
    description="Heure locale de la maison, HH:MM:SS, sans fuseau.",
)


class OpeningRangeOut(Schema):
    weekday: int = Field(description="Jour de la semaine : 0 = lundi … 6 = dimanche.")
    start: str = WALL_TIME
    end: str = WALL_TIME


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


# --- attendance requests (issue 3, part 5) ---------------------------------------------------------
# Fields are given by code, never by internal id (except the house and a procedure): the codes
# are stable across instances and readable in a partner's logs.

MAX_REQUEST_LIMIT = 1000
MAX_DB_ID = 2**63 - 1
NeedCode = Literal["disability", "illiteracy", "language", "social", "crisis"]
ChannelCode = Literal["counter", "phone", "email", "mail", "video", "mobile", "outside"]
OutcomeCode = Literal["answered", "oriented", "appointment", "transmitted", "complex", "follow_up"]
AutonomyCode = Literal["alone", "with_help", "done_for", ""]
AgeBandCode = Literal["u26", "26_39", "40_59", "60_74", "75p", ""]
_CODE = r"^[^\x00]*$"  # PostgreSQL refuses NUL characters in text
PartnerCode = Annotated[str, Field(max_length=40, pattern=_CODE)]
ProcedureLabel = Annotated[str, Field(max_length=200, pattern=_CODE)]


class RequestIn(Schema):
    house: int = Field(..., ge=1, le=MAX_DB_ID, description="Identifiant de la maison.")
    occurred_at: datetime.datetime | None = Field(
        None,
        description=(
            "Date et heure ISO 8601 ; par défaut maintenant. Sans fuseau, l'heure est celle de "
            "la maison. Jamais dans le futur."
        ),
    )
    channel: ChannelCode = Field(
        "counter",
        description=(
            "counter (accueil physique), phone, email (courriel), mail (courrier postal), "
            "video, mobile (étape itinérante), outside (déplacement extérieur)."
        ),
    )
    partner: str | None = Field(
        None, max_length=40, pattern=_CODE, description="Code du partenaire concerné (ex. caf)."
    )
    other_partners: list[PartnerCode] = Field(
        default_factory=list, max_length=20, description="Codes des autres partenaires concernés."
    )
    category: str = Field(
        ..., max_length=3, pattern=_CODE, description="Catégorie de l'annexe 1 : A, B1, B2, B3, C."
    )
    item: str | None = Field(
        None, max_length=8, pattern=_CODE, description="Prestation de l'annexe 1 (ex. B1.3)."
    )
    procedure: StrictInt | ProcedureLabel | None = Field(
        None,
        description="Démarche : son identifiant, ou son intitulé exact pour ce partenaire.",
    )
    duration_minutes: int = Field(
        10,
        description=f"Durée en minutes, de {desk_rules.MIN_DURATION_MINUTES} "
        f"à {desk_rules.MAX_DURATION_MINUTES}.",
    )
    outcome: OutcomeCode = Field(
        "answered",
        description="answered, oriented, appointment, transmitted, complex, follow_up.",
    )
    autonomy: AutonomyCode | None = Field(
        None, description="Autonomie numérique : alone, with_help, done_for."
    )
    group_size: int = Field(
        1,
        description=f"Nombre de personnes (séance collective), 1 à {desk_rules.MAX_GROUP_SIZE}.",
    )
    needs: list[NeedCode] = Field(
        default_factory=list,
        description="Besoins d'accueil adapté (comptés, jamais rattachés à une personne).",
    )
    age_band: AgeBandCode | None = Field(
        None, description="Tranche d'âge : u26, 26_39, 40_59, 60_74, 75p."
    )
    commune: str | None = Field(
        None,
        pattern=r"^([0-9]{5}|2[ABab][0-9]{3})$",
        description="Code INSEE de la commune de résidence (pas le code postal).",
    )
    first_visit: bool | None = Field(None, description="Première visite dans la maison.")
    notes: str = Field(
        "",
        pattern=_CODE,
        description="Notes libres : aucune donnée personnelle (l'enregistrement est anonyme).",
    )


class ProcedureOut(Schema):
    id: int
    label: str


class RequestOut(Schema):
    id: int
    house: int
    occurred_at: datetime.datetime
    channel: str
    partner: str | None = Field(description="Code du partenaire concerné.")
    other_partners: list[str]
    category: str
    item: str | None
    procedure: ProcedureOut | None
    duration_minutes: int
    outcome: str
    autonomy: str | None
    group_size: int
    needs: list[str]
    age_band: str | None
    commune: str | None = Field(description="Code INSEE de la commune de résidence.")
    first_visit: bool | None
    notes: str | None = Field(
        description="Réservées aux agents de la maison : null pour les autres lecteurs."
    )
    has_dossier: bool = Field(
        description="La demande est rattachée à un dossier usager (jamais son identité)."
    )
    created_at: datetime.datetime


class RequestListOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[RequestOut]


class RequestFilters(Schema):
    house: int | None = Field(None, ge=1, le=MAX_DB_ID, description="Identifiant de la maison.")
    date_from: datetime.date | None = Field(None, description="Depuis ce jour inclus (AAAA-MM-JJ).")
    date_to: datetime.date | None = Field(None, description="Jusqu'à ce jour inclus (AAAA-MM-JJ).")
    partner: str | None = Field(
        None, max_length=40, pattern=_CODE, description="Code du partenaire concerné (ex. caf)."
    )
    category: str | None = Field(
        None, max_length=3, pattern=_CODE, description="Catégorie : A, B1, B2, B3, C."
    )
    channel: ChannelCode | None = Field(None, description="Canal (voir POST).")
    limit: int = Field(
        DEFAULT_LIMIT, ge=1, le=MAX_REQUEST_LIMIT, description="Nombre de demandes par page."
    )
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Rang de la première demande.")


# --- register items (issue 4, part 8) ----------------------------------------------------------------
# The registers hold what is needed to answer a sender: they are for the house's staff only.

RegisterKindCode = Literal["mail_in", "mail_out", "email", "phone", "complaint", "suggestion"]
RegisterChannelCode = Literal["post", "email", "phone", "counter", "register", "web"]
RegisterStatusCode = Literal["new", "in_progress", "answered", "redirected", "exempt", "closed"]
ExemptReasonCode = Literal["insulting", "whimsical", "commercial", "automatic", "no_address"]
PhoneOutcomeCode = Literal["answered", "voicemail", "missed", "out_of_hours"]
_TEXT = r"^[^\x00]*$"


class RegisterItemIn(Schema):
    house: int = Field(..., ge=1, le=MAX_DB_ID, description="Identifiant de la maison.")
    kind: RegisterKindCode = Field(
        ...,
        description=(
            "Registre : mail_in (courrier arrivé), mail_out (courrier départ), email (courriel), "
            "phone (appel), complaint (réclamation), suggestion (remarque ou suggestion)."
        ),
    )
    received_at: datetime.datetime | None = Field(
        None,
        description=(
            "Date et heure de réception ISO 8601 ; par défaut maintenant. Sans fuseau, l'heure "
            "est celle de la maison. Jamais dans le futur."
        ),
    )
    channel: RegisterChannelCode | None = Field(
        None,
        description=(
            "post, email, phone, counter (accueil), register (registre papier), web (formulaire "
            "du site) ; par défaut celui du registre (courrier : post, courriel : email, appel : "
            "phone, sinon counter)."
        ),
    )
    sender_name: str = Field("", max_length=200, pattern=_TEXT, description="Expéditeur.")
    sender_address: str = Field(
        "",
        max_length=300,
        pattern=_TEXT,
        description=(
            "Adresse postale de l'expéditeur. Une réclamation sans adresse postale est "
            "enregistrée sans délai d'un mois (engagement 14)."
        ),
    )
    sender_email: str = Field("", max_length=254, pattern=_TEXT, description="Courriel.")
    sender_phone: str = Field("", max_length=30, pattern=_TEXT, description="Téléphone.")
    subject: str = Field(..., max_length=300, pattern=_TEXT, description="Objet.")
    body: str = Field(
        "",
        max_length=20_000,
        pattern=_TEXT,
        description="Contenu ou résumé (sans plus que nécessaire).",
    )
    partner: str | None = Field(
        None, max_length=40, pattern=_CODE, description="Code du partenaire concerné (ex. caf)."
    )
    phone_outcome: PhoneOutcomeCode | None = Field(
        None,
        description=(
            "Appels seulement (obligatoire) : answered (décroché en moins de 5 sonneries), "
            "voicemail (message, rappel sous une semaine), missed, out_of_hours."
        ),
    )


class RegisterStatusIn(Schema):
    to: RegisterStatusCode = Field(..., description="Nouveau statut.")
    version: int = version_field(
        "Version de l'élément lue par l'appelant : si quelqu'un l'a modifié depuis, la "
        "demande est refusée (409) au lieu d'écraser sa modification."
    )
    answered_at: datetime.datetime | None = Field(
        None,
        description=(
            "Date de la réponse (answered, redirected, exempt) ; par défaut maintenant. Sans "
            "fuseau, l'heure est celle de la maison. Ni avant la réception, ni dans le futur."
        ),
    )
    answer_text: str = Field("", max_length=20_000, pattern=_TEXT, description="Réponse donnée.")
    exempt_reason: ExemptReasonCode | None = Field(
        None,
        description=(
            "Obligatoire pour exempt (charte, engagements 11 et 12) : insulting, whimsical, "
            "commercial, automatic, no_address."
        ),
    )
    exempt_note: str = Field("", max_length=300, pattern=_TEXT, description="Précision.")


class SenderOut(Schema):
    name: str
    address: str
    email: str
    phone: str


class RegisterItemOut(Schema):
    id: int
    house: int
    kind: str
    number: int = Field(description="Numéro d'ordre dans le registre de la maison.")
    received_at: datetime.datetime
    channel: str
    sender: SenderOut
    subject: str
    body: str
    partner: str | None = Field(description="Code du partenaire concerné.")
    assigned_to: int | None = Field(description="Identifiant de l'agent chargé.")
    phone_outcome: str | None
    status: str
    exempt_reason: str | None
    exempt_note: str
    due_rule: str | None = Field(description="Règle de délai de la charte qui a fixé l'échéance.")
    due_at: datetime.datetime | None = Field(description="Échéance de la réponse.")
    due_overridden: bool = Field(description="L'échéance a été modifiée à la main (motif tracé).")
    answered_at: datetime.datetime | None
    answer_text: str
    on_time: bool | None = Field(
        description="Réponse dans le délai (null sans délai ou sans réponse)."
    )
    overdue: bool = Field(description="Ouvert et échéance dépassée, à l'instant de la réponse.")
    version: int
    created_at: datetime.datetime


class RegisterItemListOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[RegisterItemOut]


class RegisterItemFilters(Schema):
    house: int | None = Field(None, ge=1, le=MAX_DB_ID, description="Identifiant de la maison.")
    kind: RegisterKindCode | None = Field(None, description="Registre (voir POST).")
    status: RegisterStatusCode | None = Field(None, description="Statut.")
    overdue: bool | None = Field(
        None,
        description=(
            "true : seulement les éléments ouverts dont l'échéance est dépassée, les plus "
            "anciennes échéances d'abord ; false : tous les autres."
        ),
    )
    date_from: datetime.date | None = Field(
        None,
        description=(
            "Reçus depuis ce jour inclus (AAAA-MM-JJ), à l'heure de la maison de chaque "
            "élément (outre-mer compris)."
        ),
    )
    date_to: datetime.date | None = Field(
        None, description="Reçus jusqu'à ce jour inclus (AAAA-MM-JJ), même convention."
    )
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Nombre d'éléments par page.")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Rang du premier élément renvoyé.")


# --- appointments with partners (issue 9, item 9) -------------------------------------------------

AppointmentStatusCode = Literal["requested", "confirmed", "seen", "no_show", "excused", "revoked"]
LocationTypeCode = Literal["partner_office", "phone", "video", "permanence"]
APPOINTMENT_STATUSES = (
    "requested (demandé), confirmed (confirmé par le partenaire), seen (honoré), no_show "
    "(absence de la personne), excused (annulé par la personne), revoked (annulé par le "
    "partenaire, motif obligatoire)"
)
MAX_SLOT_COUNT = 50


class AppointmentTypeRefOut(Schema):
    id: int
    subject: str
    location_type: LocationTypeCode
    duration_minutes: int


class AdviserRefOut(Schema):
    id: int
    name: str = Field(description="Prénom et nom du conseiller (imprimés sur la fiche).")


class PersonOut(Schema):
    name: str = Field(description="Vide une fois les données de la personne purgées.")
    email: str
    phone: str


class AppointmentOut(Schema):
    id: int
    house: int
    partner: str = Field(description="Code du partenaire (ex. caf).")
    appointment_type: AppointmentTypeRefOut
    adviser: AdviserRefOut
    start: datetime.datetime
    end: datetime.datetime
    status: AppointmentStatusCode = Field(description=APPOINTMENT_STATUSES)
    available_statuses: list[AppointmentStatusCode] = Field(
        description="Les statuts vers lesquels le rendez-vous peut passer."
    )
    revoked_reason: str
    person: PersonOut
    request: int | None = Field(description="Demande de l'outil de fréquentation à l'origine.")
    version: int
    created_at: datetime.datetime


class AppointmentListOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[AppointmentOut]


class AppointmentFilters(Schema):
    house: int | None = Field(None, ge=1, le=MAX_DB_ID, description="Identifiant de la maison.")
    status: AppointmentStatusCode | None = Field(None, description="Statut.")
    date_from: datetime.date | None = Field(
        None, description="Commençant depuis ce jour inclus (AAAA-MM-JJ), à l'heure de Paris."
    )
    date_to: datetime.date | None = Field(
        None, description="Commençant jusqu'à ce jour inclus (AAAA-MM-JJ), à l'heure de Paris."
    )
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Nombre par page.")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Rang du premier renvoyé.")


class AppointmentIn(Schema):
    house: int = Field(..., ge=1, le=MAX_DB_ID, description="Identifiant de la maison.")
    appointment_type: int = Field(
        ..., ge=1, le=MAX_DB_ID, description="Identifiant du type de rendez-vous (voir /slots)."
    )
    adviser: int = Field(..., ge=1, le=MAX_DB_ID, description="Identifiant du conseiller.")
    start: datetime.datetime = Field(
        ...,
        description=(
            "Début d'un créneau libre (voir /slots). Sans fuseau, l'heure est celle de la maison."
        ),
    )
    person_name: str = Field(
        ..., min_length=1, max_length=200, pattern=_TEXT, description="Nom de la personne."
    )
    person_email: str = Field("", max_length=254, pattern=_TEXT, description="Son courriel.")
    person_phone: str = Field(
        "",
        max_length=30,
        pattern=_TEXT,
        description="Son téléphone (obligatoire par téléphone ; un mobile reçoit les SMS).",
    )
    request: int | None = Field(
        None, ge=1, le=MAX_DB_ID, description="Demande de la maison à l'origine du rendez-vous."
    )


class AppointmentStatusIn(Schema):
    to: AppointmentStatusCode = Field(..., description=f"Nouveau statut : {APPOINTMENT_STATUSES}.")
    version: int = version_field(
        "Version du rendez-vous lue par l'appelant : si quelqu'un l'a modifié depuis, la "
        "demande est refusée (409) au lieu d'écraser sa modification."
    )
    reason: str = Field(
        "", max_length=300, pattern=_TEXT, description="Motif, obligatoire pour revoked."
    )


class SlotFilters(Schema):
    partner: str = Field(
        ..., min_length=1, max_length=40, pattern=_CODE, description="Code du partenaire (caf)."
    )
    appointment_type: int | None = Field(
        None, ge=1, le=MAX_DB_ID, description="Un seul type de rendez-vous."
    )
    location_type: LocationTypeCode | None = Field(None, description="Lieu du rendez-vous.")
    house: int | None = Field(None, ge=1, le=MAX_DB_ID, description="Une maison…")
    departement: str | None = Field(
        None,
        pattern=r"^([0-9]{2,3}|2[ABab])$",
        description="… ou toutes les maisons d'un département (ex. 19, 2A, 974).",
    )
    date_from: datetime.date | None = Field(
        None, description="À partir de ce jour (AAAA-MM-JJ) ; par défaut maintenant."
    )
    count: int = Field(10, ge=1, le=MAX_SLOT_COUNT, description="Nombre de créneaux renvoyés.")


class SlotOut(Schema):
    house: int
    appointment_type: AppointmentTypeRefOut
    adviser: AdviserRefOut
    start: datetime.datetime
    end: datetime.datetime


class SlotListOut(Schema):
    searched_until: datetime.date = Field(description="Dernier jour examiné.")
    items: list[SlotOut]
