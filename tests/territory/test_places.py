"""The places beyond the current communes loaded by territory/migrations/0004 (issue 10): the
municipal arrondissements, the former communes, Saint-Martin and the other collectivités where
France Services sites exist, the communes' centres; and how the type-ahead finds them."""

import importlib
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from msap.lib import dates
from msap.territory.models import Commune, FormerCommune, search_key
from msap.territory.services import commune_by_code, search_communes

pytestmark = pytest.mark.django_db


def codes(communes):
    return [commune.code for commune in communes]


def test_the_45_arrondissements_are_places_linked_to_their_commune():
    """A site can be located in a municipal arrondissement of Paris (20), Lyon (9), Marseille (16)."""
    arrondissements = Commune.objects.filter(kind=Commune.Kind.ARRONDISSEMENT)
    counts = {
        code: arrondissements.filter(parent_id=code).count() for code in ("75056", "69123", "13055")
    }
    assert counts == {"75056": 20, "69123": 9, "13055": 16}
    marseille_13 = commune_by_code("13213")
    assert marseille_13.name == "Marseille 13e Arrondissement"
    assert marseille_13.parent.name == "Marseille"
    assert marseille_13.departement_id == "13"
    assert "13013" in marseille_13.postal_codes.split()
    assert not Commune.objects.filter(kind=Commune.Kind.COMMUNE, parent__isnull=False).exists()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Marseille 13e", "13213"),
        ("marseille 13", "13213"),
        ("Marseille 13ème", "13213"),
        ("marseille 13eme", "13213"),
        ("MARSEILLE 13E ARRONDISSEMENT", "13213"),
        ("Lyon 3e", "69383"),
        ("lyon 3eme", "69383"),
        ("Paris 15", "75115"),
        ("paris 1er", "75101"),
        ("paris 1", "75101"),  # the 1er before the 10e to 19e
    ],
)
def test_a_person_finds_an_arrondissement_however_the_ordinal_is_typed(query, expected):
    """Issue 10: "a person searches 'Marseille 13e'"; 13e/13eme/13ème/13 are the same."""
    assert codes(search_communes(query))[0] == expected


def test_an_ordinal_typed_in_full_names_one_arrondissement():
    assert codes(search_communes("paris 1er")) == ["75101"]
    assert codes(search_communes("marseille 13e")) == ["13213"]


def test_the_commune_comes_before_its_arrondissements():
    results = search_communes("marseille", limit=5)
    assert codes(results)[0] == "13055"
    assert all(c.parent_id == "13055" for c in results[1:])


@pytest.mark.parametrize("query", ["st etienne", "St-Étienne", "ST ETIENNE", "st étienne"])
def test_st_stands_for_saint(query):
    """Issue 10: "st etienne" finds Saint-Étienne."""
    assert codes(search_communes(query))[0] == "42218"


def test_ste_stands_for_sainte_and_a_name_starting_with_ste_is_still_found():
    assert all(c.name.startswith("Sainte-Foy") for c in search_communes("ste foy", limit=5))
    assert "55502" in codes(search_communes("stenay"))  # Stenay: not "saintenay"
    assert "55502" in codes(search_communes("sten"))


def test_a_former_commune_name_offers_the_commune_it_joined_and_says_so():
    """A search by a former name offers the current commune, saying which former commune."""
    results = search_communes("Bâgé-la-Ville")
    assert codes(results) == ["01025"]
    assert results[0].name == "Bâgé-Dommartin"
    assert results[0].label == "Bâgé-la-Ville (ancienne commune), aujourd’hui Bâgé-Dommartin (01)"
    # A commune found by its own name reads as itself.
    assert search_communes("Bâgé-Dommartin")[0].label == "Bâgé-Dommartin (01)"


def test_communes_found_by_their_own_name_come_before_those_found_by_a_former_one():
    results = search_communes("saint", limit=100)
    assert all(not c.former_name for c in results)  # 100 current Saint-… fill the list
    few = search_communes("arbign", limit=10)
    assert [c.former_name for c in few if c.code == "01015"] == ["Arbignieu"]


def test_a_former_code_resolves_to_the_commune_it_joined_only_when_asked():
    """A former code in an import resolves to the current commune (Arboys en Bugey, 01340 → 01015)."""
    assert FormerCommune.objects.filter(code="01340", commune_id="01015").exists()
    assert commune_by_code("01340", former=True).code == "01015"
    assert commune_by_code("01340") is None
    assert commune_by_code("01015", former=True).code == "01015"  # a current code stays itself
    assert commune_by_code("99999", former=True) is None


def test_saint_martin_has_its_time_zone_and_its_holidays():
    """Saint-Martin (978), a collectivité d'outre-mer: America/Marigot, and 28 May (abolition of
    slavery) and 21 July (Victor Schœlcher) are public holidays there, not in Paris."""
    saint_martin = commune_by_code("97801")
    assert saint_martin.name == "Saint-Martin"
    departement = saint_martin.departement
    assert (departement.code, departement.region_id) == ("978", "978")
    assert departement.timezone == "America/Marigot"
    assert departement.holiday_subdivision == "MF"
    assert dates.timezone_for("978") == ZoneInfo("America/Marigot")
    assert not dates.is_working_day(date(2026, 5, 28), "978")
    assert not dates.is_working_day(date(2026, 7, 21), "978")
    assert dates.is_working_day(date(2026, 5, 28), "75")
    # Four hours behind Paris in winter: noon in Marigot is 16:00 UTC.
    noon = datetime(2026, 12, 1, 12, tzinfo=dates.timezone_for("978"))
    assert noon.utcoffset().total_seconds() == -4 * 3600
    assert codes(search_communes("97150")) == ["97801"]
    assert codes(search_communes("saint martin"))[0] == "97801"  # the largest Saint-Martin


def test_saint_pierre_and_saint_barthelemy_have_theirs():
    assert commune_by_code("97502").departement.timezone == "America/Miquelon"
    assert commune_by_code("97701").departement.timezone == "America/St_Barthelemy"
    assert not dates.is_working_day(date(2026, 10, 9), "977")  # abolition of slavery


def test_communes_have_their_centre_and_arrondissements_their_communes():
    """The centre (geo.api.gouv.fr) for the nearest houses; an arrondissement takes its
    commune's; the 16 places without one in the source stay empty, never invented."""
    metz = commune_by_code("57463")
    assert metz.latitude == pytest.approx(49.11, abs=0.05)
    assert metz.longitude == pytest.approx(6.18, abs=0.05)
    marseille, marseille_13 = commune_by_code("13055"), commune_by_code("13213")
    assert (marseille_13.latitude, marseille_13.longitude) == (
        marseille.latitude,
        marseille.longitude,
    )
    without = Commune.objects.filter(latitude__isnull=True)
    assert without.count() == 16
    assert "97801" in set(without.values_list("code", flat=True))
    assert not Commune.objects.filter(latitude__isnull=True, longitude__isnull=False).exists()


def test_search_names_of_the_new_places_are_the_search_key_of_their_names():
    migration = importlib.import_module("msap.territory.migrations.0004_load_places_of_sites")
    for name, search_name in FormerCommune.objects.values_list("name", "search_name").iterator():
        assert search_name == search_key(name) == migration.search_key(name), name
    for name, search_name in Commune.objects.filter(parent__isnull=False).values_list(
        "name", "search_name"
    ):
        assert search_name == search_key(name) == migration.search_key(name), name
