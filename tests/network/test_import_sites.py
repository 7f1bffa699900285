"""`msap import_sites FILE` and network.sites.import_sites: the national list of France
Services sites loaded into houses (issue 10, "The national list of sites, in and out")."""

import csv
import io
from datetime import date, time

import pytest
from django.core.management import CommandError, call_command

from bench import sites as generator
from msap.core.errors import DomainError
from msap.core.models import JournalEntry
from msap.lib import dates
from msap.network import sites
from msap.network.models import House, HouseKind, HouseStatus, SiteFormat, SiteType

pytestmark = pytest.mark.django_db

BASE = {
    "id_fs": "1001",
    "insee_dep": "19",
    "lib_fs": "France Services de Brive",
    "adresse": "1 place de la Mairie",
    "complement_adresse": "",
    "insee_com": "19031",
    "code_postal": "19100",
    "lib_com": "Brive-la-Gaillarde",
    "latitude": "45.158900",
    "longitude": "1.532100",
    "mail": "france-services@brive.exemple.fr",
    "telephone": "05 55 00 00 01",
    "h_lundi": "09:00 - 12:00 / 13:30 - 17:00",
    "h_mardi": "09:00 - 12:00 / 13:30 - 17:00",
    "h_mercredi": "09:00 - 12:00 / 13:30 - 17:00",
    "h_jeudi": "09:00 - 12:00 / 13:30 - 17:00",
    "h_vendredi": "09:00 - 12:00",
    "h_samedi": "",
    "prise_rdv": "Oui",
    "commentaire": "",
    "type_fs": "Principal",
    "format_fs": "Fixe",
    "groupe_fs": "",
    "labellisation_fs": "Espace labellisé 15/01/2024",
}


def csv_bytes(*rows, columns=None, encoding="utf-8") -> bytes:
    columns = columns or sites.COLUMNS
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def row(**changes) -> dict:
    return {**BASE, **changes}


def problems_of(report, column):
    return [p for p in report.problems if p.column == column]


def test_a_row_becomes_a_recognised_house_with_its_hours_and_list_fields():
    report = sites.import_sites(csv_bytes(row()))
    assert (report.created, report.skipped, report.flagged, report.problems) == (1, 0, 0, [])
    house = House.objects.get(id_fs="1001")
    assert house.name == "France Services de Brive"
    assert house.commune_id == "19031"
    assert (house.status, house.recognised_on) == (HouseStatus.RECOGNISED, date(2024, 1, 15))
    assert (house.site_type, house.site_format, house.kind) == (
        SiteType.PRINCIPAL,
        SiteFormat.FIXED,
        HouseKind.FIXED,
    )
    assert house.appointments_online is True
    assert str(house.latitude) == "45.158900"
    assert house.opening_ranges.count() == 9
    assert house.organisation.name == "Gestionnaire non renseigné — 19"
    assert house.import_flags == ""
    assert hasattr(house, "premises")


def test_a_second_run_changes_nothing():
    """Idempotent by id_fs: a second run of the same file changes nothing, journals nothing."""
    data = csv_bytes(
        row(),
        row(
            id_fs="1002",
            lib_fs="France Services de Tulle",
            insee_com="19272",
            code_postal="19000",
            lib_com="Tulle",
        ),
    )
    sites.import_sites(data)
    entries = JournalEntry.objects.count()
    before = list(House.objects.order_by("pk").values())
    report = sites.import_sites(data)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
    assert JournalEntry.objects.count() == entries
    assert list(House.objects.order_by("pk").values()) == before


def test_a_changed_row_updates_its_house_and_journals_the_changes():
    sites.import_sites(csv_bytes(row()))
    house = House.objects.get(id_fs="1001")
    report = sites.import_sites(
        csv_bytes(row(telephone="05 55 99 99 99", h_samedi="09:00 - 12:00"))
    )
    assert (report.updated, report.created) == (1, 0)
    house.refresh_from_db()
    assert house.phone == "05 55 99 99 99"
    assert house.opening_ranges.filter(weekday=5).count() == 1
    entry = JournalEntry.objects.filter(action="house.updated", house_id=house.pk).get()
    assert entry.changes["phone"] == ["05 55 00 00 01", "05 55 99 99 99"]
    assert [5, "09:00", "12:00"] in entry.changes["hours"][1]


def test_an_interrupted_run_keeps_its_finished_batches_and_a_rerun_completes_it(monkeypatch):
    """Resumable: batches are committed; a rerun after an interruption finishes the file."""
    rows = [row(id_fs=str(2000 + n), lib_fs=f"France Services n°{n}") for n in range(7)]
    data = csv_bytes(*rows)
    monkeypatch.setattr(sites, "BATCH_SIZE", 3)
    real_save = sites._save_site
    calls = []

    def interrupted(site, house, organisations):
        calls.append(site.id_fs)
        if len(calls) == 5:
            raise KeyboardInterrupt  # the operator's Ctrl-C in the second batch
        return real_save(site, house, organisations)

    monkeypatch.setattr(sites, "_save_site", interrupted)
    with pytest.raises(KeyboardInterrupt):
        sites.import_sites(data)
    assert House.objects.filter(id_fs__startswith="2").count() == 3  # the first batch only
    monkeypatch.setattr(sites, "_save_site", real_save)
    report = sites.import_sites(data)
    assert (report.unchanged, report.created) == (3, 4)
    assert House.objects.filter(id_fs__startswith="2").count() == 7


