"""Partners and referents screens: who sees what (annex 2), and the lifecycle of partnerships."""

from datetime import date
from html import unescape

import pytest
from django.urls import reverse

from msap.core.models import JournalEntry
from msap.partners import services as partner_services
from msap.partners.models import Partner, Partnership, PartnershipStatus, Referent, ServiceItem
from tests import factories as f

CLAIRE_PHONE = "05 55 99 88 77"
CLAIRE_EMAIL = "claire.dumont.privee@caf.exemple.fr"


def partners_page(client, user, house):
    client.force_login(user)
    return client.get(reverse("house_partners", args=[house.pk]))


def referent_payload(**overrides):
    data = {
        "first_name": "Julie",
        "last_name": "Martin",
        "function": "Conseillère référente",
        "phone": "05 55 44 33 22",
        "email": "julie.martin@caf.exemple.fr",
        "postal_address": "3 rue de la Caisse, 19000 Tulle",
        "domains": "Prestations familiales",
        "started_on": "2025-03-01",
        "replaces": "",
    }
    data.update(overrides)
    return data


def page_status(client, user, url_name, *args) -> int:
    """The status of the page `url_name` (with `args`) as `user` opens it."""
    client.force_login(user)
    return client.get(reverse(url_name, args=args)).status_code


def withdraw_france_travail(client, user, world, left_on: str):
    """`user` posts France Travail's withdrawal from the house on `left_on`."""
    client.force_login(user)
    url = reverse("partnership_withdraw", args=[world.house.pk, world.ft.pk])
    return client.post(url, {"left_on": left_on})


def assert_refused(response, reason: str) -> None:
    """The form comes back (200) saying why it was refused."""
    assert response.status_code == 200
    assert reason in text(response)


def text(response) -> str:
    """The page as the user reads it (entities such as &#x27; decoded)."""
    return unescape(response.content.decode())


# --- the partners page, for each role -------------------------------------------------------------


@pytest.mark.parametrize("role", ["agent", "responsable", "gestionnaire", "admin"])
def test_house_staff_see_referent_contacts(client, world, role):
    response = partners_page(client, getattr(world.users, role), world.house)
    assert response.status_code == 200
    html = text(response)
    assert "Claire Dumont" in html
    assert CLAIRE_PHONE in html
    assert CLAIRE_EMAIL in html
    assert "France Travail" in html


@pytest.mark.parametrize("role", ["prefecture", "national"])
def test_overseers_see_referent_name_and_function_but_never_contacts(client, world, role):
    response = partners_page(client, getattr(world.users, role), world.house)
    assert response.status_code == 200
    html = text(response)
    assert "Claire Dumont" in html
    assert world.caf_referent.function in html
    assert CLAIRE_PHONE not in html
    assert CLAIRE_EMAIL not in html
    assert "05 55 11 22 33" not in html  # France Travail's referent either


def test_partner_referent_sees_only_its_own_partnership_with_its_contacts(client, world):
    response = partners_page(client, world.users.referent_caf, world.house)
    assert response.status_code == 200
    html = text(response)
    assert "Claire Dumont" in html
    assert CLAIRE_PHONE in html
    assert "Marc Lefèvre" not in html
    assert "France Travail" not in html
    assert "05 55 11 22 33" not in html


def test_referent_of_a_partner_absent_from_the_house_gets_404(client, world):
    assert partners_page(client, world.users.referent_msa, world.house).status_code == 404


@pytest.mark.parametrize("role", ["other_agent", "norole"])
def test_people_outside_the_house_get_404(client, world, role):
    assert partners_page(client, getattr(world.users, role), world.house).status_code == 404


def test_anonymous_visitor_is_sent_to_login(client, one_house):
    response = client.get(reverse("house_partners", args=[one_house.house.pk]))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_partners_page_lists_delivered_items_by_category(client, world):
    world.caf.services.set(ServiceItem.objects.filter(code__in=["A.1", "B1.3", "C.2"]))
    html = text(partners_page(client, world.users.agent, world.house))
    assert "B1.3" in html and "C.2" in html
    assert "B2.1" not in html


