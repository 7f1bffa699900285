"""The screens of a house's convention (art. 7, 9, 10; annexes 1–4): its signatories, their
withdrawals, the gestionnaire's denunciation, adhesions, the withdrawal of a service, the
management terms of annex 3 and the filled document.

Thin views: they parse, check access through conventions.queries (msap.permissions), call one
service, render. The house's staff see the convention; its managers (responsable, gestionnaire)
change it; the département's and the national cells read its dates; a partner referent has no
screen here (the document carries every partner's referents and terms: they are told of what
concerns them by email).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from msap.conventions import document, queries, rules, services
from msap.conventions.forms import (
    AdhesionAddForm,
    AdhesionExamineForm,
    AdhesionSignForm,
    ConventionEditForm,
    LetterForm,
    ServiceWithdrawForm,
    SignatoryAddForm,
    SignatoryEditForm,
    SignForm,
    TermsForm,
)
from msap.conventions.models import ConventionStatus, SignatoryKind
from msap.core import rules as core_rules
from msap.core.forms import refusal_as_message, refusals_on
from msap.core.pages import render_house_tab
from msap.lib.dates import today_in
from msap.partners.models import ServiceItem

TAB = "convention"


def _page(request, house, access, form, *, title, intro="", submit, status=None):
    return render_house_tab(
        request,
        "conventions/form.html",
        house,
        access,
        tab=TAB,
        status=status,
        title=f"{title} — {house.name}",
        heading=title,
        intro=intro,
        form=form,
        submit=submit,
        cancel_url=reverse("convention_detail", args=[house.pk]),
    )


def _done(request, house, message):
    messages.success(request, message)
    return redirect("convention_detail", pk=house.pk)


@login_required
@require_http_methods(["GET", "POST"])
def convention_detail(request, pk):
    house, convention, access = queries.get_house_convention_for_user(
        request.user, pk, need="sees_staff"
    )
    today = today_in(house.tz)
    form = None
    if convention is None and access.manage:
        form = SignForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            with refusals_on(form):
                services.sign_convention(request.user, house, **form.cleaned_data)
                return _done(request, house, _("La convention-cadre est enregistrée."))
    elif request.method == "POST":
        return redirect("convention_detail", pk=house.pk)
    ctx = {"form": form, "today": today, "year": today.year}
    if convention is not None:
        term = queries.current_term(convention, today)
        ctx |= {
            "convention": convention,
            "term": term,
            "next_term": rules.term(convention.signed_on, term.number + 1),
            "signatories": queries.signatories(convention),
            "adhesions": convention.adhesion_requests.select_related("partner"),
            "service_withdrawals": convention.service_withdrawals.select_related(
                "partnership__partner", "service"
            ),
            "terms": queries.terms_by_signatory(convention, today.year),
            "can_denounce": access.manage
            and ConventionStatus.DENOUNCED in convention.available_statuses(),
        }
    if access.staff:
        ctx["blanks"] = document.prepare(house, convention, today.year, today).blanks
    return render_house_tab(
        request,
        "conventions/convention_detail.html",
        house,
        access,
        tab=TAB,
        status=200 if form is None or form.is_valid() or request.method == "GET" else 400,
        title=_("Convention-cadre — %(house)s") % {"house": house.name},
        **ctx,
    )


def _managed(request, pk):
    house, convention, access = queries.get_house_convention_for_user(
        request.user, pk, need="manage"
    )
    return house, queries.require_convention(convention), access


@login_required
@require_http_methods(["GET", "POST"])
def convention_edit(request, pk):
    house, convention, access = _managed(request, pk)
    initial = {f: getattr(convention, f) for f in services.CONVENTION_FIELDS}
    form = ConventionEditForm(
        request.POST or None, initial={**initial, "version": convention.version}
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        with refusals_on(form):
            services.update_convention(request.user, convention, data, version)
            return _done(request, house, _("La convention-cadre est mise à jour."))
    return _page(
        request, house, access, form, title=_("Modifier la convention"), submit=_("Enregistrer")
    )


@login_required
@require_http_methods(["GET", "POST"])
def signatory_add(request, pk):
    house, convention, access = _managed(request, pk)
    form = SignatoryAddForm(request.POST or None, house=house)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        partnership = data.pop("partnership")
        with refusals_on(form):
            services.add_signatory(request.user, convention, partnership, **data)
            return _done(request, house, _("La signature est enregistrée."))
    return _page(
        request,
        house,
        access,
        form,
        title=_("Enregistrer la signature d'un partenaire"),
        submit=_("Enregistrer la signature"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def signatory_edit(request, pk, signatory_pk):
    house, convention, access = _managed(request, pk)
    signatory = queries.get_signatory(convention, signatory_pk)
    form = SignatoryEditForm(
        request.POST or None,
        initial={
            "signer_name": signatory.signer_name,
            "signer_title": signatory.signer_title,
            "version": signatory.version,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        with refusals_on(form):
            services.update_signatory(request.user, signatory, data, version)
            return _done(request, house, _("Le signataire est mis à jour."))
    return _page(
        request,
        house,
        access,
        form,
        title=_("Signataire : %(party)s") % {"party": signatory.party_name},
        submit=_("Enregistrer"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def signatory_withdraw(request, pk, signatory_pk):
    house, convention, access = _managed(request, pk)
    signatory = queries.get_signatory(convention, signatory_pk)
    form = LetterForm(request.POST or None, initial={"version": signatory.version})
    if request.method == "POST" and form.is_valid():
        with refusals_on(form):
            services.record_withdrawal(
                request.user,
                signatory,
                letter_on=form.cleaned_data["letter_on"],
                expected_version=form.cleaned_data["version"],
            )
            return _done(
                request,
                house,
                _(
                    "Le retrait de %(party)s est enregistré ; il prend effet le %(day)s et les "
                    "autres partenaires en sont informés."
                )
                % {"party": signatory.party_name, "day": signatory.withdrawal_effective_on},
            )
    return _page(
        request,
        house,
        access,
        form,
        title=_("Retrait de %(party)s") % {"party": signatory.party_name},
        intro=_(
            "Le retrait prend effet à l'échéance de la convention si la lettre arrive au moins six "
            "mois avant elle, sinon à l'échéance suivante (articles 7 et 10)."
        ),
        submit=_("Enregistrer le retrait"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def convention_denounce(request, pk):
    house, convention, access = _managed(request, pk)
    form = LetterForm(request.POST or None, initial={"version": convention.version})
    if request.method == "POST" and form.is_valid():
        with refusals_on(form):
            services.denounce(
                request.user,
                convention,
                letter_on=form.cleaned_data["letter_on"],
                expected_version=form.cleaned_data["version"],
            )
            return _done(
                request,
                house,
                _(
                    "La dénonciation est enregistrée : la convention et la maison prennent fin le "
                    "%(day)s ; le préfet et les partenaires en sont informés."
                )
                % {"day": convention.denounced_effective_on},
            )
    return _page(
        request,
        house,
        access,
        form,
        title=_("Dénoncer la convention"),
        intro=_(
            "Le gestionnaire dénonce la convention sous le même préavis de six mois ; il en "
            "informe le préfet. Cette dénonciation met fin à l'existence de la maison (article 7)."
        ),
        submit=_("Enregistrer la dénonciation"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def adhesion_add(request, pk):
    house, convention, access = _managed(request, pk)
    form = AdhesionAddForm(request.POST or None, house=house)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        partner = data.pop("partner")
        with refusals_on(form):
            services.request_adhesion(request.user, convention, partner, **data)
            return _done(request, house, _("La demande d'adhésion est enregistrée."))
    return _page(
        request,
        house,
        access,
        form,
        title=_("Demande d'adhésion d'un nouveau partenaire"),
        submit=_("Enregistrer la demande"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def adhesion_examine(request, pk, adhesion_pk):
    house, convention, access = _managed(request, pk)
    adhesion = queries.get_adhesion(convention, adhesion_pk)
    form = AdhesionExamineForm(request.POST or None, initial={"version": adhesion.version})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with refusals_on(form):
            services.examine_adhesion(
                request.user,
                adhesion,
                accept=data["decision"] == "accept",
                on=data["examined_on"],
                note=data["note"],
                expected_version=data["version"],
            )
            return _done(request, house, _("L'examen de la demande est enregistré."))
    return _page(
        request,
        house,
        access,
        form,
        title=_("Examen de la demande de %(partner)s") % {"partner": adhesion.partner.name},
        submit=_("Enregistrer la décision"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def adhesion_sign(request, pk, adhesion_pk):
    house, convention, access = _managed(request, pk)
    adhesion = queries.get_adhesion(convention, adhesion_pk)
    form = AdhesionSignForm(request.POST or None, initial={"version": adhesion.version})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        with refusals_on(form):
            services.sign_adhesion(
                request.user,
                adhesion,
                services=list(data.pop("services")),
                expected_version=version,
                **data,
            )
            return _done(
                request,
                house,
                _(
                    "%(partner)s a signé la convention et la charte : il est partenaire de la maison."
                )
                % {"partner": adhesion.partner.short_name},
            )
    return _page(
        request,
        house,
        access,
        form,
        title=_("Signature de %(partner)s") % {"partner": adhesion.partner.name},
        intro=_(
            "Le nouveau partenaire souscrit à la charte nationale de qualité et signe la "
            "convention (article 9)."
        ),
        submit=_("Enregistrer les signatures"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def service_withdraw(request, pk):
    house, convention, access = _managed(request, pk)
    form = ServiceWithdrawForm(request.POST or None, house=house)
    if request.method == "POST" and form.is_valid():
        partnership_pk, service_pk = form.cleaned_data["service"].split(":")
        partnership = house.partnerships.select_related("partner").get(pk=partnership_pk)
        service = ServiceItem.objects.get(pk=service_pk)
        with refusals_on(form):
            withdrawal = services.withdraw_service(
                request.user,
                convention,
                partnership,
                service,
                notified_on=form.cleaned_data["notified_on"],
            )
            return _done(
                request,
                house,
                _("Le retrait du service est annoncé aux partenaires ; il prend effet le %(day)s.")
                % {"day": withdrawal.effective_on},
            )
    return _page(
        request,
        house,
        access,
        form,
        title=_("Retrait d'un service"),
        intro=_(
            "Les partenaires sont informés sous le préavis fixé par la convention (article 9)."
        ),
        submit=_("Annoncer le retrait"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def terms_edit(request, pk, year, signatory_pk):
    house, convention, access = _managed(request, pk)
    if not core_rules.EARLIEST_DAY.year <= year <= today_in(house.tz).year + 1:
        raise Http404(_("Année hors de la période de la convention."))
    signatory = queries.get_signatory(convention, signatory_pk)
    terms = queries.terms_by_signatory(convention, year).get(signatory.pk)
    initial = {f: getattr(terms, f) for f in services.TERMS_FIELDS} if terms else {}
    initial["version"] = terms.version if terms else 0
    form = TermsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        with refusals_on(form):
            services.save_terms(request.user, signatory, year, data, version)
            return _done(request, house, _("Les modalités de gestion sont enregistrées."))
    return _page(
        request,
        house,
        access,
        form,
        title=_("Modalités de gestion %(year)s (annexe 3) : %(party)s")
        % {"year": year, "party": signatory.party_name},
        intro=(
            _("Part de l'activité : à renseigner pour le gestionnaire (proratisation, § 3.2).")
            if signatory.kind == SignatoryKind.GESTIONNAIRE
            else ""
        ),
        submit=_("Enregistrer"),
    )


@login_required
@require_GET
def convention_document(request, pk, doc_format):
    house, convention, _access = queries.get_house_convention_for_user(
        request.user, pk, need="staff"
    )
    today = today_in(house.tz)
    with refusal_as_message(request):
        content, content_type, name = document.generate(
            house, convention, doc_format, year=today.year, today=today
        )
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    return redirect("convention_detail", pk=house.pk)
