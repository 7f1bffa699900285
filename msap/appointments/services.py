"""Appointment intents: book one for a person, move it along its statuses, purge what the
appointment no longer needs. Each owns its transaction, its checks (DomainError in French,
nothing saved) and its journal entry. Sending the preparation sheet and the reminder is not done
here: appointments/reminders.py derives what to send from the state these functions leave."""

import secrets
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from msap.appointments import queries, rules
from msap.appointments.models import (
    LIVE,
    Adviser,
    Appointment,
    AppointmentStatus,
    AppointmentType,
    CalendarFeed,
    LocationType,
)
from msap.core import journal
from msap.core.errors import DomainError, IdempotencyConflict, StaleVersion
from msap.network.models import Equipment, Premises
from msap.webhooks import services as webhooks

SLOT = "slot"


def event_payload(appointment: Appointment) -> dict:
    """What a partner's system receives about its appointment (issue 9 §7): when, where, what,
    with which adviser, and its status. Not the person's name or contact: the partner reads
    them on its own screens, the webhook's body travels to a third-party server."""
    kind = appointment.appointment_type
    payload = {
        "id": appointment.pk,
        "status": appointment.status,
        "house": {"id": appointment.house_id, "name": appointment.house.name},
        "appointment_type": {
            "id": kind.pk,
            "subject": kind.subject,
            "location_type": kind.location_type,
        },
        "adviser": {"id": appointment.adviser_id, "name": appointment.adviser.full_name},
        "start": appointment.start.isoformat(),
        "end": appointment.end.isoformat(),
        "version": appointment.version,
    }
    if appointment.status == AppointmentStatus.REVOKED:
        payload["revoked_reason"] = appointment.revoked_reason
    return payload


def _emit(appointment: Appointment) -> None:
    """The webhook event of the appointment's new status, in the change's transaction."""
    webhooks.emit(
        f"appointment.{appointment.status}",
        appointment.appointment_type.partnership.partner,
        event_payload(appointment),
    )


def _refuse(message: str, field: str = SLOT):
    raise DomainError(message, {field: [message]})


def check_slot(appointment_type: AppointmentType, adviser: Adviser, start: datetime, now):
    """Refuse, in French, a start the type's offer does not have: in the past, on a public
    holiday, the house closed or outside its hours (in the house), the adviser absent, or not
    one of the adviser's opening slots."""
    if start <= now:
        _refuse(_("Ce créneau est passé : choisissez un rendez-vous à venir."))
    if start > now + timedelta(days=rules.BOOKING_HORIZON_DAYS):
        _refuse(_("Un rendez-vous se prend au plus un an à l'avance."))
    if adviser.partnership_id != appointment_type.partnership_id or not adviser.active:
        _refuse(_("Ce conseiller ne reçoit pas pour ce type de rendez-vous."))
    offer = queries.Offer(appointment_type)
    day = start.astimezone(offer.tz).date()
    closed = offer.closed_reason(day)
    if closed:
        _refuse(_("Aucun rendez-vous ce jour-là : %(why)s.") % {"why": closed})
    end = start + timedelta(minutes=appointment_type.duration_minutes)
    if offer.calendar and not rules.within(start, end, offer.calendar.openings_on(day)):
        _refuse(
            _(
                "Ce créneau est en dehors des horaires d'ouverture de la maison : une permanence "
                "ou une visioconférence s'y tient pendant ses heures d'ouverture."
            )
        )
    if (adviser.pk, day) in offer.absences:
        _refuse(_("Le conseiller est absent ce jour-là."))
    if not any(s.adviser.pk == adviser.pk and s.start == start for s in offer.slots_on(day)):
        _refuse(_("Ce créneau ne fait pas partie des créneaux ouverts par le partenaire."))


def _check_person(appointment_type, person_name: str, person_email: str, person_phone: str):
    if not person_name.strip():
        _refuse(_("Indiquez le nom de la personne."), "person_name")
    if person_email:
        try:
            validate_email(person_email)
        except ValidationError:
            _refuse(
                _("Saisissez une adresse électronique valide, par exemple nom@exemple.fr."),
                "person_email",
            )
    if appointment_type.location_type == LocationType.PHONE and not person_phone.strip():
        _refuse(_("Un rendez-vous par téléphone demande le numéro de la personne."), "person_phone")


def _overlapping(queryset, start, end):
    return queryset.filter(LIVE, start__lt=end, end__gt=start)


