"""Partners of a house and their referents (art. 4, 7, 9; annexes 1 and 2)."""

from datetime import date

import pytest

from msap.core import journal
from msap.core.errors import DomainError, StaleVersion
from msap.core.models import JournalEntry
from msap.partners import queries, services
from msap.partners.models import (
    Partner,
    PartnerKind,
    Partnership,
    PartnershipStatus,
    Referent,
    ServiceCategory,
    ServiceItem,
)
from msap.partners.rules import NATIONAL_OPERATORS
from msap.territory.models import Departement
from tests import factories as f

pytestmark = pytest.mark.django_db

CONTACT = {
    "first_name": "Lucie",
    "last_name": "Martin",
    "phone": "05 55 40 40 40",
    "email": "lucie.martin@msa.fr",
}
# Who takes over from Lucie Martin.
SUCCESSOR = {"first_name": "Paul", "last_name": "Durand", "email": "paul.durand@msa.fr"}


@pytest.fixture
def actor():
    return f.UserFactory(email="responsable.partenaires@test.fr")


@pytest.fixture
def house():
    return f.HouseFactory(commune=f.commune("19272"))


@pytest.fixture
def msa(actor, house):
    return services.add_partnership(
        actor, house, f.national_partner("msa"), joined_on=date(2025, 1, 6)
    )


def entries(action):
    return JournalEntry.objects.filter(action=action)


# --- partnerships (art. 7) ------------------------------------------------------------------


def test_partner_joins_a_house_with_its_services_and_is_journaled(actor, house):
    """Art. 7 and annex 1: a partner joins the house with the items of the offer it delivers."""
    items = list(ServiceItem.objects.filter(code__in=["A.1", "B1.3"]))
    partnership = services.add_partnership(
        actor, house, f.national_partner("caf"), joined_on=date(2025, 3, 1), services=items
    )
    assert partnership.status == PartnershipStatus.ACTIVE
    assert sorted(partnership.services.values_list("code", flat=True)) == ["A.1", "B1.3"]
    entry = entries("partnership.added").get()
    assert entry.house_id == house.pk and journal.describe(entry) == "CAF rejoint la maison"


def test_partner_already_in_the_house_is_refused_and_nothing_saved(actor, house, msa):
    """Art. 7: a partner is partner of a house once at a time; a duplicate is refused in French."""
    with pytest.raises(DomainError) as exc:
        services.add_partnership(
            actor, house, f.national_partner("msa"), joined_on=date(2025, 6, 1)
        )
    assert exc.value.message == "MSA est déjà partenaire de cette maison."
    assert exc.value.errors["partner"] == ["MSA est déjà partenaire de cette maison."]
    assert Partnership.objects.filter(house=house).count() == 1
    assert entries("partnership.added").count() == 1


def test_partner_may_join_again_after_withdrawing(actor, house, msa):
    """Art. 9: a partner that withdrew may later sign again; the old partnership stays as history."""
    services.withdraw_partnership(actor, msa, on=date(2025, 12, 31))
    again = services.add_partnership(
        actor, house, f.national_partner("msa"), joined_on=date(2026, 3, 1)
    )
    assert again.pk != msa.pk
    statuses = sorted(Partnership.objects.filter(house=house).values_list("status", flat=True))
    assert statuses == [PartnershipStatus.ACTIVE, PartnershipStatus.WITHDRAWN]


def test_withdrawal_ends_the_current_referents(actor, msa):
    """Art. 9 and annex 2: when a partner withdraws, its referents are no longer in post."""
    referent = services.add_referent(actor, msa, started_on=date(2025, 2, 1), **CONTACT)
    services.withdraw_partnership(actor, msa, on=date(2025, 12, 31))
    msa.refresh_from_db()
    referent.refresh_from_db()
    assert (msa.status, msa.left_on) == (PartnershipStatus.WITHDRAWN, date(2025, 12, 31))
    assert referent.ended_on == date(2025, 12, 31)
    assert not queries.current_referents().filter(partnership=msa).exists()
    assert entries("partnership.withdrawn").get().house_id == msa.house_id


def test_withdrawing_twice_is_refused(actor, msa):
    """Art. 9: a partner withdraws once."""
    services.withdraw_partnership(actor, msa, on=date(2025, 12, 31))
    with pytest.raises(DomainError):
        services.withdraw_partnership(actor, msa, on=date(2026, 1, 31))
    msa.refresh_from_db()
    assert msa.left_on == date(2025, 12, 31)


