"""The departmental annual review (art. 6 and 8; issue 11 §4): for all the houses of a département
and a year, one PDF (WeasyPrint) — per house, its activity (the attendance tool's requests by
partner and by category, the registers' indicators, the appointments' and the transmissions'
figures, each read through its own app's queries), the committee's meetings held and their
decisions, the progress axes.

The charter's compliance (msap.charter) and the survey's results and improvement plan
(msap.surveys), both below committees, have their sections here. The report is a list of
sections, so that a domain above adds its own: a section builder takes the review and a house
(HOUSE_SECTIONS) or the review alone (REVIEW_SECTIONS) and returns a `Section` (its title, the
template that renders it and that template's context) or None when it has nothing to say.

The review is read beyond the house (the prefecture, the partners of the committee): every count
under rules.SMALL_COUNT is masked, so that nobody recognises a person from a small group.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from msap.appointments import queries as appointment_queries
from msap.charter import queries as charter_queries
from msap.charter.rules import Status
from msap.committees import queries, rules
from msap.desk import stats
from msap.desk.models import ServiceRequest
from msap.lib.dates import timezone_for
from msap.network.models import House
from msap.registers import indicators as register_indicators
from msap.registers.models import RegisterItem
from msap.surveys import queries as survey_queries
from msap.territory.models import Departement
from msap.transmissions import queries as transmission_queries
from msap.transmissions.models import Transmission


@dataclass
class Section:
    title: str
    template: str
    context: dict = field(default_factory=dict)


@dataclass
class Review:
    departement: Departement
    year: int
    houses: list[House]
    start: datetime
    end: datetime
    now: datetime
    # What builders read once for all the houses (the meetings of the year, the axes).
    shared: dict = field(default_factory=dict)


HouseSection = Callable[[Review, House], Section | None]
ReviewSection = Callable[[Review], Section | None]


def masked(count) -> int | str:
    return rules.masked(count or 0)


def _share(part: int, whole: int) -> str:
    if not whole or whole < rules.SMALL_COUNT:
        return "—"
    return f"{round(100 * part / whole)} %"


# --- the sections of each house -----------------------------------------------------------------


def activity_section(review: Review, house: House) -> Section:
    """The attendance tool's requests of the year, by partner and by category (annex 1)."""
    requests = ServiceRequest.objects.filter(
        house=house, occurred_at__gte=review.start, occurred_at__lt=review.end
    )
    previous = ServiceRequest.objects.none()
    total = stats.summary(requests)
    axes = stats.breakdowns(requests, previous)[:2]  # by partner, by category
    return Section(
        _("Activité"),
        "committees/review/activity.html",
        {
            "requests": masked(total["requests"]),
            "people": masked(total["people"]),
            "breakdowns": [
                (axis.title, [(label, masked(count)) for label, count, _prev in axis.rows if count])
                for axis in axes
            ],
        },
    )


def registers_section(review: Review, house: House) -> Section:
    """The registers' indicators (charter commitments 11–14)."""
    rows = register_indicators.compute(
        RegisterItem.objects.filter(house=house), review.start, review.end, now=review.now
    )
    return Section(
        _("Registres (engagements 11 à 14 de la charte)"),
        "committees/review/registers.html",
        {
            "rows": [
                {
                    "label": row.label,
                    "received": masked(row.received),
                    "answered": masked(row.answered),
                    "on_time": _share(row.on_time, row.with_deadline),
                    "median": row.median_days,
                }
                for row in rows
            ]
        },
    )


def appointments_section(review: Review, house: House) -> Section:
    figures = appointment_queries.indicators([house.pk], review.start, review.end)
    return Section(
        _("Rendez-vous avec les partenaires (engagement 5)"),
        "committees/review/appointments.html",
        {
            "rows": [
                {
                    "partner": row.partner,
                    "total": masked(row.total),
                    "seen": masked(row.seen),
                    "no_show": masked(row.no_show),
                }
                for row in figures.by_partner
            ],
            "total": masked(figures.overall.total),
            "share": _share(figures.requests_with_appointment, figures.requests),
        },
    )


def transmissions_section(review: Review, house: House) -> Section:
    sent = Transmission.objects.filter(
        house=house, sent_at__gte=review.start, sent_at__lt=review.end
    )
    today = timezone.localdate(review.now, timezone_for(review.departement.code))
    return Section(
        _("Saisines des partenaires"),
        "committees/review/transmissions.html",
        {
            "rows": [
                {
                    "partner": row.partner,
                    "count": masked(row.count),
                    "open": masked(row.open),
                    "take_median": row.take_median,
                    "resolve_median": row.resolve_median,
                }
                for row in transmission_queries.partner_figures(sent, today)
            ]
        },
    )


