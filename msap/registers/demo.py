"""A year of register items for demo houses (issue 4, part 9): mail, emails, phone messages,
complaints and suggestions, with realistic volumes and delays, and a few overdue items today.

How the items are written (one pass per register, in order of receipt):
- Every item **open today** (overdue, due soon or not yet due) goes through
  `services.record_item`, then `services.assign` when someone handles it: its number, its
  deadline and its journal entries are the real ones.
- Everything **answered, redirected, exempted or filed** (the year's bulk) is written as plain
  multi-row INSERTs, for speed: numbered in order of receipt between the recorded ones (rows are
  flushed before each `record_item`, whose "last number + 1" then follows on), `due_at` computed
  by `rules.due_date` (the one deadline function) from the rule `rules.rule_for` picks,
  `on_time` stamped as `services.set_status` does (answered at or before `due_at`). These rows
  have no journal entries.
- Outgoing letters answering mail and complaints are written the same way (none is ever open)
  and linked to the item they answer ("answered_by"), as the letters screen does.

Everything is deterministic for a given `today` and seed: the plan is drawn relative to the start
of `today` (midnight, Paris time), never to the clock. A house that already has items is skipped.
"""

import math
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import connection, transaction
from django.utils import timezone

from msap.lib.dates import next_working_day, timezone_for
from msap.people.models import Membership, Role
from msap.registers import rules, services
from msap.registers.models import (
    Channel,
    ExemptReason,
    ItemLink,
    Kind,
    PhoneOutcome,
    RegisterItem,
    Status,
)

SEED = 1_104
WEEKS = 52
BATCH_SIZE = 1000
# At least this many overdue items per house today, and at most that many.
MIN_OVERDUE, MAX_OVERDUE = 2, 5
MIN_DUE_SOON = 1

# Weekly volumes drawn once per house (issue: mail ~2–6/week, emails ~5–15/week, phone
# messages, a few complaints and suggestions a month).
WEEKLY_RATES = {
    "mail_in": (2, 6),
    "email": (5, 15),
    "voicemail": (2, 5),
    "call": (2, 6),  # calls taken within 5 rings, registered as answered (commitment 13)
    "complaint": (0.25, 0.75),  # 1 to 3 a month
    "suggestion": (0.25, 0.75),
}

# Per register: share answered late, redirected to the competent referent, exempt (with reasons).
LATE = {"mail_in": 0.10, "email": 0.08, "phone": 0.06, "complaint": 0.12}
REDIRECTED = {"mail_in": 0.14, "email": 0.10, "phone": 0.05, "complaint": 0.08}
EXEMPT = {
    "mail_in": (0.02, [ExemptReason.WHIMSICAL, ExemptReason.COMMERCIAL, ExemptReason.INSULTING]),
    "email": (
        0.05,
        [ExemptReason.COMMERCIAL, ExemptReason.AUTOMATIC, ExemptReason.NO_VALID_ADDRESS],
    ),
    "phone": (0.0, []),
    "complaint": (0.03, [ExemptReason.INSULTING, ExemptReason.WHIMSICAL]),
}
EXEMPT_NOTES = {
    ExemptReason.WHIMSICAL: "Courrier sans objet identifiable",
    ExemptReason.COMMERCIAL: "Offre commerciale (fournitures de bureau)",
    ExemptReason.INSULTING: "Propos injurieux envers l'équipe",
    ExemptReason.AUTOMATIC: "Réponse automatique d'absence",
    ExemptReason.NO_VALID_ADDRESS: "Adresse de réponse invalide (message non distribuable)",
}

