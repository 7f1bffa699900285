"""The survey's reads, shared by the screens, the public page, the charter (commitment 15) and
the steering committee (the improvement plan): the access helpers, the results and their
comparisons, `charter_facts` and `plan_for`."""

from dataclasses import dataclass, field

from django.db.models import Avg, Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from msap import permissions
from msap.surveys import rules
from msap.surveys.models import OPEN_ACTIONS, Action, Answer, Campaign, CommentStatus

HOUSE_RELATED = ("house__commune__departement", "house__organisation")


def _fetch_for_user(user, model, pk, unseen: str, *, via: str, need: str):
    """A survey record (campaign, answer, action) through its campaign's house: 404 when the
    house is unseen, 403 when `need` is not allowed (permissions.check_survey)."""
    record = permissions.fetch(
        model.objects.select_related(*(f"{via}{r}" for r in HOUSE_RELATED)), pk, unseen
    )
    campaign = record if not via else record.campaign
    access = permissions.house_access(user, campaign.house)
    permissions.check_survey(access, need)
    return record, access


def get_campaign_for_user(user, pk, *, need: str = "sees_staff"):
    return _fetch_for_user(user, Campaign, pk, _("Enquête introuvable."), via="", need=need)


def get_answer_for_user(user, pk, *, need: str = "manage"):
    return _fetch_for_user(user, Answer, pk, _("Réponse introuvable."), via="campaign__", need=need)


def get_action_for_user(user, pk, *, need: str = "manage"):
    return _fetch_for_user(user, Action, pk, _("Action introuvable."), via="campaign__", need=need)


def campaigns_of(house):
    return (
        Campaign.objects.filter(house=house)
        .annotate(
            n_answers=Count("answers", distinct=True),
            n_pending=Count(
                "answers", filter=Q(answers__comment_status=CommentStatus.PENDING), distinct=True
            ),
        )
        .order_by("-year")
    )


def campaign_of(house, year: int) -> Campaign | None:
    return Campaign.objects.filter(house=house, year=year).first()


def token_counts(campaign: Campaign) -> dict:
    return campaign.tokens.aggregate(
        issued=Count("pk"), used=Count("pk", filter=Q(used_at__isnull=False))
    )


# --- results --------------------------------------------------------------------------------------


@dataclass
class QuestionResult:
    code: str
    label: str
    commitment: str
    counts: list[int]  # in the order of rules.SCALE (very satisfied first)
    mean: float | None

    @property
    def satisfied(self) -> int | None:
        """The share of "very" and "rather" satisfied, in percent."""
        total = sum(self.counts)
        return round(100 * (self.counts[0] + self.counts[1]) / total) if total else None


@dataclass
class Results:
    count: int
    questions: list[QuestionResult] = field(default_factory=list)
    overall_mean: float | None = None
    overall_counts: list[int] = field(default_factory=list)  # marks 0 to 10

    def mean_of(self, code: str) -> float | None:
        return next((q.mean for q in self.questions if q.code == code), None)


def results_of(answers) -> Results:
    """Counts and means per question of a queryset of answers, in one query."""
    aggregates = {"n": Count("pk"), "overall_mean": Avg("overall")}
    for name in rules.QUESTION_FIELDS:
        aggregates[f"{name}_mean"] = Avg(name)
        for value, _label in rules.SCALE:
            aggregates[f"{name}_{value}"] = Count("pk", filter=Q(**{name: value}))
    for mark in range(rules.OVERALL_MIN, rules.OVERALL_MAX + 1):
        aggregates[f"overall_{mark}"] = Count("pk", filter=Q(overall=mark))
    row = answers.aggregate(**aggregates)
    return Results(
        count=row["n"],
        questions=[
            QuestionResult(
                code,
                str(label),
                commitment,
                [row[f"{code}_{value}"] for value, _label in rules.SCALE],
                row[f"{code}_mean"],
            )
            for code, label, commitment in rules.QUESTIONS
        ],
        overall_mean=row["overall_mean"],
        overall_counts=[
            row[f"overall_{mark}"] for mark in range(rules.OVERALL_MIN, rules.OVERALL_MAX + 1)
        ],
    )


def campaign_results(campaign: Campaign) -> Results:
    return results_of(campaign.answers.all())


def departement_results(campaign: Campaign) -> Results:
    """Every answer of the year in the house's département (the house's own included)."""
    return results_of(
        Answer.objects.filter(
            campaign__year=campaign.year,
            campaign__house__commune__departement_id=campaign.house.commune.departement_id,
        )
    )


