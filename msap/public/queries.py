"""The reads of the public site: the houses near a commune, a house's public page, the sitemap.

Only what a house publishes: its address, public phone and email, hours, premises, equipment,
partners and their services. Never a referent, a member of staff or anything of a person
(annex 2: the referents' contacts are never given to the public).
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from msap.appointments.models import AppointmentType, LocationType, SlotRule
from msap.charter import queries as charter_queries
from msap.lib.dates import day_bounds, today_in
from msap.lib.geo import distance_km
from msap.network.hours import HouseCalendar, Opening
from msap.network.models import Closure, House, HouseKind, HouseStatus
from msap.partners.models import Partnership
from msap.public import rules
from msap.territory.models import Commune
from msap.territory.services import search_communes

# Houses with a public page: recognised ones, and closed ones (their page says so and points to
# the nearest open ones). A project has no page yet.
PAGE_STATUSES = (HouseStatus.RECOGNISED, HouseStatus.CLOSED)


def public_houses() -> QuerySet:
    return House.objects.filter(status__in=PAGE_STATUSES)


def listed_houses() -> QuerySet:
    """The houses the search offers: recognised, not closed."""
    return House.objects.filter(status=HouseStatus.RECOGNISED)


def with_calendar(houses: QuerySet, today: date) -> QuerySet:
    """What a house's card reads, in a fixed number of queries: its commune, its weekly ranges,
    the closures not over yet, its stops."""
    return houses.select_related("commune__departement").prefetch_related(
        "opening_ranges",
        Prefetch("closures", queryset=Closure.objects.filter(end_date__gte=today - timedelta(1))),
        "stops__commune",
    )


# --- a house's state at an instant ---------------------------------------------------------------


@dataclass
class Day:
    day: date
    openings: list[Opening]
    closed_reason: str | None


@dataclass
class State:
    """Open now, today's hours, the next opening; `until`: when any of it changes by the clock."""

    open_now: bool
    today: Day
    next_opening: Opening | None
    until: datetime


def _day(cal: HouseCalendar, day: date) -> Day:
    return Day(day, cal.openings_on(day), cal.closed_reason(day))


def state_of(cal: HouseCalendar, now: datetime) -> State:
    here = now.astimezone(cal.tz)
    today = _day(cal, here.date())
    following = cal.next_opening(now, horizon_days=60)
    open_now = following is not None and following.start <= here
    midnight = day_bounds(here.date(), cal.tz)[1]
    if following is None:
        until = midnight
    else:
        until = min(following.end if open_now else following.start, midnight)
    return State(open_now, today, following, until)


def week_of(cal: HouseCalendar, now: datetime) -> list[Day]:
    """The seven days from today, each with its openings or why it is closed."""
    first = today_in(cal.tz, now)
    return [_day(cal, first + timedelta(days=offset)) for offset in range(7)]


@dataclass
class Stop:
    day: date
    place: str
    commune: str
    start: time
    end: time


def next_stops(house: House, cal: HouseCalendar, now: datetime, count: int = 3) -> list[Stop]:
    """A mobile house's next stops (commitment 3 ter), skipping holidays and closures."""
    here = now.astimezone(cal.tz)
    stops = list(house.stops.all())
    out: list[Stop] = []
    for offset in range(15):
        day = here.date() + timedelta(days=offset)
        if cal.closed_reason(day):
            continue
        for stop in stops:
            if stop.weekday != day.weekday():
                continue
            if offset == 0 and stop.end <= here.time():
                continue
            out.append(Stop(day, stop.place, stop.commune.name, stop.start, stop.end))
            if len(out) == count:
                return out
    return out


# --- the search ----------------------------------------------------------------------------------


@dataclass
class Card:
    house: House
    state: State
    serves: bool
    distance: float | None
    stops: list[Stop] = field(default_factory=list)

    @property
    def is_mobile(self) -> bool:
        return self.house.kind == HouseKind.MOBILE


@dataclass
class Search:
    query: str
    error: str = ""
    commune: Commune | None = None
    others: list[Commune] = field(default_factory=list)
    cards: list[Card] = field(default_factory=list)
    until: datetime | None = None


