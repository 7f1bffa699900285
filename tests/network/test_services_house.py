"""Domain operations on a house: hours (art. 3.2), place (art. 2.3), premises (art. 3.3), status (art. 3.4)."""

from datetime import date, time

import pytest

from msap.core import journal
from msap.core.errors import DomainError, StaleVersion
from msap.core.models import JournalEntry
from msap.network import services
from msap.network.models import Equipment, HoursChange, House, HouseKind, HouseStatus, OpeningRange
from msap.network.queries import current_ranges, house_flags
from msap.network.rules import Range
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def actor():
    return f.UserFactory(email="responsable.maison@test.fr")


@pytest.fixture
def house():
    """Tulle, open 27 h 30 over 5 days (the factory's hours), serving three communes of Corrèze."""
    house = f.HouseFactory(commune=f.commune("19272"))
    house.served_communes.set([f.commune("19272"), f.commune("19275"), f.commune("19031")])
    return house


def fresh(house) -> House:
    return House.objects.get(pk=house.pk)


def days(weekdays, *spans) -> list[Range]:
    return [
        Range(d, time.fromisoformat(s), time.fromisoformat(e)) for d in weekdays for s, e in spans
    ]


def entries(action):
    return JournalEntry.objects.filter(action=action)


# --- set_schedule ----------------------------------------------------------------------------


def test_schedule_under_24_hours_is_refused_and_nothing_saved(actor, house):
    """Art. 3.2: a week under 24 hours is refused; the ranges, history and version stay as they were."""
    before = sorted(current_ranges(house))
    with pytest.raises(DomainError) as exc:
        services.set_schedule(
            actor, house, days(range(3), ("09:00", "12:00")), expected_version=house.version
        )
    assert "au moins 24 heures" in exc.value.message
    assert exc.value.errors["__all__"][0] == exc.value.message
    assert sorted(current_ranges(house)) == before
    assert not HoursChange.objects.exists()
    assert fresh(house).version == 1
    assert not entries("house.hours").exists()


def test_schedule_over_two_days_is_refused_and_nothing_saved(actor, house):
    """Art. 3.2: 30 hours over 2 days is refused with the 3-day rule."""
    with pytest.raises(DomainError) as exc:
        services.set_schedule(actor, house, days([0, 1], ("07:00", "22:00")), expected_version=1)
    assert "au moins 3 jours" in exc.value.message
    assert OpeningRange.objects.filter(house=house).count() == 10


def test_accepted_schedule_replaces_the_ranges_and_records_the_change(actor, house):
    """Art. 3.2: a valid schedule replaces the old one; the change is recorded with before/after."""
    new = days(range(4), ("08:30", "12:00"), ("13:30", "17:00"))  # 28 h over 4 days
    change = services.set_schedule(actor, house, new, expected_version=1)
    assert sorted(current_ranges(house)) == sorted(new)
    assert change.before[0] == [0, "09:00", "12:00"]
    assert [0, "08:30", "12:00"] in change.after
    assert len(change.before) == 10 and len(change.after) == 8
    assert (change.weekly_minutes_before, change.weekly_minutes_after) == (27 * 60 + 30, 28 * 60)
    assert change.changed_by == actor
    assert change.substantial  # Friday is no longer open
    assert fresh(house).version == 2
    entry = entries("house.hours").get()
    assert entry.house_id == house.pk
    assert entry.actor == actor
    assert journal.describe(entry) == "Modification substantielle des horaires"
    assert entry.changes["after"] == change.after


def test_minor_adjustment_of_hours_is_recorded_as_not_substantial(actor, house):
    """Art. 3.2: a quarter of an hour on one range is recorded, but not as a substantial change."""
    new = [
        *days(range(4), ("09:00", "12:00"), ("14:00", "16:30")),
        *days([4], ("09:15", "12:00"), ("14:00", "16:30")),
    ]
    change = services.set_schedule(actor, house, new, expected_version=1)
    assert change is not None
    assert not change.substantial
    assert journal.describe(entries("house.hours").get()) == "Horaires modifiés"


