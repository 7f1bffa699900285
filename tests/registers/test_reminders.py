"""`msap remind`: one digest per agent and per manager, never twice for the same item and day,
catching up after downtime, safe when two runs overlap."""

import os
import re
import threading
from collections import Counter
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.utils import timezone

from msap.lib.mail import read_messages
from msap.registers import reminders, services
from msap.registers.models import RegisterItem, ReminderSent, Status
from tests import factories as f
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


def sent_pairs():
    return Counter(
        (message.to[0], int(pk)) for message in mail.outbox for pk in ITEM_URL.findall(message.body)
    )


# --- one digest per agent and per manager -------------------------------------------------------------


def test_remind_sends_one_digest_per_assignee_and_per_manager_in_french(one_house):
    late = item_due(
        one_house, NOW - timedelta(days=2), assignee=one_house.users.agent, subject="Retard"
    )
    soon = item_due(
        one_house, NOW + timedelta(days=2), assignee=one_house.users.agent, subject="Bientôt"
    )
    nobody = item_due(one_house, NOW - timedelta(days=1), subject="Sans agent")

    call_command("remind")

    sent = digests()
    assert set(sent) == {one_house.users.agent.email, one_house.users.responsable.email}
    assert sent[one_house.users.agent.email] == [late.pk, soon.pk]
    assert sent[one_house.users.responsable.email] == [late.pk, nobody.pk, soon.pk]
    to_agent = next(m for m in mail.outbox if m.to == [one_house.users.agent.email])
    assert to_agent.subject == "msap — 1 élément(s) en retard, 1 à échéance proche"
    body = to_agent.body
    assert body.startswith(f"Bonjour {one_house.users.agent.first_name},")
    assert "En retard :" in body and "À traiter dans les 3 jours :" in body
    assert body.index("« Retard »") < body.index("À traiter") < body.index("« Bientôt »")
    assert f"Courriel n°{late.number} « Retard », échéance le 08/03/2026" in body
    assert "engagements 11 à 14 de la charte" in body


def test_command_says_how_many_digests_it_sent(one_house, capsys):
    item_due(one_house, NOW - timedelta(days=1), assignee=one_house.users.agent)

    call_command("remind")

    assert "2 récapitulatif(s) envoyé(s)" in capsys.readouterr().out


def test_dry_run_counts_recipients_and_sends_nothing(one_house):
    item_due(one_house, NOW - timedelta(days=1), assignee=one_house.users.agent)

    assert reminders.handle_one(dry_run=True) == 2
    assert mail.outbox == [] and not ReminderSent.objects.exists()


def test_answered_far_and_deadline_free_items_are_not_reminded(one_house):
    answered = item_due(one_house, NOW - timedelta(days=1), assignee=one_house.users.agent)
    services.set_status(one_house.users.agent, answered, Status.ANSWERED, answered.version)
    item_due(one_house, NOW + timedelta(days=10), assignee=one_house.users.agent)  # far from due
    f.RegisterItemFactory(
        house=one_house.house, created_by=one_house.users.agent, kind="suggestion"
    )  # no deadline

    assert reminders.handle_one() == 0
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

    reminders.handle_one()

    assert set(digests()) == {world.users.responsable.email}


def test_items_of_a_house_without_manager_reach_their_assignee_only(world):
    item = item_due(world, NOW - timedelta(days=1), house=world.other)
    services.assign(world.users.other_agent, item, world.users.other_agent, item.version)

    reminders.handle_one()

    assert digests() == {world.users.other_agent.email: [item.pk]}


# --- idempotent: never twice for the same item and day ----------------------------------------------


def test_running_twice_the_same_day_sends_nothing_new(one_house):
    item_due(one_house, NOW - timedelta(days=1), assignee=one_house.users.agent)
    item_due(one_house, NOW + timedelta(days=1), assignee=one_house.users.agent)

    assert reminders.handle_one() == 2
    with time_machine.travel(NOW + timedelta(hours=8), tick=False):
        call_command("remind")
        assert reminders.handle_one() == 0

    assert len(mail.outbox) == 2
    assert ReminderSent.objects.filter(sent_at__isnull=True).count() == 0


