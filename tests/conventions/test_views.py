"""The convention's screens: signing, a partner's withdrawal with its effective date, annex 3,
refusals in French with nothing saved, a stale form never overwriting."""

from datetime import date

from django.urls import reverse

from msap.conventions.models import Convention, ManagementTerms, Signatory
from tests.conftest import login
from tests.conventions.filled import SIGNED


def test_the_responsable_signs_then_sees_the_term_and_the_blanks(client, world):
    login(client, world.users.responsable)
    url = reverse("convention_detail", args=[world.house.pk])
    response = client.post(url, {"signed_on": SIGNED.isoformat(), "signed_at": "Tulle"})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "15/03/2028" in page  # the first échéance (art. 10)
    assert "15/09/2027" in page  # the last day to give notice for it (art. 7)
    assert "Le préavis de retrait d’un service (article 9)" in page


def test_a_signature_in_the_future_is_refused_on_the_form(client, world):
    login(client, world.users.responsable)
    url = reverse("convention_detail", args=[world.house.pk])
    response = client.post(url, {"signed_on": "2099-01-01"})
    assert "Date trop lointaine" in response.content.decode()
    assert not Convention.objects.exists()


def test_withdrawal_letter_before_the_signature_is_refused_in_french(client, world, convention):
    signatory = convention.signatories.get(partnership=world.caf)
    login(client, world.users.gestionnaire)
    url = reverse("signatory_withdraw", args=[world.house.pk, signatory.pk])
    response = client.post(url, {"letter_on": "2025-01-10", "version": signatory.version})
    assert response.status_code == 200
    assert "ne peut pas précéder la signature de la convention" in response.content.decode()
    assert Signatory.objects.get(pk=signatory.pk).withdrawal_letter_on is None


def test_withdrawal_recorded_with_its_effective_date(client, world, convention):
    signatory = convention.signatories.get(partnership=world.caf)
    login(client, world.users.gestionnaire)
    url = reverse("signatory_withdraw", args=[world.house.pk, signatory.pk])
    response = client.post(url, {"letter_on": "2026-10-01", "version": signatory.version})
    assert response.status_code == 302
    signatory.refresh_from_db()
    assert signatory.withdrawal_effective_on == date(2028, 3, 15)


def test_a_stale_annex3_form_never_overwrites(client, world, convention):
    gestionnaire = convention.signatories.get(kind="gestionnaire")
    terms = ManagementTerms.objects.get(signatory=gestionnaire)
    year = terms.year
    login(client, world.users.responsable)
    url = reverse("terms_edit", args=[world.house.pk, year, gestionnaire.pk])
    assert "62" in client.get(url).content.decode()
    response = client.post(
        url, {"financial": "Autre texte", "activity_share": "50", "version": terms.version - 1}
    )
    assert "a été modifiée par quelqu" in response.content.decode()
    terms.refresh_from_db()
    assert terms.financial.startswith("Loyers")
    response = client.post(
        url, {"financial": "Autre texte", "activity_share": "50", "version": terms.version}
    )
    assert response.status_code == 302
    terms.refresh_from_db()
    assert terms.financial == "Autre texte"


def test_an_implausible_year_of_annex3_is_404(client, world, convention):
    gestionnaire = convention.signatories.get(kind="gestionnaire")
    login(client, world.users.responsable)
    url = reverse("terms_edit", args=[world.house.pk, 9999, gestionnaire.pk])
    assert client.get(url).status_code == 404


def test_a_partner_signing_twice_is_refused_on_the_form(client, world, convention):
    login(client, world.users.responsable)
    response = client.post(
        reverse("signatory_add", args=[world.house.pk]),
        {"partnership": world.caf.pk, "signed_on": "2025-05-01"},
    )
    assert "CAF a déjà signé la convention de cette maison." in response.content.decode()
    assert convention.signatories.filter(partnership=world.caf).count() == 1


def test_the_technical_admin_reads_conventions_without_changing_them(client, world, convention):
    login(client, world.users.admin)
    assert client.get("/admin/conventions/convention/").status_code == 200
    page = client.get(f"/admin/conventions/convention/{convention.pk}/change/")
    assert page.status_code == 200
    assert "Sophie Martin" in page.content.decode()
    assert client.post(f"/admin/conventions/convention/{convention.pk}/delete/").status_code == 403
