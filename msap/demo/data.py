"""The demo network built by `msap demo`: places, gestionnaires, houses, partners and people.

Everything here is fictitious except the geography: communes are real (official INSEE codes,
checked against the loaded data by the command), but the houses, addresses, people, phone
numbers and e-mail addresses are invented. E-mail domains end in `.example` (RFC 2606): a
message sent to a demo referent can never reach a real mailbox. Metropolitan phone numbers use
the blocks ARCEP sets aside for works of fiction (05 36 49, 03 53 48).
"""

from dataclasses import dataclass, field
from datetime import date

# The public demo password; demo accounts open only when settings.DEMO_MODE is true.
DEMO_PASSWORD = "demo-msap"  # noqa: S105 (public by design, see above)
ACCOUNT_DOMAIN = "demo.msap.fr"
ADMIN_EMAIL = f"admin@{ACCOUNT_DOMAIN}"
# Seed of the random choices (names, services, trainings): two runs build the same network.
SEED = 19_272

FIRST_HOUSE = "france-services-tulle"


@dataclass(frozen=True)
class Account:
    email: str
    first_name: str
    last_name: str
    role: str  # a people.models.Role value ("admin" for the technical administrator)
    label: str  # what the account is, in French, for the summary


# The fixed demo accounts (README "Demo"). Scopes: the first house, its gestionnaire, the CAF,
# the first house's département, the whole network.
AGENT = Account(
    f"agent@{ACCOUNT_DOMAIN}", "Léa", "Fabre", "agent", "agent d'accueil — France Services de Tulle"
)
RESPONSABLE = Account(
    f"responsable@{ACCOUNT_DOMAIN}",
    "Nathalie",
    "Chassagne",
    "responsable",
    "responsable — France Services de Tulle",
)
GESTIONNAIRE = Account(
    f"gestionnaire@{ACCOUNT_DOMAIN}",
    "Philippe",
    "Vergne",
    "gestionnaire",
    "gestionnaire — GIP Corrèze Services au public (3 maisons)",
)
REFERENT_CAF = Account(
    f"referent.caf@{ACCOUNT_DOMAIN}",
    "Sophie",
    "Lacombe",
    "referent",
    "référente CAF — maisons où la CAF est partenaire",
)
REFERENT_FT = Account(
    f"referent.francetravail@{ACCOUNT_DOMAIN}",
    "Karim",
    "Mansouri",
    "referent",
    "référent France Travail — maisons où France Travail est partenaire",
)
PREFECTURE = Account(
    f"prefecture@{ACCOUNT_DOMAIN}",
    "Hélène",
    "Roche",
    "departement",
    "cellule départementale — préfecture de la Corrèze",
)
NATIONAL = Account(
    f"national@{ACCOUNT_DOMAIN}", "Julien", "Morel", "national", "cellule nationale d'animation"
)
ACCOUNTS = [AGENT, RESPONSABLE, GESTIONNAIRE, REFERENT_CAF, REFERENT_FT, PREFECTURE, NATIONAL]
ADMIN_ACCOUNT = Account(
    ADMIN_EMAIL,
    "Administrateur",
    "Démo",
    "admin",
    "administrateur technique (administration Django)",
)
# Each referent account's partner; in the first house, it is the person on that partner's card.
REFERENT_ACCOUNTS = {REFERENT_CAF.email: "caf", REFERENT_FT.email: "france-travail"}

# Gestionnaires (art. 1, 3): key -> (name, kind, département). Several kinds on purpose.
ORGANISATIONS = {
    "gip-correze": ("GIP Corrèze Services au public", "gip", "19"),
    "ussel": ("Commune d'Ussel", "commune", "19"),
    "haute-correze": ("Haute-Corrèze Communauté", "epci", "19"),
    "grand-gueret": ("Communauté d'agglomération du Grand Guéret", "epci", "23"),
    "creuse-solidarites": ("Association Creuse Solidarités Services", "association", "23"),
    "la-poste-creuse": ("La Poste — Réseau La Poste de la Creuse", "la_poste", "23"),
    "la-souterraine": ("Commune de La Souterraine", "commune", "23"),
    "sarrebourg": ("Communauté de communes Sarrebourg Moselle Sud", "epci", "57"),
    "pays-de-bitche": ("Communauté de communes du Pays de Bitche", "epci", "57"),
    "saint-benoit": ("Commune de Saint-Benoît", "commune", "974"),
    "port-services": ("Association Le Port Services au public", "association", "974"),
}

