"""Forms of the counter: they parse input; the rules live in desk.rules and desk.services.

The quick entry is the hot path of the product: each lookup here is one indexed query, and
the reference lists the page shows (partners, categories, items) are rendered by the view from
lists it loads once, never by iterating these fields' querysets.
"""

import re
import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm
from dsfr.utils import dsfr_input_class_attr

from msap.core.rules import validate_moment
from msap.desk import reference, rules
from msap.desk.models import NEEDS, AgeBand, Autonomy, Channel, Outcome
from msap.desk.services import FIELDS
from msap.partners.models import Partner, ServiceCategory, ServiceItem
from msap.territory.models import Commune, search_key
from msap.territory.services import search_communes

# The quick buttons next to the duration: the usual lengths of a counter request.
QUICK_DURATIONS = (5, 10, 20, 30)
DEFAULT_DURATION = 10
DATETIME_INPUT = "%Y-%m-%dT%H:%M"
FIRST_VISIT_CHOICES = [("", _("Non renseigné")), ("oui", _("Oui")), ("non", _("Non"))]
_FIRST_VISIT = {"": None, "oui": True, "non": False}
# "19272 — Tulle (19)" (the commune type-ahead's options) or "Tulle (19272)": the INSEE code.
_COMMUNE_CODE = re.compile(
    r"^\s*([0-9][0-9AB][0-9]{3})\b|\(([0-9][0-9AB][0-9]{3})\)\s*$", re.IGNORECASE
)

DURATION_MESSAGE = rules.DURATION_MESSAGE
# The request's fields this form fills (the date only when typed; the personal file elsewhere).
FORM_FIELDS = [name for name in FIELDS if name != "occurred_at"]


def commune_label(commune: Commune | None) -> str:
    """The text the commune field shows for a commune (same shape as the type-ahead's options)."""
    if commune is None:
        return ""
    return f"{commune.code} — {commune.name} ({commune.departement_id})"


def new_idempotency_key() -> str:
    return uuid.uuid4().hex


