"""Load the régions, départements and communes from the committed data/territory.json.gz.

Source and regeneration: see msap/territory/data/README.md. Runs at every test database creation,
so it stays a handful of bulk INSERTs (about 20 queries for 35,000 communes).
"""

import gzip
import json
import re
import unicodedata
from pathlib import Path

from django.db import migrations

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "territory.json.gz"
BATCH_SIZE = 2000

# Frozen copy of msap.territory.models.search_key (a migration never imports app code);
# tests/territory checks that both give the same result on every commune.
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE"})
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def search_key(text):
    text = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    text = "".join(char for char in text if not unicodedata.combining(char)).casefold()
    return " ".join(_NOT_ALNUM.sub(" ", text).split())


def load(apps, schema_editor):
    Region = apps.get_model("territory", "Region")
    Departement = apps.get_model("territory", "Departement")
    Commune = apps.get_model("territory", "Commune")
    alias = schema_editor.connection.alias

    with gzip.open(DATA_FILE, "rt", encoding="utf-8") as fh:
        data = json.load(fh)

    Region.objects.using(alias).bulk_create(
        [Region(code=code, name=name) for code, name in data["regions"]], batch_size=BATCH_SIZE
    )
    Departement.objects.using(alias).bulk_create(
        [
            Departement(code=code, name=name, region_id=region)
            for code, name, region in data["departements"]
        ],
        batch_size=BATCH_SIZE,
    )
    # Positional arguments, in the field order of the historical model (frozen by 0001 whatever
    # later migrations add): noticeably faster than keywords on 35,000 instances.
    assert [f.attname for f in Commune._meta.concrete_fields] == [
        "code",
        "name",
        "postal_codes",
        "population",
        "search_name",
        "departement_id",
    ]
    Commune.objects.using(alias).bulk_create(
        [
            Commune(code, name, postal_codes, population, search_key(name), departement)
            for code, name, departement, postal_codes, population in data["communes"]
        ],
        batch_size=BATCH_SIZE,
    )


def unload(apps, schema_editor):
    alias = schema_editor.connection.alias
    # Children first: the foreign keys are PROTECT.
    for model in ("Commune", "Departement", "Region"):
        apps.get_model("territory", model).objects.using(alias).all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("territory", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load, unload),
    ]
