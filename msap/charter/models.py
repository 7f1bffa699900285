"""The quality charter (convention-cadre, annex 4, with the vademecum of annex 5) as data.

A `CharterVersion` is in force from a year: a house is assessed, for a year, against the
version in force that year (the latest whose `in_force_from` is not after it). Its
`Commitment` rows are the charter's items — 1, 2, 3, 3 bis, 3 ter (optional, the mobile
variant), 4 … 15 — each with its group among the five service commitments of §4.1, the
public wording, what the public can expect (§4.2), the means to put in place and the evidence
that proves it ("suivi / contrôle du respect de l'engagement").
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CharterVersion(models.Model):
    title = models.CharField(_("intitulé"), max_length=200)
    in_force_from = models.PositiveSmallIntegerField(_("en vigueur à partir de l'année"))
    source = models.CharField(_("source"), max_length=300)

    class Meta:
        ordering = ["in_force_from"]
        verbose_name = _("version de la charte")
        verbose_name_plural = _("versions de la charte")
        constraints = [
            models.UniqueConstraint(fields=["in_force_from"], name="charter_version_one_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.in_force_from})"


class Commitment(models.Model):
    version = models.ForeignKey(
        CharterVersion, on_delete=models.CASCADE, related_name="commitments"
    )
    code = models.CharField(_("numéro"), max_length=8)
    # Its place among the five service commitments of §4.1 (1 … 5) and that group's title.
    group = models.PositiveSmallIntegerField(_("engagement de service"))
    group_title = models.CharField(_("intitulé de l'engagement de service"), max_length=200)
    wording = models.CharField(_("libellé public"), max_length=300)
    description = models.TextField(_("ce que l'usager peut attendre"), blank=True)
    means = models.TextField(_("moyens à mettre en œuvre par la maison"), blank=True)
    means_partners = models.TextField(
        _("moyens à mettre en œuvre par les organismes partenaires"), blank=True
    )
    evidence = models.TextField(_("suivi / contrôle du respect de l'engagement"), blank=True)
    optional = models.BooleanField(_("optionnel"), default=False)
    order = models.PositiveSmallIntegerField(_("ordre"))

    class Meta:
        ordering = ["version", "order"]
        verbose_name = _("engagement de la charte")
        verbose_name_plural = _("engagements de la charte")
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="charter_commitment_code"),
            models.UniqueConstraint(fields=["version", "order"], name="charter_commitment_order"),
            models.CheckConstraint(
                condition=models.Q(group__gte=1, group__lte=5), name="charter_commitment_group"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.wording}"


class EvidenceKind(models.TextChoices):
    """What a house records to prove a commitment (annex 5, "Suivi / contrôle du respect de
    l'engagement"); rules.EVIDENCE_KINDS says which commitment each one proves."""

    SELF_ASSESSMENT = "self_assessment", _("Autoévaluation de l'affichage et des supports")
    TRAINING_PLAN = "training_plan", _("Planning et émargement des formations")
    PARTNER_EVALUATION = "partner_evaluation", _("Évaluation par les organismes partenaires")
    MAINTENANCE_CONTRACT = "maintenance", _("Contrat de maintenance des équipements")
    MOBILE_PLANNING = "mobile_planning", _("Planning des déplacements de la variante mobile")
    REFERENTS_PROCEDURE = (
        "referents_procedure",
        _("Procédure de relation avec les référents Métier"),
    )
    PRM_CONSULTATION = (
        "prm_consultation",
        _("Consultation d'une association représentative des personnes à mobilité réduite"),
    )
    DIFFICULTY_GUIDE = (
        "difficulty_guide",
        _("Guide de l'accueil des personnes en difficulté (addendum Marianne ou équivalent)"),
    )
    TRAINING_ATTESTATION = "training_attestation", _("Attestation de formation à l'accueil")
    RECEPTION_PROCEDURE = "reception_procedure", _("Procédure d'accueil physique et téléphonique")
    IDENTIFICATION = "identification", _("Supports d'identification des agents (badge, cavalier)")
    OPENING_PROCEDURE = "opening_procedure", _("Procédure d'ouverture et de fermeture")
    MAINTENANCE_PLANNING = "cleaning_planning", _("Planning d'entretien des espaces d'accueil")
    DOCUMENTATION = "documentation", _("Documentation des partenaires présentée et classée")
    MAIL_PROCEDURE = "mail_procedure", _("Procédure d'enregistrement du courrier")
    ANSWERING_MACHINE = "answering_machine", _("Répondeur activé hors des horaires d'ouverture")
    COMPLAINT_PROCEDURE = "complaint_procedure", _("Procédure de réponse aux réclamations")
    SURVEY_ANALYSIS = "survey_analysis", _("Analyse des résultats et plan d'actions d'amélioration")
    COMMUNICATION_PLAN = "communication_plan", _("Plan de communication sur les résultats")
    STEERING_MINUTES = "steering_minutes", _("Compte-rendu du comité de pilotage")


def evidence_path(instance, filename: str) -> str:
    # A random name chosen by the service, under the house; never the browser's name.
    return f"charter/{instance.house_id}/{filename}"


class Evidence(models.Model):
    """A document a house records for a commitment: dated, with its file and the date until
    which it counts (an expired one stops counting; a reminder goes before)."""

    house = models.ForeignKey(
        "network.House", on_delete=models.PROTECT, related_name="charter_evidence"
    )
    commitment = models.CharField(_("engagement"), max_length=8)
    kind = models.CharField(_("type de justificatif"), max_length=24, choices=EvidenceKind.choices)
    title = models.CharField(_("intitulé"), max_length=200, blank=True)
    dated_on = models.DateField(_("date du document"))
    valid_until = models.DateField(_("valable jusqu'au"))
    file = models.FileField(_("fichier"), upload_to=evidence_path, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField()
    # Removed evidence is kept (the journal and audits point at it) but counts no more.
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The form's token: a double submission records one evidence.
    idempotency_key = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["commitment", "-dated_on", "pk"]
        verbose_name = _("justificatif de la charte")
        verbose_name_plural = _("justificatifs de la charte")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__gte=models.F("dated_on")),
                name="charter_evidence_valid_after_date",
            ),
            models.UniqueConstraint(
                fields=["house", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="charter_evidence_once_per_submission",
            ),
        ]
        indexes = [
            # Serves the assessment of many houses: WHERE house IN (...) AND removed_at IS NULL.
            models.Index(fields=["house", "removed_at"], name="charter_evidence_house_idx"),
            # Serves the expiry reminders: WHERE removed_at IS NULL AND valid_until BETWEEN ? AND ?.
            models.Index(fields=["valid_until"], name="charter_evidence_expiry_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.commitment} — {self.get_kind_display()} ({self.dated_on})"


class ExpiryReminder(models.Model):
    """A claim on the one email that announces an evidence's expiry: unique per evidence and
    expiry date, so any number of `msap remind_charter` runs queue it once."""

    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE, related_name="reminders")
    valid_until = models.DateField()
    created_at = models.DateTimeField()
    claim = models.CharField(max_length=40, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("rappel d'expiration")
        constraints = [
            models.UniqueConstraint(
                fields=["evidence", "valid_until"], name="charter_expiry_reminder_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.evidence_id} {self.valid_until}"
