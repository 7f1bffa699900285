"""Import of historical attendance from a CSV or XLSX file (issue 3, part 6).

The columns are documented in docs/import-template.md. Each row is checked like a request typed
at the counter (desk.services.validate); a rejected row gets its line number and a French reason.
Two modes: "all_or_nothing" (one bad row and nothing is imported) and "rejects_only" (the good
rows are imported in one transaction, the bad ones reported). Never a partial silent import.

Each imported row carries an idempotency key derived from the house, the file's hash and the
line number: importing the same file again creates nothing new, and the report says so.
"""

import csv
import hashlib
import io
import re
import time
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from datetime import time as dtime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy, gettext_noop

from msap.core import journal
from msap.core.errors import DomainError
from msap.desk import rules, services
from msap.desk.models import AgeBand, Autonomy, Channel, Outcome, Procedure, ServiceRequest
from msap.network.models import House
from msap.partners.models import Partner, PartnerKind, ServiceCategory, ServiceItem
from msap.territory.models import Commune, search_key

# Beyond this, the import would no longer fit in one web request: split the file.
MAX_ROWS = 20_000
# An XLSX is a zip: refuse one that inflates beyond this (a "zip bomb" or a huge workbook).
MAX_XLSX_UNCOMPRESSED = 200 * 1024 * 1024
BATCH_SIZE = 1000
# Without an hour, a historical request is dated at noon (house time): its day stays right
# whatever the time zone.
DEFAULT_TIME = dtime(12, 0)
KEY_PREFIX = "imp:"

ALL_OR_NOTHING = "all_or_nothing"
REJECTS_ONLY = "rejects_only"
MODES = (ALL_OR_NOTHING, REJECTS_ONLY)
# The modes as the history names them, in the reader's language.
MODE_NAMES = {
    ALL_OR_NOTHING: gettext_lazy("tout ou rien"),
    REJECTS_ONLY: gettext_lazy("lignes en erreur écartées"),
}


@dataclass(frozen=True)
class Column:
    """A column of the import file. `help` is read in the reader's language; `values` are the
    words the file itself must hold (French, whatever the reader's language: shown as code)."""

    name: str
    required: bool
    help: str
    values: tuple[str, ...] = ()
    params: dict | None = None

    @property
    def described(self) -> str:
        """The help in the active language, its figures (the rules' constants) filled in."""
        return str(self.help) % self.params if self.params else str(self.help)

    @property
    def text(self) -> str:
        return " ".join([self.described, ", ".join(self.values)]).strip()