# Local operators (annex 2 "opérateurs locaux"), created with create_local_partner:
# key -> (département, full name, short name, kind of offer in LOCAL_OFFERS).
LOCAL_PARTNERS = {
    "ml-19": ("19", "Mission locale de la Corrèze", "Mission locale 19", "ml"),
    "ccas-tulle": ("19", "Centre communal d'action sociale de Tulle", "CCAS de Tulle", "ccas"),
    "adil-19": (
        "19",
        "Agence départementale d'information sur le logement de la Corrèze",
        "ADIL 19",
        "adil",
    ),
    "cd-19": ("19", "Conseil départemental de la Corrèze", "Département de la Corrèze", "cd"),
    "ml-23": ("23", "Mission locale de la Creuse", "Mission locale 23", "ml"),
    "adil-23": (
        "23",
        "Agence départementale d'information sur le logement de la Creuse",
        "ADIL 23",
        "adil",
    ),
    "cd-23": ("23", "Conseil départemental de la Creuse", "Département de la Creuse", "cd"),
    "ml-57": ("57", "Mission locale du Sud mosellan", "Mission locale Sud mosellan", "ml"),
    "adil-57": (
        "57",
        "Agence départementale d'information sur le logement de la Moselle",
        "ADIL 57",
        "adil",
    ),
    "cd-57": ("57", "Département de la Moselle", "Département de la Moselle", "cd"),
    "ml-974": ("974", "Mission locale Est de La Réunion", "Mission locale Est", "ml"),
    "ccas-saint-benoit": (
        "974",
        "Centre communal d'action sociale de Saint-Benoît",
        "CCAS de Saint-Benoît",
        "ccas",
    ),
    "ccas-le-port": ("974", "Centre communal d'action sociale du Port", "CCAS du Port", "ccas"),
}

# Items of annex 1 each partner's offer typically covers in a house (a few B items may be
# left out per house, at random). C.1/C.2 (complex situations) stay for every main operator.
NATIONAL_OFFERS = {
    "france-travail": "A.1 A.2 A.3 A.4 B1.1 B1.2 B1.3 B1.5 B2.1 B2.2 B2.7 B3.1 B3.3 C.1 C.2",
    "caf": "A.1 A.2 A.3 A.4 B1.1 B1.2 B1.3 B1.4 B1.5 B2.1 B2.2 B2.3 B2.7 B3.1 B3.2 B3.3 C.1 C.2",
    "cpam": "A.1 A.2 A.4 B1.1 B1.2 B1.3 B1.5 B2.1 B2.2 B2.3 B2.6 B3.1 B3.2 C.1 C.2",
    "carsat": "A.1 A.2 A.3 B1.1 B1.2 B1.3 B1.4 B1.5 B2.1 B2.2 B2.4 B3.1 B3.2 C.1 C.2",
    "msa": "A.1 A.2 A.3 B1.1 B1.2 B1.3 B1.5 B2.1 B2.2 B2.3 B3.1 B3.3 C.1 C.2",
    "grdf": "A.1 A.2 A.3 B1.1 B2.1 B3.1",
    "la-poste": "A.1 A.2 A.5 B1.6 B1.7 B2.6 B2.7 B3.1",
}
LOCAL_OFFERS = {
    "ml": "A.1 A.2 A.3 B2.2 B3.2 C.1 C.2",
    "ccas": "A.1 A.3 B2.1 B2.2 B3.2 C.1 C.2",
    "adil": "A.1 A.2 B2.1 B3.1 B3.2",
    "cd": "A.1 A.2 A.3 B2.1 B2.2 B3.2 C.1 C.2",
}

