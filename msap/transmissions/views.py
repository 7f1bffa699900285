"""Transmission screens for the agents of the house (they hold the person's data): the house's
list with its filters and its partners' figures, a new transmission (from a request too), one
transmission with its timeline, the answer to a request for information, attachment downloads.
The referents' screens are the partner portal's, on the same services and access helper.

Thin views: parse, check access, call msap.transmissions.services, render.
"""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from msap import permissions
from msap.core.errors import DomainError
from msap.core.forms import add_domain_error
from msap.core.pages import render_house_tab
from msap.desk.forms import new_idempotency_key
from msap.lib.dates import timezone_for
from msap.lib.forms import parse_id
from msap.lib.uploads import private_file_response
from msap.network.queries import get_house_for_user
from msap.transmissions import queries, services
from msap.transmissions.forms import FilterForm, MessageForm, SendForm
from msap.transmissions.models import Transmission, TransmissionStatus

TRANSMISSIONS_PER_PAGE = 50


_house_page = partial(render_house_tab, tab="transmissions")


@never_cache
@login_required
@require_GET
def transmission_list(request, house_pk):
    house, access = get_house_for_user(request.user, house_pk, need="counter")
    today = timezone.now().astimezone(timezone_for(house.commune.departement_id)).date()
    form = FilterForm(request.GET or None, house=house)
    filters = {}
    if form.is_bound and form.is_valid():
        filters = {
            "status": form.cleaned_data["status"],
            "partnership": form.cleaned_data["partnership"],
            "late": form.cleaned_data["late"],
        }
    page = Paginator(
        queries.house_transmissions(house, today=today, **filters), TRANSMISSIONS_PER_PAGE
    ).get_page(request.GET.get("page"))
    now = timezone.now()
    rows = [(t, queries.deadline(t, now)) for t in page.object_list]
    return _house_page(
        request,
        "transmissions/list.html",
        house,
        access,
        form=form,
        page=page,
        rows=rows,
        figures=queries.partner_figures(Transmission.objects.filter(house=house), today),
        title=_("Saisines — %(name)s") % {"name": house.name},
    )


@never_cache
@login_required
@require_GET
def transmission_figures(request, house_pk):
    """The partners' delays only, for the house's staff and its overseers (département, nation):
    no transmission, no person."""
    house, access = get_house_for_user(request.user, house_pk, need="sees_staff")
    today = timezone.now().astimezone(timezone_for(house.commune.departement_id)).date()
    return _house_page(
        request,
        "transmissions/figures.html",
        house,
        access,
        figures=queries.partner_figures(Transmission.objects.filter(house=house), today),
        title=_("Délais des partenaires — %(name)s") % {"name": house.name},
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def transmission_new(request, house_pk):
    house, access = get_house_for_user(request.user, house_pk, need="counter")
    if request.method == "POST":
        form = SendForm(request.POST, request.FILES, house=house)
        if form.is_valid():
            try:
                transmission, created = services.send(
                    request.user,
                    house,
                    idempotency_key=form.cleaned_data["key"],
                    **form.service_kwargs(),
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                if created:
                    messages.success(
                        request,
                        _("La saisine est transmise à %(partner)s.")
                        % {"partner": transmission.partnership.partner.short_name},
                    )
                else:
                    messages.info(request, _("Cette saisine avait déjà été transmise."))
                return redirect("transmission_detail", transmission.pk)
    else:
        initial = {"key": new_idempotency_key()}
        request_id = parse_id(request.GET.get("demande"))
        if request_id:
            initial["request"] = request_id
            linked = house.requests.filter(pk=request_id).values_list("partner_id", flat=True)
            partnership = house.partnerships.active().filter(partner_id__in=linked).first()
            if partnership is not None:
                initial["partnership"] = partnership.pk
        form = SendForm(initial=initial, house=house)
    return _house_page(
        request,
        "transmissions/new.html",
        house,
        access,
        form=form,
        title=_("Nouvelle saisine — %(name)s") % {"name": house.name},
    )


def _detail(request, transmission, access, answer_form=None, status=200):
    house = transmission.house
    return _house_page(
        request,
        "transmissions/detail.html",
        house,
        permissions.house_access(request.user, house),
        status=status,
        transmission_access=access,
        transmission=transmission,
        deadline=queries.deadline(transmission, timezone.now()),
        steps=transmission.steps.select_related("actor").prefetch_related("attachments"),
        answer_form=answer_form
        or (
            MessageForm(initial={"version": transmission.version})
            if access.house and transmission.status == TransmissionStatus.INFO_REQUESTED
            else None
        ),
        tz=timezone_for(house.commune.departement_id),
        title=str(transmission),
    )


@never_cache
@login_required
@require_GET
def transmission_detail(request, pk):
    transmission, access = queries.get_transmission_for_user(request.user, pk)
    return _detail(request, transmission, access)


@never_cache
@login_required
@require_POST
def transmission_answer(request, pk):
    transmission, access = queries.get_transmission_for_user(request.user, pk, need="house")
    form = MessageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.answer(
                request.user,
                transmission,
                form.cleaned_data["text"],
                form.cleaned_data["attachments"],
                version=form.cleaned_data["version"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Votre réponse est transmise au partenaire."))
            return redirect("transmission_detail", transmission.pk)
    return _detail(request, transmission, access, answer_form=form, status=400)


@never_cache
@login_required
@require_GET
def transmission_attachment(request, pk, attachment_pk):
    transmission, _access = queries.get_transmission_for_user(request.user, pk)
    attachment = transmission.attachments.filter(pk=parse_id(attachment_pk) or 0).first()
    if attachment is None:
        raise Http404(_("Pièce jointe introuvable."))
    return private_file_response(
        attachment.file,
        f"saisine-{transmission.pk}-piece-{attachment.pk}",
        missing=_("Cette pièce jointe n'est plus disponible."),
        kind=attachment.kind,
    )
