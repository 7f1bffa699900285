"""An expired form or blocked cookies (CSRF failure) get msap's own French page, like the other
errors — never Django's English default."""

import pytest
from django.test import Client
from django.urls import reverse


@pytest.fixture
def strict():
    return Client(enforce_csrf_checks=True)


def test_login_without_the_csrf_cookie_says_in_french_to_allow_cookies(strict, db):
    response = strict.post(reverse("login"), {"username": "a@b.fr", "password": "x"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "Formulaire expiré" in html
    assert "autorisez les cookies pour ce site" in html
    assert 'class="fr-btn' in html  # the DSFR page of msap (error.html), not Django's default
    assert "CSRF verification failed" not in html
    assert "Forbidden" not in html


def test_an_expired_form_token_says_to_reload_and_links_back_to_the_form(strict, db):
    strict.get(reverse("login"))  # sets the CSRF cookie
    login_url = "http://testserver" + reverse("login")
    response = strict.post(
        reverse("login"),
        {"username": "a@b.fr", "password": "x", "csrfmiddlewaretoken": "x" * 64},
        headers={"Referer": login_url},
    )
    assert response.status_code == 403
    html = response.content.decode()
    assert "Le formulaire a expiré" in html
    assert f'href="{login_url}"' in html


def test_a_foreign_referrer_is_not_offered_as_the_page_to_reload(strict, db):
    response = strict.post(reverse("logout"), headers={"Referer": "https://evil.example/"})
    assert response.status_code == 403
    assert "evil.example" not in response.content.decode()


def test_the_csrf_page_is_translated_for_an_english_browser(strict, db):
    response = strict.post(
        reverse("login"), {"username": "a@b.fr"}, headers={"Accept-Language": "en-GB,en;q=0.9"}
    )
    assert response.status_code == 403
    html = response.content.decode()
    assert '<html lang="en"' in html
    assert "Form expired" in html
    assert "Formulaire expiré" not in html
