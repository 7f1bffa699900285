"""Weekly hours (art. 3.2) with the live check, exceptional closures and mobile stops."""

import html
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from msap.core.models import JournalEntry
from msap.network import rules
from msap.network.models import Closure, HoursChange, House, HouseKind, MobileStop, OpeningRange
from tests import factories as f

PARIS = ZoneInfo("Europe/Paris")


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def schedule_post(house, days: dict[int, list[tuple[str, str]]], version=None) -> dict:
    """The hours form as a browser posts it: three empty-or-filled slots for each day."""
    data = {"version": house.version if version is None else version}
    for day in range(7):
        for slot in range(3):
            start, end = days.get(day, [])[slot] if slot < len(days.get(day, [])) else ("", "")
            data[f"d{day}_{slot}_start"] = start
            data[f"d{day}_{slot}_end"] = end
    return data


def stored_ranges(house) -> list[tuple]:
    return list(
        OpeningRange.objects.filter(house=house)
        .order_by("weekday", "start")
        .values_list("weekday", "start", "end")
    )


# Monday to Thursday 9:00-12:00 and 14:00-17:00: 24 h over 4 days.
VALID_WEEK = {day: [("09:00", "12:00"), ("14:00", "17:00")] for day in range(4)}


# --- weekly schedule ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["agent", "responsable", "referent_caf", "prefecture", "national"])
def test_hours_page_visible_to_every_viewer(client, world, role):
    client.force_login(getattr(world.users, role))
    response = client.get(reverse("house_hours", args=[world.house.pk]))
    assert response.status_code == 200
    assert "27 h 30 sur 5 jours" in page_text(response)
    assert "Conforme à l'article 3.2 : au moins 24 h sur au moins 3 jours" in page_text(response)


def test_hours_form_only_for_managers(client, world):
    url = reverse("house_hours", args=[world.house.pk])
    client.force_login(world.users.responsable)
    assert 'name="d0_0_start"' in page_text(client.get(url))
    client.force_login(world.users.agent)
    text = page_text(client.get(url))
    assert 'name="d0_0_start"' not in text
    assert "9 h 00 – 12 h 00, 14 h 00 – 16 h 30" in text


def test_hours_of_an_unseen_house_are_not_found(client, world):
    client.force_login(world.users.other_agent)
    assert client.get(reverse("house_hours", args=[world.house.pk])).status_code == 404


def test_agent_may_not_change_hours(client, one_house):
    before = stored_ranges(one_house.house)
    client.force_login(one_house.users.agent)
    response = client.post(
        reverse("house_hours", args=[one_house.house.pk]),
        schedule_post(one_house.house, VALID_WEEK),
    )
    assert response.status_code == 403
    assert stored_ranges(one_house.house) == before


def test_schedule_under_24_hours_is_refused_and_nothing_saved(client, one_house):
    before = stored_ranges(one_house.house)
    client.force_login(one_house.users.responsable)
    week = {day: [("09:00", "13:00")] for day in range(5)}  # 20 h
    response = client.post(
        reverse("house_hours", args=[one_house.house.pk]), schedule_post(one_house.house, week)
    )
    assert response.status_code == 200
    assert (
        "La maison doit ouvrir au moins 24 heures par semaine (article 3.2 de la convention) : "
        "20 h prévues, il manque 4 h."
    ) in page_text(response)
    assert stored_ranges(one_house.house) == before
    assert not HoursChange.objects.exists()
    assert 'value="13:00"' in page_text(response)  # the user's input is kept


@pytest.mark.parametrize(
    ("week", "refusal"),
    [
        pytest.param(
            {
                0: [("08:00", "12:00"), ("13:00", "21:00")],
                1: [("08:00", "12:00"), ("13:00", "21:00")],
            },  # 24 h, 2 days
            "La maison doit ouvrir au moins 3 jours par semaine (article 3.2 de la convention) : "
            "2 jours prévus.",
            id="over two days",
        ),
        pytest.param(
            {**VALID_WEEK, 0: [("09:00", "12:00"), ("11:00", "17:00")]},
            "Lundi : les plages 09:00–12:00 et 11:00–17:00 se chevauchent.",
            id="overlapping ranges",
        ),
        pytest.param(
            {**VALID_WEEK, 4: [("17:00", "14:00")]},
            "Vendredi : l'heure de fin (14:00) doit être après l'heure de début (17:00).",
            id="end before start",
        ),
    ],
)
def test_a_refused_schedule_says_why_and_is_not_saved(client, one_house, week, refusal):
    before = stored_ranges(one_house.house)
    client.force_login(one_house.users.responsable)
    response = client.post(
        reverse("house_hours", args=[one_house.house.pk]), schedule_post(one_house.house, week)
    )
    assert refusal in page_text(response)
    assert stored_ranges(one_house.house) == before


