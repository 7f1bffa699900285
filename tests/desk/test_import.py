"""Import of historical attendance from CSV/XLSX: row-by-row checks, French report, no silent
partial import, no duplicate on re-import."""

import csv
import html
import io
import re
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from msap.core.models import JournalEntry
from msap.desk import imports
from msap.desk.models import ServiceRequest
from tests import factories as f
from tests.conftest import login

PARIS = ZoneInfo("Europe/Paris")
UPLOAD = "/imports/"
HEADER = [
    "date",
    "heure",
    "canal",
    "partenaire",
    "categorie",
    "prestation",
    "duree_minutes",
    "suite",
    "commune",
    "premiere_visite",
    "besoins",
]
GOOD = [
    [
        "14/05/2024",
        "09:30",
        "accueil",
        "CAF",
        "B1",
        "B1.3",
        "20",
        "réponse sur place",
        "19272",
        "oui",
        "langue",
    ],
    ["2024-05-14", "10:05", "téléphone", "cpam", "B2", "", "15", "rendez-vous", "", "non", ""],
    [
        "15/05/2024",
        "",
        "courriel",
        "France Travail",
        "A",
        "",
        "",
        "",
        "19275",
        "",
        "handicap / crise",
    ],
]


def csv_file(
    rows, header=HEADER, *, delimiter=";", bom=True, encoding="utf-8", name="historique.csv"
):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    content = ("\ufeff" if bom else "") + out.getvalue()
    return SimpleUploadedFile(name, content.encode(encoding), content_type="text/csv")


def xlsx_file(rows, header=HEADER, name="historique.xlsx"):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def upload(client, house, file, mode=imports.ALL_OR_NOTHING):
    return client.post(UPLOAD, {"house": house.pk, "mode": mode, "file": file})


def run(world, file, mode=imports.ALL_OR_NOTHING, user=None):
    return imports.import_file(user or world.users.agent, world.house, file, mode)


def text(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(response.content.decode()))


# --- good files ----------------------------------------------------------------------------------


def test_csv_with_semicolons_and_bom_imports_every_row(client, one_house):
    login(client, one_house.users.agent)

    response = upload(client, one_house.house, csv_file(GOOD))

    assert response.status_code == 200
    assert "3 demandes importées" in text(response)
    first, second, third = ServiceRequest.objects.order_by("occurred_at")
    assert first.occurred_at == datetime(2024, 5, 14, 9, 30, tzinfo=PARIS)
    assert (first.channel, first.partner.code, first.category.code, first.item.code) == (
        "counter",
        "caf",
        "B1",
        "B1.3",
    )
    assert first.duration_minutes == 20 and first.outcome == "answered"
    assert first.commune_id == "19272" and first.first_visit is True and first.need_language
    assert first.agent == one_house.users.agent and first.house == one_house.house
    assert (second.channel, second.partner.code, second.outcome, second.first_visit) == (
        "phone",
        "cpam",
        "appointment",
        False,
    )
    # No hour: noon, house time; empty duration and outcome: the tool's defaults.
    assert third.occurred_at == datetime(2024, 5, 15, 12, 0, tzinfo=PARIS)
    assert third.partner.code == "france-travail" and third.duration_minutes == 10
    assert third.need_disability and third.need_crisis and not third.need_language


def test_csv_with_commas_in_windows_encoding_imports(one_house):
    rows = [
        [
            "14/05/2024",
            "14h15",
            "Accueil physique",
            "caf",
            "C",
            "",
            "45",
            "Situation complexe",
            "",
            "",
            "Difficulté sociale",
        ]
    ]

    report = run(one_house, csv_file(rows, delimiter=",", bom=False, encoding="cp1252"))

    assert (report.imported, report.rejected) == (1, [])
    stored = ServiceRequest.objects.get()
    assert stored.occurred_at == datetime(2024, 5, 14, 14, 15, tzinfo=PARIS)
    assert stored.outcome == "complex" and stored.need_social


