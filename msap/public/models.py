"""What the public site keeps of its own: one row per form sent, tying the form's token to the
register item it created (a second send of the same form finds it: one item, never two)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Submission(models.Model):
    token = models.CharField(max_length=64, unique=True)
    item = models.OneToOneField(
        "registers.RegisterItem", on_delete=models.CASCADE, related_name="public_submission"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The acknowledgement by email: claimed by its task with a conditional UPDATE (sent once).
    ack_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("envoi du site public")

    def __str__(self) -> str:
        return self.token
