"""Steering committee intents (art. 6): the gestionnaire or the house's responsable plans a
meeting (its members drawn from the house's signatories), edits it, sends the invitation, records
who came, the minutes and the decisions, and sets the progress axes and their status.

Each owns its transaction, its checks (DomainError in French, nothing saved), and its journal
entry; concurrent edits are refused by the meeting's version (core.errors.bump_version), a
double submission returns the first meeting (its idempotency key).
"""

import os
import secrets
from datetime import date, datetime, time

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from msap.committees import rules, tasks
from msap.committees.models import (
    AgendaItem,
    Decision,
    Meeting,
    MeetingStatus,
    Member,
    MemberKind,
    NoticeKind,
    Presence,
    ProgressAxis,
)
from msap.core import journal
from msap.core.errors import DomainError, IdempotencyConflict, bump_version, check_email
from msap.core.rules import day_error, moment_error
from msap.lib.uploads import UploadError, check_upload
from msap.people.models import Membership, Role


def _refuse(message: str, field: str = "__all__"):
    raise DomainError(message, {field: [message]})


def _text(value, field: str, *, required: str | None, limit: int) -> str:
    value = (value or "").strip()
    if not value and required:
        _refuse(required, field)
    if len(value) > limit:
        _refuse(_("Ce texte tient en %(max)s caractères au maximum.") % {"max": limit}, field)
    return value


def _lines(values, field: str) -> list[str]:
    """The non-empty lines of a list (an agenda, decisions), each within the title limit."""
    out = []
    for value in values or ():
        line = _text(value, field, required=None, limit=rules.TITLE_MAX_LENGTH)
        if line:
            out.append(line)
    return out


def _start(house, day: date, at: time) -> datetime:
    """The meeting's instant, from a day and a time in the house's zone, the day checked first."""
    if not isinstance(day, date) or not isinstance(at, time):
        _refuse(_("Indiquez la date et l'heure de la réunion."), "day")
    message = day_error(day)
    if message:
        _refuse(message, "day")
    return timezone.make_aware(datetime.combine(day, at), house.tz)


def _check_duration(minutes) -> int:
    if not isinstance(minutes, int) or not 15 <= minutes <= 720:
        _refuse(_("Une réunion dure de 15 minutes à 12 heures."), "duration_minutes")
    return minutes


def _not_in_future(meeting: Meeting, now: datetime, what: str) -> None:
    """Minutes and presence are records of what happened: refused for a meeting to come."""
    if moment_error(meeting.starts_at, now=now) is not None:
        _refuse(
            _(
                "Cette réunion n'a pas encore eu lieu (le %(day)s) : %(what)s s'enregistre "
                "après la réunion."
            )
            % {
                "day": timezone.localtime(meeting.starts_at, meeting.house.tz).strftime(
                    "%d/%m/%Y à %H:%M"
                ),
                "what": what,
            }
        )


def default_members(house) -> list[dict]:
    """Who sits in the committee (art. 6): the gestionnaire, each partner that signed (an active
    partnership, named by its referent in post), the prefect's representative and the
    departmental cell (its accounts, when it has some)."""
    members = [
        {
            "kind": MemberKind.GESTIONNAIRE,
            "name": _("Représentant du gestionnaire"),
            "organisation": house.organisation.name,
        }
    ]
    for partnership in (
        house.partnerships.active().select_related("partner").order_by("partner__short_name")
    ):
        referent = partnership.referents.filter(ended_on__isnull=True).order_by("pk").first()
        members.append(
            {
                "kind": MemberKind.PARTNER,
                "name": referent.first_name + " " + referent.last_name
                if referent
                else _("Référent à désigner"),
                "organisation": partnership.partner.name,
                "function": referent.function if referent else "",
                "email": referent.email if referent else "",
                "partnership": partnership,
            }
        )
    departement = house.commune.departement
    members.append(
        {
            "kind": MemberKind.PREFECT,
            "name": _("Représentant du préfet"),
            "organisation": _("Préfecture — %(name)s") % {"name": departement.name},
        }
    )
    cell = (
        Membership.objects.current()
        .filter(role=Role.DEPARTEMENT, departement=departement, user__is_active=True)
        .select_related("user")
        .order_by("user__last_name", "user__email")
    )
    for membership in cell:
        user = membership.user
        members.append(
            {
                "kind": MemberKind.DEPARTEMENT,
                "name": f"{user.first_name} {user.last_name}".strip() or user.email,
                "organisation": _("Cellule départementale d'animation — %(name)s")
                % {"name": departement.name},
                "email": user.email,
            }
        )
    if len(members) == 2:  # no account for the cell: it is invited all the same (art. 6)
        members.append(
            {
                "kind": MemberKind.DEPARTEMENT,
                "name": _("Cellule départementale d'animation"),
                "organisation": departement.name,
            }
        )
    return members


