"""Appointments with partners (charter commitment 5, annex 1 B3): what a partner offers in a
house, and the appointments the house books for a person.

A partner states, per house: its appointment types (subject, where it takes place, duration,
documents to bring, its stated processing time), its advisers and their weekly opening slots
with exceptions. An appointment in the house books a shared resource: the equipped office for a
permanence (annex 3 §1.3), the video equipment for a video appointment. Neither an adviser nor
a resource is booked twice: the booking service locks the row, and a unique constraint on
(resource, start) among live appointments is the database's last word.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from msap.core.states import StateMachine
from msap.network.models import WEEKDAYS


class LocationType(models.TextChoices):
    PARTNER_OFFICE = "partner_office", _("Dans les locaux du partenaire")
    PHONE = "phone", _("Par téléphone")
    VIDEO = "video", _("En visioconférence, à la maison France Services")
    PERMANENCE = "permanence", _("Permanence du partenaire à la maison France Services")


# Where the person comes to the house: the house's hours and closures apply, a resource is booked.
IN_HOUSE = {LocationType.VIDEO, LocationType.PERMANENCE}


class PartnerAppointmentSettings(models.Model):
    """What a partner states once for all its appointments: the public contact printed on the
    preparation sheet (never a referent's direct line, annex 2) and its reminder delay."""

    partner = models.OneToOneField(
        "partners.Partner", on_delete=models.CASCADE, related_name="appointment_settings"
    )
    public_contact = models.CharField(
        _("contact public"),
        max_length=200,
        blank=True,
        help_text=_("Numéro d'accueil ou site public, par exemple « 3230 ou caf.fr »."),
    )
    reminder_hours = models.PositiveSmallIntegerField(
        _("délai du rappel (heures avant le rendez-vous)"), default=48
    )

    class Meta:
        verbose_name = _("réglages des rendez-vous d'un partenaire")
        verbose_name_plural = _("réglages des rendez-vous des partenaires")
        constraints = [
            models.CheckConstraint(
                name="appointment_settings_reminder_range",
                condition=Q(reminder_hours__gte=1, reminder_hours__lte=336),
            ),
        ]

    def __str__(self) -> str:
        return str(self.partner)


class PartnerDocument(models.Model):
    """One entry of the list of documents a partner maintains ("avis d'imposition", …)."""

    partner = models.ForeignKey(
        "partners.Partner", on_delete=models.CASCADE, related_name="appointment_documents"
    )
    label = models.CharField(_("document"), max_length=200)

    class Meta:
        ordering = ["label"]
        verbose_name = _("document à apporter")
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "label"], name="partner_document_unique_label"
            ),
        ]

    def __str__(self) -> str:
        return self.label


