"""The attendance tool (art. 3.6, 5, 8): every request a house handles, recorded anonymously."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from msap.desk.rules import MAX_DURATION_MINUTES, MIN_DURATION_MINUTES


class Channel(models.TextChoices):
    COUNTER = "counter", _("Accueil physique")
    PHONE = "phone", _("Téléphone")
    EMAIL = "email", _("Courriel")
    MAIL = "mail", _("Courrier postal")
    VIDEO = "video", _("Visioconférence")
    MOBILE = "mobile", _("Étape itinérante")
    OUTSIDE = "outside", _("Déplacement extérieur")


class Outcome(models.TextChoices):
    ANSWERED = "answered", _("Réponse apportée sur place")
    ORIENTED = "oriented", _("Orientation vers le partenaire")
    APPOINTMENT = "appointment", _("Rendez-vous pris")
    TRANSMITTED = "transmitted", _("Dossier transmis")
    COMPLEX = "complex", _("Situation complexe portée au référent")
    FOLLOW_UP = "follow_up", _("Suivi nécessaire")


class Autonomy(models.TextChoices):
    ALONE = "alone", _("En autonomie")
    WITH_HELP = "with_help", _("Avec l'aide de l'agent")
    DONE_FOR = "done_for", _("Fait pour l'usager")


class AgeBand(models.TextChoices):
    UNKNOWN = "", _("Non renseigné")
    UNDER_26 = "u26", _("Moins de 26 ans")
    FROM_26 = "26_39", _("26 à 39 ans")
    FROM_40 = "40_59", _("40 à 59 ans")
    FROM_60 = "60_74", _("60 à 74 ans")
    OVER_75 = "75p", _("75 ans et plus")


# Adapted-reception needs (charter commitment 7): counted to adapt the service, never attached
# to a named person, shown only in aggregates.
NEEDS = [
    ("need_disability", _("Handicap (visuel, auditif, moteur, cognitif)")),
    ("need_illiteracy", _("Illettrisme, difficulté avec l'écrit")),
    ("need_language", _("Ne maîtrise pas la langue française")),
    ("need_social", _("Difficulté sociale")),
    ("need_crisis", _("Situation de crise")),
]


class Procedure(models.Model):
    """A procedure or theme (e.g. "Prime d'activité"): a controlled list per partner,
    extended by the national cell."""

    partner = models.ForeignKey(
        "partners.Partner",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="procedures",
    )
    label = models.CharField(_("intitulé"), max_length=200)
    category = models.ForeignKey(
        "partners.ServiceCategory",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("catégorie habituelle"),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["partner__short_name", "label"]
        verbose_name = _("démarche")
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "label"], name="procedure_unique_label_per_partner"
            ),
        ]

    def __str__(self) -> str:
        return self.label


class ServiceRequest(models.Model):
    """One request handled by a house: one person helped, or one group for a collective session.

    Anonymous by design: no name, only an anonymous profile. A personal file links its requests
    (dossiers.LinkedRequest) only when the person consented to one.
    """

    house = models.ForeignKey("network.House", on_delete=models.PROTECT, related_name="requests")
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="requests"
    )
    occurred_at = models.DateTimeField(_("date et heure"))
    channel = models.CharField(
        _("canal"), max_length=10, choices=Channel.choices, default=Channel.COUNTER
    )
    partner = models.ForeignKey(
        "partners.Partner",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="requests",
        verbose_name=_("partenaire concerné"),
    )
    other_partners = models.ManyToManyField(
        "partners.Partner",
        blank=True,
        related_name="+",
        verbose_name=_("autres partenaires concernés"),
    )
    category = models.ForeignKey(
        "partners.ServiceCategory",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("catégorie"),
    )
    item = models.ForeignKey(
        "partners.ServiceItem",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("prestation"),
    )
    procedure = models.ForeignKey(
        Procedure,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="requests",
        verbose_name=_("démarche"),
    )
    duration_minutes = models.PositiveSmallIntegerField(_("durée (minutes)"), default=10)
    outcome = models.CharField(
        _("suite donnée"), max_length=12, choices=Outcome.choices, default=Outcome.ANSWERED
    )
    autonomy = models.CharField(
        _("autonomie numérique"), max_length=10, choices=Autonomy.choices, blank=True
    )
    group_size = models.PositiveSmallIntegerField(_("nombre de personnes"), default=1)
    need_disability = models.BooleanField(default=False)
    need_illiteracy = models.BooleanField(default=False)
    need_language = models.BooleanField(default=False)
    need_social = models.BooleanField(default=False)
    need_crisis = models.BooleanField(default=False)
    age_band = models.CharField(
        _("tranche d'âge"), max_length=6, choices=AgeBand.choices, blank=True
    )
    commune = models.ForeignKey(
        "territory.Commune",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("commune de résidence"),
    )
    first_visit = models.BooleanField(_("première visite"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # Double submissions (double click, retry, back button) carry the same key: one record.
    idempotency_key = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("demande")
        constraints = [
            models.UniqueConstraint(
                fields=["agent", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="request_idempotency_per_agent",
            ),
            # Seed art. 3.6 and the issue: a duration over 8 hours is an input error.
            models.CheckConstraint(
                name="request_duration_range",
                condition=Q(
                    duration_minutes__gte=MIN_DURATION_MINUTES,
                    duration_minutes__lte=MAX_DURATION_MINUTES,
                ),
            ),
            models.CheckConstraint(
                name="request_group_size_positive", condition=Q(group_size__gte=1)
            ),
        ]
        indexes = [
            # Serves the house's board and lists: WHERE house=? AND occurred_at BETWEEN ? AND ?.
            models.Index(fields=["house", "occurred_at"], name="request_house_time_idx"),
            # Serves the agent's day: WHERE agent=? AND occurred_at >= today.
            models.Index(fields=["agent", "occurred_at"], name="request_agent_time_idx"),
            # Serves a partner's figures across its houses: WHERE partner=? AND occurred_at BETWEEN.
            models.Index(fields=["partner", "occurred_at"], name="request_partner_time_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.category_id} {self.partner_id or ''}"
