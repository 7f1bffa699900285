"""Login by email, demo accounts, logout, and who reaches Django's admin."""

import pytest
from django.test import override_settings

from msap.people.models import Role
from tests import factories as f

pytestmark = pytest.mark.django_db

WRONG = "Adresse électronique ou mot de passe incorrect."


def post_login(client, email, password=f.PASSWORD):
    return client.post("/connexion/", {"username": email, "password": password})


def logged_in_user_id(client):
    return client.session.get("_auth_user_id")


def test_login_by_email_ignores_case(client):
    """Login: the email is the identifier, whatever the case typed."""
    user = f.UserFactory(email="agent@test.fr")
    response = post_login(client, "  Agent@TEST.fr ")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert logged_in_user_id(client) == str(user.pk)


def test_wrong_password_is_refused_with_a_french_message(client):
    """Login: a wrong password says so in French and opens no session."""
    f.UserFactory(email="agent@test.fr")
    response = post_login(client, "agent@test.fr", "mauvais-mot-de-passe")
    assert response.status_code == 200
    assert WRONG in response.content.decode()
    assert logged_in_user_id(client) is None


def test_unknown_email_gets_the_same_message_as_a_wrong_password(client):
    """Login: the message does not tell whether an account exists."""
    response = post_login(client, "inconnu@test.fr")
    assert WRONG in response.content.decode()
    assert logged_in_user_id(client) is None


def test_deactivated_account_cannot_log_in(client):
    """Login: a deactivated account (a person who left) no longer opens a session."""
    f.UserFactory(email="parti@test.fr", is_active=False)
    post_login(client, "parti@test.fr")
    assert logged_in_user_id(client) is None


@override_settings(DEMO_MODE=False)
def test_demo_account_cannot_log_in_outside_demo_mode(client):
    """Demo accounts: their password is public, so they never open outside demo mode."""
    f.UserFactory(email="agent@demo.msap.fr", is_demo=True, password=f.DEMO_PASSWORD)
    response = post_login(client, "agent@demo.msap.fr", f.DEMO_PASSWORD)
    assert response.status_code == 200
    assert WRONG in response.content.decode()
    assert logged_in_user_id(client) is None


@override_settings(DEMO_MODE=True)
def test_demo_account_logs_in_in_demo_mode(client):
    """Demo accounts: in demo mode they open with the published password."""
    user = f.UserFactory(email="agent@demo.msap.fr", is_demo=True, password=f.DEMO_PASSWORD)
    response = post_login(client, "agent@demo.msap.fr", f.DEMO_PASSWORD)
    assert response.status_code == 302
    assert logged_in_user_id(client) == str(user.pk)


def test_logout_is_post_only(client):
    """Logout: a link (GET) cannot log someone out; a POST does and goes back to the login page."""
    user = f.UserFactory(email="agent@test.fr")
    client.force_login(user)
    assert client.get("/deconnexion/").status_code == 405
    assert logged_in_user_id(client) == str(user.pk)
    response = client.post("/deconnexion/")
    assert response.status_code == 302
    assert response["Location"] == "/connexion/"
    assert logged_in_user_id(client) is None


def test_home_page_offers_anonymous_visitors_the_public_search_and_the_login(client):
    """Access (issue 10, item 1): the staff home page is not for the public; anonymous visitors
    get the public home (find a house), with the way to the staff's login."""
    body = client.get("/").content.decode()
    assert "Trouver une maison France Services" in body
    assert 'href="/connexion/"' in body
    assert "Bonjour" not in body


def test_login_page_is_in_french(client):
    """French interface: the login page speaks French."""
    body = client.get("/connexion/").content.decode()
    assert "Adresse électronique" in body
    assert "Mot de passe" in body


def test_admin_is_refused_to_a_house_manager(client):
    """Access: Django's admin is for the technical administrator, not for a house's responsable."""
    responsable = f.UserFactory(email="responsable@test.fr")
    f.MembershipFactory(user=responsable, role=Role.RESPONSABLE, house=f.HouseFactory())
    client.force_login(responsable)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert client.get("/admin/core/journalentry/").status_code == 302


def test_admin_is_open_to_the_technical_administrator(client):
    """Access: the is_staff technical administrator reaches Django's admin."""
    client.force_login(f.UserFactory(email="admin@test.fr", is_staff=True, is_superuser=True))
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/core/journalentry/").status_code == 200


def test_repeated_failures_lock_the_login_out(client, settings):
    """Lockout (django-axes): after AXES_FAILURE_LIMIT failures even the right password is
    refused. Test mode turns the lockout off for speed; this test turns it back on."""
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    f.UserFactory(email="agent@test.fr")
    for _ in range(3):
        post_login(client, "agent@test.fr", "mauvais-mot-de-passe")
    response = post_login(client, "agent@test.fr")
    assert response.status_code == 429
    assert logged_in_user_id(client) is None