def test_partners_page_query_count_does_not_grow_with_partners(
    client, one_house, django_assert_max_num_queries
):
    for code in ["cpam", "carsat", "grdf", "la-poste"]:
        p = f.PartnershipFactory(house=one_house.house, partner=f.national_partner(code))
        f.ReferentFactory(partnership=p)
        p.services.set(ServiceItem.objects.all()[:5])
    client.force_login(one_house.users.agent)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("house_partners", args=[one_house.house.pk])).status_code == 200


def test_withdrawn_partnership_is_listed_as_history(client, world):
    Partnership.objects.filter(pk=world.ft.pk).update(
        status=PartnershipStatus.WITHDRAWN, left_on=date(2025, 1, 31)
    )
    html = text(partners_page(client, world.users.agent, world.house))
    assert "Partenaires retirés (historique)" in html
    assert "31/01/2025" in html


# --- adding a partner -----------------------------------------------------------------------------


def test_manager_adds_a_national_partner_with_its_items(client, one_house):
    client.force_login(one_house.users.responsable)
    items = ServiceItem.objects.filter(code__in=["A.1", "B3.2"])
    msa = f.national_partner("msa")
    response = client.post(
        reverse("partnership_add", args=[one_house.house.pk]),
        {
            "partner": msa.pk,
            "joined_on": "2025-02-01",
            "services": [i.pk for i in items],
            "bilateral_note": "RDV sous 10 jours",
        },
    )
    partnership = one_house.house.partnerships.get(partner=msa)
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "partnership_detail", args=[one_house.house.pk, partnership.pk]
    )
    assert set(partnership.services.values_list("code", flat=True)) == {"A.1", "B3.2"}
    assert partnership.bilateral_note == "RDV sous 10 jours"


def test_adding_a_partner_already_active_in_the_house_is_refused_and_nothing_saved(client, world):
    client.force_login(world.users.responsable)
    before = Partnership.objects.count()
    response = client.post(
        reverse("partnership_add", args=[world.house.pk]),
        {"partner": f.national_partner("caf").pk, "joined_on": "2025-02-01"},
    )
    assert_refused(response, "CAF est déjà partenaire de cette maison.")
    assert Partnership.objects.count() == before


def test_manager_creates_a_new_local_operator_as_partner(client, world):
    client.force_login(world.users.gestionnaire)
    response = client.post(
        reverse("partnership_add", args=[world.house.pk]),
        {
            "new_name": "Mission locale de Tulle",
            "new_short_name": "ML Tulle",
            "joined_on": "2025-02-01",
        },
    )
    assert response.status_code == 302
    partner = Partner.objects.get(short_name="ML Tulle")
    assert partner.departement_id == "19"
    assert world.house.partnerships.active().filter(partner=partner).exists()


def test_partner_form_without_a_partner_is_refused_in_french(client, one_house):
    client.force_login(one_house.users.responsable)
    before = Partnership.objects.count()
    response = client.post(
        reverse("partnership_add", args=[one_house.house.pk]), {"joined_on": "2025-02-01"}
    )
    assert "Choisissez un partenaire dans la liste" in text(response)
    assert Partnership.objects.count() == before


@pytest.mark.parametrize("role", ["agent", "prefecture", "referent_caf"])
def test_only_managers_add_a_partner(client, world, role):
    client.force_login(getattr(world.users, role))
    url = reverse("partnership_add", args=[world.house.pk])
    assert client.get(url).status_code == 403
    assert (
        client.post(
            url, {"partner": f.national_partner("msa").pk, "joined_on": "2025-02-01"}
        ).status_code
        == 403
    )
    assert not world.house.partnerships.filter(partner__code="msa").exists()


def test_add_partner_in_an_unseen_house_is_404(client, world):
    client.force_login(world.users.responsable)
    assert client.get(reverse("partnership_add", args=[world.other.pk])).status_code == 404


