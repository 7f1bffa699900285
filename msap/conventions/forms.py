"""Forms of the convention's screens: they parse input; the rules live in conventions.services."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from msap.conventions import rules
from msap.conventions.models import ManagementTerms
from msap.core.rules import validate_day
from msap.partners.models import Partner, PartnerKind, ServiceItem

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _day(label, required=True, help_text=""):
    return forms.DateField(
        label=label,
        required=required,
        widget=DATE_WIDGET,
        validators=[validate_day],
        help_text=help_text,
    )


def _notice_field():
    return forms.IntegerField(
        label=_("Préavis de retrait d'un service, en mois (article 9)"),
        required=False,
        min_value=rules.SERVICE_NOTICE_MIN_MONTHS,
        max_value=rules.SERVICE_NOTICE_MAX_MONTHS,
    )


class SignerMixin(forms.Form):
    signer_name = forms.CharField(label=_("Nom du signataire"), max_length=150, required=False)
    signer_title = forms.CharField(
        label=_("Qualité du signataire"),
        max_length=150,
        required=False,
        help_text=_("Par exemple : Présidente de la communauté de communes."),
    )


class SignForm(SignerMixin, DsfrBaseForm):
    signed_on = _day(_("Date de signature par le gestionnaire"))
    signed_at = forms.CharField(label=_("Fait à"), max_length=120, required=False)
    service_notice_months = _notice_field()
    field_order = ["signed_on", "signed_at", "signer_name", "signer_title"]


class ConventionEditForm(DsfrBaseForm):
    signed_at = forms.CharField(label=_("Fait à"), max_length=120, required=False)
    service_notice_months = _notice_field()
    manager_delegations = forms.CharField(
        label=_("Décisions que le responsable peut prendre ou déléguer (annexe 3, § 1.1)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class SignatoryAddForm(SignerMixin, DsfrBaseForm):
    partnership = forms.ModelChoiceField(label=_("Partenaire"), queryset=None)
    signed_on = _day(_("Date de signature"))
    charter_signed_on = _day(_("Date de signature de la charte (annexe 4)"), required=False)
    field_order = ["partnership", "signed_on", "charter_signed_on"]

    def __init__(self, *args, house, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["partnership"]
        field.queryset = house.partnerships.active().select_related("partner")
        field.label_from_instance = lambda p: p.partner.name


class SignatoryEditForm(SignerMixin, DsfrBaseForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class LetterForm(DsfrBaseForm):
    letter_on = _day(
        _("Date de la lettre recommandée avec accusé de réception"),
        help_text=_("Le préavis est de six mois avant l'échéance (article 7)."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class AdhesionAddForm(DsfrBaseForm):
    partner = forms.ModelChoiceField(label=_("Futur partenaire"), queryset=None)
    requested_on = _day(_("Demande reçue le"))
    note = forms.CharField(
        label=_("Observations"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, house, **kwargs):
        super().__init__(*args, **kwargs)
        active = house.partnerships.active().values("partner_id")
        self.fields["partner"].queryset = Partner.objects.filter(
            Q(kind=PartnerKind.NATIONAL) | Q(departement_id=house.commune.departement_id)
        ).exclude(pk__in=active)
        self.fields["partner"].label_from_instance = lambda p: p.name


class AdhesionExamineForm(DsfrBaseForm):
    decision = forms.ChoiceField(
        label=_("Décision du gestionnaire"),
        choices=[
            ("accept", _("Accepter : les partenaires actuels en sont informés")),
            ("refuse", _("Refuser")),
        ],
        widget=forms.RadioSelect,
    )
    examined_on = _day(_("Examinée le"))
    note = forms.CharField(
        label=_("Observations"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class AdhesionSignForm(SignerMixin, DsfrBaseForm):
    signed_on = _day(_("Convention signée le"))
    charter_signed_on = _day(_("Charte nationale de qualité signée le"))
    services = forms.ModelMultipleChoiceField(
        label=_("Prestations de l'offre de référence (annexe 1) délivrées pour ce partenaire"),
        queryset=ServiceItem.objects.select_related("category"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
    field_order = ["signed_on", "charter_signed_on", "signer_name", "signer_title", "services"]


class ServiceWithdrawForm(DsfrBaseForm):
    service = forms.ChoiceField(label=_("Service retiré"))
    notified_on = _day(_("Partenaires informés le"))

    def __init__(self, *args, house, **kwargs):
        super().__init__(*args, **kwargs)
        choices = []
        for p in house.partnerships.active().select_related("partner").prefetch_related("services"):
            for item in p.services.all():
                choices.append((f"{p.pk}:{item.pk}", f"{p.partner.short_name} — {item}"))
        self.fields["service"].choices = [("", "—"), *choices]


def _text(field_name):
    return forms.CharField(
        label=ManagementTerms._meta.get_field(field_name).verbose_name,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class TermsForm(DsfrBaseForm):
    """Annex 3 for one signatory and one year."""

    financial = _text("financial")
    premises = _text("premises")
    furniture = _text("furniture")
    technical = _text("technical")
    bilateral_convention = _text("bilateral_convention")
    activity_share = forms.DecimalField(
        label=ManagementTerms._meta.get_field("activity_share").verbose_name,
        required=False,
        min_value=0,
        max_value=100,
        decimal_places=2,
        max_digits=5,
    )
    permanence_office = _text("permanence_office")
    cross_training = _text("cross_training")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