def test_new_overdue_item_later_the_same_day_gets_its_own_digest_with_only_that_item(world, frozen):
    item_due(world, NOW - timedelta(days=1), assignee=world.users.agent)
    reminders.handle_one()
    mail.outbox.clear()

    frozen.move_to(NOW + timedelta(hours=5))
    new = item_due(world, NOW + timedelta(hours=2), assignee=world.users.agent)
    reminders.handle_one()

    assert digests() == {world.users.agent.email: [new.pk], world.users.responsable.email: [new.pk]}


def test_next_day_still_overdue_items_are_reminded_again(one_house, frozen):
    still = item_due(one_house, NOW - timedelta(days=1), assignee=one_house.users.agent)
    answered = item_due(one_house, NOW - timedelta(days=1), assignee=one_house.users.agent)
    reminders.handle_one()
    services.set_status(one_house.users.agent, answered, Status.ANSWERED, answered.version)
    mail.outbox.clear()

    frozen.move_to(NOW + timedelta(days=1))
    reminders.handle_one()

    assert digests() == {
        one_house.users.agent.email: [still.pk],
        one_house.users.responsable.email: [still.pk],
    }


def test_catching_up_after_downtime_reminds_everything_that_fell_due_meanwhile(one_house, frozen):
    # The job last ran on Tuesday; items fall due on Wednesday, Thursday and Friday; it runs
    # again on Monday and lists them all, once.
    reminders.handle_one()
    fell_due = [
        item_due(one_house, NOW + timedelta(days=d), assignee=one_house.users.agent)
        for d in (1, 2, 3)
    ]

    frozen.move_to(NOW + timedelta(days=6))
    assert reminders.handle_one() == 2

    expected = [item.pk for item in fell_due]
    assert digests() == {
        one_house.users.agent.email: expected,
        one_house.users.responsable.email: expected,
    }


# --- failures and concurrent runs ----------------------------------------------------------------------


def test_failing_send_gives_the_rows_back_and_the_next_run_retries(one_house, monkeypatch):
    late = item_due(one_house, NOW - timedelta(days=1), assignee=one_house.users.agent)
    unassigned = item_due(one_house, NOW - timedelta(days=2))
    real_send = reminders.EmailMessage

    class FlakyMessage(real_send):
        def __init__(self, subject, body, from_email, to):
            if to == [one_house.users.responsable.email]:
                raise ConnectionError("SMTP indisponible")
            super().__init__(subject, body, from_email, to)

    monkeypatch.setattr(reminders, "EmailMessage", FlakyMessage)
    assert reminders.handle_one() == 1
    assert set(digests()) == {one_house.users.agent.email}
    waiting = ReminderSent.objects.filter(recipient=one_house.users.responsable)
    assert set(waiting.values_list("claim", "sent_at")) == {("", None)}

    monkeypatch.setattr(reminders, "EmailMessage", real_send)
    mail.outbox.clear()
    assert reminders.handle_one() == 1

    assert digests() == {one_house.users.responsable.email: [unassigned.pk, late.pk]}


def test_item_answered_before_the_retry_is_left_out_of_the_digest(one_house, monkeypatch):
    late = item_due(one_house, NOW - timedelta(days=1))
    other = item_due(one_house, NOW - timedelta(days=2))
    monkeypatch.setattr(reminders.EmailMessage, "__init__", failing_init)
    reminders.handle_one()
    monkeypatch.undo()
    services.set_status(one_house.users.agent, late, Status.ANSWERED, late.version)

    reminders.handle_one()

    assert digests() == {one_house.users.responsable.email: [other.pk]}


def failing_init(self, *args, **kwargs):
    raise ConnectionError("SMTP indisponible")


def test_run_starting_while_another_sends_never_sends_the_same_item_twice(world, monkeypatch):
    # Run A has claimed its rows and is sending; run B starts meanwhile, after a new overdue item
    # was recorded: B sends only the new item, A only what it claimed.
    first = item_due(world, NOW - timedelta(days=1), assignee=world.users.agent)
    state = {"new": None, "b_sent": None}
    real_send = reminders.send_digest

    def send_then_overlap(*args, **kwargs):
        if state["new"] is None:
            state["new"] = item_due(world, NOW - timedelta(hours=1), assignee=world.users.agent)
            state["b_sent"] = reminders.handle_one()  # run B, in the middle of run A
        return real_send(*args, **kwargs)

    monkeypatch.setattr(reminders, "send_digest", send_then_overlap)
    a_sent = reminders.handle_one()

    assert (a_sent, state["b_sent"]) == (2, 2)
    pairs = sent_pairs()
    assert set(pairs.values()) == {1}
    people = {world.users.agent.email, world.users.responsable.email}
    assert set(pairs) == {(who, pk) for who in people for pk in (first.pk, state["new"].pk)}


