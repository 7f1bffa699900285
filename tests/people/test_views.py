"""Team and trainings screens: history kept, attestations checked by content and served privately."""

from datetime import date
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from msap.people.models import Membership, Role, Training, User
from tests import factories as f

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private"
    return settings.MEDIA_ROOT


def staff_url(world):
    return reverse("house_staff", args=[world.house.pk])


def training_payload(world, **overrides):
    data = {
        "training-user": world.users.agent.pk,
        "training-title": "Offre de la CAF : prestations familiales",
        "training-kind": "initial",
        "training-partner": f.national_partner("caf").pk,
        "training-given_by": "",
        "training-started_on": "2025-02-03",
        "training-ended_on": "2025-02-04",
        "training-hours": "12",
    }
    data.update(overrides)
    return data


def add_training(client, world, attestation=None, **overrides):
    data = training_payload(world, **overrides)
    if attestation is not None:
        data["training-attestation"] = attestation
    return client.post(reverse("training_add", args=[world.house.pk]), data)


def add_member(client, world, email, first_name="A", last_name="B"):
    """The team page's "add a member" form, for an agent from 3 March 2025."""
    data = {"email": email, "first_name": first_name, "last_name": last_name, "role": "agent"}
    data["started_on"] = "2025-03-03"
    return client.post(
        reverse("member_add", args=[world.house.pk]),
        {f"member-{field}": value for field, value in data.items()},
    )


def text(response) -> str:
    """The page as the user reads it (entities such as &#x27; decoded)."""
    return unescape(response.content.decode())


# --- the team page --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role", ["agent", "responsable", "gestionnaire", "prefecture", "national", "admin"]
)
def test_team_page_is_visible_to_staff_and_overseers(client, world, role):
    client.force_login(getattr(world.users, role))
    response = client.get(staff_url(world))
    assert response.status_code == 200
    html = text(response)
    assert world.users.agent.get_full_name() in html
    assert "Agent d'accueil" in html


def test_team_page_is_forbidden_to_a_partner_referent(client, world):
    client.force_login(world.users.referent_caf)
    assert client.get(staff_url(world)).status_code == 403


@pytest.mark.parametrize("role", ["other_agent", "referent_msa", "norole"])
def test_team_page_of_an_unseen_house_is_404(client, world, role):
    client.force_login(getattr(world.users, role))
    assert client.get(staff_url(world)).status_code == 404


def test_only_managers_see_the_team_forms(client, world):
    client.force_login(world.users.agent)
    assert "Ajouter un membre de l'équipe" not in text(client.get(staff_url(world)))
    client.force_login(world.users.responsable)
    assert "Ajouter un membre de l'équipe" in text(client.get(staff_url(world)))


def test_manager_adds_a_member_and_the_account_is_created(client, one_house):
    client.force_login(one_house.users.responsable)
    response = add_member(client, one_house, "Nouvelle.Agente@Tulle.fr", "Léa", "Roux")
    assert response.status_code == 302
    user = User.objects.get(email="nouvelle.agente@tulle.fr")
    membership = Membership.objects.get(user=user, house=one_house.house)
    assert membership.role == Role.AGENT
    assert membership.started_on == date(2025, 3, 3)
    assert "Léa Roux" in text(client.get(staff_url(one_house)))


def test_adding_someone_already_in_the_team_is_refused_and_nothing_saved(client, one_house):
    client.force_login(one_house.users.responsable)
    before = Membership.objects.count()
    response = add_member(client, one_house, one_house.users.agent.email)
    assert response.status_code == 200
    assert "a déjà ce rôle dans la maison" in text(response)
    assert Membership.objects.count() == before


def test_member_with_an_invalid_email_is_refused_in_french(client, one_house):
    client.force_login(one_house.users.responsable)
    before = User.objects.count()
    response = add_member(client, one_house, "pas-une-adresse")
    assert "Saisissez une adresse de courriel valide" in text(response)
    assert User.objects.count() == before


