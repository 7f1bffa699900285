"""`msap remind`: one digest per agent and per manager, never twice for the same item and day,
catching up after downtime, safe when two runs overlap. The command queues the digests; a
worker (django-tasks-db's, run in the test's process by `run_ready_tasks`) sends them."""

import re
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends import locmem
from django.core.management import call_command
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from msap.core.queue import run_ready_tasks
from msap.registers import reminders, services
from msap.registers.models import RegisterItem, ReminderSent, Status
from tests import factories as f
from tests.conftest import reload_reference_data
from tests.registers import paris

# Tuesday 10 March 2026, 9:00 in Paris: the instant every test starts from.
NOW = paris(2026, 3, 10, 9, 0)
ITEM_URL = re.compile(r"/registres/elements/(\d+)/")


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def item_due(world, due_at, *, assignee=None, house=None, subject="Demande d'attestation"):
    """An open email of the house whose deadline is `due_at` (set exactly, for the test)."""
    house = house or world.house
    item = f.RegisterItemFactory(
        house=house,
        created_by=world.users.agent,
        kind="email",
        received_at=min(due_at, timezone.now()) - timedelta(days=7),
        subject=subject,
    )
    RegisterItem.objects.filter(pk=item.pk).update(due_at=due_at)
    item.refresh_from_db()
    if assignee is not None:
        services.assign(world.users.responsable, item, assignee, item.version)
    return item


def digests():
    """{recipient email: [item ids in the digest]} of the mails sent so far, and the mails."""
    out = {}
    for message in mail.outbox:
        (to,) = message.to
        assert to not in out, f"two digests to {to} in one batch"
        out[to] = [int(pk) for pk in ITEM_URL.findall(message.body)]
    return out


def remind(now=None) -> int:
    """A run of `msap remind`, then a worker running what it queued (django-tasks-db, in this
    process): the digests queued, as the command counts them."""
    queued = reminders.handle_one(now)
    run_ready_tasks()
    return queued


def sent_pairs():
    return Counter(
        (message.to[0], int(pk)) for message in mail.outbox for pk in ITEM_URL.findall(message.body)
    )


# --- one digest per agent and per manager -------------------------------------------------------------


def test_remind_sends_one_digest_per_assignee_and_per_manager_in_french(world):
    late = item_due(world, NOW - timedelta(days=2), assignee=world.users.agent, subject="Retard")
    soon = item_due(world, NOW + timedelta(days=2), assignee=world.users.agent, subject="Bientôt")
    nobody = item_due(world, NOW - timedelta(days=1), subject="Sans agent")

    call_command("remind")
    assert mail.outbox == []  # queued: `msap worker` sends
    run_ready_tasks()

    sent = digests()
    assert set(sent) == {world.users.agent.email, world.users.responsable.email}
    assert sent[world.users.agent.email] == [late.pk, soon.pk]
    assert sent[world.users.responsable.email] == [late.pk, nobody.pk, soon.pk]
    to_agent = next(m for m in mail.outbox if m.to == [world.users.agent.email])
    assert to_agent.subject == "msap — 1 élément(s) en retard, 1 à échéance proche"
    body = to_agent.body
    assert body.startswith(f"Bonjour {world.users.agent.first_name},")
    assert "En retard :" in body and "À traiter dans les 3 jours :" in body
    assert body.index("« Retard »") < body.index("À traiter") < body.index("« Bientôt »")
    assert f"Courriel n°{late.number} « Retard », échéance le 08/03/2026" in body
    assert "engagements 11 à 14 de la charte" in body


def test_command_says_how_many_digests_it_queued(world, capsys):
    item_due(world, NOW - timedelta(days=1), assignee=world.users.agent)

    call_command("remind")

    assert "2 récapitulatif(s) mis en file pour `msap worker`" in capsys.readouterr().out


def test_dry_run_counts_recipients_and_sends_nothing(world):
    item_due(world, NOW - timedelta(days=1), assignee=world.users.agent)

    assert reminders.handle_one(dry_run=True) == 2
    assert mail.outbox == [] and not ReminderSent.objects.exists()


