"""Staff screens of a house: list, identity, hours, closures, premises, mobile stops, history.

Thin views: parse the input, check access through msap.permissions, call a service of
msap.network.services, render. A refused operation (DomainError, StaleVersion) becomes form
errors and nothing is saved; a successful POST redirects (no double submission).
"""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from msap.core import journal
from msap.core.confirm import confirmed
from msap.core.forms import refusals_on
from msap.core.models import JournalEntry
from msap.core.templatetags.content import typed
from msap.lib.dates import public_holidays, today_in
from msap.network import rules, services
from msap.network.forms import (
    ClosureForm,
    EquipmentForm,
    HouseFilterForm,
    HouseForm,
    PremisesForm,
    ScheduleForm,
    StopForm,
    days_label,
)
from msap.network.hours import HouseCalendar
from msap.network.models import WEEKDAYS, Closure, Equipment, HouseKind, MobileStop, Premises
from msap.network.queries import (
    current_ranges,
    filter_houses,
    get_house_for_user,
    house_flags,
    visible_houses,
)
from msap.territory.models import Departement
from msap.territory.services import search_communes

HOUSES_PER_PAGE = 50
JOURNAL_PER_PAGE = 50
HOURS_CHANGES_SHOWN = 20


def _need(request) -> str:
    return "manage" if request.method == "POST" else "view"


def _page(request, template: str, house, access, tab: str, **context):
    return render(request, template, {"house": house, "access": access, "tab": tab, **context})


# --- list ---------------------------------------------------------------------------------------


@login_required
@require_GET
def house_list(request):
    houses = visible_houses(request.user)
    departements = Departement.objects.filter(
        code__in=houses.order_by().values("commune__departement_id")
    ).order_by("code")
    form = HouseFilterForm(request.GET or None, departements=list(departements))
    houses = filter_houses(houses, form.cleaned_data if form.is_valid() else None)
    page = Paginator(houses, HOUSES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request, "network/house_list.html", {"form": form, "page": page, "title": _("Maisons")}
    )


@login_required
@require_GET
def commune_search(request):
    """The commune type-ahead: <option> elements for a <datalist>, by name or INSEE code."""
    query = request.GET.get("q") or request.GET.get("commune") or ""
    communes = search_communes(query, limit=15) if len(query.strip()) >= 2 else []
    return render(request, "network/_commune_options.html", {"communes": communes})


# --- identity -----------------------------------------------------------------------------------


@login_required
@require_GET
def house_detail(request, pk):
    house, access = get_house_for_user(request.user, pk)
    calendar = HouseCalendar(house)
    now = timezone.now()
    context = {
        "open_now": calendar.is_open_at(now),
        "opening": calendar.next_opening(now),
        "served_communes": house.served_communes.select_related("departement").order_by("name"),
        # What needs the manager's attention is for the house's staff, not for partners.
        "flags": house_flags(house) if access.staff else [],
    }
    return _page(request, "network/house_detail.html", house, access, "identity", **context)


@login_required
@require_http_methods(["GET", "POST"])
def house_edit(request, pk):
    house, access = get_house_for_user(request.user, pk, need="manage")
    if request.method == "POST":
        form = HouseForm(request.POST)
        if form.is_valid():
            with refusals_on(form):
                services.update_house(
                    request.user,
                    house,
                    form.house_data(),
                    form.cleaned_data["version"],
                    served_communes=form.cleaned_data["served_communes"],
                )
                messages.success(request, _("L'identité de la maison a été enregistrée."))
                return redirect("house_detail", house.pk)
    else:
        form = HouseForm(initial=HouseForm.initial_for(house))
    return _page(
        request,
        "network/house_edit.html",
        house,
        access,
        "identity",
        form=form,
        title=_("Modifier l'identité — %(name)s") % {"name": house.name},
    )


# --- weekly hours -------------------------------------------------------------------------------


def _check_context(form: ScheduleForm) -> dict:
    check = rules.check_schedule(form.ranges)
    return {
        "check": check,
        # Art. 3.2's minimum, shown from the rule's constants.
        "min_weekly_hours": rules.MIN_WEEKLY_HOURS,
        "min_weekly_label": rules.format_minutes(rules.MIN_WEEKLY_MINUTES),
        "min_open_days": rules.MIN_OPEN_DAYS,
        "total_label": _("%(total)s sur %(days)s")
        % {
            "total": rules.format_minutes(check.weekly_minutes),
            "days": days_label(check.open_days),
        },
        "field_errors": [
            f"{dict(WEEKDAYS)[int(name[1])].capitalize()}, {form.fields[name].label.lower()} : {error}"
            for name, errors in form.errors.items()
            if name not in ("__all__", "version")
            for error in errors
        ],
    }


def _schedule_rows(ranges) -> list[tuple[str, list]]:
    return [(label, [r for r in sorted(ranges) if r.weekday == day]) for day, label in WEEKDAYS]