SUBJECTS = {
    "mail_in": [
        "Demande d'attestation de paiement des prestations familiales",
        "Contestation d'un indu de la CAF",
        "Demande de rendez-vous avec un conseiller retraite",
        "Envoi de pièces pour un dossier de complémentaire santé solidaire",
        "Demande d'information sur la prime d'activité",
        "Réclamation sur un relevé de carrière",
        "Demande d'aide pour une déclaration de revenus",
        "Courrier de la mairie : permanence des impôts",
        "Demande de copie d'un formulaire de demande de logement social",
        "Question sur une facture de gaz",
    ],
    "email": [
        "Horaires d'ouverture pendant les vacances",
        "Prise de rendez-vous pour créer un compte Ameli",
        "Documents à apporter pour une demande de RSA",
        "Question sur la carte grise d'un véhicule d'occasion",
        "Renouvellement de titre de séjour : pièces demandées",
        "Aide pour l'inscription à France Travail",
        "Simulation d'aide au logement",
        "Accès au point numérique pour imprimer un document",
        "Demande de rappel par un conseiller MSA",
        "Perte du mot de passe impots.gouv.fr",
    ],
    "phone": [
        "Message : rappel demandé pour un dossier CAF",
        "Message : question sur un rendez-vous CPAM",
        "Message : demande d'horaires de la permanence",
        "Message : aide pour une démarche en ligne",
        "Message : suivi d'un dossier de retraite",
    ],
    "call": [
        "Appel : horaires d'ouverture",
        "Appel : documents pour une demande de carte d'identité",
        "Appel : rendez-vous avec la conseillère France Travail",
    ],
    "complaint": [
        "Attente trop longue à l'accueil",
        "Rendez-vous partenaire annulé sans prévenir",
        "Réponse non reçue à un courrier",
        "Imprimante du point numérique hors service",
    ],
    "suggestion": [
        "Proposer des permanences le samedi matin",
        "Ajouter un siège à hauteur adaptée à l'accueil",
        "Afficher les horaires des permanences partenaires en vitrine",
        "Organiser un atelier sur la sécurité en ligne",
    ],
}
ANSWERS = {
    Status.ANSWERED: "Réponse apportée sur le fond.",
    Status.REDIRECTED: "Réorienté vers le référent compétent de l'organisme partenaire.",
    Status.EXEMPT: "",
}
FIRST_NAMES = ["Marie", "Jean", "Nathalie", "Pierre", "Sylvie", "Michel", "Isabelle", "Alain",
               "Christine", "Patrick", "Sophie", "Bernard", "Céline", "Daniel", "Aurélie", "Éric"]  # fmt: skip
LAST_NAMES = ["Martin", "Bernard", "Dubois", "Durand", "Leroy", "Moreau", "Simon", "Laurent",
              "Lefebvre", "Michel", "Garcia", "Roux", "Fournier", "Girard", "Bonnet", "Mercier"]  # fmt: skip
STREETS = ["rue de la République", "avenue Victor-Hugo", "place de l'Église", "chemin des Prés",
           "rue du Stade", "allée des Tilleuls", "route de la Gare", "impasse des Vignes"]  # fmt: skip


@dataclass
class Plan:
    """One item as it will stand today."""

    kind: str
    received_at: datetime
    channel: str
    subject: str
    sender: dict[str, str]
    partner: object = None
    phone_outcome: str = ""
    assigned_to: object = None
    rule: rules.DeadlineRule | None = None
    due_at: datetime | None = None
    status: str = Status.NEW  # final status
    answered_at: datetime | None = None
    answered_by: object = None
    exempt_reason: str = ""
    by_letter: bool = False  # answered by an outgoing letter
    number: int | None = None  # its number in the register, once written
    letters: list["Plan"] = field(default_factory=list)

    @property
    def open(self) -> bool:
        return self.status in (Status.NEW, Status.IN_PROGRESS)


def _poisson(rng: random.Random, mean: float) -> int:
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


