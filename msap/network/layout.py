"""The columns of the national list of France Services sites (open data), in their order.

A module of its own, with no Django import, so that bench/sites.py (the generator of national
files) shares it without setting Django up."""

COLUMNS = [
    "id_fs",
    "insee_dep",
    "lib_fs",
    "adresse",
    "complement_adresse",
    "insee_com",
    "code_postal",
    "lib_com",
    "latitude",
    "longitude",
    "mail",
    "telephone",
    "h_lundi",
    "h_mardi",
    "h_mercredi",
    "h_jeudi",
    "h_vendredi",
    "h_samedi",
    "prise_rdv",
    "commentaire",
    "type_fs",
    "format_fs",
    "groupe_fs",
    "labellisation_fs",
]
# The list's days: Monday to Saturday (a Sunday opening has no column and is not published).
HOUR_COLUMNS = COLUMNS[12:18]
