"""Transmission intents: the house sends one and answers a request for information; the
partner's referent takes it in charge, asks for information, resolves, redirects or refuses it;
the daily job expires what nobody touched and purges what consent no longer covers.

Each owns its transaction, its checks (DomainError in French, nothing saved), its step on the
timeline, its journal entry, its webhook event (webhooks.services.emit, in the same
transaction) and its notice to the agent who sent it (an email task of the queue, tasks.py).
"""

import os
import secrets
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from msap.core import journal
from msap.core.errors import DomainError, IdempotencyConflict, StaleVersion
from msap.lib.dates import timezone_for
from msap.lib.uploads import UploadError, check_upload
from msap.permissions import scope_for, transmission_access
from msap.transmissions import queries, rules, tasks
from msap.transmissions.models import (
    EXPIRABLE,
    Attachment,
    DataCategory,
    NoticeKind,
    RefusalReason,
    Step,
    Transmission,
    TransmissionStatus,
    Urgency,
)
from msap.webhooks.services import emit

S = TransmissionStatus
EVENT_TYPES = {
    S.SENT: "transmission.sent",
    S.TAKEN: "transmission.taken_in_charge",
    S.INFO_REQUESTED: "transmission.information_requested",
    S.ANSWERED: "transmission.answered",
    S.RESOLVED: "transmission.resolved",
    S.REDIRECTED: "transmission.redirected",
    S.REFUSED: "transmission.refused",
    S.EXPIRED: "transmission.expired",
}
PERSON_FIELDS = {
    "person_name": DataCategory.IDENTITY,
    "person_contact": DataCategory.CONTACT,
    "person_reference": DataCategory.REFERENCE,
}


def _refuse(message: str, field: str = "__all__"):
    raise DomainError(message, {field: [message]})


def _text(value: str, field: str = "text", *, required: str | None, limit: int) -> str:
    """The stripped text, or a refusal when it is missing (`required` says what to give) or
    too long."""
    value = (value or "").strip()
    if not value and required:
        _refuse(required, field)
    if len(value) > limit:
        _refuse(
            _("Ce texte tient en %(max)s caractères au maximum.") % {"max": limit},
            field,
        )
    return value


def _message(text: str, required: str | None = None) -> str:
    """A message of the timeline (a question, an answer, a reason)."""
    return _text(text, required=required, limit=rules.MESSAGE_MAX_LENGTH)


def _check_attachments(uploads) -> list[tuple[object, str]]:
    uploads = [u for u in uploads or () if u]
    if len(uploads) > rules.MAX_ATTACHMENTS:
        _refuse(
            _("Joignez au plus %(max)s fichiers.") % {"max": rules.MAX_ATTACHMENTS},
            "attachments",
        )
    checked = []
    for upload in uploads:
        try:
            kind = check_upload(upload, allowed=rules.ATTACHMENT_TYPES)
        except UploadError as exc:
            name = os.path.basename((upload.name or "").replace("\\", "/"))[:80]
            _refuse(f"{name} : {exc}" if name else str(exc), "attachments")
        checked.append((upload, kind))
    return checked


def _store(transmission, step, checked, actor, now, stored: list) -> None:
    """Save the checked uploads under random names; `stored` collects them so that a
    transaction that fails afterwards removes them from storage."""
    for upload, kind in checked:
        attachment = Attachment(
            transmission=transmission,
            step=step,
            kind=kind,
            original_name=os.path.basename((upload.name or "").replace("\\", "/"))[:200]
            or "piece-jointe",
            size=upload.size,
            uploaded_by=actor,
            uploaded_at=now,
        )
        attachment.file.save(f"{secrets.token_hex(16)}.{kind}", upload, save=False)
        stored.append(attachment.file)
        attachment.save()


def _remove_files(files) -> None:
    for fieldfile in files:
        fieldfile.storage.delete(fieldfile.name)


