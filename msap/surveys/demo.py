"""The satisfaction surveys of the demo network (charter commitment 15), last year and this year.

- Last year: every recognised house ran its campaign in the autumn, published its results, and
  drew an improvement plan from it (some actions done, some still open).
- This year: most houses ran a campaign. Every other one has closed it, moderated its comments,
  published its results and drawn its plan; the others are still open, with comments waiting
  for moderation and nothing published yet — the first house among them, with unused codes, so
  that the public form can be tried from the demo (`msap demo` prints one).
- One house (NO_SURVEY) ran no campaign this year: commitment 15 fails there, for a real reason.

Answers, codes and comments are written in bulk (anonymous rows, no journal entry, as the public
form writes them); campaigns, publication and plans go through the services, journaled.
Deterministic for a given `today`; a house that already has a campaign is skipped.
"""

import random
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from msap.people.models import Membership, Role
from msap.surveys import rules, services
from msap.surveys.models import ActionStatus, Answer, Campaign, CommentStatus, Token

SEED = 1_515
NO_SURVEY = "france-services-meymac"
# The house whose open campaign keeps codes to try the public form with.
TRY_HOUSE = "france-services-tulle"
UNUSED_CODES = 12

COMMENTS = (
    "Accueil très agréable, l'agent a pris le temps de tout m'expliquer.",
    "J'ai pu faire ma demande de retraite en ligne avec de l'aide, merci.",
    "Un peu d'attente le lundi matin, mais personnel très patient.",
    "Les horaires du samedi seraient bien utiles pour ceux qui travaillent.",
    "Merci pour l'aide avec le dossier CAF, tout est réglé.",
    "Il manque une place de parking proche de l'entrée.",
    "Très bien, je reviendrai pour mes impôts.",
    "L'espace confidentiel est appréciable pour parler de sa situation.",
    "Le poste informatique était en panne le jour de ma visite.",
    "Personnel souriant et efficace.",
    "Difficile de trouver la maison, il faudrait un panneau.",
    "On m'a obtenu un rendez-vous avec la CPAM dans la semaine, parfait.",
)
# Comments the responsable sets aside (they name someone or insult).
REJECTED = (
    "Le monsieur de l'accueil mardi était désagréable, c'est M. X qu'il faut renvoyer.",
    "Nul nul nul !!!",
)
ACTIONS = (
    ("Afficher les horaires à l'entrée et sur le site de la commune", "Responsable de la maison"),
    (
        "Installer un panneau de signalisation depuis la place de la mairie",
        "Services techniques de la commune",
    ),
    ("Ouvrir une permanence le samedi matin une fois par mois", "Gestionnaire"),
    ("Remplacer le poste informatique en libre accès", "Gestionnaire"),
    ("Ajouter des chaises dans l'espace d'attente", "Responsable de la maison"),
    ("Former l'équipe à l'accueil des personnes malentendantes", "Responsable de la maison"),
)


def _weighted_mark(rng: random.Random, quality: float) -> int:
    """A mark on the four-step scale, better as `quality` (0 to 1) is higher."""
    weights = [0.2 + 2.5 * quality, 1.2, 0.9 - 0.6 * quality, 0.5 - 0.4 * quality]
    return rng.choices([4, 3, 2, 1], weights=weights)[0]


