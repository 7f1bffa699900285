"""The registers over the API: POST/GET /api/v1/register-items and the status change."""

import json
from datetime import timedelta
from typing import get_args

import pytest
from django.utils import timezone

from msap.api import schemas
from msap.core.errors import StaleVersion
from msap.core.models import JournalEntry
from msap.people.models import ApiToken
from msap.registers.models import (
    Channel,
    ExemptReason,
    Kind,
    PhoneOutcome,
    RegisterItem,
    Status,
)
from tests import factories as f
from tests.registers import PARIS, paris

URL = "/api/v1/register-items"


def bearer(user):
    _obj, token = ApiToken.issue(user, "test")
    return {"Authorization": f"Bearer {token}"}


def post(client, user, url, body):
    return client.post(
        url, data=json.dumps(body), content_type="application/json", headers=bearer(user)
    )


def create(client, user, house, **overrides):
    body = {
        "house": house.pk,
        "kind": "mail_in",
        "received_at": (timezone.now() - timedelta(days=2)).isoformat(),
        "sender_name": "Mme Jeanne Martin",
        "sender_address": "3 rue des Lilas, 19000 Tulle",
        "subject": "Demande d'attestation de paiement",
        "partner": "caf",
    }
    body.update(overrides)
    return post(client, user, URL, body)


def get(client, user, **params):
    return client.get(URL, params, headers=bearer(user))


def change(client, user, item, **body):
    body.setdefault("version", item.version)
    return post(client, user, f"{URL}/{item.pk}/status", body)


def ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["items"]]


def late_item(world, *, days_late=3, house=None, **data):
    """An open email whose one-week deadline passed `days_late` days ago (or so: weekends)."""
    return f.RegisterItemFactory(
        house=house or world.house,
        created_by=world.users.agent,
        kind="email",
        received_at=timezone.now() - timedelta(days=7 + days_late + 3),
        **data,
    )


# --- schema ------------------------------------------------------------------------------------


def test_openapi_schema_lists_create_list_and_status_change(client, db):
    schema = client.get("/api/v1/openapi.json").json()

    items = schema["paths"]["/api/v1/register-items"]
    status = schema["paths"]["/api/v1/register-items/{item_id}/status"]
    assert {"get", "post"} <= set(items) and "post" in status
    assert items["get"]["security"] and items["post"]["security"] and status["post"]["security"]
    filters = {p["name"] for p in items["get"]["parameters"]}
    assert {"kind", "status", "overdue", "date_from", "date_to", "house", "limit"} <= filters
    assert "409" in status["post"]["responses"]
    assert "/register-items" in schema["info"]["description"]


def test_api_codes_are_the_models_choices():
    assert set(get_args(schemas.RegisterKindCode)) == set(Kind.values)
    assert set(get_args(schemas.RegisterChannelCode)) == set(Channel.values)
    assert set(get_args(schemas.RegisterStatusCode)) == set(Status.values)
    assert set(get_args(schemas.ExemptReasonCode)) == set(ExemptReason.values)
    assert set(get_args(schemas.PhoneOutcomeCode)) == set(PhoneOutcome.values)


# --- recording -----------------------------------------------------------------------------------


def test_agent_records_a_letter_with_its_number_and_one_month_deadline(client, one_house):
    response = create(client, one_house.users.agent, one_house.house)

    assert response.status_code == 201, response.content
    out = response.json()
    stored = RegisterItem.objects.get()
    assert out["id"] == stored.pk and out["number"] == 1
    assert out["partner"] == "caf" and stored.partner.code == "caf"
    assert out["due_rule"] == "mail_1_month" and stored.due_at is not None
    assert out["channel"] == "post" and out["status"] == "new" and out["overdue"] is False
    assert out["sender"]["address"] == "3 rue des Lilas, 19000 Tulle"
    assert stored.created_by == one_house.users.agent
    assert JournalEntry.objects.filter(action="register.recorded", target_id=str(stored.pk))


def test_numbers_follow_the_register_order(client, one_house):
    create(client, one_house.users.agent, one_house.house)
    second = create(client, one_house.users.responsable, one_house.house).json()
    email = create(
        client, one_house.users.agent, one_house.house, kind="email", sender_address=""
    ).json()

    assert second["number"] == 2
    assert email["number"] == 1 and email["due_rule"] == "email_1_week"


def test_naive_received_at_is_the_house_local_time(client, one_house):
    response = create(
        client, one_house.users.agent, one_house.house, received_at="2026-01-05T09:30:00"
    )

    assert response.status_code == 201, response.content
    stored = RegisterItem.objects.get()
    assert stored.received_at.astimezone(PARIS).hour == 9
    # Received Monday 5 January: due Thursday 5 February at the end of the day, Paris time.
    assert stored.due_at.astimezone(PARIS).date().isoformat() == "2026-02-05"


