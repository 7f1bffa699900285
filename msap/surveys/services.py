"""What the survey's users do (charter commitment 15): the responsable opens the year's
campaign, the counter hands out one-time codes, a visitor answers once, the responsable moderates
the comments, publishes the results and keeps the improvement plan. Each change in one
transaction, journaled with its house (a visitor's answer is not: it is anonymous).
"""

import logging
import secrets
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from msap.core import journal, limits
from msap.core.errors import DomainError
from msap.core.limits import Refused
from msap.core.rules import day_error
from msap.lib.dates import end_of_day
from msap.surveys import rules
from msap.surveys.models import (
    Action,
    Answer,
    Campaign,
    CommentStatus,
    Token,
)

log = logging.getLogger(__name__)


# --- the campaign ---------------------------------------------------------------------------------


def open_campaign(actor, house, *, year: int, opens_on: date, closes_on: date) -> Campaign:
    """The year's campaign of a house (commitment 15: every year), opened by its responsable."""
    for name, day in (("opens_on", opens_on), ("closes_on", closes_on)):
        error = day_error(day)
        if error:
            raise DomainError(error, {name: [error]})
    error = rules.campaign_dates_error(year, opens_on, closes_on)
    if error:
        raise DomainError(error, {"closes_on": [error]})
    if house.status == "closed":
        raise DomainError(_("Cette maison est fermée : elle n'ouvre plus d'enquête."))
    if Campaign.objects.filter(house=house, year=year).exists():
        message = _("La maison a déjà une campagne d'enquête pour %(year)s.") % {"year": year}
        raise DomainError(message, {"year": [message]})
    try:
        with transaction.atomic():
            campaign = Campaign.objects.create(
                house=house, year=year, opens_on=opens_on, closes_on=closes_on, opened_by=actor
            )
            journal.record(
                actor,
                "survey.campaign",
                campaign,
                summary=gettext_noop(
                    "Enquête de satisfaction %(year)s ouverte du %(start)s au %(end)s"
                ),
                params={"year": year, "start": opens_on, "end": closes_on},
                house_id=house.pk,
            )
    except IntegrityError as exc:  # the same campaign opened twice at once: one stands
        message = _("La maison a déjà une campagne d'enquête pour %(year)s.") % {"year": year}
        raise DomainError(message, {"year": [message]}) from exc
    return campaign


def closes_at(campaign: Campaign) -> datetime:
    """The last instant of the campaign's last day, in its house's time zone."""
    return end_of_day(campaign.closes_on, campaign.house.tz)


def _check_open(campaign: Campaign, now: datetime) -> None:
    today = timezone.localtime(now, campaign.house.tz).date()
    if not campaign.is_open_on(today):
        raise DomainError(
            _(
                "L'enquête %(year)s est ouverte du %(start)s au %(end)s : nous sommes en dehors de la campagne."
            )
            % {
                "year": campaign.year,
                "start": campaign.opens_on.strftime("%d/%m/%Y"),
                "end": campaign.closes_on.strftime("%d/%m/%Y"),
            }
        )


def _new_code() -> str:
    return "".join(secrets.choice(rules.CODE_ALPHABET) for _ in range(rules.CODE_LENGTH))


def issue_tokens(
    actor, campaign: Campaign, count: int = 1, *, now: datetime | None = None
) -> list[Token]:
    """`count` one-time codes for the visits of today (the counter's screen: one; a printed
    sheet: up to MAX_TICKETS_PER_SHEET)."""
    now = now or timezone.now()
    if not 1 <= count <= rules.MAX_TICKETS_PER_SHEET:
        message = _("Indiquez un nombre de tickets entre 1 et %(max)s.") % {
            "max": rules.MAX_TICKETS_PER_SHEET
        }
        raise DomainError(message, {"count": [message]})
    _check_open(campaign, now)
    if campaign.tokens.count() + count > rules.MAX_TOKENS_PER_CAMPAIGN:
        raise DomainError(_("Cette campagne a déjà reçu le nombre maximal de codes."))
    expires = rules.token_expiry(now, closes_at(campaign))
    for _attempt in range(5):
        codes = {_new_code() for _ in range(count)}
        if len(codes) < count or Token.objects.filter(code__in=codes).exists():
            continue  # a collision, once in billions: draw again
        try:
            with transaction.atomic():
                tokens = Token.objects.bulk_create(
                    Token(campaign=campaign, code=code, issued_at=now, expires_at=expires)
                    for code in sorted(codes)
                )
                if count > 1:
                    journal.record(
                        actor,
                        "survey.tickets",
                        campaign,
                        summary=gettext_noop("%(count)s tickets d'enquête imprimés"),
                        params={"count": count},
                        house_id=campaign.house_id,
                    )
            return tokens
        except IntegrityError:
            continue
    raise DomainError(_("Les codes n'ont pas pu être créés : réessayez."))


