"""Forms of the register screens: they parse input; the rules live in registers.services.

Every form acting on an existing item carries the item's `version`: a stale one is refused by
the service (StaleVersion), so two agents never silently overwrite each other.
"""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from msap.core.rules import validate_day, validate_moment
from msap.partners.models import Partner, Referent
from msap.people.models import Role, User
from msap.registers import queries
from msap.registers.models import Channel, ExemptReason, Kind, PhoneOutcome, RegisterItem, Status

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

# The channels that make sense for each register; a register with one channel shows no choice.
CHANNELS = {
    Kind.INCOMING_MAIL: [Channel.POST, Channel.COUNTER, Channel.REGISTER],
    Kind.OUTGOING_MAIL: [Channel.POST, Channel.EMAIL],
    Kind.EMAIL: [Channel.EMAIL],
    Kind.PHONE: [Channel.PHONE],
    Kind.COMPLAINT: [
        Channel.POST,
        Channel.EMAIL,
        Channel.COUNTER,
        Channel.WEB,
        Channel.REGISTER,
        Channel.PHONE,
    ],
    Kind.SUGGESTION: [Channel.REGISTER, Channel.COUNTER, Channel.WEB, Channel.EMAIL, Channel.POST],
}

# The fields each register asks for (only what is needed to answer: SPEC confidentiality).
KIND_FIELDS = {
    Kind.INCOMING_MAIL: [
        "received_at",
        "channel",
        "sender_name",
        "sender_address",
        "subject",
        "body",
        "partner",
        "assigned_to",
    ],
    Kind.OUTGOING_MAIL: [
        "received_at",
        "channel",
        "sender_name",
        "sender_address",
        "sender_email",
        "subject",
        "body",
        "partner",
        "reply_kind",
        "reply_number",
    ],
    Kind.EMAIL: [
        "received_at",
        "sender_name",
        "sender_email",
        "subject",
        "body",
        "partner",
        "assigned_to",
    ],
    Kind.PHONE: [
        "received_at",
        "phone_outcome",
        "sender_name",
        "sender_phone",
        "subject",
        "body",
        "partner",
        "assigned_to",
    ],
    Kind.COMPLAINT: [
        "received_at",
        "channel",
        "sender_name",
        "sender_address",
        "sender_email",
        "sender_phone",
        "subject",
        "body",
        "partner",
        "assigned_to",
    ],
    Kind.SUGGESTION: [
        "received_at",
        "channel",
        "sender_name",
        "sender_email",
        "subject",
        "body",
        "partner",
    ],
}
RECORD_FIELDS = [
    "sender_name",
    "sender_address",
    "sender_email",
    "sender_phone",
    "body",
    "partner",
    "phone_outcome",
]


def house_staff(house):
    """The people who work in the house: its agents and responsables, and its gestionnaire's staff."""
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(memberships__house=house, memberships__role__in=[Role.AGENT, Role.RESPONSABLE])
            | Q(
                memberships__organisation_id=house.organisation_id,
                memberships__role=Role.GESTIONNAIRE,
            ),
            memberships__ended_on__isnull=True,
        )
        .distinct()
        .order_by("last_name", "first_name", "email")
    )


def house_partners(house):
    return Partner.objects.filter(
        partnerships__house=house, partnerships__status="active"
    ).order_by("short_name")


def current_referents(house):
    """The current referents of the house's active partnerships (annex 2)."""
    return (
        Referent.objects.filter(
            partnership__house=house, partnership__status="active", ended_on__isnull=True
        )
        .select_related("partnership__partner")
        .order_by("partnership__partner__short_name", "last_name")
    )


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.email


