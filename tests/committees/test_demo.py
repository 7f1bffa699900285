"""The demo's steering committees (issue 11 §4): two years of meetings with minutes, decisions
and axes in the demo houses, the next one planned; a house fails art. 6 for a real reason (its
last meeting is over twelve months old); the first house does not."""

import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from msap.committees import queries
from msap.committees.demo import HOUSES_LATE
from msap.committees.models import Meeting, ProgressAxis
from msap.core.queue import run_ready_tasks
from msap.demo.data import FIRST_HOUSE
from msap.demo.management.commands.demo import demo_houses


@pytest.mark.django_db
def test_demo_houses_hold_their_committee_and_one_fails_article_6():
    call_command("demo", stdout=io.StringIO())
    houses = list(demo_houses().select_related("commune"))
    held = Meeting.objects.filter(status="held")
    assert held.exclude(minutes="").count() == held.count() > len(houses)
    assert held.filter(decisions__isnull=False).distinct().count() == held.count()
    assert ProgressAxis.objects.filter(status="done").exists()
    assert Meeting.objects.filter(status="planned", starts_at__gt=timezone.now()).exists()
    states = queries.committee_states(houses, timezone.localdate())
    by_slug = {h.slug: states[h.pk] for h in houses}
    assert not by_slug[FIRST_HOUSE].overdue
    for slug in HOUSES_LATE:
        assert by_slug[slug].overdue and by_slug[slug].last_held is not None
    # The demo's past sends nothing.
    run_ready_tasks("mail")
    assert not [m for m in mail.outbox if "comité de pilotage" in m.subject]
    # A second run adds nothing.
    count = Meeting.objects.count()
    call_command("demo", stdout=io.StringIO())
    assert Meeting.objects.count() == count
