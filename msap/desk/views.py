"""The counter screens of the attendance tool (art. 3.6, 5, 8): quick entry, the agent's day,
the correction of a request, the house's board and the controlled list of procedures.

Thin views: they parse, check access through msap.permissions, call desk.services, render.
The quick entry's POST is the product's hot path: a handful of indexed queries, then a redirect.
"""

from collections import Counter
from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_GET, require_http_methods

from msap import permissions
from msap.core import rules as core_rules
from msap.core.confirm import confirmed
from msap.core.forms import refusals_on
from msap.core.templatetags.content import typed
from msap.desk import queries, rules, services, stats
from msap.desk.forms import (
    QUICK_DURATIONS,
    ProcedureAddForm,
    QuickEntryForm,
    RequestEditForm,
    new_idempotency_key,
)
from msap.desk.models import NEEDS, Procedure, ServiceRequest
from msap.desk.queries import get_request_for_user
from msap.lib.charts import Chart
from msap.lib.dates import today_in
from msap.lib.forms import parse_id
from msap.network.queries import get_house_for_user, staff_houses

# Category access keys (Alt+key in Chromium, Alt+Shift in Firefox, Ctrl+Option on a Mac): A, 1,
# 2, 3 and C for A, B1, B2, B3 and C.
ACCESS_KEYS = {"A": "a", "B1": "1", "B2": "2", "B3": "3", "C": "c"}
# The fields folded under "profil anonyme": the disclosure opens when one of them is refused.
DETAIL_FIELDS = ("age_band", "commune", "first_visit", "group_size", "occurred_at", "notes")


# --- helpers ------------------------------------------------------------------------------------


def _require_staff(user) -> None:
    scope = permissions.scope_for(user)
    if not (scope.admin or scope.agent_houses or scope.organisations):
        raise PermissionDenied(_("La saisie de l'activité est réservée aux équipes des maisons."))


def _no_house() -> PermissionDenied:
    return PermissionDenied(
        _("Vous n'êtes rattaché à aucune maison : la saisie n'est pas disponible.")
    )


def _pick_house(houses: list, *wanted):
    """The first wanted house the agent still records in, else their first house."""
    by_pk = {h.pk: h for h in houses}
    for pk in wanted:
        if pk in by_pk:
            return by_pk[pk]
    if not houses:
        raise _no_house()
    return houses[0]


def _reference_lists(partner_id) -> dict:
    categories = queries.categories()
    for category in categories:
        category.access_key = ACCESS_KEYS.get(category.code, "")
    return {
        "categories": categories,
        "items": queries.service_items(),
        "procedures": queries.procedures_of(partner_id),
        "durations": QUICK_DURATIONS,
    }


def _int(value):
    return parse_id(value)


# --- quick entry ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def entry(request):
    """Quick entry: one keyboard-first form; Enter saves and brings back a fresh form."""
    user = request.user
    _require_staff(user)
    if request.method == "POST":
        scope = permissions.scope_for(user)
        # Agents and responsables: their houses are known from their roles, no query needed.
        house_ids = scope.agent_houses if not (scope.admin or scope.organisations) else None
        form = QuickEntryForm(
            request.POST,
            houses=staff_houses(user) if house_ids is None else None,
            house_ids=house_ids,
        )
        if form.is_valid():
            with refusals_on(form):
                obj, created = services.record_request(
                    user,
                    form.cleaned_data["house"],
                    form.request_data(),
                    idempotency_key=form.cleaned_data["key"],
                )
                url = f"{reverse('desk_entry')}?enregistree={obj.pk}"
                return redirect(url if created else url + "&doublon=1")
        if not form.data.get("key"):  # nothing was saved: the same key stays valid, or a new one
            form.data = form.data.copy()
            form.data["key"] = new_idempotency_key()
        houses = list(queries.staff_houses_by_name(user))
        chosen = form.cleaned_data.get("house")
        last = queries.last_request(user) if chosen is None else None
        house = _pick_house(
            houses, chosen.pk if chosen else None, last["house_id"] if last else None
        )
        return _render_entry(request, form, houses, house)

    last = queries.last_request(user)
    houses = list(queries.staff_houses_by_name(user))
    house = _pick_house(houses, _int(request.GET.get("maison")), last["house_id"] if last else None)
    initial = {"house": house.pk, "key": new_idempotency_key()}
    if last is not None:
        initial.update(partner=last["partner_id"], category=last["category_id"])
    form = QuickEntryForm(initial=initial, houses=staff_houses(user))
    return _render_entry(request, form, houses, house)