def check_consent(
    *,
    given: bool,
    categories,
    until: date | None,
    person: dict,
    dossier,
    with_attachments: bool,
    today: date,
) -> list[str]:
    """The consent categories to store, or a French refusal: personal data (the person's name,
    contact, reference, a personal file, attachments) goes to a partner only with the person's
    consent, for what they agreed to share and for a stated time."""
    carries = any(person.values()) or dossier is not None or with_attachments
    categories = sorted(set(categories or []))
    if not carries and not given:
        return []
    if not given:
        _refuse(
            _(
                "Cette saisine transmet des données personnelles : recueillez d'abord le "
                "consentement de la personne (ce qui est partagé, pour combien de temps)."
            ),
            "consent",
        )
    unknown = [c for c in categories if c not in DataCategory.values]
    if unknown or not categories:
        _refuse(_("Cochez les données que la personne accepte de partager."), "consent_categories")
    needed = {PERSON_FIELDS[f] for f, v in person.items() if v}
    if with_attachments:
        needed.add(DataCategory.DOCUMENTS)
    if dossier is not None:
        needed.add(DataCategory.IDENTITY)
    missing = sorted(needed - set(categories))
    if missing:
        labels = dict(DataCategory.choices)
        _refuse(
            _("La personne n'a pas accepté de partager : %(what)s.")
            % {"what": ", ".join(str(labels[m]) for m in missing)},
            "consent_categories",
        )
    if until is None or until < today:
        _refuse(
            _("Indiquez jusqu'à quand le consentement vaut (une date à venir)."), "consent_until"
        )
    if until > today + timedelta(days=rules.MAX_CONSENT_DAYS):
        _refuse(
            _("Un consentement vaut au plus %(days)s jours.") % {"days": rules.MAX_CONSENT_DAYS},
            "consent_until",
        )
    return categories


def _payload(transmission: Transmission) -> dict:
    """What a partner's system receives: no personal data, only what to fetch and by when."""
    return {
        "transmission": transmission.pk,
        "house": transmission.house_id,
        "status": transmission.status,
        "urgency": transmission.urgency,
        "subject": transmission.subject,
        "take_due_on": transmission.take_due_on.isoformat(),
        "resolve_due_on": transmission.resolve_due_on.isoformat(),
        "url": f"{settings.SITE_URL}/saisines/{transmission.pk}/",
    }


def _same(existing: Transmission, house, partnership, subject, question) -> None:
    if (
        existing.house_id != house.pk
        or existing.partnership_id != partnership.pk
        or existing.subject != subject
        or existing.question != question
    ):
        raise IdempotencyConflict(
            _(
                "Cette saisie a déjà été transmise avec d'autres valeurs (saisine n° %(pk)s) : "
                "rien n'a été modifié. Rechargez le formulaire pour transmettre une autre saisine."
            )
            % {"pk": existing.pk},
            existing,
        )


