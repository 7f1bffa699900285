"""Forms of the appointment screens: they parse and report bad input in French; services decide."""

from datetime import datetime, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from msap.core.rules import validate_day
from msap.desk.models import ServiceRequest
from msap.desk.recent import offer_recent_requests
from msap.lib.forms import style_widgets, version_field

# The requests an appointment may be linked to: the house's recent ones.
LINKABLE_REQUEST_DAYS = 30
LINKABLE_REQUEST_LIMIT = 100
# The years the day and week lists accept (a date at the edge of the calendar would overflow).
MIN_YEAR, MAX_YEAR = 2000, 2100
MAX_ID = 2**31 - 1
# The indicators' period when none is asked for: the last twelve months.
INDICATORS_DEFAULT_DAYS = 365


class PeriodForm(forms.Form):
    day = forms.DateField(
        label=_("Jour"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    period = forms.ChoiceField(
        label=_("Période"),
        required=False,
        choices=[("day", _("La journée")), ("week", _("La semaine"))],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["day"].error_messages["invalid"] = _(
            "Indiquez une date au format JJ/MM/AAAA, par exemple 02/03/2026."
        )
        style_widgets(self)

    def clean_day(self):
        day = self.cleaned_data["day"]
        if day and not (MIN_YEAR <= day.year <= MAX_YEAR):
            raise forms.ValidationError(
                _("Indiquez une date entre %(first)s et %(last)s.")
                % {"first": MIN_YEAR, "last": MAX_YEAR}
            )
        return day


class BookingForm(forms.Form):
    slot = forms.CharField(label=_("Créneau"), max_length=80)
    person_name = forms.CharField(label=_("Nom et prénom de la personne"), max_length=200)
    person_email = forms.EmailField(
        label=_("Adresse électronique de la personne"),
        max_length=254,
        required=False,
        help_text=_("Pour lui envoyer la fiche de préparation et le rappel."),
    )
    person_phone = forms.CharField(
        label=_("Téléphone de la personne"), max_length=30, required=False
    )
    request = forms.ModelChoiceField(
        label=_("Demande à l'origine du rendez-vous"),
        queryset=ServiceRequest.objects.none(),
        required=False,
        help_text=_("La demande enregistrée à l'accueil qui a conduit à ce rendez-vous."),
    )

    def __init__(self, *args, house=None, slots=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.slots = list(slots)
        offer_recent_requests(
            self.fields["request"], house, days=LINKABLE_REQUEST_DAYS, limit=LINKABLE_REQUEST_LIMIT
        )
        self.fields["request"].error_messages["invalid_choice"] = _(
            "Cette demande n'est pas parmi les demandes récentes de la maison."
        )
        self.fields["slot"].error_messages["required"] = _("Choisissez un créneau.")
        self.fields["person_name"].error_messages["required"] = _("Indiquez le nom de la personne.")
        self.fields["person_email"].error_messages["invalid"] = _(
            "Saisissez une adresse électronique valide, par exemple nom@exemple.fr."
        )
        style_widgets(self)

    def clean_slot(self):
        """ "<adviser id>|<ISO start>": parsed here, checked by the booking service."""
        value = self.cleaned_data["slot"]
        adviser, _sep, start = value.partition("|")
        try:
            moment = datetime.fromisoformat(start)
            adviser_id = int(adviser)
        except ValueError:
            raise forms.ValidationError(_("Choisissez un créneau dans la liste.")) from None
        if timezone.is_naive(moment) or not (1 <= adviser_id <= MAX_ID):
            raise forms.ValidationError(_("Choisissez un créneau dans la liste."))
        return adviser_id, moment


class StatusForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif de l'annulation par le partenaire"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = version_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_widgets(self)


class IndicatorsForm(forms.Form):
    """The period of the indicators (by default the last twelve months) and, for the national
    cell, a département."""

    date_from = forms.DateField(
        label=_("Du"),
        required=False,
        validators=[validate_day],
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = forms.DateField(
        label=_("Au"),
        required=False,
        validators=[validate_day],
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, departements=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("date_from", "date_to"):
            self.fields[name].error_messages["invalid"] = _(
                "Indiquez une date au format JJ/MM/AAAA, par exemple 02/03/2026."
            )
        if departements is not None:
            self.fields["departement"] = forms.ChoiceField(
                label=_("Département"),
                required=False,
                choices=[("", _("Tous"))]
                + [(d.code, f"{d.code} — {d.name}") for d in departements],
            )
        style_widgets(self)

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("La date de fin précède la date de début."))
        return data

    def period(self, today):
        """[first day, last day] of the period asked for, inclusive."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        end = data.get("date_to") or today
        start = data.get("date_from") or end - timedelta(days=INDICATORS_DEFAULT_DAYS - 1)
        return start, end
