"""Staff screens for a house's team and its trainings (art. 4.2; MSP charter: training is recorded).

Thin views: they parse, check access through msap.permissions, call people.services, render.
Attestations live under MEDIA_ROOT with no public URL: `training_attestation` is the only way in.
"""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from msap.core.confirm import confirmed, dated_ending
from msap.core.forms import refusals_on
from msap.core.templatetags.content import typed
from msap.lib.uploads import private_file_response
from msap.network.queries import get_house_for_user
from msap.people import queries, services
from msap.people.forms import EndMembershipForm, MemberAddForm, TrainingAddForm
from msap.people.models import Membership, Role, Training
from msap.people.queries import get_training_for_user

log = logging.getLogger(__name__)

TAB = "staff"


def _staff_page(request, house, access, *, member_form=None, training_form=None):
    """The team page, with the form a refused submission sends back."""
    memberships, trainings = queries.team(house)
    by_user: dict[int, list[Training]] = {}
    for training in trainings:
        by_user.setdefault(training.user_id, []).append(training)
    # One block per person who is or was in the team, with their trainings.
    people, seen = [], set()
    for m in memberships:
        if m.user_id not in seen:
            seen.add(m.user_id)
            people.append({"user": m.user, "trainings": by_user.get(m.user_id, [])})
    ctx = {
        "house": house,
        "access": access,
        "tab": TAB,
        "title": _("Équipe et formations — %(house)s") % {"house": house.name},
        "current": [m for m in memberships if m.ended_on is None],
        "former": sorted(
            (m for m in memberships if m.ended_on is not None),
            key=lambda m: m.ended_on,
            reverse=True,
        ),
        "people": people,
    }
    if access.manage:
        ctx["member_form"] = member_form or MemberAddForm()
        ctx["training_form"] = training_form or TrainingAddForm(house=house)
    return render(request, "people/house_staff.html", ctx)


@login_required
def house_staff(request, pk):
    house, access = get_house_for_user(request.user, pk, need="sees_staff")
    return _staff_page(request, house, access)


@login_required
@require_POST
def member_add(request, pk):
    house, access = get_house_for_user(request.user, pk, need="manage")
    form = MemberAddForm(request.POST)
    if form.is_valid():
        with refusals_on(form):
            # The form's fields are the service's arguments.
            membership = services.add_house_member(request.user, house, **form.cleaned_data)
            messages.success(
                request,
                _("%(name)s rejoint l'équipe (%(role)s).")
                % {"name": membership.user, "role": Role(membership.role).label.lower()},
            )
            return redirect("house_staff", pk=house.pk)
    return _staff_page(request, house, access, member_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def member_end(request, pk, membership_pk):
    house, _access = get_house_for_user(request.user, pk, need="manage")
    try:
        membership = house.memberships.select_related("user").get(
            pk=membership_pk, role__in=services.HOUSE_ROLES
        )
    except Membership.DoesNotExist:
        raise Http404(_("Membre introuvable.")) from None

    def confirm(day):
        return {
            "title": _("Enregistrer un départ"),
            "question": _("Enregistrer le départ de %(name)s le %(day)s ?")
            % {"name": membership.user, "day": date_format(day)},
            "details": [
                (_("Rôle"), membership.get_role_display()),
                (_("Maison"), typed(house.name)),
            ],
            "consequence": _(
                "Son compte n'aura plus accès à la maison dès cette date ; son passage reste dans "
                "l'historique de l'équipe."
            ),
            "button": _("Enregistrer le départ"),
            "cancel_url": reverse("house_staff", args=[house.pk]),
        }

    def end(day):
        services.end_membership(request.user, membership, on=day)
        messages.success(
            request,
            _("Le départ de %(name)s est enregistré ; il reste dans l'historique de l'équipe.")
            % {"name": membership.user},
        )

    return dated_ending(
        request,
        EndMembershipForm(request.POST if request.method == "POST" else request.GET),
        invalid=_("Indiquez une date de départ valide : rien n'a été enregistré."),
        confirm=confirm,
        end=end,
        done_url=reverse("house_staff", args=[house.pk]),
    )


@login_required
@require_POST
def training_add(request, pk):
    house, access = get_house_for_user(request.user, pk, need="manage")
    form = TrainingAddForm(request.POST, request.FILES, house=house)
    if form.is_valid():
        # The form's fields are the service's arguments; no file is None (a cleared one False).
        data = {**form.cleaned_data, "attestation": form.cleaned_data["attestation"] or None}
        with refusals_on(form):
            training = services.add_training(request.user, house, **data)
            messages.success(
                request,
                _("La formation « %(title)s » de %(name)s est enregistrée.")
                % {"title": training.title, "name": training.user},
            )
            return redirect("house_staff", pk=house.pk)
    return _staff_page(request, house, access, training_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def training_delete(request, pk, training_pk):
    training, _access = get_training_for_user(request.user, pk, training_pk, need="manage")
    said = {"title": training.title, "name": training.user}
    return confirmed(
        request,
        act=lambda: services.remove_training(request.user, training),
        done=_("La formation « %(title)s » de %(name)s a été retirée.") % said,
        back_url=reverse("house_staff", args=[training.house_id]),
        title=_("Retirer une formation"),
        question=_("Retirer la formation « %(title)s » de %(name)s ?") % said,
        details=[(_("Du"), date_format(training.started_on))],
        consequence=_(
            "Elle ne comptera plus parmi les formations de l'équipe, et son attestation "
            "éventuelle sera supprimée."
        ),
        button=_("Retirer la formation"),
    )


@never_cache
@login_required
@require_GET
def training_attestation(request, pk, training_pk):
    training, _access = get_training_for_user(request.user, pk, training_pk)
    if not training.attestation:
        raise Http404(_("Cette formation n'a pas d'attestation."))
    stem = f"attestation-{slugify(training.title)[:60] or training.pk}"
    return private_file_response(
        training.attestation, stem, missing=_("Le fichier de l'attestation est introuvable.")
    )
