"""Form helpers shared by every app: the version field, sizes, ids read from a query string."""

import re

from django import forms
from django.utils.formats import number_format
from django.utils.translation import gettext

# A database id is a positive 64-bit integer (PostgreSQL's bigint): a larger one from a query
# string would overflow the query instead of finding nothing.
MAX_DB_ID = 2**63 - 1
_ASCII_DIGITS = re.compile(r"[0-9]{1,19}")


def parse_id(value) -> int | None:
    """The id written in `value` (a query-string parameter), or None when it is not one.

    Only ASCII digits: "²".isdigit() is true but int("²") fails.
    """
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and _ASCII_DIGITS.fullmatch(value.strip()):
        number = int(value.strip())
    else:
        return None
    return number if 0 < number <= MAX_DB_ID else None


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
