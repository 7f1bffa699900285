"""The demo's charter (issue 11, "done when": compliance computed for every demo house with its
reasons, some failing for real reasons in their data), and the reminder before an evidence
expires: queued once whatever the number of runs, sent by the worker to the responsable."""

import datetime as dt
import io

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from msap.charter import services
from msap.charter.models import EvidenceKind as K
from msap.charter.models import ExpiryReminder
from msap.charter.queries import assess_houses
from msap.core.queue import run_ready_tasks
from msap.demo.management.commands.demo import demo_houses
from tests.charter.helpers import evidence

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_every_demo_house_is_assessed_and_some_fail_for_real_reasons():
    call_command("demo", stdout=io.StringIO())
    houses = demo_houses()
    assessed = assess_houses(houses, timezone.localdate().year)
    assert len(assessed) == houses.count() >= 12
    reasons = []
    for charter in assessed.values():
        assert len(charter.items) == 17
        for item in charter.items:
            assert item.reason
            if item.status in {"not_met", "partly"}:
                reasons.append(item.reason)
    text = " ".join(reasons)
    assert "justificatif expiré le" in text  # the reduced-mobility consultation not renewed
    assert "Aucun espace confidentiel" in text  # a house without one (network demo)
    assert "en retard et toujours sans réponse" in text  # overdue register items today
    met = sum(i.status == "met" for c in assessed.values() for i in c.items)
    assert met > len(assessed) * 5
    # A second run adds no evidence.
    out = io.StringIO()
    call_command("demo", stdout=out)
    assert "Justificatifs de la charte" not in out.getvalue()


def test_the_reminder_goes_once_a_month_before_expiry(one_house):
    """REMIND_BEFORE_DAYS (30) before the last valid day: one email to the responsable, never
    twice; nothing before the horizon, nothing for an evidence replaced by a newer one."""
    house, boss = one_house.house, one_house.users.responsable
    with time_machine.travel(dt.datetime(2026, 1, 10, 10, tzinfo=dt.UTC), tick=False):
        e = evidence(
            boss,
            house,
            "9",
            K.OPENING_PROCEDURE,
            dt.date(2026, 1, 5),
            valid_until=dt.date(2026, 6, 30),
        )
    with time_machine.travel(dt.datetime(2026, 5, 30, 10, tzinfo=dt.UTC), tick=False):
        assert services.queue_expiry_reminders() == 0  # 31 days before: not yet
    with time_machine.travel(dt.datetime(2026, 5, 31, 10, tzinfo=dt.UTC), tick=False):
        out = io.StringIO()
        call_command("remind_charter", "--dry-run", stdout=out)
        assert "1 rappel(s) d'expiration dus" in out.getvalue()
        assert services.queue_expiry_reminders() == 1
        assert services.queue_expiry_reminders() == 0
        run_ready_tasks("mail")
    assert ExpiryReminder.objects.get(evidence=e).sent_at is not None
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [boss.email]
    assert "30/06/2026" in message.subject
    assert "Procédure d'ouverture et de fermeture" in message.body


def test_a_replaced_evidence_is_not_reminded(one_house):
    house, boss = one_house.house, one_house.users.responsable
    with time_machine.travel(dt.datetime(2026, 6, 10, 10, tzinfo=dt.UTC), tick=False):
        evidence(
            boss,
            house,
            "9",
            K.OPENING_PROCEDURE,
            dt.date(2025, 7, 1),
            valid_until=dt.date(2026, 6, 30),
        )
        evidence(boss, house, "9", K.OPENING_PROCEDURE, dt.date(2026, 6, 1))
        assert services.queue_expiry_reminders() == 0