def test_answered_far_and_deadline_free_items_are_not_reminded(world):
    answered = item_due(world, NOW - timedelta(days=1), assignee=world.users.agent)
    services.set_status(world.users.agent, answered, Status.ANSWERED, answered.version)
    item_due(world, NOW + timedelta(days=10), assignee=world.users.agent)  # far from due
    f.RegisterItemFactory(house=world.house, created_by=world.users.agent, kind="suggestion")

    assert remind() == 0
    assert mail.outbox == []


def test_agent_who_left_the_house_or_was_deactivated_gets_no_digest(world):
    leaver = f.UserFactory(email="depart@test.fr")
    membership = f.MembershipFactory(user=leaver, role="agent", house=world.house)
    item_due(world, NOW - timedelta(days=1), assignee=leaver)
    item_due(world, NOW - timedelta(days=1), assignee=world.users.agent)
    membership.ended_on = NOW.date()
    membership.save(update_fields=["ended_on"])
    world.users.agent.is_active = False
    world.users.agent.save(update_fields=["is_active"])

    remind()

    assert set(digests()) == {world.users.responsable.email}


def test_items_of_a_house_without_manager_reach_their_assignee_only(world):
    item = item_due(world, NOW - timedelta(days=1), house=world.other)
    services.assign(world.users.other_agent, item, world.users.other_agent, item.version)

    remind()

    assert digests() == {world.users.other_agent.email: [item.pk]}


# --- idempotent: never twice for the same item and day ----------------------------------------------


def test_running_twice_the_same_day_sends_nothing_new(world):
    item_due(world, NOW - timedelta(days=1), assignee=world.users.agent)
    item_due(world, NOW + timedelta(days=1), assignee=world.users.agent)

    assert remind() == 2
    with time_machine.travel(NOW + timedelta(hours=8), tick=False):
        call_command("remind")
        assert remind() == 0

    assert len(mail.outbox) == 2
    assert ReminderSent.objects.filter(sent_at__isnull=True).count() == 0


def test_new_overdue_item_later_the_same_day_gets_its_own_digest_with_only_that_item(world, frozen):
    item_due(world, NOW - timedelta(days=1), assignee=world.users.agent)
    remind()
    mail.outbox.clear()

    frozen.move_to(NOW + timedelta(hours=5))
    new = item_due(world, NOW + timedelta(hours=2), assignee=world.users.agent)
    remind()

    assert digests() == {world.users.agent.email: [new.pk], world.users.responsable.email: [new.pk]}


def test_next_day_still_overdue_items_are_reminded_again(world, frozen):
    still = item_due(world, NOW - timedelta(days=1), assignee=world.users.agent)
    answered = item_due(world, NOW - timedelta(days=1), assignee=world.users.agent)
    remind()
    services.set_status(world.users.agent, answered, Status.ANSWERED, answered.version)
    mail.outbox.clear()

    frozen.move_to(NOW + timedelta(days=1))
    remind()

    assert digests() == {
        world.users.agent.email: [still.pk],
        world.users.responsable.email: [still.pk],
    }


def test_catching_up_after_downtime_reminds_everything_that_fell_due_meanwhile(world, frozen):
    # The job last ran on Tuesday; items fall due on Wednesday, Thursday and Friday; it runs
    # again on Monday and lists them all, once.
    remind()
    fell_due = [
        item_due(world, NOW + timedelta(days=d), assignee=world.users.agent) for d in (1, 2, 3)
    ]

    frozen.move_to(NOW + timedelta(days=6))
    assert remind() == 2

    expected = [item.pk for item in fell_due]
    assert digests() == {world.users.agent.email: expected, world.users.responsable.email: expected}


# --- failures and concurrent runs ----------------------------------------------------------------------


