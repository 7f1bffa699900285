"""Who reaches a transmission (issue 9 §5-6): the agents of the house read and write it, the
referents of the addressed partner act on it, nobody else — the overseers read figures only.
The service-level state and the partners' figures (issue 9 §8) in working days."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from msap.lib.dates import add_working_days
from msap.transmissions import queries, rules, services
from msap.transmissions.models import Transmission
from tests.transmissions.conftest import NOW, paris, send

DAY = timedelta(days=1)


def test_the_house_agents_and_the_addressed_partners_referents_only(world):
    t = send(world)
    _t, agent = queries.get_transmission_for_user(world.users.agent, t.pk)
    assert agent.house and not agent.partner
    _t, partner = queries.get_transmission_for_user(world.users.referent_caf, t.pk, need="partner")
    assert partner.partner and not partner.house
    for user in (
        world.users.other_agent,
        world.users.referent_msa,
        world.users.gestionnaire,
        world.users.prefecture,
        world.users.national,
        world.users.admin,
        world.users.norole,
    ):
        with pytest.raises(Http404):
            queries.get_transmission_for_user(user, t.pk)
    with pytest.raises(PermissionDenied):
        queries.get_transmission_for_user(world.users.referent_caf, t.pk, need="house")
    with pytest.raises(Http404):
        queries.get_transmission_for_user(world.users.agent, "abc")


def test_a_referent_lists_only_what_is_addressed_to_its_organisation(world):
    to_caf, to_ft = send(world), send(world, partnership=world.ft)
    assert list(queries.visible_transmissions(world.users.referent_caf)) == [to_caf]
    assert set(queries.visible_transmissions(world.users.agent)) == {to_caf, to_ft}
    assert list(queries.visible_transmissions(world.users.other_agent)) == []
    assert list(queries.visible_transmissions(world.users.prefecture)) == []


def test_the_running_limit_is_on_time_then_due_soon_then_late(world):
    t = send(world)  # Friday 6 March: to take in charge by Wednesday 11
    assert queries.deadline(t, NOW).state == rules.SlaState.ON_TIME
    assert queries.deadline(t, paris(2026, 3, 10, 9)).state == rules.SlaState.DUE_SOON
    assert queries.deadline(t, paris(2026, 3, 11, 18)).state == rules.SlaState.DUE_SOON
    assert queries.deadline(t, paris(2026, 3, 12, 9)).state == rules.SlaState.LATE
    t = services.take_in_charge(world.users.referent_caf, t, now=paris(2026, 3, 12, 9))
    running = queries.deadline(t, paris(2026, 3, 12, 9))
    assert running.due_on == date(2026, 3, 27) and running.state == rules.SlaState.ON_TIME
    t = services.resolve(world.users.referent_caf, t, "Fait", now=paris(2026, 3, 13, 9))
    assert queries.deadline(t, paris(2026, 4, 30, 9)) is None


def test_the_late_filter_finds_what_is_past_its_limit(world):
    late = send(world)
    fresh = send(world, now=paris(2026, 3, 11, 9))
    today = date(2026, 3, 12)
    found = list(queries.house_transmissions(world.house, late=True, today=today))
    assert found == [late] and fresh not in found


def test_partner_figures_give_median_and_90th_percentile_in_working_days(world):
    """Ten transmissions to the CAF taken in charge after 1…10 working days: median 5.5, 90th
    percentile 9; one to France Travail still open and late."""
    caf = world.users.referent_caf
    start = paris(2026, 1, 5, 10)  # a Monday
    for days in range(1, 11):
        t = send(world, now=start)
        taken = add_working_days(start.date(), days, "19")
        t = services.take_in_charge(caf, t, now=paris(taken.year, taken.month, taken.day, 11))
        if days <= 4:
            services.resolve(
                caf, t, "Fait", now=paris(taken.year, taken.month, taken.day, 12) + 7 * DAY
            )
    send(world, partnership=world.ft, now=start)
    figures = {
        f.partner: f for f in queries.partner_figures(Transmission.objects.all(), date(2026, 3, 2))
    }
    caf_figures = figures["CAF"]
    assert caf_figures.count == 10 and caf_figures.open == 6
    assert caf_figures.take_median == 5.5 and caf_figures.take_p90 == 9
    # Resolved 1+5, 2+5, 3+5, 4+5 working days after sending.
    assert caf_figures.resolve_median == 7.5 and caf_figures.resolve_p90 == 9
    ft = figures["France Travail"]
    assert ft.count == 1 and ft.overdue == 1 and ft.take_median is None


def test_percentile_is_nearest_rank():
    assert rules.percentile([], 0.9) is None
    assert rules.percentile([3], 0.9) == 3
    assert rules.percentile(list(range(1, 21)), 0.9) == 18
