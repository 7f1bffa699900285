"""The public site's forms: the search, and the three ways to write to a house."""

from django import forms
from django.utils.translation import gettext_lazy as _

from msap.public import rules


def _text(label, max_length, *, required=False, help_text="", autocomplete="", textarea=False):
    attrs = {"class": "fr-input"}
    if autocomplete:
        attrs["autocomplete"] = autocomplete
    widget = forms.Textarea(attrs={**attrs, "rows": 6}) if textarea else forms.TextInput(attrs)
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        help_text=help_text,
        widget=widget,
        error_messages={
            "max_length": _(
                "%(limit_value)s caractères au plus (vous en avez écrit %(show_value)s)."
            ),
        },
    )


class WriteForm(forms.Form):
    """A complaint, a remark or suggestion, or a message: the fields they share."""

    # Left empty by people, filled by robots: hidden from view and from assistive technologies.
    website = forms.CharField(label=_("Ne pas remplir"), required=False, max_length=200)
    token = forms.CharField(widget=forms.HiddenInput, max_length=200)
    name = _text(_("Votre nom (facultatif)"), rules.MAX_NAME, autocomplete="name")
    email = forms.EmailField(
        label=_("Votre adresse électronique (facultatif)"),
        required=False,
        max_length=254,
        help_text=_("Pour recevoir l'accusé de réception et la réponse. Format : nom@exemple.fr"),
        widget=forms.EmailInput(attrs={"class": "fr-input", "autocomplete": "email"}),
        error_messages={
            "invalid": _("Indiquez une adresse électronique valide, par exemple nom@exemple.fr.")
        },
    )
    phone = _text(_("Votre téléphone (facultatif)"), 30, autocomplete="tel")
    subject = _text(_("Objet"), rules.MAX_SUBJECT, required=True)
    body = _text(_("Votre message"), rules.MAX_BODY, required=True, textarea=True)

    def __init__(self, *args, form_kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.form_kind = form_kind
        self.fields["subject"].error_messages["required"] = _("Indiquez l'objet de votre message.")
        self.fields["body"].error_messages["required"] = _("Écrivez votre message.")
        self.fields["token"].error_messages["required"] = _(
            "Ce formulaire a expiré : rechargez la page, puis envoyez votre message à nouveau."
        )
        if form_kind == "reclamation":
            self.fields["address"] = _text(
                _("Votre adresse postale (facultatif)"),
                rules.MAX_ADDRESS,
                autocomplete="street-address",
                help_text=_(
                    "La maison s'engage à répondre sur le fond à votre réclamation dans un délai "
                    "d'un mois si vous indiquez votre adresse postale (engagement 14)."
                ),
            )
            self.order_fields(["website", "token", "name", "address", "email", "phone"])
        if form_kind == "message":
            self.fields["email"].label = _("Votre adresse électronique")
            self.fields["email"].required = True
            self.fields["email"].help_text = _(
                "Pour vous répondre : la maison répond aux courriels sous une semaine "
                "(engagement 12). Format : nom@exemple.fr"
            )
            self.fields["email"].error_messages["required"] = _(
                "Indiquez votre adresse électronique, pour que la maison puisse vous répondre."
            )

    def visible(self):
        return [self[name] for name in self.fields if name not in ("website", "token")]

    @property
    def is_robot(self) -> bool:
        return bool((self.data.get("website") or "").strip())
