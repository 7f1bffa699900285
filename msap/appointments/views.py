"""Appointment screens, for the agents of the house (they book for the person and hold their
name and contact): book from the house, the house's appointments of the day or week, one
appointment with its status moves, its preparation sheet (PDF) and calendar file (ICS).

Thin views: parse, check access, call msap.appointments.services, render.
"""

from collections import defaultdict
from datetime import datetime, time, timedelta
from functools import partial

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from msap import permissions
from msap.appointments import queries, services, sheet
from msap.appointments.forms import BookingForm, IndicatorsForm, PeriodForm, StatusForm
from msap.appointments.models import AppointmentStatus
from msap.appointments.moves import status_move
from msap.core.forms import refusals_on
from msap.core.pages import render_house_tab
from msap.lib.dates import timezone_for
from msap.network.models import House
from msap.network.queries import get_house_for_user
from msap.territory.models import Departement

_house_page = partial(render_house_tab, tab="appointments")


@never_cache
@login_required
@require_GET
def appointment_list(request, house_pk):
    house, access = get_house_for_user(request.user, house_pk, need="counter")
    tz = timezone_for(house.commune.departement_id)
    form = PeriodForm(request.GET or None)
    day = timezone.now().astimezone(tz).date()
    period = "day"
    if form.is_bound and form.is_valid():
        day = form.cleaned_data["day"] or day
        period = form.cleaned_data["period"] or "day"
    first = day - timedelta(days=day.weekday()) if period == "week" else day
    last = first + timedelta(days=7 if period == "week" else 1)
    start = datetime.combine(first, time.min, tzinfo=tz)
    end = datetime.combine(last, time.min, tzinfo=tz)
    appointments = list(queries.house_appointments(house, start, end))
    days = defaultdict(list)
    for appointment in appointments:
        days[appointment.start.astimezone(tz).date()].append(appointment)
    step = timedelta(days=7 if period == "week" else 1)
    return _house_page(
        request,
        "appointments/list.html",
        house,
        access,
        form=form,
        period=period,
        first=first,
        last=last - timedelta(days=1),
        days=sorted(days.items()),
        count=len(appointments),
        previous=(first - step).isoformat(),
        following=(first + step).isoformat(),
        tz=tz,
        title=_("Rendez-vous — %(name)s") % {"name": house.name},
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def appointment_new(request, house_pk):
    house, access = get_house_for_user(request.user, house_pk, need="counter")
    types = list(queries.bookable_types(house))
    chosen = request.POST.get("type") or request.GET.get("type")
    if not chosen:
        return _house_page(
            request,
            "appointments/choose_type.html",
            house,
            access,
            types=types,
            title=_("Prendre un rendez-vous — %(name)s") % {"name": house.name},
        )
    appointment_type = next((t for t in types if str(t.pk) == chosen), None)
    if appointment_type is None:
        raise Http404(_("Type de rendez-vous introuvable."))
    now = timezone.now()
    slots = queries.free_slots(appointment_type, now=now)
    form = BookingForm(request.POST if request.method == "POST" else None, house=house, slots=slots)
    if request.method == "POST" and form.is_valid():
        adviser_id, start = form.cleaned_data["slot"]
        adviser = appointment_type.partnership.advisers.filter(pk=adviser_id).first()
        if adviser is None:
            form.add_error("slot", _("Choisissez un créneau dans la liste."))
        else:
            with refusals_on(form):
                appointment = services.book(
                    request.user,
                    house,
                    appointment_type=appointment_type,
                    adviser=adviser,
                    start=start,
                    person_name=form.cleaned_data["person_name"],
                    person_email=form.cleaned_data["person_email"],
                    person_phone=form.cleaned_data["person_phone"],
                    request=form.cleaned_data["request"],
                    now=now,
                )
                messages.success(
                    request,
                    _(
                        "Le rendez-vous est réservé. Imprimez la fiche de préparation pour la personne."
                    ),
                )
                return redirect("appointment_detail", appointment.pk)
    tz = timezone_for(house.commune.departement_id)
    by_day = defaultdict(list)
    for slot in slots:
        by_day[slot.start.astimezone(tz).date()].append(slot)
    selected = request.POST.get("slot", "")
    return _house_page(
        request,
        "appointments/new.html",
        house,
        access,
        form=form,
        appointment_type=appointment_type,
        slot_days=sorted(by_day.items()),
        selected=selected,
        tz=tz,
        title=_("Prendre un rendez-vous — %(name)s") % {"name": house.name},
    )


@never_cache
@login_required
@require_GET
def appointment_detail(request, pk):
    appointment, access = queries.get_appointment_for_user(request.user, pk)
    return _house_page(
        request,
        "appointments/detail.html",
        appointment.house,
        access,
        appointment=appointment,
        sheet=sheet.sheet_for(appointment),
        tz=timezone_for(appointment.house.commune.departement_id),
        moves=[(s, AppointmentStatus(s).label) for s in appointment.available_statuses()],
        title=_("Rendez-vous du %(day)s")
        % {
            "day": formats.date_format(
                timezone.localtime(appointment.start), "SHORT_DATETIME_FORMAT"
            )
        },
    )


CONSEQUENCES = {
    AppointmentStatus.CONFIRMED: (
        gettext_lazy("Confirmer le rendez-vous"),
        gettext_lazy(
            "Le partenaire a confirmé le rendez-vous : la personne en sera informée par son rappel."
        ),
    ),
    AppointmentStatus.SEEN: (
        gettext_lazy("Noter le rendez-vous honoré"),
        gettext_lazy("Le rendez-vous sera clos comme honoré."),
    ),
    AppointmentStatus.NO_SHOW: (
        gettext_lazy("Noter l'absence de la personne"),
        gettext_lazy("Le rendez-vous sera clos comme manqué par la personne."),
    ),
    AppointmentStatus.EXCUSED: (
        gettext_lazy("Annuler à la demande de la personne"),
        gettext_lazy(
            "Le rendez-vous sera annulé et son créneau libéré ; aucun rappel ne sera envoyé."
        ),
    ),
}


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def appointment_status(request, pk, status):
    appointment, access = queries.get_appointment_for_user(request.user, pk)
    if status not in AppointmentStatus.values:
        raise Http404(_("Statut inconnu."))
    detail = reverse("appointment_detail", args=[appointment.pk])

    def confirm():
        title, consequence = CONSEQUENCES[status]
        when = timezone.localtime(appointment.start)
        return {
            "title": title,
            "question": _("%(action)s du %(day)s ?")
            % {"action": title, "day": formats.date_format(when, "SHORT_DATETIME_FORMAT")},
            "details": [
                (_("Partenaire"), str(appointment.appointment_type.partnership.partner)),
                (_("Objet"), appointment.appointment_type.subject),
                (_("Conseiller"), appointment.adviser.full_name),
            ],
            "consequence": consequence,
            "button": title,
        }

    return status_move(
        request,
        appointment,
        status,
        form_class=StatusForm,
        move=lambda data: services.change_status(
            request.user, appointment, status, reason=data["reason"], version=data["version"]
        ),
        back=detail,
        revoke_page=lambda form: _house_page(
            request,
            "appointments/revoke.html",
            appointment.house,
            access,
            appointment=appointment,
            form=form,
            title=_("Annulation par le partenaire"),
        ),
        confirm=confirm,
    )


@never_cache
@login_required
@require_GET
def appointment_sheet(request, pk):
    appointment, _access = queries.get_appointment_for_user(request.user, pk)
    response = HttpResponse(sheet.render_pdf(appointment), content_type="application/pdf")
    # No name in the file name: it lands in the downloads folder of a shared counter computer.
    response["Content-Disposition"] = f'inline; filename="rendez-vous-{appointment.pk}.pdf"'
    return response


@never_cache
@login_required
@require_GET
def appointment_ics(request, pk):
    appointment, _access = queries.get_appointment_for_user(request.user, pk)
    response = HttpResponse(
        sheet.render_ics(appointment), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="rendez-vous-{appointment.pk}.ics"'
    return response


# --- private calendar feeds ---------------------------------------------------------------------


def _detail_url(appointment) -> str:
    return settings.SITE_URL + reverse("appointment_detail", args=[appointment.pk])


def _feed_url(request, feed) -> str:
    return request.build_absolute_uri(reverse("appointment_feed", args=[feed.token]))


@never_cache
@require_GET
def appointment_feed(request, token):
    """A private calendar feed: no login (a calendar application cannot log in), the secret
    token is the key. Lists no personal data of the person (sheet.render_feed)."""
    feed = queries.get_feed(token)
    appointments = queries.feed_appointments(feed, timezone.now())
    response = HttpResponse(
        sheet.render_feed(feed, appointments, detail_url=_detail_url),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = 'inline; filename="rendez-vous.ics"'
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def appointment_feeds(request, house_pk):
    """The agent's own feed and, for the house's managers, its advisers' feeds: their secret
    addresses, each renewable (the old address stops answering)."""
    house, access = get_house_for_user(request.user, house_pk, need="counter")
    advisers = list(queries.house_advisers(house)) if access.manage else []
    if request.method == "POST":
        chosen = request.POST.get("feed", "")
        if chosen == "mine":
            feed = services.feed_of(user=request.user)
        else:
            adviser = next((a for a in advisers if str(a.pk) == chosen), None)
            if adviser is None:
                messages.error(request, _("Choisissez un agenda de la liste."))
                return redirect("appointment_feeds", house.pk)
            feed = services.feed_of(adviser=adviser)
        services.renew_feed(request.user, feed)
        messages.success(
            request,
            _(
                "Nouvelle adresse créée : l'ancienne ne fonctionne plus. Abonnez-vous à la nouvelle."
            ),
        )
        return redirect("appointment_feeds", house.pk)
    mine = services.feed_of(user=request.user)
    return _house_page(
        request,
        "appointments/feeds.html",
        house,
        access,
        mine=_feed_url(request, mine),
        advisers=[(a, _feed_url(request, services.feed_of(adviser=a))) for a in advisers],
        title=_("Agendas privés — %(name)s") % {"name": house.name},
    )


# --- indicators -------------------------------------------------------------------------------------


def _period_bounds(form, tz):
    first, last = form.period(timezone.now().astimezone(tz).date())
    start = datetime.combine(first, time.min, tzinfo=tz)
    end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=tz)
    return first, last, start, end


@never_cache
@login_required
@require_GET
def appointment_indicators(request, house_pk):
    """The house's appointments by partner and type, their rates, and the share of its requests
    that ended in an appointment (commitment 5). A partner's referent sees its own figures."""
    house, access = get_house_for_user(request.user, house_pk)
    tz = timezone_for(house.commune.departement_id)
    form = IndicatorsForm(request.GET or None)
    first, last, start, end = _period_bounds(form, tz)
    partner_ids = None if access.sees_staff else access.partner_ids
    return _house_page(
        request,
        "appointments/indicators.html",
        house,
        access,
        form=form,
        first=first,
        last=last,
        figures=queries.indicators([house.pk], start, end, partner_ids=partner_ids),
        own_partner_only=partner_ids is not None,
        title=_("Indicateurs des rendez-vous — %(name)s") % {"name": house.name},
    )


@never_cache
@login_required
@require_GET
def network_indicators(request):
    """The same figures for the prefecture's départements, or the whole network for the national
    cell (with a choice of département)."""
    scope = permissions.scope_for(request.user)
    if not (scope.national or scope.admin or scope.departements):
        raise PermissionDenied(
            _("Les indicateurs du réseau sont réservés aux préfectures et à la cellule nationale.")
        )
    choices = Departement.objects.order_by("code")
    if not (scope.national or scope.admin):
        choices = choices.filter(code__in=scope.departements)
    form = IndicatorsForm(request.GET or None, departements=list(choices))
    first, last, start, end = _period_bounds(form, timezone.get_current_timezone())
    chosen = form.cleaned_data.get("departement") if form.is_bound and form.is_valid() else ""
    if chosen:
        houses = House.objects.filter(commune__departement_id=chosen).values("pk")
    elif scope.national or scope.admin:
        houses = None
    else:
        houses = House.objects.filter(commune__departement_id__in=scope.departements).values("pk")
    return render(
        request,
        "appointments/network_indicators.html",
        {
            "form": form,
            "first": first,
            "last": last,
            "figures": queries.indicators(houses, start, end),
            "title": _("Indicateurs des rendez-vous avec les partenaires"),
        },
    )
