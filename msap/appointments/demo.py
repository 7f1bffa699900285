"""The demo's appointments: what a few national partners offer in each demo house (types,
advisers, weekly slots) and a year of appointments around today.

The coming weeks are booked through `services.book`, like an agent does. The past year cannot
be (nobody books in the past): it is inserted as it stands today, each appointment closed
(seen, missed, cancelled by the person or by the partner) and, past the retention period,
without the person's name and contact. Idempotent: a house that already has appointment types
is left as it is.
"""

import random
from bisect import bisect_left
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from msap.appointments import queries, rules, services
from msap.appointments.models import (
    Adviser,
    Appointment,
    AppointmentStatus,
    AppointmentType,
    LocationType,
    PartnerAppointmentSettings,
    PartnerDocument,
    SlotRule,
)
from msap.core.errors import DomainError
from msap.desk.models import ServiceRequest
from msap.lib.dates import timezone_for
from msap.people.counter import first_counter_agent

SEED = 20260901
PAST_DAYS = 365
FUTURE_BOOKINGS = 8

# Partner code -> (public contact, documents, [(subject, location, minutes, processing days)]).
OFFERS = {
    "caf": (
        "3230 (service gratuit + prix d'un appel) ou caf.fr",
        ["Avis d'imposition", "Relevé d'identité bancaire", "Justificatif de domicile"],
        [
            ("Ouverture de droits aux prestations familiales", LocationType.VIDEO, 30, 15),
            ("Aide au logement", LocationType.PERMANENCE, 30, 20),
            ("Point sur un dossier en cours", LocationType.PHONE, 20, 10),
        ],
    ),
    "france-travail": (
        "3949 ou francetravail.fr",
        ["Curriculum vitae", "Pièce d'identité", "Attestation employeur"],
        [
            ("Inscription et premier entretien", LocationType.VIDEO, 45, 5),
            ("Entretien avec un conseiller", LocationType.PARTNER_OFFICE, 30, 5),
        ],
    ),
    "cpam": (
        "3646 ou ameli.fr",
        ["Carte Vitale", "Attestation de droits", "Relevé d'identité bancaire"],
        [
            ("Complémentaire santé solidaire", LocationType.PERMANENCE, 30, 30),
            ("Accompagnement d'un dossier d'invalidité", LocationType.PHONE, 30, 30),
        ],
    ),
}
PARTNER_OFFICES = {"france-travail": "Agence France Travail, 12 avenue de la Gare"}
ADVISERS = [("Sophie", "Martin"), ("Paul", "Roux"), ("Nadia", "Benali"), ("Julien", "Faure")]
PEOPLE = [
    "Jeanne Moreau",
    "Louis Petit",
    "Aïcha Diallo",
    "Marcel Dupuis",
    "Chantal Lambert",
    "Kevin Garnier",
    "Fatima Haddad",
    "Bernard Chevalier",
]
SLOT_DAYS = {
    LocationType.VIDEO: [(1, time(9), time(12)), (3, time(9), time(12))],
    LocationType.PERMANENCE: [(2, time(9), time(12))],
    LocationType.PHONE: [(0, time(14), time(16)), (4, time(9), time(11))],
    LocationType.PARTNER_OFFICE: [(0, time(9), time(12)), (2, time(14), time(16))],
}
REVOKE_REASONS = ["Conseiller absent (formation)", "Dossier traité sans rendez-vous"]


def build_appointments(houses, *, today: date, seed: int = SEED) -> int:
    """Give each house its partners' offer and a year of appointments; returns how many."""
    created = 0
    for house in houses:
        if AppointmentType.objects.filter(partnership__house=house).exists():
            continue
        agent = first_counter_agent(house)
        if agent is None:
            continue
        rng = random.Random(f"{seed}/{house.slug}")
        with transaction.atomic():
            types = _offer(house, today)
            created += _past(house, types, agent, today, rng)
            created += _future(house, types, agent, rng)
    return created