def _render_entry(request, form, houses, house):
    form.apply_dsfr_classes()
    user = request.user
    partner_id = _int(form["partner"].value())
    saved = None
    saved_pk = _int(request.GET.get("enregistree"))
    if saved_pk is not None and request.method == "GET":
        saved = queries.saved_request(user, saved_pk)
        if saved is not None:
            saved.editable = rules.can_still_edit(saved, user, timezone.now())
    context = {
        "title": _("Saisie rapide"),
        "form": form,
        "house": house,
        "houses": houses,
        "partner_groups": queries.partner_groups(house),
        "favourites": queries.favourites(user),
        "today_count": queries.count_of_day(user, house),
        "saved": saved,
        "duplicate": saved is not None and request.GET.get("doublon") == "1",
        "details_open": any(form[name].errors for name in DETAIL_FIELDS),
        **_reference_lists(partner_id),
    }
    return render(request, "desk/entry.html", context)


@login_required
@require_GET
def procedure_options(request):
    """The type-ahead of procedures of a partner: <option> elements for the <datalist>."""
    _require_staff(request.user)
    partner_id = _int(request.GET.get("partner"))
    query = (request.GET.get("q") or "").strip()[:100]
    return render(
        request,
        "desk/_procedure_options.html",
        {"procedures": queries.procedures_of(partner_id, query)},
    )


# --- the agent's day --------------------------------------------------------------------------------


