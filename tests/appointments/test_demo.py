"""The demo's appointments (issue 9 §10): an offer in the demo houses and a year of
appointments around today; a second run adds nothing."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from msap.appointments.demo import build_appointments
from msap.appointments.models import LIVE_STATUSES, Appointment, AppointmentType
from msap.demo.management.commands.demo import demo_houses


@pytest.mark.django_db
def test_demo_houses_have_offers_and_a_year_of_appointments():
    call_command("demo", stdout=io.StringIO())
    now = timezone.now()
    houses = list(demo_houses())

    with_types = {
        t.partnership.house_id for t in AppointmentType.objects.select_related("partnership")
    }
    assert len(with_types) >= 2
    past = Appointment.objects.filter(end__lt=now)
    coming = Appointment.objects.filter(start__gt=now, status__in=LIVE_STATUSES)
    assert past.count() > 50 and coming.exists()
    assert not past.filter(status__in=LIVE_STATUSES).exists()
    assert past.filter(request__isnull=False).exists()
    # Past the retention period, the person is no longer named.
    old = past.filter(end__lt=now - timezone.timedelta(days=31))
    assert old.exists() and not old.exclude(person_name="").exists()
    # Nothing double-booked among the live appointments.
    live = list(coming.values_list("equipment_id", "start"))
    assert len([x for x in live if x[0]]) == len({x for x in live if x[0]})

    before = Appointment.objects.count()
    assert build_appointments(houses, today=timezone.localdate()) == 0
    assert Appointment.objects.count() == before
