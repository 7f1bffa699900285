"""The steering committee of a house (convention-cadre, art. 6): its meetings, with who was
invited and who came, the agenda, the minutes, the decisions, and the medium-term progress axes
it sets itself; the notices (invitations, the reminder of a year without a meeting) it sends
through the task queue, one row per notice so that nothing goes twice.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from msap.committees import rules
from msap.core.states import StateMachine


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Prévue")
    HELD = "held", _("Tenue")
    CANCELLED = "cancelled", _("Annulée")


class Meeting(StateMachine, models.Model):
    """One meeting of a house's steering committee (art. 6: at least once a year)."""

    STATUS_TRANSITIONS = {
        MeetingStatus.PLANNED: {MeetingStatus.HELD, MeetingStatus.CANCELLED},
        MeetingStatus.CANCELLED: {MeetingStatus.PLANNED},
    }

    house = models.ForeignKey(
        "network.House", on_delete=models.PROTECT, related_name="committee_meetings"
    )
    starts_at = models.DateTimeField(_("date et heure"))
    duration_minutes = models.PositiveSmallIntegerField(_("durée (minutes)"), default=120)
    place = models.CharField(_("lieu"), max_length=300)
    status = models.CharField(
        _("statut"), max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    minutes = models.TextField(_("compte rendu"), blank=True, max_length=rules.TEXT_MAX_LENGTH)
    minutes_file = models.FileField(
        _("compte rendu (fichier)"), upload_to="committees/%Y/%m/", blank=True, max_length=200
    )
    minutes_file_kind = models.CharField(max_length=5, blank=True)
    minutes_file_name = models.CharField(_("nom du fichier"), max_length=200, blank=True)
    invitation_sent_at = models.DateTimeField(_("invitation envoyée le"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    idempotency_key = models.CharField(max_length=64, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-starts_at", "-pk"]
        verbose_name = _("réunion du comité de pilotage")
        verbose_name_plural = _("réunions du comité de pilotage")
        constraints = [
            models.UniqueConstraint(
                fields=["created_by", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="committee_meeting_idempotency_per_user",
            ),
            models.CheckConstraint(
                name="committee_meeting_duration_range",
                condition=Q(duration_minutes__gte=15, duration_minutes__lte=720),
            ),
        ]
        indexes = [
            # Serves the house's list and the last meeting held: WHERE house=? ORDER BY starts_at.
            models.Index(fields=["house", "status", "starts_at"], name="committee_house_idx"),
        ]

    def __str__(self) -> str:
        return gettext("Comité de pilotage du %(day)s") % {
            "day": self.starts_at.strftime("%d/%m/%Y")
        }

    @property
    def has_minutes(self) -> bool:
        return bool(self.minutes or self.minutes_file)


class MemberKind(models.TextChoices):
    """Who sits in the committee (art. 6)."""

    GESTIONNAIRE = "gestionnaire", _("Gestionnaire")
    PARTNER = "partner", _("Partenaire signataire")
    PREFECT = "prefect", _("Représentant du préfet")
    DEPARTEMENT = "departement", _("Cellule départementale d'animation")
    OTHER = "other", _("Autre invité")


class Presence(models.TextChoices):
    INVITED = "invited", _("Invité")
    PRESENT = "present", _("Présent")
    EXCUSED = "excused", _("Excusé")
    ABSENT = "absent", _("Absent")


class Member(models.Model):
    """A person invited to a meeting, with the organisation they represent and their presence."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="members")
    kind = models.CharField(_("au titre de"), max_length=12, choices=MemberKind.choices)
    name = models.CharField(_("nom"), max_length=200)
    organisation = models.CharField(_("organisme"), max_length=200)
    function = models.CharField(_("fonction"), max_length=200, blank=True)
    email = models.EmailField(_("adresse électronique"), blank=True)
    partnership = models.ForeignKey(
        "partners.Partnership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    presence = models.CharField(
        _("présence"), max_length=8, choices=Presence.choices, default=Presence.INVITED
    )

    class Meta:
        ordering = ["kind", "organisation", "name", "pk"]
        verbose_name = _("membre invité")

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(_("point"), max_length=rules.TITLE_MAX_LENGTH)

    class Meta:
        ordering = ["position"]
        verbose_name = _("point de l'ordre du jour")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "position"], name="committee_agenda_order")
        ]

    def __str__(self) -> str:
        return self.title


class Decision(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    position = models.PositiveSmallIntegerField()
    text = models.CharField(_("décision"), max_length=rules.TITLE_MAX_LENGTH)

    class Meta:
        ordering = ["position"]
        verbose_name = _("décision")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "position"], name="committee_decision_order")
        ]

    def __str__(self) -> str:
        return self.text


class AxisStatus(models.TextChoices):
    PLANNED = "planned", _("À engager")
    IN_PROGRESS = "in_progress", _("En cours")
    DONE = "done", _("Réalisé")
    ABANDONED = "abandoned", _("Abandonné")


class ProgressAxis(StateMachine, models.Model):
    """A medium-term progress axis the committee sets itself (art. 6), with its owner and date."""

    STATUS_TRANSITIONS = {
        AxisStatus.PLANNED: {AxisStatus.IN_PROGRESS, AxisStatus.DONE, AxisStatus.ABANDONED},
        AxisStatus.IN_PROGRESS: {AxisStatus.DONE, AxisStatus.ABANDONED},
        AxisStatus.DONE: {AxisStatus.IN_PROGRESS},
        AxisStatus.ABANDONED: {AxisStatus.PLANNED},
    }

    house = models.ForeignKey(
        "network.House", on_delete=models.PROTECT, related_name="progress_axes"
    )
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="axes")
    title = models.CharField(_("axe de progrès"), max_length=rules.TITLE_MAX_LENGTH)
    owner = models.CharField(_("porteur"), max_length=200)
    due_on = models.DateField(_("échéance"))
    status = models.CharField(
        _("statut"), max_length=12, choices=AxisStatus.choices, default=AxisStatus.PLANNED
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("axe de progrès")
        verbose_name_plural = _("axes de progrès")
        indexes = [
            # Serves the house's axes and the annual review: WHERE house=? ORDER BY due_on.
            models.Index(fields=["house", "due_on"], name="committee_axis_house_idx"),
        ]

    def __str__(self) -> str:
        return self.title


class NoticeKind(models.TextChoices):
    INVITATION = "invitation", _("Invitation")
    OVERDUE = "overdue", _("Rappel : pas de comité depuis 12 mois")


class Notice(models.Model):
    """A claim on one email: a meeting's invitation (stage: the meeting), or the reminder of a
    house without a meeting for 12 months (stage: the last meeting held, "none" if never), so that
    one overdue spell is reminded once. `claim` and `sent_at` say who sends it and that it went."""

    house = models.ForeignKey("network.House", on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.CASCADE, related_name="notices"
    )
    kind = models.CharField(max_length=10, choices=NoticeKind.choices)
    stage = models.CharField(max_length=40)
    created_at = models.DateTimeField()
    claim = models.CharField(max_length=40, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("avis du comité de pilotage")
        constraints = [
            models.UniqueConstraint(
                fields=["house", "kind", "stage"], name="committee_notice_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.house_id} {self.kind} {self.stage}"