def test_complaint_without_postal_address_is_registered_without_deadline(client, one_house):
    response = create(
        client,
        one_house.users.agent,
        one_house.house,
        kind="complaint",
        sender_address="",
        channel="web",
    )

    assert response.status_code == 201, response.content
    assert response.json()["due_at"] is None and response.json()["due_rule"] is None


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"received_at": "2099-01-01T10:00:00+01:00"}, "received_at", "futur"),
        ({"partner": "inconnu"}, "partner", "Partenaire inconnu"),
        ({"sender_email": "pas-une-adresse"}, "sender_email", "Adresse électronique invalide"),
        ({"kind": "phone", "channel": "phone"}, "phone_outcome", "issue de l'appel"),
        ({"phone_outcome": "voicemail"}, "phone_outcome", "registre des appels"),
        ({"subject": "   "}, "subject", "objet"),
    ],
)
def test_bad_item_is_refused_in_french_and_nothing_saved(
    client, one_house, overrides, field, message
):
    response = create(client, one_house.users.agent, one_house.house, **overrides)

    assert response.status_code == 400, response.content
    assert message in response.json()["errors"][field][0]
    assert not RegisterItem.objects.exists()


def test_unknown_kind_is_a_french_422(client, one_house):
    response = create(client, one_house.users.agent, one_house.house, kind="fax")

    assert response.status_code == 422
    assert "choisissez parmi" in response.json()["errors"]["kind"][0]
    assert not RegisterItem.objects.exists()


@pytest.mark.parametrize("role", ["other_agent", "norole"])
def test_recording_in_a_house_one_does_not_see_is_404(client, world, role):
    response = create(client, getattr(world.users, role), world.house)

    assert response.status_code == 404
    assert not RegisterItem.objects.exists()


@pytest.mark.parametrize("role", ["referent_caf", "prefecture", "national"])
def test_recording_by_someone_outside_the_house_staff_is_403(client, world, role):
    response = create(client, getattr(world.users, role), world.house)

    assert response.status_code == 403
    assert not RegisterItem.objects.exists()


def test_gestionnaire_records_in_a_house_of_its_organisation(client, world):
    assert create(client, world.users.gestionnaire, world.house).status_code == 201


def test_recording_without_credentials_is_401(client, one_house):
    response = client.post(URL, data="{}", content_type="application/json")

    assert response.status_code == 401
    assert "Authentification requise" in response.json()["detail"]


# --- listing -----------------------------------------------------------------------------------


def test_agent_lists_the_items_of_their_houses_only_newest_first(client, world):
    old = f.RegisterItemFactory(
        house=world.house,
        received_at=timezone.now() - timedelta(days=9),
    )
    new = f.RegisterItemFactory(house=world.house, kind="email")
    f.RegisterItemFactory(house=world.other, created_by=world.users.other_agent)

    response = get(client, world.users.agent)

    assert ids(response) == [new.pk, old.pk]
    assert response.json()["count"] == 2
    assert response.json()["items"][0]["sender"] is not None


def test_gestionnaire_lists_every_house_of_its_organisation(client, world):
    mine = f.RegisterItemFactory(house=world.house)
    f.RegisterItemFactory(house=world.other, created_by=world.users.other_agent)

    assert ids(get(client, world.users.gestionnaire)) == [mine.pk]


@pytest.mark.parametrize("role", ["prefecture", "national", "referent_caf", "norole"])
def test_overseers_referents_and_roleless_get_403_and_never_a_sender(client, world, role):
    f.RegisterItemFactory(house=world.house, sender_name="Mme Jeanne Martin")

    response = get(client, getattr(world.users, role))

    assert response.status_code == 403
    assert "indicateurs" in response.json()["detail"]
    assert "Jeanne" not in response.content.decode()


@pytest.mark.parametrize("role", ["prefecture", "referent_caf"])
def test_house_filter_by_an_overseer_or_referent_is_403(client, world, role):
    assert get(client, getattr(world.users, role), house=world.house.pk).status_code == 403


def test_house_filter_on_a_house_one_does_not_see_is_404(client, world):
    response = get(client, world.users.agent, house=world.far.pk)

    assert response.status_code == 404
    assert response.json()["detail"] == "Maison introuvable."


def test_admin_lists_the_whole_network(client, world):
    a = f.RegisterItemFactory(house=world.house)
    b = f.RegisterItemFactory(house=world.far, created_by=world.users.admin)

    assert set(ids(get(client, world.users.admin))) == {a.pk, b.pk}


