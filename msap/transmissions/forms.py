"""Forms of the transmission screens: they parse and report bad input in French; services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from msap.desk.models import ServiceRequest
from msap.desk.recent import offer_recent_requests
from msap.dossiers.models import Dossier
from msap.lib.forms import style_widgets, version_field
from msap.partners.models import Partnership, Referent
from msap.transmissions import rules
from msap.transmissions.models import DataCategory, TransmissionStatus, Urgency

# The requests a transmission may follow from: the house's recent ones.
LINKABLE_REQUEST_DAYS = 60
LINKABLE_REQUEST_LIMIT = 100


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; the service checks each (type, size, count)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        one = super().clean
        files = data if isinstance(data, list | tuple) else [data]
        return [f for f in (one(d, initial) for d in files if d) if f]


ATTACHMENT_HELP = _(
    "PDF, images (PNG, JPEG) ou documents bureautiques (Word, Excel, OpenDocument) ; "
    "5 fichiers au plus."
)


class FilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Statut"),
        required=False,
        choices=[("", _("Tous")), *TransmissionStatus.choices],
    )
    partnership = forms.ModelChoiceField(
        label=_("Partenaire"), queryset=Partnership.objects.none(), required=False
    )
    late = forms.BooleanField(label=_("En retard seulement"), required=False)

    def __init__(self, *args, house=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partnership"].queryset = house.partnerships.select_related("partner")
        self.fields["partnership"].empty_label = _("Tous")
        self.fields["partnership"].label_from_instance = lambda p: p.partner.short_name
        self.fields["partnership"].error_messages["invalid_choice"] = _(
            "Choisissez un partenaire de la maison."
        )
        self.fields["status"].error_messages["invalid_choice"] = _("Choisissez un statut proposé.")
        style_widgets(self)


class SendForm(forms.Form):
    partnership = forms.ModelChoiceField(
        label=_("Partenaire saisi"), queryset=Partnership.objects.none()
    )
    referent = forms.ModelChoiceField(
        label=_("Référent destinataire"),
        queryset=Referent.objects.none(),
        required=False,
        help_text=_("Facultatif : sinon, les référents actuels du partenaire."),
    )
    subject = forms.CharField(label=_("Objet"), max_length=200)
    question = forms.CharField(
        label=_("Question posée au partenaire"),
        max_length=rules.QUESTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("La situation, ce qui a déjà été fait, ce que vous demandez."),
    )
    urgency = forms.ChoiceField(label=_("Urgence"), choices=Urgency.choices)
    request = forms.ModelChoiceField(
        label=_("Demande à l'origine"),
        queryset=ServiceRequest.objects.none(),
        required=False,
        help_text=_("La demande enregistrée à l'accueil qui a conduit à cette saisine."),
    )
    dossier = forms.ModelChoiceField(
        label=_("Dossier usager"), queryset=Dossier.objects.none(), required=False
    )
    person_name = forms.CharField(
        label=_("Nom et prénom de la personne"), max_length=200, required=False
    )
    person_contact = forms.CharField(
        label=_("Téléphone ou adresse électronique de la personne"), max_length=200, required=False
    )
    person_reference = forms.CharField(
        label=_("Numéro de dossier chez le partenaire (allocataire, assuré…)"),
        max_length=60,
        required=False,
    )
    attachments = MultipleFileField(
        label=_("Pièces jointes"), required=False, help_text=ATTACHMENT_HELP
    )
    consent = forms.BooleanField(
        label=_("La personne consent à ce que ces données soient transmises au partenaire"),
        required=False,
    )
    consent_categories = forms.MultipleChoiceField(
        label=_("Données que la personne accepte de partager"),
        choices=DataCategory.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    consent_until = forms.DateField(
        label=_("Consentement valable jusqu'au"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, house=None, **kwargs):
        super().__init__(*args, **kwargs)
        partnerships = house.partnerships.active().select_related("partner")
        self.fields["partnership"].queryset = partnerships
        self.fields["partnership"].label_from_instance = lambda p: p.partner.short_name
        self.fields["referent"].queryset = Referent.objects.filter(
            partnership__in=partnerships, ended_on__isnull=True
        ).select_related("partnership__partner")
        self.fields["referent"].label_from_instance = lambda r: (
            f"{r.full_name} ({r.partnership.partner.short_name})"
        )
        offer_recent_requests(
            self.fields["request"], house, days=LINKABLE_REQUEST_DAYS, limit=LINKABLE_REQUEST_LIMIT
        )
        self.fields["dossier"].queryset = Dossier.objects.filter(house=house, status="active")
        for name, message in (
            ("partnership", _("Choisissez un partenaire de la maison.")),
            ("referent", _("Choisissez un référent actuel du partenaire.")),
            ("request", _("Cette demande n'est pas parmi les demandes récentes de la maison.")),
            ("dossier", _("Choisissez un dossier ouvert de la maison.")),
            ("urgency", _("Choisissez une urgence proposée.")),
            ("consent_categories", _("Cochez les données proposées.")),
        ):
            self.fields[name].error_messages["invalid_choice"] = message
            self.fields[name].error_messages["invalid_pk_value"] = message
        self.fields["partnership"].error_messages["required"] = _("Choisissez le partenaire saisi.")
        self.fields["subject"].error_messages["required"] = _("Indiquez l'objet de la saisine.")
        self.fields["question"].error_messages["required"] = _(
            "Indiquez la question posée au partenaire."
        )
        self.fields["consent_until"].error_messages["invalid"] = _(
            "Indiquez une date au format JJ/MM/AAAA, par exemple 30/06/2026."
        )
        self.fields["key"].error_messages["required"] = _(
            "Le formulaire a expiré : rechargez la page."
        )
        style_widgets(self)

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("key")
        return data


class MessageForm(forms.Form):
    """The house's answer to a request for information, with documents."""

    text = forms.CharField(
        label=_("Réponse de la maison"),
        max_length=rules.MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    attachments = MultipleFileField(
        label=_("Pièces jointes"), required=False, help_text=ATTACHMENT_HELP
    )
    version = version_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].error_messages["required"] = _("Indiquez la réponse de la maison.")
        self.fields["version"].error_messages["required"] = _(
            "Version de la saisine manquante : rechargez la page."
        )
        style_widgets(self)