def test_bad_time_string_is_refused_in_french(client, one_house):
    before = stored_ranges(one_house.house)
    client.force_login(one_house.users.responsable)
    data = schedule_post(one_house.house, VALID_WEEK)
    data["d0_0_start"] = "25:99"
    response = client.post(reverse("house_hours", args=[one_house.house.pk]), data)
    assert response.status_code == 200
    text = page_text(response)
    assert "Saisissez une heure valide, par exemple 09:00." in text
    assert 'aria-describedby="id_d0_0_start_error"' in text
    assert stored_ranges(one_house.house) == before


def test_half_filled_range_is_refused(client, one_house):
    client.force_login(one_house.users.responsable)
    data = schedule_post(one_house.house, VALID_WEEK)
    data["d5_0_start"] = "09:00"
    response = client.post(reverse("house_hours", args=[one_house.house.pk]), data)
    assert "Indiquez l'heure de fermeture de cette plage." in page_text(response)
    assert not HoursChange.objects.exists()


def test_valid_schedule_is_saved_with_a_substantial_hours_change(client, one_house):
    client.force_login(one_house.users.responsable)
    response = client.post(
        reverse("house_hours", args=[one_house.house.pk]),
        schedule_post(one_house.house, VALID_WEEK),
    )
    assert response.status_code == 302
    assert len(stored_ranges(one_house.house)) == 8
    change = HoursChange.objects.get(house=one_house.house)
    assert change.changed_by == one_house.users.responsable
    assert change.weekly_minutes_before == 27 * 60 + 30
    assert change.weekly_minutes_after == 24 * 60
    assert change.substantial  # Friday is no longer open
    assert House.objects.get(pk=one_house.house.pk).version == one_house.house.version + 1
    page = page_text(client.get(response.url))
    assert "Cette modification est substantielle" in page
    assert "substantielle" in page and "27 h 30" in page and "24 h" in page
    assert JournalEntry.objects.filter(house_id=one_house.house.pk, action="house.hours").exists()


def test_minor_change_is_not_substantial(client, one_house):
    client.force_login(one_house.users.responsable)
    week = {day: [("09:00", "12:00"), ("14:00", "16:30")] for day in range(5)}
    week[0] = [("09:00", "12:00"), ("14:00", "16:45")]
    client.post(
        reverse("house_hours", args=[one_house.house.pk]), schedule_post(one_house.house, week)
    )
    change = HoursChange.objects.get(house=one_house.house)
    assert not change.substantial


def test_stale_version_of_hours_is_refused(client, one_house):
    before = stored_ranges(one_house.house)
    client.force_login(one_house.users.responsable)
    data = schedule_post(one_house.house, VALID_WEEK, version=one_house.house.version)
    House.objects.filter(pk=one_house.house.pk).update(version=one_house.house.version + 1)
    response = client.post(reverse("house_hours", args=[one_house.house.pk]), data)
    assert "modifiée par quelqu'un d'autre" in page_text(response)
    assert stored_ranges(one_house.house) == before


