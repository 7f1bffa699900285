"""Steering committee screens (art. 6): a house's meetings and progress axes, a meeting's page
(members, agenda, minutes, decisions, axes), planning and editing a meeting, its minutes and
presence, its invitation and calendar file — kept by the gestionnaire and the house's
responsables, read by whoever sees the house (the partners sit in the committee, the
departmental cell is invited); the départements' overview and their annual review (PDF).

Thin views: parse, check access, call msap.committees.services, render.
"""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from msap import permissions
from msap.committees import queries, review, services
from msap.committees.forms import (
    AxisForm,
    AxisStatusForm,
    MeetingForm,
    MemberForm,
    MinutesForm,
    PresenceForm,
    ReviewForm,
    StatusForm,
)
from msap.committees.ics import render_ics
from msap.committees.models import MeetingStatus, ProgressAxis
from msap.core.confirm import confirmed
from msap.core.forms import refusal_as_message, refusals_on
from msap.core.pages import render_house_tab
from msap.desk.forms import new_idempotency_key
from msap.lib.forms import parse_id
from msap.lib.uploads import private_file_response
from msap.network.queries import get_house_for_user, visible_houses
from msap.territory.models import Departement

_house_page = partial(render_house_tab, tab="committee")


def _today(house):
    return timezone.localdate(timezone.now(), house.tz)


