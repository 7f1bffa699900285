"""The personal file's lifecycle: consent → use → export → erasure or anonymisation.

SPEC "Confidentiality" and art. 3.5: a file exists only with the person's consent, every
opening is logged (DossierAccess), the person may get an export and have the file erased,
inactive files are anonymised after the retention period. Requests stay as anonymous
statistics. The journal receives ids and field NAMES only, never a value about the person.
"""

import contextlib
import json
import logging
import os
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from msap.core import journal
from msap.core.errors import DomainError, bump_version
from msap.desk.models import ServiceRequest
from msap.dossiers import rules
from msap.dossiers.models import (
    AccessAction,
    Dossier,
    DossierAccess,
    DossierDocument,
    DossierStatus,
    FollowUp,
    LinkedRequest,
)
from msap.lib.uploads import UploadError, check_upload

log = logging.getLogger(__name__)

_BLANK_IDENTITY = {
    "first_name": "",
    "last_name": "",
    "birth_year": None,
    "phone": "",
    "email": "",
    "postal_address": "",
    "next_steps": "",
}
_MAX_LENGTHS = {
    "first_name": 100,
    "last_name": 100,
    "phone": 30,
    "email": 254,
    "postal_address": 300,
}
FOLLOW_UP_MAX_LENGTH = 5000
EXPORT_FORMATS = ("json", "pdf")


# --- checks -------------------------------------------------------------------------------------


def _refuse(field: str, message: str):
    raise DomainError(message, {field: [message]})


def _require_active(dossier: Dossier, *, lock: bool = False) -> None:
    if lock:
        # Inside the caller's transaction: a concurrent erasure or purge either waits for this
        # change (and then removes it too) or has committed and this change is refused.
        dossier.status = (
            Dossier.objects.select_for_update().values_list("status", flat=True).get(pk=dossier.pk)
        )
    if dossier.status != DossierStatus.ACTIVE:
        raise DomainError(
            _(
                "Ce dossier a été effacé ou anonymisé : il ne contient plus de données personnelles et ne peut plus être modifié."
            )
        )


def _clean_identity(data: dict) -> dict:
    """Identity and contact of the person, stripped and checked; DomainError in French otherwise."""
    unknown = set(data) - set(rules.IDENTITY_FIELDS)
    if unknown:
        raise TypeError(f"unknown dossier fields: {sorted(unknown)}")
    cleaned = {}
    errors: dict[str, list[str]] = {}
    for field in rules.IDENTITY_FIELDS:
        value = data.get(field, _BLANK_IDENTITY[field])
        if isinstance(value, str):
            value = value.strip()
        cleaned[field] = value
        limit = _MAX_LENGTHS.get(field)
        if limit and value and len(value) > limit:
            errors[field] = [(_("%(limit)s caractères au maximum.") % {"limit": limit})]
    if not cleaned["last_name"]:
        errors["last_name"] = [_("Indiquez le nom de la personne.")]
    year = cleaned["birth_year"]
    if year in ("", None):
        cleaned["birth_year"] = None
    elif (
        not isinstance(year, int)
        or not rules.OLDEST_BIRTH_YEAR <= year <= timezone.localdate().year
    ):
        errors["birth_year"] = [
            (
                _("Indiquez une année de naissance entre %(oldest_birth_year)s et %(year)s.")
                % {"oldest_birth_year": rules.OLDEST_BIRTH_YEAR, "year": timezone.localdate().year}
            )
        ]
    if cleaned["email"]:
        try:
            validate_email(cleaned["email"])
        except ValidationError:
            errors["email"] = [
                _("Adresse électronique invalide, par exemple : prenom.nom@exemple.fr.")
            ]
    if errors:
        raise DomainError(_("Rien n'a été enregistré : corrigez les champs signalés."), errors)
    return cleaned


def _touch(dossier: Dossier, now: datetime) -> None:
    """Activity restarts the retention period."""
    Dossier.objects.filter(pk=dossier.pk).update(last_activity_at=now)
    dossier.last_activity_at = now


# --- consent and use ----------------------------------------------------------------------------


