"""Refusals reach the English interface (issue 8, item 8): every message a person reads from a
service goes through gettext, so a refused action speaks the reader's language."""

import ast
from datetime import date
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from msap.core.errors import DomainError, StaleVersion
from msap.lib.uploads import UploadError, check_upload
from msap.network import services as network
from msap.partners import services as partners
from tests import factories as f

MSAP = Path(__file__).resolve().parents[2] / "msap"
REFUSALS = {"DomainError", "StaleVersion", "UploadError"}


def _literal_messages(tree):
    """The string literals (plain or f-strings) handed straight to a refusal."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        if name not in REFUSALS:
            continue
        candidates = list(node.args[:1])
        if len(node.args) > 1 and isinstance(node.args[1], ast.Dict):
            candidates += [
                e for v in node.args[1].values if isinstance(v, ast.List) for e in v.elts
            ]
        for arg in candidates:
            if isinstance(arg, ast.JoinedStr) or (
                isinstance(arg, ast.Constant) and isinstance(arg.value, str)
            ):
                yield node.lineno


def test_no_refusal_is_raised_with_an_untranslated_literal():
    offenders = [
        f"{path.relative_to(MSAP.parent)}:{line}"
        for path in sorted(MSAP.rglob("*.py"))
        if "migrations" not in path.parts
        for line in _literal_messages(ast.parse(path.read_text()))
    ]
    assert offenders == [], "wrap these messages in gettext: " + ", ".join(offenders)


@pytest.mark.django_db
def test_closing_a_closed_house_is_refused_in_the_readers_language():
    house = f.HouseFactory()
    network.close_house(f.UserFactory(), house, date(2026, 1, 5))
    with translation.override("en"), pytest.raises(DomainError) as refused:
        network.close_house(f.UserFactory(), house, date(2026, 1, 6))
    assert refused.value.message == "This house is already closed."
    with translation.override("fr"), pytest.raises(DomainError) as refused:
        network.close_house(f.UserFactory(), house, date(2026, 1, 6))
    assert refused.value.message == "Cette maison est déjà fermée."


@pytest.mark.django_db
def test_a_duplicate_partnership_names_the_partner_in_english():
    house = f.HouseFactory()
    caf = f.national_partner("caf")
    partners.add_partnership(f.UserFactory(), house, caf, joined_on=date(2026, 1, 5))
    with translation.override("en"), pytest.raises(DomainError) as refused:
        partners.add_partnership(f.UserFactory(), house, caf, joined_on=date(2026, 1, 5))
    assert refused.value.message == f"{caf.short_name} is already a partner of this house."
    assert refused.value.errors["partner"] == [refused.value.message]


def test_a_stale_edit_and_a_refused_upload_speak_english():
    with translation.override("en"):
        assert StaleVersion().message.startswith("Someone else changed this record")
        with pytest.raises(UploadError, match=r"The file is empty\."):
            check_upload(SimpleUploadedFile("empty.pdf", b""))
