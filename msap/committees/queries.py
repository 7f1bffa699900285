"""The reads of the steering committee (art. 6) that screens, the alert and the annual review
share, with the access helper of a meeting."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Max, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from msap import permissions
from msap.committees import rules
from msap.committees.models import (
    AgendaItem,
    AxisStatus,
    Decision,
    Meeting,
    MeetingStatus,
    ProgressAxis,
)
from msap.lib.dates import timezone_for
from msap.network.models import House
from msap.permissions import HOUSE_RELATED


def get_meeting_for_user(user, pk, *, need: str = "view"):
    """The meeting and the user's access to its house: 404 when the house (or the meeting) is
    unseen, 403 when `need` ("view", "manage") is not allowed."""
    meeting = permissions.fetch(
        Meeting.objects.select_related(*HOUSE_RELATED), pk, _("Réunion introuvable.")
    )
    access = permissions.house_access(user, meeting.house)
    permissions.check_meeting(access, need)
    return meeting, access


def house_meetings(house) -> QuerySet:
    return Meeting.objects.filter(house=house).order_by("-starts_at", "-pk")


def meeting_detail(meeting: Meeting) -> dict:
    """What a meeting's page shows, in four queries."""
    return {
        "members": list(meeting.members.all()),
        "agenda": list(meeting.agenda.all()),
        "decisions": list(meeting.decisions.all()),
        "axes": list(meeting.axes.all()),
    }


def house_axes(house) -> QuerySet:
    return ProgressAxis.objects.filter(house=house).select_related("meeting")


def last_held(houses) -> dict[int, date | None]:
    """{house pk: the day of its last meeting held, or None}, in one query."""
    rows = (
        House.objects.filter(pk__in=[getattr(h, "pk", h) for h in houses])
        .annotate(
            last=Max(
                "committee_meetings__starts_at",
                filter=Q(committee_meetings__status=MeetingStatus.HELD),
            )
        )
        .values_list("pk", "last", "commune__departement_id")
    )
    return {
        pk: (last.astimezone(timezone_for(dept)).date() if last else None)
        for pk, last, dept in rows
    }


@dataclass
class CommitteeState:
    """Where a house stands against art. 6's yearly meeting."""

    last_held: date | None
    due_on: date | None
    overdue: bool

    @property
    def message(self) -> str:
        if self.last_held is None:
            return _(
                "Aucune réunion du comité de pilotage n'a été tenue : l'article 6 de la "
                "convention en demande au moins une par an."
            )
        return _(
            "Aucune réunion du comité de pilotage depuis le %(day)s, il y a plus de %(months)s "
            "mois : l'article 6 de la convention en demande au moins une par an."
        ) % {"day": self.last_held.strftime("%d/%m/%Y"), "months": rules.MONTHS_BETWEEN_MEETINGS}


def committee_states(houses, today: date) -> dict[int, CommitteeState]:
    since = {getattr(h, "pk", h): getattr(h, "recognised_on", None) for h in houses}
    return {
        pk: CommitteeState(
            last_held=last,
            due_on=rules.next_meeting_due(last, since.get(pk)),
            overdue=rules.meeting_overdue(last, today, since.get(pk)),
        )
        for pk, last in last_held(houses).items()
    }


def committee_flags(houses) -> dict[int, list[str]]:
    """network.queries.houses_flags' provider: a house without a meeting for 12 months (art. 6)."""
    today = timezone.localdate()
    # A project has no committee yet (it meets from the convention on), a closed house no more.
    open_houses = [h for h in houses if getattr(h, "status", "") == "recognised"]
    return {
        pk: [state.message]
        for pk, state in committee_states(open_houses, today).items()
        if state.overdue
    }


def review_meetings(houses, start: datetime, end: datetime) -> dict[int, list[Meeting]]:
    """{house pk: its meetings held in [start, end), with their agenda, decisions and members}."""
    out: dict[int, list[Meeting]] = {}
    meetings = (
        Meeting.objects.filter(
            house__in=houses, status=MeetingStatus.HELD, starts_at__gte=start, starts_at__lt=end
        )
        .order_by("starts_at")
        .prefetch_related(
            Prefetch("decisions", queryset=Decision.objects.order_by("position")),
            Prefetch("agenda", queryset=AgendaItem.objects.order_by("position")),
            "members",
        )
    )
    for meeting in meetings:
        out.setdefault(meeting.house_id, []).append(meeting)
    return out


def review_axes(houses, year: int) -> dict[int, list[ProgressAxis]]:
    """{house pk: the axes that concern `year`}: set by then, and still open or due that year."""
    out: dict[int, list[ProgressAxis]] = {}
    axes = ProgressAxis.objects.filter(house__in=houses, meeting__starts_at__year__lte=year).filter(
        Q(due_on__year__gte=year) | Q(status__in=[AxisStatus.PLANNED, AxisStatus.IN_PROGRESS])
    )
    for axis in axes.order_by("due_on", "pk"):
        out.setdefault(axis.house_id, []).append(axis)
    return out
