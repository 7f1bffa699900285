"""Domain refusals shown on forms: one way for every form of every app."""

from django import forms

from msap.core.errors import DomainError


def add_domain_error(form: forms.Form, exc: DomainError, field_map: dict | None = None) -> None:
    """Show a refused operation on the form: its message on top, each field's message on its
    field (or on top when the form has no such field). `field_map` renames the service's field
    names to the form's."""
    if exc.message not in exc.errors.get("__all__", []) and not any(
        exc.message in m for m in exc.errors.values()
    ):
        form.add_error(None, exc.message)
    for field, messages in exc.errors.items():
        name = (field_map or {}).get(field, field)
        target = name if name in form.fields and name != "version" else None
        for message in messages:
            form.add_error(target, message)
