"""The journal: an append-only record of who did what to which record.

It is the evidence the quality charter and audits rely on, so rows can be added but never
edited or deleted through the application.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyQuerySet(models.QuerySet):
    """Bulk updates and deletes would bypass the model's guards: refused too."""

    def update(self, **kwargs):
        raise ValueError("Journal entries are append-only.")

    def delete(self):
        raise ValueError("Journal entries are append-only.")

    def bulk_update(self, objs, fields, batch_size=None):
        raise ValueError("Journal entries are append-only.")


class JournalEntry(models.Model):
    at = models.DateTimeField(_("le"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(_("action"), max_length=60)
    # The record concerned, by label ("network.house") and primary key: the journal outlives
    # the records it speaks of, so no foreign key.
    target_type = models.CharField(max_length=60)
    target_id = models.CharField(max_length=40)
    # The house the action belongs to, when there is one: the house's history page reads it.
    house_id = models.BigIntegerField(null=True, blank=True)
    # What happened, language-neutral (core/journal.py): a msgid and the parameters it is filled
    # with when read, in the reader's language.
    summary = models.CharField(_("résumé"), max_length=300, blank=True)
    params = models.JSONField(_("paramètres"), default=dict, blank=True)
    changes = models.JSONField(default=dict, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("entrée du journal")
        verbose_name_plural = _("journal")
        indexes = [
            # Serves the history of one record: WHERE target_type=? AND target_id=? ORDER BY at.
            models.Index(fields=["target_type", "target_id", "at"], name="journal_target_idx"),
            # Serves the history of one house: WHERE house_id=? ORDER BY at DESC.
            models.Index(fields=["house_id", "at"], name="journal_house_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target_type}#{self.target_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Journal entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Journal entries are append-only.")
