"""The DSFR table of a list, one tag for every screen: caption, column headers, one row a record,
and a sentence instead of the table when there is nothing to list (RGAA 5: captioned tables,
headers with their scope). A template builtin (settings.TEMPLATES):

    {% table follow_ups as follow_up caption=_("Suivis du dossier") empty=_("Aucun suivi.") _("Date") _("Suivi") _("Action") if access.manage %}
      <th scope="row">{{ follow_up.at|date:"j F Y" }}</th>
      <td>{{ follow_up.note }}</td>
      {% if access.manage %}<td>…</td>{% endif %}
    {% endtable %}

The body is one row's cells. A header followed by `if <condition>` is shown only when the
condition holds (its cells say the same). Without `empty`, an empty list is an empty table.
`class=` adds classes to the `fr-table` wrapper (`fr-table--no-caption`).
"""

from django import template
from django.utils.html import format_html, format_html_join

register = template.Library()


class TableNode(template.Node):
    def __init__(self, rows, name, headers, options, body):
        self.rows, self.name, self.headers, self.options, self.body = (
            rows,
            name,
            headers,
            options,
            body,
        )

    def render(self, context):
        rows = self.rows.resolve(context, ignore_failures=True) or []
        options = {key: value.resolve(context) for key, value in self.options.items()}
        if not rows and options.get("empty"):
            return format_html("<p>{}</p>", options["empty"])
        headers = format_html_join(
            "",
            '<th scope="col">{}</th>',
            (
                (label.resolve(context),)
                for label, condition in self.headers
                if condition is None or condition.resolve(context, ignore_failures=True)
            ),
        )
        bodies = []  # each a SafeString: what the template's own tags made of one record
        with context.push():
            for row in rows:
                context[self.name] = row
                bodies.append((self.body.render(context),))
        classes = " ".join(("fr-table", options.get("class") or "")).strip()
        return format_html(
            '<div class="{}"><table><caption>{}</caption><thead><tr>{}</tr></thead>'
            "<tbody>{}</tbody></table></div>",
            classes,
            options.get("caption", ""),
            headers,
            format_html_join("\n", "<tr>{}</tr>", bodies),
        )


@register.tag
def table(parser, token):
    bits = token.split_contents()[1:]
    if len(bits) < 3 or bits[1] != "as":
        raise template.TemplateSyntaxError(
            "{% table <rows> as <name> [key=value…] [header [if condition]…] %}"
        )
    rows, name, rest = parser.compile_filter(bits[0]), bits[2], bits[3:]
    headers, options = [], {}
    i = 0
    while i < len(rest):
        bit = rest[i]
        key, sep, value = bit.partition("=")
        if sep and key.isidentifier():
            options[key] = parser.compile_filter(value)
        elif bit == "if" and headers and i + 1 < len(rest):
            headers[-1] = (headers[-1][0], parser.compile_filter(rest[i + 1]))
            i += 1
        else:
            headers.append((parser.compile_filter(bit), None))
        i += 1
    body = parser.parse(("endtable",))
    parser.delete_first_token()
    return TableNode(rows, name, headers, options, body)
