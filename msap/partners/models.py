"""Partners, their partnership with a house, their referents (annex 2) and the service offer (annex 1)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from msap.core.states import StateMachine


class PartnerKind(models.TextChoices):
    NATIONAL = "national", _("Opérateur national")
    LOCAL = "local", _("Opérateur local")


class Partner(models.Model):
    """An organisation partner of houses: a national operator of the network, or a local one."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("nom"), max_length=200)
    short_name = models.CharField(_("sigle"), max_length=40)
    kind = models.CharField(
        _("type"), max_length=10, choices=PartnerKind.choices, default=PartnerKind.LOCAL
    )
    website = models.URLField(_("site internet"), blank=True)
    # A local operator belongs to the département where it was created.
    departement = models.ForeignKey(
        "territory.Departement",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="local_partners",
    )

    class Meta:
        ordering = ["-kind", "short_name"]  # national operators first
        verbose_name = _("partenaire")
        constraints = [
            models.CheckConstraint(
                name="partner_local_has_departement",
                condition=Q(kind="national") | Q(departement__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.short_name


class ServiceCategory(models.Model):
    """A category of the reference offer (annex 1): A, B1, B2, B3, C."""

    code = models.CharField(_("code"), max_length=3, unique=True)
    label = models.CharField(_("intitulé"), max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        verbose_name = _("catégorie de service")
        verbose_name_plural = _("catégories de service")

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"

    @property
    def title(self) -> str:
        """The label in the reader's language (annex 1's labels are msgids, partners/rules.py)."""
        return gettext(self.label)


class ServiceItem(models.Model):
    """One item of the reference offer, e.g. B1.3 "Aide à la réalisation de télé-procédures"."""

    category = models.ForeignKey(ServiceCategory, on_delete=models.PROTECT, related_name="items")
    code = models.CharField(_("code"), max_length=8, unique=True)
    label = models.CharField(_("intitulé"), max_length=300)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["category__position", "position"]
        verbose_name = _("prestation")

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def title(self) -> str:
        """The label in the reader's language (annex 1's labels are msgids, partners/rules.py)."""
        return gettext(self.label)


class PartnershipStatus(models.TextChoices):
    ACTIVE = "active", _("Partenaire")
    WITHDRAWN = "withdrawn", _("Retiré")


class PartnershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=PartnershipStatus.ACTIVE)


class Partnership(StateMachine, models.Model):
    """A partner in a house (art. 4, 7): since when, and which items of annex 1 the house delivers for it."""

    # Art. 7: a partner joins a house and may withdraw; a withdrawal is final (rejoining is a new
    # partnership, so the history of the first stays as it was).
    STATUS_TRANSITIONS = {
        PartnershipStatus.ACTIVE: {PartnershipStatus.WITHDRAWN},
        PartnershipStatus.WITHDRAWN: set(),
    }

    house = models.ForeignKey(
        "network.House", on_delete=models.PROTECT, related_name="partnerships"
    )
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="partnerships")
    joined_on = models.DateField(_("partenaire depuis le"))
    status = models.CharField(
        _("statut"),
        max_length=10,
        choices=PartnershipStatus.choices,
        default=PartnershipStatus.ACTIVE,
    )
    left_on = models.DateField(_("retiré le"), null=True, blank=True)
    bilateral_note = models.TextField(_("convention bilatérale"), blank=True)
    services = models.ManyToManyField(
        ServiceItem,
        blank=True,
        related_name="partnerships",
        verbose_name=_("prestations délivrées"),
    )
    version = models.PositiveIntegerField(default=1)

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["-partner__kind", "partner__short_name"]  # national operators first
        verbose_name = _("partenariat")
        constraints = [
            # A partner is partner of a house once at a time: a duplicate is refused.
            models.UniqueConstraint(
                fields=["house", "partner"],
                condition=Q(status="active"),
                name="partnership_one_active_per_house",
            ),
            models.CheckConstraint(
                name="partnership_withdrawn_has_date",
                condition=~Q(status="withdrawn") | Q(left_on__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partner} — {self.house}"

    def status_refusal(self, new: str) -> str | None:
        if new == PartnershipStatus.WITHDRAWN == self.status:
            return gettext("Ce partenaire s'est déjà retiré.")
        return None


class Referent(models.Model):
    """A partner's referent for a house (annex 2).

    Contact details are for the house's staff only: never shown to the public nor exposed in a
    public API field (annex 2: "ne jamais communiquer les coordonnées du référent ... au public").
    A change of referent ends the old one (ended_on) and keeps it as history.
    """

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="referents")
    first_name = models.CharField(_("prénom"), max_length=100)
    last_name = models.CharField(_("nom"), max_length=100)
    function = models.CharField(_("fonction"), max_length=200, blank=True)
    phone = models.CharField(_("ligne directe"), max_length=30, blank=True)
    email = models.EmailField(_("adresse électronique directe"), blank=True)
    postal_address = models.CharField(_("adresse postale"), max_length=300, blank=True)
    domains = models.CharField(_("domaines de compétence"), max_length=300, blank=True)
    started_on = models.DateField(_("référent depuis le"))
    ended_on = models.DateField(_("jusqu'au"), null=True, blank=True)
    user = models.ForeignKey(
        "people.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="referent_cards",
        verbose_name=_("compte du référent"),
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-started_on"]
        verbose_name = _("référent")
        constraints = [
            # Annex 2: a referent is reachable by direct phone and email; at least one is required.
            models.CheckConstraint(
                name="referent_has_contact", condition=~Q(phone="") | ~Q(email="")
            ),
            models.CheckConstraint(
                name="referent_ends_after_start",
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
            ),
        ]
        indexes = [
            # Serves "partnerships without a current referent" and the current referents list.
            models.Index(fields=["partnership", "ended_on"], name="referent_current_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()
