"""Form helpers shared by every app: domain refusals shown on forms, the version field, sizes."""

from django import forms

from msap.core.errors import DomainError


def add_domain_error(form: forms.Form, exc: DomainError, field_map: dict | None = None) -> None:
    """Show a refused operation on the form: its French message on top, each field's message on
    its field (or on top when the form has no such field)."""
    if exc.message not in exc.errors.get("__all__", []) and not any(
        exc.message in m for m in exc.errors.values()
    ):
        form.add_error(None, exc.message)
    for field, messages in exc.errors.items():
        name = (field_map or {}).get(field, field)
        target = name if name in form.fields and name != "version" else None
        for message in messages:
            form.add_error(target, message)


def version_field() -> forms.IntegerField:
    # The version the user read: a stale one is refused by the service (optimistic concurrency).
    return forms.IntegerField(widget=forms.HiddenInput, min_value=1)


def human_size(size: int) -> str:
    """A size in French units: "10 Mo", "500 Ko"."""
    if size >= 1_048_576:
        value = size / 1_048_576
        return (
            f"{value:.0f} Mo"
            if value >= 10 or value.is_integer()
            else f"{value:.1f} Mo".replace(".", ",")
        )
    return f"{max(1, size // 1024)} Ko"
