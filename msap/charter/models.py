"""The quality charter (convention-cadre, annex 4, with the vademecum of annex 5) as data.

A `CharterVersion` is in force from a year: a house is assessed, for a year, against the
version in force that year (the latest whose `in_force_from` is not after it). Its
`Commitment` rows are the charter's items — 1, 2, 3, 3 bis, 3 ter (optional, the mobile
variant), 4 … 15 — each with its group among the five service commitments of §4.1, the
public wording, what the public can expect (§4.2), the means to put in place and the evidence
that proves it ("suivi / contrôle du respect de l'engagement").
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CharterVersion(models.Model):
    title = models.CharField(_("intitulé"), max_length=200)
    in_force_from = models.PositiveSmallIntegerField(_("en vigueur à partir de l'année"))
    source = models.CharField(_("source"), max_length=300)

    class Meta:
        ordering = ["in_force_from"]
        verbose_name = _("version de la charte")
        verbose_name_plural = _("versions de la charte")
        constraints = [
            models.UniqueConstraint(fields=["in_force_from"], name="charter_version_one_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.in_force_from})"


class Commitment(models.Model):
    version = models.ForeignKey(
        CharterVersion, on_delete=models.CASCADE, related_name="commitments"
    )
    code = models.CharField(_("numéro"), max_length=8)
    # Its place among the five service commitments of §4.1 (1 … 5) and that group's title.
    group = models.PositiveSmallIntegerField(_("engagement de service"))
    group_title = models.CharField(_("intitulé de l'engagement de service"), max_length=200)
    wording = models.CharField(_("libellé public"), max_length=300)
    description = models.TextField(_("ce que l'usager peut attendre"), blank=True)
    means = models.TextField(_("moyens à mettre en œuvre par la maison"), blank=True)
    means_partners = models.TextField(
        _("moyens à mettre en œuvre par les organismes partenaires"), blank=True
    )
    evidence = models.TextField(_("suivi / contrôle du respect de l'engagement"), blank=True)
    optional = models.BooleanField(_("optionnel"), default=False)
    order = models.PositiveSmallIntegerField(_("ordre"))

    class Meta:
        ordering = ["version", "order"]
        verbose_name = _("engagement de la charte")
        verbose_name_plural = _("engagements de la charte")
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="charter_commitment_code"),
            models.UniqueConstraint(fields=["version", "order"], name="charter_commitment_order"),
            models.CheckConstraint(
                condition=models.Q(group__gte=1, group__lte=5), name="charter_commitment_group"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.wording}"
