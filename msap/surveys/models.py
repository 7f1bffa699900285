"""The satisfaction survey of charter commitment 15 and the improvement plan that follows it.

Anonymous by construction: an answer holds its campaign, the day it was given and what was
answered — no client address, no account, no link to a person, nor to the code that opened the
form (a code only knows that it was used). One code, one answer: the code is claimed by a
conditional UPDATE in the answer's transaction (services.submit_answer).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from msap.core.states import StateMachine
from msap.surveys import rules


class Campaign(models.Model):
    house = models.ForeignKey("network.House", on_delete=models.CASCADE, related_name="campaigns")
    year = models.PositiveSmallIntegerField(_("année"))
    opens_on = models.DateField(_("ouverture"))
    closes_on = models.DateField(_("clôture"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(_("résultats publiés le"), null=True, blank=True)

    class Meta:
        verbose_name = _("campagne d'enquête de satisfaction")
        ordering = ["-year"]
        constraints = [
            # Commitment 15: one campaign per house and year.
            models.UniqueConstraint(fields=["house", "year"], name="survey_one_campaign_a_year"),
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")),
                name="survey_campaign_closes_after_opening",
            ),
        ]

    def __str__(self) -> str:
        return gettext("Enquête de satisfaction %(year)s") % {"year": self.year}

    def is_open_on(self, day) -> bool:
        return self.opens_on <= day <= self.closes_on

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class Token(models.Model):
    """A one-time code handed out at a visit (the counter's screen or a printed ticket)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="tokens")
    code = models.CharField(max_length=rules.CODE_LENGTH, unique=True)
    issued_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    # Set once, by the conditional UPDATE that claims the code for one answer.
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("code de réponse")
        indexes = [
            # The counter screen's "codes handed out, codes used" of a campaign.
            models.Index(fields=["campaign", "used_at"], name="survey_token_campaign_used"),
        ]

    def __str__(self) -> str:
        return rules.format_code(self.code)


class CommentStatus(models.TextChoices):
    NONE = "none", _("Sans commentaire")
    PENDING = "pending", _("À modérer")
    APPROVED = "approved", _("Publié")
    REJECTED = "rejected", _("Écarté")


class Answer(StateMachine, models.Model):
    # A free comment is read by the responsable before anything is published (commitment 15);
    # a decision can be reversed, never back to "pending".
    STATUS_FIELD = "comment_status"
    STATUS_TRANSITIONS = {
        CommentStatus.PENDING: {CommentStatus.APPROVED, CommentStatus.REJECTED},
        CommentStatus.APPROVED: {CommentStatus.REJECTED},
        CommentStatus.REJECTED: {CommentStatus.APPROVED},
    }

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="answers")
    answered_on = models.DateField()
    access = models.PositiveSmallIntegerField(_("accès et horaires"))
    welcome = models.PositiveSmallIntegerField(_("accueil et courtoisie"))
    waiting = models.PositiveSmallIntegerField(_("attente"))
    confidentiality = models.PositiveSmallIntegerField(_("confidentialité"))
    outcome = models.PositiveSmallIntegerField(_("réponse obtenue"))
    overall = models.PositiveSmallIntegerField(_("satisfaction globale (sur 10)"))
    comment = models.TextField(_("commentaire"), blank=True, max_length=rules.MAX_COMMENT)
    comment_status = models.CharField(
        _("modération"), max_length=10, choices=CommentStatus, default=CommentStatus.NONE
    )
    moderated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("réponse à l'enquête")
        indexes = [
            # The moderation screen: a campaign's comments waiting for a decision.
            models.Index(fields=["campaign", "comment_status"], name="survey_answer_moderation"),
        ]
        constraints = [
            *[
                models.CheckConstraint(
                    condition=Q(
                        **{f"{name}__gte": rules.SCALE_MIN, f"{name}__lte": rules.SCALE_MAX}
                    ),
                    name=f"survey_answer_{name}_on_scale",
                )
                for name in rules.QUESTION_FIELDS
            ],
            models.CheckConstraint(
                condition=Q(overall__gte=rules.OVERALL_MIN, overall__lte=rules.OVERALL_MAX),
                name="survey_answer_overall_out_of_10",
            ),
            models.CheckConstraint(
                condition=Q(comment="", comment_status=CommentStatus.NONE)
                | (~Q(comment="") & ~Q(comment_status=CommentStatus.NONE)),
                name="survey_answer_comment_moderated",
            ),
        ]

    def __str__(self) -> str:
        return gettext("Réponse du %(day)s") % {"day": self.answered_on.isoformat()}


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Prévue")
    IN_PROGRESS = "in_progress", _("En cours")
    DONE = "done", _("Réalisée")
    ABANDONED = "abandoned", _("Abandonnée")


OPEN_ACTIONS = (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)


class Action(StateMachine, models.Model):
    """An action of the improvement plan that follows a campaign (commitment 15: "à votre
    écoute pour progresser"), reviewed by the steering committee (art. 6)."""

    STATUS_TRANSITIONS = {
        ActionStatus.PLANNED: {ActionStatus.IN_PROGRESS, ActionStatus.DONE, ActionStatus.ABANDONED},
        ActionStatus.IN_PROGRESS: {ActionStatus.DONE, ActionStatus.ABANDONED},
        ActionStatus.DONE: {ActionStatus.IN_PROGRESS},
        ActionStatus.ABANDONED: {ActionStatus.PLANNED},
    }

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(_("action"), max_length=200)
    owner = models.CharField(_("pilote"), max_length=200)
    due_on = models.DateField(_("échéance"))
    status = models.CharField(
        _("statut"), max_length=12, choices=ActionStatus, default=ActionStatus.PLANNED
    )
    progress = models.TextField(_("avancement"), blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("action d'amélioration")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def house_id(self):
        return self.campaign.house_id
