"""The roles snapshot on the user row (people/roles.py): knowing who may do what costs no query
per request, and a role taken away is gone on the very next request (SPEC "Who uses it": an
agent who leaves a house no longer records nor sees its activity)."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from msap import permissions
from msap.people import roles, services
from msap.people.models import Membership, Role, User
from tests import factories as f

pytestmark = pytest.mark.django_db

ENTRY = reverse("desk_entry")


@pytest.fixture
def house():
    return f.HouseFactory()


@pytest.fixture
def agent(house):
    return f.MembershipFactory(role=Role.AGENT, house=house).user


def membership_queries(ctx) -> int:
    return sum('"people_membership"' in q["sql"] for q in ctx.captured_queries)


def fresh(user) -> User:
    return User.objects.get(pk=user.pk)


def test_the_roles_are_read_once_then_come_with_the_user_row(client, agent):
    client.force_login(agent)
    with CaptureQueriesContext(connection) as first:
        assert client.get(ENTRY).status_code == 200
    with CaptureQueriesContext(connection) as second:
        assert client.get(ENTRY).status_code == 200

    assert membership_queries(first) == 1
    assert membership_queries(second) == 0
    assert fresh(agent).roles == [[Role.AGENT, agent.memberships.get().house_id, None, None, None]]


def test_an_ended_membership_takes_effect_on_the_next_request(client, agent, house):
    client.force_login(agent)
    assert client.get(ENTRY).status_code == 200  # the snapshot is stored
    responsable = f.MembershipFactory(role=Role.RESPONSABLE, house=house).user

    # Ended by the responsable from their own copy of the rows, as the team page does.
    services.end_membership(responsable, Membership.objects.get(user=agent))

    assert client.get(ENTRY).status_code == 403
    assert permissions.scope_for(fresh(agent)).agent_houses == set()


def test_a_new_role_takes_effect_on_the_next_request(client, house):
    user = f.UserFactory()
    client.force_login(user)
    assert client.get(ENTRY).status_code == 403  # no role: the empty snapshot is stored
    assert fresh(user).roles == []

    services.add_house_member(f.UserFactory(), house, email=user.email, role=Role.AGENT)

    assert client.get(ENTRY).status_code == 200


def test_saving_an_old_copy_of_the_user_does_not_bring_an_ended_role_back(agent):
    old_copy = fresh(agent)
    assert permissions.scope_for(old_copy).agent_houses  # snapshot stored, held by old_copy

    services.end_membership(f.UserFactory(), Membership.objects.get(user=agent))
    old_copy.phone = "05 55 00 00 00"
    old_copy.save()  # e.g. the person's profile, edited from a page opened before

    stored = fresh(agent)
    assert stored.phone == "05 55 00 00 00"
    assert stored.roles is None
    assert permissions.scope_for(stored).agent_houses == set()


def test_a_snapshot_computed_while_a_membership_changes_is_not_stored(agent):
    loaded_before = fresh(agent)  # the request loaded the user row...
    services.end_membership(f.UserFactory(), Membership.objects.get(user=agent))  # ...then this

    roles.current_roles(loaded_before)

    # Whatever this request saw, the stored snapshot stays "to compute": the next request reads
    # the memberships again.
    assert fresh(agent).roles is None
    assert permissions.scope_for(fresh(agent)).agent_houses == set()


def test_forget_scope_reads_the_memberships_again(agent, house):
    assert permissions.scope_for(agent).agent_houses == {house.pk}
    Membership.objects.filter(user=agent).update(ended_on=date.today())  # a bulk write…
    roles.invalidate([agent.pk])  # …says so itself, sending no signal

    permissions.forget_scope(agent)

    assert permissions.scope_for(agent).agent_houses == set()


def test_the_admin_flag_is_read_from_the_user_row_not_the_snapshot(agent):
    assert not permissions.scope_for(fresh(agent)).admin
    User.objects.filter(pk=agent.pk).update(is_staff=True)

    assert permissions.scope_for(fresh(agent)).admin
