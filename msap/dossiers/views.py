"""Personal-file screens, for the agents of the house only (art. 3.5: need-to-know).

A referent, the prefecture or the national cell never see a personal file: 404 where the house
is not visible to them, 403 where it is. Every screen that shows the file logs an access.
Thin views: parse, check access, call msap.dossiers.services, render. Nothing is cached.
"""

from pathlib import PurePosixPath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from msap.core.confirm import confirmed
from msap.core.forms import refusal_as_message, refusals_on
from msap.core.templatetags.content import typed
from msap.desk.models import ServiceRequest
from msap.dossiers import queries, rules, services
from msap.dossiers.forms import (
    DocumentForm,
    DossierEditForm,
    DossierNewForm,
    EraseForm,
    FollowUpForm,
    SearchForm,
)
from msap.dossiers.models import AccessAction, DossierDocument, DossierStatus
from msap.dossiers.queries import get_dossier_for_user
from msap.lib.uploads import download_response, private_file_response
from msap.network.queries import get_house_for_user

DOSSIERS_PER_PAGE = 50
ACCESSES_SHOWN = 50
EXPORT_TYPES = {"json": "application/json; charset=utf-8", "pdf": "application/pdf"}


def _page(request, template: str, dossier, access, **context):
    return render(
        request,
        template,
        {
            "house": dossier.house,
            "access": access,
            "tab": "dossiers",
            "dossier": dossier,
            **context,
        },
    )


def _posted(request):
    # An empty POST is still a submission: bind it, so that it gets its error messages.
    return request.POST if request.method == "POST" else None


def _closed(request, dossier):
    """Mutating screens of an erased or anonymised file: nothing left to change."""
    messages.error(
        request, _("Ce dossier a été effacé ou anonymisé : il ne peut plus être modifié.")
    )
    return redirect("dossier_detail", dossier.pk)


# --- the house's files --------------------------------------------------------------------------