def send(
    actor,
    house,
    *,
    partnership,
    subject: str,
    question: str,
    urgency: str = Urgency.NORMAL,
    referent=None,
    request=None,
    dossier=None,
    person_name: str = "",
    person_contact: str = "",
    person_reference: str = "",
    consent: bool = False,
    consent_categories=(),
    consent_until: date | None = None,
    attachments=(),
    idempotency_key: str = "",
    now: datetime | None = None,
) -> tuple[Transmission, bool]:
    """Transmit a file or a complex situation to a partner of the house. Returns (transmission,
    created); a repeated idempotency key returns the first one (double click, API retry)."""
    now = now or timezone.now()
    idempotency_key = (idempotency_key or "")[:64]
    if house.pk not in scope_for(actor).agent_houses:
        _refuse(_("Seuls les agents de la maison transmettent ses saisines."))
    subject = _text(subject, "subject", required=_("Indiquez l'objet de la saisine."), limit=200)
    question = _text(
        question,
        "question",
        required=_("Indiquez la question posée au partenaire."),
        limit=rules.QUESTION_MAX_LENGTH,
    )
    if idempotency_key:
        existing = Transmission.objects.filter(
            sent_by=actor, idempotency_key=idempotency_key
        ).first()
        if existing is not None:
            _same(existing, house, partnership, subject, question)
            return existing, False
    if partnership.house_id != house.pk or partnership.status != "active":
        _refuse(_("Ce partenaire n'est pas partenaire de la maison."), "partnership")
    if referent is not None and (
        referent.partnership_id != partnership.pk or referent.ended_on is not None
    ):
        _refuse(_("Ce référent n'est pas un référent actuel de ce partenaire."), "referent")
    if urgency not in Urgency.values:
        _refuse(_("Choisissez une urgence proposée."), "urgency")
    if request is not None and request.house_id != house.pk:
        _refuse(_("Cette demande n'a pas été enregistrée dans cette maison."), "request")
    if dossier is not None and (dossier.house_id != house.pk or dossier.status != "active"):
        _refuse(_("Ce dossier usager n'est pas un dossier ouvert de la maison."), "dossier")
    person = {
        "person_name": (person_name or "").strip()[:200],
        "person_contact": (person_contact or "").strip()[:200],
        "person_reference": (person_reference or "").strip()[:60],
    }
    checked = _check_attachments(attachments)
    dept = house.commune.departement_id
    today = now.astimezone(timezone_for(dept)).date()
    categories = check_consent(
        given=consent,
        categories=consent_categories,
        until=consent_until,
        person=person,
        dossier=dossier,
        with_attachments=bool(checked),
        today=today,
    )
    levels = queries.service_levels(partnership)
    stored: list = []
    try:
        with transaction.atomic():
            transmission = Transmission.objects.create(
                house=house,
                partnership=partnership,
                referent=referent,
                request=request,
                dossier=dossier,
                subject=subject,
                question=question,
                urgency=urgency,
                sent_by=actor,
                sent_at=now,
                status_changed_at=now,
                take_days=levels.take_days,
                resolve_days=levels.resolve_days,
                take_due_on=rules.due_on(today, levels.take_days, dept),
                resolve_due_on=rules.due_on(today, levels.resolve_days, dept),
                consent_categories=categories,
                consent_until=consent_until if categories else None,
                consent_at=now if categories else None,
                consent_by=actor if categories else None,
                idempotency_key=idempotency_key,
                **person,
            )
            step = Step.objects.create(
                transmission=transmission, at=now, actor=actor, status=S.SENT
            )
            _store(transmission, step, checked, actor, now, stored)
            journal.record(
                actor,
                "transmission.sent",
                transmission,
                summary=gettext_noop("Saisine transmise à %(partner)s"),
                params={"partner": partnership.partner.short_name},
            )
            if categories:
                journal.record(
                    actor,
                    "transmission.consent",
                    transmission,
                    summary=gettext_noop("Consentement recueilli jusqu'au %(until)s"),
                    params={"until": consent_until},
                    changes={"consent_categories": [[], categories]},
                )
            emit(EVENT_TYPES[S.SENT], partnership.partner, _payload(transmission))
    except IntegrityError:
        _remove_files(stored)
        existing = (
            Transmission.objects.filter(sent_by=actor, idempotency_key=idempotency_key).first()
            if idempotency_key
            else None
        )
        if existing is None:
            raise
        _same(existing, house, partnership, subject, question)
        return existing, False
    except BaseException:
        _remove_files(stored)
        raise
    return transmission, True


# --- moves along the status graph ------------------------------------------------------------