# --- one partnership ----------------------------------------------------------------------------


def test_manager_updates_items_and_note_of_a_partnership(client, world):
    client.force_login(world.users.responsable)
    item = ServiceItem.objects.get(code="B2.2")
    response = client.post(
        reverse("partnership_detail", args=[world.house.pk, world.caf.pk]),
        {
            "services": [item.pk],
            "bilateral_note": "Permanence le mardi",
            "version": world.caf.version,
        },
    )
    assert response.status_code == 302
    world.caf.refresh_from_db()
    assert world.caf.bilateral_note == "Permanence le mardi"
    assert list(world.caf.services.values_list("code", flat=True)) == ["B2.2"]


def test_stale_partnership_version_is_refused_and_nothing_saved(client, world):
    client.force_login(world.users.responsable)
    Partnership.objects.filter(pk=world.caf.pk).update(
        version=5, bilateral_note="Saisi par un collègue"
    )
    response = client.post(
        reverse("partnership_detail", args=[world.house.pk, world.caf.pk]),
        {"services": [], "bilateral_note": "Ma version", "version": 1},
    )
    assert_refused(response, "modifiée par quelqu")
    world.caf.refresh_from_db()
    assert world.caf.bilateral_note == "Saisi par un collègue"


def test_non_manager_cannot_edit_a_partnership(client, world):
    client.force_login(world.users.agent)
    response = client.post(
        reverse("partnership_detail", args=[world.house.pk, world.caf.pk]),
        {"services": [], "bilateral_note": "x", "version": world.caf.version},
    )
    assert response.status_code == 403


def test_partnership_of_another_house_is_404(client, world):
    house, other_caf = world.house.pk, world.other_caf.pk
    assert (
        page_status(client, world.users.responsable, "partnership_detail", house, other_caf) == 404
    )


def test_partner_referent_cannot_open_another_partners_partnership(client, world):
    referent, house = world.users.referent_caf, world.house.pk
    assert page_status(client, referent, "partnership_detail", house, world.ft.pk) == 404
    assert page_status(client, referent, "partnership_detail", house, world.caf.pk) == 200


def test_manager_withdraws_a_partner_which_stays_in_history(client, world):
    response = withdraw_france_travail(client, world.users.responsable, world, "2025-06-30")
    assert response.status_code == 302
    world.ft.refresh_from_db()
    assert world.ft.status == PartnershipStatus.WITHDRAWN
    assert world.ft.left_on == date(2025, 6, 30)
    html = text(client.get(reverse("house_partners", args=[world.house.pk])))
    assert "Partenaires retirés (historique)" in html


def test_withdrawal_before_the_partner_joined_is_refused(client, world):
    response = withdraw_france_travail(client, world.users.responsable, world, "2020-01-01")
    assert_refused(response, "La date de retrait doit être après")
    world.ft.refresh_from_db()
    assert world.ft.status == PartnershipStatus.ACTIVE


def test_only_managers_withdraw_a_partner(client, world):
    response = withdraw_france_travail(client, world.users.agent, world, "2025-06-30")
    assert response.status_code == 403
    world.ft.refresh_from_db()
    assert world.ft.status == PartnershipStatus.ACTIVE


# --- referents ------------------------------------------------------------------------------------


def test_manager_names_a_referent(client, world):
    client.force_login(world.users.responsable)
    response = client.post(
        reverse("referent_add", args=[world.house.pk, world.ft.pk]), referent_payload()
    )
    assert response.status_code == 302
    assert world.ft.referents.filter(last_name="Martin", ended_on__isnull=True).exists()


def test_referent_without_any_contact_is_refused_and_nothing_saved(client, world):
    client.force_login(world.users.responsable)
    before = Referent.objects.count()
    response = client.post(
        reverse("referent_add", args=[world.house.pk, world.caf.pk]),
        referent_payload(phone="", email=""),
    )
    assert_refused(response, "Un référent doit être joignable")
    assert Referent.objects.count() == before