def test_first_schedule_of_a_house_is_not_a_substantial_change(actor):
    """Art. 3.2: partners are informed of changes; publishing the very first hours is not one."""
    house = f.HouseFactory(with_defaults=False)
    change = services.set_schedule(
        actor, house, days(range(5), ("09:00", "14:00")), expected_version=None
    )
    assert change.before == []
    assert not change.substantial


def test_stale_schedule_edit_is_refused_and_nothing_saved(actor, house):
    """Optimistic concurrency: a schedule edited from an old read does not overwrite a newer one."""
    before = sorted(current_ranges(house))
    with pytest.raises(StaleVersion) as exc:
        services.set_schedule(actor, house, days(range(5), ("08:00", "14:00")), expected_version=0)
    assert "modifiée par quelqu'un d'autre" in exc.value.message
    assert sorted(current_ranges(house)) == before
    assert not HoursChange.objects.exists()
    assert fresh(house).version == 1


def test_saving_the_same_schedule_records_no_change(actor, house):
    """Art. 3.2: saving the hours unchanged informs nobody and records nothing."""
    same = list(reversed(current_ranges(house)))
    assert services.set_schedule(actor, house, same, expected_version=1) is None
    assert not HoursChange.objects.exists()
    assert not entries("house.hours").exists()
    assert OpeningRange.objects.filter(house=house).count() == 10


# --- update_house (art. 2.3) ----------------------------------------------------------------


def test_postal_code_not_matching_the_commune_is_refused(actor, house):
    """Art. 2.3: the address is the house's official place: the postal code must be the commune's."""
    with pytest.raises(DomainError) as exc:
        services.update_house(
            actor, house, {"commune": f.commune("19275"), "postal_code": "19000"}, 1
        )
    assert "ne correspond pas à la commune Ussel" in exc.value.message
    assert "postal_code" in exc.value.errors
    assert fresh(house).commune_id == "19272"
    assert fresh(house).version == 1
    assert not entries("house.updated").exists()


def test_postal_code_alone_is_checked_against_the_current_commune(actor, house):
    """Art. 2.3: changing only the postal code to another commune's is refused."""
    with pytest.raises(DomainError):
        services.update_house(actor, house, {"postal_code": "75001"}, 1)
    assert fresh(house).postal_code == "19000"


def test_commune_alone_is_checked_against_the_current_postal_code(actor, house):
    """Art. 2.3: moving to Ussel while keeping Tulle's postal code is refused."""
    with pytest.raises(DomainError) as exc:
        services.update_house(actor, house, {"commune": f.commune("19275")}, 1)
    assert "postal_code" in exc.value.errors
    assert fresh(house).commune_id == "19272"


def test_moving_outside_the_served_communes_is_refused(actor, house):
    """Art. 2.3: a house moves only inside its territory (its served communes)."""
    gueret = f.commune("23096")
    with pytest.raises(DomainError) as exc:
        services.update_house(
            actor, house, {"commune": gueret, "postal_code": gueret.postal_codes.split()[0]}, 1
        )
    assert "article 2.3" in exc.value.message
    assert "Guéret" in exc.value.message
    assert "commune" in exc.value.errors
    assert fresh(house).commune_id == "19272"
    assert not entries("house.moved").exists()


def test_moving_to_another_departement_without_served_communes_is_refused(actor):
    """Art. 2.3: without a declared territory, the house stays in its département."""
    house = f.HouseFactory(commune=f.commune("19272"))
    gueret = f.commune("23096")
    with pytest.raises(DomainError):
        services.update_house(
            actor, house, {"commune": gueret, "postal_code": gueret.postal_codes.split()[0]}, 1
        )
    assert fresh(house).commune_id == "19272"


