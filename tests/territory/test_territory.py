"""The administrative geography loaded by territory/migrations/0002 and its look-ups."""

import importlib
from zoneinfo import ZoneInfo

import holidays
import pytest

from msap.territory.models import Commune, Departement, Region, search_key
from msap.territory.services import commune_by_code, search_communes

pytestmark = pytest.mark.django_db

OVERSEAS = {
    "971": ("Guadeloupe", "America/Guadeloupe"),
    "972": ("Martinique", "America/Martinique"),
    "973": ("Guyane", "America/Cayenne"),
    "974": ("La Réunion", "Indian/Reunion"),
    "976": ("Mayotte", "Indian/Mayotte"),
}
COLLECTIVITES = {
    "975": ("Saint-Pierre-et-Miquelon", "America/Miquelon"),
    "977": ("Saint-Barthélemy", "America/St_Barthelemy"),
    "978": ("Saint-Martin", "America/Marigot"),
}


def codes(communes):
    return [commune.code for commune in communes]


# --- The geography itself -------------------------------------------------------------------


def test_the_101_departements_and_3_collectivites_exist_each_in_its_region():
    assert Departement.objects.count() == 101 + 3  # + Saint-Pierre, Saint-Barthélemy, Saint-Martin
    assert Region.objects.count() == 18 + 3
    assert not Departement.objects.filter(region__isnull=True).exists()
    assert Departement.objects.get(code="75").region.name == "Île-de-France"
    assert Departement.objects.get(code="57").region.name == "Grand Est"
    assert Departement.objects.get(code="974").region.name == "La Réunion"
    # Every région has at least one département, and every département at least one commune.
    assert not Region.objects.filter(departements__isnull=True).exists()
    assert not Departement.objects.filter(communes__isnull=True).exists()


def test_corsica_is_two_departements_2a_and_2b_with_no_20():
    corse_du_sud = Departement.objects.get(code="2A")
    haute_corse = Departement.objects.get(code="2B")
    assert (corse_du_sud.name, haute_corse.name) == ("Corse-du-Sud", "Haute-Corse")
    assert corse_du_sud.region_id == haute_corse.region_id == "94"
    assert not Departement.objects.filter(code="20").exists()
    assert commune_by_code("2A004").name == "Ajaccio"
    assert commune_by_code("2B033").name == "Bastia"


def test_overseas_departements_and_collectivites_have_their_own_time_zone():
    for code, (name, zone) in OVERSEAS.items() | COLLECTIVITES.items():
        departement = Departement.objects.get(code=code)
        assert departement.name == name
        assert departement.timezone == zone
        ZoneInfo(departement.timezone)  # a real IANA zone
    assert Departement.objects.get(code="75").timezone == "Europe/Paris"
    assert Departement.objects.get(code="2A").timezone == "Europe/Paris"


def test_overseas_and_alsace_moselle_departements_have_their_holiday_subdivision():
    expected = {code: code for code in OVERSEAS} | {"57": "57", "67": "6AE", "68": "6AE"}
    expected |= {"975": "PM", "977": "BL", "978": "MF"}
    for departement in Departement.objects.all():
        assert departement.holiday_subdivision == expected.get(departement.code)
        if departement.holiday_subdivision:
            assert departement.holiday_subdivision in holidays.France.subdivisions


def test_current_communes_arrondissements_and_the_collectivites_where_sites_exist_are_loaded():
    """Issue 10: the territory knows every place a France Services site can be."""
    assert 34_500 < Commune.objects.filter(kind=Commune.Kind.COMMUNE).count() < 35_500
    assert Commune.objects.filter(kind=Commune.Kind.ARRONDISSEMENT).count() == 45
    assert not Commune.objects.filter(code__startswith="98").exists()  # COM: Polynesia…
    assert {c.code for c in Commune.objects.filter(departement__code__in=COLLECTIVITES)} == {
        "97501",
        "97502",
        "97701",
        "97801",
    }


