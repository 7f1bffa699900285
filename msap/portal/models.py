"""Signed links (issue 9, item 6; Dora): a partner's referent who rarely signs in answers one
appointment or one transmission through a link sent to their direct email, without an account.

A link is a row: bound to one item and to the referent card it was sent to, expiring, revocable,
and usable only while its item waits for the partner. The URL carries the row's id and nonce
signed with the instance's secret key (django.core.signing, links.token_for): nothing secret is
stored, an altered URL fails its signature, and a revoked or expired row refuses the signed one.
"""

import secrets

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def new_nonce() -> str:
    return secrets.token_hex(16)


class LinkKind(models.TextChoices):
    APPOINTMENT = "appointment", _("Rendez-vous")
    TRANSMISSION = "transmission", _("Saisine")


class PartnerLink(models.Model):
    kind = models.CharField(_("objet"), max_length=20, choices=LinkKind.choices)
    appointment = models.ForeignKey(
        "appointments.Appointment",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="partner_links",
        verbose_name=_("rendez-vous"),
    )
    transmission = models.ForeignKey(
        "transmissions.Transmission",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="partner_links",
        verbose_name=_("saisine"),
    )
    referent = models.ForeignKey(
        "partners.Referent",
        on_delete=models.CASCADE,
        related_name="links",
        verbose_name=_("référent destinataire"),
    )
    email = models.EmailField(_("envoyé à"))
    nonce = models.CharField(max_length=32, default=new_nonce, editable=False)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expire le"))
    # Claimed (conditional UPDATE) by the task that sends it: set once, never sent twice.
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("tentatives d'envoi"), default=0)
    revoked_at = models.DateTimeField(_("révoqué le"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("dernière utilisation"), null=True, blank=True)

    class Meta:
        verbose_name = _("lien signé")
        verbose_name_plural = _("liens signés")
        ordering = ["-created_at"]
        constraints = [
            # One link per item and referent card: the task that sends it may run twice.
            models.UniqueConstraint(
                fields=["appointment", "referent"],
                condition=Q(appointment__isnull=False),
                name="partner_link_once_per_appointment",
            ),
            models.UniqueConstraint(
                fields=["transmission", "referent"],
                condition=Q(transmission__isnull=False),
                name="partner_link_once_per_transmission",
            ),
            # A link opens exactly one item, of its kind.
            models.CheckConstraint(
                name="partner_link_kind_matches_item",
                condition=Q(kind="appointment", appointment__isnull=False, transmission=None)
                | Q(kind="transmission", transmission__isnull=False, appointment=None),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.item_id} → {self.email}"

    @property
    def item(self):
        return self.appointment if self.kind == LinkKind.APPOINTMENT else self.transmission

    @property
    def item_id(self):
        return self.appointment_id if self.kind == LinkKind.APPOINTMENT else self.transmission_id
