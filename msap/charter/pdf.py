"""The printable self-assessment (PDF, WeasyPrint): the same assessment as the house's page,
in French whatever the reader's screen language (a document for the steering committee)."""

from django.template.loader import render_to_string
from django.utils import timezone, translation

from msap.charter.queries import HouseCharter


def render_self_assessment(assessment: HouseCharter) -> bytes:
    from weasyprint import HTML

    with translation.override("fr"):
        titles = {g: t for g, t, _items in assessment.charter.groups()}
        groups: dict[int, list] = {}
        for item in assessment.items:
            groups.setdefault(item.group, []).append(item)
        html = render_to_string(
            "charter/pdf.html",
            {
                "title": f"Autoévaluation de la charte de qualité {assessment.year}",
                "house": assessment.house,
                "a": assessment,
                "counts": assessment.counts(),
                "groups": [(g, titles[g], items) for g, items in groups.items()],
                "today": timezone.localdate(),
            },
        )
    return HTML(string=html).write_pdf()
