"""The reads of the charter that the house's page, the tables, the PDF, the API and the
convention's annex 4 share."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import partial
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from msap import permissions
from msap.appointments.models import (
    CANCELLED_STATUSES,
    Appointment,
    AppointmentMessage,
    MessageKind,
    MessageStatus,
)
from msap.charter import rules
from msap.charter.models import CharterVersion, Commitment, Evidence, ExpiryReminder
from msap.charter.models import EvidenceKind as K
from msap.charter.rules import Status
from msap.network.models import (
    Equipment,
    EquipmentKind,
    House,
    HouseKind,
    HouseStatus,
    MobileStop,
    OpeningRange,
    Premises,
)
from msap.network.queries import get_house_for_user
from msap.network.rules import Range, check_schedule
from msap.partners.models import Partnership
from msap.people.models import Membership, Role, Training, TrainingKind
from msap.registers.models import OPEN_STATES, Kind, PhoneOutcome, RegisterItem
from msap.surveys import queries as survey_queries
from msap.transmissions.models import RefusalReason, Transmission, TransmissionStatus


@dataclass(frozen=True)
class CommitmentData:
    code: str
    group: int
    group_title: str
    wording: str
    description: str
    means: str
    means_partners: str
    evidence: str
    optional: bool
    order: int


@dataclass(frozen=True)
class CharterData:
    title: str
    in_force_from: int
    source: str
    commitments: tuple[CommitmentData, ...]

    def groups(self) -> list[tuple[int, str, list[CommitmentData]]]:
        """The five service commitments of §4.1, each with its items, in the charter's order."""
        groups: dict[int, tuple[int, str, list[CommitmentData]]] = {}
        for c in self.commitments:
            groups.setdefault(c.group, (c.group, c.group_title, []))[2].append(c)
        return list(groups.values())

    def get(self, code: str) -> CommitmentData | None:
        return next((c for c in self.commitments if c.code == code), None)


def version_for(year: int) -> CharterVersion | None:
    """The version in force in `year`: the latest whose first year is not after it."""
    return CharterVersion.objects.filter(in_force_from__lte=year).order_by("-in_force_from").first()


def commitments_for(year: int) -> CharterData | None:
    """The charter in force in `year` with its commitments, as plain values (two queries); None
    before the first version. Texts are the seed's French; the public wording and the group
    titles have English translations in the catalogue (see gettext in the public page)."""
    version = version_for(year)
    if version is None:
        return None
    rows = Commitment.objects.filter(version=version).order_by("order")
    return CharterData(
        title=version.title,
        in_force_from=version.in_force_from,
        source=version.source,
        commitments=tuple(
            CommitmentData(
                code=c.code,
                group=c.group,
                group_title=c.group_title,
                wording=c.wording,
                description=c.description,
                means=c.means,
                means_partners=c.means_partners,
                evidence=c.evidence,
                optional=c.optional,
                order=c.order,
            )
            for c in rows
        ),
    )


# --- the assessment: one function for the house's page, the tables, the PDF and the API ------


@dataclass(frozen=True)
class EvidenceLink:
    pk: int
    commitment: str
    kind: str
    kind_label: str
    title: str
    dated_on: date
    valid_until: date
    counts: bool

    @property
    def url(self) -> str:
        return reverse("charter_evidence_file", args=[self.pk])

    @property
    def label(self) -> str:
        return self.title or self.kind_label


@dataclass
class Assessment:
    code: str
    group: int
    wording: str
    optional: bool
    status: str
    reason: str
    evidence: list[EvidenceLink] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return str(Status(self.status).label)


@dataclass
class HouseCharter:
    house: House
    year: int
    day: date
    charter: CharterData
    items: list[Assessment]

    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(Status.values, 0)
        for item in self.items:
            out[item.status] += 1
        return out

    def get(self, code: str) -> Assessment | None:
        return next((i for i in self.items if i.code == code), None)