ONE_OF = gettext_lazy("une valeur parmi :")
COLUMNS = [
    Column("date", True, gettext_lazy("JJ/MM/AAAA ou AAAA-MM-JJ")),
    Column("heure", False, gettext_lazy("HH:MM ; vide : 12:00")),
    Column(
        "canal",
        True,
        ONE_OF,
        ("accueil", "téléphone", "courriel", "courrier", "visio", "itinérant", "extérieur"),
    ),
    Column(
        "partenaire",
        True,
        gettext_lazy("code ou sigle du partenaire (caf, CPAM…) ; vide si aucun partenaire"),
    ),
    Column("categorie", True, ONE_OF, ("A", "B1", "B2", "B3", "C")),
    Column("prestation", False, gettext_lazy("code de la prestation de l'annexe 1, ex. B1.3")),
    Column("demarche", False, gettext_lazy("intitulé exact d'une démarche du partenaire")),
    Column(
        "duree_minutes",
        False,
        gettext_lazy("%(min)s à %(max)s ; vide : 10"),
        params={"min": rules.MIN_DURATION_MINUTES, "max": rules.MAX_DURATION_MINUTES},
    ),
    Column(
        "suite",
        False,
        gettext_lazy("par exemple (toutes dans la feuille « Aide » du modèle) :"),
        ("réponse sur place", "orientation", "rendez-vous"),
    ),
    Column("autonomie", False, ONE_OF, ("seul", "avec aide", "fait pour l'usager")),
    Column(
        "tranche_age", False, ONE_OF, ("moins de 26 ans", "26-39", "40-59", "60-74", "75 et plus")
    ),
    Column("commune", False, gettext_lazy("code INSEE de la commune de résidence")),
    Column("premiere_visite", False, ONE_OF, ("oui", "non")),
    Column(
        "nombre_personnes",
        False,
        gettext_lazy("1 à %(max)s ; vide : 1"),
        params={"max": rules.MAX_GROUP_SIZE},
    ),
    Column(
        "besoins",
        False,
        gettext_lazy("une ou plusieurs valeurs, séparées par / :"),
        ("handicap", "illettrisme", "langue", "social", "crise"),
    ),
]
COLUMN_NAMES = [c.name for c in COLUMNS]
REQUIRED_COLUMNS = [c.name for c in COLUMNS if c.required]
# Other spellings of a header, after normalisation (lowercase, no accent, "_" between words).
HEADER_ALIASES = {
    "duree": "duree_minutes",
    "duree_min": "duree_minutes",
    "duree_en_minutes": "duree_minutes",
    "tranche_d_age": "tranche_age",
    "age": "tranche_age",
    "nb_personnes": "nombre_personnes",
    "nombre_de_personnes": "nombre_personnes",
    "premiere_visite_oui_non": "premiere_visite",
    "code_insee": "commune",
    "categorie_de_service": "categorie",
}
# Columns added by the rejects file (rejets.csv): it can be corrected and imported as it is.
REJECTS_COLUMNS = ["ligne", "motif"]

# --- the French words accepted for each list (codes are accepted too) -----------------------------

CHANNEL_WORDS = {
    Channel.COUNTER: ["accueil", "accueil physique", "guichet", "sur place", "physique"],
    Channel.PHONE: ["téléphone", "tel", "appel"],
    Channel.EMAIL: ["courriel", "e-mail", "mél"],
    Channel.MAIL: ["courrier", "courrier postal", "postal", "lettre"],
    Channel.VIDEO: ["visio", "visioconférence", "vidéo"],
    Channel.MOBILE: ["itinérant", "étape itinérante", "bus"],
    Channel.OUTSIDE: ["extérieur", "déplacement", "déplacement extérieur"],
}
# "mail" is our code for postal mail, but in French it often means an email: refused, not guessed.
AMBIGUOUS_WORDS = {
    "mail": "« mail » est ambigu : écrivez « courriel » pour un courriel, « courrier » pour un courrier postal.",
}
OUTCOME_WORDS = {
    Outcome.ANSWERED: ["réponse sur place", "réponse apportée sur place", "répondu", "réglé"],
    Outcome.ORIENTED: ["orientation", "orienté", "orientation vers le partenaire"],
    Outcome.APPOINTMENT: ["rendez-vous", "rendez-vous pris", "rdv"],
    Outcome.TRANSMITTED: ["dossier transmis", "transmis", "transmission"],
    Outcome.COMPLEX: ["situation complexe", "complexe", "situation complexe portée au référent"],
    Outcome.FOLLOW_UP: ["suivi", "suivi nécessaire", "à suivre"],
}
AUTONOMY_WORDS = {
    Autonomy.ALONE: ["seul", "seule", "en autonomie", "autonome"],
    Autonomy.WITH_HELP: ["avec aide", "avec l'aide de l'agent", "accompagné", "accompagnée"],
    Autonomy.DONE_FOR: ["fait pour l'usager", "fait pour", "à la place"],
}
AGE_WORDS = {
    AgeBand.UNDER_26: ["moins de 26 ans", "moins de 26"],
    AgeBand.FROM_26: ["26-39", "26 à 39 ans"],
    AgeBand.FROM_40: ["40-59", "40 à 59 ans"],
    AgeBand.FROM_60: ["60-74", "60 à 74 ans"],
    AgeBand.OVER_75: ["75 et plus", "75 ans et plus", "75+"],
}
NEED_WORDS = {
    "need_disability": ["handicap", "disability"],
    "need_illiteracy": ["illettrisme", "illiteracy"],
    "need_language": ["langue", "ne parle pas français", "language"],
    "need_social": ["social", "difficulté sociale"],
    "need_crisis": ["crise", "situation de crise", "crisis"],
}
YES_WORDS = ["oui", "o", "vrai", "1", "x"]
NO_WORDS = ["non", "n", "faux", "0"]