def test_moving_inside_the_served_communes_is_accepted_and_journaled(actor, house):
    """Art. 2.3: a move inside the territory is saved; the prefect and the national cell are told."""
    ussel = f.commune("19275")
    services.update_house(
        actor, house, {"commune": ussel, "postal_code": "19200", "address": "2 rue de la Gare"}, 1
    )
    saved = fresh(house)
    assert (saved.commune_id, saved.postal_code, saved.address) == (
        "19275",
        "19200",
        "2 rue de la Gare",
    )
    assert saved.version == 2
    moved = entries("house.moved").get()
    assert moved.house_id == house.pk
    assert "préfet" in journal.describe(moved) and "Ussel" in journal.describe(moved)
    updated = entries("house.updated").get()
    assert updated.changes["commune"] == ["19272", "19275"]
    assert updated.changes["address"] == ["1 place de la Mairie", "2 rue de la Gare"]


def test_editing_without_moving_is_not_journaled_as_a_move(actor, house):
    """Art. 2.3: only a change of commune is reported as a move."""
    services.update_house(actor, house, {"phone": "05 55 20 20 20"}, 1)
    assert fresh(house).phone == "05 55 20 20 20"
    assert entries("house.updated").exists()
    assert not entries("house.moved").exists()


def test_identity_and_served_communes_are_saved_in_one_step(actor, house):
    """Art. 2.3: the territory changes with the identity edit, each journaled."""
    territory = [f.commune("19272"), f.commune("19275")]
    services.update_house(actor, house, {"phone": "05 55 20 20 20"}, 1, served_communes=territory)
    saved = fresh(house)
    assert saved.phone == "05 55 20 20 20"
    assert set(saved.served_communes.values_list("pk", flat=True)) == {"19272", "19275"}
    assert entries("house.territory").get().changes["removed"] == ["19031"]


def test_refused_move_leaves_the_served_communes_as_they_were(actor, house):
    """Art. 2.3: the move is checked against the territory before the edit; nothing is saved."""
    gueret = f.commune("23096")
    with pytest.raises(DomainError):
        services.update_house(
            actor,
            house,
            {"commune": gueret, "postal_code": gueret.postal_codes.split()[0]},
            1,
            served_communes=[gueret],
        )
    saved = fresh(house)
    assert saved.commune_id == "19272" and saved.version == 1
    assert set(saved.served_communes.values_list("pk", flat=True)) == {"19272", "19275", "19031"}
    assert not entries("house.territory").exists()


def test_unchanged_served_communes_are_not_journaled(actor, house):
    services.update_house(
        actor,
        house,
        {"phone": "05 55 20 20 20"},
        1,
        served_communes=list(house.served_communes.all()),
    )
    assert not entries("house.territory").exists()


def test_update_house_does_not_touch_status_or_version_given_as_data(actor, house):
    """Art. 3.4: status changes go through recognition/closure, never through an identity edit."""
    services.update_house(
        actor, house, {"name": "Maison de Tulle", "status": HouseStatus.CLOSED, "version": 99}, 1
    )
    saved = fresh(house)
    assert saved.name == "Maison de Tulle"
    assert saved.status == HouseStatus.RECOGNISED
    assert saved.version == 2
    assert house.version == 2


def test_concurrent_edits_the_first_wins_and_the_second_is_refused(actor, house):
    """Optimistic concurrency: two people read version 1; the second save must not overwrite the first."""
    first, second = fresh(house), fresh(house)
    services.update_house(actor, first, {"phone": "05 55 01 01 01"}, first.version)
    with pytest.raises(StaleVersion):
        services.update_house(actor, second, {"phone": "05 55 02 02 02"}, second.version)
    saved = fresh(house)
    assert saved.phone == "05 55 01 01 01"
    assert saved.version == 2
    assert entries("house.updated").count() == 1


# --- premises and equipment (art. 3.3) -------------------------------------------------------


def test_update_premises_saves_and_journals_the_change(actor, house):
    """Art. 3.3: a change to the premises is saved and kept in the house's history."""
    premises = services.update_premises(
        actor, house, {"has_meeting_room": True, "notes": "Salle à l'étage"}, 1
    )
    premises.refresh_from_db()
    assert premises.has_meeting_room and premises.notes == "Salle à l'étage"
    assert premises.version == 2
    entry = entries("house.premises").get()
    assert entry.house_id == house.pk
    assert entry.changes["has_meeting_room"] == [False, True]