@pytest.mark.parametrize("role", ["agent", "prefecture", "national"])
def test_only_managers_add_a_member(client, world, role):
    client.force_login(getattr(world.users, role))
    response = add_member(client, world, "x@tulle.fr", "X", "Y")
    assert response.status_code == 403
    assert not User.objects.filter(email="x@tulle.fr").exists()


def test_ending_a_membership_keeps_the_row_as_history(client, one_house):
    client.force_login(one_house.users.responsable)
    membership = Membership.objects.get(user=one_house.users.agent, house=one_house.house)
    response = client.post(
        reverse("member_end", args=[one_house.house.pk, membership.pk]), {"ended_on": "2025-05-31"}
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.ended_on == date(2025, 5, 31)
    html = text(client.get(staff_url(one_house)))
    assert "Anciens membres de l'équipe (historique)" in html
    assert "31/05/2025" in html


def test_ending_a_membership_before_it_started_is_refused(client, one_house):
    client.force_login(one_house.users.responsable)
    membership = Membership.objects.get(user=one_house.users.agent, house=one_house.house)
    response = client.post(
        reverse("member_end", args=[one_house.house.pk, membership.pk]),
        {"ended_on": "2020-01-01"},
        follow=True,
    )
    assert "La date de départ doit être après la date d'arrivée." in text(response)
    membership.refresh_from_db()
    assert membership.ended_on is None


@pytest.mark.parametrize(
    "actor, member, of_house, status",
    [("responsable", "other_agent", "other", 404), ("agent", "responsable", "house", 403)],
    ids=["a member of another house", "by a non-manager"],
)
def test_only_the_house_s_managers_end_one_of_its_memberships(
    client, world, actor, member, of_house, status
):
    """A house's managers run its team (art. 3.1): elsewhere 404, without the right 403."""
    client.force_login(getattr(world.users, actor))
    membership = Membership.objects.get(
        user=getattr(world.users, member), house=getattr(world, of_house)
    )
    response = client.post(
        reverse("member_end", args=[world.house.pk, membership.pk]), {"ended_on": "2025-05-31"}
    )
    assert response.status_code == status
    membership.refresh_from_db()
    assert membership.ended_on is None


# --- trainings and attestations -------------------------------------------------------------------


def test_training_with_a_pdf_attestation_is_recorded_and_downloaded_back(
    client, one_house, private_media
):
    client.force_login(one_house.users.responsable)
    response = add_training(
        client,
        one_house,
        SimpleUploadedFile("attestation.pdf", PDF, content_type="application/pdf"),
    )
    assert response.status_code == 302
    training = Training.objects.get(house=one_house.house)
    assert training.attestation.name.startswith("attestations/")
    assert (private_media / training.attestation.name).read_bytes() == PDF

    html = text(client.get(staff_url(one_house)))
    assert "Offre de la CAF : prestations familiales" in html

    download = client.get(reverse("training_attestation", args=[one_house.house.pk, training.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"


def test_overseer_downloads_an_attestation(client, world):
    client.force_login(world.users.responsable)
    add_training(client, world, SimpleUploadedFile("attestation.pdf", PDF))
    training = Training.objects.get(house=world.house)
    client.force_login(world.users.prefecture)
    response = client.get(reverse("training_attestation", args=[world.house.pk, training.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF


@pytest.mark.parametrize(
    "name, content",
    [
        (
            "attestation.pdf",
            b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64,
        ),
        ("attestation.pdf", b"Ceci est un simple fichier texte, pas un PDF.\n"),
    ],
    ids=["renamed-exe", "text-file"],
)
def test_attestation_that_is_not_a_pdf_or_image_is_refused_and_nothing_saved(
    client, one_house, private_media, name, content
):
    client.force_login(one_house.users.responsable)
    response = add_training(
        client, one_house, SimpleUploadedFile(name, content, content_type="application/pdf")
    )
    assert response.status_code == 200
    assert "Type de fichier refusé" in text(response)
    assert not Training.objects.exists()
    assert not list(private_media.rglob("*.*"))


@override_settings(MSAP_MAX_UPLOAD_BYTES=1000)
def test_attestation_over_the_size_limit_is_refused_and_nothing_saved(client, one_house):
    client.force_login(one_house.users.responsable)
    big = PDF + b"0" * 2000
    response = add_training(
        client,
        one_house,
        SimpleUploadedFile("attestation.pdf", big, content_type="application/pdf"),
    )
    assert response.status_code == 200
    assert "Le fichier est trop volumineux" in text(response)
    assert not Training.objects.exists()


def test_training_ending_before_it_starts_is_refused(client, one_house):
    client.force_login(one_house.users.responsable)
    response = add_training(client, one_house, **{"training-ended_on": "2025-01-01"})
    assert response.status_code == 200
    assert "La date de fin doit être après la date de début." in text(response)
    assert not Training.objects.exists()


def test_training_for_someone_outside_the_team_is_refused(client, world):
    client.force_login(world.users.responsable)
    response = add_training(client, world, **{"training-user": world.users.other_agent.pk})
    assert response.status_code == 200
    assert not Training.objects.exists()


@pytest.mark.parametrize("role", ["agent", "prefecture"])
def test_only_managers_add_a_training(client, world, role):
    client.force_login(getattr(world.users, role))
    assert add_training(client, world).status_code == 403
    assert not Training.objects.exists()


def test_manager_deletes_a_training_and_its_file(client, one_house, private_media):
    client.force_login(one_house.users.responsable)
    add_training(client, one_house, SimpleUploadedFile("attestation.pdf", PDF))
    training = Training.objects.get()
    path = private_media / training.attestation.name
    response = client.post(reverse("training_delete", args=[one_house.house.pk, training.pk]))
    assert response.status_code == 302
    assert not Training.objects.exists()
    assert not path.exists()


@pytest.mark.parametrize(
    "actor, trainee, of_house, status",
    [("agent", "agent", "house", 403), ("responsable", "other_agent", "other", 404)],
    ids=["by a non-manager", "another house's, through this one"],
)
def test_only_the_house_s_managers_delete_one_of_its_trainings(
    client, world, actor, trainee, of_house, status
):
    """The team's trainings are kept by its managers: elsewhere 404, without the right 403."""
    training = f.TrainingFactory(user=getattr(world.users, trainee), house=getattr(world, of_house))
    client.force_login(getattr(world.users, actor))
    response = client.post(reverse("training_delete", args=[world.house.pk, training.pk]))
    assert response.status_code == status
    assert Training.objects.filter(pk=training.pk).exists()


def test_attestation_download_is_404_outside_the_house_and_403_for_a_referent(client, world):
    client.force_login(world.users.responsable)
    add_training(client, world, SimpleUploadedFile("attestation.pdf", PDF))
    training = Training.objects.get()
    url = reverse("training_attestation", args=[world.house.pk, training.pk])
    client.force_login(world.users.other_agent)
    assert client.get(url).status_code == 404
    client.force_login(world.users.referent_caf)
    assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


@pytest.mark.parametrize(
    "trainee, of_house, attestation",
    [("other_agent", "other", "attestations/x.pdf"), ("agent", "house", "")],
    ids=["another house's, through a visible house", "a training without attestation"],
)
def test_no_attestation_is_downloaded_where_there_is_none_to_see(
    client, world, trainee, of_house, attestation
):
    """An attestation is downloaded only from its own house (a training of Ussel asked
    through Tulle's URL, by someone who sees Tulle only, is 404), and only when there is one."""
    training = f.TrainingFactory(
        user=getattr(world.users, trainee), house=getattr(world, of_house), attestation=attestation
    )
    client.force_login(world.users.agent)
    url = reverse("training_attestation", args=[world.house.pk, training.pk])
    assert client.get(url).status_code == 404
