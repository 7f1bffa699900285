"""The frame of every form that posts: the error summary of a refused form (RGAA 11.10), the
<form> that posts to a URL of the application, its CSRF token and the legend of the asterisk. A
template builtin (settings.TEMPLATES); the body is the form's fields and buttons:

    {% post_form 'equipment_add' house.pk form=equipment_form class="fr-mb-4w" %}
      {% include "msap/_field.html" with field=equipment_form.kind %}
      <button type="submit" class="fr-btn">…</button>
    {% endpost_form %}

The positional arguments are those of {% url %} (none: the form posts to its page); `id` and
`class` are the form's; `form` is the form whose errors are summed up
(the context's `form` by default), `heading` its title; `multipart=True` for a form that uploads
a file.
"""

from django import template
from django.template.defaulttags import CsrfTokenNode
from django.urls import reverse
from django.utils.html import format_html

register = template.Library()


class PostFormNode(template.Node):
    def __init__(self, url_args, options, body):
        self.url_args, self.options, self.body = url_args, options, body

    def render(self, context):
        url_args = [arg.resolve(context) for arg in self.url_args]
        action = (
            format_html(' action="{}"', reverse(url_args[0], args=url_args[1:])) if url_args else ""
        )
        options = {key: value.resolve(context) for key, value in self.options.items()}
        engine = context.template.engine
        summary = {"form": options.get("form", context.get("form"))}
        if "heading" in options:
            summary["heading"] = options["heading"]
        with context.push(**summary):
            errors = engine.get_template("msap/_form_errors.html").render(context)
        legend = engine.get_template("msap/_required_legend.html").render(context)
        return format_html(
            '{}<form method="post"{}{} novalidate{}{}>{}{}{}</form>',
            errors,
            action,
            format_html(' enctype="{}"', "multipart/form-data") if options.get("multipart") else "",
            format_html(' class="{}"', options["class"]) if options.get("class") else "",
            format_html(' id="{}"', options["id"]) if options.get("id") else "",
            CsrfTokenNode().render(context),
            legend,
            self.body.render(context),
        )


@register.tag
def post_form(parser, token):
    bits = token.split_contents()[1:]
    url_args, options = [], {}
    for bit in bits:
        key, sep, value = bit.partition("=")
        if sep and key.isidentifier():
            options[key] = parser.compile_filter(value)
        else:
            url_args.append(parser.compile_filter(bit))
    body = parser.parse(("endpost_form",))
    parser.delete_first_token()
    return PostFormNode(url_args, options, body)
