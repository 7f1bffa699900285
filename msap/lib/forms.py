"""Form helpers shared by every app: the version field, sizes."""

from django import forms
from django.utils.formats import number_format
from django.utils.translation import gettext


def version_field() -> forms.IntegerField:
    # The version the user read: a stale one is refused by the service (optimistic concurrency).
    return forms.IntegerField(widget=forms.HiddenInput, min_value=1)


def human_size(size: int) -> str:
    """A size in the reader's units and decimal mark: "10 Mo", "1,5 Mo", "500 Ko" ("1.5 MB")."""
    if size >= 1_048_576:
        value = size / 1_048_576
        places = 0 if value >= 10 or value.is_integer() else 1
        return gettext("%(size)s Mo") % {"size": number_format(value, places)}
    return gettext("%(size)s Ko") % {"size": max(1, size // 1024)}


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