class CachedChoiceField(forms.ModelChoiceField):
    """A model choice validated against msap.desk.reference instead of one query per field."""

    def __init__(self, *args, table: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.table = table

    def to_python(self, value):
        if value in self.empty_values:
            return None
        obj = reference.get(self.table, value)
        if obj is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return obj


class HouseField(forms.ModelChoiceField):
    """The house of a recording: from the reference cache when the allowed ids are known."""

    allowed_ids = None

    def to_python(self, value):
        if self.allowed_ids is None or value in self.empty_values:
            return super().to_python(value)
        house = reference.get("house", value)
        if house is None or house.pk not in self.allowed_ids:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return house


class RequestFieldsForm(DsfrBaseForm):
    """The fields of one request (issue "A request record"), shared by the quick entry and the edit."""

    partner = CachedChoiceField(
        table="partner",
        label=_("Partenaire concerné"),
        queryset=Partner.objects.all(),
        required=False,
        error_messages={
            "invalid_choice": _("Partenaire inconnu : choisissez un partenaire de la liste.")
        },
    )
    category = CachedChoiceField(
        table="category",
        label=_("Catégorie de service (annexe 1)"),
        queryset=ServiceCategory.objects.all(),
        error_messages={
            "required": _("Choisissez la catégorie de service : A, B1, B2, B3 ou C."),
            "invalid_choice": _("Catégorie inconnue : choisissez A, B1, B2, B3 ou C."),
        },
    )
    item = CachedChoiceField(
        table="item",
        label=_("Prestation"),
        queryset=ServiceItem.objects.all(),
        required=False,
        error_messages={
            "invalid_choice": _("Prestation inconnue : choisissez une prestation de la liste.")
        },
    )
    procedure = forms.CharField(
        label=_("Démarche"),
        required=False,
        max_length=200,
        help_text=_("Tapez les premières lettres puis choisissez dans la liste."),
    )
    # Set by a favourite button only: the procedure by its id rather than its label.
    procedure_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    channel = forms.ChoiceField(label=_("Canal"), choices=Channel.choices, initial=Channel.COUNTER)
    duration_minutes = forms.IntegerField(
        label=_("Durée (minutes)"),
        min_value=rules.MIN_DURATION_MINUTES,
        max_value=rules.MAX_DURATION_MINUTES,
        initial=DEFAULT_DURATION,
        error_messages={
            "required": _("Indiquez la durée en minutes."),
            "invalid": _("La durée est un nombre entier de minutes."),
            "min_value": DURATION_MESSAGE,
            "max_value": DURATION_MESSAGE,
        },
    )
    outcome = forms.ChoiceField(
        label=_("Suite donnée"), choices=Outcome.choices, initial=Outcome.ANSWERED
    )
    autonomy = forms.ChoiceField(
        label=_("Autonomie numérique"),
        choices=[("", _("Non renseignée")), *Autonomy.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    age_band = forms.ChoiceField(label=_("Tranche d'âge"), choices=AgeBand.choices, required=False)
    commune = forms.CharField(
        label=_("Commune de résidence"),
        required=False,
        max_length=200,
        help_text=_("Nom ou code postal, puis choisissez dans la liste."),
    )
    first_visit = forms.TypedChoiceField(
        label=_("Première venue à la maison"),
        choices=FIRST_VISIT_CHOICES,
        coerce=lambda v: _FIRST_VISIT.get(v),
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    group_size = forms.IntegerField(
        label=_("Nombre de personnes"),
        min_value=1,
        max_value=rules.MAX_GROUP_SIZE,
        initial=1,
        help_text=_("Plus d'une pour un atelier collectif."),
        error_messages={
            "min_value": _("Le nombre de personnes doit être compris entre 1 et %(limit_value)s.")
            % {"limit_value": rules.MAX_GROUP_SIZE},
            "max_value": _("Le nombre de personnes doit être compris entre 1 et %(limit_value)s.")
            % {"limit_value": rules.MAX_GROUP_SIZE},
        },
    )
    occurred_at = forms.DateTimeField(
        validators=[validate_moment],
        label=_("Date et heure"),
        required=False,
        input_formats=[DATETIME_INPUT, "%Y-%m-%dT%H:%M:%S", "%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_INPUT),
        help_text=_("Laissez vide pour maintenant."),
        error_messages={
            "invalid": _("Saisissez une date et une heure valides, par exemple 12/03/2025 14:30.")
        },
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=rules.NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=rules.NOTES_REMINDER,
    )

    style_on_init = True

    def __init__(self, *args, tz=None, **kwargs):
        if self.style_on_init:
            super().__init__(*args, **kwargs)
        else:
            forms.Form.__init__(self, *args, **kwargs)
        self.tz = tz
        for name, label in NEEDS:
            self.fields[name] = forms.BooleanField(label=label, required=False)
        self.fields["autonomy"].widget.inline = True
        self.fields["first_visit"].widget.inline = True

    def apply_dsfr_classes(self) -> None:
        """The DSFR classes on every visible widget (what DsfrBaseForm does at construction)."""
        if not self.style_on_init:
            for visible in self.visible_fields():
                dsfr_input_class_attr(visible)

    @property
    def need_fields(self):
        return [self[name] for name, _label in NEEDS]

    def house_timezone(self):
        return self.tz

    def clean(self):
        cleaned = super().clean()
        partner = cleaned.get("partner")
        procedure = self._clean_procedure(partner)
        cleaned["procedure"] = procedure
        if procedure is not None and partner is None and procedure.partner_id:
            cleaned["partner"] = procedure.partner  # typed the procedure only: its partner follows
        cleaned["commune"] = self._clean_commune()
        occurred_at = cleaned.get("occurred_at")
        tz = self.house_timezone()
        if occurred_at is not None and tz is not None:
            # The agent types the house's wall-clock time (overseas houses have their own zone).
            wall = timezone.localtime(occurred_at).replace(tzinfo=None)
            cleaned["occurred_at"] = timezone.make_aware(wall, tz)
        return cleaned

    def _clean_procedure(self, partner):
        pk = self.cleaned_data.get("procedure_id")
        text = (self.cleaned_data.get("procedure") or "").strip()
        if not pk and not text:
            return None
        if pk:
            found = [p for p in [reference.get("procedure", pk)] if p is not None]
        else:
            found = reference.procedures_labelled(
                text, partner.pk if partner is not None else None
            )[:2]
        if len(found) != 1:
            self.add_error(
                "procedure",
                _(
                    "Démarche inconnue pour ce partenaire : choisissez-la dans la liste proposée, ou laissez le champ vide."
                ),
            )
            return None
        return found[0]

    def _clean_commune(self):
        text = (self.cleaned_data.get("commune") or "").strip()
        if not text:
            return None
        match = _COMMUNE_CODE.search(text)
        if match:
            code = (match.group(1) or match.group(2)).upper()
            commune = Commune.objects.filter(pk=code).first()
        else:
            candidates = search_communes(text, limit=10)
            exact = [c for c in candidates if search_key(c.name) == search_key(text)]
            commune = (
                exact[0] if len(exact) == 1 else (candidates[0] if len(candidates) == 1 else None)
            )
        if commune is None:
            self.add_error("commune", _("Commune inconnue : choisissez-la dans la liste proposée."))
        return commune

    def request_data(self) -> dict:
        """The cleaned fields as the service expects them (an empty date means "now")."""
        cd = self.cleaned_data
        data = {name: cd.get(name) for name in FORM_FIELDS}
        for text_field in ("autonomy", "age_band", "notes"):
            data[text_field] = data[text_field] or ""
        if cd.get("occurred_at") is not None:
            data["occurred_at"] = cd["occurred_at"]
        return data


class QuickEntryForm(RequestFieldsForm):
    """The counter's quick entry: the fields of a request, the house and an idempotency key."""

    house = HouseField(
        label=_("Maison"),
        queryset=None,
        error_messages={
            "required": _("Choisissez la maison où la demande a été traitée."),
            "invalid_choice": _(
                "Vous n'enregistrez pas les demandes de cette maison : choisissez l'une de vos maisons."
            ),
        },
    )
    key = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    field_order = ["house", "partner", "category", "procedure", "item"]

    # The counter's hot path: a recording that validates is never rendered, so the DSFR classes
    # DsfrBaseForm puts on every widget at construction are applied only before rendering.
    style_on_init = False

    def __init__(self, data=None, *, houses=None, house_ids=None, **kwargs):
        """`houses`: the queryset of the houses the user records in; or `house_ids`, their ids
        when the caller knows them from the user's roles (then no query at all)."""
        if data is not None and data.get("favourite"):
            data = self._apply_favourite(data)
        super().__init__(data, **kwargs)
        if house_ids is None:
            # One indexed query validates the house AND that the agent records there.
            self.fields["house"].queryset = houses.select_related("commune__departement")
        self.fields["house"].allowed_ids = house_ids

    @staticmethod
    def _apply_favourite(data):
        """A favourite button fills partner, category and procedure, the rest of the form as is."""
        data = data.copy()
        partner, category, procedure = ([*data["favourite"].split(":"), "", ""])[:3]
        if category != data.get("category"):
            data["item"] = ""  # the item belongs to the category the favourite replaces
        data["partner"], data["category"] = partner, category
        data["procedure"], data["procedure_id"] = "", procedure
        return data

    def house_timezone(self):
        house = self.cleaned_data.get("house")
        return house.tz if house is not None else None

    def clean_key(self):
        return (self.cleaned_data.get("key") or "").strip()[:64]


class RequestEditForm(RequestFieldsForm):
    """The author's correction of a request within the edit window."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    field_order = ["partner", "category", "procedure", "item"]

    @classmethod
    def initial_for(cls, obj, tz) -> dict:
        initial = {
            "partner": obj.partner_id,
            "category": obj.category_id,
            "item": obj.item_id,
            "procedure": obj.procedure.label if obj.procedure_id else "",
            "channel": obj.channel,
            "duration_minutes": obj.duration_minutes,
            "outcome": obj.outcome,
            "autonomy": obj.autonomy,
            "age_band": obj.age_band,
            "commune": commune_label(obj.commune),
            "first_visit": {True: "oui", False: "non"}.get(obj.first_visit, ""),
            "group_size": obj.group_size,
            "occurred_at": timezone.localtime(obj.occurred_at, tz).strftime(DATETIME_INPUT),
            "notes": obj.notes,
            "version": obj.version,
        }
        for name, _label in NEEDS:
            initial[name] = getattr(obj, name)
        return initial


class ProcedureAddForm(DsfrBaseForm):
    """The national cell extends the controlled list of procedures of a partner."""

    partner = forms.ModelChoiceField(
        label=_("Partenaire"),
        queryset=Partner.objects.order_by("kind", "short_name"),
        error_messages={
            "required": _("Choisissez le partenaire de la démarche."),
            "invalid_choice": _("Partenaire inconnu : choisissez un partenaire de la liste."),
        },
    )
    label = forms.CharField(
        label=_("Intitulé de la démarche"),
        max_length=200,
        error_messages={"required": _("Saisissez l'intitulé de la démarche.")},
    )
    category = forms.ModelChoiceField(
        label=_("Catégorie habituelle"),
        queryset=ServiceCategory.objects.all(),
        required=False,
        error_messages={"invalid_choice": _("Catégorie inconnue : choisissez A, B1, B2, B3 ou C.")},
    )

    def clean_label(self):
        return " ".join(self.cleaned_data["label"].split())
