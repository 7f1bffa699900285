"""Forms of the personal-file screens: they parse and report bad input in French; services decide."""

from datetime import timedelta

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from msap.core.rules import validate_day
from msap.desk.models import ServiceRequest
from msap.dossiers import rules
from msap.lib.forms import style_widgets, version_field

# The requests a follow-up may be linked to: the house's recent ones.
LINKABLE_REQUEST_DAYS = 90
LINKABLE_REQUEST_LIMIT = 100


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Rechercher par nom ou prénom"), required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_widgets(self)


class DossierForm(forms.Form):
    last_name = forms.CharField(label=_("Nom"), max_length=100)
    first_name = forms.CharField(label=_("Prénom"), max_length=100, required=False)
    birth_year = forms.IntegerField(
        label=_("Année de naissance"),
        required=False,
        min_value=rules.OLDEST_BIRTH_YEAR,
        help_text=_("Facultatif, par exemple 1958."),
    )
    phone = forms.CharField(label=_("Téléphone"), max_length=30, required=False)
    email = forms.EmailField(label=_("Adresse électronique"), max_length=254, required=False)
    postal_address = forms.CharField(label=_("Adresse postale"), max_length=300, required=False)
    next_steps = forms.CharField(
        label=_("Prochaines étapes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ce qui reste à faire pour la personne, et par qui."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["last_name"].error_messages["required"] = _("Indiquez le nom de la personne.")
        self.fields["birth_year"].error_messages["invalid"] = _(
            "Indiquez une année, par exemple 1958."
        )
        style_widgets(self)

    def identity(self) -> dict:
        return {field: self.cleaned_data[field] for field in rules.IDENTITY_FIELDS}


class DossierNewForm(DossierForm):
    consent_purpose = forms.CharField(
        label=_("Finalité présentée à la personne"),
        max_length=rules.CONSENT_PURPOSE_MAX_LENGTH,
        initial=rules.default_consent_purpose,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Lisez-la à la personne : c'est à cela qu'elle consent."),
    )
    consent_given = forms.BooleanField(
        label=_(
            "La personne a donné son accord pour l'ouverture d'un dossier, pour la finalité ci-dessus."
        ),
        required=False,
        help_text=_("Sans son accord, la demande reste anonyme : n'ouvrez pas de dossier."),
    )

    field_order = ["consent_purpose", "consent_given"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent_purpose"].error_messages["required"] = _(
            "Indiquez la finalité à laquelle la personne consent."
        )
        style_widgets(self)

    def clean_consent_given(self):
        # The service refuses too; here the message sits on the checkbox.
        if not self.cleaned_data.get("consent_given"):
            raise forms.ValidationError(
                _(
                    "Le dossier ne peut être ouvert qu'avec l'accord de la personne : cochez la case une fois son consentement recueilli."
                )
            )
        return True


class DossierEditForm(DossierForm):
    version = version_field()

    @classmethod
    def initial_for(cls, dossier) -> dict:
        return {
            **{f: getattr(dossier, f) for f in rules.IDENTITY_FIELDS},
            "version": dossier.version,
        }


class FollowUpForm(forms.Form):
    note = forms.CharField(
        label=_("Suivi"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Ce qui a été fait ou convenu. N'écrivez que ce qui est utile au suivi."),
    )
    due_on = forms.DateField(
        validators=[validate_day],
        label=_("À faire pour le"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Facultatif : date de la prochaine étape."),
    )
    request = forms.ModelChoiceField(
        label=_("Demande concernée"),
        required=False,
        queryset=ServiceRequest.objects.none(),
        empty_label=_("Aucune"),
        help_text=_("Facultatif : la demande enregistrée dont vient ce suivi."),
    )

    def __init__(self, *args, dossier, **kwargs):
        super().__init__(*args, **kwargs)
        since = timezone.now() - timedelta(days=LINKABLE_REQUEST_DAYS)
        recent = ServiceRequest.objects.filter(
            Q(dossier_link__isnull=True) | Q(dossier_link__dossier=dossier),
            house_id=dossier.house_id,
            occurred_at__gte=since,
        )
        self.fields["request"].queryset = recent.select_related("category", "partner").order_by(
            "-occurred_at"
        )
        self.fields["request"].label_from_instance = request_label
        self.fields["note"].error_messages["required"] = _("Écrivez le suivi.")
        self.fields["due_on"].error_messages["invalid"] = _(
            "Indiquez une date, par exemple 15/03/2026."
        )
        self.fields["request"].error_messages["invalid_choice"] = _(
            "Choisissez une demande récente de la maison."
        )
        style_widgets(self)


def request_label(request: ServiceRequest) -> str:
    when = timezone.localtime(request.occurred_at).strftime("%d/%m/%Y %H:%M")
    partner = (
        f" — {request.partner.short_name or request.partner.name}" if request.partner_id else ""
    )
    return f"{when} — {request.category.code}{partner}"


class DocumentForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"}
        ),
    )
    label = forms.CharField(
        label=_("Description"),
        max_length=200,
        required=False,
        help_text=_("Par exemple : avis d'imposition 2025."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = settings.MSAP_MAX_UPLOAD_BYTES / 1_048_576
        self.fields["file"].help_text = _("PDF, PNG ou JPEG, %(size)s Mo au maximum.") % {
            "size": f"{limit:g}"
        }
        self.fields["file"].error_messages["required"] = _("Choisissez un fichier.")
        self.fields["file"].error_messages["empty"] = _("Le fichier est vide.")
        style_widgets(self)


class EraseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_(
            "La personne demande l'effacement de son dossier. Je comprends que son identité, ses suivis et ses documents seront définitivement supprimés."
        ),
        required=False,
    )

    def clean_confirm(self):
        if not self.cleaned_data.get("confirm"):
            raise forms.ValidationError(_("Cochez la case pour confirmer l'effacement."))
        return True
