from django import forms
from django.utils.translation import gettext_lazy as _

from msap.lib.forms import style_widgets, version_field
from msap.transmissions.models import RefusalReason
from msap.webhooks.rules import EventType


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif de l'annulation"),
        help_text=_("Il est transmis à la maison, qui prévient la personne."),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Indiquez le motif de l'annulation.")},
    )
    version = version_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_widgets(self)


class ConfirmForm(forms.Form):
    version = version_field()


class EndpointForm(forms.Form):
    url = forms.CharField(
        label=_("Adresse (URL)"),
        help_text=_(
            "Une adresse https:// publique de votre système, par exemple https://api.caf.fr/msap."
        ),
        max_length=500,
        error_messages={"required": _("Indiquez l'adresse de votre système.")},
    )
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    event_types = forms.MultipleChoiceField(
        label=_("Événements souscrits"),
        choices=EventType.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choisissez au moins un événement.")},
    )
    partner = forms.TypedChoiceField(label=_("Organisme"), coerce=int)

    def __init__(self, *args, partners=(), with_url=True, **kwargs):
        super().__init__(*args, **kwargs)
        partners = list(partners)
        self.fields["partner"].choices = [(p.pk, p.short_name) for p in partners]
        if len(partners) <= 1 or not with_url:
            self.fields["partner"].required = False
            self.fields["partner"].widget = forms.HiddenInput()
            if partners:
                self.fields["partner"].initial = partners[0].pk
        if not with_url:
            del self.fields["url"]
        style_widgets(self)


class TransmissionMoveForm(forms.Form):
    """One of the partner's moves on a transmission: its message, and for a refusal its reason,
    for a redirection the other partner of the house."""

    text = forms.CharField(
        label=_("Message à la maison"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    refusal_reason = forms.ChoiceField(
        label=_("Motif du refus"), choices=[("", "—"), *RefusalReason.choices], required=False
    )
    redirected_to = forms.TypedChoiceField(
        label=_("Partenaire compétent"), coerce=int, required=False, empty_value=None
    )
    version = version_field()

    def __init__(self, *args, partnerships=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["redirected_to"].choices = [
            ("", "—"),
            *((p.pk, p.partner.short_name) for p in partnerships),
        ]
        style_widgets(self)
