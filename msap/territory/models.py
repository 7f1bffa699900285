"""French administrative geography: régions, départements, communes (official INSEE codes).

Loaded once by a data migration from the committed file in `territory/data/` (see its README).
"""

import re
import unicodedata

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from msap.lib.dates import HOLIDAY_SUBDIVISIONS, OVERSEAS_TIMEZONES

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE"})
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def search_key(text: str) -> str:
    """Lowercase, unaccented form of a name for accent-insensitive prefix search.

    "Saint-Étienne-d'Œuilly" → "saint etienne d oeuilly": accents and ligatures are folded,
    hyphens, apostrophes and spaces all become one space. The data migration 0002 holds a frozen
    copy of this function; a test checks that both agree on every commune.
    """
    text = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    text = "".join(char for char in text if not unicodedata.combining(char)).casefold()
    return " ".join(_NOT_ALNUM.sub(" ", text).split())


class Region(models.Model):
    code = models.CharField(_("code"), max_length=3, primary_key=True)
    name = models.CharField(_("nom"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("région")

    def __str__(self) -> str:
        return self.name


class Departement(models.Model):
    code = models.CharField(_("code"), max_length=3, primary_key=True)
    name = models.CharField(_("nom"), max_length=100)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="departements")

    class Meta:
        ordering = ["code"]
        verbose_name = _("département")

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    @property
    def timezone(self) -> str:
        return OVERSEAS_TIMEZONES.get(self.code, "Europe/Paris")

    @property
    def holiday_subdivision(self) -> str | None:
        return HOLIDAY_SUBDIVISIONS.get(self.code)


class Commune(models.Model):
    class Kind(models.TextChoices):
        # INSEE's types: a current commune, or one of the 45 municipal arrondissements of Paris,
        # Lyon and Marseille (a France Services site can be located in one).
        COMMUNE = "commune", _("commune")
        ARRONDISSEMENT = "arrondissement-municipal", _("arrondissement municipal")

    code = models.CharField(_("code INSEE"), max_length=5, primary_key=True)
    name = models.CharField(_("nom"), max_length=150)
    departement = models.ForeignKey(Departement, on_delete=models.PROTECT, related_name="communes")
    # Space-separated postal codes: a commune may have several, a postal code several communes.
    postal_codes = models.CharField(_("codes postaux"), max_length=200, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    # search_key(name), kept in step by save(): the accent-insensitive type-ahead filters on it,
    # since SQLite's LIKE folds the case of ASCII letters only. Not indexed: a prefix scan of the
    # 35,000 rows takes a few milliseconds, and each index slows the loading migration.
    search_name = models.CharField(_("nom normalisé"), max_length=150, editable=False)
    kind = models.CharField(_("type"), max_length=30, choices=Kind, default=Kind.COMMUNE)
    # An arrondissement's commune (Marseille 13e → Marseille); None for a commune.
    parent = models.ForeignKey(
        "self",
        verbose_name=_("commune de rattachement"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="arrondissements",
    )
    # The commune's centre (geo.api.gouv.fr), for the nearest houses; None where unknown.
    latitude = models.FloatField(_("latitude du centre"), null=True, blank=True)
    longitude = models.FloatField(_("longitude du centre"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("commune")
        constraints = [
            models.CheckConstraint(
                name="commune_arrondissement_has_parent",
                condition=Q(kind="commune", parent__isnull=True)
                | Q(kind="arrondissement-municipal", parent__isnull=False),
            ),
            models.CheckConstraint(
                name="commune_centre_in_range",
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180),
            ),
        ]
        indexes = [
            # Serves the commune type-ahead: name prefix search within a département.
            models.Index(fields=["departement", "name"], name="commune_dept_name_idx"),
            # Serves the type-ahead across the country by name prefix.
            models.Index(fields=["name"], name="commune_name_idx"),
        ]

    # Set by territory.services.search_communes when a former commune's name matched.
    former_name = ""

    def __str__(self) -> str:
        return f"{self.name} ({self.departement_id})"

    def save(self, *args, **kwargs):
        self.search_name = search_key(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "search_name"}
        super().save(*args, **kwargs)

    @property
    def label(self) -> str:
        """How a search result reads: "Bâgé-la-Ville (ancienne commune), aujourd'hui
        Bâgé-Dommartin (01)" when the person typed the name of a commune that merged into it."""
        if self.former_name:
            return _("%(former)s (ancienne commune), aujourd’hui %(commune)s") % {
                "commune": self,
                "former": self.former_name,
            }
        return str(self)


class FormerCommune(models.Model):
    """A commune that merged into a current one: its former INSEE code (`anciensCodes`) and, for
    the communes déléguées and associées, its name. An import naming the former code, or a
    person typing the former name, is led to the commune it joined."""

    class Kind(models.TextChoices):
        FORMER_CODE = "ancien-code", _("ancien code")
        DELEGATED = "commune-deleguee", _("commune déléguée")
        ASSOCIATED = "commune-associee", _("commune associée")

    # Not unique: a commune déléguée often keeps the code of the commune it joined.
    code = models.CharField(_("code INSEE"), max_length=5)
    name = models.CharField(_("nom"), max_length=150, blank=True)
    search_name = models.CharField(_("nom normalisé"), max_length=150, editable=False)
    kind = models.CharField(_("type"), max_length=30, choices=Kind)
    commune = models.ForeignKey(
        Commune, on_delete=models.CASCADE, related_name="former_communes", verbose_name=_("commune")
    )

    class Meta:
        ordering = ["name", "code"]
        verbose_name = _("ancienne commune")
        verbose_name_plural = _("anciennes communes")
        indexes = [
            # Serves the resolution of a former code in an import (commune_by_code).
            models.Index(fields=["code"], name="former_commune_code_idx"),
            # Serves the type-ahead on former names (search_communes).
            models.Index(fields=["search_name"], name="former_commune_search_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name or self.code} → {self.commune_id}"

    def save(self, *args, **kwargs):
        self.search_name = search_key(self.name)
        super().save(*args, **kwargs)