@login_required
@require_GET
def day(request):
    """Today's requests of the agent, with running counts by category and by partner."""
    _require_staff(request.user)
    user = request.user
    house = queries.usual_house(user, queries.last_request(user))
    if house is None:
        raise _no_house()
    today = today_in(house.tz)
    rows = queries.requests_of_day(user, today, house.tz)
    now = timezone.now()
    for row in rows:
        row.editable = rules.can_still_edit(row, user, now)
    by_category = Counter(r.category.code for r in rows)
    by_partner = Counter(
        r.partner.short_name if r.partner_id else _("Sans partenaire") for r in rows
    )
    context = {
        "title": _("Ma journée"),
        "rows": rows,
        "house": house,
        "tz_name": house.timezone,
        "today": today,
        "several_houses": len({r.house_id for r in rows}) > 1,
        "by_category": sorted(by_category.items()),
        "by_partner": by_partner.most_common(),
        "total_minutes": sum(r.duration_minutes for r in rows),
        "total_people": sum(r.group_size for r in rows),
        "window_hours": int(rules.edit_window().total_seconds() // 3600),
    }
    return render(request, "desk/day.html", context)


# --- correction within the edit window ------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def request_edit(request, pk):
    obj, _access = get_request_for_user(request.user, pk)
    tz = obj.house.tz
    if request.method == "POST":
        form = RequestEditForm(request.POST, tz=tz)
        if form.is_valid():
            with refusals_on(form):
                services.update_request(
                    request.user, obj, form.request_data(), form.cleaned_data["version"]
                )
                messages.success(request, _("Demande modifiée."))
                return redirect("desk_day")
    else:
        form = RequestEditForm(initial=RequestEditForm.initial_for(obj, tz), tz=tz)
    context = {
        "title": _("Modifier une demande"),
        "form": form,
        "obj": obj,
        "house": obj.house,
        "partner_groups": queries.partner_groups(obj.house),
        **_reference_lists(_int(form["partner"].value())),
    }
    return render(request, "desk/request_edit.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def request_delete(request, pk):
    obj, _access = get_request_for_user(request.user, pk)
    target = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("desk_day")
    when = timezone.localtime(obj.occurred_at, obj.house.tz)
    return confirmed(
        request,
        act=lambda: services.delete_request(request.user, obj),
        done=_("Demande supprimée."),
        back_url=target,
        title=_("Supprimer une demande"),
        question=_("Supprimer la demande du %(day)s à %(time)s ?")
        % {"day": formats.date_format(when.date()), "time": formats.time_format(when.time())},
        details=[
            (_("Catégorie"), f"{obj.category.code}. {obj.category.title}"),
            (_("Partenaire"), obj.partner.short_name if obj.partner_id else _("Aucun")),
            (_("Maison"), typed(obj.house.name)),
        ],
        consequence=_(
            "Elle disparaîtra de l'activité de la maison et de ses statistiques. Si elle "
            "n'est qu'à corriger, modifiez-la plutôt."
        ),
        button=_("Supprimer la demande"),
        fields={"next": target},
    )


# --- the house's board --------------------------------------------------------------------------------

PERIODS = {rules.WEEK: stats.week_of, rules.MONTH: stats.month_of, rules.YEAR: stats.year_of}
PERIOD_NAMES = {
    rules.WEEK: gettext_lazy("Semaine"),
    rules.MONTH: gettext_lazy("Mois"),
    rules.YEAR: gettext_lazy("Année"),
}


def _period_label(kind: str, period: stats.Period) -> str:
    """The period in words, in French: "semaine du 10 mars au 16 mars 2025", "mars 2025", "2025"."""
    if kind == "semaine":
        return _("semaine du %(start)s au %(end)s") % {
            "start": formats.date_format(period.start, "j F"),
            "end": formats.date_format(period.end, "j F Y"),
        }
    if kind == "mois":
        return formats.date_format(period.start, "F Y")
    return str(period.start.year)


def _span_label(start: date, end: date) -> str:
    """A span of days in words: "1er–10 novembre 2026", "28 février–2 mars 2025"."""

    def day(d: date) -> str:
        return pgettext("first day of a month", "1er") if d.day == 1 else str(d.day)

    def month(d: date) -> str:
        return formats.date_format(d, "F")

    if start == end:
        return f"{day(start)} {month(start)} {start.year}"
    if (start.year, start.month) == (end.year, end.month):
        return f"{day(start)}–{day(end)} {month(end)} {end.year}"
    if start.year == end.year:
        return f"{day(start)} {month(start)}–{day(end)} {month(end)} {end.year}"
    return f"{day(start)} {month(start)} {start.year}–{day(end)} {month(end)} {end.year}"


def _series_name(kind: str, period: stats.Period) -> str:
    """A short name for a chart's legend: "sem. du 10/03", "mars 2025", "2025"."""
    if kind == "semaine":
        return _("sem. du %(start)s") % {"start": period.start.strftime("%d/%m")}
    return _period_label(kind, period)


def _duration(minutes: int) -> str:
    return f"{minutes // 60} h {minutes % 60:02d}"


def _figure(label: str, current: int, previous: int, fmt=str) -> dict:
    delta = current - previous
    sign = "+" if delta > 0 else ("−" if delta < 0 else "")
    return {
        "label": label,
        "current": fmt(current),
        "previous": fmt(previous),
        "delta": f"{sign}{fmt(abs(delta))}" if delta else "=",
    }


@login_required
@require_GET
def board(request, pk):
    """The house's figures over a week, a month or a year, against the previous period."""
    house, access = get_house_for_user(request.user, pk, need="view")
    tz = house.tz
    warnings = []
    kind = request.GET.get("periode") or "semaine"
    if kind not in PERIODS:
        warnings.append(_("Période inconnue : la semaine est affichée."))
        kind = "semaine"
    ref_day = timezone.localdate(timezone=tz)
    if request.GET.get("date"):
        try:
            asked = date.fromisoformat(request.GET["date"])
        except ValueError:
            warnings.append(
                _("Date invalide (format attendu AAAA-MM-JJ) : la période en cours est affichée.")
            )
        else:
            if problem := core_rules.day_error(asked, today=ref_day):
                warnings.append(
                    _("%(problem)s La période en cours est affichée.") % {"problem": problem}
                )
            else:
                ref_day = asked
    today = timezone.localdate(timezone=tz)
    period = PERIODS[kind](ref_day)
    # A period in progress is compared with the same elapsed part of the previous one.
    span = rules.compared_span(kind, period.start, period.end, today)
    previous = PERIODS[kind](span.previous_start)
    counted = stats.Period(span.start, span.end)
    against = stats.Period(span.previous_start, span.previous_end)
    label, previous_label = _period_label(kind, period), _period_label(kind, previous)
    if span.in_progress:
        counted_label = _span_label(counted.start, counted.end)
        against_label = _span_label(against.start, against.end)
        comparison = _(
            "Période en cours : les chiffres du %(counted)s sont comparés au %(against)s, la "
            "même part écoulée de la période précédente (%(previous)s)."
        ) % {"counted": counted_label, "against": against_label, "previous": previous_label}
    else:
        counted_label, against_label = label, previous_label
        comparison = _(
            "Période complète : comparée à la période précédente entière (%(previous)s)."
        ) % {"previous": previous_label}
    name, previous_name = _series_name(kind, period), _series_name(kind, previous)
    if span.in_progress:
        name, previous_name = counted_label, against_label

    qs = ServiceRequest.objects.filter(house=house)
    partner_only = not (access.staff or access.oversee)
    if partner_only:  # a referent sees its own organisation's figures only
        qs = qs.filter(partner_id__in=access.partner_ids)
    current_qs, previous_qs = stats.in_period(qs, counted, tz), stats.in_period(qs, against, tz)
    totals, before = stats.summary(current_qs), stats.summary(previous_qs)

    charts = []
    for i, breakdown in enumerate(stats.breakdowns(current_qs, previous_qs)):
        charts.append(
            Chart(
                title=breakdown.title,
                labels=[row[0] for row in breakdown.rows],
                series=[
                    (name, [row[1] for row in breakdown.rows]),
                    (previous_name, [row[2] for row in breakdown.rows]),
                ],
                ident=f"chart-axis-{i}",
            )
        )
    if kind == rules.YEAR:  # the months elapsed, against the same months of the previous year
        shown = counted.end.month
        months = [formats.date_format(date(period.start.year, m, 1), "M") for m in range(1, 13)]
        timeline = Chart(
            title=_("Demandes par mois"),
            labels=months[:shown],
            series=[
                (name, stats.monthly_counts(current_qs, period.start.year, tz)[:shown]),
                (previous_name, stats.monthly_counts(previous_qs, previous.start.year, tz)[:shown]),
            ],
            kind="columns",
            ident="chart-timeline",
        )
    else:
        days = stats.daily_counts(current_qs, counted, tz)  # the days elapsed
        before_days = [n for _d, n in stats.daily_counts(previous_qs, against, tz)]
        before_days = (before_days + [0] * len(days))[: len(days)]
        fmt = "D j" if kind == rules.WEEK else "j"
        timeline = Chart(
            title=_("Demandes par jour"),
            labels=[formats.date_format(d, fmt) for d, _n in days],
            series=[(name, [n for _d, n in days]), (previous_name, before_days)],
            kind="columns",
            ident="chart-timeline",
        )

    key_figures = [
        _figure(_("Demandes"), totals["requests"], before["requests"]),
        _figure(_("Personnes reçues"), totals["people"], before["people"]),
        _figure(_("Temps passé"), totals["minutes"], before["minutes"], _duration),
        _figure(
            _("Situations complexes portées au référent"), totals["complex"], before["complex"]
        ),
        _figure(_("Premières venues"), totals["first_visits"], before["first_visits"]),
    ]
    needs = [_figure(str(label), totals[name], before[name]) for name, label in NEEDS]
    following = PERIODS[kind](period.end + timedelta(days=1))
    context = {
        "title": _("Activité — %(period)s — %(house)s") % {"period": label, "house": house.name},
        "house": house,
        "access": access,
        "tab": "activity",
        "kind": kind,
        "periods": [(k, PERIOD_NAMES[k]) for k in PERIODS],
        "period": period,
        "period_label": label,
        "previous_label": previous_label,
        "counted_label": counted_label,
        "against_label": against_label,
        "comparison": comparison,
        "in_progress": span.in_progress,
        "previous_date": previous.start.isoformat(),
        "next_date": following.start.isoformat() if following.start <= today else None,
        "next_label": _period_label(kind, following),
        "key_figures": key_figures,
        "needs": needs,
        "charts": charts,
        "timeline": timeline,
        "warnings": warnings,
        "partner_only": partner_only,
        "can_manage_procedures": _can_manage_procedures(request.user),
    }
    return render(request, "desk/board.html", context)


# --- the controlled list of procedures ----------------------------------------------------------------


def _can_manage_procedures(user) -> bool:
    scope = permissions.scope_for(user)
    return scope.admin or scope.national


@login_required
@require_http_methods(["GET", "POST"])
def procedure_admin(request):
    """The national cell extends the controlled list of procedures per partner, or retires one."""
    if not _can_manage_procedures(request.user):
        raise PermissionDenied(
            _("Seule la cellule nationale d'animation gère la liste des démarches.")
        )
    form = ProcedureAddForm()
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "add":
            form = ProcedureAddForm(request.POST)
            if form.is_valid():
                data = form.cleaned_data
                with refusals_on(form):
                    services.add_procedure(
                        request.user, data["partner"], data["label"], data["category"]
                    )
                    messages.success(
                        request, _("Démarche « %(label)s » ajoutée.") % {"label": data["label"]}
                    )
                    return redirect("desk_procedure_admin")
        elif action in ("deactivate", "activate"):
            procedure = get_object_or_404(Procedure, pk=_int(request.POST.get("procedure")) or 0)
            services.set_procedure_active(request.user, procedure, action == "activate")
            if action == "activate":
                messages.success(
                    request, _("Démarche « %(label)s » réactivée.") % {"label": procedure.label}
                )
            else:
                messages.success(
                    request,
                    _("Démarche « %(label)s » désactivée : elle n'est plus proposée à la saisie.")
                    % {"label": procedure.label},
                )
            return redirect("desk_procedure_admin")
        else:
            messages.error(request, _("Action inconnue : rien n'a été modifié."))
            return redirect("desk_procedure_admin")
    return render(
        request,
        "desk/procedure_admin.html",
        {
            "title": _("Démarches proposées à la saisie"),
            "form": form,
            "groups": queries.procedure_groups(),
        },
    )