def test_withdrawal_before_joining_is_refused(actor, msa):
    """Art. 9: a partner cannot leave a house before it joined it."""
    with pytest.raises(DomainError) as exc:
        services.withdraw_partnership(actor, msa, on=date(2024, 12, 31))
    assert "left_on" in exc.value.errors
    msa.refresh_from_db()
    assert msa.status == PartnershipStatus.ACTIVE


def test_no_referent_can_be_named_for_a_withdrawn_partner(actor, msa):
    """Annex 2: a partner that left the house names no more referents there."""
    services.withdraw_partnership(actor, msa, on=date(2025, 12, 31))
    with pytest.raises(DomainError):
        services.add_referent(actor, msa, started_on=date(2026, 1, 5), **CONTACT)
    assert not Referent.objects.exists()


# --- referents (annex 2) --------------------------------------------------------------------


def test_referent_without_phone_nor_email_is_refused(actor, msa):
    """Annex 2: a referent is reachable by direct phone or email; neither is refused, nothing saved."""
    with pytest.raises(DomainError) as exc:
        services.add_referent(
            actor,
            msa,
            started_on=date(2025, 2, 1),
            first_name="Lucie",
            last_name="Martin",
            phone="  ",
            email="",
        )
    assert "joignable" in exc.value.message
    assert "phone" in exc.value.errors
    assert not Referent.objects.exists()
    assert not entries("referent.added").exists()


def test_referent_with_an_invalid_email_is_refused(actor, msa):
    """Annex 2: the referent's direct email must be an address the staff can write to."""
    with pytest.raises(DomainError) as exc:
        services.add_referent(
            actor, msa, started_on=date(2025, 2, 1), **{**CONTACT, "email": "lucie.martin"}
        )
    assert "email" in exc.value.errors
    assert not Referent.objects.exists()


def test_referent_fields_are_stored_stripped_and_journaled(actor, msa):
    """Annex 2: the referent's card is stored clean and its naming is in the house's history."""
    referent = services.add_referent(
        actor,
        msa,
        started_on=date(2025, 2, 1),
        **{**CONTACT, "last_name": "  Martin ", "function": None},
    )
    referent.refresh_from_db()
    assert (referent.last_name, referent.function) == ("Martin", "")
    entry = entries("referent.added").get()
    assert entry.house_id == msa.house_id and journal.describe(entry) == "Référent MSA nommé"


def test_referent_may_be_linked_to_its_account(actor, msa):
    """Annex 2: a referent's card can be attached to the referent's own account."""
    account = f.UserFactory(email="lucie.martin@msa.fr")
    referent = services.add_referent(
        actor, msa, started_on=date(2025, 2, 1), user=account, **CONTACT
    )
    assert referent.user == account


def test_replacing_a_referent_keeps_the_old_one_as_history(actor, msa):
    """Annex 2 and MSP charter: a change of referent ends the old one the day before and keeps it."""
    old = services.add_referent(actor, msa, started_on=date(2025, 2, 1), **CONTACT)
    new = services.add_referent(actor, msa, started_on=date(2025, 9, 1), replaces=old, **SUCCESSOR)
    old.refresh_from_db()
    assert old.ended_on == date(2025, 8, 31)
    assert list(queries.current_referents().filter(partnership=msa)) == [new]
    assert Referent.objects.filter(partnership=msa).count() == 2
    summaries = [journal.describe(e) for e in entries("referent.added").order_by("id")]
    assert summaries == ["Référent MSA nommé", "Référent MSA nommé en remplacement de Lucie Martin"]


def test_replacing_a_referent_the_day_they_started_ends_them_that_day(actor, msa):
    """Annex 2: a referent replaced on their first day keeps a one-day history, never a negative one."""
    old = services.add_referent(actor, msa, started_on=date(2025, 2, 1), **CONTACT)
    services.add_referent(actor, msa, started_on=date(2025, 2, 1), replaces=old, **SUCCESSOR)
    old.refresh_from_db()
    assert old.ended_on == date(2025, 2, 1)


def test_replacement_starting_before_the_replaced_referent_is_refused(actor, msa):
    """Annex 2: the history of referents stays in order; nothing is saved on a bad date."""
    old = services.add_referent(actor, msa, started_on=date(2025, 2, 1), **CONTACT)
    with pytest.raises(DomainError) as exc:
        services.add_referent(actor, msa, started_on=date(2025, 1, 1), replaces=old, **SUCCESSOR)
    assert "started_on" in exc.value.errors
    old.refresh_from_db()
    assert old.ended_on is None
    assert Referent.objects.count() == 1


