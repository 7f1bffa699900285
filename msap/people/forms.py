"""Forms of the team screens: they parse input; the rules live in people.services."""

from decimal import Decimal

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from msap.core.rules import validate_day
from msap.lib.forms import human_size
from msap.partners.models import Partner, PartnerKind
from msap.people.models import Role, TrainingKind, User
from msap.people.services import HOUSE_ROLES

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _upload_help() -> str:
    # Computed when rendered: the limit is a setting (MSAP_MAX_UPLOAD_BYTES).
    limit = settings.MSAP_MAX_UPLOAD_BYTES
    return gettext("Fichier PDF, PNG ou JPEG, %(size)s au maximum.") % {"size": human_size(limit)}


upload_help = lazy(_upload_help, str)()


class MemberAddForm(DsfrBaseForm):
    """A person joins the house's team; the account is created when the email is new."""

    email = forms.EmailField(
        label=_("Adresse électronique"),
        help_text=_("Son identifiant de connexion. Un compte est créé si elle n'en a pas encore."),
    )
    first_name = forms.CharField(label=_("Prénom"), max_length=100)
    last_name = forms.CharField(label=_("Nom"), max_length=100)
    role = forms.ChoiceField(
        label=_("Rôle"),
        choices=[(r.value, r.label) for r in HOUSE_ROLES],
        initial=Role.AGENT,
    )
    started_on = forms.DateField(
        validators=[validate_day], label=_("Dans l'équipe depuis le"), widget=DATE_WIDGET
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "member")
        super().__init__(*args, **kwargs)
        self.fields["started_on"].initial = timezone.localdate()


class EndMembershipForm(DsfrBaseForm):
    ended_on = forms.DateField(
        validators=[validate_day], label=_("Date de départ"), widget=DATE_WIDGET
    )


class TrainingAddForm(DsfrBaseForm):
    """A training of a team member (art. 4.2); the attestation is checked by its content."""

    user = forms.ModelChoiceField(label=_("Membre de l'équipe"), queryset=User.objects.none())
    title = forms.CharField(label=_("Intitulé"), max_length=200)
    kind = forms.ChoiceField(
        label=_("Type"), choices=TrainingKind.choices, initial=TrainingKind.INITIAL
    )
    partner = forms.ModelChoiceField(
        label=_("Dispensée par le partenaire"),
        queryset=Partner.objects.none(),
        required=False,
        empty_label=_("— Aucun partenaire —"),
    )
    given_by = forms.CharField(
        label=_("Autre organisme formateur"),
        max_length=200,
        required=False,
        help_text=_("Si la formation n'est pas dispensée par un partenaire."),
    )
    started_on = forms.DateField(validators=[validate_day], label=_("Du"), widget=DATE_WIDGET)
    ended_on = forms.DateField(validators=[validate_day], label=_("Au"), widget=DATE_WIDGET)
    hours = forms.DecimalField(
        label=_("Durée (heures)"),
        required=False,
        min_value=Decimal("0.5"),
        max_value=Decimal("9999"),
        max_digits=5,
        decimal_places=1,
    )
    attestation = forms.FileField(
        label=_("Attestation"),
        required=False,
        help_text=upload_help,
        widget=forms.FileInput(
            attrs={
                "class": "fr-upload",
                "accept": ".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg",
            }
        ),
    )

    def __init__(self, *args, house, **kwargs):
        kwargs.setdefault("prefix", "training")
        super().__init__(*args, **kwargs)
        self.fields["attestation"].widget.group_class = "fr-upload-group"
        self.fields["user"].queryset = User.objects.filter(
            memberships__house=house, memberships__role__in=HOUSE_ROLES
        ).distinct()
        self.fields["partner"].queryset = Partner.objects.filter(
            Q(kind=PartnerKind.NATIONAL) | Q(partnerships__house=house)
        ).distinct()

    def clean(self):
        data = super().clean()
        started, ended = data.get("started_on"), data.get("ended_on")
        if started and ended and ended < started:
            self.add_error("ended_on", _("La date de fin doit être après la date de début."))
        return data
