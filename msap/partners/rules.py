"""Rules about partners and referents (art. 4, 7, 9; annexes 1 and 2)."""

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

# Annex 1: the reference offer of services. (category code, label, [(item code, label)]).
SERVICE_OFFER = [
    (
        "A",
        "Accueil, information et orientation",
        [
            ("A.1", "Information générale ou personnalisée de premier niveau"),
            ("A.2", "Mise à disposition de la documentation du partenaire"),
            ("A.3", "Orientation vers l'agence partenaire la plus proche"),
            ("A.4", "Accès au site du partenaire depuis les postes en libre consultation"),
            ("A.5", "Relais des grands événements du partenaire"),
        ],
    ),
    (
        "B1",
        "Facilitation numérique",
        [
            ("B1.1", "Aide à la navigation sur le site (recherche d'informations)"),
            (
                "B1.2",
                "Aide pour trouver les informations du dossier personnel (situation, paiements, attestations)",
            ),
            ("B1.3", "Aide à la réalisation de télé-procédures"),
            ("B1.4", "Aide à la réalisation de simulations"),
            ("B1.5", "Aide à la création d'un compte personnel sur l'espace partenaire"),
            ("B1.6", "Aide à l'utilisation des équipements numériques de la maison"),
            ("B1.7", "Aide à la création d'un compte de messagerie"),
        ],
    ),
    (
        "B2",
        "Facilitation administrative",
        [
            ("B2.1", "Aide à la compréhension des informations adressées à l'usager"),
            ("B2.2", "Aide à la constitution de dossier"),
            ("B2.3", "Vérification de la recevabilité des dossiers"),
            ("B2.4", "Information sur le retrait ou le dépôt de dossier auprès du partenaire"),
            ("B2.5", "Mise en relation avec l'interlocuteur partenaire approprié"),
            ("B2.6", "Édition, retrait et dépôt de document"),
            ("B2.7", "Numérisation et impression de document"),
        ],
    ),
    (
        "B3",
        "Mise en relation",
        [
            ("B3.1", "Aide à la prise de rendez-vous téléphonique"),
            ("B3.2", "Aide à la prise de rendez-vous physique avec un conseiller partenaire"),
            ("B3.3", "Rendez-vous à distance par visioconférence dans la maison"),
        ],
    ),
    (
        "C",
        "Accompagner pour résoudre ou anticiper des difficultés",
        [
            ("C.1", "Identification de la complexité d'une situation individuelle"),
            (
                "C.2",
                "Porter à connaissance du référent partenaire une situation complexe et convenir des démarches",
            ),
        ],
    ),
]