def test_filters_by_kind_status_and_house(client, world):
    mail = f.RegisterItemFactory(house=world.house)
    email = f.RegisterItemFactory(house=world.house, kind="email")
    other_house_mail = f.RegisterItemFactory(house=world.other, created_by=world.users.other_agent)

    assert ids(get(client, world.users.agent, kind="email")) == [email.pk]
    assert ids(get(client, world.users.agent, status="new", kind="mail_in")) == [mail.pk]
    assert ids(get(client, world.users.agent, status="answered")) == []
    assert ids(get(client, world.users.agent, house=world.house.pk)) == [email.pk, mail.pk]
    assert ids(get(client, world.users.admin, house=world.other.pk)) == [other_house_mail.pk]


def test_overdue_filter_lists_late_open_items_oldest_deadline_first(client, one_house):
    later = late_item(one_house, days_late=2)
    earliest = late_item(one_house, days_late=8)
    f.RegisterItemFactory(house=one_house.house, kind="email")  # not late
    answered = late_item(one_house, days_late=5)
    answered.status = Status.ANSWERED
    answered.answered_at = timezone.now()
    answered.save(update_fields=["status", "answered_at"])

    late = get(client, one_house.users.agent, overdue="true")
    not_late = get(client, one_house.users.agent, overdue="false")

    assert ids(late) == [earliest.pk, later.pk]
    assert all(row["overdue"] for row in late.json()["items"])
    assert set(ids(not_late)).isdisjoint(ids(late)) and answered.pk in ids(not_late)


def test_period_filter_uses_the_house_local_days(client, one_house):
    before = f.RegisterItemFactory(
        house=one_house.house,
        received_at=timezone.now() - timedelta(days=20),
    )
    inside = f.RegisterItemFactory(
        house=one_house.house,
        received_at=timezone.now() - timedelta(days=5),
    )
    day = timezone.localdate() - timedelta(days=5)

    response = get(
        client, one_house.users.agent, date_from=day.isoformat(), date_to=day.isoformat()
    )

    assert ids(response) == [inside.pk]
    assert before.pk not in ids(get(client, one_house.users.agent, date_from=day.isoformat()))


def test_period_filter_counts_each_item_in_its_own_house_days_overseas_included(client, one_house):
    # 22:30 on 9 March in Paris is already 01:30 on 10 March in Réunion (UTC+4).
    agent = one_house.users.agent
    reunion = f.overseas_house_of(agent)
    paris_item = f.RegisterItemFactory(
        house=one_house.house, created_by=agent, received_at=paris(2026, 3, 9, 23, 30)
    )
    reunion_item = f.RegisterItemFactory(
        house=reunion, created_by=agent, received_at=paris(2026, 3, 9, 22, 30)
    )

    assert ids(get(client, agent, date_from="2026-03-10", date_to="2026-03-10")) == [
        reunion_item.pk
    ]
    assert ids(get(client, agent, date_to="2026-03-09")) == [paris_item.pk]


def test_reversed_period_is_refused_in_french(client, one_house):
    response = get(client, one_house.users.agent, date_from="2026-03-10", date_to="2026-03-01")

    assert response.status_code == 400
    assert response.json()["errors"]["date_to"] == ["La date de fin précède la date de début."]


def test_list_is_paginated_with_its_total(client, one_house):
    made = [
        f.RegisterItemFactory(
            house=one_house.house,
            received_at=timezone.now() - timedelta(hours=n + 1),
        )
        for n in range(5)
    ]

    first = get(client, one_house.users.agent, limit=2)
    third = get(client, one_house.users.agent, limit=2, offset=4)

    assert ids(first) == [made[0].pk, made[1].pk] and first.json()["count"] == 5
    assert ids(third) == [made[4].pk]
    assert get(client, one_house.users.agent, limit=0).status_code == 422


def test_list_query_count_does_not_grow_with_items(
    client, one_house, django_assert_max_num_queries
):
    for n in range(12):
        f.RegisterItemFactory(
            house=one_house.house,
            partner=f.national_partner("caf"),
            subject=f"n{n}",
        )
    headers = bearer(one_house.users.agent)

    with django_assert_max_num_queries(8):
        response = client.get(URL, headers=headers)

    assert len(ids(response)) == 12


# --- status changes --------------------------------------------------------------------------------


def test_answer_on_substance_within_the_deadline_is_stamped_on_time(client, one_house):
    item = f.RegisterItemFactory(
        house=one_house.house,
        received_at=timezone.now() - timedelta(days=3),
    )

    response = change(client, one_house.users.agent, item, to="answered", answer_text="Attestation")

    assert response.status_code == 200, response.content
    out = response.json()
    assert out["status"] == "answered" and out["on_time"] is True
    assert out["version"] == item.version + 1
    item.refresh_from_db()
    assert item.answered_by == one_house.users.agent and item.answer_text == "Attestation"
    assert JournalEntry.objects.filter(action="register.status", target_id=str(item.pk))


