"""The DSFR table tag: a captioned table with column headers (RGAA 5), or a sentence when the
list is empty; a conditional header is shown with its cells only."""

import pytest
from django.template import Context, Template, TemplateSyntaxError

TABLE = (
    '{% table rows as row caption=_("Fermetures") empty=_("Aucune fermeture.") '
    '_("Du") _("Action") if manage %}<th scope="row">{{ row }}</th>'
    "{% if manage %}<td>x</td>{% endif %}{% endtable %}"
)


def render(text: str, **context) -> str:
    return Template(text).render(Context(context))


def test_a_list_is_a_captioned_table_with_scoped_headers():
    html = render(TABLE, rows=["lundi", "mardi"], manage=True)
    assert html.startswith('<div class="fr-table"><table><caption>Fermetures</caption>')
    assert '<th scope="col">Du</th><th scope="col">Action</th>' in html
    assert html.count("<tr>") == 3
    assert '<tr><th scope="row">mardi</th><td>x</td></tr>' in html


def test_a_conditional_header_is_left_out_with_its_condition():
    html = render(TABLE, rows=["lundi"], manage=False)
    assert "Action" not in html
    assert '<tr><th scope="row">lundi</th></tr>' in html


def test_an_empty_list_is_a_sentence_or_an_empty_table():
    assert render(TABLE, rows=[], manage=True) == "<p>Aucune fermeture.</p>"
    html = render('{% table rows as row caption="C" class="fr-mt-4w" _("A") %}{% endtable %}')
    assert html.startswith('<div class="fr-table fr-mt-4w"><table><caption>C</caption>')
    assert "<tbody></tbody>" in html


def test_values_are_escaped():
    html = render(TABLE, rows=["<b>"], manage=False)
    assert "&lt;b&gt;" in html and "<b>" not in html


def test_a_table_without_its_row_name_is_a_template_error():
    with pytest.raises(TemplateSyntaxError):
        Template("{% table rows %}{% endtable %}")


def test_an_empty_list_can_say_so_in_a_row_across_every_shown_column():
    text = (
        '{% table rows as code,n caption="C" empty_row="Aucune demande." id="t" '
        '_("Catégorie") _("Maison") if several _("Demandes") %}'
        '<th scope="row">{{ code }}</th><td>{{ n }}</td>{% endtable %}'
    )
    assert '<tr><td colspan="2">Aucune demande.</td></tr>' in render(text, rows=[], several=False)
    assert 'colspan="3"' in render(text, rows=[], several=True)
    html = render(text, rows=[("A", 4)], several=False)
    assert '<table id="t">' in html
    assert '<tr><th scope="row">A</th><td>4</td></tr>' in html