def committee_section(review: Review, house: House) -> Section:
    """The meetings held in the year, their decisions, and the house's progress axes."""
    meetings = review.shared["meetings"].get(house.pk, [])
    axes = review.shared["axes"].get(house.pk, [])
    state = review.shared["states"][house.pk]
    return Section(
        _("Comité de pilotage (article 6)"),
        "committees/review/committee.html",
        {
            "meetings": [
                {
                    "day": timezone.localtime(m.starts_at, house.tz).date(),
                    "place": m.place,
                    "present": sum(1 for member in m.members.all() if member.presence == "present"),
                    "invited": len(m.members.all()),
                    "decisions": [d.text for d in m.decisions.all()],
                }
                for m in meetings
            ],
            "axes": axes,
            "state": state,
        },
    )


def charter_section(review: Review, house: House) -> Section:
    """The house's charter assessment for the year (annex 4): how many commitments are met, and
    the reason of each one that is not fully met."""
    charter = review.shared["charter"].get(house.pk)
    if charter is None:
        return Section(
            _("Charte de qualité (annexe 4)"),
            "committees/review/charter.html",
            {"counts": None, "gaps": []},
        )
    counts = charter.counts()
    return Section(
        _("Charte de qualité (annexe 4)"),
        "committees/review/charter.html",
        {
            "counts": [(str(label), counts[value]) for value, label in Status.choices],
            "gaps": [
                {"code": i.code, "status": i.status_label, "reason": i.reason}
                for i in charter.items
                if i.status in (Status.PARTLY, Status.NOT_MET)
            ],
        },
    )


def survey_section(review: Review, house: House) -> Section:
    """The year's satisfaction survey (commitment 15): answers (masked under 5), the share of
    satisfied people per question and the mean mark when there are enough answers, whether the
    results were published, and the improvement plan the committee reviews."""
    plan = survey_queries.plan_for(house, review.year)
    results = survey_queries.campaign_results(plan.campaign) if plan.campaign else None
    enough = results is not None and results.count >= rules.SMALL_COUNT
    return Section(
        _("Enquête de satisfaction (engagement 15)"),
        "committees/review/survey.html",
        {
            "campaign": plan.campaign,
            "answers": masked(results.count) if results else 0,
            "questions": [(q.label, q.satisfied) for q in results.questions] if enough else [],
            "overall": results.overall_mean if enough else None,
            "published": bool(plan.campaign and plan.campaign.is_published),
            "actions": plan.actions,
        },
    )


HOUSE_SECTIONS: list[HouseSection] = [
    activity_section,
    registers_section,
    appointments_section,
    transmissions_section,
    charter_section,
    survey_section,
    committee_section,
]


# --- the sections of the whole review ------------------------------------------------------------


def overview_section(review: Review) -> Section:
    """One line per house: meetings held in the year, the last one, whether art. 6 is met."""
    states = review.shared["states"]
    return Section(
        _("Vue d'ensemble du département"),
        "committees/review/overview.html",
        {
            "rows": [
                {
                    "house": house,
                    "meetings": len(review.shared["meetings"].get(house.pk, [])),
                    "state": states[house.pk],
                }
                for house in review.houses
            ]
        },
    )


REVIEW_SECTIONS: list[ReviewSection] = [overview_section]


def register_house_section(builder: HouseSection) -> None:
    """A domain above adds its section of each house (from its AppConfig.ready)."""
    if builder not in HOUSE_SECTIONS:
        HOUSE_SECTIONS.append(builder)


def register_review_section(builder: ReviewSection) -> None:
    if builder not in REVIEW_SECTIONS:
        REVIEW_SECTIONS.append(builder)


# --- building ----------------------------------------------------------------------------------


def build(departement: Departement, year: int, now: datetime | None = None) -> dict:
    """The review's context: the département, the year, the overall sections and, per house, its
    sections, in order."""
    now = now or timezone.now()
    tz = timezone_for(departement.code)
    start, end = stats.year_of(date(year, 1, 1)).bounds(tz)
    houses = list(
        House.objects.filter(commune__departement=departement)
        .select_related("commune__departement", "organisation")
        .order_by("name")
    )
    review = Review(departement, year, houses, start, end, now)
    review.shared["meetings"] = queries.review_meetings(houses, start, end)
    review.shared["axes"] = queries.review_axes(houses, year)
    review.shared["states"] = queries.committee_states(houses, min(end.date(), now.date()))
    review.shared["charter"] = charter_queries.assess_houses(
        House.objects.filter(pk__in=[h.pk for h in houses]), year, now
    )
    overall = [s for s in (b(review) for b in REVIEW_SECTIONS) if s is not None]
    per_house = [
        (house, [s for s in (b(review, house) for b in HOUSE_SECTIONS) if s is not None])
        for house in houses
    ]
    return {
        "departement": departement,
        "year": year,
        "overall": overall,
        "houses": per_house,
        "generated": timezone.localtime(now, tz),
        "small_count": rules.SMALL_COUNT,
    }


def render_pdf(departement: Departement, year: int, now: datetime | None = None) -> bytes:
    from weasyprint import HTML

    # A report of the State's network: in French, whatever the reader's screen language.
    with translation.override("fr"):
        html = render_to_string("committees/review_pdf.html", build(departement, year, now))
    return HTML(string=html).write_pdf()
