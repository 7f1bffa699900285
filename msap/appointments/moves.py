"""The page of one status move of an appointment, shared by the house's screen and the partner's
portal (with or without an account): what differs is who moves it and how the pages look.

A revocation asks for its reason on a form page; every other move confirms on the confirmation
page, then posts. A refusal of a confirmed move, or a stale version (someone else changed the
appointment: the form's version cannot be fixed by editing), goes back with an error message; a
refused revocation is shown on its form.
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from msap.appointments.models import AppointmentStatus
from msap.core.confirm import confirmation
from msap.core.errors import DomainError, StaleVersion
from msap.core.forms import add_domain_error


def status_move(request, appointment, status, *, form_class, move, back: str, revoke_page, confirm):
    """`form_class` reads the POST (its `version`, a revocation's `reason`); `move(cleaned_data)`
    calls the service; `revoke_page(form)` renders the revocation's form page; `confirm()` gives
    the confirmation page's title, question, details, consequence and button."""
    revoke = status == AppointmentStatus.REVOKED
    form = form_class(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            try:
                move(form.cleaned_data)
            except DomainError as exc:
                if not revoke or isinstance(exc, StaleVersion):
                    messages.error(request, exc.message)
                    return redirect(back)
                add_domain_error(form, exc)
            else:
                messages.success(
                    request,
                    _("Rendez-vous : %(status)s.") % {"status": AppointmentStatus(status).label},
                )
                return redirect(back)
        elif not revoke:
            messages.error(
                request, _("Version de la fiche manquante ou invalide : rechargez la page.")
            )
            return redirect(back)
    if revoke:
        if not form.is_bound:
            form = form_class(initial={"version": appointment.version})
        return revoke_page(form)
    try:
        appointment.check_status(status)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(back)
    return confirmation(
        request, cancel_url=back, fields={"version": appointment.version}, **confirm()
    )
