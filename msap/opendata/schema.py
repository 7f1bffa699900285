"""The Table Schema (https://specs.frictionlessdata.io/table-schema/) of the published list of
houses: the national list's layout (network.sites.COLUMNS), documented column by column.

Served at /donnees/maisons.schema.json; docs/opendata/maisons.schema.json is the same document
(a test keeps them equal)."""

from msap.network.sites import COLUMNS, HOUR_COLUMNS, SITE_FORMATS, SITE_TYPES

HOURS_PATTERN = r"^(\d{2}:\d{2} - \d{2}:\d{2})( / \d{2}:\d{2} - \d{2}:\d{2})*$|^$"
_DAYS = dict(
    zip(HOUR_COLUMNS, ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"], strict=True)
)

_FIELDS = {
    "id_fs": (
        "Identifiant du site",
        "Identifiant national France Services ; « msap-<n> » pour une maison absente de la liste nationale.",
        {"required": True, "unique": True},
    ),
    "insee_dep": (
        "Département",
        "Code INSEE du département (2A, 2B, 971…978).",
        {"required": True, "pattern": r"^(\d{2,3}|2[AB])$"},
    ),
    "lib_fs": ("Nom du site", "", {"required": True, "maxLength": 200}),
    "adresse": ("Adresse", "", {"required": True, "maxLength": 250}),
    "complement_adresse": ("Complément d'adresse", "", {"maxLength": 250}),
    "insee_com": (
        "Commune",
        "Code INSEE de la commune ou de l'arrondissement municipal.",
        {"required": True, "pattern": r"^(\d{5}|2[AB]\d{3})$"},
    ),
    "code_postal": ("Code postal", "", {"pattern": r"^(\d{5})?$"}),
    "lib_com": ("Nom de la commune", "", {}),
    "latitude": (
        "Latitude",
        "WGS 84, degrés décimaux ; vide si inconnue.",
        {"minimum": -90, "maximum": 90},
    ),
    "longitude": (
        "Longitude",
        "WGS 84, degrés décimaux ; vide si inconnue.",
        {"minimum": -180, "maximum": 180},
    ),
    "mail": (
        "Adresse électronique de la maison",
        "Jamais celle d'un agent ni d'un référent partenaire.",
        {},
    ),
    "telephone": (
        "Téléphone de la maison",
        "Jamais celui d'un agent ni d'un référent partenaire.",
        {"maxLength": 30},
    ),
    "prise_rdv": (
        "Prise de rendez-vous en ligne",
        "Oui, Non, ou vide si non renseigné.",
        {"enum": ["Oui", "Non", ""]},
    ),
    "commentaire": (
        "Commentaire",
        "Informations publiques ; pour un site itinérant, ses étapes.",
        {},
    ),
    "type_fs": ("Type de site", "", {"enum": [*SITE_TYPES, ""]}),
    "format_fs": ("Format du site", "", {"enum": [*SITE_FORMATS, ""]}),
    "groupe_fs": ("Groupe France Services", "", {"maxLength": 200}),
    "labellisation_fs": (
        "Labellisation",
        "« Espace labellisé JJ/MM/AAAA » : la date de reconnaissance par le préfet.",
        {"pattern": r"^(Espace labellisé \d{2}/\d{2}/\d{4})?$"},
    ),
}
for _column, _day in _DAYS.items():
    _FIELDS[_column] = (
        f"Horaires du {_day}",
        "Plages « HH:MM - HH:MM » séparées par « / » ; vide = fermé. Les heures sont celles du "
        "fuseau de la maison (outre-mer compris).",
        {"pattern": HOURS_PATTERN},
    )


def table_schema() -> dict:
    fields = []
    for name in COLUMNS:
        title, description, constraints = _FIELDS[name]
        kind = "number" if name in ("latitude", "longitude") else "string"
        field = {"name": name, "title": title, "type": kind}
        if description:
            field["description"] = description
        if constraints:
            field["constraints"] = constraints
        fields.append(field)
    return {
        "$schema": "https://specs.frictionlessdata.io/schemas/table-schema.json",
        "name": "maisons-france-services",
        "title": "Maisons France Services du réseau msap",
        "description": (
            "Les maisons reconnues, une ligne par site, dans la disposition de la liste nationale "
            "des sites France Services (CSV UTF-8, séparateur virgule). Publié en CSV "
            "(/donnees/maisons.csv) et en JSON (/donnees/maisons.json : un tableau d'objets aux "
            "mêmes clés, dans le même ordre, de valeurs texte). Le dimanche n'a pas de colonne."
        ),
        "licenses": [
            {
                "name": "etalab-2.0",
                "title": "Licence Ouverte / Open Licence version 2.0",
                "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence",
            }
        ],
        "fields": fields,
        "primaryKey": "id_fs",
        "missingValues": [""],
    }
