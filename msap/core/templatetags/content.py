"""What people typed (a house's name, a closure's reason, a subject…) is French whatever the
reader's language: on an English page it says so, `lang="fr"`, so that a screen reader reads it
with a French voice (RGAA 8.7). A template builtin (settings.TEMPLATES): `{{ house.name|typed }}`.
"""

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language

register = template.Library()

# The language people write in: the interface's source language.
CONTENT_LANGUAGE = "fr"


@register.filter
def typed(value):
    if value in (None, ""):
        return value
    if (get_language() or CONTENT_LANGUAGE).split("-")[0] == CONTENT_LANGUAGE:
        return value
    return format_html('<span lang="{}">{}</span>', CONTENT_LANGUAGE, value)