def _move(
    actor,
    transmission: Transmission,
    new: str,
    *,
    side: str,
    version: int | None,
    now: datetime | None,
    text: str = "",
    fields: dict | None = None,
    attachments=(),
    vouched: bool = False,
) -> Transmission:
    """Move the transmission to `new` for `actor` of `side` ("partner" or "house"): lock its
    row, refuse a stale version, record the step, its journal entry, the webhook event and the
    notice to the agent who sent it (for the partner's moves). `vouched`: the caller opened a
    signed link of the addressed partner for this very transmission (msap.portal, Dora); the
    actor is then None and the partner's side is granted while its partnership is active."""
    now = now or timezone.now()
    checked = _check_attachments(attachments)
    stored: list = []
    try:
        with transaction.atomic():
            locked = (
                Transmission.objects.select_for_update(of=("self",))
                .select_related("house__commune", "partnership__partner")
                .get(pk=transmission.pk)
            )
            access = transmission_access(actor, locked)
            if vouched and side == "partner" and locked.partnership.status == "active":
                pass
            elif not getattr(access, side):
                _refuse(
                    _("Seuls les référents du partenaire destinataire agissent sur cette saisine.")
                    if side == "partner"
                    else _("Seuls les agents de la maison répondent pour elle.")
                )
            if version is not None and locked.version != version:
                raise StaleVersion(
                    _(
                        "Cette saisine a changé depuis que vous l'avez ouverte (%(status)s) : "
                        "rechargez la page avant d'agir."
                    )
                    % {"status": locked.get_status_display()}
                )
            if checked and (
                DataCategory.DOCUMENTS not in locked.consent_categories
                or locked.consent_until is None
                or locked.consent_until < queries.today_for(locked, now)
            ):
                _refuse(
                    _(
                        "La personne n'a pas accepté que des pièces soient partagées avec ce "
                        "partenaire (ou son consentement a expiré) : aucune pièce jointe."
                    ),
                    "attachments",
                )
            before = locked.set_status(new)
            locked.status_changed_at = now
            locked.version += 1
            update = ["status", "status_changed_at", "version"]
            if new in (S.TAKEN, S.RESOLVED) and locked.taken_at is None:
                locked.taken_at = now
                update.append("taken_at")
            if new in (S.RESOLVED, S.REDIRECTED, S.REFUSED, S.EXPIRED):
                locked.closed_at = now
                update.append("closed_at")
            for name, value in (fields or {}).items():
                setattr(locked, name, value)
                update.append(name)
            locked.save(update_fields=update)
            step = Step.objects.create(
                transmission=locked, at=now, actor=actor, status=new, text=text
            )
            _store(locked, step, checked, actor, now, stored)
            journal.record(
                actor,
                f"transmission.{new}",
                locked,
                summary=gettext_noop("Saisine : %(status)s"),
                params={"status": TransmissionStatus(new).label},
                changes={"status": [before, new]},
            )
            emit(EVENT_TYPES[new], locked.partnership.partner, _payload(locked))
            if side != "house":
                tasks.notify(locked, NoticeKind.STEP, str(step.pk), now)
    except BaseException:
        _remove_files(stored)
        raise
    return locked


def _by_partner(
    actor, transmission, new, version, now, text="", vouched=False, **fields
) -> Transmission:
    return _move(
        actor,
        transmission,
        new,
        side="partner",
        version=version,
        now=now,
        text=text,
        fields=fields,
        vouched=vouched,
    )


def take_in_charge(actor, transmission, *, version=None, now=None, vouched=False):
    return _by_partner(actor, transmission, S.TAKEN, version, now, vouched=vouched)


def request_information(
    actor, transmission, question: str, *, version=None, now=None, vouched=False
):
    text = _message(question, _("Indiquez les informations ou les pièces qu'il vous faut."))
    return _by_partner(actor, transmission, S.INFO_REQUESTED, version, now, text, vouched)


def answer(actor, transmission, text: str, attachments=(), *, version=None, now=None):
    """The house answers the partner's request for information, with documents if the
    person agreed to share them."""
    text = _message(text, _("Indiquez la réponse de la maison."))
    return _move(
        actor,
        transmission,
        S.ANSWERED,
        side="house",
        version=version,
        now=now,
        text=text,
        attachments=attachments,
    )


def resolve(actor, transmission, text: str, *, version=None, now=None, vouched=False):
    text = _message(text, _("Indiquez la réponse apportée ou la suite convenue."))
    return _by_partner(actor, transmission, S.RESOLVED, version, now, text, vouched)


def redirect(
    actor,
    transmission,
    to_partnership,
    text: str = "",
    *,
    version=None,
    now=None,
    vouched=False,
):
    """The partner points to another partner of the house, more competent; the house transmits
    to it anew if the person agrees (their consent was given for the first partner only)."""
    if (
        to_partnership is None
        or to_partnership.house_id != transmission.house_id
        or to_partnership.status != "active"
        or to_partnership.partner_id == transmission.partnership.partner_id
    ):
        _refuse(
            _("Réorientez vers un autre partenaire de la maison, choisi dans la liste."),
            "redirected_to",
        )
    text = _message(text)
    return _by_partner(
        actor,
        transmission,
        S.REDIRECTED,
        version,
        now,
        text,
        vouched,
        redirected_to=to_partnership,
    )