def _offer(house, today: date) -> list[AppointmentType]:
    has_video = queries.video_equipment(house).exists()
    has_office = queries.office_of(house) is not None
    types = []
    for partnership in house.partnerships.active().select_related("partner"):
        code = partnership.partner.code
        if code not in OFFERS:
            continue
        contact, documents, kinds = OFFERS[code]
        PartnerAppointmentSettings.objects.get_or_create(
            partner=partnership.partner, defaults={"public_contact": contact}
        )
        docs = [
            PartnerDocument.objects.get_or_create(partner=partnership.partner, label=label)[0]
            for label in documents
        ]
        advisers = [
            Adviser.objects.create(partnership=partnership, first_name=first, last_name=last)
            for first, last in ADVISERS[len(types) % 3 : len(types) % 3 + 2]
        ]
        for subject, location, minutes, processing in kinds:
            if (location == LocationType.VIDEO and not has_video) or (
                location == LocationType.PERMANENCE and not has_office
            ):
                continue
            kind = AppointmentType.objects.create(
                partnership=partnership,
                subject=subject,
                location_type=location,
                duration_minutes=minutes,
                processing_days=processing,
                partner_address=PARTNER_OFFICES.get(code, "")
                if location == LocationType.PARTNER_OFFICE
                else "",
            )
            kind.documents.set(docs)
            for index, (weekday, start, end) in enumerate(SLOT_DAYS[location]):
                SlotRule.objects.create(
                    adviser=advisers[index % len(advisers)],
                    appointment_type=kind,
                    weekday=weekday,
                    start=start,
                    end=end,
                    starts_on=today - timedelta(days=PAST_DAYS + 7),
                )
            types.append(kind)
    return types


def _past(house, types, agent, today: date, rng: random.Random) -> int:
    """About two appointments a week over the past year, each closed as it would stand now."""
    if not types:
        return 0
    now = timezone.now()
    tz = timezone_for(house.commune.departement_id)
    offers = {kind.pk: queries.Offer(kind) for kind in types}
    requests = sorted(
        ServiceRequest.objects.filter(
            house=house, occurred_at__gte=now - timedelta(days=PAST_DAYS + 30)
        ).values_list("occurred_at", "pk")
    )
    instants = [occurred for occurred, _pk in requests]
    cutoff = rules.personal_data_cutoff(now)
    office, video = queries.office_of(house), queries.video_equipment(house).first()
    rows = []
    for offset in range(PAST_DAYS, 0, -1):
        day = today - timedelta(days=offset)
        if rng.random() > 0.3:
            continue
        kind = rng.choice(types)
        slots = offers[kind.pk].slots_on(day)
        if not slots:
            continue
        slot = rng.choice(slots)
        status = rng.choices(
            [
                AppointmentStatus.SEEN,
                AppointmentStatus.NO_SHOW,
                AppointmentStatus.EXCUSED,
                AppointmentStatus.REVOKED,
            ],
            weights=[70, 10, 12, 8],
        )[0]
        # The request that led to it: one recorded at the house in the week before.
        index = bisect_left(instants, slot.start - timedelta(days=7))
        request_id = (
            requests[index][1] if index < len(requests) and instants[index] < slot.start else None
        )
        purged = slot.end < cutoff
        rows.append(
            Appointment(
                house=house,
                appointment_type=kind,
                adviser=slot.adviser,
                start=slot.start,
                end=slot.end,
                status=status,
                office=office if kind.location_type == LocationType.PERMANENCE else None,
                equipment=video if kind.location_type == LocationType.VIDEO else None,
                request_id=request_id,
                booked_by=agent,
                person_name="" if purged else rng.choice(PEOPLE),
                person_phone="" if purged else "06 00 00 00 00",
                purged_at=now if purged else None,
                revoked_reason=rng.choice(REVOKE_REASONS)
                if status == AppointmentStatus.REVOKED
                else "",
                status_changed_at=datetime.combine(day, time(18), tzinfo=tz),
            )
        )
    Appointment.objects.bulk_create(rows)
    return len(rows)


def _future(house, types, agent, rng: random.Random) -> int:
    """The coming weeks, booked through the service; some already confirmed by the partner."""
    now = timezone.now()
    created = 0
    for kind in types:
        free = queries.free_slots(kind, now=now, days=rules.SLOT_SEARCH_DAYS)
        for slot in rng.sample(free, min(len(free), max(1, FUTURE_BOOKINGS // len(types)))):
            name = rng.choice(PEOPLE)
            try:
                appointment = services.book(
                    agent,
                    house,
                    appointment_type=kind,
                    adviser=slot.adviser,
                    start=slot.start,
                    person_name=name,
                    person_email=f"{name.split()[0].lower()}@demo.msap.fr",
                    person_phone="06 00 00 00 00",
                    now=now,
                )
            except DomainError:
                continue  # taken by an earlier pick (a shared resource): try the next one
            if rng.random() < 0.6:
                services.change_status(agent, appointment, AppointmentStatus.CONFIRMED)
            created += 1
    return created
