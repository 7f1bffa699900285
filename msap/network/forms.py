"""Forms of the house screens. They parse and report bad input in French; services decide."""

import re

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from msap.core.rules import validate_day
from msap.lib.forms import style_widgets, version_field
from msap.network.models import WEEKDAYS, Equipment, House, HouseStatus, Premises
from msap.network.rules import Range
from msap.network.services import HOUSE_FIELDS, PREMISES_FIELDS
from msap.territory.models import Commune, search_key

# Up to three opening ranges a day (morning, afternoon, evening) in the weekly editor.
SLOTS_PER_DAY = 3

# "19272", "2A004", "19272 — Tulle (19)": a leading INSEE code wins.
_LEADING_CODE = re.compile(r"^\s*(2[AB]\d{3}|\d{5})\b", re.IGNORECASE)
# "Tulle (19)": a name followed by its département code.
_NAME_WITH_DEPT = re.compile(r"^(?P<name>.*?)\s*\((?P<dept>\d{2,3}|2[AB])\)\s*$", re.IGNORECASE)


def commune_label(commune: Commune) -> str:
    """How a commune is written back in a text input: the code first, so it parses back exactly."""
    return f"{commune.code} — {commune.name} ({commune.departement_id})"


def find_commune(text: str) -> Commune:
    """The commune an input names, by INSEE code or by exact name; ValidationError otherwise."""
    text = (text or "").strip()
    match = _LEADING_CODE.match(text)
    if match:
        commune = Commune.objects.filter(code=match.group(1).upper()).first()
        if commune is None:
            raise forms.ValidationError(
                _("Aucune commune n'a le code INSEE %(code)s.") % {"code": match.group(1).upper()}
            )
        return commune
    name, dept = text, None
    match = _NAME_WITH_DEPT.match(text)
    if match:
        name, dept = match.group("name"), match.group("dept").upper()
    candidates = Commune.objects.filter(search_name=search_key(name))
    if dept:
        candidates = candidates.filter(departement_id=dept)
    found = list(candidates.order_by("departement_id", "code")[:6])
    if not found:
        raise forms.ValidationError(
            _("Commune inconnue : « %(text)s ». Saisissez son nom exact ou son code INSEE.")
            % {"text": text}
        )
    if len(found) > 1:
        raise forms.ValidationError(
            _("Plusieurs communes s'appellent « %(name)s » (%(codes)s) : saisissez le code INSEE.")
            % {"name": name, "codes": ", ".join(commune_label(c) for c in found)}
        )
    return found[0]