def _replay(actor, key: str, given: dict) -> Meeting | None:
    if not key:
        return None
    existing = Meeting.objects.filter(created_by=actor, idempotency_key=key).first()
    if existing is None:
        return None
    if any(getattr(existing, field) != value for field, value in given.items()):
        raise IdempotencyConflict(
            _(
                "Ce formulaire a déjà servi à enregistrer une autre réunion (le %(day)s) : rien "
                "n'a été modifié. Rechargez le formulaire pour en prévoir une autre."
            )
            % {"day": existing.starts_at.strftime("%d/%m/%Y")},
            existing,
        )
    return existing


def plan_meeting(
    actor,
    house,
    *,
    day: date,
    at: time,
    place: str,
    duration_minutes: int = 120,
    agenda=(),
    idempotency_key: str = "",
) -> tuple[Meeting, bool]:
    """Plan a meeting of the house's committee, its members drawn from the house's data.
    Returns (meeting, created): the same form sent twice gives the first meeting."""
    starts_at = _start(house, day, at)
    place = _text(place, "place", required=_("Indiquez le lieu de la réunion."), limit=300)
    duration_minutes = _check_duration(duration_minutes)
    agenda = _lines(agenda, "agenda")
    key = (idempotency_key or "").strip()[:64]
    given = {"house_id": house.pk, "starts_at": starts_at, "place": place}
    existing = _replay(actor, key, given)
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            meeting = Meeting.objects.create(
                house=house,
                starts_at=starts_at,
                place=place,
                duration_minutes=duration_minutes,
                created_by=actor,
                idempotency_key=key,
            )
            Member.objects.bulk_create(
                [Member(meeting=meeting, **m) for m in default_members(house)]
            )
            AgendaItem.objects.bulk_create(
                [AgendaItem(meeting=meeting, position=i, title=t) for i, t in enumerate(agenda, 1)]
            )
            journal.record(
                actor,
                "committee.plan",
                meeting,
                summary=gettext_noop("Comité de pilotage prévu le %(start)s"),
                params={"start": starts_at},
            )
    except IntegrityError:
        existing = _replay(actor, key, given)
        if existing is None:
            raise
        return existing, False
    return meeting, True


def update_meeting(
    actor,
    meeting: Meeting,
    *,
    version: int,
    day: date,
    at: time,
    place: str,
    duration_minutes: int,
    agenda=(),
) -> Meeting:
    """Change the date, place, duration or agenda; refused when someone saved it meanwhile."""
    starts_at = _start(meeting.house, day, at)
    place = _text(place, "place", required=_("Indiquez le lieu de la réunion."), limit=300)
    duration_minutes = _check_duration(duration_minutes)
    agenda = _lines(agenda, "agenda")
    with transaction.atomic():
        meeting.version = bump_version(Meeting, meeting.pk, version)
        changes = {}
        if meeting.starts_at != starts_at:
            changes["starts_at"] = [meeting.starts_at.isoformat(), starts_at.isoformat()]
        meeting.starts_at, meeting.place, meeting.duration_minutes = (
            starts_at,
            place,
            duration_minutes,
        )
        meeting.save(update_fields=["starts_at", "place", "duration_minutes"])
        meeting.agenda.all().delete()
        AgendaItem.objects.bulk_create(
            [AgendaItem(meeting=meeting, position=i, title=t) for i, t in enumerate(agenda, 1)]
        )
        journal.record(
            actor,
            "committee.update",
            meeting,
            summary=gettext_noop("Comité de pilotage du %(start)s modifié"),
            params={"start": starts_at},
            changes=changes,
        )
    return meeting


