"""msap.lib.forms: the version field, sizes in French units, DSFR classes on widgets, ids read
from a query string (never beyond 64 bits)."""

import pytest
from django import forms

from msap.lib.forms import MAX_DB_ID, human_size, parse_id, style_widgets, version_field


def test_sizes_are_written_in_french_units():
    assert human_size(10 * 1_048_576) == "10 Mo"
    assert human_size(1_572_864) == "1,5 Mo"
    assert human_size(2 * 1_048_576) == "2 Mo"
    assert human_size(500 * 1024) == "500 Ko"
    assert human_size(10) == "1 Ko"  # never "0 Ko"


def test_the_version_field_is_hidden_and_refuses_a_version_below_one():
    class F(forms.Form):
        version = version_field()

    assert isinstance(F().fields["version"].widget, forms.HiddenInput)
    assert not F({"version": "0"}).is_valid()
    assert F({"version": "3"}).is_valid()


def test_widgets_get_the_dsfr_class_of_their_kind():
    class F(forms.Form):
        name = forms.CharField()
        kind = forms.ChoiceField(choices=[("a", "A")])
        scan = forms.FileField()
        agreed = forms.BooleanField()
        key = forms.CharField(widget=forms.HiddenInput)
        custom = forms.CharField(widget=forms.TextInput(attrs={"class": "mine"}))

    form = F()
    style_widgets(form)
    attrs = {name: field.widget.attrs.get("class") for name, field in form.fields.items()}
    assert attrs == {
        "name": "fr-input",
        "kind": "fr-select",
        "scan": "fr-upload",
        "agreed": None,
        "key": None,
        "custom": "mine",
    }


@pytest.mark.parametrize(
    "value, expected",
    [
        ("42", 42),
        (" 7 ", 7),
        (str(MAX_DB_ID), MAX_DB_ID),
        (str(MAX_DB_ID + 1), None),
        ("99999999999999999999999", None),
        ("0", None),
        ("-3", None),
        ("²", None),  # "²".isdigit() is true, int("²") fails
        ("٣", None),  # an Arabic-Indic digit: int() accepts it, an id is ASCII
        ("", None),
        (None, None),
        ("1e3", None),
        (5, 5),
    ],
)
def test_parse_id_accepts_only_a_positive_64_bit_ascii_number(value, expected):
    assert parse_id(value) == expected