def refuse(
    actor, transmission, reason: str, text: str = "", *, version=None, now=None, vouched=False
):
    if reason not in RefusalReason.values:
        _refuse(_("Choisissez le motif du refus dans la liste."), "refusal_reason")
    text = _message(
        text, _("Précisez le motif du refus.") if reason == RefusalReason.OTHER else None
    )
    return _by_partner(
        actor, transmission, S.REFUSED, version, now, text, vouched, refusal_reason=reason
    )


# --- expiry and purge (the daily job) -----------------------------------------------------------


def _purge(transmission: Transmission, now: datetime) -> list:
    """Blank the person's data and delete the attachments' rows; returns their files, which the
    caller removes from storage once its transaction is over (a rollback keeps them)."""
    files = [a.file for a in transmission.attachments.all()]
    transmission.attachments.all().delete()
    Step.objects.filter(transmission=transmission).update(text="")
    Transmission.objects.filter(pk=transmission.pk).update(
        person_name="",
        person_contact="",
        person_reference="",
        dossier=None,
        question="",
        purged_at=now,
    )
    return files


def _each_locked(todo, handle) -> int:
    """Run `handle(transmission)` on each row of `todo` still matching it under its row lock,
    one transaction each; `handle` returns the files to remove once committed. Returns how
    many were handled: a row another run took meanwhile no longer matches and is skipped."""
    done = 0
    for pk in todo.order_by("pk").values_list("pk", flat=True):
        with transaction.atomic():
            locked = (
                todo.select_for_update(of=("self",))
                .select_related("house__commune", "partnership__partner")
                .filter(pk=pk)
                .first()
            )
            if locked is None:
                continue
            files = handle(locked)
        _remove_files(files)
        done += 1
    return done


def expire_untouched(*, now: datetime | None = None, dry_run: bool = False) -> int:
    """Expire the transmissions left untouched EXPIRY_DAYS (sent and never taken in charge, or
    waiting for the house's answer), delete their attachments and purge the person's data.

    Derived from the rows, each claimed by its status under a row lock: safe to run twice."""
    now = now or timezone.now()
    todo = Transmission.objects.filter(
        status__in=EXPIRABLE, status_changed_at__lt=rules.expiry_cutoff(now)
    )
    if dry_run:
        return todo.count()

    def expire(locked: Transmission) -> list:
        before = locked.set_status(S.EXPIRED)
        locked.status_changed_at = locked.closed_at = now
        locked.version += 1
        locked.save(update_fields=["status", "status_changed_at", "closed_at", "version"])
        step = Step.objects.create(transmission=locked, at=now, status=S.EXPIRED)
        files = _purge(locked, now)
        journal.record(
            None,
            "transmission.expired",
            locked,
            summary=gettext_noop(
                "Saisine expirée après %(days)s jours sans suite : %(files)s pièce(s) "
                "supprimée(s), données de la personne effacées"
            ),
            params={"days": rules.EXPIRY_DAYS, "files": len(files)},
            changes={"status": [before, S.EXPIRED]},
        )
        emit(EVENT_TYPES[S.EXPIRED], locked.partnership.partner, _payload(locked))
        tasks.notify(locked, NoticeKind.STEP, str(step.pk), now)
        return files

    return _each_locked(todo, expire)


def purge_past_consent(*, now: datetime | None = None, dry_run: bool = False) -> int:
    """Purge the person's data and attachments of transmissions whose consent has run out
    (the person agreed "for how long"), whatever their status."""
    now = now or timezone.now()
    # The day in the network's zone: an overseas house's consent ends at most hours later.
    todo = Transmission.objects.filter(
        purged_at__isnull=True, consent_until__lt=timezone.localdate(now)
    )
    if dry_run:
        return todo.count()

    def purge(locked: Transmission) -> list:
        files = _purge(locked, now)
        journal.record(
            None,
            "transmission.purged",
            locked,
            summary=gettext_noop(
                "Consentement échu : %(files)s pièce(s) supprimée(s), données de la personne "
                "effacées"
            ),
            params={"files": len(files)},
        )
        return files

    return _each_locked(todo, purge)