class HouseBuilder:
    """Plans then writes one house's registers."""

    def __init__(self, house, staff: list, partners: list, *, today: date, seed: int):
        self.house, self.staff, self.partners = house, staff, partners
        self.dept = house.commune.departement_id
        self.tz = house.tz
        # The plan's "now": the start of `today`, so that the result does not depend on the hour.
        self.now = datetime.combine(today, time(0), tzinfo=timezone_for("75"))
        self.rng = random.Random(f"{seed}:{house.slug}")

    # --- planning -----------------------------------------------------------------------------

    def plan(self) -> list[Plan]:
        rng = self.rng
        rates = {key: rng.uniform(*bounds) for key, bounds in WEEKLY_RATES.items()}
        first = self.now.date() - timedelta(weeks=WEEKS)
        first -= timedelta(days=first.weekday())
        plans = []
        for week in range(WEEKS + 1):
            monday = first + timedelta(weeks=week)
            for key, rate in rates.items():
                for _ in range(_poisson(rng, rate)):
                    plan = self._new(key, monday)
                    if plan.received_at < self.now:
                        plans.append(plan)
        plans.sort(key=lambda p: p.received_at)
        for plan in plans:
            self._outcome(plan)
        self._adjust_today(plans)
        return plans

    def _moment(self, monday: date, *, any_day: bool = False) -> datetime:
        """A receipt instant in the week: emails and messages any day from 7:00 to 22:00, the
        rest on the house's working days (holidays of its département skipped) in office hours."""
        rng = self.rng
        day = monday + timedelta(days=rng.randrange(7 if any_day else 5))
        if any_day:
            minutes = rng.randint(7 * 60, 22 * 60)
        else:
            day = next_working_day(day, self.dept)
            minutes = rng.randint(9 * 60, 17 * 60)
        local = datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=self.tz)
        return local.astimezone(timezone_for("75"))

    def _sender(self, *, address: bool = False, email: bool = False, phone: bool = False):
        rng = self.rng
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        civility = rng.choice(["Mme", "M."])
        sender = {"sender_name": f"{civility} {first} {last}"}
        if address:
            sender["sender_address"] = (
                f"{rng.randint(1, 48)} {rng.choice(STREETS)}, "
                f"{self.house.postal_code} {self.house.commune.name}"
            )
        if email:
            ascii_first = first.lower().translate(str.maketrans("éèç", "eec"))
            sender["sender_email"] = f"{ascii_first}.{last.lower()}@courriel.example"
        if phone:
            sender["sender_phone"] = f"06 39 98 {rng.randint(0, 99):02d} {rng.randint(0, 99):02d}"
        return sender

    def _new(self, key: str, monday: date) -> Plan:
        rng = self.rng
        partner = rng.choice(self.partners) if self.partners and rng.random() < 0.6 else None
        if key == "mail_in":
            return Plan("mail_in", self._moment(monday), Channel.POST,
                        rng.choice(SUBJECTS["mail_in"]), self._sender(address=True), partner)  # fmt: skip
        if key == "email":
            return Plan("email", self._moment(monday, any_day=True), Channel.EMAIL,
                        rng.choice(SUBJECTS["email"]), self._sender(email=True), partner)  # fmt: skip
        if key == "voicemail":
            outcome = PhoneOutcome.VOICEMAIL
            return Plan("phone", self._moment(monday, any_day=rng.random() < 0.3), Channel.PHONE,
                        rng.choice(SUBJECTS["phone"]), self._sender(phone=True), partner,
                        phone_outcome=outcome)  # fmt: skip
        if key == "call":
            return Plan("phone", self._moment(monday), Channel.PHONE, rng.choice(SUBJECTS["call"]),
                        self._sender(), partner, phone_outcome=PhoneOutcome.ANSWERED)  # fmt: skip
        if key == "complaint":
            with_address = rng.random() < 0.8  # without one: no 1-month deadline (commitment 14)
            channel = rng.choice([Channel.POST, Channel.COUNTER, Channel.WEB, Channel.REGISTER])
            if channel == Channel.POST:
                with_address = True
            return Plan("complaint", self._moment(monday), channel,
                        rng.choice(SUBJECTS["complaint"]),
                        self._sender(address=with_address, email=not with_address), partner)  # fmt: skip
        anonymous = rng.random() < 0.5
        return Plan("suggestion", self._moment(monday),
                    rng.choice([Channel.REGISTER, Channel.WEB, Channel.COUNTER]),
                    rng.choice(SUBJECTS["suggestion"]),
                    {} if anonymous else self._sender(email=True))  # fmt: skip

    def _answer_time(self, moment: datetime, plan: Plan, *, on_time: bool) -> datetime:
        """The answer lands on a working day, in office hours, never before receipt and, when it
        is on time, never after the deadline (which is itself a working day)."""
        day = next_working_day(moment.astimezone(self.tz).date(), self.dept)
        minutes = self.rng.randint(9 * 60, 17 * 60 + 30)
        at = datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=self.tz)
        at = max(at, plan.received_at + timedelta(minutes=20))
        if on_time and plan.due_at is not None:
            at = min(at, plan.due_at)
        return at.astimezone(timezone_for("75"))

    def _outcome(self, plan: Plan) -> None:
        """The item's final state, drawn from realistic shares; an answer planned after `now`
        leaves the item open today."""
        rng = self.rng
        plan.rule = rules.rule_for(
            plan.kind,
            phone_outcome=plan.phone_outcome,
            sender_address=plan.sender.get("sender_address", ""),
        )
        if plan.rule:
            plan.due_at = rules.due_date(plan.rule, plan.received_at, self.dept)
        if plan.kind == "phone" and plan.phone_outcome == PhoneOutcome.ANSWERED:
            plan.status = Status.CLOSED  # taken within 5 rings: nothing owed
            return
        if plan.kind in ("mail_in", "complaint") or rng.random() < 0.4:
            plan.assigned_to = rng.choice(self.staff)
        if plan.rule is None:  # suggestions, complaints without a postal address
            if rng.random() < 0.6:
                at = plan.received_at + timedelta(days=rng.uniform(1, 20))
                self._answer(plan, Status.ANSWERED, self._answer_time(at, plan, on_time=False))
            elif plan.received_at < self.now - timedelta(days=14):
                plan.status = Status.CLOSED
            return
        key = plan.kind
        share, reasons = EXEMPT[key]
        draw = rng.random()
        if draw < share:
            at = plan.received_at + timedelta(days=rng.uniform(0, 2))
            self._answer(plan, Status.EXEMPT, self._answer_time(at, plan, on_time=True))
            plan.exempt_reason = rng.choice(reasons)
            return
        to = Status.REDIRECTED if draw < share + REDIRECTED[key] else Status.ANSWERED
        window = (plan.due_at - plan.received_at).total_seconds()
        if rng.random() < LATE[key]:
            late_days = rng.uniform(0.5, 20 if plan.rule.months else 10)
            at, on_time = plan.due_at + timedelta(days=late_days), False
        else:
            # Most answers come early in the window (a beta distribution leaning to the start).
            at = plan.received_at + timedelta(seconds=window * rng.betavariate(1.4, 3.2))
            on_time = True
        self._answer(plan, to, self._answer_time(at, plan, on_time=on_time))
        if to == Status.ANSWERED and plan.kind in ("mail_in", "complaint"):
            plan.by_letter = rng.random() < 0.7

    def _answer(self, plan: Plan, to: str, at: datetime) -> None:
        if at >= self.now:
            return  # not answered yet today: stays open
        plan.status, plan.answered_at = to, at
        plan.answered_by = plan.assigned_to or self.rng.choice(self.staff)
        if to != Status.EXEMPT and at < self.now - timedelta(days=45) and self.rng.random() < 0.5:
            plan.status = Status.CLOSED  # filed after the answer

    def _adjust_today(self, plans: list[Plan]) -> None:
        """A few overdue items today (MIN_OVERDUE to MAX_OVERDUE) and at least one due soon."""
        rng, now = self.rng, self.now
        owing = [p for p in plans if p.due_at is not None and p.kind != "suggestion"]
        overdue = [p for p in owing if p.open and p.due_at < now]
        rng.shuffle(overdue)
        for plan in overdue[MAX_OVERDUE:]:  # the team caught up on the oldest ones this morning
            self._answer(plan, Status.ANSWERED, now - timedelta(hours=rng.randint(8, 14)))
            plan.answered_at = max(plan.answered_at, plan.received_at + timedelta(minutes=20))
        forgettable = [
            p
            for p in owing
            if not p.open
            and p.status != Status.CLOSED
            and p.kind == "email"
            and now - timedelta(days=25) < p.received_at < now - timedelta(days=10)
        ]
        for plan in rng.sample(
            forgettable, max(0, min(len(forgettable), MIN_OVERDUE - len(overdue)))
        ):
            self._reopen(plan)  # forgotten: overdue today
        soon = [p for p in owing if p.open and now <= p.due_at <= now + timedelta(days=3)]
        candidates = [
            p
            for p in owing
            if not p.open
            and p.status != Status.CLOSED
            and now <= p.due_at <= now + timedelta(days=3)
        ]
        for plan in candidates[: max(0, MIN_DUE_SOON - len(soon))]:
            self._reopen(plan)

    @staticmethod
    def _reopen(plan: Plan) -> None:
        plan.status, plan.answered_at, plan.answered_by = Status.NEW, None, None
        plan.exempt_reason, plan.by_letter = "", False

    # --- writing ------------------------------------------------------------------------------

    def write(self, plans: list[Plan]) -> int:
        """Each register in order of receipt: rows for what is answered or filed, the services
        for what is open today. Rows are flushed before each recorded item, so the register's
        numbers run 1, 2, 3… in order of receipt whichever way an item was written."""
        by_kind: dict[str, list[Plan]] = defaultdict(list)
        for plan in plans:
            by_kind[plan.kind].append(plan)
        for kind_plans in by_kind.values():
            pending = []
            for number, plan in enumerate(kind_plans, start=1):
                if not plan.open:
                    pending.append(self._row(plan, number))
                    continue
                _insert_rows(pending)
                pending = []
                self._record(plan)
                if plan.number != number:
                    raise RuntimeError(f"{plan.kind}: numbered {plan.number}, expected {number}")
            _insert_rows(pending)
        letters = self._letters(plans)
        _insert_rows([self._row(letter, n) for n, letter in enumerate(letters, start=1)])
        numbered = {
            (kind, number): pk
            for kind, number, pk in RegisterItem.objects.filter(house=self.house).values_list(
                "kind", "number", "pk"
            )
        }
        ItemLink.objects.bulk_create(
            [
                ItemLink(
                    source_id=numbered[plan.kind, plan.number],
                    target_id=numbered[letter.kind, letter.number],
                    relation="answered_by",
                )
                for plan in plans
                for letter in plan.letters
            ],
            batch_size=BATCH_SIZE,
        )
        return len(plans) + len(letters)

    def _row(self, plan: Plan, number: int) -> tuple:
        """An item as record_item then set_status would have left it, as a row of COLUMNS."""
        plan.number = number
        answered = plan.answered_at is not None
        values = {
            "house_id": self.house.pk,
            "kind": plan.kind,
            "number": number,
            "received_at": plan.received_at,
            "channel": plan.channel,
            "sender_name": plan.sender.get("sender_name", ""),
            "sender_address": plan.sender.get("sender_address", ""),
            "sender_email": plan.sender.get("sender_email", ""),
            "sender_phone": plan.sender.get("sender_phone", ""),
            "subject": plan.subject,
            "body": "",
            "partner_id": plan.partner.pk if plan.partner else None,
            "assigned_to_id": plan.assigned_to.pk if plan.assigned_to else None,
            "phone_outcome": plan.phone_outcome,
            "status": plan.status,
            "exempt_reason": plan.exempt_reason,
            "exempt_note": EXEMPT_NOTES.get(plan.exempt_reason, ""),
            "due_rule": plan.rule.code if plan.rule else "",
            "due_at": plan.due_at,
            "due_override_reason": "",
            "due_override_by_id": None,
            "due_override_at": None,
            "answered_at": plan.answered_at,
            "answer_text": ANSWERS.get(plan.status, "") if answered else "",
            # As set_status stamps it: answered at or before the deadline.
            "on_time": None
            if not answered or plan.due_at is None
            else plan.answered_at <= plan.due_at,
            "answered_by_id": plan.answered_by.pk if answered and plan.answered_by else None,
            "created_by_id": (plan.assigned_to or plan.answered_by or self.staff[0]).pk,
            "created_at": plan.received_at,  # recorded the day it came in
            "version": 1,
        }
        return tuple(values[name] for name in COLUMNS)

    def _letters(self, plans: list[Plan]) -> list[Plan]:
        """The outgoing letters answering mail and complaints, in order of sending."""
        letters = []
        for plan in plans:
            if plan.by_letter and plan.answered_at is not None:
                letter = Plan(
                    Kind.OUTGOING_MAIL,
                    plan.answered_at,
                    Channel.POST,
                    f"Réponse — {plan.subject}"[:300],
                    {k: v for k, v in plan.sender.items() if k != "sender_phone"},
                    plan.partner,
                    answered_by=plan.answered_by,  # its author (created_by)
                    status=Status.CLOSED,
                )
                plan.letters.append(letter)
                letters.append(letter)
        letters.sort(key=lambda p: p.received_at)
        return letters

    def _record(self, plan: Plan) -> None:
        """An item open today, through the services as an agent would: record, then hand over."""
        actor = plan.assigned_to or self.staff[0]
        item = services.record_item(
            actor,
            self.house,
            kind=plan.kind,
            received_at=plan.received_at,
            channel=plan.channel,
            subject=plan.subject,
            partner=plan.partner,
            phone_outcome=plan.phone_outcome,
            **plan.sender,
        )
        plan.number = item.number
        if plan.assigned_to is not None and plan.kind != Kind.SUGGESTION:
            services.assign(actor, item, plan.assigned_to, item.version)


