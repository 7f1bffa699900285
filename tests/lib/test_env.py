"""The environment readers: typed values, mistakes refused, former names still read."""

import warnings

import pytest
from django.core.exceptions import ImproperlyConfigured

from msap.lib import env
from msap.lib.env import env_bool, env_int, env_list, env_str


@pytest.fixture(autouse=True)
def _clean(monkeypatch):
    """No variable of these tests in the environment, and no former name already warned about."""
    for name in ("MSAP_X", "OLD_X", "OLDER_X"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(env, "_warned", set())


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        *[("1", True), ("true", True), ("Yes", True), (" ON ", True), ("TRUE", True)],
        *[("0", False), ("false", False), ("No", False), ("off", False), ("FALSE", False)],
    ],
)
def test_booleans_read_every_usual_spelling(monkeypatch, value, expected):
    monkeypatch.setenv("MSAP_X", value)
    assert env_bool("MSAP_X", not expected) is expected


@pytest.mark.parametrize("value", ["ture", "y", "2", "enabled", "vrai"])
def test_a_malformed_boolean_is_refused_with_its_name_and_value(monkeypatch, value):
    """A typo must not silently read as false."""
    monkeypatch.setenv("MSAP_X", value)
    with pytest.raises(ImproperlyConfigured, match=f"MSAP_X='{value}' is not a boolean"):
        env_bool("MSAP_X")


@pytest.mark.parametrize("value", ["42", " 42 ", "+42"])
def test_integers_are_read(monkeypatch, value):
    monkeypatch.setenv("MSAP_X", value)
    assert env_int("MSAP_X", 7) == 42


@pytest.mark.parametrize("value", ["4O", "60s", "1.5", "ten"])
def test_a_malformed_integer_is_refused_with_its_name_and_value(monkeypatch, value):
    monkeypatch.setenv("MSAP_X", value)
    with pytest.raises(ImproperlyConfigured, match=f"MSAP_X='{value}' is not an integer"):
        env_int("MSAP_X", 7)


def test_strings_and_lists_are_read(monkeypatch):
    monkeypatch.setenv("MSAP_X", "a.example, b.example,,")
    assert env_str("MSAP_X") == "a.example, b.example,,"
    assert env_list("MSAP_X") == ["a.example", "b.example"]


@pytest.mark.parametrize("value", [None, ""])
def test_an_unset_or_empty_variable_reads_as_the_default(monkeypatch, value):
    if value is not None:
        monkeypatch.setenv("MSAP_X", value)
    assert env_bool("MSAP_X", True) is True
    assert env_int("MSAP_X", 7) == 7
    assert env_str("MSAP_X", "default") == "default"
    assert env_list("MSAP_X", "a,b") == ["a", "b"]


@pytest.mark.parametrize(
    ("reader", "value", "expected"),
    [
        (lambda: env_bool("MSAP_X", old="OLD_X"), "yes", True),
        (lambda: env_int("MSAP_X", 7, old="OLD_X"), "42", 42),
        (lambda: env_str("MSAP_X", old="OLD_X"), "value", "value"),
        (lambda: env_list("MSAP_X", old="OLD_X"), "a,b", ["a", "b"]),
    ],
)
def test_a_former_name_is_read_with_a_deprecation_warning(monkeypatch, reader, value, expected):
    monkeypatch.setenv("OLD_X", value)
    with pytest.warns(DeprecationWarning, match="OLD_X is deprecated: set MSAP_X instead"):
        assert reader() == expected


def test_the_deprecation_warning_is_given_once_per_name(monkeypatch):
    monkeypatch.setenv("OLD_X", "42")
    with pytest.warns(DeprecationWarning):
        env_int("MSAP_X", 7, old="OLD_X")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert env_int("MSAP_X", 7, old="OLD_X") == 42


def test_several_former_names_are_read_in_order(monkeypatch):
    monkeypatch.setenv("OLDER_X", "older")
    with pytest.warns(DeprecationWarning, match="OLDER_X"):
        assert env_str("MSAP_X", old=("OLD_X", "OLDER_X")) == "older"


def test_a_malformed_value_under_a_former_name_names_both(monkeypatch):
    monkeypatch.setenv("OLD_X", "ture")
    with (
        pytest.warns(DeprecationWarning),
        pytest.raises(ImproperlyConfigured, match=r"OLD_X \(former name of MSAP_X\)='ture'"),
    ):
        env_bool("MSAP_X", old="OLD_X")


def test_the_new_name_wins_without_a_warning(monkeypatch):
    monkeypatch.setenv("MSAP_X", "new")
    monkeypatch.setenv("OLD_X", "old")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert env_str("MSAP_X", old="OLD_X") == "new"


def test_the_new_name_set_empty_still_hides_the_former_one(monkeypatch):
    """`MSAP_DATABASE_URL= make test` runs on SQLite even with an old DATABASE_URL exported."""
    monkeypatch.setenv("MSAP_X", "")
    monkeypatch.setenv("OLD_X", "postgres://old")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert env_str("MSAP_X", "sqlite", old="OLD_X") == "sqlite"


def test_an_empty_former_name_reads_as_the_default_without_a_warning(monkeypatch):
    monkeypatch.setenv("OLD_X", "")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert env_int("MSAP_X", 7, old="OLD_X") == 7