def _table(words: dict, with_codes: bool = True) -> dict[str, str]:
    table = {}
    for value, spellings in words.items():
        if with_codes:
            table[search_key(str(value))] = str(value)
        for spelling in spellings:
            table[search_key(spelling)] = str(value)
    return table


CHANNELS = _table(CHANNEL_WORDS)
OUTCOMES = _table(OUTCOME_WORDS)
AUTONOMIES = _table(AUTONOMY_WORDS)
AGE_BANDS = _table(AGE_WORDS)
NEEDS = _table(NEED_WORDS, with_codes=False)


# --- file-level refusals ------------------------------------------------------------------------


class ImportRefused(Exception):
    """The whole file is refused (type, size, empty, columns): nothing was imported."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Sheet:
    headers: list[str]  # as written in the file
    columns: list[str | None]  # our column name for each header, None when ignored
    rows: list[tuple[int, list]]  # (line number, cells)
    digest: str
    blank_rows: int = 0
    ignored_columns: list[str] = field(default_factory=list)


def parse(upload) -> Sheet:
    """Read a CSV or XLSX upload (sniffed by content, not by name) into rows, or refuse it."""
    max_bytes = settings.MSAP_MAX_UPLOAD_BYTES
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise ImportRefused(_too_large(size, max_bytes))
    upload.seek(0)
    raw = upload.read(max_bytes + 1)
    if len(raw) > max_bytes:
        raise ImportRefused(_too_large(len(raw), max_bytes))
    if not raw.strip(b"\xef\xbb\xbf \t\r\n"):
        raise ImportRefused("Le fichier est vide.")
    if raw.startswith(b"PK\x03\x04"):
        table = _read_xlsx(raw)
    elif raw.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportRefused(
            "Ce classeur est au format Excel 97-2003 (.xls), qui n'est pas accepté : "
            "enregistrez-le au format .xlsx ou .csv."
        )
    else:
        table = _read_csv(raw)
    return _sheet(table, raw)


def _too_large(size: int, max_bytes: int) -> str:
    return (
        f"Le fichier est trop volumineux ({size / 1_048_576:.1f} Mo) : "
        f"{max_bytes / 1_048_576:.0f} Mo au maximum. Découpez-le en plusieurs fichiers."
    )


def _read_csv(raw: bytes) -> list[tuple[int, list]]:
    if b"\x00" in raw[:65536]:
        raise ImportRefused(_wrong_type())
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:  # Excel's "CSV" on a French Windows
            text = raw.decode("cp1252")
        except UnicodeDecodeError:
            raise ImportRefused(_wrong_type()) from None
    first_line = text.lstrip("\ufeff").split("\n", 1)[0]
    delimiter = max(";,\t", key=first_line.count)
    if first_line.count(delimiter) == 0:
        raise ImportRefused(
            "Le fichier n'a qu'une colonne : les colonnes doivent être séparées par des "
            "points-virgules (;) ou des virgules (,)."
        )
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    filled = 0
    try:
        for cells in reader:
            rows.append((reader.line_num, cells))
            filled += not _is_blank(cells)
            if filled > MAX_ROWS + 1:  # header + one row too many: enough to refuse the file
                break
    except csv.Error as exc:
        raise ImportRefused(
            f"Le fichier CSV est mal formé à la ligne {reader.line_num} ({exc})."
        ) from None
    return rows


def _read_xlsx(raw: bytes) -> list[tuple[int, list]]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            names = archive.namelist()
            inflated = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise ImportRefused(_wrong_type()) from None
    if "xl/workbook.xml" not in names:
        raise ImportRefused(_wrong_type())
    if inflated > MAX_XLSX_UNCOMPRESSED:
        raise ImportRefused("Ce classeur est trop volumineux une fois décompressé : découpez-le.")
    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on a damaged workbook
        raise ImportRefused(
            "Ce classeur Excel est illisible ou endommagé : ouvrez-le et enregistrez-le à nouveau."
        ) from None
    try:
        # The first sheet holds the data (the template's second sheet is the help).
        worksheet = workbook.worksheets[0]
        rows = []
        filled = 0
        for number, cells in enumerate(worksheet.iter_rows(values_only=True), start=1):
            rows.append((number, list(cells)))
            filled += not _is_blank(cells)
            if filled > MAX_ROWS + 1:  # header + one row too many: enough to refuse the file
                break
    finally:
        workbook.close()
    return rows


def _wrong_type() -> str:
    return (
        "Type de fichier refusé : seuls les fichiers CSV (texte, séparateur « ; » ou « , ») "
        "et les classeurs Excel .xlsx sont acceptés."
    )


def header_key(header) -> str:
    key = search_key(str(header or "")).replace(" ", "_")
    return HEADER_ALIASES.get(key, key)


def _is_blank(cells) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells)


def _sheet(table: list[tuple[int, list]], raw: bytes) -> Sheet:
    while table and _is_blank(table[0][1]):
        table = table[1:]
    if not table:
        raise ImportRefused("Le fichier est vide.")
    _line, header_cells = table[0]
    headers = [str(h).strip() if h is not None else "" for h in header_cells]
    columns: list[str | None] = []
    seen: set[str] = set()
    ignored = []
    for header in headers:
        key = header_key(header)
        if key in COLUMN_NAMES:
            if key in seen:
                raise ImportRefused(f"La colonne « {key} » apparaît deux fois dans l'en-tête.")
            seen.add(key)
            columns.append(key)
        else:
            columns.append(None)
            if header and key not in REJECTS_COLUMNS:
                ignored.append(header)
    missing = [name for name in REQUIRED_COLUMNS if name not in seen]
    if missing:
        raise ImportRefused(
            "Colonnes obligatoires absentes de la première ligne : "
            + ", ".join(f"« {m} »" for m in missing)
            + ". Partez du modèle à télécharger sur cette page."
        )
    body = table[1:]
    data = [(line, cells) for line, cells in body if not _is_blank(cells)]
    if len(data) > MAX_ROWS:
        raise ImportRefused(
            f"Le fichier compte plus de {MAX_ROWS:,} lignes : découpez-le en plusieurs fichiers.".replace(
                ",", " "
            )
        )
    if not data:
        raise ImportRefused("Le fichier ne contient aucune ligne de demande sous l'en-tête.")
    return Sheet(
        headers=headers,
        columns=columns,
        rows=data,
        digest=hashlib.sha256(raw).hexdigest(),
        blank_rows=len(body) - len(data),
        ignored_columns=ignored,
    )


# --- codes and words → objects --------------------------------------------------------------------


class CodeBook:
    """The partners, categories, items, procedures and communes a file may name, loaded once."""

    def __init__(self, house: House):
        partnered = house.partnerships.values("partner_id")
        partners = list(
            Partner.objects.filter(
                Q(kind=PartnerKind.NATIONAL)
                | Q(departement_id=house.commune.departement_id)
                | Q(pk__in=partnered)
            )
        )
        own = set(house.partnerships.values_list("partner_id", flat=True))
        self.partners: dict[str, list[Partner]] = {}
        for partner in partners:
            for key in {search_key(w) for w in (partner.code, partner.short_name, partner.name)}:
                self.partners.setdefault(key, []).append(partner)
        # Two local partners may share a short name: the house's own partner wins.
        for key, found in self.partners.items():
            if len(found) > 1:
                mine = [p for p in found if p.pk in own]
                self.partners[key] = mine if len(mine) == 1 else found
        self.categories = {c.code.upper(): c for c in ServiceCategory.objects.all()}
        self.items = {i.code.upper(): i for i in ServiceItem.objects.all()}
        self.procedures: dict[tuple[int | None, str], Procedure] = {}
        for procedure in Procedure.objects.filter(
            Q(partner__in=partners) | Q(partner__isnull=True)
        ):
            self.procedures[(procedure.partner_id, search_key(procedure.label))] = procedure
        self.communes: dict[str, Commune] = {}

    def load_communes(self, codes) -> None:
        codes = sorted({c for c in codes if c})
        for start in range(0, len(codes), 500):
            chunk = codes[start : start + 500]
            self.communes.update({c.code: c for c in Commune.objects.filter(code__in=chunk)})

    def partner(self, word: str) -> Partner:
        found = self.partners.get(search_key(word), [])
        if len(found) == 1:
            return found[0]
        if found:
            raise ValueError(
                f"Partenaire ambigu : « {word} » désigne plusieurs partenaires ; utilisez son code."
            )
        raise ValueError(f"Partenaire inconnu : « {word} ».")

    def procedure(self, partner: Partner | None, label: str) -> Procedure:
        key = search_key(label)
        partner_id = partner.pk if partner else None
        found = self.procedures.get((partner_id, key)) or self.procedures.get((None, key))
        if found is None:
            whose = f" pour le partenaire {partner.short_name}" if partner else ""
            raise ValueError(f"Démarche inconnue{whose} : « {label} ».")
        return found


# --- one row → the data of a request ---------------------------------------------------------------

_TIME = re.compile(r"^(\d{1,2})\s*[:hH]\s*(\d{2})?(?::(\d{2}))?$")
_DATE_FORMATS = [
    "%d/%m/%Y",
    "%Y-%m-%d",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%dT%H:%M:%S",
]


def cell_text(value) -> str:
    """A cell as the text a person would type (XLSX cells are typed)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, datetime):
        if value.time() == dtime(0, 0):
            return value.strftime("%d/%m/%Y")
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, dtime):
        return value.strftime("%H:%M")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