@transaction.atomic
def open_dossier(
    actor,
    house,
    *,
    consent_purpose: str,
    consent_given: bool,
    now: datetime | None = None,
    **identity,
) -> Dossier:
    """Open a file for a person who agreed to it, for the stated purpose. No consent, no file."""
    purpose = (consent_purpose or "").strip()
    if consent_given is not True:
        _refuse(
            "consent_given",
            _(
                "Le dossier ne peut être ouvert qu'avec l'accord de la personne : cochez la case une fois son consentement recueilli."
            ),
        )
    if not purpose:
        _refuse("consent_purpose", _("Indiquez la finalité à laquelle la personne consent."))
    if len(purpose) > rules.CONSENT_PURPOSE_MAX_LENGTH:
        _refuse(
            "consent_purpose",
            (
                _("La finalité tient en %(consent_purpose_max_length)s caractères au maximum.")
                % {"consent_purpose_max_length": rules.CONSENT_PURPOSE_MAX_LENGTH}
            ),
        )
    cleaned = _clean_identity(identity)
    now = now or timezone.now()
    dossier = Dossier.objects.create(
        house=house,
        consent_at=now,
        consent_purpose=purpose,
        consent_by=actor,
        last_activity_at=now,
        **cleaned,
    )
    _journal(
        actor,
        dossier,
        "dossier.opened",
        gettext_noop("Dossier usager n°%(number)s ouvert avec le consentement de la personne"),
        {"fields": sorted(f for f, v in cleaned.items() if v not in ("", None))},
    )
    return dossier


def log_access(actor, dossier: Dossier, action: str) -> DossierAccess:
    """Who opened which file (SPEC "Access is logged"): every view, edit, download and export."""
    if action not in AccessAction.values:
        raise ValueError(f"unknown access action: {action}")
    return DossierAccess.objects.create(
        dossier=dossier, user=actor if getattr(actor, "pk", None) else None, action=action
    )


def _journal(actor, dossier: Dossier, action: str, summary: str, changes, access=None) -> None:
    """Journal a change to a file by its number and field names only (module docstring), after
    logging the access it took when there was one (SPEC "Access is logged")."""
    if access is not None:
        log_access(actor, dossier, access)
    journal.record(
        actor,
        action,
        dossier,
        house_id=dossier.house_id,
        summary=summary,
        params={"number": dossier.pk},
        changes=changes,
    )


@transaction.atomic
def update_dossier(
    actor, dossier: Dossier, data: dict, expected_version: int | None, now: datetime | None = None
) -> Dossier:
    _require_active(dossier, lock=True)
    # Fields not sent keep their value (a partial update never blanks the rest).
    cleaned = _clean_identity({**{f: getattr(dossier, f) for f in rules.IDENTITY_FIELDS}, **data})
    changed = [field for field, value in cleaned.items() if getattr(dossier, field) != value]
    if not changed:
        return dossier
    now = now or timezone.now()
    dossier.version = bump_version(Dossier, dossier.pk, expected_version)
    for field in changed:
        setattr(dossier, field, cleaned[field])
    dossier.last_activity_at = now
    dossier.save(update_fields=[*changed, "last_activity_at", "version"])
    _journal(
        actor,
        dossier,
        "dossier.updated",
        gettext_noop("Dossier usager n°%(number)s modifié"),
        {"fields": changed},
        AccessAction.EDIT,
    )
    return dossier