def _lock_resource(appointment_type, house, start, end):
    """Lock and return (office, equipment) the appointment books, or refuse when taken.

    Locks are taken in a fixed order (adviser, then office, then equipment by id) so that two
    bookings never wait on each other."""
    kind = appointment_type.location_type
    if kind == LocationType.PERMANENCE:
        office = (
            Premises.objects.select_for_update().filter(house=house, permanence_office=True).first()
        )
        if office is None:
            _refuse(_("La maison n'a pas de bureau de permanence équipé pour les partenaires."))
        if _overlapping(Appointment.objects.filter(office=office), start, end).exists():
            _refuse(_("Le bureau de permanence est déjà réservé sur ce créneau."))
        return office, None
    if kind == LocationType.VIDEO:
        videos = list(
            Equipment.objects.select_for_update()
            .filter(pk__in=queries.video_equipment(house).values("pk"))
            .order_by("pk")
        )
        if not videos:
            _refuse(_("La maison n'a pas d'équipement de visioconférence en service."))
        busy = set(
            _overlapping(Appointment.objects.filter(equipment__in=videos), start, end).values_list(
                "equipment_id", flat=True
            )
        )
        for equipment in videos:
            if equipment.pk not in busy:
                return None, equipment
        _refuse(_("L'équipement de visioconférence est déjà réservé sur ce créneau."))
    return None, None


def book(actor, house, **booking) -> Appointment:
    """Book an appointment for a person, by an agent of the house (the third party booking):
    `book_or_replay`'s arguments, without the key."""
    return book_or_replay(actor, house, **booking)[0]


def _replay(actor, idempotency_key: str, given: dict) -> Appointment | None:
    """The appointment already booked with this key, when the same booking is sent again; a
    reused key with another booking is refused (nothing saved)."""
    if not idempotency_key:
        return None
    existing = Appointment.objects.filter(booked_by=actor, idempotency_key=idempotency_key).first()
    if existing is None:
        return None
    if any(getattr(existing, field) != value for field, value in given.items()):
        raise IdempotencyConflict(
            _(
                "La clé d'idempotence « %(key)s » a déjà servi pour le rendez-vous n° %(pk)s, "
                "avec d'autres valeurs : rien n'a été enregistré."
            )
            % {"key": idempotency_key, "pk": existing.pk},
            existing,
        )
    return existing


def book_or_replay(
    actor,
    house,
    *,
    appointment_type: AppointmentType,
    adviser: Adviser,
    start: datetime,
    person_name: str,
    person_email: str = "",
    person_phone: str = "",
    request=None,
    idempotency_key: str = "",
    now: datetime | None = None,
) -> tuple[Appointment, bool]:
    """`book`, with a client's idempotency key (the API's Idempotency-Key): the same booking
    sent again returns the first one. Returns (appointment, created)."""
    now = now or timezone.now()
    idempotency_key = (idempotency_key or "").strip()[:64]
    given = {
        "house_id": house.pk,
        "appointment_type_id": appointment_type.pk,
        "adviser_id": adviser.pk,
        "start": start,
        "person_name": person_name.strip(),
        "person_email": person_email.strip(),
        "person_phone": person_phone.strip(),
        "request_id": request.pk if request is not None else None,
    }
    existing = _replay(actor, idempotency_key, given)
    if existing is not None:
        return existing, False
    if (
        appointment_type.partnership.house_id != house.pk
        or appointment_type.partnership.status != "active"
        or not appointment_type.active
    ):
        _refuse(
            _("Ce type de rendez-vous n'est pas proposé dans cette maison."), "appointment_type"
        )
    if request is not None and request.house_id != house.pk:
        _refuse(_("Cette demande n'a pas été enregistrée dans cette maison."), "request")
    _check_person(appointment_type, person_name, person_email, person_phone)
    check_slot(appointment_type, adviser, start, now)
    end = start + timedelta(minutes=appointment_type.duration_minutes)
    try:
        with transaction.atomic():
            # The adviser's row is the lock every booking of this adviser waits on.
            Adviser.objects.select_for_update().filter(pk=adviser.pk).values_list("pk").get()
            if _overlapping(Appointment.objects.filter(adviser=adviser), start, end).exists():
                _refuse(
                    _(
                        "Le conseiller a déjà un rendez-vous sur ce créneau : choisissez-en un autre."
                    )
                )
            office, equipment = _lock_resource(appointment_type, house, start, end)
            appointment = Appointment.objects.create(
                house=house,
                appointment_type=appointment_type,
                adviser=adviser,
                start=start,
                end=end,
                office=office,
                equipment=equipment,
                request=request,
                booked_by=actor,
                person_name=person_name.strip(),
                person_email=person_email.strip(),
                person_phone=person_phone.strip(),
                idempotency_key=idempotency_key,
                status_changed_at=now,
            )
            journal.record(
                actor,
                "appointment.book",
                appointment,
                # The subject is the partner's own text: the history names the partner only.
                summary=gettext_noop("Rendez-vous %(partner)s réservé le %(start)s"),
                params={
                    "partner": appointment_type.partnership.partner.short_name,
                    "start": start,
                },
            )
            _emit(appointment)
    except IntegrityError:
        # The same key sent twice at once: the first one stands.
        existing = _replay(actor, idempotency_key, given)
        if existing is not None:
            return existing, False
        # Another booking of the same start committed between our check and our insert.
        _refuse(
            _("Ce créneau vient d'être réservé par quelqu'un d'autre : choisissez-en un autre.")
        )
    return appointment, True