def test_replacing_a_referent_of_another_partnership_is_refused(actor, house, msa):
    """Annex 2: one replaces only a referent in post for the same partner."""
    caf = services.add_partnership(
        actor, house, f.national_partner("caf"), joined_on=date(2025, 1, 6)
    )
    caf_referent = services.add_referent(actor, caf, started_on=date(2025, 2, 1), **CONTACT)
    with pytest.raises(DomainError):
        services.add_referent(
            actor, msa, started_on=date(2025, 9, 1), replaces=caf_referent, **CONTACT
        )
    caf_referent.refresh_from_db()
    assert caf_referent.ended_on is None


def test_partner_left_without_referent_is_flagged(actor, house, msa):
    """Annex 2: ending the only referent leaves the partner flagged to the manager."""
    referent = services.add_referent(actor, msa, started_on=date(2025, 2, 1), **CONTACT)
    assert list(queries.partnerships_without_referent(house)) == []
    services.end_referent(actor, referent, on=date(2025, 10, 31))
    assert list(queries.partnerships_without_referent(house)) == [msa]
    assert entries("referent.ended").get().house_id == house.pk


def test_ending_a_referent_twice_or_before_they_started_is_refused(actor, msa):
    """Annex 2: a referent's history has one end, after their start."""
    referent = services.add_referent(actor, msa, started_on=date(2025, 2, 1), **CONTACT)
    with pytest.raises(DomainError):
        services.end_referent(actor, referent, on=date(2025, 1, 31))
    services.end_referent(actor, referent, on=date(2025, 10, 31))
    with pytest.raises(DomainError):
        services.end_referent(actor, referent, on=date(2025, 11, 30))
    referent.refresh_from_db()
    assert referent.ended_on == date(2025, 10, 31)


def test_withdrawn_partner_is_not_flagged_for_lack_of_referent(actor, house, msa):
    """Annex 2: only active partners need a referent in post."""
    services.withdraw_partnership(actor, msa, on=date(2025, 12, 31))
    assert list(queries.partnerships_without_referent(house)) == []


def test_referent_card_update_is_saved_and_journaled(actor, msa):
    """Annex 2: partners keep their referent's card current; the change is in the history."""
    referent = services.add_referent(actor, msa, started_on=date(2025, 2, 1), **CONTACT)
    services.update_referent(
        actor, referent, {"phone": " 05 55 50 50 50 ", "domains": "Retraite"}, referent.version
    )
    referent.refresh_from_db()
    assert (referent.phone, referent.domains, referent.version) == ("05 55 50 50 50", "Retraite", 2)
    assert entries("referent.updated").get().changes["phone"] == [
        "05 55 40 40 40",
        "05 55 50 50 50",
    ]


def test_stale_referent_update_is_refused_and_nothing_saved(actor, msa):
    """Optimistic concurrency: a card edited from an old read does not overwrite the newer one."""
    referent = services.add_referent(actor, msa, started_on=date(2025, 2, 1), **CONTACT)
    first = Referent.objects.get(pk=referent.pk)
    second = Referent.objects.get(pk=referent.pk)
    services.update_referent(actor, first, {"function": "Conseillère"}, first.version)
    with pytest.raises(StaleVersion):
        services.update_referent(actor, second, {"function": "Directrice"}, second.version)
    referent.refresh_from_db()
    assert referent.function == "Conseillère"
    assert entries("referent.updated").count() == 1


def test_referent_update_removing_every_contact_is_refused(actor, msa):
    """Annex 2: a card update cannot leave the referent unreachable."""
    referent = services.add_referent(actor, msa, started_on=date(2025, 2, 1), **CONTACT)
    with pytest.raises(DomainError):
        services.update_referent(actor, referent, {"phone": "", "email": " "}, referent.version)
    referent.refresh_from_db()
    assert referent.phone == CONTACT["phone"] and referent.version == 1


def test_card_of_a_referent_who_left_is_kept_as_history(actor, msa):
    """Annex 2: an ended referent's card stays as it was when they left; the service refuses."""
    referent = services.add_referent(actor, msa, started_on=date(2025, 2, 1), **CONTACT)
    services.end_referent(actor, referent, on=date(2025, 6, 30))
    referent.refresh_from_db()
    with pytest.raises(DomainError) as exc:
        services.update_referent(actor, referent, {"phone": "05 55 00 00 00"}, referent.version)
    assert "n'est plus en poste" in exc.value.message
    referent.refresh_from_db()
    assert (referent.phone, referent.version) == (CONTACT["phone"], 1)
    assert not entries("referent.updated").exists()


# --- local partners -------------------------------------------------------------------------


