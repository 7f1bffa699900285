"""The filled convention (issue 11, part 6): the seed's framework convention and its four
annexes for one house, every blank filled from its data, as DOCX (editable, for signature) and
PDF.

`prepare(house, year)` reads the data once and lists what is missing — each with the screen where
it is filled — before anything is generated; `render_docx` and `render_pdf` refuse (French
`MissingData`) while a blank remains, so no document is ever printed with "xx" or "(précisez".
The wording is the template conventions/convention.txt (one block a line, see its header); both
writers draw the same blocks.
"""

import io
from dataclasses import dataclass, field
from datetime import date

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from msap.conventions import queries, rules
from msap.conventions.annex4 import annex4_text, charter_for
from msap.conventions.models import SignatoryKind
from msap.core.errors import DomainError
from msap.network import rules as network_rules
from msap.network.models import Premises
from msap.network.queries import current_ranges
from msap.partners.models import PartnershipStatus
from msap.people.models import Membership, Role
from msap.registers.letters import french_date, opening_hours_lines

# What a reader searches to find a blank the model left (tests, and the writers' last check).
BLANK_MARKS = ("xx", "précisez", "(le gestionnaire", "(gestionnaire")


@dataclass
class Blank:
    label: str
    url: str


@dataclass
class Prepared:
    house: object
    convention: object
    year: int
    context: dict = field(default_factory=dict)
    blanks: list[Blank] = field(default_factory=list)


class MissingData(DomainError):
    """The data cannot fill every blank: nothing is generated; `blanks` says what to fill where."""

    def __init__(self, blanks: list[Blank]):
        message = _(
            "La convention ne peut pas être générée : %(count)s information(s) manque(nt) — %(list)s."
        ) % {"count": len(blanks), "list": " ; ".join(b.label for b in blanks)}
        super().__init__(message)
        self.blanks = blanks


def _names(memberships) -> str:
    return ", ".join(sorted(m.user.get_full_name() or m.user.email for m in memberships))


def _territory(house) -> str:
    names = sorted(c.name for c in house.served_communes.all())
    if not names:
        return house.commune.name
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} et {names[-1]}"


def _address(house) -> str:
    parts = [house.address, house.address_extra, f"{house.postal_code} {house.commune.name}"]
    return ", ".join(p for p in parts if p)


def _rooms(premises) -> list[str]:
    rooms = []
    if premises.has_seated_waiting_area:
        rooms.append(_("d’un espace d’attente pour les usagers"))
    if premises.has_confidential_space:
        rooms.append(_("d’un espace confidentiel"))
    if premises.permanence_office:
        rooms.append(
            _(
                "d’un bureau de confidentialité mis à disposition des partenaires pour leurs permanences"
            )
        )
    if premises.has_meeting_room:
        rooms.append(_("d’une salle de réunion pour les accueils collectifs et réunions internes"))
    if premises.has_public_toilets:
        rooms.append(_("de sanitaires accessibles au public"))
    return rooms


def _office_equipment(premises) -> str:
    if not premises.permanence_office:
        return ""
    parts = [
        label
        for flag, label in (
            (premises.permanence_office_phone, _("d’un téléphone")),
            (premises.permanence_office_cabinet, _("d’une armoire de rangement")),
            (premises.permanence_office_internet, _("d’une possibilité de connexion internet")),
            (premises.permanence_office_computer, _("d’un ordinateur")),
        )
        if flag
    ]
    return ", ".join(parts) if parts else _("pour leurs permanences")


def _percent(value) -> str:
    """62.50 → "62,5" (French decimal comma, no trailing zeros); "" for no value."""
    if value is None:
        return ""
    return format(value.normalize(), "f").replace(".", ",")


def _group_items(items) -> list[dict]:
    groups: list[dict] = []
    for item in sorted(items, key=lambda i: (i.category.position, i.position)):
        if not groups or groups[-1]["category"].pk != item.category_id:
            groups.append({"category": item.category, "items": []})
        groups[-1]["items"].append(item)
    return groups