# --- the public form ------------------------------------------------------------------------------


def check_client_rate(client: str) -> None:
    """Refuse a client address that tries more codes or sends more answers than the hour's
    allowance (a code is guessed by trying: every look-up counts)."""
    window = int(timezone.now().timestamp()) // rules.RATE_WINDOW_SECONDS
    hits = limits.count(f"surveys:rate:client:{client}:{window}", rules.RATE_WINDOW_SECONDS)
    if hits > rules.RATE_PER_CLIENT:
        log.warning("survey refused: rate limit (client %s: %d this hour)", client, hits)
        raise Refused(_too_many())


def _check_campaign_rate(campaign: Campaign) -> None:
    window = int(timezone.now().timestamp()) // rules.RATE_WINDOW_SECONDS
    hits = limits.count(f"surveys:rate:campaign:{campaign.pk}:{window}", rules.RATE_WINDOW_SECONDS)
    if hits > rules.RATE_PER_CAMPAIGN:
        log.warning("survey refused: rate limit (campaign %s: %d this hour)", campaign.pk, hits)
        raise Refused(_too_many())


def _too_many() -> str:
    return _(
        "Nous avons reçu beaucoup de réponses en peu de temps : la vôtre n'a pas été "
        "enregistrée. Réessayez dans une heure : votre code reste valable."
    )


def refuse_robot(client: str) -> None:
    log.warning("survey refused: honeypot filled (client %s)", client)
    raise Refused(
        _(
            "Votre réponse n'a pas pu être enregistrée. Si vous êtes une personne, videz le champ "
            "« Ne pas remplir » puis envoyez à nouveau."
        )
    )


class CodeRefused(DomainError):
    """A code that does not open the form: unknown (404), used, expired or out of its
    campaign (410)."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.status = status


def token_for(code: str, *, now: datetime | None = None) -> Token:
    """The unused, unexpired code of an open campaign that `code` names, or a French refusal."""
    now = now or timezone.now()
    normal = rules.normalise_code(code)
    token = (
        Token.objects.select_related("campaign__house").filter(code=normal).first()
        if len(normal) == rules.CODE_LENGTH
        else None
    )
    if token is None:
        raise CodeRefused(
            _(
                "Ce code n'existe pas. Vérifiez les 8 caractères de votre ticket (sans 0, O, 1, I ni L)."
            ),
            404,
        )
    if token.used_at is not None:
        raise CodeRefused(_used(), 410)
    if token.expires_at <= now:
        raise CodeRefused(
            _(
                "Ce code a expiré : demandez-en un nouveau à l'accueil lors de votre prochaine visite."
            ),
            410,
        )
    try:
        _check_open(token.campaign, now)
    except DomainError as exc:
        raise CodeRefused(exc.message, 410) from exc
    return token


def _used() -> str:
    return _("Ce code a déjà servi : une seule réponse par visite. Merci de votre participation.")


def _clean(data: dict) -> dict:
    """The answer's values, or a refusal naming each missing or impossible one."""
    errors: dict[str, list[str]] = {}
    values = {}
    for name, label, _commitment in rules.QUESTIONS:
        value = data.get(name)
        if value in (None, ""):
            errors[name] = [_("Répondez à la question « %(question)s ».") % {"question": label}]
            continue
        try:
            value = int(value)
        except (TypeError, ValueError):
            value = None
        if value is None or not rules.SCALE_MIN <= value <= rules.SCALE_MAX:
            errors[name] = [_("Choisissez l'une des réponses proposées.")]
        values[name] = value
    overall = data.get("overall")
    try:
        overall = int(overall) if overall not in (None, "") else None
    except (TypeError, ValueError):
        overall = -1
    if overall is None:
        errors["overall"] = [_("Donnez une note de satisfaction globale, de 0 à 10.")]
    elif not rules.OVERALL_MIN <= overall <= rules.OVERALL_MAX:
        errors["overall"] = [_("La note de satisfaction globale va de 0 à 10.")]
    values["overall"] = overall
    comment = (data.get("comment") or "").strip()
    if len(comment) > rules.MAX_COMMENT:
        errors["comment"] = [
            _("%(limit)s caractères au plus (vous en avez écrit %(count)s).")
            % {"limit": rules.MAX_COMMENT, "count": len(comment)}
        ]
    values["comment"] = comment
    if errors:
        raise DomainError(_("Votre réponse est incomplète : rien n'a été enregistré."), errors)
    return values


