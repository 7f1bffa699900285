"""The partner portal (issue 9, item 6): a referent's home with what is addressed to their
organisations, the appointment answers, the offer, their referent cards, the figures, the
webhook endpoints; and the signed links that open one item without an account.

Thin views: parse, check access, call one service, render.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from msap import permissions
from msap.appointments import sheet
from msap.appointments.models import AppointmentStatus
from msap.appointments.moves import status_move
from msap.core.errors import DomainError
from msap.core.forms import add_domain_error, refusals_on
from msap.partners.models import Partner
from msap.portal import queries, services
from msap.portal.forms import ConfirmForm, EndpointForm, RevokeForm, TransmissionMoveForm
from msap.portal.links import LinkRefused
from msap.transmissions import queries as transmission_queries
from msap.transmissions.models import TransmissionStatus
from msap.webhooks import queries as webhook_queries
from msap.webhooks import services as webhooks

SHOWN_SECRET = "portal-new-secret"  # noqa: S105 - a session key, not a secret


def _page(request, template, tab, **context):
    return render(request, template, {"tab": tab, **context})


def _when(appointment) -> str:
    return formats.date_format(timezone.localtime(appointment.start), "SHORT_DATETIME_FORMAT")


@never_cache
@login_required
@require_GET
def portal_home(request):
    scope = permissions.require_referent(request.user)
    now = timezone.now()
    return _page(
        request,
        "portal/home.html",
        "home",
        partners=Partner.objects.filter(pk__in=scope.partners),
        to_confirm=list(queries.to_confirm(request.user, now)),
        coming=list(queries.coming(request.user, now)),
        inbox=queries.inbox(request.user, now),
        partnerships=list(queries.partnerships(request.user)),
        title=_("Espace partenaire"),
    )


@never_cache
@login_required
@require_GET
def portal_appointment(request, pk):
    appointment, _access = queries.get_appointment_for_referent(request.user, pk)
    moves = [s for s in appointment.available_statuses() if s in services.PARTNER_MOVES]
    return _page(
        request,
        "portal/appointment.html",
        "home",
        appointment=appointment,
        sheet=sheet.sheet_for(appointment),
        moves=[(s, AppointmentStatus(s).label) for s in moves],
        title=_("Rendez-vous du %(day)s") % {"day": _when(appointment)},
    )


def _answer(request, appointment, status, *, link=None, back: str, actor=None):
    """Confirm (confirmation page, then POST) or revoke (a reason form) an appointment."""
    if status not in services.PARTNER_MOVES:
        raise Http404(_("Statut inconnu."))
    return status_move(
        request,
        appointment,
        status,
        form_class=RevokeForm if status == AppointmentStatus.REVOKED else ConfirmForm,
        move=lambda data: services.answer_appointment(
            actor,
            appointment,
            status,
            reason=data.get("reason", ""),
            version=data["version"],
            link=link,
        ),
        back=back,
        revoke_page=lambda form: render(
            request,
            "portal/revoke.html",
            {
                "appointment": appointment,
                "form": form,
                "back": back,
                "tab": "home",
                "title": _("Annuler le rendez-vous du %(day)s") % {"day": _when(appointment)},
            },
        ),
        confirm=lambda: {
            "title": _("Confirmer le rendez-vous"),
            "question": _("Confirmer le rendez-vous du %(day)s ?") % {"day": _when(appointment)},
            "details": [
                (_("Maison"), appointment.house.name),
                (_("Objet"), appointment.appointment_type.subject),
                (_("Conseiller"), appointment.adviser.full_name),
            ],
            "consequence": _(
                "La maison France Services et la personne verront le rendez-vous confirmé ; il "
                "pourra encore être annulé avec un motif."
            ),
            "button": _("Confirmer le rendez-vous"),
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def portal_appointment_answer(request, pk, status):
    appointment, _access = queries.get_appointment_for_referent(request.user, pk)
    back = reverse("portal_appointment", args=[appointment.pk])
    return _answer(request, appointment, status, back=back, actor=request.user)


@never_cache
@login_required
@require_GET
def portal_offer(request):
    permissions.require_referent(request.user)
    today = timezone.localdate()
    return _page(
        request,
        "portal/offer.html",
        "offer",
        partnerships=queries.offer(request.user, today),
        title=_("Créneaux et permanences"),
    )


@never_cache
@login_required
@require_GET
def portal_cards(request):
    permissions.require_referent(request.user)
    return _page(
        request,
        "portal/cards.html",
        "cards",
        cards=list(queries.referent_cards(request.user)),
        title=_("Fiches référent"),
    )


@never_cache
@login_required
@require_GET
def portal_figures(request):
    permissions.require_referent(request.user)
    return _page(
        request,
        "portal/figures.html",
        "figures",
        figures=queries.appointment_figures(request.user, timezone.now()),
        transmission_figures=queries.transmission_figures(request.user, timezone.now()),
        title=_("Chiffres de votre organisme"),
    )


# --- webhook endpoints ---------------------------------------------------------------------------


def _endpoint_form(request, partners, **kwargs):
    return EndpointForm(
        request.POST if request.method == "POST" else None, partners=partners, **kwargs
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def portal_webhooks(request):
    scope = permissions.require_referent(request.user)
    partners = list(Partner.objects.filter(pk__in=scope.partners).order_by("short_name"))
    form = _endpoint_form(request, partners)
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data.get("partner") or partners[0].pk
        partner = next((p for p in partners if p.pk == chosen), None)
        if partner is None:
            form.add_error("partner", _("Choisissez un de vos organismes."))
        else:
            with refusals_on(form):
                endpoint = webhooks.create_endpoint(
                    request.user,
                    partner,
                    form.cleaned_data["url"],
                    form.cleaned_data["event_types"],
                    form.cleaned_data["description"],
                )
                request.session[SHOWN_SECRET] = [endpoint.pk, endpoint.secret]
                messages.success(request, _("L'adresse est enregistrée."))
                return redirect("portal_webhook", endpoint.pk)
    return _page(
        request,
        "portal/webhooks.html",
        "webhooks",
        endpoints=list(
            webhook_queries.partner_endpoints(request.user).order_by("partner__short_name", "pk")
        ),
        form=form,
        title=_("Webhooks"),
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def portal_webhook(request, pk):
    endpoint = webhook_queries.get_endpoint_for_user(request.user, pk)
    initial = {"event_types": endpoint.event_types, "description": endpoint.description}
    form = EndpointForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        partners=[endpoint.partner],
        with_url=False,
    )
    if request.method == "POST" and form.is_valid():
        try:
            webhooks.update_endpoint(
                request.user,
                endpoint,
                form.cleaned_data["event_types"],
                form.cleaned_data["description"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Les souscriptions sont enregistrées."))
            return redirect("portal_webhook", endpoint.pk)
    shown = request.session.pop(SHOWN_SECRET, None)
    return _page(
        request,
        "portal/webhook.html",
        "webhooks",
        endpoint=endpoint,
        form=form,
        new_secret=shown[1] if shown and shown[0] == endpoint.pk else None,
        deliveries=webhook_queries.delivery_log(endpoint),
        title=_("Webhook %(url)s") % {"url": endpoint.url},
    )


@never_cache
@login_required
@require_POST
def portal_webhook_action(request, pk, action):
    endpoint = webhook_queries.get_endpoint_for_user(request.user, pk)
    try:
        if action == "pause":
            webhooks.pause(request.user, endpoint)
            messages.success(request, _("L'adresse est en pause : les événements l'attendent."))
        elif action == "reprise":
            count = webhooks.resume(request.user, endpoint)
            messages.success(
                request,
                _("L'adresse est active : %(count)s livraison(s) en attente repartent.")
                % {"count": count},
            )
        elif action == "secret":
            request.session[SHOWN_SECRET] = [
                endpoint.pk,
                webhooks.rotate_secret(request.user, endpoint),
            ]
            messages.success(request, _("Un nouveau secret de signature est en place."))
        else:
            raise Http404(_("Action inconnue."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("portal_webhook", endpoint.pk)


@never_cache
@login_required
@require_POST
def portal_delivery_replay(request, pk, delivery_pk):
    endpoint = webhook_queries.get_endpoint_for_user(request.user, pk)
    delivery = webhook_queries.get_delivery(endpoint, delivery_pk)
    delivery.endpoint = endpoint
    try:
        webhooks.replay(request.user, delivery)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("La livraison %(id)s repart.") % {"id": delivery.event_id})
    return redirect("portal_webhook", endpoint.pk)


# --- signed links --------------------------------------------------------------------------------

KINDS = {"rendez-vous": "appointment", "saisine": "transmission"}


def _open(request, kind, pk, token):
    """The link, or the French page saying why it opens nothing (LinkRefused's response)."""
    if kind not in KINDS:
        raise Http404(_("Lien introuvable."))
    try:
        return services.open_link(token, KINDS[kind], pk), None
    except LinkRefused as exc:
        return None, render(
            request,
            "portal/link_refused.html",
            {"title": _("Lien inutilisable"), "message": exc.message},
            status=exc.status,
        )


@never_cache
@require_http_methods(["GET", "POST"])
def link_answer(request, kind, pk, token, status):
    link, refused = _open(request, kind, pk, token)
    if refused:
        return refused
    back = reverse("link_open", args=[kind, pk, token])
    if link.kind == "transmission":
        if request.method != "POST":
            return redirect(back)
        return _transmission_move(
            request, link.transmission, status, link=link, token=token, back=back
        )
    return _answer(request, link.appointment, status, link=link, back=back)


@never_cache
@require_GET
def link_open(request, kind, pk, token):
    """One item through a signed link, no account needed: only that item and its actions."""
    link, refused = _open(request, kind, pk, token)
    if refused:
        return refused
    if link.kind == "transmission":
        return _transmission_page(request, link.transmission, link=link, token=token)
    appointment = link.appointment
    moves = [s for s in appointment.available_statuses() if s in services.PARTNER_MOVES]
    return render(
        request,
        "portal/link.html",
        {
            "link": link,
            "appointment": appointment,
            "sheet": sheet.sheet_for(appointment),
            "moves": [(s, AppointmentStatus(s).label) for s in moves],
            "kind": kind,
            "token": token,
            "title": _("Rendez-vous du %(day)s") % {"day": _when(appointment)},
        },
    )


# --- transmissions (saisines) --------------------------------------------------------------------

# The partner's moves, by the URL segment of their form.
MOVES = {
    "prise-en-charge": "taken",
    "demande-informations": "info_requested",
    "resolution": "resolved",
    "reorientation": "redirected",
    "refus": "refused",
}


def _others(transmission):
    """The other active partners of the house, where the partner may redirect."""
    return (
        transmission.house.partnerships.active()
        .exclude(pk=transmission.partnership_id)
        .select_related("partner")
    )


def _transmission_page(request, transmission, form=None, move="", link=None, token=""):
    others = list(_others(transmission))
    allowed = [
        (slug, TransmissionStatus(status).label)
        for slug, status in MOVES.items()
        if status in transmission.available_statuses()
    ]
    forms = {
        slug: form
        if slug == move and form is not None
        else TransmissionMoveForm(
            initial={"version": transmission.version}, partnerships=others, prefix=slug
        )
        for slug, _label in allowed
    }
    return render(
        request,
        "portal/link_transmission.html" if link else "portal/transmission.html",
        {
            "tab": "home",
            "transmission": transmission,
            "link": link,
            "token": token,
            "running": transmission_queries.deadline(transmission, timezone.now()),
            "steps": list(transmission.steps.select_related("actor").order_by("at", "pk")),
            "moves": [(slug, label, forms[slug]) for slug, label in allowed],
            "title": _("Saisine n° %(pk)s") % {"pk": transmission.pk},
        },
    )


def _transmission_move(request, transmission, move, *, actor=None, link=None, token="", back):
    if move not in MOVES:
        raise Http404(_("Action inconnue."))
    form = TransmissionMoveForm(
        request.POST or None, partnerships=_others(transmission), prefix=move
    )
    if request.method == "POST" and form.is_valid():
        status = MOVES[move]
        try:
            services.move_transmission(
                actor,
                transmission,
                status,
                form.cleaned_data,
                version=form.cleaned_data["version"],
                link=link,
            )
        except DomainError as exc:
            add_domain_error(form, exc, {"__all__": "text"})
        else:
            messages.success(
                request,
                _("Saisine : %(status)s.") % {"status": TransmissionStatus(status).label},
            )
            return redirect(back)
    return _transmission_page(request, transmission, form, move, link=link, token=token)


@never_cache
@login_required
@require_GET
def portal_transmission(request, pk):
    transmission, _access = transmission_queries.get_transmission_for_user(
        request.user, pk, need="partner"
    )
    return _transmission_page(request, transmission)


@never_cache
@login_required
@require_POST
def portal_transmission_move(request, pk, move):
    transmission, _access = transmission_queries.get_transmission_for_user(
        request.user, pk, need="partner"
    )
    back = reverse("portal_transmission", args=[transmission.pk])
    return _transmission_move(request, transmission, move, actor=request.user, back=back)
