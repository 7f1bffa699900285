"""The national list of France Services sites, in and out (issue 10).

The State publishes the list as open data, one CSV row per site in the layout of `COLUMNS`.
`import_sites` loads such a file into houses, idempotent by `id_fs`; `site_row` writes a house
back in the same layout (the open data msap publishes), so that an export re-imported gives the
same houses.

Decisions, since the list does not say everything a house needs:
- **Gestionnaire**: the list names none. A new site is given its département's organisation
  "Gestionnaire non renseigné — <code>" (or "La Poste — <code>" when the site's name says
  La Poste, the one gestionnaire a name reveals), for the département to correct; the import
  never changes the gestionnaire of a house that exists.
- **Status**: `labellisation_fs` "Espace labellisé JJ/MM/AAAA" makes the house recognised on that
  date; a closed house stays closed; a recognised house is never downgraded by a missing label.
- **Hours**: ranges that end before they start, or that overlap, are reported and skipped, never
  "fixed"; a recognised site whose remaining hours fail art. 3.2 (24 h over 3 days) is imported
  and flagged with the reason (`House.import_flags`); an itinerant site without hours keeps its
  `commentaire` (its stops) and is flagged as such.
- **Commune**: by INSEE code, then a former code (a merger), then postal code + name; else the
  row is reported and skipped whole.
"""

import csv
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, time
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from msap.core import journal
from msap.core.errors import DomainError
from msap.lib.dates import FRENCH_WEEKDAYS
from msap.network import rules
from msap.network.layout import COLUMNS, HOUR_COLUMNS
from msap.network.models import (
    House,
    HouseKind,
    HouseStatus,
    OpeningRange,
    Organisation,
    OrganisationKind,
    Premises,
    SiteFormat,
    SiteType,
)
from msap.network.rules import Range
from msap.territory.models import Commune, FormerCommune, search_key

SITE_TYPES = {"Principal": SiteType.PRINCIPAL, "Antenne": SiteType.ANTENNE}
SITE_FORMATS = {
    "Fixe": SiteFormat.FIXED,
    "Multisites": SiteFormat.MULTISITE,
    "Bus_équivalent": SiteFormat.BUS,
    "Fixe_antenne(s)": SiteFormat.FIXED_ANTENNAS,
    "Itinérante": SiteFormat.ITINERANT,
}
MOBILE_FORMATS = {SiteFormat.BUS, SiteFormat.ITINERANT}
LABEL_PREFIX = "Espace labellisé"
BATCH_SIZE = 200  # rows per transaction: an interrupted run keeps every finished batch

_LABEL = re.compile(r"espace labellis[ée]\s+(\d{1,2})/(\d{1,2})/(\d{4})", re.IGNORECASE)
_TIME = r"(\d{1,2})\s*[:hH]\s*(\d{2})?"
_RANGE = re.compile(rf"^\s*{_TIME}\s*[-–à]\s*{_TIME}\s*$")

# The model's limits, checked before saving: a too-long value is reported, never cut.
_MAX_LENGTHS = {"lib_fs": 200, "adresse": 250, "complement_adresse": 250, "groupe_fs": 200}


@dataclass
class Problem:
    """A cell the import could not read: its line in the file, column, value, and why."""

    line: int
    column: str
    value: str
    reason: str

    def __str__(self) -> str:
        value = self.value if len(self.value) <= 80 else self.value[:77] + "…"
        return _("Ligne %(line)d, colonne %(column)s, valeur « %(value)s » : %(reason)s") % {
            "line": self.line,
            "column": self.column,
            "value": value,
            "reason": self.reason,
        }


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    flagged: int = 0
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return _(
            "%(rows)d ligne(s) lue(s) : %(created)d maison(s) créée(s), %(updated)d mise(s) à "
            "jour, %(unchanged)d inchangée(s), %(skipped)d ligne(s) ignorée(s) ; %(flagged)d "
            "maison(s) signalée(s) ; %(problems)d cellule(s) illisible(s)."
        ) % {
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "flagged": self.flagged,
            "problems": len(self.problems),
        }


