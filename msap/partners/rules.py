"""Rules about partners and referents (art. 4, 7, 9; annexes 1 and 2)."""

from django.utils.translation import gettext_noop

# National operators of the network named by annex 2 of the convention: seeded as data.
NATIONAL_OPERATORS = [
    # (code, short name, full name, website)
    (
        "france-travail",
        "France Travail",
        "France Travail (ex-Pôle emploi)",
        "https://www.francetravail.fr",
    ),
    ("caf", "CAF", "Caisse d'allocations familiales", "https://www.caf.fr"),
    ("cpam", "CPAM", "Caisse primaire d'assurance maladie", "https://www.ameli.fr"),
    (
        "carsat",
        "CARSAT",
        "Caisse d'assurance retraite et de la santé au travail",
        "https://www.carsat.fr",
    ),
    ("msa", "MSA", "Mutualité sociale agricole", "https://www.msa.fr"),
    ("grdf", "GrDF", "Gaz réseau distribution France", "https://www.grdf.fr"),
    ("la-poste", "La Poste", "La Poste", "https://www.laposte.fr"),
    # Joined the network when it became France Services; they carry a large share of requests.
    ("dgfip", "DGFiP", "Direction générale des Finances publiques", "https://www.impots.gouv.fr"),
    (
        "ants",
        "ANTS",
        "Agence nationale des titres sécurisés (ministère de l'Intérieur)",
        "https://ants.gouv.fr",
    ),
    ("justice", "Justice", "Ministère de la Justice", "https://www.justice.fr"),
]

# Annex 1: the reference offer of services. (category code, label, [(item code, label)]). The
# labels are stored in French and read through `.title` in the reader's language.
SERVICE_OFFER = [
    (
        "A",
        gettext_noop("Accueil, information et orientation"),
        [
            ("A.1", gettext_noop("Information générale ou personnalisée de premier niveau")),
            ("A.2", gettext_noop("Mise à disposition de la documentation du partenaire")),
            ("A.3", gettext_noop("Orientation vers l'agence partenaire la plus proche")),
            (
                "A.4",
                gettext_noop("Accès au site du partenaire depuis les postes en libre consultation"),
            ),
            ("A.5", gettext_noop("Relais des grands événements du partenaire")),
        ],
    ),
    (
        "B1",
        gettext_noop("Facilitation numérique"),
        [
            ("B1.1", gettext_noop("Aide à la navigation sur le site (recherche d'informations)")),
            (
                "B1.2",
                gettext_noop(
                    "Aide pour trouver les informations du dossier personnel (situation, paiements, attestations)"
                ),
            ),
            ("B1.3", gettext_noop("Aide à la réalisation de télé-procédures")),
            ("B1.4", gettext_noop("Aide à la réalisation de simulations")),
            (
                "B1.5",
                gettext_noop("Aide à la création d'un compte personnel sur l'espace partenaire"),
            ),
            ("B1.6", gettext_noop("Aide à l'utilisation des équipements numériques de la maison")),
            ("B1.7", gettext_noop("Aide à la création d'un compte de messagerie")),
        ],
    ),
    (
        "B2",
        gettext_noop("Facilitation administrative"),
        [
            ("B2.1", gettext_noop("Aide à la compréhension des informations adressées à l'usager")),
            ("B2.2", gettext_noop("Aide à la constitution de dossier")),
            ("B2.3", gettext_noop("Vérification de la recevabilité des dossiers")),
            (
                "B2.4",
                gettext_noop(
                    "Information sur le retrait ou le dépôt de dossier auprès du partenaire"
                ),
            ),
            ("B2.5", gettext_noop("Mise en relation avec l'interlocuteur partenaire approprié")),
            ("B2.6", gettext_noop("Édition, retrait et dépôt de document")),
            ("B2.7", gettext_noop("Numérisation et impression de document")),
        ],
    ),
    (
        "B3",
        gettext_noop("Mise en relation"),
        [
            ("B3.1", gettext_noop("Aide à la prise de rendez-vous téléphonique")),
            (
                "B3.2",
                gettext_noop(
                    "Aide à la prise de rendez-vous physique avec un conseiller partenaire"
                ),
            ),
            ("B3.3", gettext_noop("Rendez-vous à distance par visioconférence dans la maison")),
        ],
    ),
    (
        "C",
        gettext_noop("Accompagner pour résoudre ou anticiper des difficultés"),
        [
            ("C.1", gettext_noop("Identification de la complexité d'une situation individuelle")),
            (
                "C.2",
                gettext_noop(
                    "Porter à connaissance du référent partenaire une situation complexe et convenir des démarches"
                ),
            ),
        ],
    ),
]