def submit_answer(code: str, data: dict, *, client: str, now: datetime | None = None) -> Answer:
    """Record one anonymous answer for one code: the code is claimed by a conditional UPDATE in
    the answer's transaction, so two sends of the same code (twice, or at once) make one answer."""
    now = now or timezone.now()
    check_client_rate(client)
    token = token_for(code, now=now)
    values = _clean(data)
    campaign = token.campaign
    _check_campaign_rate(campaign)
    with transaction.atomic():
        claimed = Token.objects.filter(
            pk=token.pk, used_at__isnull=True, expires_at__gt=now
        ).update(used_at=now)
        if claimed != 1:  # the same code sent twice at once: the other send's answer stands
            raise CodeRefused(_used(), 410)
        return Answer.objects.create(
            campaign=campaign,
            answered_on=timezone.localtime(now, campaign.house.tz).date(),
            comment_status=CommentStatus.PENDING if values["comment"] else CommentStatus.NONE,
            **values,
        )


# --- moderation and publication -------------------------------------------------------------------

DECISIONS = {"publier": CommentStatus.APPROVED, "ecarter": CommentStatus.REJECTED}
DECISION_JOURNAL = {
    CommentStatus.APPROVED: gettext_noop("Commentaire d'enquête du %(day)s publié"),
    CommentStatus.REJECTED: gettext_noop("Commentaire d'enquête du %(day)s écarté"),
}


def moderate(actor, answer: Answer, decision: str) -> Answer:
    """Publish or set aside a free comment, read by the responsable first (commitment 15)."""
    with transaction.atomic():
        answer = Answer.objects.select_for_update().select_related("campaign").get(pk=answer.pk)
        if answer.comment_status == CommentStatus.NONE:
            raise DomainError(_("Cette réponse n'a pas de commentaire à modérer."))
        before = answer.set_status(decision)
        answer.moderated_at = timezone.now()
        answer.save(update_fields=["comment_status", "moderated_at"])
        journal.record(
            actor,
            "survey.comment",
            answer,
            summary=DECISION_JOURNAL[decision],
            params={"day": answer.answered_on},
            changes={"comment_status": [before, decision]},
            house_id=answer.campaign.house_id,
        )
    return answer


def publish(actor, campaign: Campaign) -> Campaign:
    """Publish the campaign's results on the house's public page (commitment 15: "vous informons
    des résultats"); the comments shown are those the responsable approved."""
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if campaign.published_at is not None:
            raise DomainError(_("Les résultats de cette enquête sont déjà publiés."))
        if not campaign.answers.exists():
            raise DomainError(_("Aucune réponse : il n'y a pas encore de résultats à publier."))
        campaign.published_at = timezone.now()
        campaign.save(update_fields=["published_at"])
        journal.record(
            actor,
            "survey.publish",
            campaign,
            summary=gettext_noop("Résultats de l'enquête de satisfaction %(year)s publiés"),
            params={"year": campaign.year},
            house_id=campaign.house_id,
        )
    return campaign


# --- the improvement plan -------------------------------------------------------------------------


def _check_action(title: str, owner: str, due_on) -> None:
    errors = {}
    if not (title or "").strip():
        errors["title"] = [_("Indiquez l'action à mener.")]
    if not (owner or "").strip():
        errors["owner"] = [_("Indiquez qui pilote l'action.")]
    if due_on is None:
        errors["due_on"] = [_("Indiquez l'échéance de l'action.")]
    elif error := day_error(due_on):
        errors["due_on"] = [error]
    if errors:
        raise DomainError(next(iter(errors.values()))[0], errors)


def add_action(
    actor, campaign: Campaign, *, title: str, owner: str, due_on, progress: str = ""
) -> Action:
    _check_action(title, owner, due_on)
    with transaction.atomic():
        action = Action.objects.create(
            campaign=campaign,
            title=title.strip(),
            owner=owner.strip(),
            due_on=due_on,
            progress=(progress or "").strip(),
        )
        journal.record(
            actor,
            "survey.action",
            action,
            summary=gettext_noop("Action d'amélioration ajoutée au plan (échéance %(due)s)"),
            params={"due": due_on},
            house_id=campaign.house_id,
        )
    return action


def update_action(actor, action: Action, *, status: str, progress: str, due_on) -> Action:
    """Move an action of the plan (its status's graph) and note its progress."""
    with transaction.atomic():
        action = Action.objects.select_for_update().select_related("campaign").get(pk=action.pk)
        _check_action(action.title, action.owner, due_on)
        changes = journal.diff(action, {"progress": (progress or "").strip(), "due_on": due_on})
        if status != action.status:
            before = action.set_status(status)
            changes["status"] = [before, status]
        if not changes:
            return action
        action.progress = (progress or "").strip()
        action.due_on = due_on
        action.save(update_fields=["status", "progress", "due_on", "updated_at"])
        journal.record(
            actor,
            "survey.action",
            action,
            summary=gettext_noop("Action d'amélioration du plan mise à jour"),
            changes=changes,
            house_id=action.campaign.house_id,
        )
    return action