def test_replacing_a_referent_keeps_the_old_one_in_history_with_an_end_date(client, world):
    client.force_login(world.users.responsable)
    response = client.post(
        reverse("referent_add", args=[world.house.pk, world.caf.pk]),
        referent_payload(replaces=world.caf_referent.pk, started_on="2025-03-01"),
    )
    assert response.status_code == 302
    world.caf_referent.refresh_from_db()
    assert world.caf_referent.ended_on == date(2025, 2, 28)  # last day in post
    html = text(client.get(response["Location"]))
    assert "Julie Martin" in html
    assert "Historique des référents" in html
    assert "Claire Dumont" in html
    assert "28/02/2025" in html


def test_replace_button_preselects_the_referent_to_replace(client, world):
    client.force_login(world.users.responsable)
    url = reverse("referent_add", args=[world.house.pk, world.caf.pk])
    html = text(client.get(f"{url}?remplace={world.caf_referent.pk}"))
    assert f'<option value="{world.caf_referent.pk}" selected>' in html


def test_no_referent_can_be_named_for_a_withdrawn_partner(client, world):
    Partnership.objects.filter(pk=world.ft.pk).update(
        status=PartnershipStatus.WITHDRAWN, left_on=date(2025, 1, 31)
    )
    client.force_login(world.users.responsable)
    before = Referent.objects.count()
    response = client.post(
        reverse("referent_add", args=[world.house.pk, world.ft.pk]), referent_payload(), follow=True
    )
    assert "on ne peut plus lui nommer de référent" in text(response)
    assert Referent.objects.count() == before


def test_ending_the_last_referent_flags_the_partnership_without_referent(client, world):
    client.force_login(world.users.responsable)
    assert "Sans référent" not in text(client.get(reverse("house_partners", args=[world.house.pk])))
    response = client.post(
        reverse("referent_end", args=[world.house.pk, world.caf_referent.pk]),
        {"ended_on": "2025-04-30"},
    )
    assert response.status_code == 302
    world.caf_referent.refresh_from_db()
    assert world.caf_referent.ended_on == date(2025, 4, 30)
    html = text(client.get(reverse("house_partners", args=[world.house.pk])))
    assert "Sans référent" in html
    detail = text(client.get(reverse("partnership_detail", args=[world.house.pk, world.caf.pk])))
    assert "Sans référent" in detail


def test_ending_a_referent_before_their_start_is_refused(client, world):
    client.force_login(world.users.responsable)
    response = client.post(
        reverse("referent_end", args=[world.house.pk, world.caf_referent.pk]),
        {"ended_on": "2020-01-01"},
        follow=True,
    )
    assert "La date de fin doit être après la prise de poste." in text(response)
    world.caf_referent.refresh_from_db()
    assert world.caf_referent.ended_on is None


@pytest.mark.parametrize("role", ["agent", "referent_caf", "prefecture"])
def test_only_managers_name_or_end_referents(client, world, role):
    client.force_login(getattr(world.users, role))
    assert (
        client.post(
            reverse("referent_add", args=[world.house.pk, world.caf.pk]), referent_payload()
        ).status_code
        == 403
    )
    assert (
        client.post(
            reverse("referent_end", args=[world.house.pk, world.caf_referent.pk]),
            {"ended_on": "2025-04-30"},
        ).status_code
        == 403
    )
    world.caf_referent.refresh_from_db()
    assert world.caf_referent.ended_on is None
    assert not Referent.objects.filter(last_name="Martin").exists()


def test_referent_of_another_house_is_404(client, world):
    client.force_login(world.users.responsable)
    other_referent = world.other_caf.referents.get()
    response = client.post(
        reverse("referent_end", args=[world.house.pk, other_referent.pk]),
        {"ended_on": "2025-04-30"},
    )
    assert response.status_code == 404


