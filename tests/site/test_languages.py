"""Issue 15, "done when": every page template read in English holds no French word, and read in
French no English word nor raw code — outside a short list of kept terms and the names people
typed (shown with lang="fr", which this walk skips, as it skips <code>).

One GET per page through Django's test client (the pages of tests/browser/test_every_page.py,
plus the permission refusal), in English then in French: seconds, not a browser.
"""

import re
from html.parser import HTMLParser

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile

from msap.lib.dates import FRENCH_MONTHS, FRENCH_WEEKDAYS
from msap.partners.models import Partner
from msap.people.models import User
from msap.territory.models import Commune, Departement
from tests.browser.test_every_page import build_network_world

# French words an English page keeps, on purpose: the network's own names and the legal terms of
# the seed that have no English equivalent a user of msap would recognise.
KEPT_TERMS = {
    "usager",
    "usagers",
    "référent",
    "référents",
    "France Services",
    "comité de pilotage",
    "convention",
    "msap",
    "commune",
    "communes",
    "Français",  # the language switch names each language in itself
    "DSFR",
}
# Names the pages show that are not user-typed content (the République's block of the header).
PROPER_NAMES = {"République", "Française", "Liberté", "Égalité", "Fraternité"}
# The public site's proper names: the institution a refused accessibility complaint goes to (and
# its free-post address), and the commune the search's hint gives as an example.
PROPER_NAMES |= {"Défenseur des droits", "Libre réponse", "Saint-Étienne"}

# Words that are French and never English (accents are caught on their own).
FRENCH_WORDS = {
    "le",
    "la",
    "les",
    "des",
    "du",
    "une",
    "aux",
    "au",
    "et",
    "est",
    "sont",
    "pour",
    "avec",
    "dans",
    "sur",
    "par",
    "aucun",
    "aucune",
    "ou",
    "où",
    "ce",
    "cette",
    "ces",
    "qui",
    "que",
    "mais",
    "pas",
    "plus",
    "nous",
    "vous",
    "votre",
    "vos",
    "leur",
    "leurs",
    "mois",
    "jour",
    "jours",
    "semaine",
    "année",
    "heure",
    "heures",
    "demande",
    "demandes",
    "maison",
    "maisons",
    "modifier",
    "enregistrer",
    "supprimer",
    "ajouter",
    "retour",
    "accueil",
    "historique",
    "équipe",
    "locaux",
    "horaires",
    "fermeture",
    "fermetures",
    "partenaire",
    "partenaires",
    "courrier",
    "registre",
    "registres",
    "dossier",
    "dossiers",
    "suivi",
    "suivis",
    "rechercher",
    "connexion",
    "déconnecter",
    "envoyer",
    "annuler",
    "valider",
    "afficher",
    "voir",
    "tous",
    "toutes",
    "nom",
    "prénom",
    "adresse",
    "commune",
    "communes",
    "département",
    "oui",
    "non",
    *FRENCH_WEEKDAYS,
    *FRENCH_MONTHS,
    "Mo",
    "Ko",
    "octets",
}
ACCENTED = re.compile(r"[àâäçéèêëîïôöùûüÿœæÀÂÇÉÈÊËÎÏÔÖÙÛÜŒ]")
# English words a French page must not show, and raw codes (a status, a field list).
ENGLISH_WORDS = {
    "the",
    "and",
    "with",
    "from",
    "your",
    "you",
    "this",
    "that",
    "these",
    "those",
    "edit",
    "delete",
    "save",
    "cancel",
    "search",
    "home",
    "history",
    "staff",
    "premises",
    "hours",
    "closures",
    "partners",
    "request",
    "requests",
    "file",
    "files",
    "none",
    "yes",
    "no",
    "status",
    "fields",
    "received",
    "answered",
    "closed",
    "open",
    "new",
}
RAW_CODE = re.compile(r"\b[a-z]+_[a-z_]+\b|\['[a-z_]+'")
# Words shared by both languages (a French page may say "Date", "Action", "Total").
SHARED = {"date", "action", "actions", "total", "type", "format", "minimum", "document"}