def test_xlsx_built_with_openpyxl_imports_typed_cells(one_house):
    rows = [
        [
            datetime(2024, 3, 4),
            time(11, 45),
            "visio",
            "CPAM",
            "B3",
            "B3.3",
            30,
            "rdv",
            19031,
            True,
            None,
        ],
        [date(2024, 3, 5), None, "itinérant", "caf", "b1", None, 12.0, None, "19272", "non", None],
    ]

    report = run(one_house, xlsx_file(rows))

    assert (report.imported, report.rejected) == (2, [])
    first, second = ServiceRequest.objects.order_by("occurred_at")
    assert first.occurred_at == datetime(2024, 3, 4, 11, 45, tzinfo=PARIS)
    assert (first.channel, first.item.code, first.duration_minutes, first.commune_id) == (
        "video",
        "B3.3",
        30,
        "19031",
    )
    assert first.first_visit is True
    assert (second.channel, second.category.code, second.duration_minutes) == ("mobile", "B1", 12)


def test_procedure_is_matched_by_label_for_its_partner(one_house):
    header = [*HEADER, "demarche"]
    rows = [[*GOOD[0], "prime d'activité"], [*GOOD[1], "Prime d'activité"]]

    report = run(one_house, csv_file(rows, header), imports.REJECTS_ONLY)

    assert report.imported == 1
    assert ServiceRequest.objects.get().procedure.label == "Prime d'activité"
    assert report.rejected[0].line == 3
    assert "Démarche inconnue pour le partenaire CPAM" in report.rejected[0].reason


# --- bad rows ------------------------------------------------------------------------------------


def test_all_or_nothing_with_one_bad_row_imports_nothing_and_reports_the_line(client, one_house):
    login(client, one_house.users.agent)
    bad = ["16/05/2024", "10:00", "accueil", "Banque de France", "B1", "", "10", "", "", "", ""]

    response = upload(client, one_house.house, csv_file([*GOOD, bad]))

    page = text(response)
    assert "Rien n'a été importé" in page
    assert '<th scope="row">5</th>' in page  # header = line 1
    assert "Partenaire inconnu : « Banque de France »" in page
    assert ServiceRequest.objects.count() == 0


def test_rejects_only_imports_the_good_rows_and_reports_the_bad(client, world):
    login(client, world.users.agent)
    bad = ["16/05/2024", "10:00", "accueil", "caf", "Z", "", "600", "", "", "", ""]

    response = upload(client, world.house, csv_file([GOOD[0], bad, GOOD[1]]), imports.REJECTS_ONLY)

    page = text(response)
    assert ServiceRequest.objects.count() == 2
    assert "2 demandes importées, des lignes écartées" in page
    assert "Catégorie inconnue : « Z »" in page
    assert '<th scope="row">3</th>' in page


@pytest.mark.parametrize(
    ("cells", "reason"),
    [
        ({"date": "31/02/2024"}, "Date illisible"),
        ({"date": ""}, "La date est obligatoire"),
        ({"date": "01/01/2099"}, "ne peut pas être dans le futur"),
        ({"heure": "25:00"}, "Heure illisible"),
        ({"canal": "mail"}, "« mail » est ambigu"),
        ({"canal": "pigeon"}, "Valeur inconnue pour canal"),
        ({"canal": ""}, "Le champ canal est obligatoire"),
        ({"categorie": "", "prestation": ""}, "La catégorie est obligatoire"),
        ({"prestation": "B9.9"}, "Prestation inconnue"),
        ({"prestation": "A.1"}, "n'appartient pas à la catégorie B1"),
        ({"duree_minutes": "481"}, "entre 0 et 480 minutes"),
        ({"duree_minutes": "1 h"}, "doit être un nombre entier"),
        ({"suite": "peut-être"}, "Valeur inconnue pour suite"),
        ({"commune": "19000"}, "Commune inconnue"),
        ({"premiere_visite": "bof"}, "répondez oui ou non"),
        ({"besoins": "fatigue"}, "Besoin inconnu"),
    ],
)
def test_each_bad_value_is_refused_with_a_french_reason(one_house, cells, reason):
    row = dict(zip(HEADER, GOOD[0], strict=True)) | cells

    report = run(one_house, csv_file([list(row.values())]))

    assert report.imported == 0
    assert [r.line for r in report.rejected] == [2]
    assert reason in report.rejected[0].reason
    assert ServiceRequest.objects.count() == 0