class _SkipRow(Exception):
    """The row cannot make a house: reported, and nothing of it is imported."""


# --- reading the file ---------------------------------------------------------------------------


def read_table(raw: bytes) -> tuple[list[str], list[list[str]]]:
    """The header and rows of a CSV file in UTF-8 (with or without BOM; "," or ";").

    Refuses, with a French message and before anything is imported, a file in another encoding
    or without every column of the layout."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DomainError(
            _(
                "Le fichier n'est pas encodé en UTF-8 (octet illisible ligne %(line)d) : "
                "enregistrez-le au format « CSV UTF-8 » et recommencez. Rien n'a été importé."
            )
            % {"line": line}
        ) from exc
    if "\x00" in text:
        raise DomainError(
            _("Le fichier n'est pas un fichier CSV (il contient des caractères nuls).")
            + " "
            + _("Rien n'a été importé.")
        )
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [name.strip() for name in next(reader, [])]
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        raise DomainError(
            _(
                "Colonnes manquantes : %(missing)s. Le fichier doit avoir les colonnes de la liste "
                "nationale (%(columns)s). Rien n'a été importé."
            )
            % {"missing": ", ".join(missing), "columns": ", ".join(COLUMNS)}
        )
    return header, list(reader)


def parse_hours(text: str) -> tuple[list[tuple[time, time]], list[str]]:
    """The ranges of one day's cell ("09:00 - 12:00 / 13:30 - 17:00") and, for each part that
    cannot be a range (unreadable, ends before it starts), the reason it is skipped."""
    ranges, errors = [], []
    for part in filter(None, (p.strip() for p in (text or "").split("/"))):
        match = _RANGE.match(part)
        bounds = None
        if match:
            try:
                h1, m1, h2, m2 = match.groups()
                bounds = (time(int(h1), int(m1 or 0)), time(int(h2), int(m2 or 0)))
            except ValueError:
                bounds = None
        if bounds is None:
            errors.append(
                _("plage « %(part)s » illisible (attendu : 09:00 - 12:00) ; ignorée")
                % {"part": part}
            )
        elif bounds[1] <= bounds[0]:
            errors.append(
                _("la plage « %(part)s » finit avant de commencer ; ignorée, non corrigée")
                % {"part": part}
            )
        elif ranges and bounds[0] < ranges[-1][1]:
            errors.append(
                _("la plage « %(part)s » chevauche la précédente ; ignorée") % {"part": part}
            )
        else:
            ranges.append(bounds)
    return ranges, errors


def format_hours(ranges: Iterable[tuple[time, time]]) -> str:
    return " / ".join(f"{start:%H:%M} - {end:%H:%M}" for start, end in ranges)


class _Places:
    """The communes and former codes, read once per import (35,000 rows, a fraction of a second)."""

    def __init__(self):
        self.by_code = {c.code: c for c in Commune.objects.select_related("departement")}
        self.former_codes = dict(
            FormerCommune.objects.values_list("code", "commune_id").order_by("commune_id")
        )
        self.by_postal_name: dict[tuple[str, str], str] = {}
        for commune in self.by_code.values():
            for postal in commune.postal_codes.split():
                self.by_postal_name[(postal, commune.search_name)] = commune.code
        for name, commune_id in FormerCommune.objects.exclude(name="").values_list(
            "search_name", "commune_id"
        ):
            for postal in self.by_code[commune_id].postal_codes.split():
                self.by_postal_name.setdefault((postal, name), commune_id)

    def resolve(self, code: str, postal_code: str, name: str) -> tuple[Commune | None, str]:
        """The commune of a row and how it was found ("" when by its own code)."""
        code = code.strip().upper()
        if code in self.by_code:
            return self.by_code[code], ""
        if code in self.former_codes:
            return self.by_code[self.former_codes[code]], "former"
        found = self.by_postal_name.get((postal_code.strip(), search_key(name)))
        if found:
            return self.by_code[found], "postal"
        return None, ""


# --- one row → the house it describes -----------------------------------------------------------


@dataclass
class SiteData:
    id_fs: str
    fields: dict
    ranges: list[Range]
    problems: list[Problem]
    flags: list[str]


def _decimal(value: str, low: int, high: int) -> Decimal | None:
    try:
        number = Decimal(value.replace(",", ".")).quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError):
        return None
    return number if low <= number <= high and number.is_finite() else None


def parse_row(line: int, cells: dict[str, str], places: _Places) -> SiteData:
    """What one row says of its house, with the problems of its cells. Raises _SkipRow (with
    the row's problems) when the row cannot make a house."""
    problems: list[Problem] = []

    def problem(column: str, reason: str) -> None:
        problems.append(Problem(line, column, cells.get(column, ""), reason))

    def skip(column: str, reason: str):
        problem(column, reason + " " + _("Ligne ignorée."))
        raise _SkipRow(problems)

    id_fs = cells["id_fs"].strip()
    if not id_fs:
        skip("id_fs", _("identifiant national manquant."))
    if len(id_fs) > 40:
        skip("id_fs", _("identifiant de plus de 40 caractères."))
    for column, limit in _MAX_LENGTHS.items():
        if len(cells[column].strip()) > limit:
            skip(column, _("plus de %(limit)d caractères.") % {"limit": limit})
    if not cells["lib_fs"].strip():
        skip("lib_fs", _("nom du site manquant."))
    if not cells["adresse"].strip():
        skip("adresse", _("adresse manquante."))

    commune, how = places.resolve(cells["insee_com"], cells["code_postal"], cells["lib_com"])
    if commune is None:
        skip(
            "insee_com",
            _("commune inconnue (ni code INSEE actuel, ni ancien code, ni code postal et nom)."),
        )
    if how == "former":
        problem(
            "insee_com",
            _("ancien code d'une commune fusionnée : rattaché à %(commune)s (%(code)s).")
            % {"commune": commune.name, "code": commune.code},
        )
    elif how == "postal":
        problem(
            "insee_com",
            _("code INSEE inconnu : commune trouvée par son code postal et son nom, %(code)s.")
            % {"code": commune.code},
        )
    if cells["insee_dep"].strip() and cells["insee_dep"].strip().upper() != commune.departement_id:
        problem(
            "insee_dep",
            _("ne correspond pas au département de la commune (%(code)s) ; ignoré.")
            % {"code": commune.departement_id},
        )
    postal_code = cells["code_postal"].strip()
    postal_codes = commune.postal_codes.split()
    if not re.fullmatch(r"\d{5}", postal_code):
        problem("code_postal", _("code postal illisible ; celui de la commune est retenu."))
        postal_code = postal_codes[0] if postal_codes else ""
    elif postal_codes and postal_code not in postal_codes:
        problem(
            "code_postal",
            _("n'est pas un code postal de %(commune)s (%(codes)s) ; conservé tel quel.")
            % {"commune": commune.name, "codes": ", ".join(postal_codes)},
        )

    coordinates = {}
    for column, low, high in (("latitude", -90, 90), ("longitude", -180, 180)):
        value = cells[column].strip()
        coordinates[column] = _decimal(value, low, high) if value else None
        if value and coordinates[column] is None:
            problem(column, _("nombre illisible ou hors limites ; laissé vide."))
    if (coordinates["latitude"] is None) != (coordinates["longitude"] is None):
        coordinates = {"latitude": None, "longitude": None}

    email = cells["mail"].strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            problem("mail", _("adresse électronique invalide ; laissée vide."))
            email = ""
    phone = cells["telephone"].strip()
    if len(phone) > 30:
        problem("telephone", _("plus de 30 caractères ; laissé vide."))
        phone = ""

    online = {"oui": True, "non": False, "": None}.get(cells["prise_rdv"].strip().casefold(), "?")
    if online == "?":
        problem("prise_rdv", _("attendu Oui ou Non ; laissé vide."))
        online = None
    site_type = SITE_TYPES.get(cells["type_fs"].strip(), "")
    if cells["type_fs"].strip() and not site_type:
        problem("type_fs", _("attendu Principal ou Antenne ; laissé vide."))
    site_format = SITE_FORMATS.get(cells["format_fs"].strip(), "")
    if cells["format_fs"].strip() and not site_format:
        problem(
            "format_fs",
            _("attendu l'un de : %(values)s ; laissé vide.") % {"values": ", ".join(SITE_FORMATS)},
        )

    recognised_on = None
    label = cells["labellisation_fs"].strip()
    if label:
        match = _LABEL.fullmatch(label)
        try:
            recognised_on = date(int(match[3]), int(match[2]), int(match[1])) if match else None
        except ValueError:
            recognised_on = None
        if recognised_on is None:
            problem(
                "labellisation_fs",
                _("attendu « Espace labellisé JJ/MM/AAAA » ; site importé comme non labellisé."),
            )

    ranges: list[Range] = []
    flags: list[str] = []
    for weekday, column in enumerate(HOUR_COLUMNS):
        day_ranges, errors = parse_hours(cells[column])
        ranges += [Range(weekday, start, end) for start, end in day_ranges]
        for error in errors:
            problem(column, error)
            flags.append(
                _("Liste nationale, %(day)s : %(error)s.")
                % {"day": FRENCH_WEEKDAYS[weekday], "error": error}
            )

    kind = HouseKind.MOBILE if site_format in MOBILE_FORMATS else HouseKind.FIXED
    if recognised_on is not None:
        if not ranges and kind == HouseKind.MOBILE:
            flags.append(
                _(
                    "Site itinérant sans horaires dans la liste nationale : ses étapes sont "
                    "décrites dans son commentaire."
                )
            )
        else:
            check = rules.check_schedule(ranges)
            flags += [_("Horaires (article 3.2) : %(error)s") % {"error": e} for e in check.errors]

    fields = {
        "name": cells["lib_fs"].strip(),
        "address": cells["adresse"].strip(),
        "address_extra": cells["complement_adresse"].strip(),
        "commune": commune,
        "postal_code": postal_code,
        **coordinates,
        "email": email,
        "phone": phone,
        "appointments_online": online,
        "public_comment": cells["commentaire"].strip(),
        "site_type": site_type,
        "site_format": site_format,
        "group_fs": cells["groupe_fs"].strip(),
        "kind": kind,
        "recognised_on": recognised_on,
        "import_flags": "\n".join(flags),
    }
    return SiteData(id_fs, fields, sorted(ranges), problems, flags)


# --- saving -------------------------------------------------------------------------------------


class _Context:
    """What an import shares across rows: the gestionnaires given to new sites (see the
    module's docstring; one query per name), the slugs taken, and the premises and opening
    ranges waiting for their batch's bulk INSERT (two queries a batch, not two a row)."""

    def __init__(self):
        self.cache: dict[tuple[str, str], Organisation] = {}
        self.slugs = set(House.objects.values_list("slug", flat=True))
        self.premises: list[Premises] = []
        self.ranges: list[OpeningRange] = []

    def flush(self) -> None:
        Premises.objects.bulk_create(self.premises)
        OpeningRange.objects.bulk_create(self.ranges)
        self.premises, self.ranges = [], []

    def for_site(self, name: str, departement) -> Organisation:
        la_poste = "la poste" in search_key(name)
        org_name = (
            f"La Poste — {departement.code}"
            if la_poste
            else f"Gestionnaire non renseigné — {departement.code}"  # data, not interface text
        )
        key = (org_name, departement.code)
        if key not in self.cache:
            self.cache[key], _created = Organisation.objects.get_or_create(
                name=org_name,
                departement=departement,
                defaults={
                    "kind": OrganisationKind.LA_POSTE if la_poste else OrganisationKind.OTHER
                },
            )
        return self.cache[key]


def _unique_slug(name: str, id_fs: str, taken: set[str]) -> str:
    base = slugify(f"{name} {id_fs}")[:210] or f"maison-{slugify(id_fs)}"
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    taken.add(slug)
    return slug


def _status_fields(house: House | None, recognised_on: date | None) -> dict:
    """Recognised on the list's date; a closed house stays closed; no label downgrades nothing."""
    if recognised_on is None or (house is not None and house.status == HouseStatus.CLOSED):
        return {}
    return {"status": HouseStatus.RECOGNISED, "recognised_on": recognised_on}


def _replace_ranges(
    house: House, ranges: list[Range], context: "_Context", *, delete: bool
) -> None:
    if delete:
        house.opening_ranges.all().delete()
    context.ranges += [
        OpeningRange(house=house, weekday=r.weekday, start=r.start, end=r.end) for r in ranges
    ]


def _record(house: House, action: str, summary: str, id_fs: str, changes=None) -> None:
    # No actor: the national list is the source (the command runs without a user).
    journal.record(None, action, house, summary=summary, params={"id_fs": id_fs}, changes=changes)


def _save_site(site: SiteData, house: House | None, context: _Context) -> str:
    """Create or update the house of one row; "created", "updated" or "unchanged"."""
    fields = dict(site.fields)
    recognised_on = fields.pop("recognised_on")
    fields.update(_status_fields(house, recognised_on))
    if house is None:
        house = House(
            id_fs=site.id_fs,
            slug=_unique_slug(fields["name"], site.id_fs, context.slugs),
            organisation=context.for_site(fields["name"], fields["commune"].departement),
            **fields,
        )
        house.save()
        context.premises.append(Premises(house=house))
        _replace_ranges(house, site.ranges, context, delete=False)
        _record(
            house,
            "house.imported",
            gettext_noop("Maison créée depuis la liste nationale (id_fs %(id_fs)s)"),
            site.id_fs,
        )
        return "created"

    changes = journal.diff(house, fields)
    before = [Range(r.weekday, r.start, r.end) for r in house.opening_ranges.all()]
    if sorted(before) != site.ranges:
        changes["hours"] = [
            [r.as_json() for r in sorted(before)],
            [r.as_json() for r in site.ranges],
        ]
    if not changes:
        return "unchanged"
    changed = [name for name in fields if name in changes]
    for name in changed:
        setattr(house, name, fields[name])
    if changed:
        house.save(update_fields=changed)
    if "hours" in changes:
        _replace_ranges(house, site.ranges, context, delete=True)
    _record(
        house,
        "house.updated",
        gettext_noop("Maison mise à jour depuis la liste nationale (id_fs %(id_fs)s)"),
        site.id_fs,
        changes,
    )
    return "updated"


def import_sites(raw: bytes, *, progress: Callable[[int, int], None] | None = None) -> ImportReport:
    """Load a national list of sites (the bytes of its CSV file) into houses.

    Idempotent by `id_fs`: a second run changes nothing; a changed row updates its house and
    journals the changes. Commits every BATCH_SIZE rows, so an interrupted run keeps what it
    finished and a rerun completes it. A row that cannot make a house (no id, unknown commune…)
    is reported and skipped whole; every unreadable cell is reported with its line, column,
    value and reason. Raises DomainError, before importing anything, for a file in another
    encoding or without every column."""
    header, rows = read_table(raw)
    report = ImportReport()
    extra = [name for name in header if name and name not in COLUMNS]
    if extra:
        report.notes.append(
            _("Colonnes inconnues ignorées : %(columns)s.") % {"columns": ", ".join(extra)}
        )
    index = {name: header.index(name) for name in COLUMNS}
    places, context = _Places(), _Context()
    seen: dict[str, int] = {}
    total = len(rows)
    for start in range(0, total, BATCH_SIZE):
        batch = rows[start : start + BATCH_SIZE]
        parsed: list[SiteData] = []
        for offset, row in enumerate(batch):
            line = start + offset + 2  # the header is line 1
            if not any(cell.strip() for cell in row):
                continue
            report.rows += 1
            cells = {name: (row[i] if i < len(row) else "") for name, i in index.items()}
            try:
                site = parse_row(line, cells, places)
            except _SkipRow as skipped:
                report.problems += skipped.args[0]
                report.skipped += 1
                continue
            if site.id_fs in seen:
                report.problems.append(
                    Problem(
                        line,
                        "id_fs",
                        site.id_fs,
                        _("identifiant déjà vu ligne %(line)d. Ligne ignorée.")
                        % {"line": seen[site.id_fs]},
                    )
                )
                report.skipped += 1
                continue
            seen[site.id_fs] = line
            report.problems += site.problems
            parsed.append(site)
        with transaction.atomic():
            houses = {
                h.id_fs: h
                for h in House.objects.filter(id_fs__in=[s.id_fs for s in parsed])
                .select_related("commune")
                .prefetch_related("opening_ranges")
            }
            for site in parsed:
                outcome = _save_site(site, houses.get(site.id_fs), context)
                setattr(report, outcome, getattr(report, outcome) + 1)
                report.flagged += bool(site.flags)
            context.flush()
        if progress:
            progress(min(start + BATCH_SIZE, total), total)
    return report


def import_sites_file(path: Path, **kwargs) -> ImportReport:
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise DomainError(
            _("Impossible de lire le fichier %(path)s : %(error)s")
            % {"path": path, "error": exc.strerror or exc}
        ) from exc
    return import_sites(raw, **kwargs)


# --- out: a house in the list's layout ----------------------------------------------------------


def site_id(house: House) -> str:
    """The house's id in the list: its `id_fs`, or "msap-<pk>" for a house not in it."""
    return house.id_fs or f"msap-{house.pk}"


def site_row(house: House, ranges: Iterable[tuple[int, time, time]]) -> dict[str, str]:
    """One house as a row of the national list (the open data msap publishes), given its
    opening ranges as (weekday, start, end). The house's own public email and phone only:
    never a referent's or a staff member's contact. Expects `commune` selected."""
    by_day: dict[int, list[tuple[time, time]]] = {}
    for weekday, start, end in sorted(ranges):
        by_day.setdefault(weekday, []).append((start, end))
    formats = {value: label for label, value in SITE_FORMATS.items()}
    types = {value: label for label, value in SITE_TYPES.items()}
    online = {True: "Oui", False: "Non", None: ""}[house.appointments_online]
    return {
        "id_fs": site_id(house),
        "insee_dep": house.commune.departement_id,
        "lib_fs": house.name,
        "adresse": house.address,
        "complement_adresse": house.address_extra,
        "insee_com": house.commune_id,
        "code_postal": house.postal_code,
        "lib_com": house.commune.name,
        "latitude": "" if house.latitude is None else f"{house.latitude:f}",
        "longitude": "" if house.longitude is None else f"{house.longitude:f}",
        "mail": house.email,
        "telephone": house.phone,
        **{column: format_hours(by_day.get(day, [])) for day, column in enumerate(HOUR_COLUMNS)},
        "prise_rdv": online,
        "commentaire": house.public_comment,
        "type_fs": types.get(house.site_type, ""),
        "format_fs": formats.get(house.site_format, ""),
        "groupe_fs": house.group_fs,
        "labellisation_fs": (
            f"{LABEL_PREFIX} {house.recognised_on:%d/%m/%Y}" if house.recognised_on else ""
        ),
    }


def published_rows() -> list[dict[str, str]]:
    """The rows the open data lists: the recognised houses, in a stable order. Two queries; the
    ranges read as tuples (25,000 model instances would cost seconds)."""
    houses = list(
        House.objects.filter(status=HouseStatus.RECOGNISED)
        .select_related("commune")
        .order_by("commune__departement_id", "name", "pk")
    )
    ranges: dict[int, list[tuple[int, time, time]]] = {}
    for house_id, *bounds in OpeningRange.objects.filter(
        house__status=HouseStatus.RECOGNISED
    ).values_list("house_id", "weekday", "start", "end"):
        ranges.setdefault(house_id, []).append(tuple(bounds))
    return [site_row(house, ranges.get(house.pk, ())) for house in houses]


def write_csv(rows: Iterable[dict[str, str]], out) -> None:
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