def test_known_communes_have_their_postal_codes():
    paris = commune_by_code("75056")
    assert paris.name == "Paris"
    assert paris.departement_id == "75"
    assert {"75001", "75116", "75020"} <= set(paris.postal_codes.split())
    assert paris.population > 2_000_000

    saint_denis = commune_by_code("97411")
    assert (saint_denis.name, saint_denis.departement_id) == ("Saint-Denis", "974")
    assert "97400" in saint_denis.postal_codes.split()
    assert saint_denis.departement.timezone == "Indian/Reunion"

    metz = commune_by_code("57463")
    assert metz.name == "Metz"
    assert "57000" in metz.postal_codes.split()
    assert metz.departement.holiday_subdivision == "57"


def test_commune_by_code_normalises_the_code_and_returns_none_when_unknown():
    assert commune_by_code(" 2a004 ").code == "2A004"
    assert commune_by_code("99999") is None
    assert commune_by_code("") is None


# --- The type-ahead -------------------------------------------------------------------------


def test_search_ignores_accents_and_case_in_the_name_prefix():
    for query in ("Saint-Étienne", "saint-etienne", "SAINT ETIENNE", "saint étien"):
        assert codes(search_communes(query))[0] == "42218", query  # Saint-Étienne (Loire)
    assert "91228" in codes(search_communes("evry"))  # Évry-Courcouronnes
    assert "91228" in codes(search_communes("ÉVRY"))


def test_search_folds_ligatures_hyphens_and_apostrophes():
    assert "94038" in codes(search_communes("l hay les roses"))  # L'Haÿ-les-Roses
    assert "94038" in codes(search_communes("L'Haÿ-les"))
    # Found by its own name, or by the name of a former commune that merged into it.
    assert all(
        c.search_name.startswith("oe") or search_key(c.former_name).startswith("oe")
        for c in search_communes("Œ")
    )
    assert search_communes("oeu")  # Œuilly and others, typed without the ligature


def test_search_is_a_prefix_match_on_the_name():
    assert "57463" not in codes(search_communes("etz"))  # not Metz: a prefix, not a substring
    assert codes(search_communes("etz")) == ["57202"]  # Etzling
    assert codes(search_communes("metz"))[0] == "57463"


def test_search_by_postal_code_or_its_beginning():
    assert codes(search_communes("57000")) == ["57463"]
    assert "97411" in codes(search_communes("97400"))
    # A postal code that is not the first of the commune's list (Paris 16e).
    # …and the arrondissement it serves.
    assert codes(search_communes("75116")) == ["75056", "75116"]
    assert codes(search_communes("750"))[0] == "75056"


def test_search_by_insee_code_including_corsica():
    assert codes(search_communes("57463")) == ["57463"]
    assert codes(search_communes("2a004")) == ["2A004"]


def test_search_within_a_departement():
    results = search_communes("saint-denis", departement="974")
    assert codes(results) == ["97411"]
    assert all(c.departement_id == "93" for c in search_communes("saint d", departement="93"))


def test_search_puts_the_largest_communes_first_and_respects_the_limit():
    results = search_communes("saint", limit=5)
    assert len(results) == 5
    populations = [c.population for c in results]
    assert populations == sorted(populations, reverse=True)
    assert len(search_communes("saint", limit=1000)) == 100  # capped


def test_search_with_an_empty_query_returns_nothing():
    assert search_communes("") == []
    assert search_communes("   ") == []
    assert search_communes("-'") == []


# --- Consistency between the data migration and the model -----------------------------------


def test_search_name_of_every_commune_is_the_search_key_of_its_name():
    migration = importlib.import_module(
        "msap.territory.migrations.0002_load_administrative_geography"
    )
    for name, search_name in Commune.objects.values_list("name", "search_name").iterator():
        assert search_name == search_key(name) == migration.search_key(name), name


def test_saving_a_commune_keeps_its_search_name_in_step():
    metz = commune_by_code("57463")
    metz.name = "Metz-Ville Élargie"
    metz.save(update_fields=["name"])
    metz.refresh_from_db()
    assert metz.search_name == "metz ville elargie"
    assert codes(search_communes("metz ville e")) == ["57463"]