class _Text(HTMLParser):
    """The text a reader sees (and the labels assistive technology reads), minus what is
    skipped: scripts, styles, <code>, and any element with lang="fr" (content people typed)."""

    # <title> mixes the page's words with a house's name and cannot mark a part of itself; a
    # <textarea> holds what people typed, not the interface.
    SKIPPED = {"script", "style", "code", "svg", "title", "textarea"}
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}

    def __init__(self, language: str):
        super().__init__(convert_charrefs=True)
        self.language = language
        self.stack: list[bool] = []  # True where the element is skipped
        self.chunks: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        skipped = (
            (self.stack and self.stack[-1])
            or tag in self.SKIPPED
            or (tag != "html" and attrs.get("lang", self.language) != self.language)
        )
        if not skipped:
            for name in ("aria-label", "title", "placeholder", "alt"):
                if attrs.get(name):
                    self.chunks.append(attrs[name])
        if tag not in self.VOID:
            self.stack.append(bool(skipped))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not (self.stack and self.stack[-1]) and data.strip():
            self.chunks.append(data)


def visible_text(html: str, language: str) -> str:
    parser = _Text(language)
    parser.feed(html)
    return "\n".join(parser.chunks)


def _without(text: str, terms) -> str:
    for term in sorted(terms, key=len, reverse=True):
        text = re.sub(rf"(?<!\w){re.escape(term)}(?!\w)", " ", text, flags=re.IGNORECASE)
    return text


def proper_names() -> set[str]:
    """The names of the people (random French names) and places of the test data, and the
    national partners' names (French bodies: "La Poste", "Mutualité sociale agricole")."""
    names = set()
    for first, last in User.objects.values_list("first_name", "last_name"):
        names |= {first, last}
    names |= set(Departement.objects.values_list("name", flat=True))
    for short_name, name in Partner.objects.values_list("short_name", "name"):
        names |= {short_name, name}
    names |= set(Commune.objects.filter(houses__isnull=False).values_list("name", flat=True))
    return {n for n in names if n}


EMAIL_OR_URL = re.compile(r"\S+@\S+|https?://\S+")


def french_words(text: str, names=()) -> set[str]:
    text = _without(EMAIL_OR_URL.sub(" ", text), KEPT_TERMS | PROPER_NAMES | set(names))
    found = set()
    for word in re.findall(r"[\w'’-]+", text):
        bare = word.strip("'’-")
        if ACCENTED.search(bare) or bare.lower() in FRENCH_WORDS:
            found.add(bare)
    return found


def english_words(text: str) -> set[str]:
    text = EMAIL_OR_URL.sub(" ", text)
    words = {w for w in re.findall(r"[^\W\d_]+", text) if w.lower() in ENGLISH_WORDS}
    return {w for w in words if w.lower() not in SHARED} | set(RAW_CODE.findall(text))


def test_the_detectors_find_what_they_are_for():
    """The walk below could not fail if its detectors saw nothing."""
    html = (
        '<html lang="en"><p>Requests of the day</p><p>Aucune demande</p>'
        '<p lang="fr">Maison de Tulle</p><code>date;categorie</code>'
        '<p aria-label="Fermer la fenêtre">x</p><p>France Services</p></html>'
    )
    assert french_words(visible_text(html, "en")) == {"Aucune", "demande", "la", "fenêtre"}
    page = "<html lang=\"fr\"><p>Statut : new → in_progress</p><p>Fields : ['email']</p></html>"
    assert english_words(visible_text(page, "fr")) >= {"new", "in_progress", "Fields", "['email'"}
    assert english_words(visible_text("<p>Nouveau → En cours, Date</p>", "fr")) == set()


@pytest.fixture
def network_world(db):
    return build_network_world()


def _pages(world):
    pages = dict(world["pages"])
    # The permission refusal: an agent asks for the house's history, kept for its managers.
    pages["403"] = ("agent", pages["network/house_history.html"][1])
    return pages


def _get(client, world, role, url, language):
    client.logout()  # which empties the cookies: the language is chosen after
    if role:
        client.force_login(world["users"][role])
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
    if url == "upload":
        upload = SimpleUploadedFile(
            "historique.csv", b"date;categorie\n2026-01-05;Z9\n", content_type="text/csv"
        )
        return client.post("/imports/", {"file": upload, "mode": "all_or_nothing"})
    return client.get(url)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_page_speaks_one_language(client, network_world, language, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    failures = []
    names = proper_names()
    for template, (role, url) in sorted(_pages(network_world).items()):
        response = _get(client, network_world, role, url, language)
        assert response.status_code in (200, 403, 404), (template, response.status_code)
        html = response.content.decode()
        assert f'<html lang="{language}"' in html, template
        text = visible_text(html, language)
        found = french_words(text, names) if language == "en" else english_words(text)
        if found:
            lines = [line.strip() for line in text.splitlines() if any(w in line for w in found)]
            failures.append(f"{template} ({url}): {sorted(found)} in {lines[:3]}")
    assert not failures, f"{len(failures)} pages in the wrong language:\n" + "\n".join(failures)