class ReferentChoiceField(forms.ModelChoiceField):
    """Referents by name and function, as the house typed them: French on any page (lang)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.widget.attrs["lang"] = "fr"

    def label_from_instance(self, obj):
        function = f", {obj.function}" if obj.function else ""
        return f"{obj.partnership.partner.short_name} — {obj.full_name}{function}"


class ItemForm(DsfrBaseForm):
    """A new item of one register; the fields shown depend on the register (KIND_FIELDS)."""

    received_at = forms.DateTimeField(
        validators=[validate_moment], label=_("Reçu le"), widget=DATETIME_WIDGET
    )
    channel = forms.ChoiceField(label=_("Canal"))
    phone_outcome = forms.ChoiceField(
        label=_("Issue de l'appel"),
        choices=[("", _("— Choisir —")), *PhoneOutcome.choices],
        help_text=_(
            "Engagement 13 : décroché en moins de 5 sonneries, sinon répondeur et rappel sous une semaine."
        ),
        error_messages={"required": _("Indiquez l'issue de l'appel.")},
    )
    sender_name = forms.CharField(label=_("Expéditeur"), max_length=200, required=False)
    sender_address = forms.CharField(
        label=_("Adresse postale"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    sender_email = forms.EmailField(label=_("Adresse électronique"), required=False)
    sender_phone = forms.CharField(label=_("Téléphone"), max_length=30, required=False)
    subject = forms.CharField(
        label=_("Objet"), max_length=300, error_messages={"required": _("Indiquez l'objet.")}
    )
    body = forms.CharField(
        label=_("Contenu ou résumé"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    partner = forms.ModelChoiceField(
        label=_("Partenaire concerné"),
        queryset=Partner.objects.none(),
        required=False,
        empty_label=_("— Aucun —"),
    )
    assigned_to = StaffChoiceField(
        label=_("Confier à"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("— Personne pour l'instant —"),
    )
    reply_kind = forms.ChoiceField(label=_("En réponse à : registre"), required=False)
    reply_number = forms.IntegerField(
        label=_("En réponse à : numéro d'ordre"), required=False, min_value=1
    )

    def __init__(self, *args, house, kind, **kwargs):
        super().__init__(*args, **kwargs)
        self.house, self.kind = house, kind
        for name in list(self.fields):
            if name not in KIND_FIELDS[kind]:
                del self.fields[name]
        channels = CHANNELS[kind]
        if "channel" in self.fields:
            if len(channels) == 1:
                del self.fields["channel"]
            else:
                self.fields["channel"].choices = [(c.value, c.label) for c in channels]
        if "partner" in self.fields:
            self.fields["partner"].queryset = house_partners(house)
        if "assigned_to" in self.fields:
            self.fields["assigned_to"].queryset = house_staff(house)
        if "reply_kind" in self.fields:
            self.fields["reply_kind"].choices = [
                ("", _("— Aucun —")),
                *((k.value, k.label) for k in Kind if k != Kind.OUTGOING_MAIL),
            ]
        self._relabel()
        # DsfrBaseForm built the bound fields (labels, help texts) before they were adapted.
        self._bound_fields_cache = {}

    def _relabel(self):
        f = self.fields
        if self.kind == Kind.OUTGOING_MAIL:
            f["received_at"].label = _("Envoyé le")
            f["sender_name"].label = _("Destinataire")
            f["sender_address"].label = _("Adresse postale du destinataire")
            f["sender_email"].label = _("Adresse électronique du destinataire")
        elif self.kind == Kind.PHONE:
            f["received_at"].label = _("Appel reçu le")
            f["sender_name"].label = _("Appelant")
            f["sender_phone"].label = _("Numéro à rappeler")
        elif self.kind == Kind.EMAIL:
            f["sender_email"].label = _("Adresse électronique de l'expéditeur")
            f["sender_email"].help_text = _(
                "Un courriel sans adresse valide pour répondre peut être dispensé de réponse (engagement 12)."
            )
        elif self.kind == Kind.COMPLAINT:
            f["sender_address"].help_text = _(
                "Facultative. Sans adresse postale, la réclamation est tout de même enregistrée, "
                "mais le délai de réponse d'un mois (engagement 14) ne s'applique pas."
            )
        if "sender_address" in f and self.kind in {Kind.INCOMING_MAIL}:
            f["sender_address"].help_text = _(
                "Pour répondre par courrier sous un mois (engagement 11)."
            )

    def clean(self):
        data = super().clean()
        if "reply_kind" in self.fields:
            kind, number = data.get("reply_kind"), data.get("reply_number")
            data["reply_to"] = None
            if bool(kind) != bool(number):
                self.add_error(
                    "reply_number",
                    _("Indiquez le registre et le numéro de l'élément auquel ce courrier répond."),
                )
            elif kind and number:
                found = RegisterItem.objects.filter(
                    house=self.house, kind=kind, number=number
                ).first()
                if found is None:
                    self.add_error(
                        "reply_number",
                        _("Aucun élément de ce registre ne porte ce numéro dans la maison."),
                    )
                data["reply_to"] = found
        return data

    def record_kwargs(self) -> dict:
        """The arguments of services.record_item."""
        data = self.cleaned_data
        kwargs = {
            "kind": self.kind,
            "received_at": data["received_at"],
            "channel": data.get("channel") or CHANNELS[self.kind][0].value,
            "subject": data["subject"],
        }
        for name in RECORD_FIELDS:
            if name in self.fields:
                kwargs[name] = data[name]
        return kwargs


class VersionForm(DsfrBaseForm):
    """An action on an item as the agent last saw it."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class AssignForm(VersionForm):
    agent = StaffChoiceField(
        label=_("Agent chargé"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("— Personne —"),
    )

    def __init__(self, *args, house, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agent"].queryset = house_staff(house)


class AnswerForm(VersionForm):
    answer_text = forms.CharField(
        label=_("Réponse sur le fond"),
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Écrivez la réponse.")},
        help_text=_("Ce texte est repris dans la lettre de réponse."),
    )
    answered_at = forms.DateTimeField(
        validators=[validate_moment], label=_("Répondu le"), widget=DATETIME_WIDGET
    )


class RedirectForm(VersionForm):
    referent = ReferentChoiceField(
        label=_("Référent compétent"),
        queryset=Referent.objects.none(),
        empty_label=_("— Choisir —"),
        error_messages={"required": _("Choisissez le référent compétent.")},
        help_text=_(
            "La réponse nomme le référent et sa fonction, jamais ses coordonnées directes (annexe 2)."
        ),
    )
    note = forms.CharField(
        label=_("Précision pour l'usager"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    answered_at = forms.DateTimeField(
        validators=[validate_moment], label=_("Réorienté le"), widget=DATETIME_WIDGET
    )

    def __init__(self, *args, house, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["referent"].queryset = current_referents(house)


class ExemptForm(VersionForm):
    exempt_reason = forms.ChoiceField(
        label=_("Motif de la dispense"),
        choices=[("", _("— Choisir —")), *ExemptReason.choices],
        error_messages={
            "required": _("Choisissez un motif de dispense (charte, engagements 11 et 12).")
        },
    )
    exempt_note = forms.CharField(label=_("Précision"), max_length=300, required=False)


class OverrideForm(VersionForm):
    due_date = forms.DateField(
        validators=[validate_day],
        label=_("Nouvelle échéance"),
        widget=DATE_WIDGET,
        error_messages={"required": _("Indiquez la nouvelle échéance.")},
    )
    reason = forms.CharField(
        label=_("Motif du changement"),
        max_length=300,
        error_messages={"required": _("Indiquez le motif du changement d'échéance.")},
    )


class LinkForm(VersionForm):
    kind = forms.ChoiceField(label=_("Registre"), choices=Kind.choices)
    number = forms.IntegerField(label=_("Numéro d'ordre"), min_value=1)
    relation = forms.ChoiceField(
        label=_("Nature du lien"),
        choices=[("related", _("lié à")), ("answered_by", _("répondu par"))],
    )

    def __init__(self, *args, house, **kwargs):
        super().__init__(*args, **kwargs)
        self.house = house

    def clean(self):
        data = super().clean()
        if data.get("kind") and data.get("number"):
            data["target"] = RegisterItem.objects.filter(
                house=self.house, kind=data["kind"], number=data["number"]
            ).first()
            if data["target"] is None:
                self.add_error(
                    "number", _("Aucun élément de ce registre ne porte ce numéro dans la maison.")
                )
        return data


class AttachmentForm(VersionForm):
    file = forms.FileField(
        label=_("Pièce jointe (scan)"),
        help_text=_("PDF, PNG ou JPEG."),
        error_messages={"required": _("Choisissez un fichier.")},
    )


class ListFilterForm(DsfrBaseForm):
    """Filters of a register's list (GET)."""

    OVERDUE = queries.OVERDUE

    status = forms.ChoiceField(label=_("Statut"), required=False)
    start = forms.DateField(
        validators=[validate_day], label=_("Reçus depuis le"), required=False, widget=DATE_WIDGET
    )
    end = forms.DateField(
        validators=[validate_day], label=_("Reçus jusqu'au"), required=False, widget=DATE_WIDGET
    )
    q = forms.CharField(label=_("Objet contient"), required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            ("", _("Tous")),
            (self.OVERDUE, _("En retard")),
            *Status.choices,
        ]

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("La fin de la période précède son début."))
        return data