def test_stale_premises_edit_is_refused_and_nothing_saved(actor, house):
    """Optimistic concurrency: the premises edited from an old read are not overwritten."""
    with pytest.raises(StaleVersion):
        services.update_premises(actor, house, {"has_confidential_space": False}, 7)
    house.premises.refresh_from_db()
    assert house.premises.has_confidential_space
    assert not entries("house.premises").exists()


def test_add_and_remove_equipment_are_journaled(actor, house):
    """Art. 3.3 and commitment 3 bis: the equipment for the public is kept current, with history."""
    item = services.add_equipment(actor, house, kind="scanner", label="Scanner à plat", quantity=1)
    assert Equipment.objects.filter(house=house, kind="scanner").exists()
    added = entries("house.equipment_added").get()
    assert added.house_id == house.pk and "Scanner à plat" in journal.describe(added)
    pk = item.pk
    services.remove_equipment(actor, item)
    assert not Equipment.objects.filter(pk=pk).exists()
    removed = entries("house.equipment_removed").get()
    assert (removed.target_id, removed.house_id) == (str(pk), house.pk)


@pytest.mark.parametrize(
    ("data", "field"),
    [({"kind": "printer", "quantity": 0}, "quantity"), ({"kind": "fax"}, "kind")],
    ids=["zero-quantity", "unknown-kind"],
)
def test_invalid_equipment_is_refused_in_french_and_nothing_saved(actor, house, data, field):
    """Art. 3.3: bad equipment input gets a French message, not a database error."""
    count = Equipment.objects.count()
    with pytest.raises(DomainError) as exc:
        services.add_equipment(actor, house, **data)
    assert field in exc.value.errors
    assert Equipment.objects.count() == count
    assert not entries("house.equipment_added").exists()


# --- closures and mobile stops --------------------------------------------------------------


def test_exceptional_closure_is_saved_and_journaled(actor, house):
    """Commitment 1: an exceptional closure is published with its reason and kept in the history."""
    closure = services.add_closure(
        actor,
        house,
        start_date=date(2026, 8, 3),
        end_date=date(2026, 8, 14),
        reason=" Congés d'été ",
    )
    assert closure.reason == "Congés d'été"
    assert entries("house.closure_added").get().house_id == house.pk


@pytest.mark.parametrize(
    ("start", "end", "reason", "field"),
    [
        (date(2026, 8, 14), date(2026, 8, 3), "Congés", "end_date"),
        (date(2026, 8, 3), date(2026, 8, 14), "   ", "reason"),
        (date(2026, 8, 3), date(2026, 8, 14), "x" * 201, "reason"),
    ],
    ids=["end-before-start", "no-reason", "reason-too-long"],
)
def test_bad_closure_is_refused_in_french_and_nothing_saved(
    actor, house, start, end, reason, field
):
    """Commitment 1: a closure needs a period in order and a reason the public can read."""
    with pytest.raises(DomainError) as exc:
        services.add_closure(actor, house, start_date=start, end_date=end, reason=reason)
    assert field in exc.value.errors
    assert not house.closures.exists()


@pytest.mark.parametrize(
    ("weekday", "start", "end", "field"),
    [(2, time(14), time(10), "end"), (9, time(10), time(12), "weekday")],
    ids=["end-before-start", "unknown-day"],
)
def test_bad_mobile_stop_is_refused_in_french(actor, weekday, start, end, field):
    """Commitment 3 ter: a stop of the mobile house has a day of the week and hours in order."""
    bus = f.HouseFactory(kind=HouseKind.MOBILE)
    with pytest.raises(DomainError) as exc:
        services.add_stop(
            actor,
            bus,
            place="Salle des fêtes",
            commune=f.commune("19275"),
            weekday=weekday,
            start=start,
            end=end,
        )
    assert field in exc.value.errors
    assert not bus.stops.exists()


