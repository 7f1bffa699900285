"""Generate a realistic national list of France Services sites, in the open-data layout that
`msap import_sites` reads (msap.network.sites.COLUMNS), with the real file's dirtiness:

- sites in real communes (weighted by population, every département and overseas), about 1 %
  of them in a municipal arrondissement, under a former commune's code, or in Saint-Martin;
- antennas, multisite, bus and itinerant formats; itinerant sites without hours describing
  their stops in `commentaire`;
- some ranges that end before they start; some recognised sites open under 24 h or 3 days;
- coordinates near the commune's centre, public emails and phones, `prise_rdv` Oui/Non.

    write_national_file(path, sites=2800, seed=2026)   # or: python -m bench.sites FILE

Reads the committed geography files (msap/territory/data), not the database: deterministic for
a given seed, usable before any migration.
"""

import argparse
import csv
import gzip
import json
import random
import sys
import unicodedata
from pathlib import Path

from msap.network.layout import COLUMNS, HOUR_COLUMNS

DATA = Path(__file__).resolve().parent.parent / "msap" / "territory" / "data"
# Shares of the real list's oddities (per site).
ARRONDISSEMENT_RATE = 0.004
FORMER_CODE_RATE = 0.004
SAINT_MARTIN_SITES = 2
REVERSED_RATE = 0.02
UNDER_24H_RATE = 0.02
ITINERANT_RATE = 0.04
BUS_RATE = 0.02
ANTENNA_RATE = 0.10
# Weekly schedules a site opens to (Monday … Saturday cells).
SCHEDULES = [
    ["08:30 - 12:30 / 13:30 - 17:00"] * 5 + [""],
    ["09:00 - 12:00 / 14:00 - 17:00"] * 4 + ["09:00 - 12:00", "09:00 - 12:00"],
    ["", "09:00 - 12:30 / 13:30 - 17:30", "09:00 - 12:30 / 13:30 - 17:30"]
    + ["09:00 - 12:30 / 13:30 - 17:30"] * 2
    + ["09:00 - 12:00"],
    ["08:00 - 16:00"] * 5 + [""],
]
UNDER_24H = [
    ["09:00 - 12:00", "", "09:00 - 12:00 / 14:00 - 17:00", "", "09:00 - 12:00", ""],  # 15 h
    ["08:30 - 12:30 / 13:30 - 17:30", "", "", "08:30 - 12:30 / 13:30 - 17:30", "", ""],  # 2 days
]
STREETS = ["place de la Mairie", "rue de la République", "avenue Jean Jaurès", "rue Victor Hugo"]
STREETS += ["place du Marché", "rue de la Gare", "boulevard Pasteur", "rue des Écoles"]
GROUPS = ["", "", "", "Réseau départemental", "La Poste", "MSA", "Communauté de communes"]


def _load(name: str) -> dict:
    with gzip.open(DATA / name, "rt", encoding="utf-8") as fh:
        return json.load(fh)