def query_error(query: str) -> str:
    """Why a search text cannot be searched, in French, or ''."""
    if not query:
        return _(
            "Indiquez le nom d'une commune ou un code postal, par exemple « Tulle » ou « 19000 »."
        )
    if len(query) > rules.MAX_QUERY_LENGTH:
        return _(
            "Votre recherche est trop longue (%(max)s caractères au plus) : indiquez seulement "
            "le nom de la commune ou son code postal."
        ) % {"max": rules.MAX_QUERY_LENGTH}
    return ""


def suggest(query: str) -> list[Commune]:
    """The type-ahead's communes for a text ([] for a text that cannot be searched)."""
    query = " ".join((query or "").split())
    if query_error(query):
        return []
    return search_communes(query, limit=rules.SUGGESTIONS)


def _origin(commune: Commune, serving: list[House]) -> tuple[float, float] | None:
    """Where distances are counted from: the commune's centre when the territory knows it,
    else the houses serving it."""
    lat, lon = commune.latitude, commune.longitude
    if lat is not None and lon is not None:
        return float(lat), float(lon)
    points = [(float(h.latitude), float(h.longitude)) for h in serving if h.latitude is not None]
    if points:
        return sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)
    return None


def houses_near(commune: Commune, now: datetime) -> tuple[list[Card], datetime]:
    """The houses serving `commune` (its territory, or the house's own commune) first, then the
    nearest others by coordinates; each with its state now. Answers the cards and when they stop
    being true by the clock."""
    today = now.date()
    serving_q = Q(commune=commune) | Q(served_communes=commune)
    serving_pks = set(listed_houses().filter(serving_q).values_list("pk", flat=True))
    serving = list(with_calendar(listed_houses().filter(pk__in=serving_pks), today))
    origin = _origin(commune, serving)
    nearest: list[tuple[float | None, int]] = []
    if origin is not None:
        others = (
            listed_houses()
            .exclude(pk__in=serving_pks)
            .filter(latitude__isnull=False, longitude__isnull=False)
            .values_list("pk", "latitude", "longitude")
        )
        scored = sorted(
            (distance_km(*origin, float(lat), float(lon)), pk) for pk, lat, lon in others
        )
        nearest = scored[: rules.NEAREST]
    else:
        # No coordinates to count from: the other houses of the département.
        nearest = [
            (None, pk)
            for pk in listed_houses()
            .exclude(pk__in=serving_pks)
            .filter(commune__departement_id=commune.departement_id)
            .values_list("pk", flat=True)[: rules.NEAREST]
        ]
    near = {
        h.pk: h
        for h in with_calendar(listed_houses().filter(pk__in=[pk for _, pk in nearest]), today)
    }
    cards = [
        _card(h, now, True, _distance(origin, h)) for h in sorted(serving, key=lambda h: h.name)
    ]
    cards += [_card(near[pk], now, False, km) for km, pk in nearest if pk in near]
    until = min((c.state.until for c in cards), default=now + timedelta(hours=1))
    return cards, until


def _distance(origin, house: House) -> float | None:
    if origin is None or house.latitude is None or house.longitude is None:
        return None
    return distance_km(*origin, float(house.latitude), float(house.longitude))


def _card(house: House, now: datetime, serves: bool, km: float | None) -> Card:
    cal = HouseCalendar(house)
    stops = next_stops(house, cal, now) if house.kind == HouseKind.MOBILE else []
    return Card(house, state_of(cal, now), serves, km, stops)


def search(query: str, commune_code: str, now: datetime) -> Search:
    """The search page: the commune chosen (by its INSEE code from the type-ahead, or the first
    match of the text), the other communes the text matches, the houses near the commune."""
    query = " ".join((query or "").split())
    code = (commune_code or "").strip()[:10]
    result = Search(query=query)
    commune = None
    if code:
        commune = Commune.objects.select_related("departement").filter(code=code.upper()).first()
        if commune is None:
            result.error = _(
                "Cette commune est inconnue : cherchez-la par son nom ou son code postal."
            )
            return result
    else:
        result.error = query_error(query)
        if result.error:
            return result
        matches = search_communes(query, limit=rules.SUGGESTIONS)
        if not matches:
            result.error = _(
                "Aucune commune ne correspond à « %(query)s ». Vérifiez l'orthographe, ou "
                "cherchez par code postal."
            ) % {"query": query}
            return result
        commune, result.others = matches[0], matches[1:]
    result.commune = commune
    result.cards, result.until = houses_near(commune, now)
    return result