class RowReader:
    """Turns the cells of one row into the data of desk.services.record_request."""

    def __init__(self, house: House, book: CodeBook, now: datetime):
        self.house = house
        self.book = book
        self.now = now
        self.tz = house.tz

    def read(self, row: dict) -> dict:
        """Return the request's data, or raise ValueError with every French reason, joined."""
        reasons: list[str] = []
        data: dict = {}

        def take(name, convert):
            try:
                return convert(row.get(name))
            except ValueError as exc:
                reasons.append(str(exc))
                return None

        occurred_at = take("date", lambda v: self._when(v, row.get("heure")))
        if occurred_at is not None:
            data["occurred_at"] = occurred_at
        data["channel"] = take("canal", lambda v: self._word(v, CHANNELS, "canal", required=True))
        before = len(reasons)
        partner = take(
            "partenaire", lambda v: self.book.partner(cell_text(v)) if cell_text(v) else None
        )
        partner_refused = len(reasons) > before
        data["partner"] = partner
        item = take("prestation", self._item)
        data["item"] = item
        data["category"] = take("categorie", lambda v: self._category(v, item))
        label = cell_text(row.get("demarche"))
        if label and not partner_refused:  # an unknown partner already explains the row
            data["procedure"] = take("demarche", lambda v: self.book.procedure(partner, label))
        data["duration_minutes"] = take("duree_minutes", lambda v: self._integer(v, "durée", 10))
        data["outcome"] = take(
            "suite", lambda v: self._word(v, OUTCOMES, "suite") or str(Outcome.ANSWERED)
        )
        data["autonomy"] = take("autonomie", lambda v: self._word(v, AUTONOMIES, "autonomie"))
        data["age_band"] = take("tranche_age", lambda v: self._word(v, AGE_BANDS, "tranche d'âge"))
        data["commune"] = take("commune", self._commune)
        data["first_visit"] = take("premiere_visite", self._yes_no)
        data["group_size"] = take(
            "nombre_personnes", lambda v: self._integer(v, "nombre de personnes", 1)
        )
        needs = take("besoins", self._needs) or []
        for name in NEED_WORDS:
            data[name] = name in needs
        if not reasons:
            try:
                services.validate(self.house, data, now=self.now)
            except DomainError as exc:
                for messages in exc.errors.values():
                    reasons.extend(messages)
                if "occurred_at" in exc.errors and not cell_text(row.get("heure")):
                    reasons.append("(Sans heure, la demande est datée de 12:00.)")
        if reasons:
            raise ValueError(" ".join(reasons))
        return data

    def _when(self, value, hour) -> datetime:
        if value is None or (isinstance(value, str) and not value.strip()):
            raise ValueError("La date est obligatoire.")
        if isinstance(value, datetime):
            moment = value.replace(tzinfo=None)
            has_time = moment.time() != dtime(0, 0)
        elif isinstance(value, date):
            moment, has_time = datetime.combine(value, dtime(0, 0)), False
        else:
            text = str(value).strip()
            for fmt in _DATE_FORMATS:
                try:
                    moment = datetime.strptime(text, fmt)  # naive: made aware below
                except ValueError:
                    continue
                has_time = "%H" in fmt
                break
            else:
                raise ValueError(f"Date illisible : « {text} » (attendu JJ/MM/AAAA ou AAAA-MM-JJ).")
        hour_value = self._hour(hour)
        if hour_value is not None:
            moment = datetime.combine(moment.date(), hour_value)
        elif not has_time:
            moment = datetime.combine(moment.date(), DEFAULT_TIME)
        return moment.replace(tzinfo=self.tz)

    @staticmethod
    def _hour(value) -> dtime | None:
        if isinstance(value, datetime):
            return value.time().replace(microsecond=0)
        if isinstance(value, dtime):
            return value.replace(microsecond=0)
        if isinstance(value, float) and 0 <= value < 1:  # an Excel time stored as a day fraction
            minutes = round(value * 24 * 60)
            return dtime(minutes // 60 % 24, minutes % 60)
        text = cell_text(value)
        if not text:
            return None
        match = _TIME.match(text)
        if match:
            hours, minutes, seconds = (int(g or 0) for g in match.groups())
            if hours < 24 and minutes < 60 and seconds < 60:
                return dtime(hours, minutes, seconds)
        raise ValueError(f"Heure illisible : « {text} » (attendu HH:MM).")

    @staticmethod
    def _word(value, table: dict, what: str, required: bool = False) -> str:
        text = cell_text(value)
        if not text:
            if required:
                raise ValueError(f"Le champ {what} est obligatoire.")
            return ""
        key = search_key(text)
        if key in AMBIGUOUS_WORDS and table is CHANNELS:
            raise ValueError(AMBIGUOUS_WORDS[key])
        if key not in table:
            raise ValueError(f"Valeur inconnue pour {what} : « {text} ».")
        return table[key]

    def _item(self, value) -> ServiceItem | None:
        text = cell_text(value).upper().replace(" ", "")
        if not text:
            return None
        if text not in self.book.items:
            raise ValueError(f"Prestation inconnue : « {text} » (codes de l'annexe 1, ex. B1.3).")
        return self.book.items[text]

    def _category(self, value, item) -> ServiceCategory:
        text = cell_text(value).upper().replace(" ", "").rstrip(".")
        if not text:
            if item is not None:
                return item.category
            raise ValueError("La catégorie est obligatoire (A, B1, B2, B3 ou C).")
        if text not in self.book.categories:
            raise ValueError(f"Catégorie inconnue : « {text} » (A, B1, B2, B3 ou C).")
        return self.book.categories[text]

    @staticmethod
    def _integer(value, what: str, default: int) -> int:
        if isinstance(value, bool):
            raise ValueError(f"Le champ {what} doit être un nombre entier.")
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        text = cell_text(value).replace(",", ".")
        if not text:
            return default
        try:
            number = float(text)
        except ValueError:
            number = None
        if number is None or not number.is_integer():
            raise ValueError(
                f"Le champ {what} doit être un nombre entier : « {cell_text(value)} »."
            )
        return int(number)

    def _commune(self, value) -> Commune | None:
        text = cell_text(value).upper()
        if not text:
            return None
        if text.isdigit() and len(text) < 5:  # a spreadsheet dropped the leading zero
            text = text.zfill(5)
        commune = self.book.communes.get(text)
        if commune is None:
            raise ValueError(
                f"Commune inconnue : « {cell_text(value)} » (indiquez le code INSEE, "
                "et non le code postal)."
            )
        return commune

    @staticmethod
    def _yes_no(value) -> bool | None:
        if isinstance(value, bool):
            return value
        key = search_key(cell_text(value))
        if not key:
            return None
        if key in YES_WORDS:
            return True
        if key in NO_WORDS:
            return False
        raise ValueError(f"Première visite : « {cell_text(value)} » (répondez oui ou non).")

    @staticmethod
    def _needs(value) -> set[str]:
        needs = set()
        for word in re.split(r"[,;/+|]", cell_text(value)):
            key = search_key(word)
            if not key:
                continue
            if key not in NEEDS:
                raise ValueError(f"Besoin inconnu : « {word.strip()} ».")
            needs.add(NEEDS[key])
        return needs


def commune_code(value) -> str:
    text = cell_text(value).upper()
    return text.zfill(5) if text.isdigit() and len(text) < 5 else text


# --- the import itself ---------------------------------------------------------------------------


@dataclass
class Rejected:
    line: int
    reason: str
    cells: list[str]


@dataclass
class ImportReport:
    filename: str
    mode: str
    headers: list[str]
    rows_read: int = 0
    blank_rows: int = 0
    imported: int = 0
    already_present: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def nothing_imported_because_of_errors(self) -> bool:
        return self.mode == ALL_OR_NOTHING and bool(self.rejected)

    def rejects_csv(self) -> str:
        """The rejected rows, with their line and reason, in the file's own columns: corrected,
        this file can be imported as it is (the "ligne" and "motif" columns are ignored)."""
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
        writer.writerow([*REJECTS_COLUMNS, *self.headers])
        for row in self.rejected:
            writer.writerow([row.line, row.reason, *row.cells])
        return "\ufeff" + out.getvalue()


def import_file(actor, house: House, upload, mode: str, *, filename: str = "") -> ImportReport:
    """Import the requests of a CSV/XLSX file into `house`, recorded by `actor`.

    Raises ImportRefused when the file as a whole is refused (nothing imported). The caller has
    checked that `actor` is staff of `house`.
    """
    if mode not in MODES:
        raise ImportRefused("Choisissez un mode d'import.")
    started = time.monotonic()
    sheet = parse(upload)
    report = ImportReport(
        filename=filename or getattr(upload, "name", "") or "",
        mode=mode,
        headers=sheet.headers,
        rows_read=len(sheet.rows),
        blank_rows=sheet.blank_rows,
        ignored_columns=sheet.ignored_columns,
    )
    house = House.objects.select_related("commune__departement").get(pk=house.pk)
    book = CodeBook(house)
    if "commune" in sheet.columns:
        index = sheet.columns.index("commune")
        book.load_communes(
            commune_code(cells[index]) for _l, cells in sheet.rows if index < len(cells)
        )
    reader = RowReader(house, book, timezone.now())
    # The key names the house, the file and the line: the same file imported again is skipped.
    prefix = (
        f"{KEY_PREFIX}{hashlib.sha256(f'{house.pk}:{sheet.digest}'.encode()).hexdigest()[:40]}:"
    )
    good: list[tuple[str, dict]] = []
    width = len(sheet.headers)
    for line, cells in sheet.rows:
        cells = (list(cells) + [None] * width)[:width]
        row = {name: cells[i] for i, name in enumerate(sheet.columns) if name}
        try:
            good.append((f"{prefix}{line}", reader.read(row)))
        except ValueError as exc:
            report.rejected.append(Rejected(line, str(exc), [cell_text(c) for c in cells]))
    if not report.nothing_imported_because_of_errors and good:
        report.imported, report.already_present = _insert(actor, house, prefix, good, report)
    report.seconds = time.monotonic() - started
    return report


def _insert(
    actor, house: House, prefix: str, good: list[tuple[str, dict]], report
) -> tuple[int, int]:
    try:
        with transaction.atomic():
            # One import at a time per house: the check of already imported lines stays true.
            House.objects.select_for_update().filter(pk=house.pk).values_list("pk").get()
            present = set(
                ServiceRequest.objects.filter(
                    house=house, idempotency_key__startswith=prefix
                ).values_list("idempotency_key", flat=True)
            )
            new = [
                ServiceRequest(
                    house_id=house.pk, agent_id=actor.pk, idempotency_key=key, **_by_id(data)
                )
                for key, data in good
                if key not in present
            ]
            ServiceRequest.objects.bulk_create(new, batch_size=BATCH_SIZE)
            if new:
                journal.record(
                    actor,
                    "requests.imported",
                    house,
                    summary=gettext_noop("Import de %(count)s demandes (%(file)s) — %(mode)s"),
                    params={
                        "count": len(new),
                        "file": report.filename,
                        "mode": MODE_NAMES[report.mode],
                    },
                    changes={
                        "file": report.filename,
                        "rows": report.rows_read,
                        "imported": len(new),
                        "already_present": len(good) - len(new),
                        "rejected": len(report.rejected),
                    },
                )
    except IntegrityError:
        raise ImportRefused(
            "Ce fichier est en cours d'import par ailleurs : rien n'a été importé cette fois. "
            "Réessayez dans un instant ; les lignes déjà importées seront reconnues."
        ) from None
    return len(new), len(good) - len(new)


def _by_id(data: dict) -> dict:
    # Ids rather than objects: bulk_create then skips its per-row check of related objects
    # (a quarter of the insert time for 10,000 rows).
    return {
        (f"{name}_id" if name in _FOREIGN_KEYS else name): (
            getattr(value, "pk", None) if name in _FOREIGN_KEYS else value
        )
        for name, value in data.items()
    }


_FOREIGN_KEYS = {"partner", "category", "item", "procedure", "commune"}


# --- the downloadable template -------------------------------------------------------------------

EXAMPLE_HELP = [
    ("canal", CHANNEL_WORDS),
    ("suite", OUTCOME_WORDS),
    ("autonomie", AUTONOMY_WORDS),
    ("tranche_age", AGE_WORDS),
    ("besoins", NEED_WORDS),
]


def template_csv() -> bytes:
    """The empty template: the header line, UTF-8 with BOM, ";" (what French Excel opens)."""
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerow(COLUMN_NAMES)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def template_xlsx() -> bytes:
    """The template as a workbook: the header row, and a second sheet with the accepted values."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Demandes"
    sheet.append(COLUMN_NAMES)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for index, column in enumerate(COLUMNS):
        sheet.column_dimensions[sheet.cell(row=1, column=index + 1).column_letter].width = max(
            12, len(column.name) + 4
        )
    help_sheet = workbook.create_sheet("Aide")
    help_sheet.append(["colonne", "obligatoire", "format ou valeurs"])
    for cell in help_sheet[1]:
        cell.font = Font(bold=True)
    for column in COLUMNS:
        help_sheet.append([column.name, "oui" if column.required else "non", column.text])
    help_sheet.append([])
    help_sheet.append(["liste", "code", "mots acceptés"])
    for name, words in EXAMPLE_HELP:
        for value, spellings in words.items():
            code = str(value).removeprefix("need_")
            help_sheet.append([name, code, ", ".join(spellings)])
    help_sheet.column_dimensions["A"].width = 18
    help_sheet.column_dimensions["C"].width = 80
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