def record_minutes(
    actor,
    meeting: Meeting,
    *,
    version: int,
    minutes: str = "",
    upload=None,
    decisions=(),
    now: datetime | None = None,
) -> Meeting:
    """The minutes (text and/or a file) and the decisions of a meeting that took place; the
    meeting is then held. Refused for a meeting to come, and when someone saved it meanwhile."""
    now = now or timezone.now()
    _not_in_future(meeting, now, _("le compte rendu"))
    if meeting.status == MeetingStatus.CANCELLED:
        _refuse(_("Cette réunion a été annulée : elle n'a pas de compte rendu."))
    minutes = _text(minutes, "minutes", required=None, limit=rules.TEXT_MAX_LENGTH)
    decisions = _lines(decisions, "decisions")
    kind = None
    if upload:
        try:
            kind = check_upload(upload, allowed=rules.MINUTES_TYPES)
        except UploadError as exc:
            _refuse(str(exc), "minutes_file")
    if not minutes and not upload and not meeting.minutes_file:
        _refuse(_("Saisissez le compte rendu ou joignez-en le fichier."), "minutes")
    stored = None
    try:
        with transaction.atomic():
            meeting.version = bump_version(Meeting, meeting.pk, version)
            fields = ["minutes"]
            meeting.minutes = minutes
            if upload:
                meeting.minutes_file.save(f"{secrets.token_hex(16)}.{kind}", upload, save=False)
                stored = meeting.minutes_file
                meeting.minutes_file_kind = kind
                meeting.minutes_file_name = (
                    os.path.basename((upload.name or "").replace("\\", "/"))[:200] or "compte-rendu"
                )
                fields += ["minutes_file", "minutes_file_kind", "minutes_file_name"]
            if meeting.status == MeetingStatus.PLANNED:
                meeting.set_status(MeetingStatus.HELD)
                fields.append("status")
            meeting.save(update_fields=fields)
            meeting.decisions.all().delete()
            Decision.objects.bulk_create(
                [Decision(meeting=meeting, position=i, text=t) for i, t in enumerate(decisions, 1)]
            )
            journal.record(
                actor,
                "committee.minutes",
                meeting,
                summary=gettext_noop("Compte rendu du comité de pilotage du %(start)s enregistré"),
                params={"start": meeting.starts_at},
            )
    except Exception:
        if stored is not None:
            stored.storage.delete(stored.name)
        raise
    return meeting


def record_presence(
    actor, meeting: Meeting, *, version: int, presences: dict, now: datetime | None = None
) -> Meeting:
    """Who was present, excused or absent ({member pk: presence}); refused for a meeting to come."""
    now = now or timezone.now()
    _not_in_future(meeting, now, _("la présence"))
    members = {m.pk: m for m in meeting.members.all()}
    for pk, presence in presences.items():
        if pk not in members:
            _refuse(_("Ce membre n'est pas invité à cette réunion."), "presence")
        if presence not in Presence.values:
            _refuse(_("Présence inconnue."), "presence")
    with transaction.atomic():
        meeting.version = bump_version(Meeting, meeting.pk, version)
        changed = []
        for pk, presence in presences.items():
            if members[pk].presence != presence:
                members[pk].presence = presence
                changed.append(members[pk])
        Member.objects.bulk_update(changed, ["presence"])
        journal.record(
            actor,
            "committee.presence",
            meeting,
            summary=gettext_noop("Présence au comité de pilotage du %(start)s enregistrée"),
            params={"start": meeting.starts_at},
        )
    return meeting


def add_member(
    actor, meeting: Meeting, *, kind: str, name: str, organisation: str, function="", email=""
) -> Member:
    if kind not in MemberKind.values:
        _refuse(_("Indiquez à quel titre ce membre siège."), "kind")
    name = _text(name, "name", required=_("Indiquez le nom du membre."), limit=200)
    organisation = _text(
        organisation, "organisation", required=_("Indiquez l'organisme représenté."), limit=200
    )
    function = _text(function, "function", required=None, limit=200)
    email = (email or "").strip()
    if email:
        check_email(email, example="prenom.nom@prefecture.gouv.fr")
    with transaction.atomic():
        member = Member.objects.create(
            meeting=meeting,
            kind=kind,
            name=name,
            organisation=organisation,
            function=function,
            email=email,
        )
        journal.record(
            actor,
            "committee.member",
            meeting,
            summary=gettext_noop("%(name)s invité au comité de pilotage"),
            params={"name": name},
        )
    return member