class CommuneField(forms.CharField):
    """A text input of an INSEE code or a commune name, cleaned to a Commune."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault(
            "help_text", _("Code INSEE ou nom de la commune, par exemple « 19272 » ou « Tulle ».")
        )
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        # A <datalist> of suggestions, refreshed by htmx as the user types (works without JS too).
        attrs.update(
            {
                "list": "commune-options",
                "autocomplete": "off",
                "hx-get": reverse_lazy("commune_search"),
                "hx-trigger": "input changed delay:250ms",
                "hx-target": "#commune-options",
            }
        )
        return attrs

    def prepare_value(self, value):
        return commune_label(value) if isinstance(value, Commune) else value

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        return find_commune(value)


# --- identity -----------------------------------------------------------------------------------

_IDENTITY_FIELDS = [f for f in HOUSE_FIELDS if f not in ("organisation", "commune")]


class HouseForm(forms.Form):
    """The house's identity. The gestionnaire is not changed here (it is the convention's party)."""

    version = version_field()
    commune = CommuneField(label=_("Commune"))
    served_communes = forms.CharField(
        label=_("Communes desservies"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Une commune par ligne : code INSEE ou nom. Elles forment le cadre géographique de la maison (article 2.3)."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        model_fields = forms.fields_for_model(
            House, fields=_IDENTITY_FIELDS, localized_fields=("latitude", "longitude")
        )
        model_fields["latitude"].validators += [MinValueValidator(-90), MaxValueValidator(90)]
        model_fields["longitude"].validators += [MinValueValidator(-180), MaxValueValidator(180)]
        ordered = {"version": self.fields["version"]}
        for name in ("name", "kind", "address", "address_extra", "postal_code"):
            ordered[name] = model_fields.pop(name)
        ordered["commune"] = self.fields["commune"]
        ordered.update(model_fields)
        ordered["served_communes"] = self.fields["served_communes"]
        self.fields = ordered
        style_widgets(self)

    @classmethod
    def initial_for(cls, house: House) -> dict:
        initial = {name: getattr(house, name) for name in _IDENTITY_FIELDS}
        initial["version"] = house.version
        initial["commune"] = commune_label(house.commune)
        initial["served_communes"] = "\n".join(
            commune_label(c)
            for c in house.served_communes.select_related("departement").order_by("name")
        )
        return initial

    def clean_served_communes(self):
        text = self.cleaned_data.get("served_communes") or ""
        communes, errors = [], []
        for line in text.splitlines():
            if not line.strip():
                continue
            try:
                communes.append(find_commune(line))
            except forms.ValidationError as exc:
                errors.extend(exc.messages)
        if errors:
            raise forms.ValidationError(errors)
        unique = {c.pk: c for c in communes}
        return list(unique.values())

    def house_data(self) -> dict:
        """The cleaned identity fields, as update_house expects them."""
        return {name: self.cleaned_data[name] for name in HOUSE_FIELDS if name in self.cleaned_data}


# --- weekly schedule ----------------------------------------------------------------------------


def slot_names(weekday: int, slot: int) -> tuple[str, str]:
    return f"d{weekday}_{slot}_start", f"d{weekday}_{slot}_end"


class ScheduleForm(forms.Form):
    """The weekly schedule: for each day, a few ranges of two time inputs (empty pairs are ignored)."""

    version = version_field()

    def __init__(self, *args, slots: dict[int, int] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        slots = slots or {}
        self.days = []
        for weekday, day_label in WEEKDAYS:
            pairs = []
            for slot in range(max(SLOTS_PER_DAY, slots.get(weekday, 0))):
                start_name, end_name = slot_names(weekday, slot)
                for name, label in ((start_name, _("ouverture")), (end_name, _("fermeture"))):
                    self.fields[name] = forms.TimeField(
                        label=_("Plage %(n)s : %(label)s") % {"n": slot + 1, "label": label},
                        required=False,
                        widget=forms.TimeInput(
                            attrs={"type": "time", "class": "fr-input"}, format="%H:%M"
                        ),
                        error_messages={
                            "invalid": _("Saisissez une heure valide, par exemple 09:00.")
                        },
                    )
                pairs.append((start_name, end_name))
            self.days.append((weekday, day_label, pairs))
        style_widgets(self)

    @classmethod
    def initial_for(cls, house: House, ranges: list[Range]) -> tuple[dict, dict[int, int]]:
        initial, counts = {"version": house.version}, {}
        for r in sorted(ranges):
            slot = counts.get(r.weekday, 0)
            start_name, end_name = slot_names(r.weekday, slot)
            initial[start_name], initial[end_name] = r.start, r.end
            counts[r.weekday] = slot + 1
        return initial, counts

    @staticmethod
    def slots_in(data) -> dict[int, int]:
        """How many range slots the posted data holds for each day (at least SLOTS_PER_DAY)."""
        counts: dict[int, int] = {}
        for key in data:
            match = re.fullmatch(r"d([0-6])_(\d{1,2})_(?:start|end)", key)
            if match:
                day, slot = int(match.group(1)), int(match.group(2))
                counts[day] = max(counts.get(day, 0), slot + 1)
        return counts

    def day_rows(self):
        """For the template: (weekday, label, [(start BoundField, end BoundField), ...])."""
        return [
            (weekday, label, [(self[s], self[e]) for s, e in pairs])
            for weekday, label, pairs in self.days
        ]

    def clean(self):
        cleaned = super().clean()
        ranges = []
        for weekday, _label, pairs in self.days:
            for start_name, end_name in pairs:
                if start_name in self.errors or end_name in self.errors:
                    continue
                start, end = cleaned.get(start_name), cleaned.get(end_name)
                if start is None and end is None:
                    continue
                if start is None:
                    self.add_error(start_name, _("Indiquez l'heure d'ouverture de cette plage."))
                elif end is None:
                    self.add_error(end_name, _("Indiquez l'heure de fermeture de cette plage."))
                else:
                    ranges.append(Range(weekday, start, end))
        self.ranges = ranges
        return cleaned


def days_label(days: int) -> str:
    return ngettext("%(n)d jour", "%(n)d jours", days) % {"n": days}


# --- closures, premises, equipment, stops ------------------------------------------------------


class ClosureForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_widgets(self)

    start_date = forms.DateField(
        validators=[validate_day],
        label=_("Du"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end_date = forms.DateField(
        validators=[validate_day],
        label=_("Au (inclus)"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    reason = forms.CharField(
        label=_("Motif"),
        max_length=200,
        help_text=_("Affiché au public, par exemple « Congés d'été »."),
    )


class PremisesForm(forms.Form):
    """Every field of Premises (art. 3.3, annex 3 §1.3 and §2.1)."""

    version = version_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(forms.fields_for_model(Premises, fields=PREMISES_FIELDS))
        for name in ("reduced_mobility_access", "notes"):
            self.fields[name].widget.attrs["rows"] = 3
        style_widgets(self)

    @classmethod
    def initial_for(cls, premises: Premises) -> dict:
        initial = {name: getattr(premises, name) for name in PREMISES_FIELDS}
        initial["version"] = premises.version
        return initial

    def premises_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in PREMISES_FIELDS}

    def boolean_fields(self):
        return [self[n] for n in PREMISES_FIELDS if isinstance(self.fields[n], forms.BooleanField)]

    def text_fields(self):
        return [
            self[n] for n in PREMISES_FIELDS if not isinstance(self.fields[n], forms.BooleanField)
        ]


class EquipmentForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(
            forms.fields_for_model(
                Equipment, fields=["kind", "label", "quantity", "for_public", "in_service"]
            )
        )
        self.fields["quantity"].validators.append(MinValueValidator(1))
        self.fields["quantity"].widget.attrs["min"] = 1
        style_widgets(self)


class StopForm(forms.Form):
    place = forms.CharField(
        label=_("Lieu"), max_length=200, help_text=_("Par exemple « Parking de la mairie ».")
    )
    commune = CommuneField(label=_("Commune"))
    weekday = forms.TypedChoiceField(label=_("Jour"), choices=WEEKDAYS, coerce=int)
    start = forms.TimeField(
        label=_("De"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"invalid": _("Saisissez une heure valide, par exemple 09:00.")},
    )
    end = forms.TimeField(
        label=_("À"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"invalid": _("Saisissez une heure valide, par exemple 12:00.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_widgets(self)

    def stop_data(self) -> dict:
        return {
            name: self.cleaned_data[name]
            for name in ("place", "commune", "weekday", "start", "end")
        }


class HouseFilterForm(forms.Form):
    q = forms.CharField(label=_("Nom de la maison"), required=False, max_length=100)
    departement = forms.ChoiceField(label=_("Département"), required=False)
    status = forms.ChoiceField(label=_("Statut"), required=False)
    # The overseers' list of the houses the national list's import flagged (hours under art. 3.2…).
    flagged = forms.ChoiceField(
        label=_("Import national"),
        required=False,
        choices=[("", _("Toutes")), ("1", _("Signalées"))],
    )

    def __init__(self, *args, departements=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departement"].choices = [("", _("Tous"))] + [
            (d.code, str(d)) for d in departements
        ]
        self.fields["status"].choices = [("", _("Tous")), *HouseStatus.choices]
        style_widgets(self)