class AppointmentType(models.Model):
    """What an appointment is about and how it takes place, for one partnership (partner × house)."""

    partnership = models.ForeignKey(
        "partners.Partnership", on_delete=models.CASCADE, related_name="appointment_types"
    )
    subject = models.CharField(_("objet"), max_length=200)
    location_type = models.CharField(_("lieu"), max_length=20, choices=LocationType.choices)
    duration_minutes = models.PositiveSmallIntegerField(_("durée (minutes)"), default=30)
    # Where the partner receives, for an appointment at its office.
    partner_address = models.CharField(_("adresse du partenaire"), max_length=300, blank=True)
    documents = models.ManyToManyField(
        PartnerDocument, blank=True, related_name="appointment_types", verbose_name=_("documents")
    )
    processing_days = models.PositiveSmallIntegerField(
        _("délai de traitement annoncé (jours ouvrés)"),
        null=True,
        blank=True,
        help_text=_("Art. 4.4 : le partenaire indique son délai de traitement attendu."),
    )
    active = models.BooleanField(_("proposé"), default=True)

    class Meta:
        ordering = ["partnership__partner__short_name", "subject"]
        verbose_name = _("type de rendez-vous")
        constraints = [
            models.CheckConstraint(
                name="appointment_type_duration_range",
                condition=Q(duration_minutes__gte=5, duration_minutes__lte=240),
            ),
            models.CheckConstraint(
                name="appointment_type_office_has_address",
                condition=~Q(location_type="partner_office") | ~Q(partner_address=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partnership.partner} — {self.subject}"

    @property
    def in_house(self) -> bool:
        return self.location_type in IN_HOUSE


class Adviser(models.Model):
    """A partner's adviser who receives people: only a name, shown on the preparation sheet."""

    partnership = models.ForeignKey(
        "partners.Partnership", on_delete=models.CASCADE, related_name="advisers"
    )
    first_name = models.CharField(_("prénom"), max_length=100)
    last_name = models.CharField(_("nom"), max_length=100)
    active = models.BooleanField(_("actif"), default=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("conseiller")

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class SlotRule(models.Model):
    """A recurring weekly opening of an adviser for one appointment type, from one date to
    another (open-ended when `ends_on` is empty), cut into appointments of the type's duration."""

    adviser = models.ForeignKey(Adviser, on_delete=models.CASCADE, related_name="slot_rules")
    appointment_type = models.ForeignKey(
        AppointmentType, on_delete=models.CASCADE, related_name="slot_rules"
    )
    weekday = models.PositiveSmallIntegerField(_("jour"), choices=WEEKDAYS)
    start = models.TimeField(_("de"))
    end = models.TimeField(_("à"))
    starts_on = models.DateField(_("à partir du"))
    ends_on = models.DateField(_("jusqu'au"), null=True, blank=True)

    class Meta:
        ordering = ["weekday", "start"]
        verbose_name = _("créneau récurrent")
        constraints = [
            models.CheckConstraint(
                name="slot_rule_end_after_start", condition=Q(end__gt=models.F("start"))
            ),
            models.CheckConstraint(
                name="slot_rule_weekday_range", condition=Q(weekday__gte=0, weekday__lte=6)
            ),
            models.CheckConstraint(
                name="slot_rule_ends_after_starts",
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start:%H:%M}–{self.end:%H:%M}"


class SlotException(models.Model):
    """A day an adviser does not receive (leave, training): their slots of that day are closed."""

    adviser = models.ForeignKey(Adviser, on_delete=models.CASCADE, related_name="exceptions")
    day = models.DateField(_("jour"))
    reason = models.CharField(_("motif"), max_length=200, blank=True)

    class Meta:
        ordering = ["day"]
        verbose_name = _("absence d'un conseiller")
        constraints = [
            models.UniqueConstraint(fields=["adviser", "day"], name="slot_exception_unique_day"),
        ]

    def __str__(self) -> str:
        return f"{self.adviser} {self.day}"


class AppointmentStatus(models.TextChoices):
    REQUESTED = "requested", _("Demandé")
    CONFIRMED = "confirmed", _("Confirmé par le partenaire")
    SEEN = "seen", _("Honoré")
    NO_SHOW = "no_show", _("Absence de la personne")
    EXCUSED = "excused", _("Annulé par la personne")
    REVOKED = "revoked", _("Annulé par le partenaire")


# Statuses that hold their slot: the adviser and the resource are taken.
LIVE_STATUSES = [AppointmentStatus.REQUESTED, AppointmentStatus.CONFIRMED]
CANCELLED_STATUSES = [AppointmentStatus.EXCUSED, AppointmentStatus.REVOKED]
LIVE = Q(status__in=LIVE_STATUSES)
# An appointment in the house that holds its permanence office or a video equipment.
HOLDS_RESOURCE = Q(office__isnull=False) | Q(equipment__isnull=False)


class Appointment(StateMachine, models.Model):
    """An appointment booked by an agent of the house for a person (the agent is the third
    party booking), linked to the request of the attendance tool that led to it."""

    STATUS_TRANSITIONS = {
        AppointmentStatus.REQUESTED: {
            AppointmentStatus.CONFIRMED,
            AppointmentStatus.EXCUSED,
            AppointmentStatus.REVOKED,
        },
        AppointmentStatus.CONFIRMED: {
            AppointmentStatus.SEEN,
            AppointmentStatus.NO_SHOW,
            AppointmentStatus.EXCUSED,
            AppointmentStatus.REVOKED,
        },
    }

    house = models.ForeignKey(
        "network.House", on_delete=models.PROTECT, related_name="appointments"
    )
    appointment_type = models.ForeignKey(
        AppointmentType, on_delete=models.PROTECT, related_name="appointments"
    )
    adviser = models.ForeignKey(Adviser, on_delete=models.PROTECT, related_name="appointments")
    start = models.DateTimeField(_("début"))
    end = models.DateTimeField(_("fin"))
    status = models.CharField(
        _("statut"),
        max_length=12,
        choices=AppointmentStatus.choices,
        default=AppointmentStatus.REQUESTED,
    )
    # The shared resource of the house the appointment books (one at most).
    office = models.ForeignKey(
        "network.Premises",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appointments",
        verbose_name=_("bureau de permanence"),
    )
    equipment = models.ForeignKey(
        "network.Equipment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appointments",
        verbose_name=_("équipement de visioconférence"),
    )
    request = models.ForeignKey(
        "desk.ServiceRequest",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appointments",
        verbose_name=_("demande à l'origine"),
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The person: kept until rules.personal_data_expiry, then blanked by the purge.
    person_name = models.CharField(_("nom de la personne"), max_length=200, blank=True)
    person_email = models.EmailField(_("adresse électronique de la personne"), blank=True)
    person_phone = models.CharField(_("téléphone de la personne"), max_length=30, blank=True)
    purged_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(_("motif de l'annulation"), max_length=300, blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    # A client's key for one booking (the API's Idempotency-Key): a retry returns the first one.
    idempotency_key = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["start"]
        verbose_name = _("rendez-vous")
        verbose_name_plural = _("rendez-vous")
        constraints = [
            models.CheckConstraint(
                name="appointment_end_after_start", condition=Q(end__gt=models.F("start"))
            ),
            models.CheckConstraint(
                name="appointment_one_resource",
                condition=Q(office__isnull=True) | Q(equipment__isnull=True),
            ),
            models.CheckConstraint(
                name="appointment_revoked_has_reason",
                condition=~Q(status="revoked") | ~Q(revoked_reason=""),
            ),
            # The database's last word against a double booking (the service locks and checks
            # overlaps first): one live appointment per adviser, office or equipment and start.
            models.UniqueConstraint(
                fields=["adviser", "start"],
                condition=Q(status__in=["requested", "confirmed"]),
                name="appointment_adviser_unique_start",
            ),
            models.UniqueConstraint(
                fields=["office", "start"],
                condition=Q(status__in=["requested", "confirmed"], office__isnull=False),
                name="appointment_office_unique_start",
            ),
            models.UniqueConstraint(
                fields=["equipment", "start"],
                condition=Q(status__in=["requested", "confirmed"], equipment__isnull=False),
                name="appointment_equipment_unique_start",
            ),
            models.UniqueConstraint(
                fields=["booked_by", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="appointment_idempotency_per_agent",
            ),
        ]
        indexes = [
            # Serves the house's day and week lists: WHERE house=? AND start BETWEEN ? AND ?.
            models.Index(fields=["house", "start"], name="appointment_house_start_idx"),
            # Serves the free-slot search and overlap checks: WHERE adviser=? AND start < ? AND end > ?.
            models.Index(fields=["adviser", "start"], name="appointment_adviser_start_idx"),
            # Serves the free-slot search's read of what is taken in its houses: the live
            # appointments holding a resource over a window (its advisers' live ones are read
            # through appointment_adviser_unique_start).
            models.Index(
                fields=["house", "start"],
                condition=LIVE & HOLDS_RESOURCE,
                name="appointment_live_resource_idx",
            ),
            # Serves the reminders and the purge: WHERE status IN (...) AND start BETWEEN ? AND ?.
            models.Index(fields=["status", "start"], name="appointment_status_start_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.appointment_type} {self.start:%Y-%m-%d %H:%M}"

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES

    def status_refusal(self, new: str) -> str | None:
        if (
            new in (AppointmentStatus.SEEN, AppointmentStatus.NO_SHOW)
            and timezone.now() < self.start
        ):
            return gettext(
                "Le rendez-vous n'a pas encore commencé : il ne peut pas être noté honoré ou manqué."
            )
        return None


class MessageKind(models.TextChoices):
    SHEET = "sheet", _("Fiche de préparation")
    REMINDER = "reminder", _("Rappel")


class MessageChannel(models.TextChoices):
    EMAIL = "email", _("Courriel")
    SMS = "sms", _("SMS")


class MessageStatus(models.TextChoices):
    QUEUED = "queued", _("En file d'attente")
    SENT = "sent", _("Envoyé")
    # No longer due when its task ran: cancelled, started, or the contact purged.
    DROPPED = "dropped", _("Abandonné")
    FAILED = "failed", _("Échec")


class AppointmentMessage(models.Model):
    """One message to the person (the preparation sheet, the reminder, by email or SMS): at most
    one of each per appointment and channel, whatever the number of runs or of workers. The
    command creates the row and queues its task in one transaction; the task claims the row
    (a conditional UPDATE on its lease) before sending, and retries with backoff."""

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(max_length=10, choices=MessageKind.choices)
    channel = models.CharField(
        max_length=5, choices=MessageChannel.choices, default=MessageChannel.EMAIL
    )
    status = models.CharField(
        max_length=8, choices=MessageStatus.choices, default=MessageStatus.QUEUED
    )
    # When the command queued it.
    claimed_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    # A task holds the message while it sends; a worker that died frees it when this passes.
    leased_until = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("message envoyé")
        constraints = [
            models.UniqueConstraint(
                fields=["appointment", "kind", "channel"], name="appointment_message_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.appointment_id} {self.kind} {self.channel}"


class CalendarFeed(models.Model):
    """A private calendar feed (ICS) of an agent or of an adviser: its secret token is the only
    key (a calendar application cannot log in). Renewing it replaces the token, so the old
    address stops answering."""

    token = models.CharField(max_length=64, unique=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="appointment_feed",
    )
    adviser = models.OneToOneField(
        Adviser, null=True, blank=True, on_delete=models.CASCADE, related_name="feed"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    renewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("agenda privé")
        verbose_name_plural = _("agendas privés")
        constraints = [
            models.CheckConstraint(
                name="calendar_feed_one_owner",
                condition=Q(user__isnull=False, adviser__isnull=True)
                | Q(user__isnull=True, adviser__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return str(self.user or self.adviser)
