"""The steering committee of the users' house (tests/conftest.py's `world`, in Tulle), at a
frozen present: Friday 6 March 2026, 10:00."""

import io
import zipfile
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from msap.committees import services

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 3, 6, 10, tzinfo=PARIS)
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + b"0" * 100


def pdf(name="compte-rendu.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def docx(name="compte-rendu.docx"):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return SimpleUploadedFile(name, buffer.getvalue())


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private"
    return settings.MEDIA_ROOT


def stored_files(root) -> list:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def plan(world, *, day=date(2026, 2, 10), at=time(14), key="", actor=None, **kwargs):
    kwargs.setdefault("place", "Mairie de Tulle, salle du conseil")
    kwargs.setdefault("agenda", ["Bilan de l'année", "Enquête de satisfaction", "Axes de progrès"])
    meeting, _created = services.plan_meeting(
        actor or world.users.responsable,
        world.house,
        day=day,
        at=at,
        idempotency_key=key,
        **kwargs,
    )
    return meeting


def hold(world, meeting, *, decisions=("Ouvrir une permanence CAF le mardi",), **kwargs):
    kwargs.setdefault("minutes", "Le comité a examiné l'activité de l'année.")
    return services.record_minutes(
        world.users.responsable, meeting, version=meeting.version, decisions=decisions, **kwargs
    )
