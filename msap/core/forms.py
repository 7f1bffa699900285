"""Domain refusals shown on forms: one way for every form of every app."""

from contextlib import contextmanager

from django import forms
from django.contrib import messages

from msap.core.errors import DomainError


def add_domain_error(form: forms.Form, exc: DomainError, field_map: dict | None = None) -> None:
    """Show a refused operation on the form: its message on top, each field's message on its
    field (or on top when the form has no such field). `field_map` renames the service's field
    names to the form's."""
    if exc.message not in exc.errors.get("__all__", []) and not any(
        exc.message in m for m in exc.errors.values()
    ):
        form.add_error(None, exc.message)
    for field, field_messages in exc.errors.items():
        name = (field_map or {}).get(field, field)
        target = name if name in form.fields and name != "version" else None
        for message in field_messages:
            form.add_error(target, message)


@contextmanager
def refusals_on(form: forms.Form, field_map: dict | None = None):
    """Runs a view's service call; a refusal (DomainError, StaleVersion) is shown on the form.

        if form.is_valid():
            with refusals_on(form):
                services.add_closure(request.user, house, **form.cleaned_data)
                messages.success(request, _("La fermeture exceptionnelle a été enregistrée."))
                return redirect("house_closures", house.pk)
        return render(...)  # the form again, with the refusal: nothing was saved

    What follows the service call in the block runs only when it succeeded."""
    try:
        yield
    except DomainError as exc:
        add_domain_error(form, exc, field_map)


@contextmanager
def refusal_as_message(request):
    """Runs a service call that has no form (a deletion, an export): a refusal (DomainError) is
    shown as an error message, and the view goes on after the block (a redirect). What follows the
    service call in the block runs only when it succeeded."""
    try:
        yield
    except DomainError as exc:
        messages.error(request, exc.message)
