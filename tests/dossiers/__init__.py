"""Helpers shared by the personal-file tests: a file opened with consent, linked requests, scans."""

from datetime import timedelta

from django.utils import timezone

from msap.desk.models import ServiceRequest
from msap.dossiers import services
from msap.dossiers.models import LinkedRequest
from msap.partners.models import ServiceCategory

# The smallest files each sniffed type accepts (their magic numbers, then some bytes).
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
NOT_A_SCAN = b"MZ\x90\x00 this is a Windows executable, whatever its name says"

PERSON = {
    "first_name": "Héloïse",
    "last_name": "Vandermeersch",
    "birth_year": 1957,
    "phone": "06 12 34 56 78",
    "email": "heloise.vandermeersch@exemple.fr",
    "postal_address": "3 impasse des Tilleuls, 19000 Tulle",
}
PURPOSE = "Suivi de mon dossier de retraite avec la CARSAT"


def open_file(world, *, agent=None, house=None, now=None, **identity):
    """A file opened in `house` (default: the world's house) by its agent, with consent."""
    return services.open_dossier(
        agent or world.users.agent,
        house or world.house,
        consent_purpose=PURPOSE,
        consent_given=True,
        now=now,
        **{**PERSON, **identity},
    )


def make_request(
    world, *, house=None, agent=None, dossier=None, notes="", days_ago=1, partner=None
):
    request = ServiceRequest.objects.create(
        house=house or world.house,
        agent=agent or world.users.agent,
        occurred_at=timezone.now() - timedelta(days=days_ago),
        category=ServiceCategory.objects.get(code="B1"),
        notes=notes,
        partner=partner,
    )
    if dossier is not None:
        LinkedRequest.objects.create(request=request, dossier=dossier)
    return request
