"""Registers of one house (charter commitments 11–15): incoming and outgoing mail, emails,
phone calls, complaints, remarks and suggestions — each item with its deadline as data."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from msap.core.states import StateMachine
from msap.registers import rules


class Kind(models.TextChoices):
    INCOMING_MAIL = "mail_in", _("Courrier arrivé")
    OUTGOING_MAIL = "mail_out", _("Courrier départ")
    EMAIL = "email", _("Courriel")
    PHONE = "phone", _("Appel téléphonique")
    COMPLAINT = "complaint", _("Réclamation")
    SUGGESTION = "suggestion", _("Remarque ou suggestion")


class Channel(models.TextChoices):
    POST = "post", _("Courrier postal")
    EMAIL = "email", _("Courriel")
    PHONE = "phone", _("Téléphone")
    COUNTER = "counter", _("À l'accueil")
    REGISTER = "register", _("Registre papier de la maison")
    WEB = "web", _("Formulaire du site public")


class Status(models.TextChoices):
    NEW = "new", _("Nouveau")
    IN_PROGRESS = "in_progress", _("En cours")
    ANSWERED = "answered", _("Répondu sur le fond")
    REDIRECTED = "redirected", _("Réorienté vers le référent compétent")
    EXEMPT = "exempt", _("Dispensé de réponse")
    CLOSED = "closed", _("Clos")


# States where the answer was given (or is not owed): the deadline no longer runs.
ANSWERED_STATES = {Status.ANSWERED, Status.REDIRECTED, Status.EXEMPT, Status.CLOSED}
OPEN_STATES = {Status.NEW, Status.IN_PROGRESS}


class ExemptReason(models.TextChoices):
    # The charter's list (commitments 11 and 12): no answer owed to these.
    INSULTING = "insulting", _("Caractère injurieux")
    WHIMSICAL = "whimsical", _("Caractère farfelu")
    COMMERCIAL = "commercial", _("Proposition commerciale")
    AUTOMATIC = "automatic", _("Envoi automatique")
    NO_VALID_ADDRESS = "no_address", _("Sans adresse valide pour répondre")


class PhoneOutcome(models.TextChoices):
    ANSWERED = "answered", _("Décroché en moins de 5 sonneries")
    VOICEMAIL = "voicemail", _("Message sur le répondeur (rappel sous une semaine)")
    MISSED = "missed", _("Appel manqué sans message")
    OUT_OF_HOURS = "out_of_hours", _("Hors horaires d'ouverture (répondeur)")


class RegisterItem(StateMachine, models.Model):
    # The status graph is the charter's (registers.rules.TRANSITIONS); set_status guards it.
    STATUS_TRANSITIONS = rules.TRANSITIONS

    # No single-column index: the composite indexes below all start with house.
    house = models.ForeignKey(
        "network.House", on_delete=models.PROTECT, related_name="register_items", db_index=False
    )
    kind = models.CharField(_("registre"), max_length=12, choices=Kind.choices)
    number = models.PositiveIntegerField(_("numéro d'ordre"))
    received_at = models.DateTimeField(_("reçu le"))
    channel = models.CharField(_("canal"), max_length=10, choices=Channel.choices)
    # Only what is needed to answer (SPEC confidentiality).
    sender_name = models.CharField(_("expéditeur"), max_length=200, blank=True)
    sender_address = models.CharField(_("adresse postale"), max_length=300, blank=True)
    sender_email = models.EmailField(_("adresse électronique"), blank=True)
    sender_phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    subject = models.CharField(_("objet"), max_length=300)
    body = models.TextField(_("contenu ou résumé"), blank=True)
    partner = models.ForeignKey(
        "partners.Partner",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("partenaire concerné"),
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_items",
        verbose_name=_("agent chargé"),
    )
    phone_outcome = models.CharField(
        _("issue de l'appel"), max_length=12, choices=PhoneOutcome.choices, blank=True
    )
    status = models.CharField(
        _("statut"), max_length=12, choices=Status.choices, default=Status.NEW
    )
    exempt_reason = models.CharField(
        _("motif de dispense"), max_length=12, choices=ExemptReason.choices, blank=True
    )
    exempt_note = models.CharField(_("précision sur la dispense"), max_length=300, blank=True)
    # Deadlines are data: the rule that produced due_at is stored with it, and an override
    # keeps its reason and author.
    due_rule = models.CharField(_("règle de délai"), max_length=20, blank=True)
    due_at = models.DateTimeField(_("à traiter avant le"), null=True, blank=True)
    due_override_reason = models.CharField(
        _("motif du changement d'échéance"), max_length=300, blank=True
    )
    due_override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    due_override_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(_("répondu le"), null=True, blank=True)
    answer_text = models.TextField(_("réponse"), blank=True)
    # Set once answered: was the answer within the deadline? (kept even if the rule changes later)
    on_time = models.BooleanField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # None: filed by a member of the public through the public site's forms (msap.public).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("élément de registre")
        constraints = [
            models.UniqueConstraint(
                fields=["house", "kind", "number"], name="register_item_number_unique"
            ),
            models.CheckConstraint(
                name="register_exempt_has_reason",
                condition=~Q(status="exempt") | ~Q(exempt_reason=""),
            ),
            models.CheckConstraint(
                name="register_answer_after_receipt",
                condition=Q(answered_at__isnull=True) | Q(answered_at__gte=models.F("received_at")),
            ),
            models.CheckConstraint(
                name="register_override_has_reason",
                condition=Q(due_override_at__isnull=True) | ~Q(due_override_reason=""),
            ),
        ]
        indexes = [
            # Serves the overdue / due-soon list of one house: WHERE house=? AND status IN open AND due_at < ?.
            models.Index(fields=["house", "status", "due_at"], name="register_house_due_idx"),
            # Serves the network-wide overdue count and the reminder job: WHERE status IN open AND due_at < ?.
            models.Index(
                fields=["due_at"],
                condition=Q(status__in=["new", "in_progress"]),
                name="register_open_due_idx",
            ),
            # Serves an agent's own list and digest: WHERE assigned_to=? AND status IN open.
            models.Index(fields=["assigned_to", "status"], name="register_assignee_idx"),
            # Serves the register pages and indicators: WHERE house=? AND kind=? ORDER BY received_at.
            models.Index(fields=["house", "kind", "received_at"], name="register_house_kind_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} n°{self.number} — {self.subject}"

    def owes_answer(self) -> bool:
        """An item with a charter deadline not answered, redirected or exempted yet."""
        return bool(self.due_rule) and self.answered_at is None

    def status_refusal(self, new: str) -> str | None:
        if new == Status.CLOSED and self.owes_answer():
            # Closing is not a way around the deadline: answer, redirect or exempt (with its
            # reason) first.
            return gettext(
                "Cet élément attend une réponse dans un délai de la charte : répondez, réorientez "
                "ou dispensez-le de réponse (avec son motif) avant de le clore."
            )
        return None


class ItemLink(models.Model):
    """A link between items: a complaint answered by a letter, a call that became a file."""

    source = models.ForeignKey(RegisterItem, on_delete=models.CASCADE, related_name="links_out")
    target = models.ForeignKey(RegisterItem, on_delete=models.CASCADE, related_name="links_in")
    relation = models.CharField(
        _("lien"),
        max_length=20,
        choices=[("answered_by", _("répondu par")), ("related", _("lié à"))],
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "target", "relation"], name="item_link_unique"
            ),
            models.CheckConstraint(
                name="item_link_not_self", condition=~Q(source=models.F("target"))
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source_id} {self.relation} {self.target_id}"


def attachment_path(instance, filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"registers/{instance.item.house_id}/{secrets.token_hex(12)}.{ext}"


class Attachment(models.Model):
    item = models.ForeignKey(RegisterItem, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.original_name


class ReminderSent(models.Model):
    """One digest item sent to one person on one day: the reminder job never sends twice."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    item = models.ForeignKey(RegisterItem, on_delete=models.CASCADE, related_name="reminders")
    day = models.DateField()
    # The run that claimed the row (conditional UPDATE ... WHERE claim = ''): two reminder jobs
    # running at once each send only what they claimed.
    claim = models.CharField(max_length=32, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "item", "day"], name="reminder_once_per_day"
            ),
        ]
        indexes = [
            # Serves the claim: UPDATE ... WHERE day=? AND claim='' and the per-run reads by claim.
            models.Index(fields=["day", "claim"], name="reminder_day_claim_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id} {self.item_id} {self.day}"