def change_status(
    actor,
    appointment: Appointment,
    new: str,
    *,
    reason: str = "",
    version: int | None = None,
    now: datetime | None = None,
) -> Appointment:
    """Move the appointment to `new`: confirmed by the partner, then seen or missed; excused
    (the person cancels) or revoked (the partner cancels, with its reason)."""
    now = now or timezone.now()
    reason = reason.strip()
    if new == AppointmentStatus.REVOKED and not reason:
        _refuse(_("Indiquez le motif de l'annulation par le partenaire."), "reason")
    with transaction.atomic():
        locked = (
            # Only the appointment's row is locked; the rest is read for the webhook's payload.
            Appointment.objects.select_for_update(of=("self",))
            .select_related("house", "adviser", "appointment_type__partnership__partner")
            .get(pk=appointment.pk)
        )
        if version is not None and locked.version != version:
            raise StaleVersion()
        before = locked.set_status(new)
        locked.status_changed_at = now
        locked.version += 1
        fields = ["status", "status_changed_at", "version"]
        if new == AppointmentStatus.REVOKED:
            locked.revoked_reason = reason[:300]
            fields.append("revoked_reason")
        locked.save(update_fields=fields)
        journal.record(
            actor,
            "appointment.status",
            locked,
            summary=gettext_noop("Rendez-vous : %(status)s"),
            params={"status": AppointmentStatus(new).label},
            changes={"status": [before, new]},
        )
        _emit(locked)
    return locked


def purge_personal_data(
    *, now: datetime | None = None, dry_run: bool = False, progress=None
) -> int:
    """Blank the person's name and contact of appointments ended over PERSONAL_DATA_DAYS ago.

    Idempotent and safe to run twice at once: it derives what to do from the rows (purged_at
    empty, end before the cutoff) and claims each batch with a conditional UPDATE."""
    now = now or timezone.now()
    todo = Appointment.objects.filter(
        purged_at__isnull=True, end__lt=rules.personal_data_cutoff(now)
    )
    if dry_run:
        return todo.count()
    done = 0
    while True:
        batch = list(todo.order_by("pk").values_list("pk", flat=True)[: rules.PURGE_BATCH_SIZE])
        if not batch:
            return done
        done += Appointment.objects.filter(pk__in=batch, purged_at__isnull=True).update(
            person_name="", person_email="", person_phone="", purged_at=now
        )
        if progress:
            progress(done)


# --- private calendar feeds ------------------------------------------------------------------------


def _new_token() -> str:
    return secrets.token_urlsafe(rules.FEED_TOKEN_BYTES)


def feed_of(*, user=None, adviser: Adviser | None = None) -> CalendarFeed:
    """The private feed of an agent or of an adviser, made on first use."""
    owner = {"user": user} if user is not None else {"adviser": adviser}
    feed = CalendarFeed.objects.filter(**owner).first()
    if feed is not None:
        return feed
    try:
        with transaction.atomic():
            return CalendarFeed.objects.create(token=_new_token(), **owner)
    except IntegrityError:  # made by a concurrent first use
        return CalendarFeed.objects.get(**owner)


def renew_feed(actor, feed: CalendarFeed, *, now: datetime | None = None) -> CalendarFeed:
    """Give the feed a new secret: the old address answers 404 from now on (a leaked or shared
    address is closed this way)."""
    now = now or timezone.now()
    with transaction.atomic():
        CalendarFeed.objects.filter(pk=feed.pk).update(token=_new_token(), renewed_at=now)
        feed.refresh_from_db()
        journal.record(
            actor,
            "appointment.feed_renew",
            feed.adviser or feed.user,
            summary=gettext_noop("Adresse de l'agenda privé renouvelée"),
            house_id=feed.adviser.partnership.house_id if feed.adviser_id else None,
        )
    return feed