def test_failing_send_is_retried_by_its_task_with_backoff(world, frozen, monkeypatch):
    late = item_due(world, NOW - timedelta(days=1), assignee=world.users.agent)
    unassigned = item_due(world, NOW - timedelta(days=2))
    real_send = reminders.EmailMessage

    class FlakyMessage(real_send):
        def __init__(self, subject, body, from_email, to):
            if to == [world.users.responsable.email]:
                raise ConnectionError("SMTP indisponible")
            super().__init__(subject, body, from_email, to)

    monkeypatch.setattr(reminders, "EmailMessage", FlakyMessage)
    assert remind() == 2
    assert set(digests()) == {world.users.agent.email}
    waiting = ReminderSent.objects.filter(recipient=world.users.responsable)
    assert {(claim[:1], sent) for claim, sent in waiting.values_list("claim", "sent_at")} == {
        ("q", None)  # queued again, for a retry a minute later
    }
    assert run_ready_tasks() == 0  # not before its backoff

    monkeypatch.setattr(reminders, "EmailMessage", real_send)
    mail.outbox.clear()
    frozen.shift(timedelta(minutes=1))
    assert reminders.handle_one() == 0  # the retry is the task's: the command queues nothing
    assert run_ready_tasks() == 1

    assert digests() == {world.users.responsable.email: [unassigned.pk, late.pk]}


def test_after_the_last_retry_the_rows_go_back_and_the_next_run_queues_them(
    world, frozen, monkeypatch
):
    item_due(world, NOW - timedelta(days=1))
    monkeypatch.setattr(reminders.EmailMessage, "__init__", failing_init)
    remind()
    for _ in range(reminders.SEND_ATTEMPTS - 1):
        frozen.shift(timedelta(hours=1))  # past every backoff (at most an hour)
        assert run_ready_tasks() == 1
    assert set(ReminderSent.objects.values_list("claim", "sent_at")) == {("", None)}
    monkeypatch.undo()

    assert remind() == 1
    assert set(digests()) == {world.users.responsable.email}


def test_item_answered_before_the_retry_is_left_out_of_the_digest(world, frozen, monkeypatch):
    late = item_due(world, NOW - timedelta(days=1))
    other = item_due(world, NOW - timedelta(days=2))
    monkeypatch.setattr(reminders.EmailMessage, "__init__", failing_init)
    remind()
    monkeypatch.undo()
    services.set_status(world.users.agent, late, Status.ANSWERED, late.version)

    frozen.shift(timedelta(minutes=1))
    run_ready_tasks()

    assert digests() == {world.users.responsable.email: [other.pk]}


def failing_init(self, *args, **kwargs):
    raise ConnectionError("SMTP indisponible")


def test_run_starting_while_another_sends_never_sends_the_same_item_twice(world, monkeypatch):
    # Run A's digests are being sent; run B starts meanwhile, after a new overdue item was
    # recorded: B's digests list only the new item, A's only what A queued.
    first = item_due(world, NOW - timedelta(days=1), assignee=world.users.agent)
    state = {"new": None, "b_sent": None}
    real_send = reminders.send_digest

    def send_then_overlap(*args, **kwargs):
        if state["new"] is None:
            state["new"] = item_due(world, NOW - timedelta(hours=1), assignee=world.users.agent)
            state["b_sent"] = reminders.handle_one()  # run B, in the middle of run A
        return real_send(*args, **kwargs)

    monkeypatch.setattr(reminders, "send_digest", send_then_overlap)
    a_queued = remind()  # the worker runs A's two digests, then the two B queued meanwhile

    assert (a_queued, state["b_sent"]) == (2, 2)
    assert len(mail.outbox) == 4
    pairs = sent_pairs()
    assert set(pairs.values()) == {1}
    people = {world.users.agent.email, world.users.responsable.email}
    assert set(pairs) == {(who, pk) for who in people for pk in (first.pk, state["new"].pk)}


def concurrent(test):
    """A test of true concurrency: PostgreSQL only (SQLite serialises writers), with real
    transactions."""
    only_postgresql = pytest.mark.skipif(
        connection.vendor != "postgresql", reason="true concurrency needs PostgreSQL"
    )
    return only_postgresql(pytest.mark.django_db(transaction=True)(test))


@pytest.fixture
def reference_data_reloaded(transactional_db):
    reload_reference_data()


@concurrent
def test_two_runs_at_once_on_postgresql_send_each_item_once(reference_data_reloaded, world):
    items = [
        item_due(world, NOW - timedelta(days=d), assignee=world.users.agent) for d in range(1, 6)
    ]
    results = at_once(lambda: reminders.handle_one(NOW), lambda: reminders.handle_one(NOW))

    assert sum(results) == 2  # one digest to the agent, one to the responsable, in all
    assert run_ready_tasks() == 1  # in one batch
    pairs = sent_pairs()
    assert set(pairs.values()) == {1}
    assert len(pairs) == 2 * len(items)