def _ascii(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.replace("œ", "oe").replace("æ", "ae"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return "".join(c if c.isalnum() else "-" for c in text).strip("-")


def _weekly(rng: random.Random, kind: str) -> list[str]:
    if kind == "under":
        return list(rng.choice(UNDER_24H))
    days = list(rng.choice(SCHEDULES))
    if kind == "reversed":
        day = rng.choice([i for i, cell in enumerate(days) if cell])
        days[day] = "17:00 - 13:30" if "/" not in days[day] else "09:00 - 12:00 / 17:00 - 13:30"
    return days


def national_rows(sites: int = 2800, seed: int = 2026) -> list[dict[str, str]]:
    """The rows of a generated national list (see the module's docstring)."""
    rng = random.Random(seed)
    territory, places = _load("territory.json.gz"), _load("places.json.gz")
    centres = {code: (lat, lon) for code, lat, lon in places["centres"]}
    communes = [c for c in territory["communes"] if c[3]]  # with a postal code
    weights = [(c[4] or 1) ** 0.5 for c in communes]
    by_code = {c[0]: c for c in communes}
    arrondissements = places["arrondissements"]
    formers = [f for f in places["former"] if f[0] not in by_code and f[3] in by_code]
    saint_martin = places["collectivites"]["communes"][-1]
    assert saint_martin[0] == "97801", saint_martin

    rows = []
    for n in range(sites):
        id_fs = str(10_000 + n)
        draw = rng.random()
        code_override = None
        if n < SAINT_MARTIN_SITES:
            commune = saint_martin
        elif draw < ARRONDISSEMENT_RATE:
            commune = rng.choice(arrondissements)[:5]
        elif draw < ARRONDISSEMENT_RATE + FORMER_CODE_RATE:
            former = rng.choice(formers)
            commune, code_override = by_code[former[3]], former[0]
        else:
            commune = rng.choices(communes, weights)[0]
        code, name, departement, postal_codes, _population = commune
        fmt = rng.random()
        if fmt < ITINERANT_RATE:
            site_format, hours = "Itinérante", [""] * 6
            stops = rng.sample(communes, 3)
            comment = "Étapes : " + " ; ".join(
                f"{day} {stop[1]}"
                for day, stop in zip(("lundi", "mercredi", "vendredi"), stops, strict=True)
            )
        else:
            site_format = (
                "Bus_équivalent"
                if fmt < ITINERANT_RATE + BUS_RATE
                else rng.choice(["Fixe"] * 8 + ["Multisites", "Fixe_antenne(s)"])
            )
            kind = rng.random()
            hours = _weekly(
                rng,
                "under"
                if kind < UNDER_24H_RATE
                else "reversed"
                if kind < UNDER_24H_RATE + REVERSED_RATE
                else "normal",
            )
            comment = rng.choice(
                ["", "", "Accueil sur rendez-vous le samedi.", "Permanence CAF le mardi."]
            )
        lat, lon = centres.get(code, (None, None))
        if lat is not None:
            lat, lon = lat + rng.uniform(-0.01, 0.01), lon + rng.uniform(-0.01, 0.01)
        label_day = f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(2019, 2025)}"
        site_name = f"France Services {name}" + (f" {n}" if rng.random() < 0.3 else "")
        rows.append(
            {
                "id_fs": id_fs,
                "insee_dep": departement,
                "lib_fs": site_name,
                "adresse": f"{rng.randint(1, 120)} {rng.choice(STREETS)}",
                "complement_adresse": rng.choice(["", "", "", "Rez-de-chaussée", "Bâtiment B"]),
                "insee_com": code_override or code,
                "code_postal": postal_codes.split()[0],
                "lib_com": name,
                "latitude": "" if lat is None else f"{lat:.6f}",
                "longitude": "" if lon is None else f"{lon:.6f}",
                "mail": f"france-services.{_ascii(name)}.{id_fs}@exemple.fr",
                "telephone": f"0{rng.randint(1, 5)} {rng.randint(10, 99)} {rng.randint(10, 99)} "
                f"{rng.randint(10, 99)} {rng.randint(10, 99)}",
                **dict(zip(HOUR_COLUMNS, hours, strict=True)),
                "prise_rdv": rng.choice(["Oui", "Non"]),
                "commentaire": comment,
                "type_fs": "Antenne" if rng.random() < ANTENNA_RATE else "Principal",
                "format_fs": site_format,
                "groupe_fs": rng.choice(GROUPS),
                "labellisation_fs": f"Espace labellisé {label_day}",
            }
        )
    return rows


def write_national_file(path, sites: int = 2800, seed: int = 2026) -> Path:
    """Write a generated national list of `sites` rows to `path` (CSV, UTF-8); returns it."""
    path = Path(path)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(national_rows(sites, seed))
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--sites", type=int, default=2800)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    write_national_file(args.file, args.sites, args.seed)
    print(f"{args.sites} sites → {args.file}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