def _move(actor, record, status: str, version: int, action: str, summary: str, params: dict):
    """A guarded status move (core.states) of a meeting or an axis, refused when the record was
    saved meanwhile (its version), journaled with the move."""
    with transaction.atomic():
        before = record.set_status(status)
        record.version = bump_version(type(record), record.pk, version)
        record.save(update_fields=["status"])
        journal.record(
            actor,
            action,
            record,
            summary=summary,
            # The choice's lazy label: the journal stores its source text, read in the reader's language.
            params={**params, "status": dict(record._status_choices())[status]},
            changes={"status": [before, status]},
        )
    return record


def set_meeting_status(actor, meeting: Meeting, *, status: str, version: int) -> Meeting:
    """Cancel a planned meeting or plan it again; "held" is what recording the minutes does."""
    if status == MeetingStatus.HELD:
        _refuse(_("Une réunion est tenue quand son compte rendu est enregistré."), "status")
    return _move(
        actor,
        meeting,
        status,
        version,
        "committee.status",
        gettext_noop("Comité de pilotage du %(start)s : %(status)s"),
        {"start": meeting.starts_at},
    )


def add_axis(actor, meeting: Meeting, *, title: str, owner: str, due_on) -> ProgressAxis:
    """A medium-term progress axis the committee sets itself (art. 6), with its owner and date."""
    title = _text(title, "title", required=_("Indiquez l'axe de progrès."), limit=300)
    owner = _text(owner, "owner", required=_("Indiquez qui porte cet axe."), limit=200)
    if not isinstance(due_on, date):
        _refuse(_("Indiquez l'échéance de cet axe."), "due_on")
    message = day_error(due_on)
    if message:
        _refuse(message, "due_on")
    if due_on < timezone.localtime(meeting.starts_at, meeting.house.tz).date():
        _refuse(_("L'échéance d'un axe vient après la réunion qui le fixe."), "due_on")
    with transaction.atomic():
        axis = ProgressAxis.objects.create(
            house=meeting.house, meeting=meeting, title=title, owner=owner, due_on=due_on
        )
        journal.record(
            actor,
            "committee.axis",
            axis,
            summary=gettext_noop("Axe de progrès « %(title)s » fixé"),
            params={"title": title},
        )
    return axis


def move_axis(actor, axis: ProgressAxis, *, status: str, version: int) -> ProgressAxis:
    return _move(
        actor,
        axis,
        status,
        version,
        "committee.axis_status",
        gettext_noop("Axe de progrès « %(title)s » : %(status)s"),
        {"title": axis.title},
    )


def send_invitation(actor, meeting: Meeting, now: datetime | None = None) -> int:
    """Queue the invitation (the agenda and the ICS file) to every member with an address, once.
    Returns the number of recipients."""
    now = now or timezone.now()
    if meeting.status != MeetingStatus.PLANNED:
        _refuse(_("Seule une réunion prévue est envoyée en invitation."))
    if meeting.starts_at <= now:
        _refuse(_("Cette réunion a déjà eu lieu : l'invitation n'a plus d'objet."))
    recipients = [m.email for m in meeting.members.all() if m.email]
    if not recipients:
        _refuse(
            _(
                "Aucun membre invité n'a d'adresse électronique : ajoutez-en avant d'envoyer "
                "l'invitation."
            )
        )
    with transaction.atomic():
        if not Meeting.objects.filter(pk=meeting.pk, invitation_sent_at__isnull=True).update(
            invitation_sent_at=now
        ):
            _refuse(_("L'invitation à cette réunion a déjà été envoyée."))
        meeting.invitation_sent_at = now
        tasks.notify(meeting.house, NoticeKind.INVITATION, str(meeting.pk), now, meeting=meeting)
        journal.record(
            actor,
            "committee.invite",
            meeting,
            summary=gettext_noop("Invitation au comité de pilotage du %(start)s envoyée"),
            params={"start": meeting.starts_at},
        )
    return len(recipients)