# --- the queue: a digest is a task, claimed before it is sent ------------------------------------


def test_a_digest_task_run_twice_sends_once(world):
    # A worker that died after sending but before recording its task as done: the queue runs the
    # task again; the claim it took on the rows makes the second run a no-op.
    item_due(world, NOW - timedelta(days=1), assignee=world.users.agent)
    reminders.handle_one()
    task_row = DBTaskResult.objects.get()  # one batch: the agent's and the responsable's digests
    run_ready_tasks()
    args = task_row.args_kwargs["args"]

    assert reminders.send_reminder_digests.call(*args) == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [world.users.agent.email, world.users.responsable.email]
    )


def test_a_task_that_dies_while_sending_leaves_its_rows_claimed_and_nothing_is_sent_twice(
    world, monkeypatch
):
    item_due(world, NOW - timedelta(days=1), assignee=world.users.agent)
    real_send = reminders.send_digest

    def die_for_the_agent(recipient_id, *args, **kwargs):
        if recipient_id == world.users.agent.pk:
            raise SystemExit(1)  # the worker process is killed mid-send
        return real_send(recipient_id, *args, **kwargs)

    monkeypatch.setattr(reminders, "send_digest", die_for_the_agent)
    assert remind() == 2
    before = list(mail.outbox)  # what the batch sent before it died (the responsable's, or none)
    monkeypatch.undo()
    assert remind() == 0  # later the same day: never twice wins over at least once
    run_ready_tasks()

    batch = ReminderSent.objects.all()
    assert batch.count() == 2 and not batch.filter(claim="").exists()
    assert not batch.exclude(sent_at=None).exists()
    assert mail.outbox == before
    assert set(digests()) <= {world.users.responsable.email}


def test_digests_wait_in_the_queue_until_a_worker_runs(world):
    # The command only records and queues: a worker that was down sends on its return.
    item_due(world, NOW - timedelta(days=1), assignee=world.users.agent)
    assert reminders.handle_one() == 2
    assert mail.outbox == []
    assert reminders.handle_one() == 0  # queued once, not twice

    assert run_ready_tasks() == 1  # one task for the batch of both digests
    assert set(digests()) == {world.users.agent.email, world.users.responsable.email}


# --- batches: one task sends a few hundred digests ------------------------------------------------


class CountingBackend(locmem.EmailBackend):
    """The tests' mail backend, counting the connections opened."""

    opened = 0

    def open(self):
        CountingBackend.opened += 1
        return super().open()


@pytest.fixture
def counted_mail(settings):
    CountingBackend.opened = 0
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.CountingBackend"}}
    return CountingBackend


def agents(world, count, prefix="agent"):
    """`count` more agents of the house, each assigned an overdue item of their own."""
    people = []
    for i in range(count):
        agent = f.UserFactory(email=f"{prefix}{i}@test.fr")
        f.MembershipFactory(user=agent, role="agent", house=world.house)
        item_due(world, NOW - timedelta(days=1, hours=i), assignee=agent)
        people.append(agent)
    return people


def test_digests_are_sent_by_batches_each_digest_whole_in_one_task(world, monkeypatch):
    monkeypatch.setattr(reminders, "DIGESTS_PER_TASK", 2)
    people = agents(world, 4)  # 4 agents and the responsable: 5 digests, batches of about 2

    assert reminders.handle_one() == 5
    batches = Counter(ReminderSent.objects.values_list("claim", flat=True))
    assert len(batches) == DBTaskResult.objects.count() <= 3
    for claim, _ in batches.items():  # a recipient's rows are all in one batch
        others = ReminderSent.objects.exclude(claim=claim)
        mine = ReminderSent.objects.filter(claim=claim).values("recipient_id")
        assert not others.filter(recipient_id__in=mine).exists()
    run_ready_tasks()

    sent = digests()  # one mail per recipient (digests() refuses two)
    assert set(sent) == {p.email for p in people} | {world.users.responsable.email}
    assert len(sent[world.users.responsable.email]) == 4


