"""The DSFR table of a list, one tag for every screen: caption, column headers, one row a record,
and a sentence instead of the table when there is nothing to list (RGAA 5: captioned tables,
headers with their scope). A template builtin (settings.TEMPLATES):

    {% table follow_ups as follow_up caption=_("Suivis du dossier") empty=_("Aucun suivi.") _("Date") _("Suivi") _("Action") if access.manage %}
      <th scope="row">{{ follow_up.at|date:"j F Y" }}</th>
      <td>{{ follow_up.note }}</td>
      {% if access.manage %}<td>…</td>{% endif %}
    {% endtable %}

The body is one row's cells. A header followed by `if <condition>` is shown only when the
condition holds (its cells say the same). Without `empty`, an empty list is an empty table, or
one row that says `empty_row` across every column. `class=` adds classes to the `fr-table`
wrapper (`fr-table--no-caption`), `id=` is the table's; `as code,n` unpacks each record.
"""

from django import template
from django.utils.html import format_html, format_html_join

register = template.Library()


class TableNode(template.Node):
    def __init__(self, rows, names, headers, options, body):
        self.rows, self.names, self.headers, self.options, self.body = (
            rows,
            names,
            headers,
            options,
            body,
        )

    def render(self, context):
        rows = self.rows.resolve(context, ignore_failures=True) or []
        options = {key: value.resolve(context) for key, value in self.options.items()}
        if not rows and options.get("empty"):
            return format_html("<p>{}</p>", options["empty"])
        labels = [
            (label.resolve(context),)
            for label, condition in self.headers
            if condition is None or condition.resolve(context, ignore_failures=True)
        ]
        bodies = []  # each a SafeString: what the template's own tags made of one record
        with context.push():
            for row in rows:
                if len(self.names) == 1:
                    context[self.names[0]] = row
                else:
                    context.update(dict(zip(self.names, row, strict=True)))
                bodies.append((self.body.render(context),))
        cells = format_html_join("\n", "<tr>{}</tr>", bodies)
        if not rows and options.get("empty_row"):
            cells = format_html(
                '<tr><td colspan="{}">{}</td></tr>', len(labels), options["empty_row"]
            )
        classes = " ".join(("fr-table", options.get("class") or "")).strip()
        return format_html(
            '<div class="{}"><table{}><caption>{}</caption><thead><tr>{}</tr></thead>'
            "<tbody>{}</tbody></table></div>",
            classes,
            format_html(' id="{}"', options["id"]) if options.get("id") else "",
            options.get("caption", ""),
            format_html_join("", '<th scope="col">{}</th>', labels),
            cells,
        )


@register.tag
def table(parser, token):
    bits = token.split_contents()[1:]
    if len(bits) < 3 or bits[1] != "as":
        raise template.TemplateSyntaxError(
            "{% table <rows> as <name> [key=value…] [header [if condition]…] %}"
        )
    rows, names, rest = parser.compile_filter(bits[0]), bits[2].split(","), bits[3:]
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
    return TableNode(rows, names, headers, options, body)
