"""The survey's forms: the campaign, the tickets, the visitor's answer, the plan's actions."""

from django import forms
from django.utils.translation import gettext_lazy as _

from msap.core.rules import validate_day
from msap.lib.forms import style_widgets
from msap.surveys import rules
from msap.surveys.models import Action


def _day(label):
    return forms.DateField(
        validators=[validate_day],
        label=label,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Indiquez une date."),
            "invalid": _("Indiquez une date valide, par exemple 15/09/2026."),
        },
    )


class CampaignForm(forms.Form):
    year = forms.IntegerField(
        label=_("Année"),
        min_value=2000,
        max_value=2100,
        error_messages={"required": _("Indiquez l'année."), "invalid": _("Indiquez une année.")},
    )
    opens_on = _day(_("Ouverture"))
    closes_on = _day(_("Clôture (incluse)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_widgets(self)


class TicketsForm(forms.Form):
    count = forms.IntegerField(
        label=_("Nombre de tickets"),
        min_value=1,
        max_value=rules.MAX_TICKETS_PER_SHEET,
        initial=12,
        error_messages={
            "required": _("Indiquez un nombre de tickets."),
            "invalid": _("Indiquez un nombre de tickets."),
            "min_value": _("Au moins un ticket."),
            "max_value": _("%(limit_value)s tickets au plus par feuille."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["count"].help_text = _("12 par page, %(max)s au plus.") % {
            "max": rules.MAX_TICKETS_PER_SHEET
        }
        style_widgets(self)


class AnswerForm(forms.Form):
    """The visitor's answer. The service checks the same rules again (services._clean): this
    form only says them field by field."""

    # Left empty by people, filled by robots (as the public site's forms).
    website = forms.CharField(label=_("Ne pas remplir"), required=False, max_length=200)
    overall = forms.TypedChoiceField(
        label=_("Dans l'ensemble, quelle note donnez-vous à la maison, de 0 à 10 ?"),
        choices=[(m, str(m)) for m in range(rules.OVERALL_MIN, rules.OVERALL_MAX + 1)],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Donnez une note de satisfaction globale, de 0 à 10."),
            "invalid_choice": _("La note de satisfaction globale va de 0 à 10."),
        },
    )
    comment = forms.CharField(
        label=_("Votre commentaire (facultatif)"),
        required=False,
        max_length=rules.MAX_COMMENT,
        widget=forms.Textarea(attrs={"class": "fr-input", "rows": 5}),
        error_messages={
            "max_length": _(
                "%(limit_value)s caractères au plus (vous en avez écrit %(show_value)s)."
            )
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comment"].help_text = _(
            "%(max)s caractères au plus. Lu par la responsable avant toute publication ; "
            "n'y mettez ni nom ni information personnelle."
        ) % {"max": rules.MAX_COMMENT}
        scale = [(value, label) for value, label in rules.SCALE]
        for code, label, _commitment in reversed(rules.QUESTIONS):
            self.fields = {
                code: forms.TypedChoiceField(
                    label=label,
                    choices=scale,
                    coerce=int,
                    widget=forms.RadioSelect,
                    error_messages={
                        "required": _("Répondez à la question « %(question)s ».")
                        % {"question": label},
                        "invalid_choice": _("Choisissez l'une des réponses proposées."),
                    },
                ),
                **self.fields,
            }

    def questions(self):
        return [self[code] for code in rules.QUESTION_FIELDS]

    @property
    def is_robot(self) -> bool:
        return bool((self.data.get("website") or "").strip())


class ActionForm(forms.Form):
    title = forms.CharField(
        label=_("Action"),
        max_length=200,
        error_messages={"required": _("Indiquez l'action à mener.")},
    )
    owner = forms.CharField(
        label=_("Pilote"),
        max_length=200,
        help_text=_("La personne ou l'organisme qui la mène."),
        error_messages={"required": _("Indiquez qui pilote l'action.")},
    )
    due_on = _day(_("Échéance"))
    progress = forms.CharField(
        label=_("Avancement (facultatif)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_widgets(self)


class ActionUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Statut"))
    due_on = _day(_("Échéance"))
    progress = forms.CharField(
        label=_("Avancement"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, action: Action, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = [action.status, *action.available_statuses()]
        self.fields["status"].choices = [
            (value, Action.status_label(value))
            for value in dict(Action._status_choices())
            if value in allowed
        ]
        style_widgets(self)
