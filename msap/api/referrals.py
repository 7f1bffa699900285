"""Transmissions (saisines) over the API (issue 9 §9): `/referrals`, scoped like the screens.

An agent of a house sees and sends its house's transmissions; a referent sees those addressed
to its organisation in the houses where it is a partner, and moves them along (taken in charge,
information requested, resolved, redirected, refused); nobody else sees any. Everything goes
through transmissions.services and queries, like the screens. Attachments travel through the
screens only (multipart), never in this JSON API.
"""

import datetime
from typing import Literal

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status

from msap.api.auth import STAFF_AUTH
from msap.api.params import (
    idempotency_conflict,
    idempotency_key_header,
    link,
    links_from,
    list_page,
)
from msap.api.schemas import (
    MAX_LIMIT,
    MAX_OFFSET,
    ErrorOut,
    ValidationErrorOut,
    version_field,
)
from msap.core.errors import DomainError, IdempotencyConflict, StaleVersion
from msap.lib.forms import MAX_DB_ID
from msap.network.queries import get_house_for_user
from msap.partners.models import Partnership, Referent
from msap.transmissions import queries, rules, services
from msap.transmissions.models import (
    Transmission,
    TransmissionStatus,
)

router = Router(tags=["saisines"])

_TEXT = r"^[^\x00]*$"
StatusCode = Literal[
    "sent", "taken", "info_requested", "answered", "resolved", "redirected", "refused", "expired"
]
MoveCode = Literal["taken", "info_requested", "answered", "resolved", "redirected", "refused"]
CategoryCode = Literal["identity", "contact", "reference", "situation", "documents"]
ReasonCode = Literal["not_competent", "incomplete", "duplicate", "unreachable", "other"]


class ConsentIn(Schema):
    categories: list[CategoryCode] = Field(
        ..., max_length=5, description="Données que la personne accepte de partager."
    )
    until: datetime.date = Field(..., description="Date de fin du consentement (un an au plus).")


class ReferralIn(Schema):
    house: int = Field(..., ge=1, le=MAX_DB_ID, description="Maison qui transmet.")
    partner: str = Field(..., max_length=40, pattern=_TEXT, description="Code du partenaire saisi.")
    referent: int | None = Field(None, ge=1, le=MAX_DB_ID, description="Référent destinataire.")
    request: int | None = Field(None, ge=1, le=MAX_DB_ID, description="Demande à l'origine.")
    subject: str = Field(..., max_length=200, pattern=_TEXT, description="Objet.")
    question: str = Field(
        ..., max_length=rules.QUESTION_MAX_LENGTH, pattern=_TEXT, description="Question posée."
    )
    urgency: Literal["normal", "urgent"] = "normal"
    person_name: str = Field("", max_length=200, pattern=_TEXT)
    person_contact: str = Field("", max_length=200, pattern=_TEXT)
    person_reference: str = Field("", max_length=60, pattern=_TEXT)
    consent: ConsentIn | None = Field(
        None,
        description=(
            "Obligatoire dès qu'une donnée personnelle est transmise (nom, contact, numéro de "
            "dossier) : ce que la personne accepte de partager, et jusqu'à quand."
        ),
    )


class MoveIn(Schema):
    to: MoveCode = Field(..., description="Nouveau statut.")
    version: int = version_field(
        "Version de la saisine lue par l'appelant : si elle a changé depuis, la demande est "
        "refusée (409) sans rien changer."
    )
    text: str = Field(
        "",
        max_length=rules.MESSAGE_MAX_LENGTH,
        pattern=_TEXT,
        description=(
            "Question (info_requested), réponse de la maison (answered), réponse apportée "
            "(resolved) : obligatoire ; précision du refus ou de la réorientation."
        ),
    )
    redirected_to: str | None = Field(
        None, max_length=40, pattern=_TEXT, description="Code du partenaire (redirected)."
    )
    refusal_reason: ReasonCode | None = Field(None, description="Motif du refus (refused).")


class StepOut(Schema):
    status: StatusCode
    at: datetime.datetime
    text: str


class AttachmentOut(Schema):
    id: int
    name: str
    kind: str
    size: int


class ReferralOut(Schema):
    id: int
    house: int
    partner: str = Field(description="Code du partenaire saisi.")
    referent: str | None = Field(description="Nom du référent destinataire.")
    request: int | None
    status: StatusCode
    urgency: Literal["normal", "urgent"]
    subject: str
    question: str
    sent_at: datetime.datetime
    taken_at: datetime.datetime | None
    closed_at: datetime.datetime | None
    take_due_on: datetime.date
    resolve_due_on: datetime.date
    service_level: Literal["on_time", "due_soon", "late"] | None = Field(
        description="État du délai en cours (aucun une fois close ou en attente de la maison)."
    )
    person_name: str
    person_contact: str
    person_reference: str
    consent_categories: list[str]
    consent_until: datetime.date | None
    redirected_to: str | None
    refusal_reason: ReasonCode | None
    version: int
    steps: list[StepOut]
    attachments: list[AttachmentOut]


class ReferralListOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[ReferralOut]


class ReferralFilters(Schema):
    house: int | None = Field(None, ge=1, le=MAX_DB_ID, description="Une maison.")
    status: StatusCode | None = None
    partner: str | None = Field(None, max_length=40, pattern=_TEXT, description="Code partenaire.")
    late: bool | None = Field(None, description="Seulement les saisines en retard.")
    limit: int = Field(50, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


def payload(t: Transmission, now) -> dict:
    deadline = queries.deadline(t, now)
    return {
        "id": t.pk,
        "house": t.house_id,
        "partner": t.partnership.partner.code,
        "referent": t.referent.full_name if t.referent_id else None,
        "request": t.request_id,
        "status": t.status,
        "urgency": t.urgency,
        "subject": t.subject,
        "question": t.question,
        "sent_at": t.sent_at,
        "taken_at": t.taken_at,
        "closed_at": t.closed_at,
        "take_due_on": t.take_due_on,
        "resolve_due_on": t.resolve_due_on,
        "service_level": deadline.state if deadline else None,
        "person_name": t.person_name,
        "person_contact": t.person_contact,
        "person_reference": t.person_reference,
        "consent_categories": t.consent_categories,
        "consent_until": t.consent_until,
        "redirected_to": t.redirected_to.partner.code if t.redirected_to_id else None,
        "refusal_reason": t.refusal_reason or None,
        "version": t.version,
        "steps": [{"status": s.status, "at": s.at, "text": s.text} for s in t.steps.all()],
        "attachments": [
            {"id": a.pk, "name": a.original_name, "kind": a.kind, "size": a.size}
            for a in t.attachments.all()
        ],
    }


def _with_details(queryset):
    return queryset.select_related(*queries.RELATED).prefetch_related("steps", "attachments")


def _partnership(house, code: str | None, field: str):
    found = (
        Partnership.objects.active()
        .filter(house=house, partner__code=(code or "").strip().lower())
        .select_related("partner")
        .first()
    )
    if found is None:
        message = _("Ce partenaire n'est pas partenaire de la maison.")
        raise DomainError(message, {field: [message]})
    return found


ERRORS = {
    400: ValidationErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    422: ValidationErrorOut,
}
LINKS = links_from(
    201,
    GetReferral=link("msap_api_referrals_get_referral", {"referral_id": "$response.body#/id"}),
)


@router.post(
    "/referrals",
    auth=STAFF_AUTH,
    response={200: ReferralOut, 201: ReferralOut, **ERRORS},
    summary="Transmettre une saisine",
    openapi_extra=LINKS,
    description=(
        "Transmet un dossier ou une situation complexe à un partenaire de la maison (annexe 1 C), "
        "réservé aux agents de la maison. Une donnée personnelle sans le consentement de la "
        "personne, un partenaire qui ne l'est pas de la maison ou un référent qui n'est pas le "
        "sien sont refusés (400), sans rien enregistrer. Avec l'en-tête `Idempotency-Key`, un "
        "nouvel envoi identique renvoie la saisine déjà transmise (200) ; la même clé avec un "
        "autre contenu est refusée (422)."
    ),
)
def create_referral(
    request,
    body: ReferralIn,
    idempotency_key: str | None = idempotency_key_header("cette saisine"),
):
    user = request.auth
    house, _access = get_house_for_user(user, body.house, need="counter")
    partnership = _partnership(house, body.partner, "partner")
    referent = request_obj = None
    if body.referent is not None:
        referent = Referent.objects.filter(pk=body.referent).first()
        if referent is None:
            message = _("Ce référent n'est pas un référent actuel de ce partenaire.")
            raise DomainError(message, {"referent": [message]})
    if body.request is not None:
        request_obj = house.requests.filter(pk=body.request).first()
        if request_obj is None:
            message = _("Cette demande n'a pas été enregistrée dans cette maison.")
            raise DomainError(message, {"request": [message]})
    key = (idempotency_key or "").strip()
    try:
        transmission, created = services.send(
            user,
            house,
            partnership=partnership,
            referent=referent,
            request=request_obj,
            subject=body.subject,
            question=body.question,
            urgency=body.urgency,
            person_name=body.person_name,
            person_contact=body.person_contact,
            person_reference=body.person_reference,
            consent=body.consent is not None,
            consent_categories=body.consent.categories if body.consent else (),
            consent_until=body.consent.until if body.consent else None,
            idempotency_key=key,
        )
    except IdempotencyConflict as exc:
        message = _(
            "La clé d'idempotence « %(key)s » a déjà servi pour la saisine n° %(pk)s, avec "
            "d'autres valeurs : rien n'a été transmis. Utilisez une nouvelle clé pour une "
            "nouvelle saisine."
        ) % {"key": key, "pk": exc.existing.pk}
        return idempotency_conflict(message)
    transmission = _with_details(Transmission.objects.filter(pk=transmission.pk)).get()
    return Status(201 if created else 200, payload(transmission, timezone.now()))


@router.get(
    "/referrals",
    auth=STAFF_AUTH,
    response={200: ReferralListOut, **ERRORS},
    summary="Saisines",
    description=(
        "Saisines du périmètre de l'appelant, les plus récentes d'abord : un agent voit celles "
        "de ses maisons ; un référent, celles adressées à son organisme dans les maisons où il "
        "est partenaire. Les autres rôles n'en voient aucune (la préfecture et la cellule "
        "nationale n'en consultent que les indicateurs)."
    ),
)
def list_referrals(request, filters: Query[ReferralFilters]):
    user = request.auth
    now = timezone.now()
    referrals = queries.visible_transmissions(user)
    if filters.house is not None:
        house, _access = get_house_for_user(user, filters.house)  # 404 when unseen
        referrals = referrals.filter(house=house)
    if filters.status:
        referrals = referrals.filter(status=filters.status)
    if filters.partner:
        referrals = referrals.filter(partnership__partner__code=filters.partner.strip().lower())
    if filters.late is not None:
        # The network's day: an overseas house's limit may differ by hours.
        late = queries.late_q(timezone.localdate(now))
        referrals = referrals.filter(late) if filters.late else referrals.exclude(late)
    return list_page(
        _with_details(referrals.order_by("-sent_at", "-pk")),
        filters,
        lambda page: [payload(t, now) for t in page],
    )


@router.get(
    "/referrals/{referral_id}",
    auth=STAFF_AUTH,
    response={200: ReferralOut, **ERRORS},
    summary="Une saisine",
    description="Une saisine avec son historique ; 404 hors du périmètre de l'appelant.",
)
def get_referral(request, referral_id: int = Path(..., ge=1, le=MAX_DB_ID)):
    transmission, _access = queries.get_transmission_for_user(request.auth, referral_id)
    transmission = _with_details(Transmission.objects.filter(pk=transmission.pk)).get()
    return payload(transmission, timezone.now())


@router.post(
    "/referrals/{referral_id}/status",
    auth=STAFF_AUTH,
    response={200: ReferralOut, **ERRORS, 409: ErrorOut},
    summary="Faire évoluer une saisine",
    description=(
        "Le partenaire : transmise → prise en charge (taken) → informations demandées "
        "(info_requested) → résolue (resolved), réorientée vers un autre partenaire de la "
        "maison (redirected, `redirected_to`) ou refusée (refused, `refusal_reason` ; `text` "
        "obligatoire pour other). La maison répond aux demandes d'informations (answered). "
        "Une action de l'autre côté est refusée (403) ; `version` périmée : 409, rien changé."
    ),
)
def change_referral_status(request, body: MoveIn, referral_id: int = Path(..., ge=1, le=MAX_DB_ID)):
    user = request.auth
    side = "house" if body.to == TransmissionStatus.ANSWERED else "partner"
    transmission, _access = queries.get_transmission_for_user(user, referral_id, need=side)
    version = body.version
    try:
        if body.to == TransmissionStatus.TAKEN:
            services.take_in_charge(user, transmission, version=version)
        elif body.to == TransmissionStatus.INFO_REQUESTED:
            services.request_information(user, transmission, body.text, version=version)
        elif body.to == TransmissionStatus.ANSWERED:
            services.answer(user, transmission, body.text, version=version)
        elif body.to == TransmissionStatus.RESOLVED:
            services.resolve(user, transmission, body.text, version=version)
        elif body.to == TransmissionStatus.REDIRECTED:
            target = _partnership(transmission.house, body.redirected_to, "redirected_to")
            services.redirect(user, transmission, target, body.text, version=version)
        else:
            services.refuse(
                user, transmission, body.refusal_reason or "", body.text, version=version
            )
    except StaleVersion as exc:
        return Status(409, {"detail": exc.message})
    transmission = _with_details(Transmission.objects.filter(pk=transmission.pk)).get()
    return payload(transmission, timezone.now())
