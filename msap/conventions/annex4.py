"""Annex 4 of the convention: the national quality charter.

The charter as data lives in msap/charter (issue 11, part 1). Until it lands on main, annex 4
is rendered here from the seed's own text (convention-cadre-msap.txt, lines 368–1175, kept as
the template conventions/annex4_seed.txt), its one blank — the house's partners — filled. This is
the one module to switch to `msap.charter.queries.commitments_for(year)` once it exists.
"""

from django.template.loader import render_to_string


def annex4_text(partners, year: int) -> str:
    """Annex 4 in the document's line markup (conventions/document.py)."""
    return render_to_string("conventions/annex4_seed.txt", {"partners": partners, "year": year})
