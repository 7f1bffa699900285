"""Charter screens: the house's page (each commitment's status, reason and evidence, with the
evidence upload and removal for the responsable), the table of houses × commitments for the
gestionnaire, the département's and the national cell, the printable self-assessment (PDF)
and the evidence's file.

Thin views: parse, check access, call msap.charter.services or queries, render.
"""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from msap.charter import pdf, queries, rules, services
from msap.charter.forms import EvidenceForm, TableForm, YearForm
from msap.core.errors import DomainError
from msap.core.forms import add_domain_error
from msap.core.pages import render_house_tab
from msap.desk.forms import new_idempotency_key
from msap.lib.uploads import private_file_response
from msap.territory.models import Departement

_house_page = partial(render_house_tab, tab="charter")
# The table shows this many houses a page (the nation's ~2,800 in 12 pages).
TABLE_PAGE = 250


def _house_view(request, house, access, year_form, form=None, status=None):
    year = year_form.year()
    assessment = queries.assess_house(house, year)
    charter = queries.commitments_for(timezone.localdate().year)
    if form is None and access.manage and charter is not None:
        form = EvidenceForm(initial={"key": new_idempotency_key()}, charter=charter)
    return _house_page(
        request,
        "charter/house.html",
        house,
        access,
        status=status,
        assessment=assessment,
        year=year,
        year_form=year_form,
        form=form,
        groups=_grouped(assessment),
        kinds_of=rules.EVIDENCE_KINDS,
        title=_("Charte de qualité — %(name)s") % {"name": house.name},
    )


def _grouped(assessment):
    if assessment is None:
        return []
    titles = {g: t for g, t, _items in assessment.charter.groups()}
    groups: dict[int, list] = {}
    for item in assessment.items:
        groups.setdefault(item.group, []).append(item)
    return [(g, titles[g], items) for g, items in groups.items()]


@never_cache
@login_required
@require_GET
def house_charter(request, house_pk):
    house, access = queries.get_house_charter_access(request.user, house_pk)
    return _house_view(request, house, access, YearForm(request.GET or None))


@never_cache
@login_required
@require_POST
def evidence_add(request, house_pk):
    house, access = queries.get_house_charter_access(request.user, house_pk, need="manage")
    charter = queries.commitments_for(timezone.localdate().year)
    form = EvidenceForm(request.POST, request.FILES, charter=charter)
    if form.is_valid():
        data = form.cleaned_data
        try:
            evidence = services.record_evidence(
                request.user,
                house,
                commitment=data["commitment"],
                kind=data["kind"],
                title=data["title"],
                dated_on=data["dated_on"],
                valid_until=data["valid_until"],
                upload=data["file"],
                idempotency_key=data["key"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(
                request,
                _("Justificatif enregistré pour l'engagement %(code)s.")
                % {"code": evidence.commitment},
            )
            return redirect("charter_house", house.pk)
    return _house_view(request, house, access, YearForm(), form=form, status=400)


@never_cache
@login_required
@require_POST
def evidence_remove(request, pk):
    evidence, _access = queries.get_evidence_for_user(request.user, pk, need="manage")
    try:
        services.remove_evidence(request.user, evidence)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Justificatif retiré : il ne compte plus."))
    return redirect("charter_house", evidence.house_id)


@never_cache
@login_required
@require_GET
def evidence_file(request, pk):
    evidence, _access = queries.get_evidence_for_user(request.user, pk)
    return private_file_response(
        evidence.file,
        f"justificatif-{evidence.house_id}-{evidence.pk}",
        missing=_("Ce fichier n'est plus disponible."),
        kind=evidence.file.name.rsplit(".", 1)[-1],
    )


@never_cache
@login_required
@require_GET
def house_pdf(request, house_pk):
    house, _access = queries.get_house_charter_access(request.user, house_pk)
    year_form = YearForm(request.GET or None)
    if year_form.is_bound and not year_form.is_valid():
        return HttpResponse(
            " ".join(year_form.errors["year"]), status=400, content_type="text/plain"
        )
    year = year_form.year()
    assessment = queries.assess_house(house, year)
    if assessment is None:
        return HttpResponse(_("Aucune charte en vigueur cette année."), status=404)
    response = HttpResponse(pdf.render_self_assessment(assessment), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="autoevaluation-charte-{house.pk}-{year}.pdf"'
    )
    return response


@never_cache
@login_required
@require_GET
def charter_table(request):
    """Houses × commitments, for every house the user's charter scope covers."""
    houses = queries.charter_houses(request.user)
    if not houses.exists():
        raise PermissionDenied(
            _(
                "Le tableau de la charte est réservé aux équipes des maisons, aux gestionnaires "
                "et aux cellules départementale et nationale."
            )
        )
    departements = Departement.objects.filter(
        code__in=houses.values("commune__departement_id")
    ).order_by("code")
    form = TableForm(request.GET or None, departements=departements)
    year = form.year()
    if form.is_bound and form.is_valid() and form.cleaned_data.get("departement"):
        houses = houses.filter(commune__departement_id=form.cleaned_data["departement"])
    table = queries.charter_table(houses.order_by("commune__departement_id", "name"), year)
    page = Paginator(table.rows if table else [], TABLE_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "charter/table.html",
        {
            "form": form,
            "year": year,
            "table": table,
            "page": page,
            "query": query.urlencode(),
            "title": _("Charte de qualité : maisons et engagements"),
        },
    )
