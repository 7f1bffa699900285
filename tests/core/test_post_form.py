"""The frame of a posted form: the error summary of a refused form above it (RGAA 11.10), the
CSRF token, the legend of the asterisk, and the URL it posts to."""

from django import forms
from django.middleware.csrf import get_token
from django.template import Context, Template
from django.test import RequestFactory


class NameForm(forms.Form):
    name = forms.CharField(label="Nom")


def render(text: str, **context) -> str:
    request = RequestFactory().get("/")
    context = {"request": request, "csrf_token": get_token(request), **context}
    return Template(text).render(Context(context)).strip()


def test_a_refused_form_has_its_summary_token_and_legend():
    form = NameForm({"name": ""})
    html = render(
        "{% post_form 'house_closures' 7 class=\"fr-mb-4w\" %}<button>OK</button>{% endpost_form %}",
        form=form,
    )
    assert html.index("Rien n'a été enregistré") < html.index("<form")
    assert (
        '<form method="post" action="/maisons/7/fermetures/" novalidate class="fr-mb-4w">' in html
    )
    assert 'name="csrfmiddlewaretoken"' in html
    assert "Les champs marqués d'un astérisque (*) sont obligatoires." in html
    assert html.endswith("<button>OK</button></form>")


def test_a_form_of_its_own_page_uploads_with_its_own_summary_heading():
    html = render(
        '{% post_form form=other heading="Rien n\'a été importé" id="f" multipart=True %}'
        "{% endpost_form %}",
        form=NameForm(),
        other=NameForm({"name": ""}),
    )
    assert "Rien n'a été importé" in html
    assert '<form method="post" enctype="multipart/form-data" novalidate id="f">' in html


def test_a_valid_or_unbound_form_has_no_summary():
    html = render("{% post_form %}{% endpost_form %}", form=NameForm())
    assert html.startswith('<form method="post" novalidate>')