@pytest.fixture
def reference_data_reloaded(transactional_db):
    """A transactional test's database is emptied after each such test: reload the geography
    and reference data the migrations put there when an earlier one removed them."""
    import importlib
    from types import SimpleNamespace

    from django.db.migrations.loader import MigrationLoader

    from msap.desk.seed import seed_procedures
    from msap.partners.seed import seed_reference_data
    from msap.territory.models import Departement

    if not Departement.objects.exists():
        state = MigrationLoader(connection).project_state(
            ("territory", "0002_load_administrative_geography")
        )
        loader = importlib.import_module(
            "msap.territory.migrations.0002_load_administrative_geography"
        )
        loader.load(state.apps, SimpleNamespace(connection=connection))
    seed_reference_data()
    seed_procedures()


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="true concurrency needs PostgreSQL (SQLite serialises writers)",
)
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_on_postgresql_send_each_item_once(reference_data_reloaded, one_house):
    items = [
        item_due(one_house, NOW - timedelta(days=d), assignee=one_house.users.agent)
        for d in range(1, 6)
    ]
    start = threading.Barrier(2)
    results, errors = [], []

    def run():
        try:
            start.wait(timeout=10)
            results.append(reminders.handle_one(NOW))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert sum(results) == 2  # one digest to the agent, one to the responsable, in all
    pairs = sent_pairs()
    assert set(pairs.values()) == {1}
    assert len(pairs) == 2 * len(items)


# --- parallel senders ------------------------------------------------------------------------------
# Building a MIME message is most of a network-wide run (bench/registers): with many digests,
# forked senders share it. They never touch the database; the command's process writes the outcome.


@pytest.fixture
def mail_files(settings, tmp_path):
    settings.MAILERS = {
        "default": {"BACKEND": "msap.lib.mail.EmailBackend", "OPTIONS": {"file_path": tmp_path}}
    }
    return tmp_path


def more_agents(world, count):
    """`count` more agents of the house, each with an overdue item of their own."""
    agents = []
    for i in range(count):
        agent = f.MembershipFactory(role="agent", house=world.house).user
        item_due(world, NOW - timedelta(days=1 + i), assignee=agent)
        agents.append(agent)
    return agents


def files_pairs(directory):
    return Counter(
        (message["To"], int(pk))
        for message in read_messages(directory)
        for pk in ITEM_URL.findall(message.get_content())
    )


@pytest.mark.filterwarnings("ignore:.*multi-threaded.*fork:DeprecationWarning")
def test_parallel_senders_send_each_digest_once_and_the_run_records_them(one_house, mail_files):
    agents = more_agents(one_house, 5)

    assert reminders.handle_one(workers=3) == 6  # five agents and the responsable

    messages = read_messages(mail_files)
    assert sorted(m["To"] for m in messages) == sorted(
        [a.email for a in agents] + [one_house.users.responsable.email]
    )
    assert len({p.name.split("-")[2] for p in mail_files.glob("*.log")}) == 3  # three processes
    assert set(files_pairs(mail_files).values()) == {1}
    assert not ReminderSent.objects.filter(sent_at=None).exists()
    assert all(m["Subject"].startswith("msap — ") for m in messages)
    # Same day again: nothing left to send, by any number of senders.
    assert reminders.handle_one(workers=3) == 0
    assert len(read_messages(mail_files)) == 6


