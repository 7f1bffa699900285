"""Staff screens for a house's partners and their referents (art. 4, 7, 9; annexes 1 and 2).

Thin views: they parse, check access through msap.permissions, call partners.services, render.
Referents' contacts are shown only to the house's staff and to the partner's own referents
(annex 2: "ne jamais communiquer les coordonnées du référent ... au public").
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from msap import permissions
from msap.core.confirm import confirmation, dated_ending
from msap.core.errors import DomainError
from msap.core.forms import refusals_on
from msap.core.templatetags.content import typed
from msap.lib.forms import parse_id
from msap.network.queries import get_house_for_user
from msap.partners import queries, services
from msap.partners.forms import (
    EndReferentForm,
    PartnershipAddForm,
    PartnershipEditForm,
    ReferentAddForm,
    ReferentEditForm,
    WithdrawForm,
)
from msap.partners.models import PartnershipStatus
from msap.partners.queries import get_referent_for_user

TAB = "partners"


def _group_items(items) -> list[dict]:
    """Annex 1 items grouped by category, in the order of the offer (A, B1, B2, B3, C)."""
    groups: list[dict] = []
    for item in sorted(items, key=lambda i: (i.category.position, i.position)):
        if not groups or groups[-1]["category"].pk != item.category_id:
            groups.append({"category": item.category, "items": []})
        groups[-1]["items"].append(item)
    return groups


def _describe(access, partnership, unstaffed_ids=frozenset()) -> dict:
    referents = list(partnership.referents.all())
    return {
        "partnership": partnership,
        "groups": _group_items(partnership.services.all()),
        "current": [r for r in referents if r.ended_on is None],
        "former": [r for r in referents if r.ended_on is not None],
        "without_referent": partnership.pk in unstaffed_ids,
        "shows_contacts": access.sees_referent_contacts(partnership.partner_id),
    }


def _get_partnership(house, partnership_pk):
    try:
        return house.partnerships.select_related("partner").get(pk=partnership_pk)
    except house.partnerships.model.DoesNotExist:
        raise Http404(_("Partenariat introuvable.")) from None


@login_required
def house_partners(request, pk):
    house, access = get_house_for_user(request.user, pk, need="view")
    partnerships = list(
        queries.with_details(permissions.visible_partnerships(request.user, house, access))
    )
    unstaffed = set(queries.partnerships_without_referent(house).values_list("pk", flat=True))
    active = [p for p in partnerships if p.status == PartnershipStatus.ACTIVE]
    withdrawn = [p for p in partnerships if p.status != PartnershipStatus.ACTIVE]
    return render(
        request,
        "partners/house_partners.html",
        {
            "house": house,
            "access": access,
            "tab": TAB,
            "title": _("Partenaires et référents — %(house)s") % {"house": house.name},
            "rows": [_describe(access, p, unstaffed) for p in active],
            "withdrawn": withdrawn,
            "unstaffed_count": sum(1 for p in active if p.pk in unstaffed),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def partnership_add(request, pk):
    house, access = get_house_for_user(request.user, pk, need="manage")
    form = PartnershipAddForm(request.POST or None, house=house)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with refusals_on(form, {"short_name": "new_short_name", "name": "new_name"}):
            partner = data["partner_obj"]
            common = {
                "joined_on": data["joined_on"],
                "services": list(data["services"]),
                "bilateral_note": data["bilateral_note"],
            }
            if partner is None:
                # A new local operator: it exists only if its partnership does.
                partnership = services.add_local_partnership(
                    request.user,
                    house,
                    name=data["new_name"],
                    short_name=data["new_short_name"],
                    **common,
                )
            else:
                partnership = services.add_partnership(request.user, house, partner, **common)
            messages.success(
                request,
                _("%(partner)s est désormais partenaire de la maison. Nommez son référent.")
                % {"partner": partnership.partner.short_name},
            )
            return redirect("partnership_detail", pk=house.pk, partnership_pk=partnership.pk)
    return render(
        request,
        "partners/partnership_add.html",
        {
            "house": house,
            "access": access,
            "tab": TAB,
            "title": _("Ajouter un partenaire — %(house)s") % {"house": house.name},
            "form": form,
        },
    )


def _detail_context(user, house, access, partnership, *, edit_form=None, withdraw_form=None):
    partnership = queries.with_details(house.partnerships.filter(pk=partnership.pk)).get()
    is_active = partnership.status == PartnershipStatus.ACTIVE
    unstaffed = set(
        queries.partnerships_without_referent(house)
        .filter(pk=partnership.pk)
        .values_list("pk", flat=True)
    )
    described = _describe(access, partnership, unstaffed)
    # Same answer for every card of one partnership: ask the permissions module once.
    described["can_edit_cards"] = bool(described["current"]) and permissions.can_edit_referent(
        access, partnership.partner_id
    )
    ctx = {
        "house": house,
        "access": access,
        "tab": TAB,
        "title": _("%(partner)s — %(house)s")
        % {"partner": partnership.partner.short_name, "house": house.name},
        "row": described,
        "partnership": partnership,
        "is_active": is_active,
    }
    if access.manage and is_active:
        ctx["edit_form"] = edit_form or PartnershipEditForm(
            initial={
                "services": [s.pk for s in partnership.services.all()],
                "bilateral_note": partnership.bilateral_note,
                "version": partnership.version,
            }
        )
    if access.manage and PartnershipStatus.WITHDRAWN in partnership.available_statuses():
        ctx["withdraw_form"] = withdraw_form or WithdrawForm()
    return ctx


@login_required
@require_http_methods(["GET", "POST"])
def partnership_detail(request, pk, partnership_pk):
    house, access = get_house_for_user(request.user, pk, need="view")
    partnership = permissions.get_partnership_for_user(request.user, house, partnership_pk, access)
    edit_form = None
    if request.method == "POST":
        if not access.manage:
            raise PermissionDenied(
                _("Seuls les responsables de la maison modifient un partenariat.")
            )
        if partnership.status != PartnershipStatus.ACTIVE:
            raise PermissionDenied(
                _("Ce partenaire s'est retiré : son partenariat n'est plus modifiable.")
            )
        edit_form = PartnershipEditForm(request.POST)
        if edit_form.is_valid():
            data = edit_form.cleaned_data
            with refusals_on(edit_form):
                services.update_partnership(
                    request.user,
                    partnership,
                    services=list(data["services"]),
                    bilateral_note=data["bilateral_note"],
                    expected_version=data["version"],
                )
                messages.success(request, _("Le partenariat a été mis à jour."))
                return redirect("partnership_detail", pk=house.pk, partnership_pk=partnership.pk)
    ctx = _detail_context(request.user, house, access, partnership, edit_form=edit_form)
    return render(request, "partners/partnership_detail.html", ctx)


@login_required
@require_http_methods(["GET", "POST"])
def partnership_withdraw(request, pk, partnership_pk):
    house, access = get_house_for_user(request.user, pk, need="manage")
    partnership = _get_partnership(house, partnership_pk)
    form = WithdrawForm(request.POST if request.method == "POST" else request.GET)
    if request.method == "GET" and form.is_valid():
        left_on = form.cleaned_data["left_on"]
        return confirmation(
            request,
            title=_("Retrait d'un partenaire"),
            question=_("Enregistrer le retrait de %(partner)s le %(day)s ?")
            % {"partner": partnership.partner.short_name, "day": date_format(left_on)},
            details=[(_("Maison"), typed(house.name))],
            consequence=_(
                "Ses référents quittent leur fonction à cette date et le partenaire disparaît "
                "de l'offre de la maison ; le partenariat reste dans l'historique."
            ),
            button=_("Enregistrer le retrait"),
            cancel_url=reverse("partnership_detail", args=[house.pk, partnership.pk]),
            fields={"left_on": left_on.isoformat()},
        )
    if request.method == "POST" and form.is_valid():
        with refusals_on(form):
            services.withdraw_partnership(
                request.user, partnership, on=form.cleaned_data["left_on"]
            )
            messages.success(
                request,
                _(
                    "Le retrait de %(partner)s est enregistré ; il reste dans l'historique des partenaires."
                )
                % {"partner": partnership.partner.short_name},
            )
            return redirect("house_partners", pk=house.pk)
    ctx = _detail_context(request.user, house, access, partnership, withdraw_form=form)
    return render(request, "partners/partnership_detail.html", ctx)


def _referent_page(request, access, partnership, form, referent=None):
    """The form of a referent's card: a new referent of the partnership, or the card of one."""
    partner = partnership.partner.short_name
    if referent is None:
        title = heading = _("Nommer un référent %(partner)s") % {"partner": partner}
        submit_label = _("Enregistrer le référent")
    else:
        title = _("Fiche de %(name)s") % {"name": referent.full_name}
        heading = _("Fiche du référent %(partner)s : %(name)s") % {
            "partner": partner,
            "name": referent.full_name,
        }
        submit_label = _("Enregistrer la fiche")
    return render(
        request,
        "partners/referent_form.html",
        {
            "house": partnership.house,
            "access": access,
            "tab": TAB,
            "title": title,
            "heading": heading,
            "partnership": partnership,
            "referent": referent,
            "form": form,
            "submit_label": submit_label,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def referent_add(request, pk, partnership_pk):
    house, access = get_house_for_user(request.user, pk, need="manage")
    partnership = _get_partnership(house, partnership_pk)
    if partnership.status != PartnershipStatus.ACTIVE:
        messages.error(
            request,
            _("Ce partenaire s'est retiré de la maison : on ne peut plus lui nommer de référent."),
        )
        return redirect("partnership_detail", pk=house.pk, partnership_pk=partnership.pk)
    initial = {}
    if request.method == "GET" and (replaces := parse_id(request.GET.get("remplace"))):
        initial["replaces"] = replaces
    form = ReferentAddForm(request.POST or None, partnership=partnership, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with refusals_on(form, {"replaces": "replaces"}):
            referent = services.add_referent(
                request.user,
                partnership,
                started_on=data["started_on"],
                replaces=data["replaces"],
                **form.card_data(),
            )
            if data["replaces"] is not None:
                msg = _("%(new)s remplace %(old)s comme référent %(partner)s.") % {
                    "new": referent.full_name,
                    "old": data["replaces"].full_name,
                    "partner": partnership.partner.short_name,
                }
            else:
                msg = _("%(new)s est référent %(partner)s pour la maison.") % {
                    "new": referent.full_name,
                    "partner": partnership.partner.short_name,
                }
            messages.success(request, msg)
            return redirect("partnership_detail", pk=house.pk, partnership_pk=partnership.pk)
    return _referent_page(request, access, partnership, form)


@login_required
@require_http_methods(["GET", "POST"])
def referent_edit(request, pk, referent_pk):
    referent, referent_access = get_referent_for_user(request.user, pk, referent_pk, need="edit")
    partnership = referent.partnership
    house, access = partnership.house, referent_access.house
    try:
        # The card of a referent who left is history: no edit form is offered (403).
        services.check_referent_in_post(referent)
    except DomainError as exc:
        raise PermissionDenied(exc.message) from exc
    if request.method == "POST":
        form = ReferentEditForm(request.POST)
        if form.is_valid():
            with refusals_on(form):
                services.update_referent(
                    request.user,
                    referent,
                    form.card_data(),
                    expected_version=form.cleaned_data["version"],
                )
                messages.success(
                    request, _("La fiche de %(name)s est à jour.") % {"name": referent.full_name}
                )
                return redirect("partnership_detail", pk=house.pk, partnership_pk=partnership.pk)
    else:
        form = ReferentEditForm(
            initial={
                **{f: getattr(referent, f) for f in ReferentEditForm.CARD_FIELDS},
                "version": referent.version,
            }
        )
    return _referent_page(request, access, partnership, form, referent)


@login_required
@require_http_methods(["GET", "POST"])
def referent_end(request, pk, referent_pk):
    referent, _access = get_referent_for_user(request.user, pk, referent_pk, need="manage")
    partnership = referent.partnership
    house = partnership.house

    def confirm(day):
        return {
            "title": _("Fin de fonction d'un référent"),
            "question": _("%(name)s quitte sa fonction de référent le %(day)s ?")
            % {"name": referent.full_name, "day": date_format(day)},
            "details": [
                (_("Partenaire"), partnership.partner.short_name),
                (_("Maison"), typed(house.name)),
            ],
            "consequence": _(
                "Sa fiche reste dans l'historique telle quelle et ne pourra plus être modifiée ; "
                "nommez son successeur pour que le partenaire garde un référent (annexe 2)."
            ),
            "button": _("Enregistrer la fin de fonction"),
            "cancel_url": reverse("partnership_detail", args=[house.pk, partnership.pk]),
        }

    def end(day):
        services.end_referent(request.user, referent, on=day)
        messages.success(
            request,
            _("%(name)s n'est plus référent ; sa fiche reste dans l'historique.")
            % {"name": referent.full_name},
        )
        if not partnership.referents.filter(ended_on__isnull=True).exists():
            messages.warning(
                request,
                _("%(partner)s n'a plus de référent pour la maison : nommez-en un.")
                % {"partner": partnership.partner.short_name},
            )

    return dated_ending(
        request,
        EndReferentForm(request.POST if request.method == "POST" else request.GET),
        invalid=_("Indiquez une date de fin de fonction valide : rien n'a été enregistré."),
        confirm=confirm,
        end=end,
        done_url=reverse("partnership_detail", args=[house.pk, partnership.pk]),
    )
