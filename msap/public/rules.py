"""The public site's rules: what the charter promises the public, and the limits of its forms.

The charter's 15 commitments (convention-cadre, annex 4, §4.1) are data here, in the short
public wording shown on every house page (commitment 1: "nous vous informons…").
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Commitment:
    number: str
    text: str


@dataclass(frozen=True)
class CommitmentGroup:
    title: str
    items: tuple[Commitment, ...]


# Annex 4, §4.1: the five service commitments and their fifteen items, in their own words.
CHARTER = (
    CommitmentGroup(
        _("Un accès facilité à la maison et à ses partenaires"),
        (
            Commitment("1", _("Nous vous informons sur les conditions d'accès et d'accueil.")),
            Commitment(
                "2",
                _("Nous vous informons sur vos droits et sur la façon d'accomplir vos démarches."),
            ),
            Commitment(
                "3",
                _(
                    "Nous facilitons la constitution de vos dossiers et les transmettons aux "
                    "organismes compétents."
                ),
            ),
            Commitment(
                "3 bis",
                _(
                    "Nous mettons à votre disposition du matériel pour effectuer certaines "
                    "démarches à distance et en autonomie."
                ),
            ),
            Commitment(
                "4", _("Nous associons les organismes partenaires à l'analyse de votre situation.")
            ),
            Commitment(
                "5",
                _(
                    "Nous préparons la prise en charge de vos demandes par les organismes partenaires."
                ),
            ),
            Commitment(
                "6",
                _(
                    "Nous facilitons l'accomplissement des démarches pour les personnes à "
                    "mobilité réduite."
                ),
            ),
            Commitment("7", _("Nous accueillons de manière adaptée les personnes en difficulté.")),
        ),
    ),
    CommitmentGroup(
        _("Un accueil attentif et courtois"),
        (
            Commitment(
                "8",
                _(
                    "Nous vous accueillons avec courtoisie et vous donnons le nom de votre interlocuteur."
                ),
            ),
            Commitment("9", _("Nous veillons au confort de l'espace d'accueil et d'attente.")),
            Commitment(
                "10",
                _(
                    "Nous vous accueillons en toute confidentialité lorsque votre situation "
                    "personnelle le demande."
                ),
            ),
        ),
    ),
    CommitmentGroup(
        _("Une réponse à vos demandes dans un délai annoncé"),
        (
            Commitment("11", _("Nous répondons à vos courriers dans un délai maximum d'un mois.")),
            Commitment(
                "12", _("Nous répondons à vos courriels dans un délai maximum d'une semaine.")
            ),
            Commitment(
                "13", _("Nous répondons à vos appels téléphoniques en moins de 5 sonneries.")
            ),
        ),
    ),
    CommitmentGroup(
        _("Une réponse systématique à vos réclamations"),
        (
            Commitment(
                "14",
                _(
                    "Nous vous informons sur les moyens de formuler vos réclamations et leur "
                    "apportons une réponse systématique."
                ),
            ),
        ),
    ),
    CommitmentGroup(
        _("À votre écoute pour progresser"),
        (
            Commitment(
                "15",
                _(
                    "Nous mesurons chaque année la satisfaction des usagers et vous informons "
                    "des résultats."
                ),
            ),
        ),
    ),
)

# --- the search ----------------------------------------------------------------------------------
# Longer than any commune name (the longest has 45 characters) or postal code: refused, not cut.
MAX_QUERY_LENGTH = 80
# Communes offered by the type-ahead, houses listed beyond those serving the commune.
SUGGESTIONS = 8
NEAREST = 10

# --- the forms (commitments 11, 12, 14, 15) ------------------------------------------------------
MAX_SUBJECT = 200
MAX_BODY = 5000
MAX_NAME = 200
MAX_ADDRESS = 300
# Abuse resistance without a third-party captcha: per client address, and per house (a flood
# aimed at one house from many addresses), over a sliding hour.
RATE_WINDOW_SECONDS = 3600
RATE_PER_CLIENT = 5
RATE_PER_HOUSE = 60
# The form's token (idempotency and fill time) is valid this long.
FORM_TOKEN_MAX_AGE = 24 * 3600