@login_required
@require_http_methods(["GET", "POST"])
def house_hours(request, pk):
    house, access = get_house_for_user(request.user, pk, need=_need(request))
    ranges = current_ranges(house)
    initial, slots = ScheduleForm.initial_for(house, ranges)
    refused = False
    if request.method == "POST":
        form = ScheduleForm(request.POST, slots={**slots, **ScheduleForm.slots_in(request.POST)})
        if form.is_valid():
            with refusals_on(form):
                change = services.set_schedule(
                    request.user, house, form.ranges, form.cleaned_data["version"]
                )
                if change is None:
                    messages.info(request, _("Les horaires n'ont pas changé."))
                elif change.substantial:
                    messages.success(
                        request,
                        _(
                            "Les horaires ont été enregistrés. Cette modification est substantielle : "
                            "les partenaires doivent en être informés (article 3.2)."
                        ),
                    )
                else:
                    messages.success(request, _("Les horaires ont été enregistrés."))
                return redirect("house_hours", house.pk)
        refused = True
    else:
        form = ScheduleForm(initial=initial, slots=slots)
        form.ranges = ranges
    changes = [
        {
            "change": change,
            "before": rules.format_minutes(change.weekly_minutes_before),
            "after": rules.format_minutes(change.weekly_minutes_after),
        }
        for change in house.hours_changes.select_related("changed_by")[:HOURS_CHANGES_SHOWN]
    ]
    return _page(
        request,
        "network/house_hours.html",
        house,
        access,
        "hours",
        form=form,
        refused=refused,
        schedule=_schedule_rows(ranges),
        changes=changes,
        current_total=rules.format_minutes(rules.weekly_minutes(ranges)),
        title=_("Horaires — %(name)s") % {"name": house.name},
        **_check_context(form),
    )


@login_required
@require_POST
def house_hours_check(request, pk):
    """The live check of the schedule being typed (htmx): totals and art. 3.2 errors, saves nothing."""
    house, _access = get_house_for_user(request.user, pk)
    form = ScheduleForm(request.POST, slots=ScheduleForm.slots_in(request.POST))
    form.is_valid()
    return render(request, "network/_hours_check.html", {"house": house, **_check_context(form)})


# --- exceptional closures -----------------------------------------------------------------------


def _upcoming_holidays(house, today) -> list:
    """The département's public holidays of the next 12 months (Alsace-Moselle and overseas included)."""
    until = today + timedelta(days=365)
    days = {}
    for year in (today.year, today.year + 1):
        days.update(public_holidays(house.commune.departement_id, year))
    return sorted((day, name) for day, name in days.items() if today <= day < until)


@login_required
@require_http_methods(["GET", "POST"])
def house_closures(request, pk):
    house, access = get_house_for_user(request.user, pk, need=_need(request))
    form = ClosureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusals_on(form):
            services.add_closure(request.user, house, **form.cleaned_data)
            messages.success(request, _("La fermeture exceptionnelle a été enregistrée."))
            return redirect("house_closures", house.pk)
    today = today_in(house.tz)
    return _page(
        request,
        "network/house_closures.html",
        house,
        access,
        "hours",
        form=form,
        upcoming=house.closures.filter(end_date__gte=today),
        past=house.closures.filter(end_date__lt=today).order_by("-start_date")[:10],
        holidays=_upcoming_holidays(house, today),
        title=_("Fermetures exceptionnelles — %(name)s") % {"name": house.name},
    )


@login_required
@require_http_methods(["GET", "POST"])
def closure_delete(request, pk, closure_pk):
    house, _access = get_house_for_user(request.user, pk, need="manage")
    closure = get_object_or_404(Closure, pk=closure_pk, house=house)
    return confirmed(
        request,
        act=lambda: services.remove_closure(request.user, closure),
        done=_("La fermeture exceptionnelle a été supprimée."),
        back_url=reverse("house_closures", args=[house.pk]),
        title=_("Supprimer une fermeture exceptionnelle"),
        question=_("Supprimer la fermeture du %(start)s au %(end)s ?")
        % {"start": date_format(closure.start_date), "end": date_format(closure.end_date)},
        details=[(_("Motif"), typed(closure.reason)), (_("Maison"), typed(house.name))],
        consequence=_(
            "Le public ne verra plus cette fermeture : ces jours-là, la maison sera annoncée "
            "ouverte selon ses horaires habituels."
        ),
        button=_("Supprimer la fermeture"),
    )


# --- premises and equipment ---------------------------------------------------------------------


