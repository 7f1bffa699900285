"""Charter intents: the house records an evidence for a commitment, removes one; the daily job
queues the reminder before an evidence expires. Each owns its transaction and its checks
(DomainError in French, nothing saved) and journals what it changed."""

import os
import secrets
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from msap.charter import queries, rules, tasks
from msap.charter.models import Evidence, EvidenceKind, ExpiryReminder
from msap.core import journal
from msap.core.errors import DomainError
from msap.lib.uploads import CONTENT_TYPES, OFFICE_CONTENT_TYPES, UploadError, check_upload


def _refuse(message: str, field: str = "__all__"):
    raise DomainError(message, {field: [message]})


def _check(house, commitment: str, kind: str, title: str, dated_on, valid_until, upload, today):
    charter = queries.commitments_for(today.year)
    codes = [c.code for c in charter.commitments] if charter else []
    if commitment not in codes:
        _refuse(_("Choisissez un engagement de la charte en vigueur."), "commitment")
    if kind not in EvidenceKind.values:
        _refuse(_("Choisissez le type de justificatif."), "kind")
    if kind not in rules.EVIDENCE_KINDS.get(commitment, ()):
        _refuse(
            _(
                "« %(kind)s » ne justifie pas l'engagement %(code)s : choisissez l'un de ceux qu'il prévoit."
            )
            % {"kind": EvidenceKind(kind).label, "code": commitment},
            "kind",
        )
    title = (title or "").strip()
    if len(title) > rules.MAX_TITLE:
        _refuse(
            _("L'intitulé tient en %(max)s caractères au maximum.") % {"max": rules.MAX_TITLE},
            "title",
        )
    if not isinstance(dated_on, date):
        _refuse(_("Indiquez la date du document."), "dated_on")
    if dated_on > today:
        _refuse(
            _("La date du document (%(day)s) ne peut pas être dans le futur.")
            % {"day": date_format(dated_on, "SHORT_DATE_FORMAT")},
            "dated_on",
        )
    if valid_until is None:
        valid_until = rules.default_valid_until(kind, dated_on)
    if valid_until < dated_on:
        _refuse(_("La fin de validité doit suivre la date du document."), "valid_until")
    if valid_until > rules.max_valid_until(dated_on):
        _refuse(
            _("Un justificatif vaut %(years)d ans au plus : vérifiez la fin de validité.")
            % {"years": rules.MAX_VALIDITY_MONTHS // 12},
            "valid_until",
        )
    if not upload:
        _refuse(_("Joignez le fichier du justificatif."), "file")
    try:
        sniffed = check_upload(upload, allowed=rules.EVIDENCE_TYPES)
    except UploadError as exc:
        _refuse(str(exc), "file")
    return title, valid_until, sniffed


def record_evidence(
    actor,
    house,
    *,
    commitment: str,
    kind: str,
    dated_on,
    upload,
    title: str = "",
    valid_until=None,
    idempotency_key: str = "",
    now: datetime | None = None,
) -> Evidence:
    """Record one evidence of `house` for `commitment`. Refused (nothing saved) without a date
    or a file, with a date in the future, an oversized or forbidden file; a resubmission of
    the same form (`idempotency_key`) returns the first evidence."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    key = (idempotency_key or "")[:64]
    if key:
        existing = Evidence.objects.filter(house=house, idempotency_key=key).first()
        if existing is not None:
            return existing
    title, valid_until, sniffed = _check(
        house, commitment, kind, title, dated_on, valid_until, upload, today
    )
    evidence = Evidence(
        house=house,
        commitment=commitment,
        kind=kind,
        title=title,
        dated_on=dated_on,
        valid_until=valid_until,
        original_name=os.path.basename((upload.name or "").replace("\\", "/"))[:200]
        or "justificatif",
        content_type={**CONTENT_TYPES, **OFFICE_CONTENT_TYPES}[sniffed],
        size=upload.size,
        uploaded_by=actor,
        uploaded_at=now,
        idempotency_key=key,
    )
    evidence.file.save(f"{secrets.token_hex(16)}.{sniffed}", upload, save=False)
    try:
        with transaction.atomic():
            evidence.save()
            journal.record(
                actor,
                "charter.evidence_recorded",
                evidence,
                summary=gettext_noop("Justificatif de l'engagement %(code)s : %(kind)s"),
                params={"code": commitment, "kind": EvidenceKind(kind).label},
            )
    except IntegrityError:
        evidence.file.storage.delete(evidence.file.name)
        existing = (
            Evidence.objects.filter(house=house, idempotency_key=key).first() if key else None
        )
        if existing is None:
            raise
        return existing
    except BaseException:
        evidence.file.storage.delete(evidence.file.name)
        raise
    return evidence


def remove_evidence(actor, evidence: Evidence, *, now: datetime | None = None) -> Evidence:
    """Remove an evidence: it stops counting and leaves the house's page; the row and its file
    stay for the journal and audits. Removing it twice is refused."""
    now = now or timezone.now()
    with transaction.atomic():
        updated = Evidence.objects.filter(pk=evidence.pk, removed_at__isnull=True).update(
            removed_at=now, removed_by=actor
        )
        if not updated:
            _refuse(_("Ce justificatif a déjà été retiré."))
        journal.record(
            actor,
            "charter.evidence_removed",
            evidence,
            summary=gettext_noop("Justificatif retiré de l'engagement %(code)s : %(kind)s"),
            params={"code": evidence.commitment, "kind": EvidenceKind(evidence.kind).label},
        )
    evidence.removed_at = now
    return evidence


def queue_expiry_reminders(now: datetime | None = None, *, dry_run: bool = False) -> int:
    """One pass of `msap remind_charter`: for each evidence that stops counting within
    rules.REMIND_BEFORE_DAYS (and is not replaced by a newer one of its kind), one reminder to
    the house's responsables, never twice (unique per evidence and expiry date); again what a
    lost task left unsent. Returns how many were queued (due, with --dry-run)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    due = [e for e in queries.expiring_evidence(today) if rules.reminder_due(e.valid_until, today)]
    known = set(
        ExpiryReminder.objects.filter(evidence__in=[e.pk for e in due]).values_list(
            "evidence_id", "valid_until"
        )
    )
    fresh = [e for e in due if (e.pk, e.valid_until) not in known]
    if dry_run:
        return len(fresh)
    queued = 0
    for evidence in fresh:
        with transaction.atomic():
            try:
                with transaction.atomic():
                    reminder = ExpiryReminder.objects.create(
                        evidence=evidence, valid_until=evidence.valid_until, created_at=now
                    )
            except IntegrityError:
                continue
            tasks.queue_reminder(reminder.pk)
            queued += 1
    with transaction.atomic():
        for pk in queries.lost_reminders(now):
            tasks.queue_reminder(pk)
    return queued