@never_cache
@login_required
@require_GET
def dossier_list(request, house_pk):
    house, access = get_house_for_user(request.user, house_pk, need="counter")
    form = SearchForm(request.GET or None)
    search = (form.cleaned_data["q"] or "") if form.is_valid() else ""
    page = Paginator(queries.active_dossiers(house, search), DOSSIERS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "dossiers/dossier_list.html",
        {
            "house": house,
            "access": access,
            "tab": "dossiers",
            "form": form,
            "page": page,
            "retention_months": rules.retention_months(),
            "title": _("Dossiers usagers — %(name)s") % {"name": house.name},
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def dossier_new(request, house_pk):
    house, access = get_house_for_user(request.user, house_pk, need="counter")
    form = DossierNewForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        with refusals_on(form):
            dossier = services.open_dossier(
                request.user,
                house,
                consent_purpose=form.cleaned_data["consent_purpose"],
                consent_given=form.cleaned_data["consent_given"],
                **form.identity(),
            )
            messages.success(
                request, _("Le dossier a été ouvert avec le consentement de la personne.")
            )
            return redirect("dossier_detail", dossier.pk)
    return render(
        request,
        "dossiers/dossier_new.html",
        {
            "house": house,
            "access": access,
            "tab": "dossiers",
            "form": form,
            "title": _("Ouvrir un dossier usager — %(name)s") % {"name": house.name},
        },
    )


# --- one file -----------------------------------------------------------------------------------


@never_cache
@login_required
@require_GET
def dossier_detail(request, dossier_pk):
    dossier, access = get_dossier_for_user(request.user, dossier_pk)
    services.log_access(request.user, dossier, AccessAction.VIEW)
    requests = (
        ServiceRequest.objects.filter(dossier_link__dossier=dossier)
        .select_related("category", "partner")
        .order_by("-occurred_at")
    )
    return _page(
        request,
        "dossiers/dossier_detail.html",
        dossier,
        access,
        follow_ups=dossier.follow_ups.select_related("author", "request__category"),
        documents=dossier.documents.select_related("uploaded_by"),
        requests=requests,
        accesses=dossier.accesses.select_related("user")[:ACCESSES_SHOWN],
        can_erase=DossierStatus.ERASED in dossier.available_statuses(),
        title=_("Dossier usager n°%(pk)s") % {"pk": dossier.pk},
    )


def _change_page(request, dossier_pk, template, title, make_form, save, done):
    """A screen that changes an active file: its form, then one service call (`save(dossier,
    form)`), then back to the file with `done` said."""
    dossier, access = get_dossier_for_user(request.user, dossier_pk)
    if dossier.status != DossierStatus.ACTIVE:
        return _closed(request, dossier)
    form = make_form(dossier)
    if request.method == "POST" and form.is_valid():
        with refusals_on(form):
            save(dossier, form)
            messages.success(request, done)
            return redirect("dossier_detail", dossier.pk)
    return _page(request, template, dossier, access, form=form, title=title % {"pk": dossier.pk})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def dossier_edit(request, dossier_pk):
    def make_form(dossier):
        if request.method == "POST":
            return DossierEditForm(request.POST)
        # The form shows the whole identity: that is a consultation.
        services.log_access(request.user, dossier, AccessAction.VIEW)
        return DossierEditForm(initial=DossierEditForm.initial_for(dossier))

    return _change_page(
        request,
        dossier_pk,
        "dossiers/dossier_edit.html",
        _("Modifier le dossier usager n°%(pk)s"),
        make_form,
        lambda dossier, form: services.update_dossier(
            request.user, dossier, form.identity(), form.cleaned_data["version"]
        ),
        _("Le dossier a été enregistré."),
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def follow_up_add(request, dossier_pk):
    return _change_page(
        request,
        dossier_pk,
        "dossiers/follow_up_add.html",
        _("Ajouter un suivi au dossier usager n°%(pk)s"),
        lambda dossier: FollowUpForm(_posted(request), dossier=dossier),
        lambda dossier, form: services.add_follow_up(request.user, dossier, **form.cleaned_data),
        _("Le suivi a été ajouté."),
    )


# --- documents ----------------------------------------------------------------------------------


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def document_add(request, dossier_pk):
    return _change_page(
        request,
        dossier_pk,
        "dossiers/document_add.html",
        _("Ajouter un document au dossier usager n°%(pk)s"),
        lambda dossier: DocumentForm(
            _posted(request), request.FILES if request.method == "POST" else None
        ),
        lambda dossier, form: services.add_document(
            request.user, dossier, form.cleaned_data["file"], label=form.cleaned_data["label"]
        ),
        _("Le document a été ajouté au dossier."),
    )


@never_cache
@login_required
@require_GET
def document_download(request, dossier_pk, doc_pk):
    dossier, _access = get_dossier_for_user(request.user, dossier_pk)
    document = get_object_or_404(DossierDocument, pk=doc_pk, dossier=dossier)
    stem = slugify(PurePosixPath(document.original_name).stem)[:60] or f"document-{document.pk}"
    response = private_file_response(
        document.file, stem, missing=_("Le fichier de ce document est introuvable.")
    )
    services.log_access(request.user, dossier, AccessAction.DOWNLOAD)
    return response


@login_required
@require_http_methods(["GET", "POST"])
def document_delete(request, dossier_pk, doc_pk):
    dossier, _access = get_dossier_for_user(request.user, dossier_pk)
    document = get_object_or_404(DossierDocument, pk=doc_pk, dossier=dossier)
    return confirmed(
        request,
        act=lambda: services.remove_document(request.user, document),
        done=_("Le document a été retiré du dossier et son fichier supprimé."),
        back_url=reverse("dossier_detail", args=[dossier.pk]),
        title=_("Retirer un document"),
        question=_("Retirer le document « %(name)s » du dossier n°%(pk)s ?")
        % {"name": document.original_name, "pk": dossier.pk},
        details=[(_("Description"), typed(document.label) or "—")],
        consequence=_("Le fichier sera supprimé du serveur ; il ne pourra pas être récupéré."),
        button=_("Retirer le document"),
    )


# --- the person's rights: export and erasure ----------------------------------------------------


@never_cache
@login_required
@require_GET
def dossier_export(request, dossier_pk, fmt):
    dossier, _access = get_dossier_for_user(request.user, dossier_pk)
    if fmt not in EXPORT_TYPES:
        raise Http404(_("Format d'export inconnu."))
    with refusal_as_message(request):
        content = services.export_dossier(request.user, dossier, fmt)
        # No name in the file name: it lands in the downloads folder of a shared counter computer.
        return download_response(content, EXPORT_TYPES[fmt], f"dossier-{dossier.pk}.{fmt}")
    return redirect("dossier_detail", dossier.pk)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def dossier_erase(request, dossier_pk):
    dossier, access = get_dossier_for_user(request.user, dossier_pk)
    form = EraseForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        if services.erase_dossier(request.user, dossier):
            messages.success(
                request,
                _(
                    "Le dossier n°%(pk)s a été effacé : identité, suivis et documents supprimés. "
                    "Les demandes restent comptées, anonymement."
                )
                % {"pk": dossier.pk},
            )
        else:
            messages.info(
                request,
                _("Ce dossier avait déjà été effacé ou anonymisé : rien de plus n'a été supprimé."),
            )
        return redirect("dossier_list", dossier.house_id)
    return _page(
        request,
        "dossiers/dossier_erase.html",
        dossier,
        access,
        form=form,
        title=_("Effacer le dossier usager n°%(pk)s") % {"pk": dossier.pk},
    )
