"""Transmissions from the users' house (tests/conftest.py's `world`) to its CAF, whose
referent Claire Dumont has an account (referent.caf@test.fr), at a frozen present."""

import io
import zipfile
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from msap.transmissions import services
from msap.transmissions.models import DataCategory
from tests.appointments.conftest import reference_data_reloaded  # noqa: F401 - a shared fixture

PARIS = ZoneInfo("Europe/Paris")


def paris(*args) -> datetime:
    return datetime(*args, tzinfo=PARIS)


# Friday 6 March 2026, 10:00 in Tulle: the tests' present.
NOW = paris(2026, 3, 6, 10)
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + b"0" * 100


def pdf(name="avis-imposition.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def docx(name="courrier.docx"):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return SimpleUploadedFile(name, buffer.getvalue())


CONSENT = {
    "consent": True,
    "consent_categories": [DataCategory.IDENTITY, DataCategory.REFERENCE, DataCategory.DOCUMENTS],
    "consent_until": date(2026, 6, 30),
}


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private"
    return settings.MEDIA_ROOT


def stored_files(root) -> list:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def send(world, *, partnership=None, now=NOW, **kwargs):
    kwargs.setdefault("subject", "Droits au RSA après une séparation")
    kwargs.setdefault(
        "question", "Madame R. s'est séparée en janvier : quels droits, quelles pièces ?"
    )
    transmission, _created = services.send(
        world.users.agent,
        world.house,
        partnership=partnership or world.caf,
        now=now,
        **kwargs,
    )
    return transmission


def send_personal(world, **kwargs):
    defaults = {"person_name": "Rose Martin", "person_reference": "1234567", "attachments": [pdf()]}
    return send(world, **{**defaults, **CONSENT, **kwargs})