@never_cache
@login_required
@require_GET
def committee_list(request, house_pk):
    house, access = get_house_for_user(request.user, house_pk)
    state = queries.committee_states([house], _today(house))[house.pk]
    return _house_page(
        request,
        "committees/list.html",
        house,
        access,
        meetings=list(queries.house_meetings(house)),
        axes=list(queries.house_axes(house)),
        state=state,
        title=_("Comité de pilotage — %(name)s") % {"name": house.name},
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def committee_new(request, house_pk):
    house, access = get_house_for_user(request.user, house_pk, need="manage")
    if request.method == "POST":
        form = MeetingForm(request.POST)
        if form.is_valid():
            with refusals_on(form):
                meeting, created = services.plan_meeting(
                    request.user,
                    house,
                    idempotency_key=form.cleaned_data["key"],
                    **form.service_kwargs(),
                )
                if created:
                    messages.success(request, _("La réunion du comité de pilotage est prévue."))
                else:
                    messages.info(request, _("Cette réunion avait déjà été enregistrée."))
                return redirect("committee_meeting", meeting.pk)
    else:
        form = MeetingForm(
            initial={
                "key": new_idempotency_key(),
                "place": f"{house.name}, {house.address}",
                "agenda": "\n".join(
                    [
                        _("Bilan de l'activité de l'année"),
                        _("Respect de la charte de qualité"),
                        _("Résultats de l'enquête de satisfaction"),
                        _("Axes de progrès"),
                    ]
                ),
            }
        )
    return _house_page(
        request,
        "committees/meeting_form.html",
        house,
        access,
        form=form,
        title=_("Prévoir une réunion du comité de pilotage — %(name)s") % {"name": house.name},
    )


def _meeting_page(request, meeting, access, status=None, **forms):
    house = meeting.house
    manage = access.manage
    past = meeting.starts_at <= timezone.now()
    context = {
        "meeting": meeting,
        "local_start": timezone.localtime(meeting.starts_at, house.tz),
        "past": past,
        **queries.meeting_detail(meeting),
    }
    if manage:
        context.setdefault("member_form", MemberForm())
        context.setdefault("axis_form", AxisForm())
        context.update(forms)
        context["statuses"] = [s for s in meeting.available_statuses() if s != MeetingStatus.HELD]
    return _house_page(
        request,
        "committees/meeting.html",
        house,
        access,
        status=status,
        title=str(meeting),
        **context,
    )


@never_cache
@login_required
@require_GET
def committee_meeting(request, pk):
    meeting, access = queries.get_meeting_for_user(request.user, pk)
    return _meeting_page(request, meeting, access)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def committee_edit(request, pk):
    meeting, access = queries.get_meeting_for_user(request.user, pk, need="manage")
    house = meeting.house
    if request.method == "POST":
        form = MeetingForm(request.POST)
        if form.is_valid():
            with refusals_on(form):
                services.update_meeting(
                    request.user,
                    meeting,
                    version=form.cleaned_data["version"] or 0,
                    **form.service_kwargs(),
                )
                messages.success(request, _("La réunion est modifiée."))
                return redirect("committee_meeting", meeting.pk)
    else:
        local = timezone.localtime(meeting.starts_at, house.tz)
        form = MeetingForm(
            initial={
                "version": meeting.version,
                "day": local.date(),
                "at": local.time(),
                "duration_minutes": meeting.duration_minutes,
                "place": meeting.place,
                "agenda": "\n".join(a.title for a in meeting.agenda.all()),
            }
        )
    return _house_page(
        request,
        "committees/meeting_form.html",
        house,
        access,
        form=form,
        meeting=meeting,
        title=_("Modifier la réunion — %(name)s") % {"name": house.name},
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def committee_minutes(request, pk):
    meeting, access = queries.get_meeting_for_user(request.user, pk, need="manage")
    house = meeting.house
    if request.method == "POST":
        form = MinutesForm(request.POST, request.FILES)
        if form.is_valid():
            with refusals_on(form):
                services.record_minutes(
                    request.user,
                    meeting,
                    version=form.cleaned_data["version"],
                    minutes=form.cleaned_data["minutes"],
                    upload=form.cleaned_data["minutes_file"],
                    decisions=form.cleaned_data["decisions"],
                )
                messages.success(request, _("Le compte rendu et les décisions sont enregistrés."))
                return redirect("committee_meeting", meeting.pk)
    else:
        form = MinutesForm(
            initial={
                "version": meeting.version,
                "minutes": meeting.minutes,
                "decisions": "\n".join(d.text for d in meeting.decisions.all()),
            }
        )
    return _house_page(
        request,
        "committees/minutes_form.html",
        house,
        access,
        form=form,
        meeting=meeting,
        title=_("Compte rendu — %(meeting)s") % {"meeting": meeting},
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def committee_presence(request, pk):
    meeting, access = queries.get_meeting_for_user(request.user, pk, need="manage")
    members = list(meeting.members.all())
    if request.method == "POST":
        form = PresenceForm(request.POST, members=members)
        if form.is_valid():
            with refusals_on(form):
                services.record_presence(
                    request.user,
                    meeting,
                    version=form.cleaned_data["version"],
                    presences=form.presences(),
                )
                messages.success(request, _("La présence des membres est enregistrée."))
                return redirect("committee_meeting", meeting.pk)
    else:
        form = PresenceForm(initial={"version": meeting.version}, members=members)
    return _house_page(
        request,
        "committees/presence_form.html",
        meeting.house,
        access,
        form=form,
        meeting=meeting,
        title=_("Présence — %(meeting)s") % {"meeting": meeting},
    )


@never_cache
@login_required
@require_POST
def committee_member_add(request, pk):
    meeting, access = queries.get_meeting_for_user(request.user, pk, need="manage")
    form = MemberForm(request.POST)
    if form.is_valid():
        with refusals_on(form):
            services.add_member(request.user, meeting, **form.cleaned_data)
            messages.success(request, _("Le membre est ajouté aux invités."))
            return redirect("committee_meeting", meeting.pk)
    return _meeting_page(request, meeting, access, status=400, member_form=form)


@never_cache
@login_required
@require_POST
def committee_axis_add(request, pk):
    meeting, access = queries.get_meeting_for_user(request.user, pk, need="manage")
    form = AxisForm(request.POST)
    if form.is_valid():
        with refusals_on(form):
            services.add_axis(request.user, meeting, **form.cleaned_data)
            messages.success(request, _("L'axe de progrès est enregistré."))
            return redirect("committee_meeting", meeting.pk)
    return _meeting_page(request, meeting, access, status=400, axis_form=form)


def _status_move(request, form, act, meeting_pk: int, done: str):
    """A status move posted from the meeting's page: a refusal becomes an error message."""
    if not form.is_valid():
        messages.error(request, _("Choisissez un statut proposé."))
    else:
        with refusal_as_message(request):
            act(**form.cleaned_data)
            messages.success(request, done)
    return redirect("committee_meeting", meeting_pk)


@never_cache
@login_required
@require_POST
def committee_axis_status(request, pk):
    axis = ProgressAxis.objects.filter(pk=parse_id(pk) or 0).first()
    if axis is None:
        raise Http404(_("Axe de progrès introuvable."))
    meeting, _access = queries.get_meeting_for_user(request.user, axis.meeting_id, need="manage")
    return _status_move(
        request,
        AxisStatusForm(request.POST),
        lambda **data: services.move_axis(request.user, axis, **data),
        meeting.pk,
        _("Le statut de l'axe est changé."),
    )


@never_cache
@login_required
@require_POST
def committee_status(request, pk):
    meeting, _access = queries.get_meeting_for_user(request.user, pk, need="manage")
    return _status_move(
        request,
        StatusForm(request.POST),
        lambda **data: services.set_meeting_status(request.user, meeting, **data),
        meeting.pk,
        _("Le statut de la réunion est changé."),
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def committee_invite(request, pk):
    meeting, _access = queries.get_meeting_for_user(request.user, pk, need="manage")
    emails = [m for m in meeting.members.all() if m.email]
    return confirmed(
        request,
        act=lambda: services.send_invitation(request.user, meeting),
        done=_("L'invitation part aux membres par courriel, avec l'ordre du jour."),
        back_url=reverse("committee_meeting", args=[meeting.pk]),
        title=_("Envoyer l'invitation"),
        question=_("Envoyer l'invitation à cette réunion ?"),
        consequence=_(
            "Chaque membre invité qui a une adresse électronique reçoit l'ordre du jour et le "
            "fichier de calendrier ; l'invitation ne part qu'une fois."
        ),
        button=_("Envoyer l'invitation"),
        details=[(m.name, m.email) for m in emails],
    )


@never_cache
@login_required
@require_GET
def committee_ics(request, pk):
    meeting, _access = queries.get_meeting_for_user(request.user, pk)
    response = HttpResponse(render_ics(meeting), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="comite-{meeting.pk}.ics"'
    return response


@never_cache
@login_required
@require_GET
def committee_minutes_file(request, pk):
    meeting, _access = queries.get_meeting_for_user(request.user, pk)
    if not meeting.minutes_file:
        raise Http404(_("Cette réunion n'a pas de compte rendu en fichier."))
    return private_file_response(
        meeting.minutes_file,
        f"comite-{meeting.pk}-compte-rendu",
        missing=_("Ce fichier n'est plus disponible."),
        kind=meeting.minutes_file_kind,
    )


# --- the départements' overview and annual review ----------------------------------------------


def _departements(user):
    scope = permissions.require_overseer(user)
    qs = Departement.objects.order_by("code")
    if not (scope.admin or scope.national):
        qs = qs.filter(code__in=scope.departements)
    return list(qs)


@never_cache
@login_required
@require_GET
def committee_overview(request):
    """The houses the overseer sees, with where each stands against art. 6, and the review's
    form."""
    departements = _departements(request.user)
    houses = list(
        visible_houses(request.user)
        .exclude(status="closed")
        .select_related("commune__departement", "organisation")
        .order_by("commune__departement_id", "name")
    )
    states = queries.committee_states(houses, timezone.localdate())
    return render(
        request,
        "committees/overview.html",
        {
            "rows": [(house, states[house.pk]) for house in houses],
            "overdue": sum(1 for s in states.values() if s.overdue),
            "form": ReviewForm(departements=departements),
            "title": _("Comités de pilotage et bilan annuel"),
        },
    )


@never_cache
@login_required
@require_GET
def committee_review(request):
    departements = _departements(request.user)
    form = ReviewForm(request.GET or None, departements=departements)
    if form.is_bound and form.is_valid():
        departement = next(d for d in departements if d.code == form.cleaned_data["departement"])
        year = form.cleaned_data["year"]
        response = HttpResponse(
            review.render_pdf(departement, year), content_type="application/pdf"
        )
        response["Content-Disposition"] = (
            f'attachment; filename="bilan-annuel-{departement.code}-{year}.pdf"'
        )
        return response
    return render(
        request,
        "committees/review_form.html",
        {"form": form, "title": _("Bilan annuel départemental")},
        status=400 if form.is_bound else 200,
    )