@pytest.mark.filterwarnings("ignore:.*multi-threaded.*fork:DeprecationWarning")
def test_a_sender_that_dies_leaves_its_rows_claimed_and_nothing_is_sent_twice(
    one_house, mail_files, monkeypatch
):
    agents = more_agents(one_house, 3)
    doomed = agents[0]
    real_send = reminders.send_digest

    def send_or_die(recipient_id, *args, **kwargs):
        if recipient_id == doomed.pk:
            os._exit(1)  # the process is killed while sending
        return real_send(recipient_id, *args, **kwargs)

    monkeypatch.setattr(reminders, "send_digest", send_or_die)
    reminders.handle_one(workers=2)  # does not raise: the death is logged
    monkeypatch.undo()
    reminders.handle_one(workers=2)
    reminders.handle_one(workers=1)

    # The digest being sent when its sender died: claimed, never marked sent, not sent again
    # today (never twice wins over at least once)…
    doomed_rows = ReminderSent.objects.filter(recipient=doomed)
    assert doomed_rows.exists() and not doomed_rows.filter(claim="").exists()
    assert not doomed_rows.exclude(sent_at=None).exists()
    pairs = files_pairs(mail_files)
    assert doomed.email not in {to for to, _pk in pairs}
    # …and everyone else has their digest exactly once: the dead sender's unreached digests
    # went back to the next run, the other sender's were recorded as sent.
    everyone_else = {a.email for a in agents[1:]} | {one_house.users.responsable.email}
    assert {to for to, _pk in pairs} == everyone_else
    assert set(pairs.values()) == {1}
    assert not ReminderSent.objects.exclude(recipient=doomed).filter(sent_at=None).exists()


def test_senders_run_in_this_process_for_few_digests_or_the_in_memory_backend(settings):
    from django.core.mail.backends.dummy import EmailBackend as Dummy
    from django.core.mail.backends.locmem import EmailBackend as Memory

    settings.REMIND_WORKERS = 0
    cpus = min(8, os.cpu_count() or 1)
    assert reminders.sender_count(None, reminders.PARALLEL_FROM - 1, Dummy()) == 1
    assert reminders.sender_count(None, 5000, Dummy()) == cpus
    assert reminders.sender_count(4, 3, Dummy()) == 3  # never more senders than digests
    assert reminders.sender_count(4, 5000, Memory()) == 1  # its outbox lives in this process
    settings.REMIND_WORKERS = 1
    assert reminders.sender_count(None, 5000, Dummy()) == 1


def test_command_refuses_a_negative_number_of_workers(one_house):
    with pytest.raises(CommandError, match="nombre positif ou nul"):
        call_command("remind", "--workers", "-1")


@pytest.mark.filterwarnings("ignore:.*multi-threaded.*fork:DeprecationWarning")
def test_a_dead_sender_loses_only_the_digest_in_flight(mail_files, monkeypatch):
    line = reminders.DigestLine(
        1, "email", 1, "Objet", NOW - timedelta(days=1), Status.NEW, "France Services", "19"
    )
    digests = [
        (pk, reminders.Recipient(f"agent{pk}@test.fr", "Agent", True), [line]) for pk in range(4)
    ]
    real_send = reminders.send_digest

    def send_or_die(recipient_id, *args, **kwargs):
        if recipient_id == 0:
            os._exit(1)
        return real_send(recipient_id, *args, **kwargs)

    monkeypatch.setattr(reminders, "send_digest", send_or_die)

    # Two senders: 0 and 2 for the first, 1 and 3 for the second.
    results = reminders.deliver(digests, NOW, reminders.kind_labels(), workers=2)

    assert results == {1: True, 3: True, 2: reminders.FAILED}  # 0: unknown, left claimed
    assert sorted(m["To"] for m in read_messages(mail_files)) == [
        "agent1@test.fr",
        "agent3@test.fr",
    ]


# --- the record of reminders -----------------------------------------------------------------------


def test_the_record_of_reminders_is_kept_for_the_configured_days_then_deleted(
    one_house, frozen, settings
):
    settings.REMINDER_HISTORY_DAYS = 90
    item = item_due(one_house, NOW - timedelta(days=1), assignee=one_house.users.agent)
    reminders.handle_one()
    assert ReminderSent.objects.filter(day=NOW.date()).count() == 2

    frozen.move_to(NOW + timedelta(days=90))  # 90 days later: still kept
    reminders.handle_one()
    assert ReminderSent.objects.filter(day=NOW.date(), item=item).count() == 2

    frozen.move_to(NOW + timedelta(days=91))
    reminders.handle_one()
    assert not ReminderSent.objects.filter(day=NOW.date()).exists()
    assert ReminderSent.objects.filter(day=(NOW + timedelta(days=91)).date()).count() == 2


def test_a_dry_run_deletes_nothing(one_house, frozen):
    item_due(one_house, NOW - timedelta(days=1), assignee=one_house.users.agent)
    reminders.handle_one()

    frozen.move_to(NOW + timedelta(days=400))
    reminders.handle_one(dry_run=True)

    assert ReminderSent.objects.filter(day=NOW.date()).count() == 2
