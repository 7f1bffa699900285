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
"""

import argparse
import gzip
import io
import json
import sys
from pathlib import Path

KEPT_ZONES = {"metro", "drom"}
OUTPUT = (
    Path(__file__).resolve().parent.parent / "msap" / "territory" / "data" / "territory.json.gz"
)


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
    args = parser.parse_args()
    data = build(args.package)
    write(data, args.output)
    print(
        f"{data['source']['package']}@{data['source']['version']}: {len(data['regions'])} régions, "
        f"{len(data['departements'])} départements, {len(data['communes'])} communes "
        f"→ {args.output} ({args.output.stat().st_size} bytes)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