# Referent cards (annex 2): functions as (masculine, feminine), domains of competence, and a
# fictitious mail domain.
REFERENT_PROFILES = {
    "france-travail": (
        (
            ("Conseiller référent partenariats", "Conseillère référente partenariats"),
            ("Responsable d'équipe", "Responsable d'équipe"),
        ),
        "Inscription, indemnisation, accompagnement vers l'emploi",
        "francetravail-demo.example",
    ),
    "caf": (
        (
            ("Conseiller référent France Services", "Conseillère référente France Services"),
            ("Responsable de l'accueil", "Responsable de l'accueil"),
        ),
        "Prestations familiales, aides au logement, RSA, prime d'activité",
        "caf-demo.example",
    ),
    "cpam": (
        (
            ("Conseiller référent partenariats", "Conseillère référente partenariats"),
            ("Manager de l'accueil", "Manager de l'accueil"),
        ),
        "Droits santé, complémentaire santé solidaire, indemnités journalières, carte Vitale",
        "cpam-demo.example",
    ),
    "carsat": (
        (
            ("Conseiller retraite référent", "Conseillère retraite référente"),
            ("Assistant de service social", "Assistante de service social"),
        ),
        "Retraite du régime général, action sociale retraite",
        "carsat-demo.example",
    ),
    "msa": (
        (
            ("Conseiller référent", "Conseillère référente"),
            ("Travailleur social", "Travailleuse sociale"),
        ),
        "Protection sociale agricole : santé, famille, retraite",
        "msa-demo.example",
    ),
    "grdf": (
        (
            ("Chargé de relations collectivités", "Chargée de relations collectivités"),
            ("Interlocuteur territorial", "Interlocutrice territoriale"),
        ),
        "Raccordement au réseau, compteur, sécurité gaz",
        "grdf-demo.example",
    ),
    "la-poste": (
        (
            ("Directeur de secteur", "Directrice de secteur"),
            ("Responsable de site", "Responsable de site"),
        ),
        "Services postaux et bancaires, identité numérique",
        "laposte-demo.example",
    ),
    "ml": (
        (
            ("Conseiller en insertion", "Conseillère en insertion"),
            ("Chargé de projets", "Chargée de projets"),
        ),
        "Insertion professionnelle et sociale des 16–25 ans",
        "mission-locale-demo.example",
    ),
    "ccas": (
        (
            ("Travailleur social", "Travailleuse sociale"),
            ("Responsable du CCAS", "Responsable du CCAS"),
        ),
        "Aide sociale facultative, domiciliation, secours d'urgence",
        "ccas-demo.example",
    ),
    "adil": (
        (("Juriste", "Juriste"), ("Conseiller logement", "Conseillère logement")),
        "Droit du logement, rapports locatifs, aides à la rénovation",
        "adil-demo.example",
    ),
    "cd": (
        (
            ("Travailleur social référent", "Travailleuse sociale référente"),
            ("Chargé de mission", "Chargée de mission"),
        ),
        "RSA, APA, prestation de compensation du handicap, aide sociale à l'enfance",
        "departement-demo.example",
    ),
}
# How an immersion's title names the partner ("Immersion dans les services de la CAF").
IMMERSION_PLACES = {
    "france-travail": "dans une agence France Travail",
    "grdf": "dans les services de GrDF",
    "la-poste": "dans un bureau de La Poste",
}
# In La Réunion, the CGSS does what the CPAM and the CARSAT do in metropolitan France.
REFERENT_BODY_OVERSEAS = {
    "cpam": "CGSS de La Réunion, assurance maladie",
    "carsat": "CGSS de La Réunion, retraite",
}

RECEPTION_COURSE = "Accueillir les publics en difficulté (illettrisme, handicap, non-francophones)"

# Fictitious phone blocks by département (see the module docstring).
PHONE_BLOCKS = {"19": "05 36 49", "23": "05 36 49", "57": "03 53 48", "974": "02 62 00"}

