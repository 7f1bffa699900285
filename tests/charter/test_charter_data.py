"""The charter as data (issue 11, item 1; convention-cadre annex 4 §4.1 and §4.2, annex 5): the
15 commitments with 3 bis and the optional 3 ter, their five groups, their means and evidence,
versioned by year — and the public page reads its wording from there."""

import html

import pytest
from django.core.cache import caches

from msap.charter.models import CharterVersion, Commitment
from msap.charter.queries import commitments_for
from msap.network.models import HouseKind, HouseStatus

pytestmark = pytest.mark.django_db

CODES = ["1", "2", "3", "3 bis", "3 ter", "4", "5", "6", "7"] + [str(n) for n in range(8, 16)]


def test_the_charter_of_2015_has_the_annex_4_items_in_order():
    """Annex 4 §4.1: items 1–15 with 3 bis and 3 ter, 3 ter alone optional."""
    charter = commitments_for(2026)
    assert charter.in_force_from == 2015
    assert [c.code for c in charter.commitments] == CODES
    assert [c.code for c in charter.commitments if c.optional] == ["3 ter"]


def test_each_item_sits_in_its_service_commitment():
    """§4.1: five service commitments — 1 to 7 access, 8 to 10 welcome, 11 to 13 answers,
    14 complaints, 15 listening."""
    groups = {g: [c.code for c in items] for g, _title, items in commitments_for(2026).groups()}
    assert groups == {
        1: CODES[:9],
        2: ["8", "9", "10"],
        3: ["11", "12", "13"],
        4: ["14"],
        5: ["15"],
    }
    titles = [title for _g, title, _items in commitments_for(2026).groups()]
    assert titles[1] == "Un accueil attentif et courtois"


def test_items_carry_the_seeds_wording_means_and_evidence():
    """Annex 5: each item's means ("Moyens à mettre en œuvre") and its evidence ("Suivi /
    contrôle du respect de l'engagement"), in the seed's words."""
    charter = commitments_for(2026)
    one = charter.get("1")
    assert "24 heures par semaine, réparties sur au moins trois jours" in one.description
    assert one.evidence == "Autoévaluations régulières effectuée par l’agent d’accueil."
    assert charter.get("3 bis").evidence.startswith("Contrats de maintenance")
    assert "association représentative des handicapés moteurs" in charter.get("6").evidence
    assert "Attestation de formation." in charter.get("8").evidence
    assert charter.get("9").evidence == "Planning d’entretien des espaces d’accueil."
    assert "Registre des réclamations" in charter.get("14").evidence
    assert "Planning des déplacements prévus" in charter.get("3 ter").evidence
    assert charter.get("13").wording == (
        "Nous répondons à vos appels téléphoniques en moins de 5 sonneries."
    )
    assert "cavalier, badge" in charter.get("8").means
    for c in charter.commitments:
        assert c.wording and c.evidence, c.code


def test_a_house_is_assessed_against_the_version_in_force_that_year():
    """Versioned: a new version from 2027 applies from 2027, the 2015 one before."""
    version = CharterVersion.objects.create(title="Charte 2027", in_force_from=2027, source="test")
    Commitment.objects.create(
        version=version, code="1", group=1, group_title="Accès", wording="Nouveau libellé", order=1
    )
    assert commitments_for(2026).in_force_from == 2015
    assert commitments_for(2027).title == "Charte 2027"
    assert [c.wording for c in commitments_for(2030).commitments] == ["Nouveau libellé"]
    assert commitments_for(2014) is None


def test_the_public_page_reads_the_wording_from_the_charter(client, one_house):
    """One place: a change of the charter's wording shows on every house page."""
    house = one_house.house
    house.status = HouseStatus.RECOGNISED
    house.save(update_fields=["status"])
    Commitment.objects.filter(code="9").update(wording="Libellé venu de la charte.")
    body = html.unescape(client.get(f"/maison/{house.slug}/").content.decode())
    assert "9. Libellé venu de la charte." in body
    # 3 ter (optional, the mobile variant) is a mobile house's promise only.
    assert "3 ter." not in body
    house.kind = HouseKind.MOBILE
    house.save(update_fields=["kind"])
    caches["default"].clear()
    assert "3 ter. Votre Maison de services au public peut organiser des déplacements" in (
        html.unescape(client.get(f"/maison/{house.slug}/").content.decode())
    )