@dataclass
class Comparison:
    """This year, last year and the département, as the staff's results screen shows them:
    beyond the house itself, a figure over fewer than rules.MIN_SHOWN answers is masked."""

    current: Results
    previous: Results | None
    departement: Results

    @property
    def departement_shown(self) -> bool:
        return self.departement.count >= rules.MIN_SHOWN

    @property
    def departement_count(self):
        return rules.shown_count(self.departement.count, own_house=False)

    def rows(self) -> list[dict]:
        out = []
        for q in self.current.questions:
            out.append(
                {
                    "label": q.label,
                    "current": q.mean,
                    "previous": self.previous.mean_of(q.code) if self.previous else None,
                    "departement": self.departement.mean_of(q.code)
                    if self.departement_shown
                    else None,
                }
            )
        return out


def comparison(campaign: Campaign) -> Comparison:
    previous = Campaign.objects.filter(house=campaign.house_id, year=campaign.year - 1).first()
    return Comparison(
        current=campaign_results(campaign),
        previous=campaign_results(previous) if previous else None,
        departement=departement_results(campaign),
    )


def pending_comments(campaign: Campaign):
    return campaign.answers.exclude(comment_status=CommentStatus.NONE).order_by(
        "comment_status", "-answered_on", "-pk"
    )


# --- the house's public page ----------------------------------------------------------------------

PUBLIC_COMMENTS = 10


@dataclass
class PublicResults:
    year: int
    count: int
    masked: bool  # fewer than rules.MIN_SHOWN answers: no figure is shown
    results: Results | None
    comments: list[str]
    min_shown: int = rules.MIN_SHOWN


def public_results(house) -> PublicResults | None:
    """The latest published results of the house and its approved comments, for its public
    page (commitment 15: "vous informons des résultats")."""
    campaign = (
        Campaign.objects.filter(house=house, published_at__isnull=False).order_by("-year").first()
    )
    if campaign is None:
        return None
    results = campaign_results(campaign)
    masked = results.count < rules.MIN_SHOWN
    comments = list(
        campaign.answers.filter(comment_status=CommentStatus.APPROVED)
        .order_by("-answered_on", "-pk")
        .values_list("comment", flat=True)[:PUBLIC_COMMENTS]
    )
    return PublicResults(
        year=campaign.year,
        count=results.count,
        masked=masked,
        results=None if masked else results,
        comments=comments,
    )


# --- for the steering committee and the charter ---------------------------------------------------


@dataclass
class Plan:
    """The improvement plan of a house's campaign of `year` (reviewed by the steering
    committee, art. 6): its actions in order of due date."""

    campaign: Campaign | None
    actions: list[Action]

    @property
    def open_actions(self) -> list[Action]:
        return [a for a in self.actions if a.status in OPEN_ACTIONS]

    @property
    def url(self) -> str | None:
        return reverse("survey_plan", args=[self.campaign.pk]) if self.campaign else None


def plan_for(house, year: int) -> Plan:
    campaign = campaign_of(house, year)
    actions = list(campaign.actions.order_by("due_on", "pk")) if campaign else []
    return Plan(campaign, actions)


@dataclass(frozen=True)
class CharterFacts:
    """What commitment 15 asks of a house for a year, as plain values (msap.charter reads them)."""

    campaign_ran: bool
    answers: int
    published: bool
    actions: int
    open_actions: int
    results_url: str | None


def charter_facts(house, year: int) -> CharterFacts:
    return charter_facts_for([house.pk], year).get(house.pk, NO_CAMPAIGN)


NO_CAMPAIGN = CharterFacts(False, 0, False, 0, 0, None)


def charter_facts_for(houses, year: int) -> dict[int, CharterFacts]:
    """{house pk: its CharterFacts for `year`} for the houses that ran a campaign that year, in
    one query (`houses`: pks or a subquery of them; the charter's table reads the nation)."""
    rows = (
        Campaign.objects.filter(house__in=houses, year=year)
        .annotate(
            n_answers=Count("answers", distinct=True),
            n_actions=Count("actions", distinct=True),
            n_open=Count("actions", filter=Q(actions__status__in=OPEN_ACTIONS), distinct=True),
        )
        .values_list("pk", "house_id", "published_at", "n_answers", "n_actions", "n_open")
    )
    return {
        house_id: CharterFacts(
            campaign_ran=True,
            answers=answers,
            published=published_at is not None,
            actions=actions,
            open_actions=open_actions,
            results_url=reverse("survey_results", args=[pk]),
        )
        for pk, house_id, published_at, answers, actions, open_actions in rows
    }