# Names, by area, to draw staff and referents from.
FIRST_NAMES = {
    "female": [
        "Camille",
        "Julie",
        "Émilie",
        "Sandrine",
        "Isabelle",
        "Marion",
        "Aurélie",
        "Céline",
        "Laetitia",
        "Sylvie",
        "Pauline",
        "Manon",
        "Élodie",
        "Virginie",
        "Chantal",
        "Anaïs",
    ],
    "male": [
        "Thomas",
        "Nicolas",
        "Sébastien",
        "Olivier",
        "Laurent",
        "Mathieu",
        "Jérôme",
        "Pierre",
        "Cédric",
        "Romain",
        "Franck",
        "Damien",
        "Arnaud",
        "Benoît",
        "Guillaume",
        "Yannick",
    ],
}
FIRST_NAMES_REUNION = {
    "female": [
        "Marie-Annick",
        "Priscilla",
        "Jessica",
        "Marie-Josée",
        "Sabrina",
        "Nadia",
        "Stéphanie",
        "Marie-Claude",
        "Vanessa",
        "Mélissa",
        "Josiane",
        "Karine",
    ],
    "male": [
        "Jean-Hugues",
        "Johnny",
        "Jean-Claude",
        "Didier",
        "Patrice",
        "Jean-Marc",
        "Ludovic",
        "Jean-Yves",
        "Fabrice",
        "Teddy",
        "Christophe",
        "Gilles",
    ],
}
LAST_NAMES = {
    "19": [
        "Lacombe",
        "Faucher",
        "Chabrat",
        "Bordas",
        "Mazeau",
        "Peyrat",
        "Breuil",
        "Delpy",
        "Vialle",
        "Chastang",
        "Soulier",
        "Lapeyre",
        "Monteil",
        "Couderc",
        "Bouysse",
        "Estrade",
    ],
    "23": [
        "Aupetit",
        "Dufour",
        "Jouhannaud",
        "Lagrange",
        "Parrain",
        "Bonnaud",
        "Lebraud",
        "Mazière",
        "Chaussade",
        "Thuillat",
        "Guillon",
        "Desmoulins",
        "Nouhaud",
        "Pradeau",
    ],
    "57": [
        "Muller",
        "Schmitt",
        "Klein",
        "Weber",
        "Becker",
        "Hoffmann",
        "Wagner",
        "Schneider",
        "Kieffer",
        "Haag",
        "Lang",
        "Bour",
        "Stoltz",
        "Fuchs",
    ],
    "974": [
        "Payet",
        "Hoarau",
        "Grondin",
        "Fontaine",
        "Rivière",
        "Técher",
        "Boyer",
        "Lebon",
        "Nativel",
        "Maillot",
        "Robert",
        "Huet",
        "Dijoux",
        "Lauret",
    ],
}

# Weekly schedules, as (weekday, start, end); 0 = Monday. Each meets art. 3.2 (24 h over 3 days).
WEEKDAYS_FULL = (
    (0, "08:30", "12:30"),
    (0, "13:30", "17:00"),
    (1, "08:30", "12:30"),
    (1, "13:30", "17:00"),
    (2, "08:30", "12:30"),
    (2, "13:30", "17:00"),
    (3, "08:30", "12:30"),
    (3, "13:30", "17:00"),
    (4, "08:30", "12:30"),
    (4, "13:30", "16:30"),
    (5, "09:00", "12:00"),
)
WEEKDAYS_STANDARD = tuple(
    (d, s, e) for d in range(5) for s, e in (("09:00", "12:00"), ("14:00", "17:00"))
)
TUESDAY_TO_SATURDAY = (
    (1, "09:00", "12:30"),
    (1, "13:30", "17:30"),
    (2, "09:00", "12:30"),
    (2, "13:30", "17:30"),
    (3, "09:00", "12:30"),
    (4, "09:00", "12:30"),
    (4, "13:30", "17:30"),
    (5, "09:00", "12:00"),
)
REUNION_HOURS = tuple(
    (d, s, e) for d in range(5) for s, e in (("07:30", "12:00"), ("13:00", "15:30"))
)


@dataclass(frozen=True)
class Stop:
    place: str
    commune: str  # INSEE code
    weekday: int
    start: str
    end: str


@dataclass(frozen=True)
class HouseData:
    slug: str
    name: str
    organisation: str  # key of ORGANISATIONS
    commune: str  # INSEE code
    postal_code: str
    address: str
    latitude: str
    longitude: str
    served: tuple[str, ...]  # INSEE codes of the communes served (the house's own first)
    partners: tuple[str, ...]  # national operator codes
    local_partners: tuple[str, ...]  # keys of LOCAL_PARTNERS
    schedule: tuple
    staff: int  # 2 to 4, one of them the responsable
    staff_since: date
    recognised_on: date | None = None  # None: still in project
    kind: str = "fixed"
    address_extra: str = ""
    stops: tuple[Stop, ...] = ()
    equipment: tuple = (
        ("multimedia", "Postes en libre accès", 3),
        ("printer", "", 1),
        ("scanner", "", 1),
    )
    premises: dict = field(default_factory=dict)  # overrides of COMPLETE_PREMISES
    previous_schedule: tuple = ()  # when set: the hours were changed once (HoursChange)
    christmas_closure: bool = False
    team_training_closure: bool = False  # a one-day closure in a few weeks
    no_referent: tuple[str, ...] = ()  # partners left without a referent (the flag shows)
    replaced_referent: tuple[str, ...] = ()  # partners whose referent changed last year