def test_every_reason_of_a_row_is_reported(one_house):
    row = ["32/13/2024", "", "pigeon", "caf", "Z", "", "", "", "", "", ""]

    report = run(one_house, csv_file([row]))

    reason = report.rejected[0].reason
    assert "Date illisible" in reason and "canal" in reason and "Catégorie inconnue" in reason


# --- re-import -----------------------------------------------------------------------------------


def test_reimporting_the_same_file_creates_nothing_new(client, one_house):
    login(client, one_house.users.agent)
    upload(client, one_house.house, csv_file(GOOD))

    response = upload(client, one_house.house, csv_file(GOOD))

    assert ServiceRequest.objects.count() == 3
    page = text(response)
    assert "Ce fichier a déjà été importé" in page
    assert '<td id="count-present">3</td>' in page and '<td id="count-imported">0</td>' in page


def test_same_file_reimported_by_a_colleague_creates_nothing_new(one_house):
    run(one_house, csv_file(GOOD))

    report = run(one_house, csv_file(GOOD), user=one_house.users.responsable)

    assert (report.imported, report.already_present) == (0, 3)
    assert ServiceRequest.objects.count() == 3


def test_rejects_only_then_full_file_again_adds_nothing(world):
    bad = ["16/05/2024", "10:00", "accueil", "caf", "Z", "", "", "", "", "", ""]
    run(world, csv_file([*GOOD, bad]), imports.REJECTS_ONLY)

    report = run(world, csv_file([*GOOD, bad]), imports.REJECTS_ONLY)

    assert (report.imported, report.already_present, len(report.rejected)) == (0, 3, 1)
    assert ServiceRequest.objects.count() == 3


def test_an_import_is_written_to_the_journal(one_house):
    run(one_house, csv_file(GOOD))

    entry = JournalEntry.objects.get(action="requests.imported")
    assert entry.house_id == one_house.house.pk and entry.actor == one_house.users.agent
    assert entry.changes["imported"] == 3


# --- rejects file ----------------------------------------------------------------------------------


def test_rejects_csv_is_downloadable_and_can_be_corrected_and_imported(client, one_house):
    login(client, one_house.users.agent)
    bad = ["16/05/2024", "10:00", "accueil", "caf", "Z", "", "10", "", "", "", ""]
    page = upload(
        client, one_house.house, csv_file([GOOD[0], bad]), imports.REJECTS_ONLY
    ).content.decode()
    token = re.search(r'name="rejects" value="([^"]+)"', page).group(1)

    response = client.post(reverse("import_rejects"), {"rejects": token})

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="rejets.csv"'
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(content.lstrip("\ufeff")), delimiter=";"))
    assert rows[0] == ["ligne", "motif", *HEADER]
    assert rows[1][0] == "3" and "Catégorie inconnue" in rows[1][1]
    # Corrected, the rejects file imports as it is: its "ligne" and "motif" columns are ignored.
    rows[1][2 + HEADER.index("categorie")] = "B1"
    fixed = io.StringIO()
    csv.writer(fixed, delimiter=";").writerows(rows)
    report = run(one_house, SimpleUploadedFile("rejets.csv", fixed.getvalue().encode()))
    assert (report.imported, report.ignored_columns) == (1, [])
    assert ServiceRequest.objects.count() == 2


def test_rejects_download_is_refused_to_another_user_or_with_a_forged_token(client, world):
    login(client, world.users.agent)
    bad = ["16/05/2024", "10:00", "accueil", "caf", "Z", "", "10", "", "", "", ""]
    page = upload(client, world.house, csv_file([bad]), imports.REJECTS_ONLY).content.decode()
    token = re.search(r'name="rejects" value="([^"]+)"', page).group(1)

    assert client.post(reverse("import_rejects"), {"rejects": token + "x"}).status_code == 404
    login(client, world.users.responsable)
    assert client.post(reverse("import_rejects"), {"rejects": token}).status_code == 403


