"""Houses of the network: their gestionnaire, place, territory, hours, premises and equipment."""

from zoneinfo import ZoneInfo

from django.db import models
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from msap.core.states import StateMachine
from msap.lib.dates import timezone_for

WEEKDAYS = [
    (0, _("lundi")),
    (1, _("mardi")),
    (2, _("mercredi")),
    (3, _("jeudi")),
    (4, _("vendredi")),
    (5, _("samedi")),
    (6, _("dimanche")),
]


class OrganisationKind(models.TextChoices):
    COMMUNE = "commune", _("Commune")
    EPCI = "epci", _("EPCI (communauté de communes, d'agglomération…)")
    DEPARTEMENT = "departement", _("Conseil départemental")
    ASSOCIATION = "association", _("Association")
    GIP = "gip", _("Groupement d'intérêt public")
    LA_POSTE = "la_poste", _("La Poste")
    STATE = "state", _("Service de l'État (sous-préfecture…)")
    OTHER = "other", _("Autre")


class Organisation(models.Model):
    """The gestionnaire of one or more houses (art. 1, 3): signs the convention, employs staff."""

    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=OrganisationKind.choices)
    siret = models.CharField(_("SIRET"), max_length=14, blank=True)
    departement = models.ForeignKey(
        "territory.Departement", on_delete=models.PROTECT, related_name="organisations"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("gestionnaire")
        constraints = [
            models.UniqueConstraint(
                fields=["name", "departement"], name="organisation_unique_name_per_dept"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class HouseStatus(models.TextChoices):
    PROJECT = "project", _("En projet")
    RECOGNISED = "recognised", _("Reconnue par le préfet")
    CLOSED = "closed", _("Fermée")


class HouseKind(models.TextChoices):
    FIXED = "fixed", _("Maison fixe")
    MOBILE = "mobile", _("Maison itinérante (variante mobile)")


class SiteType(models.TextChoices):
    # The national list's `type_fs`: the main site, or an antenna attached to it.
    PRINCIPAL = "principal", _("Principal")
    ANTENNE = "antenne", _("Antenne")


class SiteFormat(models.TextChoices):
    # The national list's `format_fs`.
    FIXED = "fixe", _("Fixe")
    MULTISITE = "multisites", _("Multisites")
    BUS = "bus", _("Bus (ou équivalent)")
    FIXED_ANTENNAS = "fixe_antennes", _("Fixe avec antenne(s)")
    ITINERANT = "itinerante", _("Itinérante")


class HouseQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status=HouseStatus.CLOSED)


class House(StateMachine, models.Model):
    # A house's lifecycle: a project is recognised by the prefect (art. 3.4) or abandoned; a
    # recognised house may close; a closed house is final (a reopening is a new house).
    STATUS_TRANSITIONS = {
        HouseStatus.PROJECT: {HouseStatus.RECOGNISED, HouseStatus.CLOSED},
        HouseStatus.RECOGNISED: {HouseStatus.CLOSED},
        HouseStatus.CLOSED: set(),
    }

    name = models.CharField(_("nom"), max_length=200)
    slug = models.SlugField(_("identifiant"), max_length=220, unique=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="houses",
        verbose_name=_("gestionnaire"),
    )
    kind = models.CharField(
        _("type"), max_length=10, choices=HouseKind.choices, default=HouseKind.FIXED
    )
    status = models.CharField(
        _("statut"), max_length=12, choices=HouseStatus.choices, default=HouseStatus.PROJECT
    )
    recognised_on = models.DateField(_("reconnue le"), null=True, blank=True)
    closed_on = models.DateField(_("fermée le"), null=True, blank=True)
    # Postal address (art. 2.3): may move, but only inside its territory.
    address = models.CharField(_("adresse"), max_length=250)
    address_extra = models.CharField(_("complément d'adresse"), max_length=250, blank=True)
    postal_code = models.CharField(_("code postal"), max_length=5)
    commune = models.ForeignKey(
        "territory.Commune", on_delete=models.PROTECT, related_name="houses"
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    # The house's own public contact (printed on letters, commitment 11–12) — not a referent's.
    phone = models.CharField(_("téléphone de la maison"), max_length=30, blank=True)
    email = models.EmailField(_("adresse électronique de la maison"), blank=True)
    served_communes = models.ManyToManyField(
        "territory.Commune",
        blank=True,
        related_name="served_by",
        verbose_name=_("communes desservies"),
    )
    # The national list of France Services sites (open data, `msap import_sites`): its id for
    # the site, None for a house not in the list; and the columns msap has no other home for.
    id_fs = models.CharField(
        _("identifiant France Services"), max_length=40, null=True, blank=True, unique=True
    )
    site_type = models.CharField(
        _("type de site"), max_length=10, choices=SiteType.choices, blank=True
    )
    site_format = models.CharField(
        _("format du site"), max_length=15, choices=SiteFormat.choices, blank=True
    )
    group_fs = models.CharField(_("groupe France Services"), max_length=200, blank=True)
    # `prise_rdv`: appointments can be booked online; None when the list does not say.
    appointments_online = models.BooleanField(_("prise de rendez-vous en ligne"), null=True)
    public_comment = models.TextField(_("commentaire public"), blank=True)
    # Why the house, as imported, fails a rule (one reason a line, in French): a recognised site
    # open under 24 h or 3 days a week is imported and flagged, never refused nor "fixed".
    import_flags = models.TextField(_("signalements de l'import"), blank=True)
    # Optimistic concurrency: an edit states the version it read; a stale one is refused.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = HouseQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("maison")
        constraints = [
            models.CheckConstraint(
                name="house_recognised_has_date",
                condition=~Q(status="recognised") | Q(recognised_on__isnull=False),
            ),
            models.CheckConstraint(
                name="house_closed_has_date",
                condition=~Q(status="closed") | Q(closed_on__isnull=False),
            ),
            models.CheckConstraint(
                name="house_latitude_range",
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
            ),
            models.CheckConstraint(
                name="house_longitude_range",
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
            ),
        ]
        indexes = [
            # Serves the département-scoped house lists (prefecture, public search).
            models.Index(fields=["commune", "status"], name="house_commune_status_idx"),
        ]
        # id_fs is unique (its own index): serves import_sites' look-up of a site's house.

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:200] or "maison"
        super().save(*args, **kwargs)

    def status_refusal(self, new: str) -> str | None:
        # The refusals of the lifecycle, said in the house's own words.
        if new == HouseStatus.RECOGNISED == self.status:
            if self.recognised_on is None:
                return gettext("Cette maison est déjà reconnue.")
            return gettext("Cette maison est déjà reconnue depuis le %(date)s.") % {
                "date": date_format(self.recognised_on, "SHORT_DATE_FORMAT")
            }
        if new == HouseStatus.RECOGNISED and self.status == HouseStatus.CLOSED:
            return gettext("Une maison fermée ne peut pas être reconnue.")
        if new == HouseStatus.CLOSED == self.status:
            return gettext("Cette maison est déjà fermée.")
        return None

    @property
    def departement(self):
        return self.commune.departement

    @property
    def tz(self) -> ZoneInfo:
        """The house's time zone (overseas départements have their own): its deadlines, opening
        hours and "today" are counted there. Reads the commune's département code only."""
        return timezone_for(self.commune.departement_id)

    @property
    def timezone(self) -> str:
        return self.tz.key


class MobileStop(models.Model):
    """A regular stop of a mobile house (charter commitment 3 ter): place, weekday, hours."""

    house = models.ForeignKey(House, on_delete=models.CASCADE, related_name="stops")
    place = models.CharField(_("lieu"), max_length=200)
    commune = models.ForeignKey("territory.Commune", on_delete=models.PROTECT, related_name="+")
    weekday = models.PositiveSmallIntegerField(_("jour"), choices=WEEKDAYS)
    start = models.TimeField(_("de"))
    end = models.TimeField(_("à"))

    class Meta:
        ordering = ["weekday", "start"]
        verbose_name = _("étape")
        constraints = [
            models.CheckConstraint(
                name="stop_end_after_start", condition=Q(end__gt=models.F("start"))
            ),
            models.CheckConstraint(
                name="stop_weekday_range", condition=Q(weekday__gte=0, weekday__lte=6)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.place} ({self.get_weekday_display()})"


class OpeningRange(models.Model):
    """One opening range of the weekly schedule; a day may have several (morning, afternoon)."""

    house = models.ForeignKey(House, on_delete=models.CASCADE, related_name="opening_ranges")
    weekday = models.PositiveSmallIntegerField(_("jour"), choices=WEEKDAYS)
    start = models.TimeField(_("de"))
    end = models.TimeField(_("à"))

    class Meta:
        ordering = ["weekday", "start"]
        verbose_name = _("plage d'ouverture")
        constraints = [
            models.CheckConstraint(
                name="opening_end_after_start", condition=Q(end__gt=models.F("start"))
            ),
            models.CheckConstraint(
                name="opening_weekday_range", condition=Q(weekday__gte=0, weekday__lte=6)
            ),
            models.UniqueConstraint(
                fields=["house", "weekday", "start"], name="opening_unique_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start:%H:%M}–{self.end:%H:%M}"


class Closure(models.Model):
    """An exceptional closure (holidays of staff, works, training day…), published to the public."""

    house = models.ForeignKey(House, on_delete=models.CASCADE, related_name="closures")
    start_date = models.DateField(_("du"))
    end_date = models.DateField(_("au"))
    reason = models.CharField(_("motif"), max_length=200)

    class Meta:
        ordering = ["start_date"]
        verbose_name = _("fermeture exceptionnelle")
        constraints = [
            models.CheckConstraint(
                name="closure_end_after_start", condition=Q(end_date__gte=models.F("start_date"))
            ),
        ]
        indexes = [
            # Serves "is the house closed on this date": WHERE house=? AND end_date >= ?.
            models.Index(fields=["house", "end_date"], name="closure_house_end_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.start_date} → {self.end_date} : {self.reason}"


class HoursChange(models.Model):
    """A recorded change of the weekly schedule (art. 3.2: parties are informed of substantial ones)."""

    house = models.ForeignKey(House, on_delete=models.CASCADE, related_name="hours_changes")
    changed_by = models.ForeignKey(
        "people.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)
    before = models.JSONField(default=list)
    after = models.JSONField(default=list)
    weekly_minutes_before = models.PositiveIntegerField(default=0)
    weekly_minutes_after = models.PositiveIntegerField(default=0)
    substantial = models.BooleanField(_("modification substantielle"), default=False)
    partners_informed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-changed_at"]
        verbose_name = _("modification des horaires")

    def __str__(self) -> str:
        return f"{self.house} {self.changed_at:%Y-%m-%d}"


class Premises(models.Model):
    """The premises of art. 3.3 and annex 3 §1.3 / §2.1 for one house."""

    house = models.OneToOneField(House, on_delete=models.CASCADE, related_name="premises")
    # The minimum of art. 3.3: a house missing one is flagged.
    has_reception_point = models.BooleanField(_("point d'accueil du public"), default=False)
    has_seated_waiting_area = models.BooleanField(_("point d'attente assise"), default=False)
    has_confidential_space = models.BooleanField(_("espace confidentiel"), default=False)
    reduced_mobility_access = models.TextField(
        _("accueil des personnes à mobilité réduite"),
        blank=True,
        help_text=_(
            "Rampe, ascenseur, accueil au rez-de-chaussée, ou organisation prévue (engagement 6)."
        ),
    )
    has_internet = models.BooleanField(_("accès à internet"), default=False)
    internet_high_speed = models.BooleanField(_("internet haut débit"), default=False)
    has_meeting_room = models.BooleanField(_("salle de réunion"), default=False)
    has_public_toilets = models.BooleanField(_("sanitaires accessibles au public"), default=False)
    # Annex 3 §1.3: the office used by partners' permanences.
    permanence_office = models.BooleanField(
        _("bureau de permanence pour les partenaires"), default=False
    )
    permanence_office_phone = models.BooleanField(_("bureau : téléphone"), default=False)
    permanence_office_cabinet = models.BooleanField(
        _("bureau : armoire de rangement"), default=False
    )
    permanence_office_internet = models.BooleanField(
        _("bureau : connexion internet"), default=False
    )
    permanence_office_computer = models.BooleanField(_("bureau : ordinateur"), default=False)
    notes = models.TextField(_("remarques"), blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("locaux")
        verbose_name_plural = _("locaux")

    def __str__(self) -> str:
        return f"Locaux de {self.house}"


class EquipmentKind(models.TextChoices):
    MULTIMEDIA = "multimedia", _("Point multimédia connecté à internet")
    KIOSK = "kiosk", _("Borne multiservice")
    WEBCAM = "webcam", _("Webcam")
    VISIO = "visio", _("Équipement de visiocommunication")
    PRINTER = "printer", _("Imprimante")
    SCANNER = "scanner", _("Scanner")
    PHOTOCOPIER = "photocopier", _("Photocopieur")
    TABLET = "tablet", _("Tablette")
    LAPTOP = "laptop", _("Ordinateur portable (variante mobile)")
    OTHER = "other", _("Autre")


class Equipment(models.Model):
    house = models.ForeignKey(House, on_delete=models.CASCADE, related_name="equipment")
    kind = models.CharField(_("type"), max_length=20, choices=EquipmentKind.choices)
    label = models.CharField(_("précision"), max_length=200, blank=True)
    quantity = models.PositiveSmallIntegerField(_("nombre"), default=1)
    for_public = models.BooleanField(_("à la disposition du public"), default=True)
    in_service = models.BooleanField(_("en état de marche"), default=True)

    class Meta:
        ordering = ["kind", "label"]
        verbose_name = _("équipement")
        constraints = [
            models.CheckConstraint(
                name="equipment_quantity_positive", condition=Q(quantity__gte=1)
            ),
        ]

    def __str__(self) -> str:
        return self.label or self.get_kind_display()