@dataclass
class Facts:
    """What the checks read, for many houses at once: one query per source, not per house."""

    year: int
    day: date  # the day the year is assessed on (rules.reference_day)
    start: datetime
    end: datetime  # the end of what has happened of the year: min(now, 1 January next)
    ranges: dict = field(default_factory=lambda: defaultdict(list))
    premises: dict = field(default_factory=dict)
    equipment: dict = field(default_factory=lambda: defaultdict(list))
    stops: dict = field(default_factory=dict)
    partnerships: dict = field(default_factory=lambda: defaultdict(list))
    transmissions: dict = field(default_factory=dict)
    appointments: dict = field(default_factory=dict)
    staff: dict = field(default_factory=lambda: defaultdict(set))
    trained: set = field(default_factory=set)
    registers: dict = field(default_factory=dict)
    evidence: dict = field(default_factory=lambda: defaultdict(list))
    surveys: dict = field(default_factory=dict)  # {house pk: surveys.queries.CharterFacts}

    def valid(self, house_id: int, code: str, kind: str | None = None) -> list[EvidenceLink]:
        return [
            e
            for e in self.evidence[house_id]
            if e.commitment == code and e.counts and (kind is None or e.kind == kind)
        ]


def year_bounds(year: int, now: datetime) -> tuple[datetime, datetime]:
    tz = ZoneInfo(settings.TIME_ZONE)
    start = datetime(year, 1, 1, tzinfo=tz)
    return start, min(now, datetime(year + 1, 1, 1, tzinfo=tz))


def load_facts(houses: QuerySet, year: int, now: datetime) -> Facts:
    """Every fact the checks need for `houses` (a queryset, used as a subquery) and `year`."""
    today = timezone.localdate(now)
    start, end = year_bounds(year, now)
    f = Facts(year=year, day=rules.reference_day(year, today), start=start, end=end)
    ids = houses.values("pk")
    for house_id, weekday, s, e in OpeningRange.objects.filter(house__in=ids).values_list(
        "house_id", "weekday", "start", "end"
    ):
        f.ranges[house_id].append(Range(weekday, s, e))
    f.surveys = survey_queries.charter_facts_for(ids, year)
    for house_id, confidential, access in Premises.objects.filter(house__in=ids).values_list(
        "house_id", "has_confidential_space", "reduced_mobility_access"
    ):
        f.premises[house_id] = (confidential, access)
    for row in Equipment.objects.filter(house__in=ids, kind__in=REMOTE_EQUIPMENT).values_list(
        "house_id", "kind", "quantity", "for_public", "in_service"
    ):
        f.equipment[row[0]].append(row[1:])
    f.stops = dict(
        MobileStop.objects.filter(house__in=ids)
        .values("house_id")
        .annotate(n=Count("id"))
        .values_list("house_id", "n")
    )
    for house_id, name, referents in (
        Partnership.objects.active()
        .filter(house__in=ids)
        .annotate(n=Count("referents", filter=Q(referents__ended_on__isnull=True)))
        .values_list("house_id", "partner__short_name", "n")
        .order_by("partner__short_name")
    ):
        f.partnerships[house_id].append((name, referents))
    f.transmissions = {
        row["house_id"]: (row["total"], row["incomplete"])
        for row in Transmission.objects.filter(house__in=ids, sent_at__gte=start, sent_at__lt=end)
        .values("house_id")
        .annotate(
            total=Count("id"),
            incomplete=Count(
                "id",
                filter=Q(
                    status=TransmissionStatus.REFUSED, refusal_reason=RefusalReason.INCOMPLETE
                ),
            ),
        )
        .order_by()
    }
    sheet_sent = AppointmentMessage.objects.filter(
        appointment=OuterRef("pk"), kind=MessageKind.SHEET, status=MessageStatus.SENT
    )
    f.appointments = {
        row["house_id"]: (row["total"], row["prepared"])
        for row in Appointment.objects.filter(house__in=ids, start__gte=start, start__lt=end)
        .exclude(status__in=CANCELLED_STATUSES)
        .annotate(prepared=Exists(sheet_sent))
        .values("house_id")
        .annotate(total=Count("id"), prepared=Count("id", filter=Q(prepared=True)))
        .order_by()
    }
    for house_id, user_id in (
        Membership.objects.filter(
            house__in=ids, role__in=[Role.AGENT, Role.RESPONSABLE], started_on__lte=f.day
        )
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=f.day))
        .values_list("house_id", "user_id")
    ):
        f.staff[house_id].add(user_id)
    f.trained = set(
        Training.objects.filter(
            house__in=ids, kind=TrainingKind.RECEPTION, ended_on__lte=f.day
        ).values_list("house_id", "user_id")
    )
    open_overdue = Q(status__in=OPEN_STATES, due_at__lt=end)
    for row in (
        RegisterItem.objects.filter(
            house__in=ids,
            kind__in=REGISTER_OF.values(),
            received_at__gte=start,
            received_at__lt=end,
        )
        .values("house_id", "kind")
        .annotate(
            received=Count("id"),
            with_deadline=Count("id", filter=Q(on_time__isnull=False)),
            on_time_count=Count("id", filter=Q(on_time=True)),
            overdue=Count("id", filter=open_overdue),
            missed=Count("id", filter=Q(phone_outcome=PhoneOutcome.MISSED)),
        )
        .order_by()
    ):
        f.registers[(row["house_id"], row["kind"])] = row
    # Plain values, not model instances: the nation's table reads tens of thousands of them.
    labels = {kind: str(label) for kind, label in K.choices}
    for pk, house_id, code, kind, title, dated_on, valid_until in (
        Evidence.objects.filter(house__in=ids, removed_at__isnull=True)
        .order_by("-dated_on", "pk")
        .values_list("pk", "house_id", "commitment", "kind", "title", "dated_on", "valid_until")
    ):
        f.evidence[house_id].append(
            EvidenceLink(
                pk=pk,
                commitment=code,
                kind=kind,
                kind_label=labels.get(kind, kind),
                title=title,
                dated_on=dated_on,
                valid_until=valid_until,
                counts=rules.counts_on(dated_on, valid_until, f.day),
            )
        )
    return f


