"""Register rules at the service level: numbering, the deadline rule of each kind, answering on
time, explicit recompute — and the due-date function with its counting convention."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from msap.core.errors import DomainError, StaleVersion
from msap.core.models import JournalEntry
from msap.registers import rules, services
from msap.registers.models import ItemLink, Kind, PhoneOutcome, RegisterItem, Status
from msap.registers.rules import (
    CALLBACK_ONE_WEEK,
    COMPLAINT_ONE_MONTH,
    EMAIL_ONE_WEEK,
    MAIL_ONE_MONTH,
    due_date,
)
from tests import factories as f
from tests.registers import PARIS, paris

REUNION = ZoneInfo("Indian/Reunion")


def local_due(rule, received_at, dept="19", tz=PARIS):
    return due_date(rule, received_at, dept).astimezone(tz)


# --- the due-date function (no database) -------------------------------------------------------------


def test_mail_due_one_month_after_receipt_at_the_end_of_the_day():
    due = local_due(MAIL_ONE_MONTH, paris(2026, 2, 2, 9, 30))
    assert due == paris(2026, 3, 2, 23, 59, 59)
    assert due.utcoffset() == timedelta(hours=1)


def test_31_january_plus_one_month_is_end_of_february_in_a_leap_year():
    # 2028 is a leap year: 29 February, a Tuesday.
    assert local_due(MAIL_ONE_MONTH, paris(2028, 1, 31, 10)).date() == datetime(2028, 2, 29).date()


def test_31_january_plus_one_month_is_28_february_then_next_working_day():
    # 28 February 2026 is a Saturday: the deadline moves to Monday 2 March.
    assert rules.add_months(datetime(2026, 1, 31).date(), 1) == datetime(2026, 2, 28).date()
    assert local_due(MAIL_ONE_MONTH, paris(2026, 1, 31, 10)).date() == datetime(2026, 3, 2).date()


def test_31_march_plus_one_month_is_30_april():
    assert rules.add_months(datetime(2026, 3, 31).date(), 1) == datetime(2026, 4, 30).date()


def test_deadline_falling_on_a_sunday_moves_to_monday():
    # Received Sunday 1 February 2026: due Sunday 1 March, moved to Monday 2 March.
    assert local_due(MAIL_ONE_MONTH, paris(2026, 2, 1, 12)).date() == datetime(2026, 3, 2).date()


def test_deadline_falling_on_14_july_moves_to_the_next_working_day():
    assert local_due(MAIL_ONE_MONTH, paris(2026, 6, 14, 10)).date() == datetime(2026, 7, 15).date()


def test_26_december_is_a_holiday_in_moselle_only():
    received = paris(2025, 11, 26, 10)  # due Friday 26 December 2025
    assert local_due(MAIL_ONE_MONTH, received, "19").date() == datetime(2025, 12, 26).date()
    # Moselle: 26 December is a holiday, then a weekend: Monday 29 December.
    assert local_due(MAIL_ONE_MONTH, received, "57").date() == datetime(2025, 12, 29).date()


def test_20_december_is_a_holiday_in_la_reunion_counted_in_its_own_time_zone():
    # 19 November 2027 21:00 UTC is already Saturday 20 November 01:00 in Saint-Denis: the month
    # runs from the local date, to Monday 20 December 2027 (abolition of slavery): Tuesday 21.
    received = datetime(2027, 11, 19, 21, 0, tzinfo=UTC)
    due = due_date(MAIL_ONE_MONTH, received, "974")
    assert due.astimezone(REUNION) == datetime(2027, 12, 21, 23, 59, 59, tzinfo=REUNION)
    assert due == datetime(2027, 12, 21, 19, 59, 59, tzinfo=UTC)
    # The same instant in Corrèze is still 19 November: due Monday 20 December 2027.
    assert local_due(MAIL_ONE_MONTH, received, "19").date() == datetime(2027, 12, 20).date()


def test_receipt_late_on_the_evening_before_the_dst_change_counts_from_the_local_date():
    # Saturday 28 March 2026 23:30 in Paris (22:30 UTC); clocks go forward that night.
    received = paris(2026, 3, 28, 23, 30)
    due = local_due(EMAIL_ONE_WEEK, received)
    # 4 April is a Saturday, 6 April Easter Monday: Tuesday 7 April, in summer time.
    assert due == paris(2026, 4, 7, 23, 59, 59)
    assert due.utcoffset() == timedelta(hours=2)
    assert due_date(EMAIL_ONE_WEEK, received, "19") == datetime(2026, 4, 7, 21, 59, 59, tzinfo=UTC)


def test_receipt_just_after_midnight_local_counts_from_the_local_not_the_utc_date():
    # Wednesday 1 April 2026 00:30 in Paris is still 31 March in UTC.
    received = paris(2026, 4, 1, 0, 30)
    # 1 May is a holiday (Friday): Monday 4 May — not 30 April as the UTC date would give.
    assert local_due(MAIL_ONE_MONTH, received).date() == datetime(2026, 5, 4).date()


# --- rule_for: which deadline applies to which item ---------------------------------------------------------


def test_rule_for_each_kind():
    assert rules.rule_for(Kind.INCOMING_MAIL) is MAIL_ONE_MONTH
    assert rules.rule_for(Kind.EMAIL) is EMAIL_ONE_WEEK
    assert rules.rule_for(Kind.PHONE, phone_outcome=PhoneOutcome.VOICEMAIL) is CALLBACK_ONE_WEEK
    assert rules.rule_for(Kind.PHONE, phone_outcome=PhoneOutcome.ANSWERED) is None
    assert (
        rules.rule_for(Kind.COMPLAINT, sender_address="2 rue Basse, 19000 Tulle")
        is COMPLAINT_ONE_MONTH
    )
    assert rules.rule_for(Kind.COMPLAINT, sender_address="   ") is None
    assert rules.rule_for(Kind.SUGGESTION) is None
    assert rules.rule_for(Kind.OUTGOING_MAIL) is None


def test_complaint_without_postal_address_has_no_due_date_but_is_registered(one_house):
    complaint = f.RegisterItemFactory(
        house=one_house.house,
        kind="complaint",
        sender_email="x@exemple.fr",
    )
    assert (
        complaint.pk
        and complaint.due_at is None
        and complaint.due_rule == ""
        and complaint.status == Status.NEW
    )


def test_phone_voicemail_is_called_back_within_one_week(one_house):
    call = f.RegisterItemFactory(
        house=one_house.house,
        kind="phone",
        phone_outcome="voicemail",
        received_at=paris(2026, 3, 3, 10),
    )
    assert call.due_rule == "callback_1_week"
    assert call.due_at.astimezone(ZoneInfo("Europe/Paris")).date() == datetime(2026, 3, 10).date()


def test_answered_call_has_no_deadline_and_is_closed(one_house):
    call = f.RegisterItemFactory(
        house=one_house.house,
        kind="phone",
        phone_outcome="answered",
    )
    assert call.due_at is None and call.status == Status.CLOSED


def test_items_are_numbered_per_register_and_per_house(world):
    agent = world.users.agent
    numbers = [f.RegisterItemFactory(house=world.house, created_by=agent).number for _ in range(3)]
    assert numbers == [1, 2, 3]
    assert f.RegisterItemFactory(house=world.house, created_by=agent, kind="email").number == 1
    assert f.RegisterItemFactory(house=world.other, created_by=world.users.other_agent).number == 1


def test_received_date_in_the_future_is_refused(one_house):
    with pytest.raises(DomainError) as exc:
        f.RegisterItemFactory(
            house=one_house.house,
            received_at=timezone.now() + timedelta(hours=1),
        )
    assert exc.value.errors["received_at"] == [
        "La date de réception ne peut pas être dans le futur."
    ]
    assert not RegisterItem.objects.exists()


# --- answering, on time or not ----------------------------------------------------------------------------------


def test_on_time_is_true_when_answered_before_the_deadline(one_house):
    item = f.RegisterItemFactory(
        house=one_house.house,
        received_at=timezone.now() - timedelta(days=3),
    )
    services.set_status(
        one_house.users.agent, item, Status.ANSWERED, item.version, answer_text="Réponse."
    )
    item.refresh_from_db()
    assert item.on_time is True and item.answered_by == one_house.users.agent


def test_on_time_is_false_when_answered_after_the_deadline(one_house):
    with time_machine.travel(paris(2026, 1, 5, 10), tick=False):
        item = f.RegisterItemFactory(
            house=one_house.house,
            kind="email",
            sender_email="a@exemple.fr",
        )
    with time_machine.travel(paris(2026, 1, 20, 10), tick=False):
        services.set_status(
            one_house.users.agent,
            item,
            Status.ANSWERED,
            item.version,
            answer_text="Réponse tardive.",
        )
    item.refresh_from_db()
    assert item.on_time is False


def test_on_time_stays_unknown_for_items_without_deadline(one_house):
    complaint = f.RegisterItemFactory(house=one_house.house, kind="complaint")
    services.set_status(
        one_house.users.agent, complaint, Status.ANSWERED, complaint.version, answer_text="Merci."
    )
    complaint.refresh_from_db()
    assert complaint.on_time is None


def test_answer_before_receipt_is_refused_and_nothing_saved(one_house):
    item = f.RegisterItemFactory(house=one_house.house)
    with pytest.raises(DomainError):
        services.set_status(
            one_house.users.agent,
            item,
            Status.ANSWERED,
            1,
            answered_at=item.received_at - timedelta(hours=2),
        )
    item.refresh_from_db()
    assert item.status == Status.NEW and item.answered_at is None and item.version == 1


def test_exempt_requires_a_charter_reason(one_house):
    item = f.RegisterItemFactory(house=one_house.house)
    with pytest.raises(DomainError):
        services.set_status(one_house.users.agent, item, Status.EXEMPT, 1, exempt_reason="")
    item.refresh_from_db()
    assert item.status == Status.NEW


def test_answered_item_cannot_go_back_in_progress(one_house):
    item = f.RegisterItemFactory(house=one_house.house)
    services.set_status(one_house.users.agent, item, Status.ANSWERED, 1, answer_text="Réponse.")
    with pytest.raises(DomainError) as exc:
        services.set_status(one_house.users.agent, item, Status.IN_PROGRESS, item.version)
    assert "Passage impossible" in exc.value.message


def test_item_owing_an_answer_cannot_be_closed_without_one(one_house):
    item = f.RegisterItemFactory(house=one_house.house)
    with pytest.raises(DomainError) as exc:
        services.set_status(one_house.users.agent, item, Status.CLOSED, 1)
    assert "attend une réponse" in exc.value.message
    item.refresh_from_db()
    assert item.status == Status.NEW
    services.set_status(one_house.users.agent, item, Status.ANSWERED, 1, answer_text="Réponse.")
    services.set_status(one_house.users.agent, item, Status.CLOSED, item.version)
    assert RegisterItem.objects.get(pk=item.pk).status == Status.CLOSED


def test_item_without_deadline_may_be_closed_directly(one_house):
    suggestion = f.RegisterItemFactory(
        house=one_house.house,
        kind="suggestion",
        channel="register",
    )
    services.set_status(one_house.users.agent, suggestion, Status.CLOSED, 1)
    assert RegisterItem.objects.get(pk=suggestion.pk).status == Status.CLOSED


def test_unknown_status_is_refused_in_french(one_house):
    item = f.RegisterItemFactory(house=one_house.house)
    with pytest.raises(DomainError) as exc:
        services.set_status(one_house.users.agent, item, "archived", 1)
    assert exc.value.message == "Statut inconnu."


def test_stale_version_is_refused(one_house):
    item = f.RegisterItemFactory(house=one_house.house)
    services.assign(one_house.users.agent, item, one_house.users.agent, 1)
    with pytest.raises(StaleVersion):
        services.set_status(
            one_house.users.responsable, item, Status.ANSWERED, 1, answer_text="Autre réponse."
        )


def test_override_without_reason_is_refused(one_house):
    item = f.RegisterItemFactory(house=one_house.house)
    with pytest.raises(DomainError):
        services.override_due(one_house.users.agent, item, item.due_at + timedelta(days=5), "  ", 1)
    item.refresh_from_db()
    assert item.due_override_at is None


def test_deadline_of_an_answered_item_cannot_be_overridden(one_house):
    """Commitment 11: once answered, on_time was stamped against the deadline; it stays as it was."""
    item = f.RegisterItemFactory(house=one_house.house)
    services.set_status(one_house.users.agent, item, Status.ANSWERED, 1, answer_text="Réponse.")
    item.refresh_from_db()
    due, version = item.due_at, item.version
    with pytest.raises(DomainError) as exc:
        services.override_due(
            one_house.users.agent, item, due + timedelta(days=30), "Délai accordé", version
        )
    assert "déjà traité ne se modifie plus" in exc.value.message
    assert "due_at" in exc.value.errors
    item.refresh_from_db()
    assert (item.due_at, item.due_override_at, item.version) == (due, None, version)


def test_exempt_reason_without_the_exempt_status_is_refused(one_house):
    """Commitments 11 and 12: a reason for no answer goes with the exemption only."""
    item = f.RegisterItemFactory(house=one_house.house)
    with pytest.raises(DomainError) as exc:
        services.set_status(
            one_house.users.agent,
            item,
            Status.ANSWERED,
            1,
            answer_text="Réponse.",
            exempt_reason="commercial",
        )
    assert exc.value.errors["exempt_reason"] == [
        "Le motif de dispense ne s'indique qu'avec le statut « exempt »."
    ]
    item.refresh_from_db()
    assert (item.status, item.exempt_reason, item.answered_at, item.version) == (
        Status.NEW,
        "",
        None,
        1,
    )


# --- record with its agent and its reply link: one step -------------------------------------------------------


def test_item_recorded_with_its_agent_and_the_item_it_answers(one_house):
    """One intent, one service: the letter, its agent and its "answered by" link exist together."""
    letter = f.RegisterItemFactory(house=one_house.house)
    reply = f.RegisterItemFactory(
        house=one_house.house,
        kind="mail_out",
        agent=one_house.users.responsable,
        reply_to=letter,
    )
    assert reply.assigned_to == one_house.users.responsable
    assert ItemLink.objects.filter(source=letter, target=reply, relation="answered_by").exists()
    assert JournalEntry.objects.filter(action="register.assigned", target_id=str(reply.pk)).exists()


def test_item_entrusted_to_someone_outside_the_house_is_not_recorded_at_all(world):
    before = RegisterItem.objects.count()
    with pytest.raises(DomainError) as exc:
        f.RegisterItemFactory(
            house=world.house,
            kind="email",
            agent=world.users.other_agent,
        )
    assert "ne fait pas partie de l'équipe" in exc.value.message
    assert RegisterItem.objects.count() == before
    assert not JournalEntry.objects.filter(action="register.recorded").exists()


def test_reply_to_an_item_of_another_house_is_not_recorded_at_all(world):
    elsewhere = f.RegisterItemFactory(house=world.other, created_by=world.users.other_agent)
    with pytest.raises(DomainError, match="même maison"):
        f.RegisterItemFactory(house=world.house, kind="mail_out", reply_to=elsewhere)
    assert not RegisterItem.objects.filter(house=world.house).exists()


# --- recompute: explicit, journaled, open and non-overridden items only -----------------------------------------


def test_recompute_only_touches_open_non_overridden_items_and_journals_them(world):
    agent = world.users.agent
    received = timezone.now() - timedelta(days=2)
    drifted = f.RegisterItemFactory(
        house=world.house, created_by=agent, received_at=received, subject="Ouvert"
    )
    overridden = f.RegisterItemFactory(
        house=world.house, created_by=agent, received_at=received, subject="Échéance modifiée"
    )
    services.override_due(
        agent, overridden, overridden.due_at + timedelta(days=10), "Délai accordé", 1
    )
    answered = f.RegisterItemFactory(
        house=world.house, created_by=agent, received_at=received, subject="Répondu"
    )
    services.set_status(agent, answered, Status.ANSWERED, 1, answer_text="Réponse.")
    # As if the rule had changed since these items were recorded.
    stale_due = timezone.now() + timedelta(days=90)
    RegisterItem.objects.filter(pk__in=[drifted.pk, overridden.pk, answered.pk]).update(
        due_at=stale_due
    )

    assert services.recompute_due(agent, world.house, dry_run=True) == 1
    assert RegisterItem.objects.get(pk=drifted.pk).due_at == stale_due  # a dry run changes nothing

    assert services.recompute_due(agent, world.house) == 1
    assert RegisterItem.objects.get(pk=drifted.pk).due_at == due_date(
        MAIL_ONE_MONTH, received, "19"
    )
    assert RegisterItem.objects.get(pk=overridden.pk).due_at == stale_due
    assert RegisterItem.objects.get(pk=answered.pk).due_at == stale_due
    entries = JournalEntry.objects.filter(action="register.due_recomputed")
    assert [e.target_id for e in entries] == [str(drifted.pk)]
    assert services.recompute_due(agent, world.house) == 0  # nothing left to do


def test_overdue_is_derived_from_open_status_and_due_date(one_house):
    item = f.RegisterItemFactory(house=one_house.house)
    assert not services.is_overdue(item)
    assert services.is_overdue(item, now=item.due_at + timedelta(seconds=1))
    services.set_status(one_house.users.agent, item, Status.ANSWERED, 1, answer_text="Réponse.")
    assert not services.is_overdue(item, now=item.due_at + timedelta(days=1))
