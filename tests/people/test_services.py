"""Staff of a house and their trainings (art. 3.5, 4.2; charter of the MSP: staff training recorded)."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from msap.core.errors import DomainError
from msap.core.models import JournalEntry
from msap.people import services
from msap.people.models import Membership, Role, Training, User
from tests import factories as f

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def actor():
    return f.UserFactory(email="responsable.equipe@test.fr")


@pytest.fixture
def house():
    return f.HouseFactory()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def entries(action):
    return JournalEntry.objects.filter(action=action)


def member(actor, house, email="agent.nouveau@test.fr", role=Role.AGENT, **kwargs) -> Membership:
    return services.add_house_member(actor, house, email=email, role=role, **kwargs)


# --- memberships ----------------------------------------------------------------------------


def test_adding_a_member_creates_their_account_with_a_lowercased_email(actor, house):
    """Login by email: a new member gets an account whose email is stored lowercased."""
    membership = member(
        actor,
        house,
        email="  Jeanne.Dupont@Mairie-Tulle.FR ",
        first_name=" Jeanne ",
        last_name="Dupont",
    )
    user = membership.user
    assert user.email == "jeanne.dupont@mairie-tulle.fr"
    assert (user.first_name, user.last_name) == ("Jeanne", "Dupont")
    assert not user.has_usable_password()  # they choose theirs through password reset
    assert (membership.role, membership.house, membership.ended_on) == (Role.AGENT, house, None)
    entry = entries("membership.added").get()
    assert entry.house_id == house.pk and entry.actor == actor


def test_adding_an_existing_person_reuses_their_account(actor, house):
    """Login by email: one person, one account, whatever the case of the email typed."""
    existing = f.UserFactory(email="marie.roux@test.fr")
    membership = member(actor, house, email="MARIE.ROUX@test.fr", role=Role.RESPONSABLE)
    assert membership.user == existing
    assert User.objects.filter(email__iexact="marie.roux@test.fr").count() == 1


def test_same_current_role_twice_is_refused_and_nothing_saved(actor, house):
    """Roles: a person holds a role in a house once at a time; a duplicate is refused in French."""
    member(actor, house)
    with pytest.raises(DomainError) as exc:
        member(actor, house, email="AGENT.nouveau@test.fr")
    assert "déjà" in exc.value.message
    assert exc.value.errors["email"] == ["Cette personne a déjà ce rôle dans la maison."]
    assert Membership.objects.filter(house=house).count() == 1
    assert entries("membership.added").count() == 1


def test_the_same_person_may_hold_the_other_house_role(actor, house):
    """Roles: an agent may also be named responsable of the same house."""
    member(actor, house)
    member(actor, house, role=Role.RESPONSABLE)
    assert Membership.objects.current().filter(house=house).count() == 2


@pytest.mark.parametrize(
    ("email", "role", "field"),
    [
        ("", Role.AGENT, "email"),
        ("pas-une-adresse", Role.AGENT, "email"),
        ("x@test.fr", Role.NATIONAL, "role"),
    ],
    ids=["no-email", "invalid-email", "not-a-house-role"],
)
def test_bad_member_input_is_refused_and_nothing_saved(actor, house, email, role, field):
    """Every bad input gets a French message and creates no account nor role."""
    users = User.objects.count()
    with pytest.raises(DomainError) as exc:
        member(actor, house, email=email, role=role)
    assert field in exc.value.errors
    assert User.objects.count() == users
    assert not Membership.objects.filter(house=house).exists()


def test_ending_a_membership_keeps_the_row_as_history(actor, house):
    """MSP charter: the history of who worked where is kept; leaving ends the role, never deletes it."""
    membership = member(actor, house, started_on=date(2025, 1, 6))
    services.end_membership(actor, membership, on=date(2025, 12, 31))
    membership.refresh_from_db()
    assert membership.ended_on == date(2025, 12, 31)
    assert not Membership.objects.current().filter(pk=membership.pk).exists()
    assert entries("membership.ended").get().house_id == house.pk


def test_ending_a_membership_twice_is_refused(actor, house):
    """Roles: a role ends once; the first end date stays."""
    membership = member(actor, house, started_on=date(2025, 1, 6))
    services.end_membership(actor, membership, on=date(2025, 12, 31))
    with pytest.raises(DomainError) as exc:
        services.end_membership(actor, membership, on=date(2026, 1, 31))
    assert exc.value.message == "Ce rôle est déjà terminé."
    membership.refresh_from_db()
    assert membership.ended_on == date(2025, 12, 31)
    assert entries("membership.ended").count() == 1


def test_ending_a_membership_before_it_started_is_refused(actor, house):
    """Roles: a departure date comes after the arrival."""
    membership = member(actor, house, started_on=date(2025, 1, 6))
    with pytest.raises(DomainError):
        services.end_membership(actor, membership, on=date(2024, 12, 31))
    membership.refresh_from_db()
    assert membership.ended_on is None


def test_a_former_member_may_join_again(actor, house):
    """Roles: once the old role is ended, the person may be named again (a new row)."""
    first = member(actor, house, started_on=date(2024, 1, 8))
    services.end_membership(actor, first, on=date(2024, 12, 31))
    again = member(actor, house, started_on=date(2026, 1, 5))
    assert again.pk != first.pk
    assert Membership.objects.filter(house=house, user=first.user).count() == 2


def test_agent_role_without_a_house_is_refused_by_the_database():
    """Roles: an agent's role is scoped to a house; the database refuses one without."""
    user = f.UserFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            user=user, role=Role.AGENT, house=None, started_on=date(2025, 1, 6)
        )
    assert not Membership.objects.filter(user=user).exists()