def test_a_batch_sends_on_one_mail_connection_with_the_same_queries_however_many_digests(
    world, counted_mail, frozen
):
    def one_batch() -> int:
        reminders.handle_one()
        with CaptureQueriesContext(connection) as captured:
            assert run_ready_tasks() == 1
        return len(captured)

    agents(world, 1)
    two_digests = one_batch()  # the agent's and the responsable's
    frozen.move_to(NOW + timedelta(days=1))
    agents(world, 4, prefix="nouvel-agent")

    assert one_batch() == two_digests  # six digests the next day: the same statements
    assert counted_mail.opened == 2
    assert len(mail.outbox) == 2 + 6


def test_a_mail_connection_that_cannot_open_retries_the_whole_batch_later(
    world, frozen, counted_mail, monkeypatch
):
    item_due(world, NOW - timedelta(days=1), assignee=world.users.agent)
    monkeypatch.setattr(CountingBackend, "open", failing_open)
    assert remind() == 2
    assert mail.outbox == []
    assert ReminderSent.objects.filter(claim__startswith="q", sent_at=None).count() == 2

    monkeypatch.undo()
    frozen.shift(timedelta(minutes=1))  # the first backoff step
    assert run_ready_tasks() == 1

    assert set(digests()) == {world.users.agent.email, world.users.responsable.email}
    assert not ReminderSent.objects.filter(sent_at=None).exists()


def failing_open(self):
    raise ConnectionRefusedError("SMTP indisponible")


@concurrent
def test_two_workers_at_once_on_postgresql_send_each_digest_once(
    reference_data_reloaded, world, monkeypatch
):
    monkeypatch.setattr(reminders, "DIGESTS_PER_TASK", 1)  # 6 digests in up to 6 batches
    agents(world, 5)
    assert reminders.handle_one(NOW) == 6
    tasks = DBTaskResult.objects.count()
    ran = at_once(lambda: run_ready_tasks("mail"), lambda: run_ready_tasks("mail"))

    assert tasks > 1 and sum(ran) == tasks
    pairs = sent_pairs()
    assert set(pairs.values()) == {1} and len(mail.outbox) == 6


@concurrent
def test_one_batch_run_by_two_workers_at_the_same_instant_on_postgresql_sends_once(
    reference_data_reloaded, world
):
    agents(world, 3)
    reminders.handle_one(NOW)
    args = DBTaskResult.objects.get().args_kwargs["args"]

    sent = at_once(*[lambda: reminders.send_reminder_digests.call(*args)] * 2)

    assert sorted(sent) == [0, 4]
    assert set(sent_pairs().values()) == {1} and len(mail.outbox) == 4


def at_once(*calls):
    """The results of `calls`, run in threads started together, each on its own connection
    (an exception in one is raised here)."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        try:
            barrier.wait(timeout=10)
            return call()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(len(calls)) as pool:
        return [future.result(timeout=30) for future in [pool.submit(run, c) for c in calls]]


# --- the record of reminders -----------------------------------------------------------------------


def test_the_record_of_reminders_is_kept_for_the_configured_days_then_deleted(
    world, frozen, settings
):
    settings.REMINDER_HISTORY_DAYS = 90
    item = item_due(world, NOW - timedelta(days=1), assignee=world.users.agent)
    remind()
    assert ReminderSent.objects.filter(day=NOW.date()).count() == 2

    frozen.move_to(NOW + timedelta(days=90))  # 90 days later: still kept
    remind()
    assert ReminderSent.objects.filter(day=NOW.date(), item=item).count() == 2

    frozen.move_to(NOW + timedelta(days=91))
    remind()
    assert not ReminderSent.objects.filter(day=NOW.date()).exists()
    assert ReminderSent.objects.filter(day=(NOW + timedelta(days=91)).date()).count() == 2


def test_a_dry_run_deletes_nothing(world, frozen):
    item_due(world, NOW - timedelta(days=1), assignee=world.users.agent)
    remind()

    frozen.move_to(NOW + timedelta(days=400))
    reminders.handle_one(dry_run=True)

    assert ReminderSent.objects.filter(day=NOW.date()).count() == 2
