"""Form helpers shared by every app: the version field, sizes."""

from django import forms


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


def style_widgets(form: forms.Form) -> None:
    """Adds the DSFR classes to widgets (the templates render labels, hints and errors)."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, (forms.HiddenInput, forms.CheckboxInput)):
            continue
        if isinstance(widget, forms.FileInput):
            css = "fr-upload"
        elif isinstance(widget, forms.Select):
            css = "fr-select"
        else:
            css = "fr-input"
        widget.attrs.setdefault("class", css)