def test_a_file_in_another_encoding_is_refused_whole():
    data = csv_bytes(
        row(lib_fs="France Services de Brive-la-Gaillarde à l'Hôtel de ville"), encoding="latin-1"
    )
    with pytest.raises(
        DomainError, match=r"n'est pas encodé en UTF-8.*ligne 2.*Rien n'a été importé"
    ):
        sites.import_sites(data)
    assert not House.objects.exists()


def test_the_command_refuses_a_bad_file_with_a_french_message(tmp_path):
    path = tmp_path / "liste.csv"
    path.write_bytes(csv_bytes(row(adresse="Hôtel de ville"), encoding="cp1252"))
    with pytest.raises(CommandError, match="UTF-8"):
        call_command("import_sites", str(path), "--quiet")
    with pytest.raises(CommandError, match="Impossible de lire le fichier"):
        call_command("import_sites", str(tmp_path / "absent.csv"))
    assert not House.objects.exists()


def test_missing_columns_refuse_the_whole_file():
    columns = [c for c in sites.COLUMNS if c not in ("h_mardi", "labellisation_fs")]
    with pytest.raises(DomainError, match="Colonnes manquantes : h_mardi, labellisation_fs"):
        sites.import_sites(csv_bytes(row(), columns=columns))
    assert not House.objects.exists()


def test_extra_columns_are_ignored_with_a_note_and_a_semicolon_file_is_read():
    columns = [*sites.COLUMNS, "date_maj", "source"]
    data = csv_bytes({**row(), "date_maj": "2026-01-01", "source": "ANCT"}, columns=columns)
    report = sites.import_sites(data.replace(b",", b";"))
    assert report.created == 1
    assert report.notes == ["Colonnes inconnues ignorées : date_maj, source."]


def test_a_range_that_ends_before_it_starts_is_reported_skipped_and_flagged_never_fixed():
    report = sites.import_sites(csv_bytes(row(h_mardi="09:00 - 12:00 / 17:00 - 13:30")))
    (problem,) = problems_of(report, "h_mardi")
    assert problem.line == 2
    assert problem.value == "09:00 - 12:00 / 17:00 - 13:30"
    assert "finit avant de commencer" in problem.reason
    assert "Ligne 2, colonne h_mardi" in str(problem)
    house = House.objects.get(id_fs="1001")
    tuesday = list(house.opening_ranges.filter(weekday=1).values_list("start", "end"))
    assert tuesday == [(time(9), time(12))]  # not 13:30–17:00: never guessed
    assert "mardi" in house.import_flags and "17:00 - 13:30" in house.import_flags


def test_a_recognised_site_under_24_hours_or_3_days_is_imported_and_flagged():
    """Art. 3.2: the site exists; refusing it would hide the problem."""
    thin = row(
        h_lundi="09:00 - 12:00", h_mardi="", h_mercredi="", h_jeudi="09:00 - 12:00", h_vendredi=""
    )
    report = sites.import_sites(csv_bytes(thin))
    assert (report.created, report.flagged) == (1, 1)
    house = House.objects.get(id_fs="1001")
    assert house.status == HouseStatus.RECOGNISED
    assert "au moins 24 heures" in house.import_flags
    assert "au moins 3 jours" in house.import_flags
    assert House.objects.exclude(import_flags="").count() == 1


def test_an_itinerant_site_without_hours_keeps_its_stops_in_its_comment():
    itinerant = row(
        format_fs="Itinérante",
        commentaire="Étapes : lundi Tulle ; mercredi Ussel",
        **dict.fromkeys(sites.HOUR_COLUMNS, ""),
    )
    sites.import_sites(csv_bytes(itinerant))
    house = House.objects.get(id_fs="1001")
    assert house.kind == HouseKind.MOBILE
    assert house.public_comment == "Étapes : lundi Tulle ; mercredi Ussel"
    assert not house.opening_ranges.exists()
    assert "Site itinérant sans horaires" in house.import_flags


def test_a_former_commune_code_resolves_to_the_commune_it_joined():
    """A former code (Arboys en Bugey's 01340) in an import resolves to the current commune."""
    report = sites.import_sites(
        csv_bytes(row(insee_dep="01", insee_com="01340", code_postal="01300", lib_com="Arbignieu"))
    )
    assert House.objects.get(id_fs="1001").commune_id == "01015"
    (problem,) = problems_of(report, "insee_com")
    assert "ancien code" in problem.reason


