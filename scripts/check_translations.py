"""Check the English catalogue: every entry translated, none fuzzy, placeholders kept, .mo current.

Usage: .venv/bin/python scripts/check_translations.py [path/to/django.po]
Exits 1 and lists the faulty entries, so CI catches a string forgotten after `makemessages`.
Standard library only: a fresh install needs no gettext tools to run it.
"""

import gettext
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EN_PO = ROOT / "msap" / "locale" / "en" / "LC_MESSAGES" / "django.po"

_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+"(.*)"\s*$')
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
# %(name)s, %s, %d, %%; {name}; inline HTML tags with their attributes (not "<token>" in prose).
_HTML_TAGS = "a|abbr|b|br|cite|code|em|i|kbd|li|mark|ol|p|q|s|small|span|strong|sub|sup|time|u|ul"
_PLACEHOLDER = re.compile(
    r"%(?:\([^)]+\))?[-#0+]?\d*(?:\.\d+)?[sdifrxXeEgGc%]"
    r"|\{[A-Za-z_][\w.]*\}"
    rf"|</?(?:{_HTML_TAGS})\b[^>]*>"
)


@dataclass
class Entry:
    """One catalogue entry; `msgstr` holds the singular, `plurals` every plural form."""

    line: int
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: str = ""
    plurals: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    @property
    def translations(self) -> list[str]:
        if self.msgid_plural is None:
            return [self.msgstr]
        return [self.plurals[i] for i in sorted(self.plurals)] or [""]

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def untranslated(self) -> bool:
        return not all(self.translations)

    def label(self) -> str:
        text = self.msgid.replace("\n", "\\n")
        return f"line {self.line}: {text[:90]}{'…' if len(text) > 90 else ''}"


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(0)), text)


def parse_po(path: Path = EN_PO) -> list[Entry]:
    """Read a .po file into entries (gettext separates them by blank lines).

    The header (msgid "") and obsolete entries (#~) are left out.
    """
    entries: list[Entry] = []
    entry: Entry | None = None
    key: tuple[str, int | None] = ("msgid", None)
    lines = [*path.read_text(encoding="utf-8").splitlines(), ""]
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            if entry is not None and entry.msgid:
                entries.append(entry)
            entry = None
            continue
        if entry is None:
            entry = Entry(line=number)
        if line.startswith("#,"):
            entry.flags |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif match := _KEYWORD.match(line):
            name = match.group(1).split("[")[0]
            key = (name, int(match.group(2)) if match.group(2) is not None else None)
            _store(entry, key, _unescape(match.group(3)))
        elif line.startswith('"'):
            _store(entry, key, _unescape(line[1:-1]))
    return entries


def _store(entry: Entry, key: tuple[str, int | None], text: str) -> None:
    name, index = key
    if name == "msgstr" and index is not None:
        entry.plurals[index] = entry.plurals.get(index, "") + text
    elif name == "msgid_plural":
        entry.msgid_plural = (entry.msgid_plural or "") + text
    elif name == "msgctxt":
        entry.msgctxt = (entry.msgctxt or "") + text
    else:
        setattr(entry, name, getattr(entry, name) + text)


def placeholders(text: str) -> Counter:
    return Counter(_PLACEHOLDER.findall(text))


def placeholder_mismatches(entries: list[Entry]) -> list[Entry]:
    """Entries whose translation does not carry exactly the placeholders of its source."""
    wrong = []
    for entry in entries:
        if entry.untranslated:
            continue
        if entry.msgid_plural is None:
            pairs = [(entry.msgid, entry.msgstr)]
        else:
            pairs = [(entry.msgid, entry.plurals.get(0, ""))]
            pairs += [
                (entry.msgid_plural, entry.plurals[i]) for i in sorted(entry.plurals) if i > 0
            ]
        if any(placeholders(src) != placeholders(dst) for src, dst in pairs):
            wrong.append(entry)
    return wrong


def stale_in_mo(entries: list[Entry], mo_path: Path) -> list[Entry]:
    """Translated entries that the compiled .mo lacks or holds differently (compilemessages forgotten)."""
    if not mo_path.exists():
        return [e for e in entries if not e.untranslated and not e.fuzzy]
    with mo_path.open("rb") as fh:
        catalog = gettext.GNUTranslations(fh)._catalog
    stale = []
    for entry in entries:
        if entry.untranslated or entry.fuzzy:
            continue
        msgid = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"
        if entry.msgid_plural is None:
            ok = catalog.get(msgid) == entry.msgstr
        else:
            ok = all(catalog.get((msgid, i)) == text for i, text in entry.plurals.items())
        if not ok:
            stale.append(entry)
    return stale


def problems(path: Path = EN_PO) -> dict[str, list[Entry]]:
    """Every fault of the catalogue, by kind; empty lists when all is well."""
    entries = parse_po(path)
    return {
        "untranslated": [e for e in entries if e.untranslated],
        "fuzzy": [e for e in entries if e.fuzzy],
        "placeholders differ": placeholder_mismatches(entries),
        "missing or different in the compiled .mo (run compilemessages)": stale_in_mo(
            entries, path.with_suffix(".mo")
        ),
    }


def main(argv: list[str]) -> int:
    path = Path(argv[1]) if len(argv) > 1 else EN_PO
    found = problems(path)
    total = sum(len(v) for v in found.values())
    for kind, entries in found.items():
        if entries:
            print(f"{len(entries)} {kind}:")
            for entry in entries:
                print(f"  {entry.label()}")
    if total:
        print(f"{path}: {total} problem(s).")
        return 1
    print(f"{path}: {len(parse_po(path))} entries, all translated.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