# --- a house's page ------------------------------------------------------------------------------


@dataclass
class Permanence:
    partner: str
    subject: str
    slots: list[tuple[int, str, time, time]]


@dataclass
class HousePage:
    house: House
    state: State
    week: list[Day]
    closures: list[Closure]
    premises: object
    equipment: list
    partnerships: list[Partnership]
    permanences: list[Permanence]
    stops: list[Stop]
    until: datetime
    nearest: list[Card] = field(default_factory=list)


def get_public_house(slug: str) -> House | None:
    return public_houses().select_related("commune__departement").filter(slug=slug).first()


def house_page(house: House, now: datetime) -> HousePage:
    today = now.astimezone(house.tz).date()
    house = (
        with_calendar(House.objects.filter(pk=house.pk), today)
        .prefetch_related("premises", "equipment")
        .get()
    )
    cal = HouseCalendar(house)
    state = state_of(cal, now)
    partnerships = list(
        Partnership.objects.active()
        .filter(house=house)
        .select_related("partner")
        .prefetch_related("services__category")
    )
    permanences = _permanences(house, today)
    page = HousePage(
        house=house,
        state=state,
        week=week_of(cal, now),
        closures=[c for c in cal.closures if c.end_date >= today],
        premises=getattr(house, "premises", None),
        equipment=[e for e in house.equipment.all() if e.for_public and e.in_service],
        partnerships=partnerships,
        permanences=permanences,
        stops=next_stops(house, cal, now, count=6) if house.kind == HouseKind.MOBILE else [],
        until=state.until,
    )
    if house.status == HouseStatus.CLOSED and house.commune_id:
        page.nearest, _until = houses_near(house.commune, now)
    return page


def _permanences(house: House, today: date) -> list[Permanence]:
    """The permanences partners hold at the house: days and hours, never an adviser's name."""
    current = SlotRule.objects.filter(starts_on__lte=today + timedelta(days=90)).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today)
    )
    types = (
        AppointmentType.objects.filter(
            partnership__house=house,
            partnership__status="active",
            location_type=LocationType.PERMANENCE,
            active=True,
        )
        .select_related("partnership__partner")
        .prefetch_related(Prefetch("slot_rules", queryset=current))
    )
    out = []
    for kind in types:
        slots = sorted(
            {
                (r.weekday, str(r.get_weekday_display()), r.start, r.end)
                for r in kind.slot_rules.all()
            }
        )
        if slots:
            out.append(Permanence(kind.partnership.partner.name, kind.subject, slots))
    return out


def services_by_category(partnership: Partnership) -> list[tuple[str, list]]:
    groups: dict[str, list] = {}
    for item in partnership.services.all():
        groups.setdefault(item.category.title, []).append(item)
    return list(groups.items())


def sitemap_houses() -> list[tuple[str, datetime | None]]:
    """Every house with a public page: (slug, when it was created)."""
    return list(public_houses().order_by("slug").values_list("slug", "created_at"))


@dataclass(frozen=True)
class PublicCommitment:
    number: str
    text: str


@dataclass(frozen=True)
class PublicCommitmentGroup:
    title: str
    items: tuple[PublicCommitment, ...]


def public_charter(year: int, *, mobile: bool) -> list[PublicCommitmentGroup]:
    """The charter's commitments as every house page shows them (annex 4, §4.1): the version in
    force this year, its five service commitments and their items, in the reader's language.
    The optional item (3 ter, the mobile variant) only on a mobile house's page."""
    charter = charter_queries.commitments_for(year)
    if charter is None:
        return []
    return [
        PublicCommitmentGroup(
            _(title),
            tuple(
                PublicCommitment(c.code, _(c.wording)) for c in items if mobile or not c.optional
            ),
        )
        for _group, title, items in charter.groups()
    ]