# --- bad files -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\x00\x00", "Type de fichier refusé"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "Type de fichier refusé"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "Excel 97-2003"),
        (b"PK\x03\x04" + b"\x00" * 64, "Type de fichier refusé"),
        (b"", "Le fichier est vide"),
        ("\ufeff\r\n\r\n".encode(), "Le fichier est vide"),
        ("\ufeffdate;heure;canal;partenaire;categorie\r\n".encode(), "aucune ligne de demande"),
        (
            b"date;canal;prestation\r\n14/05/2024;accueil;B1.3\r\n",
            "« partenaire », « categorie »",
        ),
        (b"une seule colonne\r\nbonjour\r\n", "n'a qu'une colonne"),
    ],
)
def test_a_bad_file_is_refused_in_french_and_nothing_imported(client, one_house, content, message):
    login(client, one_house.users.agent)

    response = upload(client, one_house.house, SimpleUploadedFile("historique.csv", content))

    assert response.status_code == 200
    page = text(response)
    assert "Rien n'a été importé" in page
    assert message in page
    assert ServiceRequest.objects.count() == 0


def test_a_word_document_renamed_xlsx_is_refused(one_house):
    from zipfile import ZipFile

    out = io.BytesIO()
    with ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(imports.ImportRefused, match="Type de fichier refusé"):
        run(one_house, SimpleUploadedFile("historique.xlsx", out.getvalue()))


def test_a_too_large_file_is_refused(one_house, settings):
    settings.MSAP_MAX_UPLOAD_BYTES = 200

    with pytest.raises(imports.ImportRefused, match="trop volumineux"):
        run(one_house, csv_file(GOOD * 5))
    assert ServiceRequest.objects.count() == 0


def test_a_file_over_the_row_limit_is_refused(one_house, monkeypatch):
    monkeypatch.setattr(imports, "MAX_ROWS", 2)

    with pytest.raises(imports.ImportRefused, match="plus de 2 lignes"):
        run(one_house, csv_file(GOOD))
    assert ServiceRequest.objects.count() == 0


def test_blank_rows_are_ignored_counted_and_never_cut_a_file_short(world, monkeypatch):
    monkeypatch.setattr(imports, "MAX_ROWS", 3)
    blank = [""] * len(HEADER)

    report = run(world, csv_file([GOOD[0], blank, blank, GOOD[1], *[blank] * 10, GOOD[2]]))

    assert (report.rows_read, report.blank_rows, report.imported) == (3, 12, 3)
    assert [r.line for r in report.rejected] == []


def test_unknown_columns_are_ignored_and_named_in_the_report(one_house):
    report = run(one_house, csv_file([[*GOOD[0], "x"]], [*HEADER, "Commentaire"]))

    assert report.imported == 1 and report.ignored_columns == ["Commentaire"]


def test_a_duplicated_column_is_refused(one_house):
    with pytest.raises(imports.ImportRefused, match="apparaît deux fois"):
        run(one_house, csv_file([[*GOOD[0], "B2"]], [*HEADER, "Catégorie"]))


# --- volume --------------------------------------------------------------------------------------


def test_a_5000_row_file_imports_completely(one_house):
    rows = [
        [
            f"{1 + i % 28:02d}/{1 + i % 12:02d}/2024",
            f"{8 + i % 9:02d}:{i % 60:02d}",
            ["accueil", "téléphone", "courriel"][i % 3],
            ["caf", "cpam", "dgfip", "ants"][i % 4],
            ["A", "B1", "B2"][i % 3],
            "",
            str(5 + i % 40),
            "",
            ["19272", "19275", ""][i % 3],
            ["oui", "non", ""][i % 3],
            "",
        ]
        for i in range(5000)
    ]

    report = run(one_house, csv_file(rows))

    assert (report.imported, report.rejected) == (5000, [])
    assert ServiceRequest.objects.filter(house=one_house.house).count() == 5000


