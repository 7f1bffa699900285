"""Appointments with partners over the API (issue 9, item 9): list, book (with an
Idempotency-Key), read and move an appointment; search free slots across houses.

Scoped like the screens: an appointment carries the person's name and contact, so the list and
the detail are for the agents of its house (the counter); the others get 403 or 404. The free
slots carry no personal data (an adviser's name is printed on every preparation sheet): anyone
signed in searches the houses of the directory (`houses_for`), so an agent finds a slot in a
neighbouring house of the département for a person who lives nearer to it. Every change goes through msap.appointments.services.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Status

from msap import permissions
from msap.api.auth import STAFF_AUTH
from msap.api.houses import houses_for
from msap.api.params import (
    check_period,
    idempotency_conflict,
    idempotency_key_header,
    list_page,
    status_link,
)
from msap.api.schemas import (
    MAX_DB_ID,
    AppointmentFilters,
    AppointmentIn,
    AppointmentListOut,
    AppointmentOut,
    AppointmentStatusIn,
    ErrorOut,
    SlotFilters,
    SlotListOut,
    ValidationErrorOut,
)
from msap.appointments import queries, rules, services
from msap.appointments.models import Appointment
from msap.core import rules as core_rules
from msap.core.errors import DomainError, IdempotencyConflict, StaleVersion
from msap.desk.models import ServiceRequest
from msap.network.queries import get_house_for_user
from msap.partners.models import Partner

router = Router(tags=["rendez-vous"])

RELATED = ("appointment_type__partnership__partner", "adviser")


def _type_ref(kind) -> dict:
    return {
        "id": kind.pk,
        "subject": kind.subject,
        "location_type": kind.location_type,
        "duration_minutes": kind.duration_minutes,
    }


def _adviser_ref(adviser) -> dict:
    return {"id": adviser.pk, "name": adviser.full_name}


def appointment_payload(appointment: Appointment) -> dict:
    return {
        "id": appointment.pk,
        "house": appointment.house_id,
        "partner": appointment.appointment_type.partnership.partner.code,
        "appointment_type": _type_ref(appointment.appointment_type),
        "adviser": _adviser_ref(appointment.adviser),
        "start": appointment.start,
        "end": appointment.end,
        "status": appointment.status,
        "available_statuses": sorted(appointment.available_statuses()),
        "revoked_reason": appointment.revoked_reason,
        "person": {
            "name": appointment.person_name,
            "email": appointment.person_email,
            "phone": appointment.person_phone,
        },
        "request": appointment.request_id,
        "version": appointment.version,
        "created_at": appointment.created_at,
    }


def _detail(pk: int) -> dict:
    return appointment_payload(Appointment.objects.select_related(*RELATED).get(pk=pk))


def _refuse(field: str, message: str):
    raise DomainError(message, {field: [message]})


ERRORS = {400: ValidationErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut}


@router.get(
    "/appointments",
    auth=STAFF_AUTH,
    response={200: AppointmentListOut, **ERRORS, 422: ValidationErrorOut},
    summary="Rendez-vous avec les partenaires",
    description=(
        "Rendez-vous des maisons où l'appelant est agent ou responsable, par date de début. Ils "
        "portent le nom et les coordonnées de la personne : la préfecture, la cellule nationale "
        "et les référents partenaires reçoivent 403."
    ),
)
def list_appointments(request, filters: Query[AppointmentFilters]):
    user = request.auth
    if filters.house is not None:
        house, _access = get_house_for_user(user, filters.house, need="counter")
        appointments = Appointment.objects.filter(house=house)
    else:
        if not permissions.scope_for(user).agent_houses:
            raise PermissionDenied(
                _("Les rendez-vous ne sont accessibles qu'aux agents de la maison.")
            )
        appointments = queries.counter_appointments(user)
    check_period(filters.date_from, filters.date_to)
    tz = timezone.get_current_timezone()
    if filters.date_from:
        start = datetime.datetime.combine(filters.date_from, datetime.time.min, tz)
        appointments = appointments.filter(start__gte=start)
    if filters.date_to:
        end = filters.date_to + datetime.timedelta(days=1)
        appointments = appointments.filter(
            start__lt=datetime.datetime.combine(end, datetime.time.min, tz)
        )
    if filters.status:
        appointments = appointments.filter(status=filters.status)
    return list_page(
        appointments.order_by("start", "pk").select_related(*RELATED),
        filters,
        lambda page: [appointment_payload(a) for a in page],
    )


@router.post(
    "/appointments",
    auth=STAFF_AUTH,
    response={200: AppointmentOut, 201: AppointmentOut, **ERRORS, 422: ValidationErrorOut},
    summary="Prendre un rendez-vous pour une personne",
    openapi_extra=status_link("msap_api_appointments_change_status", "appointment_id", "confirmed"),
    description=(
        "Réserve un créneau libre (voir `/slots`) pour une personne, par un agent de la maison "
        "(le tiers qui réserve). Avec l'en-tête `Idempotency-Key`, le même envoi répété renvoie "
        "le rendez-vous déjà pris (200) au lieu d'en prendre un second (201) ; la même clé avec "
        "un autre contenu est refusée (422). Un créneau passé, pris, hors des créneaux ouverts, "
        "un jour férié ou hors des horaires de la maison est refusé (400), sans rien enregistrer."
    ),
)
def create_appointment(
    request,
    body: AppointmentIn,
    idempotency_key: str | None = idempotency_key_header("cette réservation"),
):
    user = request.auth
    house, _access = get_house_for_user(user, body.house, need="counter")
    kind = next((t for t in queries.bookable_types(house) if t.pk == body.appointment_type), None)
    if kind is None:
        _refuse(
            "appointment_type", _("Ce type de rendez-vous n'est pas proposé dans cette maison.")
        )
    adviser = kind.partnership.advisers.filter(pk=body.adviser, active=True).first()
    if adviser is None:
        _refuse("adviser", _("Ce conseiller ne reçoit pas pour ce type de rendez-vous."))
    start = body.start
    if timezone.is_naive(start):  # the house's own clock
        start = start.replace(tzinfo=house.tz)
    # Checked before any arithmetic on it (the calendar's edges).
    if problem := core_rules.day_error(start.date()):
        _refuse("start", problem)
    linked = None
    if body.request is not None:
        linked = ServiceRequest.objects.filter(pk=body.request, house=house).first()
        if linked is None:
            _refuse("request", _("Cette demande n'a pas été enregistrée dans cette maison."))
    try:
        appointment, created = services.book_or_replay(
            user,
            house,
            appointment_type=kind,
            adviser=adviser,
            start=start,
            person_name=body.person_name,
            person_email=body.person_email,
            person_phone=body.person_phone,
            request=linked,
            idempotency_key=idempotency_key or "",
        )
    except IdempotencyConflict as exc:
        return idempotency_conflict(exc.message)
    return Status(201 if created else 200, _detail(appointment.pk))


@router.get(
    "/appointments/{appointment_id}",
    auth=STAFF_AUTH,
    response={200: AppointmentOut, **ERRORS, 422: ValidationErrorOut},
    summary="Un rendez-vous",
    description="Réservé aux agents de sa maison (403 pour les autres qui voient la maison).",
)
def get_appointment(request, appointment_id: int = Path(..., ge=1, le=MAX_DB_ID)):
    appointment, _access = queries.get_appointment_for_user(request.auth, appointment_id)
    return _detail(appointment.pk)


@router.post(
    "/appointments/{appointment_id}/status",
    auth=STAFF_AUTH,
    response={200: AppointmentOut, **ERRORS, 409: ErrorOut, 422: ValidationErrorOut},
    summary="Changer le statut d'un rendez-vous",
    description=(
        "Demandé → confirmé par le partenaire → honoré ou absence de la personne (une fois "
        "commencé) ; annulé par la personne (excused) ou par le partenaire (revoked, motif "
        "obligatoire). `version` est celle que l'appelant a lue : si le rendez-vous a été "
        "modifié depuis, la demande est refusée (409) sans rien changer. Un passage que le "
        "statut n'autorise pas est refusé (400)."
    ),
)
def change_status(
    request, body: AppointmentStatusIn, appointment_id: int = Path(..., ge=1, le=MAX_DB_ID)
):
    appointment, _access = queries.get_appointment_for_user(request.auth, appointment_id)
    try:
        services.change_status(
            request.auth, appointment, body.to, reason=body.reason, version=body.version
        )
    except StaleVersion as exc:
        return Status(409, {"detail": exc.message})
    return _detail(appointment.pk)


@router.get(
    "/slots",
    auth=STAFF_AUTH,
    response={200: SlotListOut, **ERRORS, 422: ValidationErrorOut},
    summary="Créneaux libres d'un partenaire",
    description=(
        "Les prochains créneaux libres d'un partenaire dans une maison (`house`) ou dans toutes "
        "les maisons de l'annuaire d'un département (`departement`), à partir d'un jour, "
        "les plus proches d'abord : le conseiller est libre et, à la maison, le bureau de "
        "permanence ou l'équipement de visioconférence aussi ; jamais un jour férié ni hors "
        "des horaires de la maison pour un rendez-vous à la maison. La recherche porte sur "
        f"{rules.SLOT_SEARCH_DAYS} jours."
    ),
)
def search_slots(request, filters: Query[SlotFilters]):
    user = request.auth
    if (filters.house is None) == (filters.departement is None):
        _refuse(
            "house", _("Indiquez une maison (house) ou un département (departement), pas les deux.")
        )
    # The houses of the directory (an opening slot carries no personal data).
    houses = houses_for(user)
    if filters.house is not None:
        houses = houses.filter(pk=filters.house)
        if not houses.exists():
            raise Http404(_("Maison introuvable."))
    else:
        houses = houses.filter(commune__departement_id=filters.departement.upper())
    houses = houses.values("pk")
    partner = Partner.objects.filter(code=filters.partner.strip().lower()).first()
    if partner is None:
        _refuse("partner", _("Partenaire inconnu : « %(code)s ».") % {"code": filters.partner})
    now = timezone.now()
    if filters.date_from is not None:
        if problem := core_rules.day_error(filters.date_from):
            _refuse("date_from", problem)
        if filters.date_from > timezone.localdate(now) + datetime.timedelta(
            days=rules.BOOKING_HORIZON_DAYS
        ):
            _refuse("date_from", _("Un rendez-vous se prend au plus un an à l'avance."))
        from_day = datetime.datetime.combine(
            filters.date_from, datetime.time.min, timezone.get_current_timezone()
        )
        now = max(now, from_day)
    types = queries.searchable_types(
        houses,
        partner,
        type_id=filters.appointment_type,
        location_type=filters.location_type,
    )
    found = queries.next_free_slots(types, now=now, count=filters.count)
    return {
        "searched_until": timezone.localdate(now)
        + datetime.timedelta(days=rules.SLOT_SEARCH_DAYS - 1),
        "items": [
            {
                "house": kind.partnership.house_id,
                "appointment_type": _type_ref(kind),
                "adviser": _adviser_ref(slot.adviser),
                "start": slot.start,
                "end": slot.end,
            }
            for kind, slot in found
        ],
    }