def _answers(rng, campaign, quality: float, n: int, first: date, last: date, *, moderated: bool):
    span = max(0, (last - first).days)
    rows = []
    for _ in range(n):
        marks = {name: _weighted_mark(rng, quality) for name in rules.QUESTION_FIELDS}
        overall = min(10, max(0, round(sum(marks.values()) / 5 * 2.5 + rng.uniform(-1, 0.8))))
        comment, status, moderated_at = "", CommentStatus.NONE, None
        if rng.random() < 0.3:
            if rng.random() < 0.08:
                comment, status = rng.choice(REJECTED), CommentStatus.REJECTED
            else:
                comment, status = rng.choice(COMMENTS), CommentStatus.APPROVED
            if not moderated:
                status = CommentStatus.PENDING
            else:
                moderated_at = timezone.now()
        rows.append(
            Answer(
                campaign=campaign,
                answered_on=first + timedelta(days=rng.randint(0, span)),
                comment=comment,
                comment_status=status,
                moderated_at=moderated_at,
                overall=overall,
                **marks,
            )
        )
    Answer.objects.bulk_create(rows)
    # The codes that opened those answers, used (a code knows only that it served).
    tz = campaign.house.tz
    tokens = []
    for row in rows:
        issued = datetime.combine(row.answered_on, time(10, 0), tzinfo=tz)
        tokens.append(
            Token(
                campaign=campaign,
                code=services._new_code(),
                issued_at=issued,
                expires_at=rules.token_expiry(issued, services.closes_at(campaign)),
                used_at=issued + timedelta(hours=2),
            )
        )
    Token.objects.bulk_create(tokens, ignore_conflicts=True)
    return len(rows)


def _plan(rng, actor, campaign, today: date, *, past: bool) -> None:
    for title, owner in rng.sample(ACTIONS, rng.randint(2, 4)):
        due = (
            date(campaign.year + 1, rng.randint(1, 6), rng.randint(1, 28))
            if not past
            else date(campaign.year + 1, rng.randint(1, 10), rng.randint(1, 28))
        )
        due = min(due, today + timedelta(days=300))
        action = services.add_action(actor, campaign, title=title, owner=owner, due_on=due)
        move = rng.random()
        if past and move < 0.6:
            services.update_action(
                actor, action, status=ActionStatus.DONE, progress="Réalisé comme prévu.", due_on=due
            )
        elif move < 0.8:
            services.update_action(
                actor,
                action,
                status=ActionStatus.IN_PROGRESS,
                progress="Devis demandé, en attente de la décision du gestionnaire.",
                due_on=due,
            )


def _responsables(houses) -> dict:
    rows = Membership.objects.filter(
        house__in=houses, role=Role.RESPONSABLE, ended_on__isnull=True
    ).select_related("user")
    return {m.house_id: m.user for m in rows.order_by("started_on", "pk")}


def build_surveys(houses, *, today: date, seed: int = SEED):
    """Campaigns, answers, publications and plans for the demo houses; returns (campaigns
    created, a code to try the public form with, or None)."""
    rng = random.Random(seed)
    houses = [h for h in houses if h.status == "recognised"]
    done = set(Campaign.objects.filter(house__in=houses).values_list("house_id", flat=True))
    actors = _responsables(houses)
    created, sample = 0, None
    year = today.year
    for index, house in enumerate(sorted(houses, key=lambda h: h.slug)):
        if house.pk in done:
            continue
        actor = actors.get(house.pk)
        quality = rng.uniform(0.35, 0.95)
        with transaction.atomic():
            last = services.open_campaign(
                actor,
                house,
                year=year - 1,
                opens_on=date(year - 1, 9, 1),
                closes_on=date(year - 1, 11, 30),
            )
            _answers(
                rng,
                last,
                quality,
                rng.randint(12, 45),
                last.opens_on,
                last.closes_on,
                moderated=True,
            )
            services.publish(actor, last)
            _plan(rng, actor, last, today, past=True)
            created += 1
            if house.slug == NO_SURVEY:
                continue
            opens = max(date(year, 1, 1), today - timedelta(days=75))
            closed = index % 2 == 0 and house.slug != TRY_HOUSE and today > opens
            closes = today - timedelta(days=1) if closed else date(year, 12, 31)
            current = services.open_campaign(
                actor, house, year=year, opens_on=opens, closes_on=closes
            )
            created += 1
            n = rng.randint(3, 40) if closed else rng.randint(6, 25)
            _answers(
                rng, current, min(1, quality + 0.05), n, opens, min(closes, today), moderated=closed
            )
            if closed:
                services.publish(actor, current)
                _plan(rng, actor, current, today, past=False)
            elif house.slug == TRY_HOUSE:
                tokens = services.issue_tokens(actor, current, UNUSED_CODES)
                sample = rules.format_code(tokens[0].code)
    return created, sample
