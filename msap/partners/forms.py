"""Forms of the partners screens: they parse input; the rules live in partners.services."""

from django import forms
from django.core.validators import RegexValidator
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from msap.core.rules import validate_day
from msap.partners.models import Partner, PartnerKind, ServiceItem
from msap.partners.services import REFERENT_FIELDS

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

phone_validator = RegexValidator(
    r"^\+?[0-9 .()\-]{6,30}$",
    _("Saisissez un numéro de téléphone valide, par exemple 05 55 12 34 56."),
)


class ServiceItemsMixin:
    """Annex 1 items as checkboxes, rendered grouped by category (A, B1, B2, B3, C)."""

    def service_groups(self) -> list[dict]:
        bound = self["services"]
        selected = {str(v) for v in (bound.value() or [])}
        groups: list[dict] = []
        for item in self.fields["services"].queryset:
            if not groups or groups[-1]["category"].pk != item.category_id:
                groups.append({"category": item.category, "items": []})
            groups[-1]["items"].append(
                {
                    "item": item,
                    "id": f"{bound.auto_id}_{item.pk}",
                    "checked": str(item.pk) in selected,
                }
            )
        return groups


def _services_field() -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        label=_("Prestations de l'offre de référence (annexe 1) délivrées pour ce partenaire"),
        queryset=ServiceItem.objects.select_related("category"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class PartnershipAddForm(ServiceItemsMixin, DsfrBaseForm):
    """A new partner of the house: an existing operator, or a new local operator."""

    partner = forms.ChoiceField(label=_("Partenaire existant"), required=False)
    new_name = forms.CharField(
        label=_("Nom du nouvel opérateur local"), max_length=200, required=False
    )
    new_short_name = forms.CharField(
        label=_("Sigle du nouvel opérateur local"), max_length=40, required=False
    )
    joined_on = forms.DateField(
        validators=[validate_day], label=_("Partenaire depuis le"), widget=DATE_WIDGET
    )
    services = _services_field()
    bilateral_note = forms.CharField(
        label=_("Convention bilatérale (note)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Engagements propres à ce partenaire : délais de traitement, permanences…"),
    )

    def __init__(self, *args, house, **kwargs):
        super().__init__(*args, **kwargs)
        self.house = house
        self.fields["joined_on"].initial = timezone.localdate()
        partners = Partner.objects.filter(
            Q(kind=PartnerKind.NATIONAL) | Q(departement_id=house.commune.departement_id)
        ).order_by("kind", "short_name")
        active = set(house.partnerships.active().values_list("partner_id", flat=True))
        self._partners = {str(p.pk): p for p in partners}
        national, local = [], []
        for p in partners:
            label = f"{p.short_name} — {p.name}"
            if p.pk in active:
                label += " " + str(_("(déjà partenaire)"))
            (national if p.kind == PartnerKind.NATIONAL else local).append((str(p.pk), label))
        choices = [("", _("— Choisir un partenaire —")), (_("Opérateurs nationaux"), national)]
        if local:
            choices.append((_("Opérateurs locaux du département"), local))
        self.fields["partner"].choices = choices

    def clean(self):
        data = super().clean()
        chosen = data.get("partner")
        new = (data.get("new_name") or "").strip() or (data.get("new_short_name") or "").strip()
        if chosen and new:
            raise forms.ValidationError(
                _("Choisissez un partenaire existant ou créez un opérateur local, pas les deux.")
            )
        if not chosen and not new:
            self.add_error(
                "partner",
                _(
                    "Choisissez un partenaire dans la liste, ou indiquez le nom et le sigle d'un nouvel opérateur local."
                ),
            )
        data["partner_obj"] = self._partners.get(chosen) if chosen else None
        return data


class PartnershipEditForm(ServiceItemsMixin, DsfrBaseForm):
    services = _services_field()
    bilateral_note = forms.CharField(
        label=_("Convention bilatérale (note)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class WithdrawForm(DsfrBaseForm):
    left_on = forms.DateField(
        validators=[validate_day], label=_("Date du retrait"), widget=DATE_WIDGET
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["left_on"].initial = timezone.localdate()


class ReferentFieldsForm(DsfrBaseForm):
    """The referent card (annex 2). At least a direct phone or an email: checked by the service."""

    first_name = forms.CharField(label=_("Prénom"), max_length=100)
    last_name = forms.CharField(label=_("Nom"), max_length=100)
    function = forms.CharField(label=_("Fonction"), max_length=200, required=False)
    phone = forms.CharField(
        label=_("Ligne directe"),
        max_length=30,
        required=False,
        validators=[phone_validator],
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    email = forms.EmailField(label=_("Adresse électronique directe"), required=False)
    postal_address = forms.CharField(label=_("Adresse postale"), max_length=300, required=False)
    domains = forms.CharField(
        label=_("Domaines de compétence"),
        max_length=300,
        required=False,
        help_text=_("Par exemple : prestations familiales, logement, RSA."),
    )

    CARD_FIELDS = REFERENT_FIELDS

    def card_data(self) -> dict:
        return {f: self.cleaned_data.get(f) or "" for f in self.CARD_FIELDS}


class ReferentAddForm(ReferentFieldsForm):
    started_on = forms.DateField(
        validators=[validate_day], label=_("Référent depuis le"), widget=DATE_WIDGET
    )
    replaces = forms.ModelChoiceField(
        label=_("Remplace"),
        queryset=None,
        required=False,
        empty_label=_("— Personne (référent supplémentaire) —"),
        help_text=_(
            "Le référent remplacé quitte son poste à cette date ; il reste dans l'historique."
        ),
    )

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["started_on"].initial = timezone.localdate()
        self.fields["replaces"].queryset = partnership.referents.filter(ended_on__isnull=True)


class ReferentEditForm(ReferentFieldsForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class EndReferentForm(DsfrBaseForm):
    ended_on = forms.DateField(
        validators=[validate_day], label=_("Fin de fonction le"), widget=DATE_WIDGET
    )
