"""The framework convention of a house: its signatories, their withdrawals, the gestionnaire's
termination, adhesion requests, the withdrawal of a service (art. 7, 9, 10) and the management
terms of annex 3, per signatory and year."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from msap.core.states import StateMachine


class ConventionStatus(models.TextChoices):
    IN_FORCE = "in_force", _("En vigueur")
    DENOUNCED = "denounced", _("Dénoncée (préavis en cours)")
    ENDED = "ended", _("Terminée")


class Convention(StateMachine, models.Model):
    """One convention per house, signed by its gestionnaire and its partners (art. 10: three
    years from its signature, renewed tacitly)."""

    # Art. 7: the gestionnaire may denounce the convention; at the effective date it ends, and
    # with it the house. A denunciation is not withdrawn (the prefect has been told).
    STATUS_TRANSITIONS = {
        ConventionStatus.IN_FORCE: {ConventionStatus.DENOUNCED},
        ConventionStatus.DENOUNCED: {ConventionStatus.ENDED},
        ConventionStatus.ENDED: set(),
    }

    house = models.OneToOneField(
        "network.House", on_delete=models.PROTECT, related_name="convention"
    )
    signed_on = models.DateField(_("signée le"))
    signed_at = models.CharField(_("fait à"), max_length=120, blank=True)
    # Art. 9: "En cas de retrait d'un service, le gestionnaire informe ses partenaires sous
    # préavis de X": the convention sets X; None is a blank of the document.
    service_notice_months = models.PositiveSmallIntegerField(
        _("préavis de retrait d'un service (mois)"), null=True, blank=True
    )
    # Annex 3 §1.1: "les décisions que le responsable peut prendre ou déléguer".
    manager_delegations = models.TextField(
        _("décisions que le responsable peut prendre ou déléguer (annexe 3, § 1.1)"), blank=True
    )
    status = models.CharField(
        _("statut"),
        max_length=12,
        choices=ConventionStatus.choices,
        default=ConventionStatus.IN_FORCE,
    )
    denounced_letter_on = models.DateField(_("lettre de dénonciation du"), null=True, blank=True)
    denounced_effective_on = models.DateField(_("dénonciation effective le"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("convention-cadre")
        constraints = [
            models.CheckConstraint(
                name="convention_denounced_has_dates",
                condition=Q(status="in_force")
                | Q(denounced_letter_on__isnull=False, denounced_effective_on__isnull=False),
            ),
            models.CheckConstraint(
                name="convention_service_notice_range",
                condition=Q(service_notice_months__isnull=True)
                | Q(service_notice_months__gte=1, service_notice_months__lte=24),
            ),
        ]

    def __str__(self) -> str:
        return f"Convention — {self.house}"

    def status_refusal(self, new: str) -> str | None:
        if new == ConventionStatus.DENOUNCED and self.status != ConventionStatus.IN_FORCE:
            return gettext("La convention a déjà été dénoncée.")
        return None


class SignatoryKind(models.TextChoices):
    GESTIONNAIRE = "gestionnaire", _("Gestionnaire")
    PARTNER = "partner", _("Partenaire")


class Signatory(models.Model):
    """A party to the convention, with its own signature date (art. 12 "Les signataires")."""

    convention = models.ForeignKey(Convention, on_delete=models.CASCADE, related_name="signatories")
    kind = models.CharField(_("qualité"), max_length=12, choices=SignatoryKind.choices)
    partnership = models.ForeignKey(
        "partners.Partnership",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="signatures",
        verbose_name=_("partenariat"),
    )
    signer_name = models.CharField(_("nom du signataire"), max_length=150, blank=True)
    signer_title = models.CharField(_("qualité du signataire"), max_length=150, blank=True)
    signed_on = models.DateField(_("date de signature"))
    # Art. 9: a new service subscribes to the charter; the founding partners sign it with the
    # convention (annex 4), a newcomer on its own date.
    charter_signed_on = models.DateField(_("charte signée le"), null=True, blank=True)
    withdrawal_letter_on = models.DateField(
        _("lettre recommandée de retrait du"), null=True, blank=True
    )
    withdrawal_effective_on = models.DateField(_("retrait effectif le"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["kind", "signed_on", "pk"]  # the gestionnaire first
        verbose_name = _("signataire")
        constraints = [
            # A partner signs once: a second signature is refused.
            models.UniqueConstraint(
                fields=["convention", "partnership"],
                condition=Q(partnership__isnull=False),
                name="signatory_partner_once",
            ),
            models.UniqueConstraint(
                fields=["convention"],
                condition=Q(kind="gestionnaire"),
                name="signatory_one_gestionnaire",
            ),
            models.CheckConstraint(
                name="signatory_partner_has_partnership",
                condition=Q(kind="gestionnaire", partnership__isnull=True)
                | Q(kind="partner", partnership__isnull=False),
            ),
            models.CheckConstraint(
                name="signatory_withdrawal_dates_together",
                condition=Q(withdrawal_letter_on__isnull=True, withdrawal_effective_on__isnull=True)
                | Q(withdrawal_letter_on__isnull=False, withdrawal_effective_on__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.party_name

    @property
    def house_id(self):
        """The house the record belongs to, as every record of a house says (the demo's reset
        reads it to tell the demo's own records from real ones)."""
        return self.convention.house_id

    @property
    def party_name(self) -> str:
        if self.kind == SignatoryKind.GESTIONNAIRE:
            return self.convention.house.organisation.name
        return self.partnership.partner.name


class AdhesionStatus(models.TextChoices):
    REQUESTED = "requested", _("Demande reçue")
    ACCEPTED = "accepted", _("Acceptée, partenaires informés")
    REFUSED = "refused", _("Refusée")
    SIGNED = "signed", _("Convention et charte signées")


class AdhesionRequest(StateMachine, models.Model):
    """A future partner asks to join (art. 7): the gestionnaire examines it and informs the
    current partners; the newcomer then signs the convention and the charter (art. 9)."""

    STATUS_TRANSITIONS = {
        AdhesionStatus.REQUESTED: {AdhesionStatus.ACCEPTED, AdhesionStatus.REFUSED},
        AdhesionStatus.ACCEPTED: {AdhesionStatus.SIGNED},
        AdhesionStatus.REFUSED: set(),
        AdhesionStatus.SIGNED: set(),
    }

    convention = models.ForeignKey(
        Convention, on_delete=models.CASCADE, related_name="adhesion_requests"
    )
    partner = models.ForeignKey(
        "partners.Partner", on_delete=models.PROTECT, related_name="adhesion_requests"
    )
    requested_on = models.DateField(_("demande reçue le"))
    status = models.CharField(
        _("statut"), max_length=10, choices=AdhesionStatus.choices, default=AdhesionStatus.REQUESTED
    )
    examined_on = models.DateField(_("examinée le"), null=True, blank=True)
    note = models.TextField(_("observations"), blank=True)
    signatory = models.OneToOneField(
        Signatory, null=True, blank=True, on_delete=models.PROTECT, related_name="adhesion"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-requested_on"]
        verbose_name = _("demande d'adhésion")
        constraints = [
            # One open request per partner and convention: a double submission makes one.
            models.UniqueConstraint(
                fields=["convention", "partner"],
                condition=Q(status__in=["requested", "accepted"]),
                name="adhesion_one_open_per_partner",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partner} → {self.convention.house}"

    @property
    def house_id(self):
        """The house the record belongs to, as every record of a house says (the demo's reset
        reads it to tell the demo's own records from real ones)."""
        return self.convention.house_id


class ServiceWithdrawal(models.Model):
    """A service withdrawn from the house (art. 9), announced to the partners with the
    convention's notice; the partnership stops offering it at the effective date."""

    convention = models.ForeignKey(
        Convention, on_delete=models.CASCADE, related_name="service_withdrawals"
    )
    partnership = models.ForeignKey(
        "partners.Partnership", on_delete=models.PROTECT, related_name="+"
    )
    service = models.ForeignKey("partners.ServiceItem", on_delete=models.PROTECT, related_name="+")
    notified_on = models.DateField(_("partenaires informés le"))
    effective_on = models.DateField(_("retrait effectif le"))
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["effective_on"]
        verbose_name = _("retrait d'un service")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "service"],
                condition=Q(applied_at__isnull=True),
                name="service_withdrawal_one_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service_id} — {self.effective_on}"

    @property
    def house_id(self):
        """The house the record belongs to, as every record of a house says (the demo's reset
        reads it to tell the demo's own records from real ones)."""
        return self.convention.house_id


class ManagementTerms(models.Model):
    """Annex 3 for one signatory and one year: what it brings (§2), its bilateral convention and,
    for the gestionnaire, the share of its activity that is the house's (§3), the office its
    permanences use (§1.3), the cross-training it takes part in (§4)."""

    signatory = models.ForeignKey(Signatory, on_delete=models.CASCADE, related_name="terms")
    year = models.PositiveSmallIntegerField(_("année"))
    financial = models.TextField(_("apport financier (§ 2, § 3.1)"), blank=True)
    premises = models.TextField(_("apport immobilier : locaux (§ 2.1)"), blank=True)
    furniture = models.TextField(_("apport mobilier (§ 2.2)"), blank=True)
    technical = models.TextField(_("apport technique, TIC (§ 2.3)"), blank=True)
    bilateral_convention = models.TextField(
        _("convention bilatérale avec un partenaire financeur (§ 3.1)"), blank=True
    )
    activity_share = models.DecimalField(
        _("part de l'activité du gestionnaire consacrée à la maison, en % (§ 3.2)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
    )
    permanence_office = models.TextField(_("bureau de permanence utilisé (§ 1.3)"), blank=True)
    cross_training = models.TextField(
        _("formations et échanges croisés avec les agents (§ 4)"), blank=True
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["year", "signatory"]
        verbose_name = _("modalités de gestion (annexe 3)")
        verbose_name_plural = _("modalités de gestion (annexe 3)")
        constraints = [
            models.UniqueConstraint(fields=["signatory", "year"], name="terms_one_per_year"),
            models.CheckConstraint(
                name="terms_activity_share_range",
                condition=Q(activity_share__isnull=True)
                | Q(activity_share__gte=0, activity_share__lte=100),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.signatory_id} — {self.year}"


class NoticeKind(models.TextChoices):
    WITHDRAWAL = "withdrawal", _("Retrait d'un signataire (aux autres partenaires)")
    DENUNCIATION = "denunciation", _("Dénonciation (au préfet et aux partenaires)")
    ADHESION = "adhesion", _("Demande d'adhésion (aux partenaires actuels)")
    SERVICE = "service", _("Retrait d'un service (aux partenaires)")
    TERM = "term", _("Échéance prochaine")


class Notice(models.Model):
    """One message of the convention's life, created in the transaction of the state it follows
    from; its task claims it before sending, so nothing is sent twice (core.queue)."""

    convention = models.ForeignKey(Convention, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=14, choices=NoticeKind.choices)
    # What the notice is about: a signatory's, a request's, a withdrawal's id, or a term's date.
    key = models.CharField(max_length=40)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    claim = models.CharField(max_length=24, blank=True)
    recipients = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["convention", "kind", "key"], name="convention_notice_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key}"