def test_late_answer_is_stamped_not_on_time(client, one_house):
    item = late_item(one_house)

    out = change(client, one_house.users.agent, item, to="redirected").json()

    assert out["status"] == "redirected" and out["on_time"] is False


def test_naive_answered_at_is_the_house_local_time(client, one_house):
    item = f.RegisterItemFactory(
        house=one_house.house,
        received_at=timezone.now() - timedelta(days=3),
    )
    day = (timezone.now() - timedelta(days=1)).astimezone(PARIS).date()

    response = change(
        client, one_house.users.agent, item, to="answered", answered_at=f"{day}T10:00:00"
    )

    assert response.status_code == 200, response.content
    item.refresh_from_db()
    assert item.answered_at.astimezone(PARIS).hour == 10


def test_stale_version_is_409_with_the_french_message_and_nothing_changed(client, one_house):
    item = f.RegisterItemFactory(house=one_house.house)
    stale = item.version
    assert change(client, one_house.users.responsable, item, to="in_progress").status_code == 200

    response = change(client, one_house.users.agent, item, to="answered", version=stale)

    assert response.status_code == 409
    assert response.json()["detail"] == StaleVersion().message
    item.refresh_from_db()
    assert item.status == Status.IN_PROGRESS and item.answered_at is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"to": "exempt"}, "exempt_reason"),
        ({"to": "answered", "exempt_reason": "commercial"}, "exempt_reason"),
        ({"to": "answered", "answered_at": "2020-01-01T10:00:00+01:00"}, "answered_at"),
        ({"to": "answered", "answered_at": "2099-01-01T10:00:00+01:00"}, "answered_at"),
        ({"to": "closed"}, "status"),
    ],
)
def test_bad_status_change_is_refused_in_french_and_nothing_saved(client, one_house, body, field):
    item = f.RegisterItemFactory(
        house=one_house.house,
        received_at=timezone.now() - timedelta(days=3),
    )

    response = change(client, one_house.users.agent, item, **body)

    assert response.status_code == 400, response.content
    assert response.json()["errors"][field]
    fresh = RegisterItem.objects.get(pk=item.pk)
    assert (fresh.status, fresh.version, fresh.answered_at) == (Status.NEW, item.version, None)


def test_exempt_with_a_charter_reason_is_recorded(client, one_house):
    item = f.RegisterItemFactory(house=one_house.house, kind="email")

    out = change(
        client,
        one_house.users.agent,
        item,
        to="exempt",
        exempt_reason="commercial",
        exempt_note="Pub",
    ).json()

    assert out["status"] == "exempt" and out["exempt_reason"] == "commercial"
    assert out["exempt_note"] == "Pub"


def test_unknown_status_is_a_french_422(client, one_house):
    item = f.RegisterItemFactory(house=one_house.house)

    response = change(client, one_house.users.agent, item, to="perdu")

    assert response.status_code == 422
    assert "choisissez parmi" in response.json()["errors"]["to"][0]


def test_missing_version_is_a_french_422(client, one_house):
    item = f.RegisterItemFactory(house=one_house.house)

    response = post(client, one_house.users.agent, f"{URL}/{item.pk}/status", {"to": "in_progress"})

    assert response.status_code == 422
    assert response.json()["errors"]["version"] == ["Ce paramètre est obligatoire."]


@pytest.mark.parametrize(("role", "code"), [("other_agent", 404), ("norole", 404)])
def test_status_change_on_an_item_of_an_unseen_house_is_404(client, world, role, code):
    item = f.RegisterItemFactory(house=world.house)

    response = change(client, getattr(world.users, role), item, to="in_progress")

    assert response.status_code == code
    assert RegisterItem.objects.get(pk=item.pk).status == Status.NEW


@pytest.mark.parametrize("role", ["referent_caf", "prefecture", "national"])
def test_status_change_by_someone_outside_the_house_staff_is_403(client, world, role):
    item = f.RegisterItemFactory(house=world.house)

    response = change(client, getattr(world.users, role), item, to="in_progress")

    assert response.status_code == 403
    assert RegisterItem.objects.get(pk=item.pk).status == Status.NEW


def test_status_change_on_an_unknown_item_is_404(client, one_house):
    response = post(
        client, one_house.users.agent, f"{URL}/999999/status", {"to": "in_progress", "version": 1}
    )

    assert response.status_code == 404
    assert response.json()["detail"] == "Élément de registre introuvable."