def card_payload(referent, **overrides):
    data = {field: getattr(referent, field) for field in partner_services.REFERENT_FIELDS}
    data["version"] = referent.version
    data.update(overrides)
    return data


def test_partner_referent_keeps_its_own_card_current(client, world):
    client.force_login(world.users.referent_caf)
    url = reverse("referent_edit", args=[world.house.pk, world.caf_referent.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        card_payload(
            world.caf_referent, phone="05 55 00 11 22", email="claire.dumont@caf.exemple.fr"
        ),
    )
    assert response.status_code == 302
    world.caf_referent.refresh_from_db()
    assert world.caf_referent.phone == "05 55 00 11 22"
    assert world.caf_referent.email == "claire.dumont@caf.exemple.fr"
    assert JournalEntry.objects.filter(
        action="referent.updated", target_id=str(world.caf_referent.pk)
    ).exists()


def test_partner_referent_does_not_even_see_another_partners_referent(client, world):
    # A partner sees only its own partnership in a house (msap.permissions): another partner's
    # referent card is as unseen as that partner's partnership page, so 404, never 403.
    client.force_login(world.users.referent_caf)
    url = reverse("referent_edit", args=[world.house.pk, world.ft_referent.pk])
    assert client.get(url).status_code == 404
    assert (
        client.post(url, card_payload(world.ft_referent, phone="01 02 03 04 05")).status_code == 404
    )
    world.ft_referent.refresh_from_db()
    assert world.ft_referent.phone == "05 55 11 22 33"


@pytest.mark.parametrize(
    "role, status",
    [
        ("agent", 403),
        ("prefecture", 403),
        ("national", 403),
        ("referent_msa", 404),
        ("other_agent", 404),
    ],
)
def test_a_card_is_edited_by_the_house_s_managers_and_its_own_referent_only(
    client, world, role, status
):
    """Annex 2: staff and overseers who do not manage the house may not edit a referent's card
    (403); in a house they do not see, it is not found (404)."""
    user, house, card = getattr(world.users, role), world.house.pk, world.caf_referent.pk
    assert page_status(client, user, "referent_edit", house, card) == status


def test_stale_referent_version_is_refused_and_nothing_saved(client, world):
    client.force_login(world.users.responsable)
    url = reverse("referent_edit", args=[world.house.pk, world.caf_referent.pk])
    stale = card_payload(world.caf_referent, function="Ma version")
    Referent.objects.filter(pk=world.caf_referent.pk).update(
        version=2, function="Version du collègue"
    )
    response = client.post(url, stale)
    assert_refused(response, "modifiée par quelqu")
    world.caf_referent.refresh_from_db()
    assert world.caf_referent.function == "Version du collègue"


def test_card_emptied_of_all_contacts_is_refused(client, world):
    client.force_login(world.users.referent_caf)
    url = reverse("referent_edit", args=[world.house.pk, world.caf_referent.pk])
    response = client.post(url, card_payload(world.caf_referent, phone="", email=""))
    assert_refused(response, "Un référent doit être joignable")
    world.caf_referent.refresh_from_db()
    assert world.caf_referent.phone == CLAIRE_PHONE


def test_card_of_a_referent_who_left_is_not_editable_on_screen(client, world):
    """Annex 2: the card of a referent no longer in post is history: 403 on GET and POST, unchanged."""
    Referent.objects.filter(pk=world.caf_referent.pk).update(ended_on=date(2025, 6, 30))
    world.caf_referent.refresh_from_db()
    client.force_login(world.users.responsable)
    url = reverse("referent_edit", args=[world.house.pk, world.caf_referent.pk])
    response = client.get(url)
    assert response.status_code == 403
    assert "n'est plus en poste" in text(response)
    response = client.post(url, card_payload(world.caf_referent, phone="01 02 03 04 05"))
    assert response.status_code == 403
    world.caf_referent.refresh_from_db()
    assert world.caf_referent.phone == "05 55 99 88 77"
    assert not JournalEntry.objects.filter(action="referent.updated").exists()
