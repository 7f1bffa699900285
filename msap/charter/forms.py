"""Forms of the charter screens: they parse and report bad input in French; services decide."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from msap.charter import rules
from msap.charter.models import EvidenceKind
from msap.lib.forms import style_widgets

EVIDENCE_HELP = _("PDF, images (PNG, JPEG) ou documents bureautiques (Word, Excel, OpenDocument).")


class EvidenceForm(forms.Form):
    key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
    commitment = forms.ChoiceField(label=_("Engagement"))
    kind = forms.ChoiceField(label=_("Type de justificatif"), choices=EvidenceKind.choices)
    title = forms.CharField(
        label=_("Intitulé (facultatif)"), required=False, max_length=rules.MAX_TITLE
    )
    dated_on = forms.DateField(
        label=_("Date du document"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": _("Indiquez la date du document."),
            "invalid": _("Indiquez une date valide (jj/mm/aaaa)."),
        },
    )
    valid_until = forms.DateField(
        label=_("Valable jusqu'au (facultatif)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Sans date, la durée habituelle de ce type de document s'applique."),
        error_messages={"invalid": _("Indiquez une date valide (jj/mm/aaaa).")},
    )
    file = forms.FileField(
        label=_("Fichier"),
        help_text=EVIDENCE_HELP,
        error_messages={
            "required": _("Joignez le fichier du justificatif."),
            "empty": _("Le fichier est vide."),
            "invalid": _("Joignez le fichier du justificatif."),
        },
    )

    def __init__(self, *args, charter, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commitment"].choices = [
            (c.code, f"{c.code}. {_(c.wording)}") for c in charter.commitments
        ]
        style_widgets(self)


class YearForm(forms.Form):
    """The year of the assessment; the current one by default, never one to come."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        self.fields["year"] = forms.IntegerField(
            label=_("Année"),
            required=False,
            min_value=rules.FIRST_YEAR,
            max_value=this_year,
            error_messages={
                "invalid": _("Indiquez une année (par exemple %(year)s).") % {"year": this_year},
                "max_value": _("L'année ne peut pas être à venir : %(limit_value)s au plus."),
                "min_value": _("La charte s'applique depuis %(limit_value)s."),
            },
        )
        style_widgets(self)

    def year(self) -> int:
        if self.is_bound and self.is_valid() and self.cleaned_data.get("year"):
            return self.cleaned_data["year"]
        return timezone.localdate().year


class TableForm(YearForm):
    departement = forms.ChoiceField(label=_("Département"), required=False)

    def __init__(self, *args, departements=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departement"].choices = [("", _("Tous"))] + [
            (d.code, f"{d.code} — {d.name}") for d in departements
        ]
        style_widgets(self)
