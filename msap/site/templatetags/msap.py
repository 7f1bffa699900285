"""Template tags every screen shares: the refused form's title and error summary."""

from django import forms, template
from django.utils.translation import gettext as _

register = template.Library()


def _refused_forms(values):
    for value in values:
        if isinstance(value, forms.BaseForm):
            if value.is_bound and value.errors:
                yield value
        elif isinstance(value, dict):  # a page's several forms by name (registers' actions)
            yield from _refused_forms(value.values())


@register.simple_tag(takes_context=True)
def error_title_prefix(context) -> str:
    """ "Erreur : " before the page's title when a form of the page was refused (RGAA 11.10:
    the title says so, it is the first thing a screen reader reads of the reloaded page)."""
    flat = context.flatten()
    return _("Erreur : ") if next(_refused_forms(flat.values()), None) is not None else ""


@register.filter
def fields_with_errors(form) -> list:
    """The visible fields of a form that carry an error, in the form's order."""
    return [field for field in form.visible_fields() if field.errors]


@register.filter
def field_anchor(field) -> str:
    """The id of the element a link to this field should reach: its input, or the first option
    of a group of radio buttons or checkboxes (which has no single input)."""
    return field.id_for_label or (f"{field.auto_id}_0" if field.auto_id else "")