def test_an_unknown_code_falls_back_to_postal_code_and_name_else_the_row_is_skipped_whole():
    report = sites.import_sites(
        csv_bytes(
            row(insee_com="19999"),  # Brive by its postal code and name
            row(id_fs="1002", insee_com="99999", code_postal="99999", lib_com="Nulle-Part"),
        )
    )
    assert House.objects.get(id_fs="1001").commune_id == "19031"
    assert not House.objects.filter(id_fs="1002").exists()
    assert (report.created, report.skipped) == (1, 1)
    assert any(p.line == 3 and "Ligne ignorée" in p.reason for p in report.problems)


def test_a_site_in_a_municipal_arrondissement():
    sites.import_sites(
        csv_bytes(
            row(
                insee_dep="13",
                insee_com="13213",
                code_postal="13013",
                lib_com="Marseille 13e Arrondissement",
            )
        )
    )
    house = House.objects.get(id_fs="1001")
    assert house.commune.parent_id == "13055"
    assert house.commune.departement_id == "13"


def test_a_site_in_saint_martin_lives_in_its_time_zone_and_holidays():
    sites.import_sites(
        csv_bytes(
            row(
                insee_dep="978",
                insee_com="97801",
                code_postal="97150",
                lib_com="Saint-Martin",
                latitude="18.0675",
                longitude="-63.0829",
            )
        )
    )
    house = House.objects.get(id_fs="1001")
    assert house.timezone == "America/Marigot"
    assert house.organisation.departement_id == "978"
    assert not dates.is_working_day(date(2026, 5, 28), house.commune.departement_id)


def test_unreadable_cells_are_reported_and_left_empty_not_guessed():
    report = sites.import_sites(
        csv_bytes(
            row(
                latitude="quarante-cinq",
                mail="pas-une-adresse",
                prise_rdv="Peut-être",
                type_fs="Annexe",
                format_fs="Camion",
                labellisation_fs="Bientôt",
                h_lundi="matin",
            )
        )
    )
    columns = {p.column for p in report.problems}
    assert {
        "latitude",
        "mail",
        "prise_rdv",
        "type_fs",
        "format_fs",
        "labellisation_fs",
        "h_lundi",
    } <= columns
    house = House.objects.get(id_fs="1001")
    assert (house.latitude, house.longitude, house.email, house.appointments_online) == (
        None,
        None,
        "",
        None,
    )
    assert (house.site_type, house.site_format, house.status) == ("", "", HouseStatus.PROJECT)


def test_a_row_without_id_a_duplicate_id_or_an_absurd_name_is_skipped():
    report = sites.import_sites(
        csv_bytes(
            row(id_fs=""),
            row(),
            row(lib_fs="France Services bis"),
            row(id_fs="1003", lib_fs="x" * 500),
        )
    )
    assert (report.created, report.skipped) == (1, 3)
    assert House.objects.get().name == "France Services de Brive"


def test_the_command_prints_progress_the_report_and_the_summary(tmp_path, capsys):
    path = tmp_path / "liste.csv"
    path.write_bytes(csv_bytes(row(h_mardi="17:00 - 13:30")))
    call_command("import_sites", str(path))
    out, err = capsys.readouterr()
    assert "Import : 1/1 lignes" in err
    assert "Ligne 2, colonne h_mardi, valeur « 17:00 - 13:30 »" in out
    assert out.strip().endswith("1 cellule(s) illisible(s).")


def test_the_generated_national_file_has_the_layout_and_imports_without_loss(tmp_path):
    """bench/sites.py writes the exact layout, with the real file's dirtiness."""
    assert generator.COLUMNS == sites.COLUMNS
    path = generator.write_national_file(tmp_path / "liste.csv", sites=150, seed=7)
    report = sites.import_sites_file(path)
    assert (report.rows, report.created, report.skipped) == (150, 150, 0)
    assert House.objects.filter(commune_id="97801").count() == generator.SAINT_MARTIN_SITES
    assert report.flagged >= 1


def test_the_house_page_shows_the_list_fields_and_the_overseers_filter_the_flagged(client, world):
    """The national cell sees why a site fails a rule, and lists the flagged houses."""
    thin = row(h_mardi="", h_mercredi="", h_jeudi="", commentaire="Accueil <b>sur rendez-vous</b>")
    sites.import_sites(csv_bytes(thin, row(id_fs="1002", lib_fs="France Services complète")))
    flagged = House.objects.get(id_fs="1001")
    client.force_login(world.users.national)
    page = client.get(f"/maisons/{flagged.pk}/").content.decode()
    assert "Liste nationale des sites France Services" in page
    assert "1001" in page and "Principal" in page
    assert "Accueil &lt;b&gt;sur rendez-vous&lt;/b&gt;" in page  # escaped, never executed
    assert "Signalements de l&#x27;import" in page or "Signalements de l'import" in page
    assert "au moins 24 heures" in page
    listed = client.get("/maisons/", {"flagged": "1"}).content.decode()
    assert "France Services de Brive" in listed
    assert "France Services complète" not in listed
    assert client.get("/maisons/", {"flagged": "oui?"}).status_code == 200  # ignored, no 500
