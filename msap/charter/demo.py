"""The demo's charter evidence (issue 11): what each demo house has recorded to prove the
commitments annex 5 checks by document, so that compliance is computed for every demo house
with its reasons — and some fail for real reasons in their data: a consultation of the
reduced-mobility association that expired, documents never recorded, an identification badge
missing (besides what the other demos give: overdue register items today, a house without a
confidential space).

Built through charter.services with the house's responsable as actor, dated in the past
relative to `today`. Deterministic for a given `today`; a house that already has evidence is
left as it is.
"""

from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile

from msap.charter import services
from msap.charter.models import Evidence
from msap.charter.models import EvidenceKind as K
from msap.lib.dates import add_months
from msap.people.models import Membership, Role, User

# (commitment, kind, title, months before today): the complete file of a house that keeps
# its charter, each document recent enough to count.
COMPLETE = [
    ("1", K.SELF_ASSESSMENT, "Autoévaluation de l'affichage", 2),
    ("2", K.TRAINING_PLAN, "Planning et émargements des formations partenaires", 4),
    ("3", K.PARTNER_EVALUATION, "Bilan de la qualité des dossiers transmis (CAF, CPAM)", 5),
    ("3 bis", K.MAINTENANCE_CONTRACT, "Contrat de maintenance du point numérique", 6),
    ("4", K.REFERENTS_PROCEDURE, "Procédure de relation avec les référents", 8),
    ("6", K.PRM_CONSULTATION, "Visite de l'association des paralysés de France", 10),
    ("7", K.DIFFICULTY_GUIDE, "Addendum Marianne : accueil des publics en difficulté", 9),
    ("8", K.IDENTIFICATION, "Badges et cavaliers nominatifs", 7),
    ("8", K.RECEPTION_PROCEDURE, "Procédure d'accueil physique et téléphonique", 7),
    ("9", K.OPENING_PROCEDURE, "Procédure d'ouverture et de fermeture", 3),
    ("9", K.MAINTENANCE_PLANNING, "Planning d'entretien des espaces d'accueil", 1),
    ("9", K.DOCUMENTATION, "Présentoir de la documentation des partenaires", 2),
    ("11", K.MAIL_PROCEDURE, "Procédure d'enregistrement du courrier", 11),
    ("13", K.ANSWERING_MACHINE, "Message du répondeur hors horaires", 5),
    ("14", K.COMPLAINT_PROCEDURE, "Procédure de réponse aux réclamations", 10),
    ("15", K.SURVEY_ANALYSIS, "Analyse de l'enquête de satisfaction et plan d'actions", 3),
    ("15", K.COMMUNICATION_PLAN, "Affichage des résultats de l'enquête", 2),
]
# What some houses lack, by their rank among the demo houses (real reasons to fail).
GAPS = {
    1: {"expired": {K.PRM_CONSULTATION}, "missing": {K.DOCUMENTATION}},
    2: {"missing": {K.IDENTIFICATION, K.COMMUNICATION_PLAN}},
    3: {"expired": {K.MAINTENANCE_CONTRACT}, "missing": {K.SURVEY_ANALYSIS}},
    5: {"missing": {K.DIFFICULTY_GUIDE, K.ANSWERING_MACHINE}},
}


def _pdf(title: str) -> bytes:
    """A small real PDF naming the document (one page, one line of text)."""
    text = title.encode("latin-1", "replace").replace(b"(", b"[").replace(b")", b"]")
    stream = b"BT /F1 12 Tf 50 780 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return out


def build_charter(houses, *, today: date) -> int:
    """Record the demo evidence of each house without any; returns how many were recorded."""
    with_evidence = set(
        Evidence.objects.filter(house__in=houses).values_list("house_id", flat=True)
    )
    responsables = dict(
        Membership.objects.current()
        .filter(role=Role.RESPONSABLE, house__in=houses)
        .order_by("house_id", "pk")
        .values_list("house_id", "user")
    )
    users = User.objects.in_bulk(set(responsables.values()))
    count = 0
    for rank, house in enumerate(sorted(houses, key=lambda h: h.pk)):
        actor = responsables.get(house.pk)
        if house.pk in with_evidence or actor is None:
            continue
        gaps = GAPS.get(rank, {})
        for code, kind, title, months in COMPLETE:
            if kind in gaps.get("missing", ()):
                continue
            dated_on = add_months(today, -months)
            valid_until = None
            if kind in gaps.get("expired", ()):
                # Recorded long ago and never renewed: it stopped counting last month.
                dated_on = add_months(today, -37)
                valid_until = today - timedelta(days=20)
            services.record_evidence(
                users[actor],
                house,
                commitment=code,
                kind=kind,
                title=title,
                dated_on=dated_on,
                valid_until=valid_until,
                upload=SimpleUploadedFile(f"{kind}.pdf", _pdf(title)),
            )
            count += 1
    return count
