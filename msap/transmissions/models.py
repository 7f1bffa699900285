"""Transmissions (saisines) of a file or a complex situation from a house to a partner (annex 1
C, art. 4.4): the question, its urgency, its attachments, the person's consent whenever personal
data goes with it, and the partner's answer along a guarded status graph.

Every step is a `Step` row (the timeline the agent and the partner read), journaled, and
notified to the agent who sent it by a `Notice` (a claim on one email, sent by a task of the
queue). Reminders and the escalation to the partner are notices too, one per stage: the unique
constraint on (transmission, kind, stage) is what makes them never twice.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from msap.core.states import StateMachine
from msap.transmissions import rules


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normale")
    URGENT = "urgent", _("Urgente")


class TransmissionStatus(models.TextChoices):
    SENT = "sent", _("Transmise")
    TAKEN = "taken", _("Prise en charge")
    INFO_REQUESTED = "info_requested", _("Informations demandées")
    ANSWERED = "answered", _("Complétée par la maison")
    RESOLVED = "resolved", _("Résolue")
    REDIRECTED = "redirected", _("Réorientée")
    REFUSED = "refused", _("Refusée")
    EXPIRED = "expired", _("Expirée")


S = TransmissionStatus
# Waiting for the partner: what reminders, escalation and the time limits are about.
AWAITING_PARTNER = [S.SENT, S.TAKEN, S.ANSWERED]
# Not yet taken in charge: the first time limit runs.
NOT_TAKEN = [S.SENT]
OPEN_STATUSES = [S.SENT, S.TAKEN, S.INFO_REQUESTED, S.ANSWERED]
CLOSED_STATUSES = [S.RESOLVED, S.REDIRECTED, S.REFUSED, S.EXPIRED]
# Untouched: nobody acts on it while the other side waits (Dora's expiry).
EXPIRABLE = [S.SENT, S.INFO_REQUESTED]
# The moves a partner makes; the house answers a request for information.
PARTNER_MOVES = [S.TAKEN, S.INFO_REQUESTED, S.RESOLVED, S.REDIRECTED, S.REFUSED]


class RefusalReason(models.TextChoices):
    """Why a partner refuses (Dora's reasons)."""

    NOT_COMPETENT = "not_competent", _("Hors de notre champ de compétence")
    INCOMPLETE = "incomplete", _("Dossier incomplet")
    DUPLICATE = "duplicate", _("Demande déjà traitée ou en double")
    UNREACHABLE = "unreachable", _("Personne injoignable")
    OTHER = "other", _("Autre motif")


class DataCategory(models.TextChoices):
    """What personal data the person agrees to share with the partner."""

    IDENTITY = "identity", _("Identité (nom, prénom, date de naissance)")
    CONTACT = "contact", _("Coordonnées (téléphone, adresse électronique, adresse postale)")
    REFERENCE = "reference", _("Numéro de dossier chez le partenaire (allocataire, assuré…)")
    SITUATION = "situation", _("Situation familiale, professionnelle et ressources")
    DOCUMENTS = "documents", _("Pièces justificatives jointes")


class TransmissionSettings(models.Model):
    """What a partnership states for the transmissions it receives in one house: its time
    limits in working days (defaults in rules.py), its reminders and its escalation contact."""

    partnership = models.OneToOneField(
        "partners.Partnership", on_delete=models.CASCADE, related_name="transmission_settings"
    )
    take_days = models.PositiveSmallIntegerField(
        _("délai de prise en charge (jours ouvrés)"), default=rules.DEFAULT_TAKE_DAYS
    )
    resolve_days = models.PositiveSmallIntegerField(
        _("délai de traitement (jours ouvrés)"), default=rules.DEFAULT_RESOLVE_DAYS
    )
    reminder_days = models.PositiveSmallIntegerField(
        _("relance tous les (jours)"), default=rules.DEFAULT_REMINDER_DAYS
    )
    escalation_days = models.PositiveSmallIntegerField(
        _("escalade après (jours ouvrés sans prise en charge)"),
        default=rules.DEFAULT_ESCALATION_DAYS,
    )
    escalation_name = models.CharField(_("contact d'escalade"), max_length=200, blank=True)
    escalation_email = models.EmailField(
        _("adresse électronique du contact d'escalade"), blank=True
    )

    class Meta:
        verbose_name = _("réglages des saisines d'un partenariat")
        verbose_name_plural = _("réglages des saisines des partenariats")
        constraints = [
            models.CheckConstraint(
                name="transmission_settings_days_range",
                condition=Q(
                    take_days__gte=1,
                    take_days__lte=rules.MAX_DAYS,
                    resolve_days__gte=1,
                    resolve_days__lte=rules.MAX_DAYS,
                    reminder_days__gte=1,
                    reminder_days__lte=rules.MAX_DAYS,
                    escalation_days__gte=1,
                    escalation_days__lte=rules.MAX_DAYS,
                ),
            ),
            models.CheckConstraint(
                name="transmission_settings_take_before_resolve",
                condition=Q(take_days__lte=models.F("resolve_days")),
            ),
        ]

    def __str__(self) -> str:
        return str(self.partnership)


class Transmission(StateMachine, models.Model):
    """A file or a complex situation the house transmits to a partner (annex 1 C)."""

    STATUS_TRANSITIONS = {
        S.SENT: {S.TAKEN, S.INFO_REQUESTED, S.RESOLVED, S.REDIRECTED, S.REFUSED, S.EXPIRED},
        S.TAKEN: {S.INFO_REQUESTED, S.RESOLVED, S.REDIRECTED, S.REFUSED},
        S.INFO_REQUESTED: {S.ANSWERED, S.EXPIRED},
        S.ANSWERED: {S.TAKEN, S.INFO_REQUESTED, S.RESOLVED, S.REDIRECTED, S.REFUSED},
    }

    house = models.ForeignKey(
        "network.House", on_delete=models.PROTECT, related_name="transmissions"
    )
    partnership = models.ForeignKey(
        "partners.Partnership",
        on_delete=models.PROTECT,
        related_name="transmissions",
        verbose_name=_("partenaire"),
    )
    referent = models.ForeignKey(
        "partners.Referent",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="transmissions",
        verbose_name=_("référent destinataire"),
    )
    request = models.ForeignKey(
        "desk.ServiceRequest",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="transmissions",
        verbose_name=_("demande à l'origine"),
    )
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="transmissions",
        verbose_name=_("dossier usager"),
    )
    subject = models.CharField(_("objet"), max_length=200)
    question = models.TextField(_("question posée"), max_length=rules.QUESTION_MAX_LENGTH)
    urgency = models.CharField(
        _("urgence"), max_length=6, choices=Urgency.choices, default=Urgency.NORMAL
    )
    status = models.CharField(
        _("statut"), max_length=16, choices=TransmissionStatus.choices, default=S.SENT
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("transmise par"),
    )
    sent_at = models.DateTimeField(_("transmise le"))
    status_changed_at = models.DateTimeField(_("dernier changement"))
    taken_at = models.DateTimeField(_("prise en charge le"), null=True, blank=True)
    closed_at = models.DateTimeField(_("close le"), null=True, blank=True)
    # The time limits, as data: the days the partnership stated when it was sent, and the last
    # day of each (the house's working days).
    take_days = models.PositiveSmallIntegerField(_("délai de prise en charge (jours ouvrés)"))
    resolve_days = models.PositiveSmallIntegerField(_("délai de traitement (jours ouvrés)"))
    take_due_on = models.DateField(_("à prendre en charge au plus tard le"))
    resolve_due_on = models.DateField(_("à traiter au plus tard le"))
    # The person, only with consent (checked by the service and by the constraint below).
    person_name = models.CharField(_("nom de la personne"), max_length=200, blank=True)
    person_contact = models.CharField(_("contact de la personne"), max_length=200, blank=True)
    person_reference = models.CharField(
        _("numéro de dossier chez le partenaire"), max_length=60, blank=True
    )
    consent_categories = models.JSONField(_("données partagées"), default=list, blank=True)
    consent_until = models.DateField(_("consentement valable jusqu'au"), null=True, blank=True)
    consent_at = models.DateTimeField(_("consentement recueilli le"), null=True, blank=True)
    consent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("consentement recueilli par"),
    )
    # The partner's outcome.
    redirected_to = models.ForeignKey(
        "partners.Partnership",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("réorientée vers"),
    )
    refusal_reason = models.CharField(
        _("motif du refus"), max_length=16, choices=RefusalReason.choices, blank=True
    )
    purged_at = models.DateTimeField(_("données effacées le"), null=True, blank=True)
    idempotency_key = models.CharField(max_length=64, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("saisine")
        constraints = [
            # No personal data without the person's consent (SPEC "Confidentiality").
            models.CheckConstraint(
                name="transmission_personal_data_has_consent",
                condition=Q(consent_at__isnull=False)
                | Q(person_name="", person_contact="", person_reference="", dossier__isnull=True),
            ),
            models.CheckConstraint(
                name="transmission_redirected_has_partner",
                condition=~Q(status="redirected") | Q(redirected_to__isnull=False),
            ),
            models.CheckConstraint(
                name="transmission_refused_has_reason",
                condition=~Q(status="refused") | ~Q(refusal_reason=""),
            ),
            models.UniqueConstraint(
                fields=["sent_by", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="transmission_idempotency_per_agent",
            ),
        ]
        indexes = [
            # Serves the house's list: WHERE house=? ORDER BY sent_at DESC.
            models.Index(fields=["house", "sent_at"], name="transmission_house_sent_idx"),
            # Serves a partner's inbox across its houses: WHERE partnership IN (...) AND status.
            models.Index(fields=["partnership", "status"], name="transmission_inbox_idx"),
            # Serves the reminders and the expiry: WHERE status IN (...) AND status_changed_at < ?.
            models.Index(fields=["status", "status_changed_at"], name="transmission_due_idx"),
        ]

    def __str__(self) -> str:
        return gettext("Saisine n° %(pk)s") % {"pk": self.pk}

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def carries_personal_data(self) -> bool:
        return bool(
            self.person_name or self.person_contact or self.person_reference or self.dossier_id
        )

    def consent_labels(self) -> list[str]:
        labels = dict(DataCategory.choices)
        return [str(labels[c]) for c in self.consent_categories if c in labels]


class StepKind(models.TextChoices):
    STATUS = "status", _("Changement de statut")
    NOTE = "note", _("Note")


class Step(models.Model):
    """One step of a transmission's timeline: who, when, the status it moved to and its text
    (the question of a request for information, the house's answer, the partner's outcome)."""

    transmission = models.ForeignKey(Transmission, on_delete=models.CASCADE, related_name="steps")
    at = models.DateTimeField(_("le"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(_("statut"), max_length=16, choices=TransmissionStatus.choices)
    text = models.TextField(_("message"), max_length=rules.MESSAGE_MAX_LENGTH, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("étape d'une saisine")

    def __str__(self) -> str:
        return f"{self.transmission_id} {self.status} {self.at:%Y-%m-%d}"


def attachment_path(instance, filename: str) -> str:
    # A random name chosen by the service, under the month of upload; never the browser's name.
    return f"transmissions/{instance.uploaded_at:%Y/%m}/{filename}"


class Attachment(models.Model):
    """A document sent with the transmission or with the house's answer, stored privately."""

    transmission = models.ForeignKey(
        Transmission, on_delete=models.CASCADE, related_name="attachments"
    )
    step = models.ForeignKey(
        Step, null=True, blank=True, on_delete=models.SET_NULL, related_name="attachments"
    )
    file = models.FileField(upload_to=attachment_path, max_length=200)
    kind = models.CharField(_("type"), max_length=5)
    original_name = models.CharField(_("nom du fichier"), max_length=200)
    size = models.PositiveIntegerField(_("taille (octets)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("pièce jointe d'une saisine")

    def __str__(self) -> str:
        return self.original_name


class NoticeKind(models.TextChoices):
    STEP = "step", _("Avis à l'agent")
    REMINDER = "reminder", _("Relance du partenaire")
    ESCALATION = "escalation", _("Escalade")


class Notice(models.Model):
    """A claim on one email about a transmission: to the agent at each step, to the partner at
    each reminder stage, to the escalation contact once. Created with the state it follows from
    (in its transaction); `claim` and `sent_at` say who sends it and that it went."""

    transmission = models.ForeignKey(Transmission, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=10, choices=NoticeKind.choices)
    # The step's id, the reminder's number in its waiting period, or "1" for the escalation.
    stage = models.CharField(max_length=80)
    created_at = models.DateTimeField()
    claim = models.CharField(max_length=40, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("avis d'une saisine")
        constraints = [
            models.UniqueConstraint(
                fields=["transmission", "kind", "stage"], name="transmission_notice_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.transmission_id} {self.kind} {self.stage}"
