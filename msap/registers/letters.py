"""Letters of the registers: acknowledgement of receipt and answer, as PDF (WeasyPrint).

Both carry what charter commitments 11–12 require: the agent's first name, name and phone,
the house's postal address, email address, phone and opening hours. Issuing a letter registers
it in the outgoing mail register, linked to the item it answers; issuing the same letter again
on the same day reuses that outgoing item (no duplicate in the register).
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from msap.core import journal
from msap.core.errors import DomainError
from msap.lib.dates import FRENCH_MONTHS, FRENCH_WEEKDAYS, day_bounds, today_in
from msap.registers import rules, services
from msap.registers.models import Channel, Kind, RegisterItem, Status

# How the letters name what they answer ("votre courrier du 2 février 2026").
KIND_NOUNS = {
    Kind.INCOMING_MAIL: "courrier",
    Kind.EMAIL: "courriel",
    Kind.PHONE: "appel",
    Kind.COMPLAINT: "réclamation",
    Kind.SUGGESTION: "remarque ou suggestion",
}


@dataclass(frozen=True)
class LetterType:
    code: str
    subject_prefix: str
    relation: str  # ItemLink relation from the item to the outgoing letter
    template: str
    filename: str


ACK = LetterType(
    "ack", "Accusé de réception", "related", "registers/letter_ack.html", "accuse-reception"
)
ANSWER = LetterType("answer", "Réponse", "answered_by", "registers/letter_answer.html", "reponse")
LETTERS = {ACK.code: ACK, ANSWER.code: ANSWER}
# What the item's history says of a letter issued (or issued again), read in the reader's language.
LETTER_JOURNAL = {
    ("ack", False): gettext_noop("Accusé de réception édité — courrier départ n°%(number)s"),
    ("ack", True): gettext_noop(
        "Accusé de réception édité — courrier départ n°%(number)s (réédition)"
    ),
    ("answer", False): gettext_noop("Réponse éditée — courrier départ n°%(number)s"),
    ("answer", True): gettext_noop("Réponse éditée — courrier départ n°%(number)s (réédition)"),
}

# Kinds whose sender may receive an acknowledgement of receipt.
ACK_KINDS = {Kind.INCOMING_MAIL, Kind.EMAIL, Kind.COMPLAINT, Kind.SUGGESTION}


# --- French formatting ------------------------------------------------------------------------


def french_date(day: date, *, weekday: bool = False) -> str:
    """ "2 mars 2026", "1er avril 2026", or with the weekday "lundi 2 mars 2026"."""
    number = "1er" if day.day == 1 else str(day.day)
    text = f"{number} {FRENCH_MONTHS[day.month - 1]} {day.year}"
    return f"{FRENCH_WEEKDAYS[day.weekday()]} {text}" if weekday else text


def french_time(value: time) -> str:
    """9 h 00, 14 h 30 (the French typographic style for hours)."""
    return f"{value.hour} h {value.minute:02d}"


def opening_hours_lines(house) -> list[str]:
    """The weekly schedule, one line per open day: "lundi : 9 h 00 – 12 h 00, 14 h 00 – 16 h 30"."""
    by_day = defaultdict(list)
    for opening in house.opening_ranges.all():
        by_day[opening.weekday].append(opening)
    lines = []
    for weekday in sorted(by_day):
        ranges = sorted(by_day[weekday], key=lambda r: r.start)
        spans = ", ".join(f"{french_time(r.start)} – {french_time(r.end)}" for r in ranges)
        lines.append(f"{FRENCH_WEEKDAYS[weekday]} : {spans}")
    return lines


def local_day(instant: datetime, house) -> date:
    return today_in(house.tz, instant)


# --- what goes in a letter ----------------------------------------------------------------------


def redirect_answer_text(referent, note: str = "") -> str:
    """The answer that redirects to the competent referent (charter: an answer may redirect).

    Names the referent and their function, and the partner's public contact (its website):
    never the referent's direct line or email (annex 2).
    """
    partner = referent.partnership.partner
    lines = [
        f"Votre demande relève de la compétence de {partner.name} ({partner.short_name}).",
        f"Nous l'avons transmise à {referent.full_name}"
        + (f", {referent.function}" if referent.function else "")
        + f", référent de {partner.short_name} pour notre maison, qui la traitera.",
    ]
    if partner.website:
        lines.append(
            f"Vous pouvez également contacter {partner.short_name} par son site : {partner.website}"
        )
    if note.strip():
        lines.append(note.strip())
    return "\n".join(lines)


def check_letter(item: RegisterItem, letter: LetterType) -> None:
    """Refuse a letter the item cannot have (a French message, nothing registered)."""
    if item.kind == Kind.OUTGOING_MAIL:
        raise DomainError(
            _("Un courrier départ ne reçoit pas de lettre : ouvrez l'élément auquel il répond.")
        )
    if letter is ACK and item.kind not in ACK_KINDS:
        raise DomainError(_("Un appel téléphonique ne reçoit pas d'accusé de réception."))
    if letter is ANSWER:
        if not item.answer_text.strip():
            raise DomainError(
                _(
                    "Enregistrez d'abord la réponse (répondre sur le fond ou réorienter) : la lettre reprend son texte."
                )
            )
        if item.status not in {Status.ANSWERED, Status.REDIRECTED, Status.CLOSED}:
            raise DomainError(_("La lettre de réponse suit une réponse enregistrée."))


def letter_context(item: RegisterItem, letter: LetterType, user, now: datetime) -> dict:
    house = item.house
    agent = item.assigned_to or user
    due_day = local_day(item.due_at, house) if item.due_at else None
    rule = rules.RULES.get(item.due_rule)
    return {
        "letter": letter,
        "item": item,
        "house": house,
        "hours": opening_hours_lines(house),
        "agent": {
            "first_name": agent.first_name,
            "last_name": agent.last_name,
            "phone": agent.phone or house.phone,
            "phone_is_house": not agent.phone,
        },
        "kind_noun": KIND_NOUNS.get(item.kind, "demande"),
        "today": french_date(local_day(now, house)),
        "received_on": french_date(local_day(item.received_at, house)),
        "due_on": french_date(due_day, weekday=True) if due_day else "",
        "rule": rule,
        "subject": f"{letter.subject_prefix} — {item.subject}",
    }


def render_letter_pdf(
    item: RegisterItem, letter: LetterType, user, now: datetime | None = None
) -> bytes:
    from weasyprint import HTML

    now = now or timezone.now()
    # Letters are written in French whatever language the agent's screen uses.
    with translation.override("fr"):
        html = render_to_string(letter.template, letter_context(item, letter, user, now))
    return HTML(string=html).write_pdf()


# --- issuing: the PDF and its outgoing mail entry ---------------------------------------------------


def _outgoing_subject(item: RegisterItem, letter: LetterType) -> str:
    return f"{letter.subject_prefix} — {item.subject}"[:300]


def find_issued(item: RegisterItem, letter: LetterType, now: datetime) -> RegisterItem | None:
    """The outgoing letter of this type already registered for the item on the same local day."""
    start, end = day_bounds(today_in(item.house.tz, now), item.house.tz)
    return (
        RegisterItem.objects.filter(
            house_id=item.house_id,
            kind=Kind.OUTGOING_MAIL,
            subject=_outgoing_subject(item, letter),
            links_in__source=item,
            links_in__relation=letter.relation,
            received_at__gte=start,
            received_at__lt=end,
        )
        .order_by("received_at", "pk")
        .first()
    )


def issue_letter(
    actor, item: RegisterItem, code: str, now: datetime | None = None
) -> tuple[bytes, RegisterItem]:
    """Produce the letter's PDF and register it as outgoing mail (once per item, type and day)."""
    letter = LETTERS.get(code)
    if letter is None:
        raise DomainError(_("Lettre inconnue."))
    check_letter(item, letter)
    now = now or timezone.now()
    # Rendered before anything is registered: a letter that failed to print was not sent.
    pdf = render_letter_pdf(item, letter, actor, now)
    with transaction.atomic():
        # Lock the source row: two clicks at once register one outgoing letter.
        RegisterItem.objects.select_for_update().filter(pk=item.pk).values_list(
            "pk", flat=True
        ).get()
        outgoing = find_issued(item, letter, now)
        reprint = outgoing is not None
        if outgoing is None:
            outgoing = services.record_item(
                actor,
                item.house,
                kind=Kind.OUTGOING_MAIL,
                received_at=now,
                channel=Channel.POST
                if item.sender_address or not item.sender_email
                else Channel.EMAIL,
                subject=_outgoing_subject(item, letter),
                sender_name=item.sender_name,
                sender_address=item.sender_address,
                sender_email=item.sender_email,
                partner=item.partner,
                body="Lettre générée par msap.",
            )
            services.link_items(actor, item, outgoing, letter.relation)
        journal.record(
            actor,
            "register.letter",
            item,
            summary=LETTER_JOURNAL[letter.code, reprint],
            params={"number": outgoing.number},
            changes={"letter": letter.code, "outgoing": outgoing.pk},
        )
    return pdf, outgoing