def _premises_page(request, house, access, *, form=None, equipment_form=None):
    premises = getattr(house, "premises", None)
    if premises is None:
        # Not saved: update_premises creates the row (version 1) on the first save.
        premises = Premises(house=house)
    equipment = list(house.equipment.all())
    kinds = [e.kind for e in equipment if e.for_public and e.in_service]
    missing = rules.missing_minimum(premises, kinds)
    # rules.missing_minimum of nothing is the whole art. 3.3 minimum, in its order.
    checklist = [(item, item not in missing) for item in rules.missing_minimum(None, ())]
    return _page(
        request,
        "network/house_premises.html",
        house,
        access,
        "premises",
        premises=premises,
        form=form or PremisesForm(initial=PremisesForm.initial_for(premises)),
        equipment=equipment,
        equipment_form=equipment_form or EquipmentForm(),
        checklist=checklist,
        missing=missing,
        title=_("Locaux et équipements — %(name)s") % {"name": house.name},
    )


@login_required
@require_http_methods(["GET", "POST"])
def house_premises(request, pk):
    house, access = get_house_for_user(request.user, pk, need=_need(request))
    if request.method == "GET":
        return _premises_page(request, house, access)
    form = PremisesForm(request.POST)
    if form.is_valid():
        with refusals_on(form):
            services.update_premises(
                request.user, house, form.premises_data(), form.cleaned_data["version"]
            )
            messages.success(request, _("Les locaux ont été enregistrés."))
            return redirect("house_premises", house.pk)
    return _premises_page(request, house, access, form=form)


@login_required
@require_POST
def equipment_add(request, pk):
    house, access = get_house_for_user(request.user, pk, need="manage")
    form = EquipmentForm(request.POST)
    if form.is_valid():
        with refusals_on(form):
            item = services.add_equipment(request.user, house, **form.cleaned_data)
            messages.success(request, _("Équipement ajouté : %(item)s.") % {"item": item})
            return redirect("house_premises", house.pk)
    return _premises_page(request, house, access, equipment_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def equipment_delete(request, pk, item_pk):
    house, _access = get_house_for_user(request.user, pk, need="manage")
    item = get_object_or_404(Equipment, pk=item_pk, house=house)
    return confirmed(
        request,
        act=lambda: services.remove_equipment(request.user, item),
        done=_("Équipement retiré : %(item)s.") % {"item": item},
        back_url=reverse("house_premises", args=[house.pk]),
        title=_("Retirer un équipement"),
        question=_("Retirer l'équipement « %(item)s » ?") % {"item": item},
        details=[(_("Nombre"), str(item.quantity)), (_("Maison"), typed(house.name))],
        consequence=_(
            "Il ne comptera plus pour le minimum de l'article 3.3 ni dans ce que la maison "
            "met à la disposition du public."
        ),
        button=_("Retirer l'équipement"),
    )


# --- mobile stops -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def house_stops(request, pk):
    house, access = get_house_for_user(request.user, pk, need=_need(request))
    mobile = house.kind == HouseKind.MOBILE
    form = StopForm(request.POST or None)
    if request.method == "POST":
        if not mobile:
            messages.error(
                request,
                _("Cette maison est fixe : elle n'a pas d'étapes. Rien n'a été enregistré."),
            )
            return redirect("house_stops", house.pk)
        if form.is_valid():
            with refusals_on(form):
                services.add_stop(request.user, house, **form.stop_data())
                messages.success(request, _("L'étape a été ajoutée."))
                return redirect("house_stops", house.pk)
    return _page(
        request,
        "network/house_stops.html",
        house,
        access,
        "hours",
        form=form,
        mobile=mobile,
        stops=house.stops.select_related("commune"),
        title=_("Étapes de la maison itinérante — %(name)s") % {"name": house.name},
    )


@login_required
@require_http_methods(["GET", "POST"])
def stop_delete(request, pk, stop_pk):
    house, _access = get_house_for_user(request.user, pk, need="manage")
    stop = get_object_or_404(MobileStop, pk=stop_pk, house=house)
    return confirmed(
        request,
        act=lambda: services.remove_stop(request.user, stop),
        done=_("L'étape a été retirée."),
        back_url=reverse("house_stops", args=[house.pk]),
        title=_("Retirer une étape"),
        question=_("Retirer l'étape « %(stop)s » ?") % {"stop": stop},
        details=[(_("Commune"), stop.commune.name), (_("Maison"), typed(house.name))],
        consequence=_("Le public ne verra plus cette étape de la maison itinérante."),
        button=_("Retirer l'étape"),
    )


# --- history ------------------------------------------------------------------------------------


@login_required
@require_GET
def house_history(request, pk):
    house, access = get_house_for_user(request.user, pk)
    if not (access.manage or access.oversee):
        raise PermissionDenied(
            _("L'historique de la maison est réservé à ses gestionnaires et aux cellules de suivi.")
        )
    entries = JournalEntry.objects.filter(house_id=house.pk).select_related("actor")
    page = Paginator(entries, JOURNAL_PER_PAGE).get_page(request.GET.get("page"))
    rows = [
        {"entry": e, "text": journal.describe(e), "changes": journal.describe_changes(e)}
        for e in page
    ]
    return _page(
        request,
        "network/house_history.html",
        house,
        access,
        "history",
        page=page,
        rows=rows,
        title=_("Historique — %(name)s") % {"name": house.name},
    )
