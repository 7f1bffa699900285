"""Write to the append-only journal from domain functions (never from views), and read it back
in the reader's language.

An entry stores what happened as language-neutral data: an action code ("house.hours"), a
message that is a gettext msgid (the French source, marked with `gettext_noop` where it is
written, with %(name)s placeholders) and its parameters, and the changed fields as
{field: [before, after]} of raw values. `describe` and `describe_changes` turn them into text at
display time: an English reader reads English, even of entries written by a French session.
Entries written before parameters existed hold a finished French sentence: it is shown as is.
"""

import datetime as dt
from contextlib import suppress
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils import formats, timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_lazy

from msap.core.models import JournalEntry


def record(
    actor,
    action: str,
    target: models.Model,
    *,
    summary: str = "",
    params: dict | None = None,
    changes=None,
    house_id=None,
):
    """Append one entry: `actor` did `action` to `target`.

    `summary` is a msgid (`gettext_noop("Fermée le %(day)s")`) filled from `params` when read;
    a parameter may be a date, a datetime, a lazy label (a choice's label: stored as its source
    text, translated when read) or plain JSON. `changes` maps field -> [before, after]."""
    if house_id is None:
        house_id = getattr(target, "house_id", None)
        if house_id is None and target._meta.label_lower == "network.house":
            house_id = target.pk
    return JournalEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        house_id=house_id,
        summary=_source(summary)[:300],
        params={key: _encode(value) for key, value in (params or {}).items()},
        changes=changes or {},
    )


def delete(actor, action: str, target: models.Model, summary: str, params: dict) -> None:
    """Journal the removal of `target`, then delete it: the entry keeps its id and the words
    that named it (`params`), read once the row is gone."""
    record(actor, action, target, summary=summary, params=params)
    target.delete()


def _source(text) -> str:
    """The untranslated text of a lazy string (its msgid), whatever language is active."""
    with translation.override(None):
        return str(text)


def _encode(value):
    if isinstance(value, dt.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if isinstance(value, Promise):
        return {"$text": _source(value)}
    return _plain(value)


def _decode(value):
    if isinstance(value, dict) and len(value) == 1:
        ((kind, raw),) = value.items()
        if kind == "$date":
            return formats.date_format(dt.date.fromisoformat(raw))
        if kind == "$datetime":
            moment = dt.datetime.fromisoformat(raw)
            return formats.date_format(moment, "SHORT_DATETIME_FORMAT")
        if kind == "$text":
            return gettext(raw)
    return value


def describe(entry: JournalEntry) -> str:
    """The entry's message in the active language, its parameters filled in."""
    message = gettext(entry.summary) if entry.summary else entry.action
    if not entry.params:
        return message
    values = {key: _decode(value) for key, value in entry.params.items()}
    try:
        return message % values
    except (KeyError, TypeError, ValueError):
        return message


# Keys of `changes` that are not model fields (hours, served communes, a file's details, an
# import's counts; the French keys are those of imports journalled before the English ones).
CHANGE_KEYS = {
    "before": gettext_lazy("avant"),
    "after": gettext_lazy("après"),
    "added": gettext_lazy("ajoutées"),
    "removed": gettext_lazy("retirées"),
    "fields": gettext_lazy("champs"),
    "follow_up": gettext_lazy("suivi"),
    "follow_ups": gettext_lazy("suivis"),
    "request": gettext_lazy("demande"),
    "document": gettext_lazy("document"),
    "documents": gettext_lazy("documents"),
    "requests_unlinked": gettext_lazy("demandes détachées"),
    "content_type": gettext_lazy("type de fichier"),
    "size": gettext_lazy("taille (octets)"),
    "format": gettext_lazy("format"),
    "letter": gettext_lazy("lettre"),
    "outgoing": gettext_lazy("courrier départ"),
    "file": gettext_lazy("fichier"),
    "fichier": gettext_lazy("fichier"),
    "mode": gettext_lazy("mode"),
    "rows": gettext_lazy("lignes lues"),
    "lignes": gettext_lazy("lignes lues"),
    "imported": gettext_lazy("importées"),
    "importees": gettext_lazy("importées"),
    "already_present": gettext_lazy("déjà présentes"),
    "deja_presentes": gettext_lazy("déjà présentes"),
    "rejected": gettext_lazy("rejetées"),
    "rejetees": gettext_lazy("rejetées"),
}


@dataclass
class Change:
    label: str
    before: object
    after: object = None
    is_pair: bool = False


def _field(target_type: str, name: str):
    try:
        return apps.get_model(target_type)._meta.get_field(name)
    except (LookupError, ValueError, FieldDoesNotExist):
        return None


def _shown(field, value):
    """A stored value as a person reads it: a choice's label, yes or no, a date in the reader's
    format, the name of a related record (its key when it no longer exists)."""
    if isinstance(value, bool):
        return gettext("oui") if value else gettext("non")
    if field is None or value is None:
        return value
    if getattr(field, "choices", None) and isinstance(value, str):
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.DateTimeField) and isinstance(value, str):
        with suppress(ValueError):
            moment = dt.datetime.fromisoformat(value)
            if timezone.is_aware(moment):
                moment = timezone.localtime(moment)
            return formats.date_format(moment, "SHORT_DATETIME_FORMAT")
    elif isinstance(field, models.DateField) and isinstance(value, str):
        with suppress(ValueError):
            return formats.date_format(dt.date.fromisoformat(value))
    if field.many_to_one and isinstance(value, (str, int)):
        try:
            related = field.related_model._default_manager.filter(pk=value).first()
        except (ValueError, TypeError, ValidationError):
            return value
        return str(related) if related is not None else value
    return value


def describe_changes(entry: JournalEntry) -> list[Change]:
    """The entry's changes with their field's name and choice labels in the active language;
    a list of field names (an edit of a personal file journals only which fields changed) reads
    as their names."""
    rows = []
    for key, value in (entry.changes or {}).items():
        field = _field(entry.target_type, key)
        label = str(CHANGE_KEYS.get(key) or (field.verbose_name if field else key))
        if key == "fields" and isinstance(value, list):
            names = [_field(entry.target_type, name) for name in value]
            shown = ", ".join(
                str(f.verbose_name) if f else name for f, name in zip(names, value, strict=True)
            )
            rows.append(Change(label, shown))
        elif isinstance(value, list) and len(value) == 2 and not isinstance(value[0], list):
            rows.append(Change(label, _shown(field, value[0]), _shown(field, value[1]), True))
        else:
            rows.append(Change(label, _shown(field, value)))
    return rows


def diff(instance: models.Model, data: dict) -> dict:
    """The fields of `data` whose value differs from `instance`'s, as {field: [before, after]}."""
    out = {}
    for field, new in data.items():
        old = getattr(instance, field)
        if old != new:
            out[field] = [_plain(old), _plain(new)]
    return out


def _plain(value):
    if isinstance(value, models.Model):
        return str(value.pk)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return (
        value if isinstance(value, (str, int, float, bool, type(None), list, dict)) else str(value)
    )
