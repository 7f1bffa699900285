"""Personal files (dossiers usagers): only with the person's consent, need-to-know, purged.

Art. 3.5 (professional secrecy) and SPEC "Confidentiality": anonymous recording is the default;
a personal file exists only with consent, every opening is logged, inactive files are
anonymised after their retention period, the person may get an export and have it erased.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from msap.core.states import StateMachine


class DossierStatus(models.TextChoices):
    ACTIVE = "active", _("Actif")
    ANONYMISED = "anonymised", _("Anonymisé (durée de conservation échue)")
    ERASED = "erased", _("Effacé à la demande de la personne")


class Dossier(StateMachine, models.Model):
    # An active file ends once, for good: anonymised when its retention period is over, or erased
    # at the person's request (SPEC confidentiality). Both moves are claims by conditional UPDATE
    # (services._claim_and_strip), so a purge and an erasure racing cannot both apply.
    STATUS_TRANSITIONS = {
        DossierStatus.ACTIVE: {DossierStatus.ANONYMISED, DossierStatus.ERASED},
        DossierStatus.ANONYMISED: set(),
        DossierStatus.ERASED: set(),
    }

    house = models.ForeignKey("network.House", on_delete=models.PROTECT, related_name="dossiers")
    status = models.CharField(
        _("statut"), max_length=12, choices=DossierStatus.choices, default=DossierStatus.ACTIVE
    )
    # Consent: when, for what, recorded by whom. No consent, no file.
    consent_at = models.DateTimeField(_("consentement recueilli le"))
    consent_purpose = models.CharField(_("finalité acceptée"), max_length=300)
    consent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recueilli par"),
    )
    first_name = models.CharField(_("prénom"), max_length=100, blank=True)
    last_name = models.CharField(_("nom"), max_length=100, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("année de naissance"), null=True, blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    email = models.EmailField(_("adresse électronique"), blank=True)
    postal_address = models.CharField(_("adresse postale"), max_length=300, blank=True)
    next_steps = models.TextField(_("prochaines étapes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_activity_at = models.DateTimeField(_("dernière activité"))
    closed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("dossier usager")
        indexes = [
            # Serves the retention purge: WHERE status='active' AND last_activity_at < cutoff.
            models.Index(fields=["status", "last_activity_at"], name="dossier_retention_idx"),
            # Serves the house's file list and search.
            models.Index(fields=["house", "last_name"], name="dossier_house_name_idx"),
        ]

    def __str__(self) -> str:
        if self.status != DossierStatus.ACTIVE:
            return f"Dossier n°{self.pk} ({self.get_status_display().lower()})"
        return f"{self.first_name} {self.last_name}".strip() or f"Dossier n°{self.pk}"


class FollowUp(models.Model):
    """A follow-up note of a file, linked to the request it came from when there is one."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="follow_ups")
    request = models.ForeignKey(
        "desk.ServiceRequest", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(_("suivi"))
    due_on = models.DateField(_("à faire pour le"), null=True, blank=True)
    done = models.BooleanField(_("fait"), default=False)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("suivi")

    def __str__(self) -> str:
        return f"Suivi n°{self.pk} du dossier n°{self.dossier_id}"


class LinkedRequest(models.Model):
    """A request of the attendance tool that belongs to a personal file (through a follow-up).

    The link lives with the files, not on the request: the attendance tool is anonymous by
    design and knows nothing of personal files; erasing a file removes its links.
    """

    request = models.OneToOneField(
        "desk.ServiceRequest",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="dossier_link",
    )
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="request_links")
    linked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("demande rattachée")
        verbose_name_plural = _("demandes rattachées")

    def __str__(self) -> str:
        return f"Demande n°{self.request_id} du dossier n°{self.dossier_id}"


def document_path(instance, filename: str) -> str:
    # Random names: the original name may carry personal data and is kept only in the row.
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"dossiers/{instance.dossier_id}/{secrets.token_hex(12)}.{ext}"


class DossierDocument(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(upload_to=document_path)
    original_name = models.CharField(_("nom du fichier"), max_length=200)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    label = models.CharField(_("description"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("document")

    def __str__(self) -> str:
        return f"Document n°{self.pk} du dossier n°{self.dossier_id}"


class AccessAction(models.TextChoices):
    VIEW = "view", _("Consultation")
    EDIT = "edit", _("Modification")
    DOWNLOAD = "download", _("Téléchargement d'un document")
    EXPORT = "export", _("Export")
    ERASE = "erase", _("Effacement")
    ANONYMISE = "anonymise", _("Anonymisation")


class DossierAccess(models.Model):
    """Who opened which file, when (append-only)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="accesses")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    action = models.CharField(max_length=10, choices=AccessAction.choices)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("accès au dossier")
        constraints = [
            models.CheckConstraint(
                name="dossier_access_action_known",
                condition=Q(action__in=[a.value for a in AccessAction]),
            )
        ]

    def __str__(self) -> str:
        return f"{self.action} du dossier n°{self.dossier_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Access log entries are append-only.")
        super().save(*args, **kwargs)