def assess_houses(
    houses: QuerySet, year: int, now: datetime | None = None
) -> dict[int, HouseCharter]:
    """The charter assessment of every house of `houses` for `year`, keyed by house id: a fixed
    number of queries whatever the number of houses. Empty before the charter's first version."""
    now = now or timezone.now()
    charter = commitments_for(year)
    if charter is None:
        return {}
    houses = houses.select_related("commune")
    facts = load_facts(houses, year, now)
    out = {}
    for house in houses:
        items = []
        for c in charter.commitments:
            status, reason = check(c.code, house, facts)
            items.append(
                Assessment(
                    code=c.code,
                    group=c.group,
                    wording=c.wording,
                    optional=c.optional,
                    status=status,
                    reason=reason,
                    evidence=[e for e in facts.evidence[house.pk] if e.commitment == c.code],
                )
            )
        out[house.pk] = HouseCharter(house, year, facts.day, charter, items)
    return out


def assess_house(house: House, year: int, now: datetime | None = None) -> HouseCharter | None:
    return assess_houses(House.objects.filter(pk=house.pk), year, now).get(house.pk)


# --- the checks, one per commitment: (status, reason in words with its figures) --------------

WORSE = [Status.MET, Status.PARTLY, Status.NOT_MET]
REMOTE_EQUIPMENT = [
    EquipmentKind.MULTIMEDIA,
    EquipmentKind.KIOSK,
    EquipmentKind.VISIO,
    EquipmentKind.WEBCAM,
]
REGISTER_OF = {"11": Kind.INCOMING_MAIL, "12": Kind.EMAIL, "13": Kind.PHONE, "14": Kind.COMPLAINT}


def worst(*statuses: str) -> str:
    return max(statuses, key=WORSE.index)


