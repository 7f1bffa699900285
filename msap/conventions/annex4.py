"""Annex 4 of the convention: the national quality charter in force in the document's year, as
msap.charter holds it (`commitments_for(year)`), with §4.1's words to the public and the house's
partners. A year before any version of the charter is a blank of the document (it is never
printed from a stale copy)."""

from django.template.loader import render_to_string

from msap.charter.queries import commitments_for


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def charter_for(year: int):
    return commitments_for(year)


def annex4_text(charter, partners) -> str:
    """Annex 4 in the document's line markup (conventions/document.py)."""
    groups = [
        (
            number,
            title,
            [
                {
                    "code": c.code,
                    "wording": c.wording,
                    "optional": c.optional,
                    "description_lines": _lines(c.description),
                    "means_lines": _lines(c.means),
                    "partners_lines": _lines(c.means_partners),
                    "evidence_lines": _lines(c.evidence),
                }
                for c in items
            ],
        )
        for number, title, items in charter.groups()
    ]
    return render_to_string(
        "conventions/annex4.txt", {"charter": charter, "partners": partners, "groups": groups}
    )
