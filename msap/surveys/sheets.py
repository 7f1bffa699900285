"""What the counter prints or shows for the survey: the QR code of a link (segno), the sheet of
tickets, each with its one-time code and QR code, and the house's poster (WeasyPrint PDF)."""

import segno
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe

from msap.surveys import rules

QR_ERROR = "m"  # 15 % of the code may be damaged (a creased ticket) and still read


def form_url(base: str, code: str) -> str:
    """The absolute short link of a code's form (`base`: the site's root, without the slash)."""
    return f"{base}{reverse('survey_form', args=[rules.format_code(code)])}"


def entry_url(base: str) -> str:
    return f"{base}{reverse('survey_entry')}"


def qr(url: str) -> segno.QRCode:
    return segno.make(url, error=QR_ERROR, micro=False)


def qr_svg(url: str, *, title: str, scale: int = 4) -> str:
    """The QR code as inline SVG for a page (its title is its accessible name)."""
    svg = qr(url).svg_inline(scale=scale, title=title, svgclass="msap-qr", lineclass=None)
    return mark_safe(svg)  # noqa: S308 (segno's markup; the title is escaped by segno)


def qr_data_uri(url: str, *, scale: int = 4) -> str:
    return qr(url).svg_data_uri(scale=scale)


def _pdf(template: str, context: dict) -> bytes:
    from weasyprint import HTML

    # Printed for the public: in French, whatever the agent's screen language.
    with translation.override("fr"):
        html = render_to_string(template, context)
    return HTML(string=html).write_pdf()


def tickets_pdf(campaign, tokens, base: str) -> bytes:
    tickets = [
        {
            "code": rules.format_code(t.code),
            "url": form_url(base, t.code),
            "qr": qr_data_uri(form_url(base, t.code)),
            "expires": t.expires_at,
        }
        for t in tokens
    ]
    return _pdf(
        "surveys/tickets_pdf.html",
        {
            "campaign": campaign,
            "house": campaign.house,
            "tickets": tickets,
            "entry": entry_url(base),
        },
    )


def poster_pdf(house, campaign, base: str) -> bytes:
    url = entry_url(base)
    return _pdf(
        "surveys/poster_pdf.html",
        {"house": house, "campaign": campaign, "url": url, "qr": qr_data_uri(url, scale=10)},
    )