# Premises meeting art. 3.3 and annex 3 §1.3.
COMPLETE_PREMISES = {
    "has_reception_point": True,
    "has_seated_waiting_area": True,
    "has_confidential_space": True,
    "reduced_mobility_access": "Accueil de plain-pied, porte automatique, place de stationnement réservée devant l'entrée.",
    "has_internet": True,
    "internet_high_speed": True,
    "has_meeting_room": True,
    "has_public_toilets": True,
    "permanence_office": True,
    "permanence_office_phone": True,
    "permanence_office_cabinet": True,
    "permanence_office_internet": True,
    "permanence_office_computer": True,
}

HOUSES = [
    # --- Corrèze (19) -----------------------------------------------------------------------
    HouseData(
        slug=FIRST_HOUSE,
        name="France Services de Tulle",
        organisation="gip-correze",
        commune="19272",
        postal_code="19000",
        address="7 quai de la Solane",
        address_extra="Rez-de-chaussée",
        latitude="45.266410",
        longitude="1.771250",
        served=("19272", "19146", "19101", "19038", "19227", "19255"),
        partners=("france-travail", "caf", "cpam", "carsat", "msa", "la-poste"),
        local_partners=("ccas-tulle", "ml-19"),
        schedule=WEEKDAYS_FULL,
        staff=3,
        staff_since=date(2018, 9, 3),
        recognised_on=date(2016, 5, 18),
        christmas_closure=True,
        replaced_referent=("cpam",),
        equipment=(
            ("multimedia", "Postes en libre accès", 4),
            ("printer", "Imprimante couleur", 1),
            ("scanner", "", 1),
            ("visio", "Salle de visio-rendez-vous", 1),
            ("webcam", "", 2),
            ("photocopier", "", 1),
        ),
    ),
    HouseData(
        slug="france-services-ussel",
        name="France Services d'Ussel",
        organisation="ussel",
        commune="19275",
        postal_code="19200",
        address="12 rue des Écoles",
        latitude="45.547830",
        longitude="2.309560",
        served=("19275", "19201", "19135", "19180"),
        partners=("france-travail", "caf", "cpam", "carsat", "msa"),
        local_partners=("cd-19",),
        previous_schedule=WEEKDAYS_STANDARD,
        schedule=(
            *[r for r in WEEKDAYS_STANDARD if not (r[0] == 4 and r[1] == "14:00")],
            (5, "09:00", "12:00"),
        ),
        staff=3,
        staff_since=date(2017, 9, 4),
        recognised_on=date(2017, 9, 12),
        equipment=(
            ("multimedia", "Postes en libre accès", 3),
            ("printer", "", 1),
            ("scanner", "", 1),
            ("tablet", "Tablettes pour les ateliers numériques", 4),
        ),
    ),
    HouseData(
        slug="france-services-egletons",
        name="France Services d'Égletons",
        organisation="gip-correze",
        commune="19073",
        postal_code="19300",
        address="4 avenue du Général-Leclerc",
        latitude="45.405880",
        longitude="2.047620",
        served=("19073", "19176", "19145"),
        partners=("caf", "cpam", "carsat", "msa", "grdf"),
        local_partners=("adil-19",),
        schedule=WEEKDAYS_STANDARD,
        staff=2,
        staff_since=date(2019, 10, 7),
        recognised_on=date(2019, 11, 4),
    ),
    HouseData(
        slug="france-services-meymac",
        name="France Services de Meymac",
        organisation="gip-correze",
        commune="19136",
        postal_code="19250",
        address="2 place du Bûcher",
        latitude="45.535190",
        longitude="2.145730",
        served=("19136", "19071"),
        partners=("france-travail", "caf", "msa", "la-poste"),
        local_partners=("ml-19",),
        schedule=(
            (0, "13:30", "17:00"),
            *[(d, s, e) for d in range(1, 5) for s, e in (("09:00", "12:00"), ("13:30", "17:00"))],
        ),
        staff=2,
        staff_since=date(2020, 11, 2),
        recognised_on=date(2021, 2, 1),
        equipment=(
            ("multimedia", "Postes en libre accès", 2),
            ("printer", "Imprimante multifonction", 1),
            ("webcam", "", 1),
        ),
    ),
    HouseData(
        slug="france-services-itinerante-haute-correze",
        name="France Services itinérante de Haute-Corrèze",
        organisation="haute-correze",
        kind="mobile",
        commune="19275",
        postal_code="19200",
        address="Pôle intercommunal, 9 boulevard des Tilleuls",
        address_extra="Base du véhicule itinérant",
        latitude="45.551020",
        longitude="2.301870",
        served=("19275", "19261", "19080", "19148", "19113"),
        partners=("france-travail", "caf", "cpam", "carsat", "msa"),
        local_partners=("cd-19",),
        stops=(
            Stop("Place de la Mairie", "19261", 0, "08:45", "17:45"),
            Stop("Parking de la salle polyvalente", "19080", 2, "08:45", "17:45"),
            Stop("Place de la Halle", "19148", 3, "08:45", "17:45"),
        ),
        schedule=tuple(
            (d, s, e) for d in (0, 2, 3) for s, e in (("08:45", "12:30"), ("13:30", "17:45"))
        ),
        staff=2,
        staff_since=date(2020, 3, 2),
        recognised_on=date(2020, 6, 15),
        equipment=(
            ("laptop", "Ordinateurs portables pour le public", 2),
            ("tablet", "", 2),
            ("printer", "Imprimante portable", 1),
            ("scanner", "Scanner portable", 1),
            ("webcam", "Kit de visio-rendez-vous", 1),
            ("other", "Routeur 4G", 1),
        ),
        premises={
            "reduced_mobility_access": "Véhicule équipé d'une plateforme élévatrice ; à défaut, accueil "
            "dans la salle communale de plain-pied de chaque étape.",
            "has_meeting_room": False,
            "has_public_toilets": False,
            "permanence_office_phone": False,
            "permanence_office_cabinet": False,
            "notes": "Bureau confidentiel cloisonné à l'arrière du véhicule.",
        },
    ),
    # --- Creuse (23) ------------------------------------------------------------------------
    HouseData(
        slug="france-services-gueret",
        name="France Services de Guéret",
        organisation="grand-gueret",
        commune="23096",
        postal_code="23000",
        address="21 avenue de la Sénatorerie",
        latitude="46.170950",
        longitude="1.869850",
        served=("23096", "23193", "23206", "23170"),
        partners=("france-travail", "caf", "cpam", "carsat", "msa", "grdf", "la-poste"),
        local_partners=("ml-23", "cd-23"),
        schedule=WEEKDAYS_FULL,
        staff=4,
        staff_since=date(2015, 11, 2),
        recognised_on=date(2015, 12, 1),
        team_training_closure=True,
        equipment=(
            ("multimedia", "Postes en libre accès", 5),
            ("printer", "", 2),
            ("scanner", "", 1),
            ("visio", "", 1),
            ("photocopier", "", 1),
        ),
    ),
    HouseData(
        slug="france-services-aubusson",
        name="France Services d'Aubusson",
        organisation="creuse-solidarites",
        commune="23008",
        postal_code="23200",
        address="5 rue Vieille",
        address_extra="1er étage, ascenseur",
        latitude="45.956700",
        longitude="2.167520",
        served=("23008", "23079", "23024", "23228"),
        partners=("caf", "cpam", "carsat", "msa"),
        local_partners=("adil-23",),
        schedule=TUESDAY_TO_SATURDAY,
        staff=3,
        staff_since=date(2018, 3, 5),
        recognised_on=date(2018, 4, 9),
        christmas_closure=True,
        premises={
            "reduced_mobility_access": "Accès par l'ascenseur de la cour intérieure ; sonnette d'appel au rez-de-chaussée."
        },
    ),
    HouseData(
        slug="france-services-bourganeuf",
        name="France Services de Bourganeuf",
        organisation="la-poste-creuse",
        commune="23030",
        postal_code="23400",
        address="Bureau de poste, 3 place du Champ-de-Foire",
        latitude="45.952810",
        longitude="1.756140",
        served=("23030", "23078", "23122"),
        partners=("la-poste", "caf", "cpam", "grdf"),
        local_partners=("cd-23",),
        schedule=WEEKDAYS_STANDARD,
        staff=2,
        staff_since=date(2019, 12, 2),
        recognised_on=date(2020, 1, 1),
        no_referent=("grdf",),
        equipment=(
            ("kiosk", "Borne multiservice", 1),
            ("multimedia", "", 1),
            ("printer", "", 1),
            ("scanner", "", 1),
        ),
    ),
    HouseData(
        slug="france-services-la-souterraine",
        name="France Services de La Souterraine",
        organisation="la-souterraine",
        commune="23176",
        postal_code="23300",
        address="10 rue de la Gare",
        latitude="46.236480",
        longitude="1.488120",
        served=("23176", "23177", "23219"),
        partners=("france-travail", "caf", "cpam", "carsat"),
        local_partners=("ml-23",),
        schedule=WEEKDAYS_STANDARD,
        staff=2,
        staff_since=date(2025, 9, 1),
    ),
    # --- Moselle (57): Alsace-Moselle public holidays (Good Friday, 26 December) -------------
    HouseData(
        slug="france-services-sarrebourg",
        name="France Services de Sarrebourg",
        organisation="sarrebourg",
        commune="57630",
        postal_code="57400",
        address="6 rue de la Division-Leclerc",
        latitude="48.734420",
        longitude="7.053880",
        served=("57630", "57119", "57344", "57321"),
        partners=("france-travail", "caf", "cpam", "carsat", "msa", "la-poste"),
        local_partners=("ml-57", "cd-57"),
        schedule=WEEKDAYS_FULL,
        staff=3,
        staff_since=date(2017, 5, 2),
        recognised_on=date(2017, 6, 20),
    ),
    HouseData(
        slug="msap-pays-de-bitche",
        name="Maison de services au public du Pays de Bitche",
        organisation="pays-de-bitche",
        commune="57089",
        postal_code="57230",
        address="15 rue du Colonel-Teyssier",
        latitude="49.052140",
        longitude="7.428610",
        served=("57089", "57639", "57577", "57589"),
        partners=("caf", "cpam", "carsat", "msa", "grdf"),
        local_partners=("adil-57",),
        schedule=TUESDAY_TO_SATURDAY,
        staff=2,
        staff_since=date(2019, 2, 4),
        recognised_on=date(2019, 3, 11),
        # Art. 3.3: no confidential space yet (works planned) — the house is flagged.
        premises={
            "has_confidential_space": False,
            "notes": "Aménagement d'un bureau confidentiel prévu lors des travaux de l'an prochain.",
        },
    ),
    # --- La Réunion (974): overseas, time zone Indian/Reunion, own public holidays ----------
    HouseData(
        slug="france-services-saint-benoit",
        name="France Services de Saint-Benoît",
        organisation="saint-benoit",
        commune="97410",
        postal_code="97470",
        address="18 rue Georges-Pompidou",
        latitude="-21.033650",
        longitude="55.712380",
        served=("97410", "97402", "97419", "97406"),
        partners=("france-travail", "caf", "cpam", "carsat", "la-poste"),
        local_partners=("ml-974", "ccas-saint-benoit"),
        schedule=REUNION_HOURS,
        staff=3,
        staff_since=date(2020, 9, 1),
        recognised_on=date(2020, 10, 5),
        christmas_closure=True,
    ),
    HouseData(
        slug="france-services-le-port",
        name="France Services du Port",
        organisation="port-services",
        commune="97407",
        postal_code="97420",
        address="24 rue Évariste-de-Parny",
        latitude="-20.937220",
        longitude="55.292640",
        served=("97407", "97408"),
        partners=("france-travail", "caf", "cpam", "la-poste"),
        local_partners=("ccas-le-port",),
        schedule=REUNION_HOURS,
        staff=2,
        staff_since=date(2022, 6, 1),
        recognised_on=date(2022, 9, 1),
    ),
]

HOUSE_SLUGS = [h.slug for h in HOUSES]