# Every column of registers_registeritem but the id, for the bulk insert.
COLUMNS = [f.attname for f in RegisterItem._meta.concrete_fields if not f.primary_key]


def _insert_rows(rows: list[tuple]) -> None:
    """A plain multi-row INSERT (portable: SQLite and PostgreSQL). bulk_create builds each row
    field by field in Python, which made the demo several times slower for ~1,300 rows a house."""
    if not rows:
        return
    fields = {f.attname: f for f in RegisterItem._meta.concrete_fields}
    adapt = [
        connection.ops.adapt_datetimefield_value
        if fields[name].get_internal_type() == "DateTimeField"
        else (str if fields[name].get_internal_type() in ("CharField", "TextField") else None)
        for name in COLUMNS
    ]
    # Identifiers come from the model's meta, quoted by the backend; values are parameters.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        connection.ops.quote_name(RegisterItem._meta.db_table),
        ", ".join(connection.ops.quote_name(fields[name].column) for name in COLUMNS),
        ", ".join(["%s"] * len(COLUMNS)),
    )
    prepared = [
        tuple(
            value if fn is None or value is None else fn(value)
            for fn, value in zip(adapt, row, strict=True)
        )
        for row in rows
    ]
    with connection.cursor() as cursor:
        for i in range(0, len(prepared), BATCH_SIZE):
            cursor.executemany(sql, prepared[i : i + BATCH_SIZE])


