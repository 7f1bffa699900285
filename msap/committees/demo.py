"""The demo's steering committees (art. 6): over the last two years, each demo house held its
committee about once a year — members drawn from its partners, the prefect's representative and
the departmental cell, presence, minutes, decisions and progress axes — and has its next meeting
planned. Some houses fail art. 6 for a real reason in their data: their last meeting is more than
twelve months old (HOUSES_LATE), and a house in project has none yet.

Built through the services, by the house's responsable (or its oldest agent), at the days the
meetings took place. No invitation is sent (the worker mails nothing about the demo's past).
Idempotent: a house that already has meetings is left as it is.
"""

import random
from datetime import date, time, timedelta

from django.utils import timezone

from msap.committees import services
from msap.committees.models import AxisStatus, Meeting, Presence
from msap.lib.dates import add_months
from msap.people.counter import first_counter_agent
from msap.people.models import Membership, Role

SEED = 20261202
# The demo houses whose last meeting is over twelve months old (art. 6's alert shows for them).
HOUSES_LATE = {"france-services-aubusson", "msap-pays-de-bitche"}
AGENDA = [
    "Bilan de l'activité de l'année et fréquentation par partenaire",
    "Respect de la charte de qualité : délais de réponse des registres",
    "Résultats de l'enquête de satisfaction",
    "Offre de rendez-vous des partenaires et permanences",
    "Axes de progrès pour l'année à venir",
]
DECISIONS = [
    "Ouvrir une permanence de la CAF un mardi matin sur deux.",
    "Former les agents à l'accompagnement des démarches de retraite en ligne.",
    "Afficher les horaires d'ouverture à l'entrée de la mairie annexe.",
    "Tenir un point trimestriel des saisines en retard avec chaque partenaire.",
    "Acheter un second poste informatique en accès libre.",
    "Mettre à jour la documentation des partenaires dans l'espace d'attente.",
]
AXES = [
    ("Réduire le délai de réponse aux courriels sous une semaine", "Responsable de la maison"),
    ("Développer les rendez-vous en visioconférence avec les partenaires", "Gestionnaire"),
    ("Atteindre 80 % de personnes satisfaites à l'enquête annuelle", "Responsable de la maison"),
    ("Faire connaître la maison dans les communes éloignées", "Gestionnaire"),
    ("Former chaque agent à l'offre de la MSA et de la CARSAT", "Responsable de la maison"),
]
MINUTES = (
    "Le comité a examiné l'activité de la maison sur l'année écoulée : la fréquentation "
    "progresse, portée par les démarches en ligne de la CAF et de France Travail. Les "
    "partenaires présents ont présenté leur offre et les délais de traitement des saisines. "
    "La cellule départementale a rappelé le calendrier de l'enquête de satisfaction. Le "
    "comité a arrêté les décisions et les axes de progrès ci-dessous."
)


def _actor(house):
    membership = (
        Membership.objects.current()
        .filter(house=house, role=Role.RESPONSABLE)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return membership.user if membership else first_counter_agent(house)


def _hold(actor, meeting: Meeting, rng: random.Random, now) -> None:
    members = list(meeting.members.all())
    presences = {
        m.pk: rng.choices([Presence.PRESENT, Presence.EXCUSED, Presence.ABSENT], [8, 2, 1])[0]
        for m in members
    }
    meeting = services.record_presence(
        actor, meeting, version=meeting.version, presences=presences, now=now
    )
    services.record_minutes(
        actor,
        meeting,
        version=meeting.version,
        minutes=MINUTES,
        decisions=rng.sample(DECISIONS, 3),
        now=now,
    )


def build_committees(houses, *, today: date | None = None) -> int:
    """The demo houses' meetings; returns how many were created."""
    today = today or timezone.localdate()
    now = timezone.now()
    rng = random.Random(SEED)
    with_meetings = set(Meeting.objects.filter(house__in=houses).values_list("house_id", flat=True))
    created = 0
    for house in houses:
        if house.pk in with_meetings or house.status != "recognised":
            continue
        actor = _actor(house)
        if actor is None:
            continue
        late = house.slug in HOUSES_LATE
        # Two past meetings about a year apart; the late houses' last one is 14 to 16 months old.
        last = add_months(today, -rng.randint(14, 16) if late else -rng.randint(2, 9))
        days = [add_months(last, -12), last]
        for index, day in enumerate(days):
            meeting, _created = services.plan_meeting(
                actor,
                house,
                day=day,
                at=time(rng.choice([9, 10, 14])),
                place=f"{house.name}, salle de réunion",
                agenda=AGENDA,
            )
            _hold(actor, meeting, rng, now)
            created += 1
            for title, owner in rng.sample(AXES, 2):
                axis = services.add_axis(
                    actor, meeting, title=title, owner=owner, due_on=add_months(day, 12)
                )
                if index == 0:  # last year's axes have moved on since
                    move = rng.choice([AxisStatus.DONE, AxisStatus.IN_PROGRESS])
                    services.move_axis(actor, axis, status=move, version=axis.version)
        if not late:
            services.plan_meeting(
                actor,
                house,
                day=add_months(last, 12) - timedelta(days=rng.randint(7, 30)),
                at=time(14),
                place=f"{house.name}, salle de réunion",
                agenda=AGENDA,
            )
            created += 1
    return created