def prepare(house, convention, year: int, today: date) -> Prepared:
    """Read what fills the convention's blanks; list each blank the data leaves, with the screen
    where it is filled."""
    out = Prepared(house=house, convention=convention, year=year)
    blanks = out.blanks

    def missing(label, url_name, *args):
        blanks.append(Blank(label, reverse(url_name, args=[house.pk, *args])))

    if convention is None:
        missing(_("La signature de la convention par le gestionnaire"), "convention_detail")
        return out
    members = list(
        Membership.objects.current()
        .filter(house=house, role__in=[Role.AGENT, Role.RESPONSABLE])
        .select_related("user")
    )
    managers = [m for m in members if m.role == Role.RESPONSABLE]
    agents = [m for m in members if m.role == Role.AGENT]
    if not managers:
        missing(_("Le responsable de la maison (article 3.1, annexe 2)"), "house_staff")
    if not agents:
        missing(_("Les agents d’accueil (article 3.1, annexe 3 § 1.2)"), "house_staff")
    ranges = current_ranges(house)
    hours = opening_hours_lines(house)
    if not hours:
        missing(_("Les horaires d’ouverture (article 3.2)"), "house_hours")
    premises = Premises.objects.filter(house=house).first()
    if premises is None or not premises.reduced_mobility_access.strip():
        missing(_("L’accueil des personnes à mobilité réduite (article 3.3)"), "house_premises")
    premises = premises or Premises(house=house)
    equipment = [
        f"{e.label or e.get_kind_display()}" + (f" ({e.quantity})" if e.quantity > 1 else "")
        for e in house.equipment.filter(for_public=True, in_service=True)
    ]
    if not equipment:
        missing(
            _("Les équipements mis à la disposition des usagers (article 3.3)"), "house_premises"
        )
    if convention.service_notice_months is None:
        missing(_("Le préavis de retrait d’un service (article 9)"), "convention_edit")
    if not convention.signed_at.strip():
        missing(_("Le lieu de signature (« Fait à », article 12)"), "convention_edit")
    if not convention.manager_delegations.strip():
        missing(
            _("Les décisions que le responsable peut prendre ou déléguer (annexe 3, § 1.1)"),
            "convention_edit",
        )
    rows = queries.signatories(convention)
    in_force = [
        r
        for r in rows
        if r.kind == SignatoryKind.GESTIONNAIRE
        or (r.partnership.status == PartnershipStatus.ACTIVE)
    ]
    signed_ids = {r.partnership_id for r in in_force if r.partnership_id}
    partnerships = list(
        house.partnerships.active()
        .select_related("partner")
        .prefetch_related("services__category", "referents")
    )
    for p in partnerships:
        if p.pk not in signed_ids:
            missing(
                _("La signature de %(partner)s (article 12)") % {"partner": p.partner.short_name},
                "signatory_add",
            )
    for r in in_force:
        if not r.signer_name.strip() or not r.signer_title.strip():
            missing(
                _("Le nom et la qualité du signataire pour %(party)s") % {"party": r.party_name},
                "signatory_edit",
                r.pk,
            )
    offer, referent_rows = [], []
    gestionnaire_row = None
    if managers:
        m = managers[0]
        gestionnaire_row = {
            "partner": _("Le gestionnaire de la Maison de services au public : %(name)s")
            % {"name": house.organisation.name},
            "name": m.user.get_full_name() or m.user.email,
            "contact": " — ".join(
                x
                for x in (f"Tél : {house.phone}" if house.phone else "", f"mail : {m.user.email}")
                if x
            ),
            "function": _("Responsable de la maison"),
        }
    for p in partnerships:
        items = list(p.services.all())
        if not items:
            missing(
                _("L’offre de service de %(partner)s (annexe 1)")
                % {"partner": p.partner.short_name},
                "partnership_detail",
                p.pk,
            )
        offer.append({"partner": p.partner, "groups": _group_items(items)})
        current = [r for r in p.referents.all() if r.ended_on is None]
        if not current:
            missing(
                _("Le référent de %(partner)s (annexe 2)") % {"partner": p.partner.short_name},
                "partnership_detail",
                p.pk,
            )
        for ref in current:
            contact = [
                f"Tél : {ref.phone}" if ref.phone else "",
                f"mail : {ref.email}" if ref.email else "",
            ]
            referent_rows.append(
                {
                    "partner": p.partner.name,
                    "name": ref.full_name,
                    "contact": " — ".join(c for c in contact if c),
                    "function": " — ".join(x for x in (ref.function, ref.domains) if x)
                    or _("Référent du partenaire"),
                }
            )
    terms = queries.terms_by_signatory(convention, year)
    gestionnaire = next(r for r in rows if r.kind == SignatoryKind.GESTIONNAIRE)
    g_terms = terms.get(gestionnaire.pk)
    if g_terms is None or not g_terms.financial.strip():
        missing(
            _("Les apports financiers %(year)s du gestionnaire (annexe 3, § 3.1)") % {"year": year},
            "terms_edit",
            year,
            gestionnaire.pk,
        )
    if g_terms is None or g_terms.activity_share is None:
        missing(
            _(
                "La part de l’activité du gestionnaire consacrée à la maison en %(year)s (annexe 3, § 3.2)"
            )
            % {"year": year},
            "terms_edit",
            year,
            gestionnaire.pk,
        )

    def rows_of(attr):
        return [
            {"party": r.party_name, "text": getattr(terms[r.pk], attr).strip()}
            for r in in_force
            if r.pk in terms and getattr(terms[r.pk], attr).strip()
        ]

    charter = charter_for(year)
    if charter is None:
        blanks.append(
            Blank(
                _("La charte nationale de qualité en vigueur en %(year)s (annexe 4)")
                % {"year": year},
                reverse("admin:index"),
            )
        )
    term = rules.term_on(convention.signed_on, today)
    weekly = network_rules.weekly_minutes(ranges)
    signature_rows = [
        {
            "party": r.party_name,
            "role": _("Gestionnaire") if r.kind == SignatoryKind.GESTIONNAIRE else _("Partenaire"),
            "signer": ", ".join(x for x in (r.signer_name, r.signer_title) if x),
            "signed_on": french_date(r.signed_on),
        }
        for r in in_force
    ]
    partner_rows = [{"partner": p.partner} for p in partnerships]
    out.context = {
        "house": house,
        "convention": convention,
        "g": house.organisation.name,
        "year": year,
        "partners": partner_rows,
        "territory": _territory(house),
        "address": _address(house),
        "managers": _names(managers),
        "agents": _names(agents),
        "agent_count": len(agents),
        "hours": hours,
        "weekly_hours": network_rules.format_minutes(weekly),
        "open_days": len(network_rules.open_days(ranges)),
        "premises": premises,
        "reduced_mobility": premises.reduced_mobility_access.strip(),
        "public_equipment": equipment,
        "rooms": _rooms(premises),
        "office_equipment": _office_equipment(premises),
        "permanences": rows_of("permanence_office"),
        "contributions": {
            kind: rows_of(kind) for kind in ("financial", "premises", "furniture", "technical")
        },
        "bilaterals": rows_of("bilateral_convention"),
        "trainings": rows_of("cross_training"),
        "activity_share": _percent(g_terms.activity_share if g_terms else None),
        "service_notice": f"{convention.service_notice_months} mois"
        if convention.service_notice_months
        else "",
        "signed_at": convention.signed_at,
        "signed_on": french_date(convention.signed_on),
        "term": term,
        "term_end": french_date(term.end),
        "offer": offer,
        "referent_rows": ([gestionnaire_row] if gestionnaire_row else []) + referent_rows,
        "signature_rows": signature_rows,
        "charter": charter,
    }
    return out