def test_local_partner_is_created_in_its_departement(actor):
    """Art. 4: a house may have local operators, created once per département."""
    correze = Departement.objects.get(code="19")
    partner = services.create_local_partner(
        actor, name="Mission locale de Tulle", short_name="Mission locale", departement=correze
    )
    assert (partner.kind, partner.departement_id, partner.code) == (
        PartnerKind.LOCAL,
        "19",
        "mission-locale-19",
    )
    assert entries("partner.created").exists()


def test_duplicate_local_partner_short_name_in_the_same_departement_is_refused(actor):
    """Art. 4: the same local operator is not created twice in a département (case ignored)."""
    correze = Departement.objects.get(code="19")
    services.create_local_partner(
        actor, name="Mission locale de Tulle", short_name="Mission locale", departement=correze
    )
    with pytest.raises(DomainError) as exc:
        services.create_local_partner(
            actor, name="Mission locale", short_name=" MISSION LOCALE ", departement=correze
        )
    assert "existe déjà dans ce département" in exc.value.message
    assert "short_name" in exc.value.errors
    assert Partner.objects.filter(kind=PartnerKind.LOCAL).count() == 1


def test_same_local_partner_short_name_in_another_departement_is_allowed(actor):
    """Art. 4: local operators of two départements may share a short name."""
    services.create_local_partner(
        actor,
        name="Mission locale de Tulle",
        short_name="Mission locale",
        departement=Departement.objects.get(code="19"),
    )
    other = services.create_local_partner(
        actor,
        name="Mission locale de Guéret",
        short_name="Mission locale",
        departement=Departement.objects.get(code="23"),
    )
    assert other.departement_id == "23"


def test_local_partner_without_name_or_too_long_short_name_is_refused(actor):
    """Art. 4: a local partner has a name and a short name of reasonable length."""
    correze = Departement.objects.get(code="19")
    with pytest.raises(DomainError):
        services.create_local_partner(actor, name="  ", short_name="ML", departement=correze)
    with pytest.raises(DomainError):
        services.create_local_partner(
            actor, name="Mission locale", short_name="M" * 41, departement=correze
        )
    assert not Partner.objects.filter(kind=PartnerKind.LOCAL).exists()


# --- reference data (annexes 1 and 2) -------------------------------------------------------


def test_the_seven_national_operators_of_annex_2_are_seeded():
    """Annex 2: Pôle emploi (France Travail), CAF, CPAM, CARSAT, MSA, GrDF and La Poste exist everywhere."""
    codes = set(Partner.objects.filter(kind=PartnerKind.NATIONAL).values_list("code", flat=True))
    assert {"france-travail", "caf", "cpam", "carsat", "msa", "grdf", "la-poste"} <= codes
    assert codes == {row[0] for row in NATIONAL_OPERATORS}
    assert Partner.objects.get(code="france-travail").name == "France Travail (ex-Pôle emploi)"


def test_the_reference_offer_has_categories_a_to_c_with_24_items():
    """Annex 1: the offer is A, B1, B2, B3, C with 24 items."""
    assert list(ServiceCategory.objects.values_list("code", flat=True)) == [
        "A",
        "B1",
        "B2",
        "B3",
        "C",
    ]
    assert ServiceItem.objects.count() == 24
    counts = {c.code: c.items.count() for c in ServiceCategory.objects.all()}
    assert counts == {"A": 5, "B1": 7, "B2": 7, "B3": 3, "C": 2}


def test_new_local_operator_joins_the_house_in_one_step(actor, house):
    """Art. 4 and 7: a local operator is created in the house's département with its partnership."""
    item = ServiceItem.objects.get(code="A.1")
    partnership = services.add_local_partnership(
        actor,
        house,
        name="Mission locale de Tulle",
        short_name="ML Tulle",
        joined_on=date(2025, 2, 1),
        services=[item],
        bilateral_note="Permanence le mardi",
    )
    partner = partnership.partner
    assert (partner.kind, partner.departement_id) == (PartnerKind.LOCAL, "19")
    assert (partnership.house, partnership.status) == (house, PartnershipStatus.ACTIVE)
    assert list(partnership.services.all()) == [item]
    assert entries("partner.created").exists() and entries("partnership.added").exists()


def test_refused_local_operator_leaves_neither_partner_nor_partnership(actor, house):
    before = (Partner.objects.count(), Partnership.objects.count())
    with pytest.raises(DomainError):
        services.add_local_partnership(
            actor, house, name="Mission locale", short_name="", joined_on=date(2025, 2, 1)
        )
    assert (Partner.objects.count(), Partnership.objects.count()) == before
