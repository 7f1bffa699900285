"""Load the places a France Services site can be in beyond the current communes of the 101
départements, from the committed data/places.json.gz: the collectivités d'outre-mer where sites
exist (975, 977, 978), the 45 municipal arrondissements of Paris, Lyon and Marseille, the former
communes (codes and names) with the commune each joined, and the communes' centres.

Source and regeneration: see msap/territory/data/README.md. Runs at every test database creation:
bulk INSERTs, and one UPDATE … FROM (VALUES …) per 5,000 centres (SQLite ≥ 3.33 and PostgreSQL
share this syntax), not 35,000 single-row UPDATEs.
"""

import gzip
import importlib
import json
from pathlib import Path

from django.db import migrations

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "places.json.gz"
BATCH_SIZE = 2000
CENTRES_PER_UPDATE = 5000  # 15,000 parameters: under SQLite's 32,766 and PostgreSQL's 65,535

# The frozen copy of msap.territory.models.search_key that migration 0002 holds (a migration
# never imports app code; a past migration is as frozen as this one). tests/territory checks
# that it agrees with the model's on every place.
search_key = importlib.import_module(
    "msap.territory.migrations.0002_load_administrative_geography"
).search_key


def _update_centres(schema_editor, table, centres):
    quote = schema_editor.quote_name
    with schema_editor.connection.cursor() as cursor:
        for start in range(0, len(centres), CENTRES_PER_UPDATE):
            batch = centres[start : start + CENTRES_PER_UPDATE]
            values = ", ".join(["(%s, %s, %s)"] * len(batch))
            cursor.execute(
                f"WITH centre (code, latitude, longitude) AS (VALUES {values}) "
                f"UPDATE {quote(table)} SET latitude = centre.latitude, "
                f"longitude = centre.longitude FROM centre "
                f"WHERE {quote(table)}.code = centre.code",
                [value for row in batch for value in row],
            )


def load(apps, schema_editor):
    Region = apps.get_model("territory", "Region")
    Departement = apps.get_model("territory", "Departement")
    Commune = apps.get_model("territory", "Commune")
    FormerCommune = apps.get_model("territory", "FormerCommune")
    alias = schema_editor.connection.alias

    with gzip.open(DATA_FILE, "rt", encoding="utf-8") as fh:
        data = json.load(fh)

    collectivites = data["collectivites"]
    Region.objects.using(alias).bulk_create(
        [Region(code=code, name=name) for code, name in collectivites["regions"]]
    )
    Departement.objects.using(alias).bulk_create(
        [
            Departement(code=code, name=name, region_id=region)
            for code, name, region in collectivites["departements"]
        ]
    )
    def commune(code, name, departement, postal_codes, population, **extra):
        return Commune(
            code=code,
            name=name,
            departement_id=departement,
            postal_codes=postal_codes,
            population=population,
            search_name=search_key(name),
            **extra,
        )

    communes = [commune(*row) for row in collectivites["communes"]]
    communes += [
        commune(*row, kind="arrondissement-municipal", parent_id=parent)
        for *row, parent in data["arrondissements"]
    ]
    Commune.objects.using(alias).bulk_create(communes, batch_size=BATCH_SIZE)
    FormerCommune.objects.using(alias).bulk_create(
        [
            FormerCommune(
                code=code, name=name, search_name=search_key(name), kind=kind, commune_id=commune
            )
            for code, name, kind, commune in data["former"]
        ],
        batch_size=BATCH_SIZE,
    )
    _update_centres(schema_editor, Commune._meta.db_table, data["centres"])


def unload(apps, schema_editor):
    alias = schema_editor.connection.alias
    with gzip.open(DATA_FILE, "rt", encoding="utf-8") as fh:
        data = json.load(fh)
    Commune = apps.get_model("territory", "Commune")
    apps.get_model("territory", "FormerCommune").objects.using(alias).all().delete()
    Commune.objects.using(alias).filter(kind="arrondissement-municipal").delete()
    Commune.objects.using(alias).update(latitude=None, longitude=None)
    codes = [row[0] for row in data["collectivites"]["departements"]]
    Commune.objects.using(alias).filter(departement_id__in=codes).delete()
    apps.get_model("territory", "Departement").objects.using(alias).filter(code__in=codes).delete()
    regions = [row[0] for row in data["collectivites"]["regions"]]
    apps.get_model("territory", "Region").objects.using(alias).filter(code__in=regions).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("territory", "0003_commune_kind_centre_and_former_communes"),
    ]

    operations = [
        migrations.RunPython(load, unload),
    ]
