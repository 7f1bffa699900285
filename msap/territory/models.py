"""French administrative geography: régions, départements, communes (official INSEE codes).

Loaded once by a data migration from the committed file in `territory/data/` (see its README).
"""

import re
import unicodedata

from django.db import models
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

    class Meta:
        ordering = ["name"]
        verbose_name = _("commune")
        indexes = [
            # Serves the commune type-ahead: name prefix search within a département.
            models.Index(fields=["departement", "name"], name="commune_dept_name_idx"),
            # Serves the type-ahead across the country by name prefix.
            models.Index(fields=["name"], name="commune_name_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.departement_id})"

    def save(self, *args, **kwargs):
        self.search_name = search_key(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "search_name"}
        super().save(*args, **kwargs)