def wednesday_stop() -> dict:
    return {
        "place": "Salle des fêtes",
        "commune": f.commune("19275"),
        "weekday": 2,
        "start": time(10),
        "end": time(12),
    }


def test_mobile_stop_is_saved_and_journaled(actor):
    """Commitment 3 ter: the mobile house publishes its stops (place, day, hours)."""
    bus = f.HouseFactory(kind=HouseKind.MOBILE)
    stop = services.add_stop(actor, bus, **wednesday_stop())
    assert list(bus.stops.all()) == [stop]
    assert entries("house.stop_added").get().house_id == bus.pk


def test_fixed_house_has_no_mobile_stops(actor, house):
    """Commitment 3 ter: only the mobile variant of a house has stops."""
    with pytest.raises(DomainError):
        services.add_stop(actor, house, **wednesday_stop())
    assert not house.stops.exists()


# --- status (art. 3.4) ----------------------------------------------------------------------


def test_recognition_by_the_prefect_sets_the_status_and_date(actor):
    """Art. 3.4: a house in project is recognised by the prefect from a date."""
    house = f.HouseFactory(status=HouseStatus.PROJECT, recognised_on=None)
    services.recognise_house(actor, house, date(2026, 2, 1))
    saved = fresh(house)
    assert (saved.status, saved.recognised_on) == (HouseStatus.RECOGNISED, date(2026, 2, 1))
    assert entries("house.recognised").get().house_id == house.pk


def test_closing_a_house_twice_is_refused(actor, house):
    """Art. 10: a closed house stays closed once; closing it again is refused."""
    services.close_house(actor, house, date(2026, 6, 30))
    saved = fresh(house)
    assert (saved.status, saved.closed_on) == (HouseStatus.CLOSED, date(2026, 6, 30))
    with pytest.raises(DomainError) as exc:
        services.close_house(actor, saved, date(2026, 7, 31))
    assert exc.value.message == "Cette maison est déjà fermée."
    assert fresh(house).closed_on == date(2026, 6, 30)
    assert entries("house.closed").count() == 1


def test_a_closed_house_cannot_be_recognised(actor, house):
    """Art. 3.4 and 10: recognition applies to a living house, not a closed one."""
    services.close_house(actor, house, date(2026, 6, 30))
    with pytest.raises(DomainError):
        services.recognise_house(actor, fresh(house), date(2026, 7, 1))
    assert fresh(house).status == HouseStatus.CLOSED


# --- house_flags ----------------------------------------------------------------------------


def test_complete_house_has_no_flag(house):
    """Art. 3.2, 3.3, 6, annex 2: a house meeting every rule (its committee held this year
    included) shows nothing to fix."""
    f.MeetingFactory(house=house)
    assert house_flags(house) == []


def test_house_flags_list_the_missing_minimum_the_hours_and_partners_without_referent():
    """Art. 3.2, 3.3 and annex 2: the manager sees every gap of the house."""
    house = f.HouseFactory(with_defaults=False)
    f.PartnershipFactory(house=house, partner=f.national_partner("msa"))
    f.MeetingFactory(house=house)  # art. 6 met: its own flag is tested in tests/committees
    flags = house_flags(house)
    assert len(flags) == 3
    assert flags[0].startswith(
        "Minimum de l'article 3.3 non atteint : il manque un point d'accueil du public"
    )
    assert "un espace confidentiel" in flags[0]
    assert flags[1].startswith("Horaires : La maison doit ouvrir au moins 24 heures")
    assert flags[2] == "MSA n'a pas de référent en poste (annexe 2)."


def test_house_flags_ignore_equipment_out_of_service(house):
    """Art. 3.3: a broken printer does not count as the printer of the minimum."""
    Equipment.objects.filter(house=house, kind="printer").update(in_service=False)
    f.MeetingFactory(house=house)
    flags = house_flags(house)
    assert flags == [
        "Minimum de l'article 3.3 non atteint : il manque une imprimante et/ou un scanner."
    ]
