"""Forms of the steering committee's screens: they parse and report bad input in French; the
services decide. Every form acting on an existing meeting carries its `version` (a stale one is
refused, so two managers never silently overwrite each other's minutes); the form that plans a
meeting carries a one-time key (a double submission gives one meeting)."""

from datetime import date

from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from msap.committees import rules
from msap.committees.models import AxisStatus, MemberKind, Presence
from msap.core.rules import validate_day
from msap.lib.forms import style_widgets, version_field

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class MeetingForm(forms.Form):
    key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)
    day = forms.DateField(label=_("Date"), widget=DATE_WIDGET, validators=[validate_day])
    at = forms.TimeField(label=_("Heure"), widget=TIME_WIDGET)
    duration_minutes = forms.IntegerField(
        label=_("Durée (minutes)"), min_value=15, max_value=720, initial=120
    )
    place = forms.CharField(label=_("Lieu"), max_length=300)
    agenda = forms.CharField(
        label=_("Ordre du jour"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Un point par ligne, dans l'ordre."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["day"].error_messages["invalid"] = _(
            "Saisissez une date, par exemple 15/03/2027."
        )
        self.fields["at"].error_messages["invalid"] = _("Saisissez une heure, par exemple 14:00.")
        style_widgets(self)

    def clean_agenda(self):
        lines = _lines(self.cleaned_data["agenda"])
        if any(len(line) > rules.TITLE_MAX_LENGTH for line in lines):
            raise forms.ValidationError(
                _("Un point tient en %(max)s caractères au maximum.")
                % {"max": rules.TITLE_MAX_LENGTH}
            )
        return lines

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "day": data["day"],
            "at": data["at"],
            "duration_minutes": data["duration_minutes"],
            "place": data["place"],
            "agenda": data["agenda"],
        }


class MinutesForm(forms.Form):
    version = version_field()
    minutes = forms.CharField(
        label=_("Compte rendu"),
        required=False,
        max_length=rules.TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 12}),
    )
    minutes_file = forms.FileField(
        label=_("Compte rendu (fichier)"),
        required=False,
        help_text=_("PDF, Word ou OpenDocument. Remplace le fichier déjà joint."),
    )
    decisions = forms.CharField(
        label=_("Décisions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Une décision par ligne."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_widgets(self)

    def clean_decisions(self):
        lines = _lines(self.cleaned_data["decisions"])
        if any(len(line) > rules.TITLE_MAX_LENGTH for line in lines):
            raise forms.ValidationError(
                _("Une décision tient en %(max)s caractères au maximum.")
                % {"max": rules.TITLE_MAX_LENGTH}
            )
        return lines


class PresenceForm(forms.Form):
    """One choice per member of the meeting."""

    version = version_field()

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.members = list(members)
        for member in self.members:
            field = forms.ChoiceField(
                # Typed data (names, organisations): French whatever the screen's language.
                label=format_html(
                    '<span lang="fr">{} — {}</span>', member.name, member.organisation
                ),
                choices=Presence.choices,
                initial=member.presence,
            )
            field.error_messages["invalid_choice"] = _("Choisissez une présence proposée.")
            self.fields[f"member_{member.pk}"] = field
        style_widgets(self)

    def member_fields(self):
        return [self[f"member_{m.pk}"] for m in self.members]

    def presences(self) -> dict[int, str]:
        return {m.pk: self.cleaned_data[f"member_{m.pk}"] for m in self.members}


class MemberForm(forms.Form):
    kind = forms.ChoiceField(label=_("Au titre de"), choices=MemberKind.choices)
    name = forms.CharField(label=_("Nom"), max_length=200)
    organisation = forms.CharField(label=_("Organisme"), max_length=200)
    function = forms.CharField(label=_("Fonction"), max_length=200, required=False)
    email = forms.EmailField(label=_("Adresse électronique"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].error_messages["invalid_choice"] = _("Choisissez un titre proposé.")
        style_widgets(self)


class AxisForm(forms.Form):
    title = forms.CharField(label=_("Axe de progrès"), max_length=rules.TITLE_MAX_LENGTH)
    owner = forms.CharField(label=_("Porteur"), max_length=200)
    due_on = forms.DateField(label=_("Échéance"), widget=DATE_WIDGET, validators=[validate_day])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["due_on"].error_messages["invalid"] = _(
            "Saisissez une date, par exemple 31/12/2027."
        )
        style_widgets(self)


class AxisStatusForm(forms.Form):
    version = version_field()
    status = forms.ChoiceField(label=_("Nouveau statut"), choices=AxisStatus.choices)


class StatusForm(forms.Form):
    version = version_field()
    status = forms.ChoiceField(choices=[("planned", _("Prévue")), ("cancelled", _("Annulée"))])


class ReviewForm(forms.Form):
    departement = forms.ChoiceField(label=_("Département"))
    year = forms.IntegerField(label=_("Année"))

    def __init__(self, *args, departements=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departement"].choices = [
            (d.code, f"{d.code} — {d.name}") for d in departements
        ]
        self.fields["departement"].error_messages["invalid_choice"] = _(
            "Choisissez un département proposé."
        )
        this_year = date.today().year
        self.fields["year"].min_value = 2000
        self.fields["year"].max_value = this_year
        self.fields["year"].validators = []
        self.fields["year"].initial = this_year - 1
        style_widgets(self)

    def clean_year(self):
        year = self.cleaned_data["year"]
        if not 2000 <= year <= date.today().year:
            raise forms.ValidationError(
                _("Choisissez une année entre 2000 et %(year)s.") % {"year": date.today().year}
            )
        return year