@transaction.atomic
def add_follow_up(
    actor,
    dossier: Dossier,
    *,
    note: str,
    due_on=None,
    request: ServiceRequest | None = None,
    now: datetime | None = None,
) -> FollowUp:
    """A follow-up note, linked to the request it came from (which then belongs to the file)."""
    _require_active(dossier, lock=True)
    note = (note or "").strip()
    if not note:
        _refuse("note", _("Écrivez le suivi."))
    if len(note) > FOLLOW_UP_MAX_LENGTH:
        _refuse(
            "note",
            (
                _("Le suivi tient en %(follow_up_max_length)s caractères au maximum.")
                % {"follow_up_max_length": FOLLOW_UP_MAX_LENGTH}
            ),
        )
    if request is not None:
        if request.house_id != dossier.house_id:
            _refuse("request", _("Cette demande a été enregistrée dans une autre maison."))
        if LinkedRequest.objects.filter(request=request).exclude(dossier=dossier).exists():
            _refuse(
                "request", _("Cette demande est déjà rattachée au dossier d'une autre personne.")
            )
    now = now or timezone.now()
    follow_up = FollowUp.objects.create(
        dossier=dossier, request=request, author=actor, note=note, due_on=due_on
    )
    if request is not None:
        # One link per request (its primary key): a request claimed meanwhile by another file
        # keeps that link.
        LinkedRequest.objects.get_or_create(request=request, defaults={"dossier": dossier})
    _touch(dossier, now)
    _journal(
        actor,
        dossier,
        "dossier.follow_up_added",
        gettext_noop("Suivi ajouté au dossier usager n°%(number)s"),
        {"follow_up": follow_up.pk, "request": getattr(request, "pk", None)},
        AccessAction.EDIT,
    )
    return follow_up


def request_changed(sender, instance, created: bool, **kwargs) -> None:
    """A request of the person's file was corrected: using the file restarts its retention
    period (connected to desk.ServiceRequest's post_save; a new request has no file yet)."""
    if not created:
        Dossier.objects.filter(
            status=DossierStatus.ACTIVE, request_links__request_id=instance.pk
        ).update(last_activity_at=timezone.now())


@transaction.atomic
def add_document(
    actor, dossier: Dossier, upload, *, label: str = "", now: datetime | None = None
) -> DossierDocument:
    """A scan the person entrusts: type sniffed from the content, size limited, stored privately."""
    _require_active(dossier, lock=True)
    try:
        kind = check_upload(upload, allowed=tuple(rules.DOCUMENT_TYPES))
    except UploadError as exc:
        _refuse("file", str(exc))
    label = (label or "").strip()
    if len(label) > 200:
        _refuse("label", _("La description tient en 200 caractères au maximum."))
    original = os.path.basename((upload.name or "").replace("\\", "/"))[:200] or "document"
    now = now or timezone.now()
    document = DossierDocument(
        dossier=dossier,
        original_name=original,
        content_type=rules.DOCUMENT_TYPES[kind],
        size=upload.size,
        label=label,
        uploaded_by=actor,
    )
    # Stored under MEDIA_ROOT (outside the web root) with a random name whose extension
    # follows the sniffed type, never the name the browser sent.
    document.file.save(f"document.{kind}", upload, save=False)
    try:
        document.save()
        _touch(dossier, now)
        _journal(
            actor,
            dossier,
            "dossier.document_added",
            gettext_noop("Document ajouté au dossier usager n°%(number)s"),
            {"document": document.pk, "content_type": document.content_type, "size": document.size},
            AccessAction.EDIT,
        )
    except Exception:
        document.file.storage.delete(document.file.name)
        raise
    return document


@transaction.atomic
def remove_document(actor, document: DossierDocument, now: datetime | None = None) -> None:
    dossier = document.dossier
    _require_active(dossier, lock=True)
    name, pk = document.file.name, document.pk
    document.delete()
    _delete_files_on_commit([name], dossier.pk)
    _touch(dossier, now or timezone.now())
    _journal(
        actor,
        dossier,
        "dossier.document_removed",
        gettext_noop("Document retiré du dossier usager n°%(number)s"),
        {"document": pk},
        AccessAction.EDIT,
    )


# --- export -------------------------------------------------------------------------------------