def _staff_by_house(houses) -> dict[int, list]:
    staff = defaultdict(list)
    for membership in (
        Membership.objects.current()
        .filter(house__in=houses, role__in=[Role.RESPONSABLE, Role.AGENT], user__is_active=True)
        .select_related("user")
        .order_by("role", "started_on", "pk")  # the responsable first
    ):
        staff[membership.house_id].append(membership.user)
    return staff


def build_registers(houses, *, today: date, seed: int = SEED) -> int:
    """Give each house a year of register items up to `today`; returns how many were created.

    Idempotent: a house that already has register items is skipped, as is a house without
    staff (someone has to record the items). `today` is the demo's current date: it must not be
    in the future, since nothing is ever received or answered in the future.
    """
    if today > timezone.localdate():
        raise ValueError("build_registers: today must not be in the future")
    houses = list(houses)
    done = set(
        RegisterItem.objects.filter(house__in=houses).values_list("house_id", flat=True).distinct()
    )
    staff = _staff_by_house([h for h in houses if h.pk not in done])
    created = 0
    for house in houses:
        if house.pk in done or not staff.get(house.pk):
            continue
        partners = [
            p.partner
            for p in house.partnerships.active().select_related("partner").order_by("partner__code")
        ]
        builder = HouseBuilder(house, staff[house.pk], partners, today=today, seed=seed)
        with transaction.atomic():
            created += builder.write(builder.plan())
    return created