def test_live_check_returns_the_fragment_and_saves_nothing(client, one_house):
    before = stored_ranges(one_house.house)
    client.force_login(one_house.users.responsable)
    url = reverse("house_hours_check", args=[one_house.house.pk])
    response = client.post(
        url, schedule_post(one_house.house, VALID_WEEK), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    text = page_text(response)
    assert "<html" not in text
    assert "24 h sur 4 jours" in text
    assert "Conforme à l'article 3.2" in text
    short = client.post(url, schedule_post(one_house.house, {0: [("09:00", "12:00")]}))
    assert "il manque 21 h" in page_text(short)
    assert "3 h sur 1 jour" in page_text(short)
    bad = client.post(url, {**schedule_post(one_house.house, VALID_WEEK), "d2_1_end": "25:99"})
    assert "Mercredi, plage 2 : fermeture : Saisissez une heure valide" in page_text(bad)
    assert stored_ranges(one_house.house) == before
    assert not HoursChange.objects.exists()


def test_hours_form_triggers_the_live_check(client, one_house):
    client.force_login(one_house.users.responsable)
    text = page_text(client.get(reverse("house_hours", args=[one_house.house.pk])))
    assert f'hx-post="{reverse("house_hours_check", args=[one_house.house.pk])}"' in text
    assert 'id="hours-check" aria-live="polite"' in text


def test_live_check_of_an_unseen_house_is_not_found(client, world):
    client.force_login(world.users.other_agent)
    response = client.post(
        reverse("house_hours_check", args=[world.house.pk]), schedule_post(world.house, VALID_WEEK)
    )
    assert response.status_code == 404


# --- exceptional closures -----------------------------------------------------------------------


@time_machine.travel(datetime(2025, 11, 24, 10, 0, tzinfo=PARIS), tick=False)
def test_closures_page_lists_upcoming_public_holidays(client, one_house):
    client.force_login(one_house.users.agent)
    response = client.get(reverse("house_closures", args=[one_house.house.pk]))
    assert response.status_code == 200
    text = page_text(response)
    assert "jeudi 25 décembre 2025 : Noël" in text
    assert "Ajouter la fermeture" not in text  # read-only for agents


def test_closures_of_an_unseen_house_are_not_found(client, world):
    client.force_login(world.users.referent_msa)
    assert client.get(reverse("house_closures", args=[world.house.pk])).status_code == 404


@time_machine.travel(datetime(2025, 11, 24, 10, 0, tzinfo=PARIS), tick=False)
def test_responsable_adds_and_deletes_a_closure(client, one_house):
    client.force_login(one_house.users.responsable)
    url = reverse("house_closures", args=[one_house.house.pk])
    response = client.post(
        url,
        {"start_date": "2025-12-26", "end_date": "2025-12-31", "reason": "Congés de fin d'année"},
    )
    assert response.status_code == 302
    closure = Closure.objects.get(house=one_house.house)
    assert (closure.start_date, closure.end_date) == (date(2025, 12, 26), date(2025, 12, 31))
    text = page_text(client.get(url))
    assert "La fermeture exceptionnelle a été enregistrée." in text
    assert "vendredi 26 décembre 2025" in text and "Congés de fin d'année" in text
    response = client.post(reverse("closure_delete", args=[one_house.house.pk, closure.pk]))
    assert response.status_code == 302
    assert not Closure.objects.exists()
    assert JournalEntry.objects.filter(action="house.closure_removed").exists()


def test_closure_ending_before_it_starts_is_refused(client, one_house):
    client.force_login(one_house.users.responsable)
    response = client.post(
        reverse("house_closures", args=[one_house.house.pk]),
        {"start_date": "2025-12-31", "end_date": "2025-12-26", "reason": "Travaux"},
    )
    assert response.status_code == 200
    assert "La date de fin doit être après la date de début." in page_text(response)
    assert not Closure.objects.exists()


def test_agent_may_not_add_or_delete_closures(client, one_house):
    closure = f.ClosureFactory(house=one_house.house, reason="Inventaire")
    client.force_login(one_house.users.agent)
    response = client.post(
        reverse("house_closures", args=[one_house.house.pk]),
        {"start_date": "2030-02-01", "end_date": "2030-02-02", "reason": "Travaux"},
    )
    assert response.status_code == 403
    assert (
        client.post(reverse("closure_delete", args=[one_house.house.pk, closure.pk])).status_code
        == 403
    )
    assert list(Closure.objects.all()) == [closure]


def test_closure_delete_is_scoped_to_its_house_and_a_get_only_asks(client, world):
    closure = f.ClosureFactory(house=world.other, reason="Inventaire")
    client.force_login(world.users.responsable)
    # A closure of another house is not found from this one, to ask or to delete.
    assert (
        client.get(reverse("closure_delete", args=[world.house.pk, closure.pk])).status_code == 404
    )
    assert (
        client.post(reverse("closure_delete", args=[world.house.pk, closure.pk])).status_code == 404
    )
    assert Closure.objects.filter(pk=closure.pk).exists()


# --- mobile stops -------------------------------------------------------------------------------


@pytest.fixture
def mobile_house(one_house):
    House.objects.filter(pk=one_house.house.pk).update(kind=HouseKind.MOBILE)
    one_house.house.refresh_from_db()
    return one_house.house


def test_responsable_adds_and_removes_a_stop_of_a_mobile_house(client, world, mobile_house):
    client.force_login(world.users.responsable)
    url = reverse("house_stops", args=[mobile_house.pk])
    response = client.post(
        url,
        {
            "place": "Parking de la mairie",
            "commune": "Ussel (19)",
            "weekday": "2",
            "start": "09:30",
            "end": "12:00",
        },
    )
    assert response.status_code == 302
    stop = MobileStop.objects.get(house=mobile_house)
    assert (stop.commune_id, stop.weekday, stop.start, stop.end) == (
        "19275",
        2,
        time(9, 30),
        time(12),
    )
    text = page_text(client.get(url))
    assert "Mercredi" in text and "9 h 30 – 12 h 00" in text and "Parking de la mairie" in text
    assert client.post(reverse("stop_delete", args=[mobile_house.pk, stop.pk])).status_code == 302
    assert not MobileStop.objects.exists()


def test_ambiguous_commune_name_asks_for_the_insee_code(client, world, mobile_house):
    client.force_login(world.users.responsable)
    response = client.post(
        reverse("house_stops", args=[mobile_house.pk]),
        {"place": "Place", "commune": "Ussel", "weekday": "1", "start": "09:00", "end": "10:00"},
    )
    text = page_text(response)
    assert "Plusieurs communes s'appellent « Ussel »" in text
    assert "19275 — Ussel (19)" in text
    assert not MobileStop.objects.exists()


def test_stop_ending_before_it_starts_is_refused(client, one_house, mobile_house):
    client.force_login(one_house.users.responsable)
    response = client.post(
        reverse("house_stops", args=[mobile_house.pk]),
        {
            "place": "Place du marché",
            "commune": "19272",
            "weekday": "1",
            "start": "14:00",
            "end": "10:00",
        },
    )
    assert response.status_code == 200
    assert "L'heure de fin doit être après l'heure de début." in page_text(response)
    assert not MobileStop.objects.exists()


def test_fixed_house_has_no_stops_to_add(client, one_house):
    client.force_login(one_house.users.responsable)
    url = reverse("house_stops", args=[one_house.house.pk])
    text = page_text(client.get(url))
    assert "Cette maison est une maison fixe" in text
    assert "Ajouter l'étape" not in text
    response = client.post(
        url,
        {"place": "Place", "commune": "19272", "weekday": "1", "start": "09:00", "end": "10:00"},
    )
    assert response.status_code == 302
    assert not MobileStop.objects.exists()


def test_agent_sees_stops_but_may_not_add(client, one_house, mobile_house):
    client.force_login(one_house.users.agent)
    url = reverse("house_stops", args=[mobile_house.pk])
    assert "Ajouter l'étape" not in page_text(client.get(url))
    response = client.post(
        url,
        {"place": "Place", "commune": "19272", "weekday": "1", "start": "09:00", "end": "10:00"},
    )
    assert response.status_code == 403


def test_stops_of_an_unseen_house_are_not_found(client, world, mobile_house):
    client.force_login(world.users.other_agent)
    assert client.get(reverse("house_stops", args=[mobile_house.pk])).status_code == 404


def test_hours_page_states_the_minimum_of_the_rule_constants(client, one_house, monkeypatch):
    """Art. 3.2: the minimum shown on the page is network.rules', never a figure typed in."""
    monkeypatch.setattr(rules, "MIN_WEEKLY_MINUTES", 20 * 60)
    monkeypatch.setattr(rules, "MIN_WEEKLY_HOURS", 20)
    monkeypatch.setattr(rules, "MIN_OPEN_DAYS", 2)
    client.force_login(one_house.users.agent)
    page = page_text(client.get(reverse("house_hours", args=[one_house.house.pk])))
    assert "au moins 20 heures par semaine sur au moins 2 jours" in page
    assert "Conforme à l'article 3.2 : au moins 20 h sur au moins 2 jours" in page
