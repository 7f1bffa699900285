"""The demo's transmissions (issue 9 §10): a year of them in the demo houses, answered by the
partner as they would have been, some open today for the CAF and France Travail referents; a
second run adds nothing and the past sends no email."""

import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from msap.core.queue import run_ready_tasks
from msap.demo.data import REFERENT_CAF
from msap.demo.management.commands.demo import demo_houses
from msap.people.models import User
from msap.transmissions import queries
from msap.transmissions.demo import build_transmissions
from msap.transmissions.models import OPEN_STATUSES, Transmission


@pytest.mark.django_db
def test_demo_houses_have_a_year_of_transmissions_and_some_to_answer_today():
    call_command("demo", stdout=io.StringIO())
    houses = list(demo_houses())
    with_transmissions = set(Transmission.objects.values_list("house_id", flat=True))
    assert len(with_transmissions) >= len(houses) - 2
    old = Transmission.objects.filter(sent_at__lt=timezone.now() - timezone.timedelta(days=60))
    assert old.filter(status="resolved").exists() and old.filter(status="expired").exists()
    assert not old.filter(status__in=OPEN_STATUSES).exists()
    # Today, the CAF's referent has some to answer, and so has France Travail.
    caf = User.objects.get(email=REFERENT_CAF.email)
    inbox = queries.visible_transmissions(caf).filter(status__in=["sent", "answered"])
    assert inbox.filter(status="answered").exists() and inbox.count() >= 3
    assert Transmission.objects.filter(
        partnership__partner__code="france-travail", status="sent"
    ).exists()
    figures = queries.partner_figures(Transmission.objects.all(), timezone.localdate())
    assert any(f.take_median is not None for f in figures)
    # Last year's notices are not mailed now: only those of today's open ones.
    run_ready_tasks("mail")
    notices = [m for m in mail.outbox if m.subject.startswith("Saisine n°")]
    recent = Transmission.objects.filter(sent_at__gte=timezone.now() - timezone.timedelta(days=10))
    assert 0 < len(notices) <= recent.count() * 3

    before = Transmission.objects.count()
    assert build_transmissions(houses, today=timezone.localdate()) == 0
    assert Transmission.objects.count() == before