def test_national_role_with_a_house_is_refused_by_the_database(house):
    """Roles: the national cell covers the whole network, never one house."""
    user = f.UserFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            user=user, role=Role.NATIONAL, house=house, started_on=date(2025, 1, 6)
        )


# --- trainings (art. 4.2) -------------------------------------------------------------------


def training_data(user, **overrides):
    data = {
        "user": user,
        "title": "Offre de services de la CAF",
        "kind": "initial",
        "started_on": date(2025, 2, 3),
        "ended_on": date(2025, 2, 4),
        "partner": f.national_partner("caf"),
        "hours": 14,
    }
    return {**data, **overrides}


def test_training_of_a_member_is_recorded_with_its_attestation(actor, house, media):
    """Art. 4.2 and charter evidence: a partner's training is recorded with its attestation."""
    user = member(actor, house).user
    upload = SimpleUploadedFile("attestation.pdf", PDF, content_type="application/pdf")
    training = services.add_training(actor, house, **training_data(user), attestation=upload)
    training.refresh_from_db()
    assert training.title == "Offre de services de la CAF"
    assert training.attestation.name.startswith(f"attestations/{user.pk}/")
    assert training.attestation.name.endswith(".pdf")
    assert (media / training.attestation.name).read_bytes() == PDF
    assert entries("training.added").get().house_id == house.pk


def test_training_ending_before_it_starts_is_refused(actor, house):
    """Art. 4.2: a training's end date comes after its start; nothing is saved otherwise."""
    user = member(actor, house).user
    with pytest.raises(DomainError) as exc:
        services.add_training(actor, house, **training_data(user, ended_on=date(2025, 2, 1)))
    assert exc.value.errors["ended_on"] == ["La date de fin doit être après la date de début."]
    assert not Training.objects.exists()


def test_training_of_someone_outside_the_team_is_refused(actor, house):
    """Art. 4.2: a house records the trainings of its own staff only."""
    outsider = f.UserFactory()
    other_house = f.HouseFactory()
    f.MembershipFactory(user=outsider, role=Role.AGENT, house=other_house)
    with pytest.raises(DomainError) as exc:
        services.add_training(actor, house, **training_data(outsider))
    assert "user" in exc.value.errors
    assert not Training.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [({"title": "  "}, "title"), ({"kind": "stage"}, "kind"), ({"hours": -2}, "hours")],
    ids=["no-title", "unknown-kind", "negative-hours"],
)
def test_bad_training_input_is_refused_in_french(actor, house, overrides, field):
    """Art. 4.2: every bad input gets a French message and nothing is saved."""
    user = member(actor, house).user
    with pytest.raises(DomainError) as exc:
        services.add_training(actor, house, **training_data(user, **overrides))
    assert field in exc.value.errors
    assert not Training.objects.exists()


def test_attestation_of_the_wrong_type_is_refused(actor, house, media):
    """Uploads: an attestation is a PDF, PNG or JPEG by its content, whatever its name says."""
    user = member(actor, house).user
    upload = SimpleUploadedFile(
        "attestation.pdf", b"MZ\x90\x00 not a pdf at all", content_type="application/pdf"
    )
    with pytest.raises(DomainError) as exc:
        services.add_training(actor, house, **training_data(user), attestation=upload)
    assert exc.value.errors["attestation"] == [
        "Type de fichier refusé : seuls les fichiers PDF, PNG, JPEG sont acceptés."
    ]
    assert not Training.objects.exists()
    assert not any(media.rglob("*.*"))


def test_attestation_too_large_is_refused(actor, house, media, settings):
    """Uploads: an attestation over the size limit is refused with the limit in the message."""
    settings.MSAP_MAX_UPLOAD_BYTES = 1024 * 1024
    user = member(actor, house).user
    upload = SimpleUploadedFile(
        "attestation.pdf", PDF + b"0" * (1024 * 1024), content_type="application/pdf"
    )
    with pytest.raises(DomainError) as exc:
        services.add_training(actor, house, **training_data(user), attestation=upload)
    assert "trop volumineux" in exc.value.message
    assert "1 Mo au maximum" in exc.value.message
    assert not Training.objects.exists()
    assert not any(media.rglob("*.*"))


def test_removing_a_training_deletes_its_attestation_and_is_journaled(actor, house, media):
    """Art. 4.2: a training recorded by mistake can be removed, its file with it, with history."""
    user = member(actor, house).user
    upload = SimpleUploadedFile(
        "attestation.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, content_type="image/png"
    )
    training = services.add_training(actor, house, **training_data(user), attestation=upload)
    path = media / training.attestation.name
    assert path.exists()
    services.remove_training(actor, training)
    assert not Training.objects.exists()
    assert not path.exists()
    assert entries("training.removed").get().house_id == house.pk
