"""English interface: the chosen language is honoured, French stays the default, the catalogue is whole."""

import importlib.util
from pathlib import Path

import pytest
from django.utils import translation

from tests.conftest import login

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location(
    "check_translations", ROOT / "scripts" / "check_translations.py"
)
check_translations = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(check_translations)


def choose_english(client):
    """What the language switcher of the page header does."""
    response = client.post("/langue/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    return client


def text(response):
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "accept_language, lang, shown, not_shown",
    [
        (None, "fr", ("Se connecter", "Connexion à msap"), "Log in"),
        ("de", "fr", ("Se connecter", "Connexion à msap"), "Log in"),
        ("en-GB,en;q=0.9", "en", ("Log in to msap", "Password"), "Se connecter"),
    ],
    ids=["no language", "unsupported language", "english"],
)
def test_login_page_follows_the_browser_s_language_and_falls_back_to_french(
    client, accept_language, lang, shown, not_shown
):
    """The interface is French by default; English when the browser asks for it."""
    headers = {"Accept-Language": accept_language} if accept_language else {}
    page = text(client.get("/connexion/", headers=headers))
    assert f'<html lang="{lang}"' in page
    assert all(words in page for words in shown)
    assert not_shown not in page


@pytest.mark.django_db
def test_login_page_is_in_english_once_english_is_chosen(client):
    page = text(choose_english(client).get("/connexion/"))
    assert '<html lang="en"' in page
    assert "Log in to msap" in page
    assert '<button class="fr-btn" type="submit">Log in</button>' in page
    assert "Se connecter" not in page


def test_house_page_tabs_are_in_english_once_english_is_chosen(client, one_house):
    login(client, one_house.users.responsable)
    page = text(choose_english(client).get(f"/maisons/{one_house.house.pk}/"))
    assert "Opening hours" in page
    assert ">Premises</a>" in page
    assert ">Partners</a>" in page
    assert ">Locaux</a>" not in page
    # Names from the data are not translated.
    assert one_house.house.name in page


def test_house_page_stays_french_for_a_user_who_chose_nothing(client, one_house):
    login(client, one_house.users.responsable)
    page = text(client.get(f"/maisons/{one_house.house.pk}/"))
    assert ">Locaux</a>" in page
    assert ">Premises</a>" not in page


def test_english_does_not_open_a_house_to_a_user_without_access(client, world):
    login(client, world.users.other_agent)
    response = choose_english(client).get(f"/maisons/{world.house.pk}/")
    # Another house's page does not exist for them, in any language (msap.permissions).
    assert response.status_code == 404
    assert world.house.name not in response.content.decode()


def test_compiled_catalogue_translates_singular_and_plural():
    with translation.override("en"):
        assert translation.gettext("Se connecter") == "Log in"
        assert translation.ngettext("%(n)s maison", "%(n)s maisons", 1) % {"n": 1} == "1 house"
        assert translation.ngettext("%(n)s maison", "%(n)s maisons", 3) % {"n": 3} == "3 houses"
    with translation.override("fr"):
        assert translation.gettext("Se connecter") == "Se connecter"


def test_english_catalogue_has_no_untranslated_fuzzy_or_stale_entry():
    found = check_translations.problems()
    assert {kind: [e.label() for e in entries] for kind, entries in found.items() if entries} == {}


def test_every_translation_keeps_the_placeholders_of_its_source():
    """%(name)s, %s, {name} and inline HTML tags must survive translation, or pages break."""
    entries = check_translations.parse_po(check_translations.EN_PO)
    assert len(entries) > 1000
    wrong = []
    for entry in entries:
        sources = [entry.msgid] if entry.msgid_plural is None else [entry.msgid, entry.msgid_plural]
        for index, translated in enumerate(entry.translations):
            source = sources[min(index, len(sources) - 1)]
            expected = check_translations.placeholders(source)
            if check_translations.placeholders(translated) != expected:
                wrong.append((entry.label(), sorted(expected), translated))
    assert wrong == []


PO_WITH_FAULTS = r"""msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"

msgid "Bonjour"
msgstr "Hello"

msgid "Oublié"
msgstr ""

#, fuzzy, python-format
msgid "Vieux %(n)s"
msgstr "Old %(n)s"

#, python-format
msgid "%(n)s maison"
msgid_plural "%(n)s maisons"
msgstr[0] "%(n)s house"
msgstr[1] "houses"

#~ msgid "Obsolète"
#~ msgstr ""
"""


def test_check_script_lists_untranslated_fuzzy_and_broken_entries_and_fails(tmp_path, capsys):
    po = tmp_path / "django.po"
    po.write_text(PO_WITH_FAULTS, encoding="utf-8")
    assert check_translations.main(["check_translations.py", str(po)]) == 1
    found = check_translations.problems(po)
    assert [e.msgid for e in found["untranslated"]] == ["Oublié"]
    assert [e.msgid for e in found["fuzzy"]] == ["Vieux %(n)s"]
    assert [e.msgid for e in found["placeholders differ"]] == ["%(n)s maison"]
    out = capsys.readouterr().out
    assert "Oublié" in out
    assert "Obsolète" not in out


def test_check_script_passes_a_whole_catalogue_with_its_compiled_file(tmp_path, capsys):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Bonjour"\nmsgstr "Hello"\n',
        encoding="utf-8",
    )
    write_mo(
        po.with_suffix(".mo"), {"": "Content-Type: text/plain; charset=UTF-8\n", "Bonjour": "Hello"}
    )
    assert check_translations.main(["check_translations.py", str(po)]) == 0
    assert "all translated" in capsys.readouterr().out


def test_check_script_flags_a_compiled_file_left_behind(tmp_path):
    po = tmp_path / "django.po"
    po.write_text('msgid "Bonjour"\nmsgstr "Hello"\n', encoding="utf-8")
    write_mo(
        po.with_suffix(".mo"), {"": "Content-Type: text/plain; charset=UTF-8\n", "Bonjour": "Hi"}
    )
    stale = check_translations.problems(po)[
        "missing or different in the compiled .mo (run compilemessages)"
    ]
    assert [e.msgid for e in stale] == ["Bonjour"]


def write_mo(path, messages):
    """A minimal GNU .mo file (no gettext tools needed in the test)."""
    import struct

    keys = sorted(messages)
    ids = b"".join(k.encode() + b"\0" for k in keys)
    strs = b"".join(messages[k].encode() + b"\0" for k in keys)
    header = 7 * 4
    table = header + 16 * len(keys)
    offsets, pos = [], 0
    for k in keys:
        offsets.append((len(k.encode()), table + pos))
        pos += len(k.encode()) + 1
    str_offsets, pos = [], 0
    for k in keys:
        str_offsets.append((len(messages[k].encode()), table + len(ids) + pos))
        pos += len(messages[k].encode()) + 1
    data = struct.pack("Iiiiiii", 0x950412DE, 0, len(keys), header, header + 8 * len(keys), 0, 0)
    data += b"".join(struct.pack("ii", *o) for o in offsets)
    data += b"".join(struct.pack("ii", *o) for o in str_offsets)
    path.write_bytes(data + ids + strs)