# --- blocks --------------------------------------------------------------------------------------


def blocks(prepared: Prepared) -> list[tuple[str, object]]:
    """The document as (kind, payload) blocks; refused while a blank remains."""
    if prepared.blanks:
        raise MissingData(prepared.blanks)
    text = render_to_string("conventions/convention.txt", prepared.context)
    out: list[tuple[str, object]] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line == "[[annex4]]":
            annex4 = annex4_text(prepared.context["charter"], prepared.context["partners"])
            for sub in annex4.splitlines():
                if sub.strip():
                    out.append(_block(sub.strip(), prepared))
            continue
        out.append(_block(line, prepared))
    return out


def _block(line: str, prepared: Prepared):
    if line == "[[referents]]":
        return ("referents", prepared.context["referent_rows"])
    if line == "[[signatures]]":
        return ("signatures", prepared.context["signature_rows"])
    for mark, kind in (("### ", "h2"), ("## ", "h1"), ("# ", "title"), ("· ", "bullet")):
        if line.startswith(mark):
            return (kind, line[len(mark) :].strip())
    return ("p", line)


REFERENT_HEADERS = ("Partenaire", "Nom du référent", "Coordonnées", "Fonction")
SIGNATURE_HEADERS = ("Signataire", "Nom et qualité du signataire", "Date de signature", "Signature")


def render_docx(prepared: Prepared) -> bytes:
    from docx import Document
    from docx.shared import Cm, Pt

    doc = Document()
    doc.core_properties.title = _("Convention-cadre — %(house)s") % {"house": prepared.house.name}
    doc.core_properties.language = "fr-FR"
    for kind, payload in blocks(prepared):
        if kind == "title":
            doc.add_heading(payload, level=0)
        elif kind == "h1":
            doc.add_heading(payload, level=1)
        elif kind == "h2":
            doc.add_heading(payload, level=2)
        elif kind == "bullet":
            doc.add_paragraph(payload, style="List Bullet")
        elif kind == "p":
            doc.add_paragraph(payload)
        elif kind == "referents":
            _docx_table(
                doc,
                REFERENT_HEADERS,
                [(r["partner"], r["name"], r["contact"], r["function"]) for r in payload],
            )
        elif kind == "signatures":
            table = _docx_table(
                doc,
                SIGNATURE_HEADERS,
                [(f"{r['party']} — {r['role']}", r["signer"], r["signed_on"], "") for r in payload],
            )
            for row in table.rows[1:]:
                row.height = Cm(2.5)  # room for the signature
    for style in ("Normal", "List Bullet"):
        doc.styles[style].font.size = Pt(10.5)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _docx_table(doc, headers, rows):
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for values in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            cell.text = text
    doc.add_paragraph()
    return table


def render_pdf(prepared: Prepared) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "conventions/convention_pdf.html",
        {
            "blocks": blocks(prepared),
            "house": prepared.house,
            "referent_headers": REFERENT_HEADERS,
            "signature_headers": SIGNATURE_HEADERS,
        },
    )
    return HTML(string=html).write_pdf()


def generate(house, convention, fmt: str, *, year: int, today: date) -> tuple[bytes, str, str]:
    """(content, content type, file name) of the filled convention; MissingData while a blank
    remains. Written in French whatever the reader's language (the convention is a French act)."""
    with translation.override("fr"):
        prepared = prepare(house, convention, year, today)
        if fmt == "pdf":
            return render_pdf(prepared), "application/pdf", f"convention-{house.slug}.pdf"
        return (
            render_docx(prepared),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            f"convention-{house.slug}.docx",
        )