# --- pages and access ----------------------------------------------------------------------------


def test_upload_page_offers_the_staffs_houses_only(client, world):
    login(client, world.users.agent)

    response = client.get(UPLOAD, {"house": world.house.pk})

    assert response.status_code == 200
    page = text(response)
    assert "France Services de Tulle" in page and "France Services d'Ussel" not in page
    assert 'for="id_file"' in page and 'for="id_house"' in page


@pytest.mark.parametrize("role", ["referent_caf", "prefecture", "national", "norole"])
def test_import_is_refused_to_non_staff(client, world, role):
    login(client, getattr(world.users, role))

    assert client.get(UPLOAD).status_code == 403
    assert upload(client, world.house, csv_file(GOOD)).status_code == 403
    assert ServiceRequest.objects.count() == 0


def test_import_requires_login(client, one_house):
    response = upload(client, one_house.house, csv_file(GOOD))

    assert response.status_code == 302 and "/connexion/" in response["Location"]
    assert ServiceRequest.objects.count() == 0


def test_agent_cannot_import_into_a_house_they_do_not_work_in(client, world):
    login(client, world.users.agent)

    response = upload(client, world.other, csv_file(GOOD))

    assert response.status_code == 200
    assert "Choisissez une maison où vous travaillez" in text(response)
    assert ServiceRequest.objects.count() == 0


# --- template and documentation --------------------------------------------------------------------


def test_templates_carry_the_documented_columns(client, one_house):
    login(client, one_house.users.agent)

    as_csv = client.get(reverse("import_template", args=["csv"]))
    as_xlsx = client.get(reverse("import_template", args=["xlsx"]))

    assert as_csv["Content-Disposition"] == 'attachment; filename="modele.csv"'
    assert as_csv.content.decode("utf-8").startswith("\ufeff" + ";".join(imports.COLUMN_NAMES))
    assert as_xlsx["Content-Disposition"] == 'attachment; filename="modele.xlsx"'
    workbook = load_workbook(io.BytesIO(as_xlsx.content), read_only=True)
    assert list(next(workbook.worksheets[0].iter_rows(values_only=True))) == imports.COLUMN_NAMES
    assert workbook.sheetnames == ["Demandes", "Aide"]


def test_template_filled_in_excel_imports(one_house):
    workbook = load_workbook(io.BytesIO(imports.template_xlsx()))
    row = dict.fromkeys(imports.COLUMN_NAMES) | {
        "date": datetime(2024, 2, 1),
        "canal": "accueil",
        "partenaire": "DGFiP",
        "categorie": "B1",
    }
    workbook.worksheets[0].append([row[name] for name in imports.COLUMN_NAMES])
    out = io.BytesIO()
    workbook.save(out)

    report = run(one_house, SimpleUploadedFile("modele.xlsx", out.getvalue()))

    assert report.imported == 1
    assert ServiceRequest.objects.get().partner.code == "dgfip"


def test_documentation_lists_every_column_and_accepted_word():
    doc = (Path(__file__).resolve().parents[2] / "docs" / "import-template.md").read_text().lower()

    for column in imports.COLUMN_NAMES:
        assert f"`{column}`" in doc
    for words in (
        imports.CHANNEL_WORDS,
        imports.OUTCOME_WORDS,
        imports.AUTONOMY_WORDS,
        imports.AGE_WORDS,
        imports.NEED_WORDS,
    ):
        for value, spellings in words.items():
            assert str(value).removeprefix("need_") in doc
            for spelling in spellings:
                assert spelling.lower() in doc, spelling


def test_other_house_staff_import_stays_in_their_house(world):
    report = imports.import_file(
        world.users.other_agent, world.other, csv_file(GOOD), imports.ALL_OR_NOTHING
    )

    assert report.imported == 3
    assert set(ServiceRequest.objects.values_list("house_id", flat=True)) == {world.other.pk}
    assert f.national_partner("caf").requests.count() == 1