def _d(day: date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def _evidence_words(f: Facts, house_id: int, code: str, kind: str) -> tuple[bool, str]:
    """Whether a valid evidence of `kind` is recorded, and the words saying so."""
    valid = f.valid(house_id, code, kind)
    label = K(kind).label
    if valid:
        return True, _("%(kind)s : justificatif valable jusqu'au %(until)s") % {
            "kind": label,
            "until": _d(max(e.valid_until for e in valid)),
        }
    expired = [
        e for e in f.evidence[house_id] if e.commitment == code and e.kind == kind and not e.counts
    ]
    if expired and max(e.valid_until for e in expired) < f.day:
        return False, _("%(kind)s : justificatif expiré le %(until)s") % {
            "kind": label,
            "until": _d(max(e.valid_until for e in expired)),
        }
    return False, _("%(kind)s : aucun justificatif valable") % {"kind": label}


def check_from_evidence(code: str, house: House, f: Facts) -> tuple[str, str]:
    """Annex 5's documents: all of the item's required kinds valid — met; some — partly."""
    required = rules.ALL_REQUIRED.get(code) or rules.EVIDENCE_KINDS[code][:1]
    found = [_evidence_words(f, house.pk, code, kind) for kind in required]
    present = sum(ok for ok, _words in found)
    status = (
        Status.MET if present == len(required) else Status.PARTLY if present else Status.NOT_MET
    )
    return status, " ; ".join(words for _ok, words in found) + "."


def check_hours(house: House, f: Facts) -> tuple[str, str]:
    """1: open at least 24 h a week over 3 days (art. 3.2, network.rules.check_schedule), and
    the hours published (the house's public page, which a recognised house has)."""
    schedule = check_schedule(f.ranges[house.pk])
    figures = _("Ouverture prévue : %(hours)s par semaine sur %(days)d jours.") % {
        "hours": schedule.weekly_label,
        "days": schedule.open_days,
    }
    if not schedule.ok:
        return Status.NOT_MET, " ".join([figures, *schedule.errors])
    if house.status != HouseStatus.RECOGNISED:
        return Status.PARTLY, figures + " " + _(
            "Les horaires ne sont pas publiés : la maison n'a pas de page publique tant "
            "qu'elle n'est pas reconnue."
        )
    return Status.MET, figures + " " + _(
        "Au moins 24 heures sur 3 jours, et publiés sur la page publique de la maison."
    )


def check_equipment(house: House, f: Facts) -> tuple[str, str]:
    """3 bis: a multimedia point, a kiosk or a video equipment for the public, in service, with
    its maintenance contract (annex 5)."""
    public = [(k, q, s) for k, q, for_public, s in f.equipment[house.pk] if for_public]
    working = [(k, q) for k, q, s in public if s]
    broken = [(k, q) for k, q, s in public if not s]
    if not working:
        reason = _(
            "Aucun point multimédia, borne ni équipement de visiocommunication en état de marche à la disposition du public."
        )
        return Status.NOT_MET, reason
    parts = [
        _("En état de marche : %(list)s")
        % {"list": ", ".join(f"{EquipmentKind(k).label} ({q})" for k, q in working)}
    ]
    if broken:
        parts.append(
            _("en panne : %(list)s")
            % {"list": ", ".join(f"{EquipmentKind(k).label} ({q})" for k, q in broken)}
        )
    contract, words = _evidence_words(f, house.pk, "3 bis", K.MAINTENANCE_CONTRACT)
    parts.append(words)
    status = Status.MET if contract and not broken else Status.PARTLY
    return status, " ; ".join(parts) + "."


def check_mobile(house: House, f: Facts) -> tuple[str, str]:
    """3 ter (optional): a mobile house plans its trips (its stops are the planning)."""
    if house.kind != HouseKind.MOBILE:
        return Status.NOT_APPLICABLE, _("Option non retenue : la maison n'est pas itinérante.")
    stops = f.stops.get(house.pk, 0)
    if not stops:
        return Status.NOT_MET, _("Maison itinérante sans aucun lieu de passage planifié.")
    return Status.MET, ngettext(
        "%(n)d lieu de passage planifié chaque semaine.",
        "%(n)d lieux de passage planifiés chaque semaine.",
        stops,
    ) % {"n": stops}


def check_partners(house: House, f: Facts) -> tuple[str, str]:
    """4: a referent named for each partner (the directory of annex 5) and the transmissions of
    the year complete (not refused by the partner as incomplete)."""
    partnerships = f.partnerships[house.pk]
    if not partnerships:
        return Status.NOT_MET, _("Aucun partenaire actif : personne à associer à l'analyse.")
    missing = [name for name, referents in partnerships if not referents]
    named = len(partnerships) - len(missing)
    parts = [
        _("Annuaire des référents : %(named)d partenaire(s) sur %(total)d ont un référent désigné")
        % {"named": named, "total": len(partnerships)}
    ]
    if missing:
        parts[0] += _(" (sans référent : %(list)s)") % {"list": ", ".join(missing)}
    status = Status.MET if not missing else Status.PARTLY if named else Status.NOT_MET
    total, incomplete = f.transmissions.get(house.pk, (0, 0))
    if total:
        parts.append(
            _("saisines de %(year)d : %(good)d complète(s) sur %(total)d (%(share)s)")
            % {
                "year": f.year,
                "good": total - incomplete,
                "total": total,
                "share": rules.percent(total - incomplete, total),
            }
        )
        status = worst(status, rules.share_status(total - incomplete, total))
    else:
        parts.append(_("aucune saisine en %(year)d") % {"year": f.year})
    return status, " ; ".join(parts) + "."


def check_appointments(house: House, f: Facts) -> tuple[str, str]:
    """5: every appointment booked with a partner prepared — its preparation sheet (name of the
    person met, place, time, documents to bring) sent to the person."""
    total, prepared = f.appointments.get(house.pk, (0, 0))
    if not total:
        return Status.NOT_APPLICABLE, _(
            "Aucun rendez-vous pris auprès d'un partenaire en %(year)d."
        ) % {"year": f.year}
    return rules.share_status(prepared, total), _(
        "%(prepared)d rendez-vous sur %(total)d pris en %(year)d ont eu leur fiche de "
        "préparation envoyée (%(share)s)."
    ) % {
        "prepared": prepared,
        "total": total,
        "year": f.year,
        "share": rules.percent(prepared, total),
    }


def check_reception(house: House, f: Facts) -> tuple[str, str]:
    """8: each agent at the counter trained to reception (people.Training), and identified
    (badge, cavalier: evidence)."""
    staff = f.staff[house.pk]
    if not staff:
        return Status.NOT_MET, _("Aucun agent d'accueil enregistré dans la maison.")
    trained = sum((house.pk, user) in f.trained for user in staff)
    status = rules.share_status(trained, len(staff))
    parts = [
        _("%(trained)d agent(s) d'accueil sur %(total)d formé(s) à l'accueil")
        % {"trained": trained, "total": len(staff)}
    ]
    badge, words = _evidence_words(f, house.pk, "8", K.IDENTIFICATION)
    parts.append(words)
    if not badge:
        status = worst(status, Status.PARTLY)
    return status, " ; ".join(parts) + "."


def check_reduced_mobility(house: House, f: Facts) -> tuple[str, str]:
    """6: the arrangements (premises) checked with an association representing people with
    reduced mobility (annex 5)."""
    access = (f.premises.get(house.pk) or (False, ""))[1].strip()
    consulted, words = _evidence_words(f, house.pk, "6", K.PRM_CONSULTATION)
    if consulted:
        return Status.MET, words + "."
    if access:
        # The arrangements themselves are typed text, shown on the premises screen.
        return Status.PARTLY, _(
            "Aménagements pour les personnes à mobilité réduite déclarés dans les locaux ; "
            "%(words)s."
        ) % {"words": words}
    return Status.NOT_MET, _("Aucun aménagement déclaré dans les locaux ; %(words)s.") % {
        "words": words
    }


def check_confidential_space(house: House, f: Facts) -> tuple[str, str]:
    """10: a space isolated from the reception (art. 3.3 and annex 5), in the premises."""
    if (f.premises.get(house.pk) or (False, ""))[0]:
        return Status.MET, _(
            "Les locaux comptent un espace confidentiel, isolé de l'espace d'accueil."
        )
    return Status.NOT_MET, _("Aucun espace confidentiel déclaré dans les locaux de la maison.")


REGISTER_WORDS = {
    "11": (gettext_lazy("courrier(s)"), gettext_lazy("un mois")),
    "12": (gettext_lazy("courriel(s)"), gettext_lazy("une semaine")),
    "14": (gettext_lazy("réclamation(s)"), gettext_lazy("un mois")),
}


def check_register(code: str, house: House, f: Facts) -> tuple[str, str]:
    """11, 12, 14: the register's items of the year answered within the charter's deadline
    (registers.rules); those still open past it count as late."""
    row = f.registers.get((house.pk, REGISTER_OF[code]))
    what, delay = REGISTER_WORDS[code]
    total = (row["with_deadline"] + row["overdue"]) if row else 0
    if not total:
        reason = _(
            "Aucun élément à mesurer : aucun(e) %(what)s de %(year)d n'appelle encore de réponse."
        ) % {"what": what, "year": f.year}
        if code == "14":
            procedure, words = _evidence_words(f, house.pk, code, K.COMPLAINT_PROCEDURE)
            return (Status.MET if procedure else Status.PARTLY), f"{reason} {words}."
        return Status.NOT_APPLICABLE, reason
    good = row["on_time_count"]
    reason = _(
        "%(good)d %(what)s sur %(total)d de %(year)d traité(e)s dans le délai de %(delay)s "
        "(%(share)s)"
    ) % {
        "good": good,
        "what": what,
        "total": total,
        "year": f.year,
        "delay": delay,
        "share": rules.percent(good, total),
    }
    if row["overdue"]:
        reason += _(", dont %(n)d en retard et toujours sans réponse") % {"n": row["overdue"]}
    status = rules.share_status(good, total)
    if code == "14":
        procedure, words = _evidence_words(f, house.pk, code, K.COMPLAINT_PROCEDURE)
        reason += " ; " + words
        if not procedure:
            status = worst(status, Status.PARTLY)
    return status, reason + "."


def check_phone(house: House, f: Facts) -> tuple[str, str]:
    """13: calls taken in fewer than 5 rings or by the answering machine, called back within a
    week (registers); the answering machine out of hours (evidence)."""
    row = f.registers.get((house.pk, Kind.PHONE))
    machine, words = _evidence_words(f, house.pk, "13", K.ANSWERING_MACHINE)
    calls = row["received"] if row else 0
    if not calls:
        reason = _("Aucun appel enregistré en %(year)d") % {"year": f.year}
        return (Status.MET if machine else Status.NOT_APPLICABLE), f"{reason} ; {words}."
    late = (row["with_deadline"] - row["on_time_count"]) + row["overdue"]
    bad = row["missed"] + late
    reason = _(
        "%(good)d appel(s) sur %(total)d de %(year)d pris en charge (%(share)s) : %(missed)d "
        "manqué(s) sans message, %(late)d rappel(s) hors délai d'une semaine"
    ) % {
        "good": calls - bad,
        "total": calls,
        "year": f.year,
        "share": rules.percent(calls - bad, calls),
        "missed": row["missed"],
        "late": late,
    }
    status = rules.share_status(calls - bad, calls)
    if not machine:
        status = worst(status, Status.PARTLY)
    return status, f"{reason} ; {words}."


def check_survey(house: House, f: Facts) -> tuple[str, str]:
    """15: the satisfaction survey measured every year, its results communicated and an
    improvement plan drawn from them (annex 5). A campaign run in msap is its own evidence — its
    results screen is the analysis, their publication on the house's public page the
    communication, its actions the plan; a house that ran its survey elsewhere (on paper)
    proves it with the documents it records."""
    survey = f.surveys.get(house.pk)
    if survey is None:
        status, words = check_from_evidence("15", house, f)
        return status, _(
            "Aucune enquête de satisfaction menée dans msap en %(year)d ; %(words)s"
        ) % {
            "year": f.year,
            "words": words,
        }
    facts = [
        ngettext(
            "enquête %(year)d : %(n)d réponse",
            "enquête %(year)d : %(n)d réponses",
            survey.answers,
        )
        % {"year": f.year, "n": survey.answers},
        _("résultats publiés sur la page publique de la maison")
        if survey.published
        else _("résultats pas encore publiés"),
        ngettext(
            "plan d'amélioration de %(n)d action (%(open)d en cours)",
            "plan d'amélioration de %(n)d actions (%(open)d en cours)",
            survey.actions,
        )
        % {"n": survey.actions, "open": survey.open_actions}
        if survey.actions
        else _("aucune action d'amélioration au plan"),
    ]
    reason = " ; ".join(facts) + "."
    if not survey.answers:
        return Status.NOT_MET, reason
    if survey.published and survey.actions:
        return Status.MET, reason
    return Status.PARTLY, reason


CHECKS = {
    "1": check_hours,
    "3 bis": check_equipment,
    "3 ter": check_mobile,
    "4": check_partners,
    "5": check_appointments,
    "6": check_reduced_mobility,
    "8": check_reception,
    "10": check_confidential_space,
    "11": partial(check_register, "11"),
    "12": partial(check_register, "12"),
    "13": check_phone,
    "14": partial(check_register, "14"),
    "15": check_survey,
}


def check(code: str, house: House, f: Facts) -> tuple[str, str]:
    """One commitment's status and reason, from the data where it tells, else from evidence."""
    if code in CHECKS:
        return CHECKS[code](house, f)
    if code in rules.EVIDENCE_KINDS:
        return check_from_evidence(code, house, f)
    # A commitment of a later version that msap does not know how to check yet.
    return Status.NOT_APPLICABLE, _("Aucun moyen de contrôle défini pour cet engagement.")


# --- evidence: access, expiry ------------------------------------------------------------------


def get_house_charter_access(user, house_pk, *, need: str = "view"):
    """The house and the user's access to its charter: 404 when the house is unseen, 403 when
    seen but the charter is not for them (a partner referent), or `need` is "manage"."""
    house, access = get_house_for_user(user, house_pk)
    permissions.check_charter(access, need)
    return house, access


def get_evidence_for_user(user, pk, *, need: str = "view"):
    evidence = permissions.fetch(
        Evidence.objects.select_related("house__commune__departement", "house__organisation"),
        pk,
        _("Justificatif introuvable."),
    )
    access = permissions.house_access(user, evidence.house)
    if not access.view:
        raise Http404(_("Justificatif introuvable."))
    permissions.check_charter(access, need)
    return evidence, access


def charter_houses(user) -> QuerySet:
    """The houses whose charter the user sees (the tables' rows)."""
    q = permissions.charter_houses_q(user)
    if q == permissions.NOTHING:
        return House.objects.none()
    return House.objects.filter(q)


def expiring_evidence(today: date) -> list[Evidence]:
    """Evidence still counting whose last valid day is within the reminder's horizon, without
    a newer evidence of the same house, commitment and kind that outlasts it."""
    horizon = today + timedelta(days=rules.REMIND_BEFORE_DAYS)
    live = Evidence.objects.filter(removed_at__isnull=True)
    replaced = live.filter(
        house=OuterRef("house"),
        commitment=OuterRef("commitment"),
        kind=OuterRef("kind"),
        valid_until__gt=OuterRef("valid_until"),
    )
    return list(
        live.filter(valid_until__gte=today, valid_until__lte=horizon, dated_on__lte=today)
        .exclude(Exists(replaced))
        .select_related("house")
        .order_by("valid_until", "pk")
    )


# A reminder queued this long ago, still unsent and unclaimed, lost its task: queue it again.
LOST_AFTER = timedelta(hours=1)


def lost_reminders(now: datetime) -> list[int]:
    return list(
        ExpiryReminder.objects.filter(
            sent_at__isnull=True, claim="", created_at__lt=now - LOST_AFTER
        ).values_list("pk", flat=True)
    )


def reminder_recipients(house_id: int) -> list[str]:
    """The house's responsables (who manage its evidence), else its gestionnaire's people."""
    members = Membership.objects.current().filter(user__is_active=True).exclude(user__email="")
    emails = members.filter(role=Role.RESPONSABLE, house_id=house_id).values_list(
        "user__email", flat=True
    )
    if not emails:
        emails = members.filter(role=Role.GESTIONNAIRE, organisation__houses=house_id).values_list(
            "user__email", flat=True
        )
    return sorted(set(emails))


@dataclass
class CharterTable:
    charter: CharterData
    year: int
    rows: list[HouseCharter]

    def totals(self) -> list[tuple[CommitmentData, dict[str, int]]]:
        """Per commitment, how many houses are in each status."""
        out = []
        for index, c in enumerate(self.charter.commitments):
            counts = dict.fromkeys(Status.values, 0)
            for row in self.rows:
                counts[row.items[index].status] += 1
            out.append((c, counts))
        return out


def charter_table(houses: QuerySet, year: int, now: datetime | None = None) -> CharterTable | None:
    """The table of houses × commitments: every house assessed in one batch (assess_houses),
    in the order of `houses`."""
    assessed = assess_houses(houses, year, now)
    if not assessed:
        return None
    rows = list(assessed.values())
    return CharterTable(rows[0].charter, year, rows)