def _person(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.email


def _iso(value):
    """Instants in the house network's local time; JSON writes them as ISO 8601."""
    if isinstance(value, datetime):
        return timezone.localtime(value)
    return value


def _json_default(value):
    if hasattr(value, "isoformat"):
        return (
            value.isoformat(timespec="minutes")
            if isinstance(value, datetime)
            else value.isoformat()
        )
    raise TypeError(f"not serialisable: {type(value).__name__}")


def export_data(dossier: Dossier, now: datetime | None = None) -> dict:
    """Everything the file holds about the person (right of access), as plain data."""
    house = dossier.house
    requests = (
        ServiceRequest.objects.filter(dossier_link__dossier=dossier)
        .select_related("category", "partner")
        .prefetch_related("other_partners")
        .order_by("occurred_at", "pk")
    )
    return {
        "exported_at": _iso(now or timezone.now()),
        "house": {
            "name": house.name,
            "commune": house.commune.name,
            "phone": house.phone,
            "email": house.email,
        },
        "dossier": {
            "id": dossier.pk,
            "status": dossier.get_status_display(),
            "created_at": _iso(dossier.created_at),
            "last_activity_at": _iso(dossier.last_activity_at),
        },
        "identity": {
            "first_name": dossier.first_name,
            "last_name": dossier.last_name,
            "birth_year": dossier.birth_year,
            "phone": dossier.phone,
            "email": dossier.email,
            "postal_address": dossier.postal_address,
        },
        "consent": {
            "given_at": _iso(dossier.consent_at),
            "purpose": dossier.consent_purpose,
            "recorded_by": _person(dossier.consent_by),
        },
        "next_steps": dossier.next_steps,
        "follow_ups": [
            {
                "at": _iso(f.at),
                "author": _person(f.author),
                "note": f.note,
                "due_on": _iso(f.due_on),
                "done": f.done,
                "request_date": _iso(f.request.occurred_at) if f.request else None,
            }
            for f in dossier.follow_ups.select_related("author", "request").order_by("at", "pk")
        ],
        "documents": [
            {
                "name": d.original_name,
                "description": d.label,
                "type": d.content_type,
                "size": d.size,
                "uploaded_at": _iso(d.uploaded_at),
            }
            for d in dossier.documents.order_by("uploaded_at", "pk")
        ],
        "requests": [
            {
                "date": _iso(r.occurred_at),
                "category": str(r.category),
                "partners": [
                    p.name
                    for p in ([r.partner] if r.partner else []) + list(r.other_partners.all())
                ],
                "channel": r.get_channel_display(),
                "outcome": r.get_outcome_display(),
            }
            for r in requests
        ],
        "accesses": [
            {"at": _iso(a.at), "action": a.get_action_display(), "by": _person(a.user)}
            for a in dossier.accesses.select_related("user").order_by("at", "pk")
        ],
    }


def export_dossier(
    actor, dossier: Dossier, fmt: str = "json", now: datetime | None = None
) -> bytes:
    """The person's copy of their file, JSON or PDF; the export is logged."""
    if fmt not in EXPORT_FORMATS:
        _refuse("format", _("Format d'export inconnu : choisissez JSON ou PDF."))
    _require_active(dossier)
    now = now or timezone.now()
    data = export_data(dossier, now)
    if fmt == "json":
        content = json.dumps(data, ensure_ascii=False, indent=2, default=_json_default).encode(
            "utf-8"
        )
    else:
        from weasyprint import HTML

        html = render_to_string("dossiers/export_pdf.html", {"data": data, "dossier": dossier})
        content = HTML(string=html).write_pdf()
    # Logged once the copy exists: an export that failed is not an export.
    with transaction.atomic():
        _journal(
            actor,
            dossier,
            "dossier.exported",
            gettext_noop("Export du dossier usager n°%(number)s"),
            {"format": fmt},
            AccessAction.EXPORT,
        )
    return content


# --- erasure and anonymisation ------------------------------------------------------------------


def _delete_files(names: list[str], dossier_pk: int) -> None:
    storage = DossierDocument._meta.get_field("file").storage
    for name in names:
        try:
            storage.delete(name)
        except OSError:
            log.exception(
                "could not delete a dossier document file: dossier=%s name=%s", dossier_pk, name
            )
    # Not a local storage, or other files remain: fine, the directory's name holds only an id.
    with contextlib.suppress(NotImplementedError, OSError):
        os.rmdir(storage.path(f"dossiers/{dossier_pk}"))


def _delete_files_on_commit(names: list[str], dossier_pk: int) -> None:
    # After the commit: a rolled-back erasure never leaves rows pointing to deleted files.
    if names:
        transaction.on_commit(lambda: _delete_files(names, dossier_pk))


def _claim_and_strip(
    pk: int, house_id: int, status: str, now: datetime, actor=None, cutoff: datetime | None = None
) -> dict | None:
    """Blank everything personal of an ACTIVE file, as one claim: UPDATE ... WHERE status='active'
    (the statuses Dossier.STATUS_TRANSITIONS lets move to `status`).

    Returns what was removed, or None when the file was not (or no longer) claimable: a second
    erasure, or a concurrent purge that got there first, changes nothing.
    """
    # The state machine's guard, as a claim: only a row whose status may move to `status` matches.
    claim = Dossier.objects.filter(pk=pk, status__in=Dossier.statuses_leading_to(status))
    if cutoff is not None:
        claim = claim.filter(last_activity_at__lt=cutoff)
    if not claim.update(status=status, closed_at=now, version=F("version") + 1, **_BLANK_IDENTITY):
        return None
    follow_ups, _per_model = FollowUp.objects.filter(dossier_id=pk).delete()
    documents = DossierDocument.objects.filter(dossier_id=pk)
    names = [name for name in documents.values_list("file", flat=True) if name]
    document_count, _per_model = documents.delete()
    _delete_files_on_commit(names, pk)
    # Requests are kept as anonymous statistics: unlinked, their free notes blanked.
    ServiceRequest.objects.filter(dossier_link__dossier_id=pk).update(
        notes="", version=F("version") + 1
    )
    unlinked, _per_model = LinkedRequest.objects.filter(dossier_id=pk).delete()
    action = AccessAction.ERASE if status == DossierStatus.ERASED else AccessAction.ANONYMISE
    DossierAccess.objects.create(
        dossier_id=pk, user=actor if getattr(actor, "pk", None) else None, action=action
    )
    return {
        "fields": list(rules.IDENTITY_FIELDS),
        "follow_ups": follow_ups,
        "documents": document_count,
        "requests_unlinked": unlinked,
    }


@transaction.atomic
def erase_dossier(actor, dossier: Dossier, now: datetime | None = None) -> bool:
    """Erase the file at the person's request. False (and nothing changes) when already done."""
    now = now or timezone.now()
    removed = _claim_and_strip(dossier.pk, dossier.house_id, DossierStatus.ERASED, now, actor=actor)
    if removed is None:
        dossier.refresh_from_db()
        return False
    _journal(
        actor,
        dossier,
        "dossier.erased",
        gettext_noop("Dossier usager n°%(number)s effacé à la demande de la personne"),
        removed,
    )
    dossier.refresh_from_db()
    return True


def anonymise_inactive(
    now: datetime | None = None,
    dry_run: bool = False,
    batch_size: int = rules.PURGE_BATCH_SIZE,
    progress=None,
) -> int:
    """Anonymise the active files inactive for longer than the retention period; returns how many.

    Idempotent and safe to run concurrently: each file is claimed by a conditional UPDATE, so a
    second run (or a parallel one) skips what was already done. One transaction per batch.
    """
    now = now or timezone.now()
    cutoff = rules.retention_cutoff(now)
    due = Dossier.objects.filter(status=DossierStatus.ACTIVE, last_activity_at__lt=cutoff)
    if dry_run:
        return due.count()
    done = 0
    last_pk = 0
    while True:
        batch = list(
            due.filter(pk__gt=last_pk).order_by("pk").values_list("pk", "house_id")[:batch_size]
        )
        if not batch:
            return done
        with transaction.atomic():
            for pk, house_id in batch:
                removed = _claim_and_strip(
                    pk, house_id, DossierStatus.ANONYMISED, now, cutoff=cutoff
                )
                if removed is None:
                    continue
                done += 1
                _journal(
                    None,
                    Dossier(pk=pk, house_id=house_id),
                    "dossier.anonymised",
                    gettext_noop(
                        "Dossier usager n°%(number)s anonymisé : durée de conservation échue"
                    ),
                    removed,
                )
        last_pk = batch[-1][0]
        if progress is not None:
            progress(done)
