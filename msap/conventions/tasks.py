"""The messages of the convention's life, as tasks of the queue, derived from state (art. 7, 9).

A notice row (unique per convention, kind and key) is created in the transaction of the change it
follows from, with its task; the task claims the row with a conditional UPDATE before sending, so
a repeated task never sends twice. Recipients are read when the task runs: the partners'
current referents (their direct address), the gestionnaire's accounts, the prefecture's cell.
"""

from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.tasks import task
from django.utils import timezone, translation
from django.utils.crypto import get_random_string
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from msap.conventions.models import (
    AdhesionRequest,
    Convention,
    Notice,
    NoticeKind,
    ServiceWithdrawal,
    Signatory,
)
from msap.core.queue import enqueue
from msap.partners.queries import current_referents
from msap.people.models import Membership, Role


def notify(convention: Convention, kind: str, key: str) -> bool:
    """Create the notice and queue its email, in the caller's transaction; False when it exists."""
    try:
        with transaction.atomic():
            notice = Notice.objects.create(
                convention=convention, kind=kind, key=key, created_at=timezone.now()
            )
    except IntegrityError:
        return False
    enqueue(send_notice, notice.pk)
    return True


def _referent_emails(convention: Convention, *, exclude_partnership=None) -> set[str]:
    referents = current_referents().filter(
        partnership__house_id=convention.house_id, partnership__status="active"
    )
    if exclude_partnership is not None:
        referents = referents.exclude(partnership=exclude_partnership)
    return set(referents.exclude(email="").values_list("email", flat=True))


def _member_emails(**scope) -> set[str]:
    return set(
        Membership.objects.current()
        .filter(user__is_active=True, **scope)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )


def _day(day) -> str:
    return date_format(day, "DATE_FORMAT")


def build(notice: Notice) -> tuple[str, str, list[str]] | None:
    """(subject, body, recipients) of a notice, in French; None when it has nobody to go to."""
    convention = notice.convention
    house = convention.house
    link = f"{settings.SITE_URL}/conventions/{house.pk}/"
    values = {"house": house.name, "link": link}
    if notice.kind == NoticeKind.WITHDRAWAL:
        signatory = Signatory.objects.select_related("partnership__partner").get(pk=notice.key)
        values |= {
            "party": signatory.party_name,
            "letter": _day(signatory.withdrawal_letter_on),
            "effective": _day(signatory.withdrawal_effective_on),
        }
        to = _referent_emails(convention, exclude_partnership=signatory.partnership)
        subject = _("%(house)s : retrait d'un partenaire de la convention") % values
        body = _(
            "%(party)s se retire de la convention-cadre de %(house)s par lettre recommandée du "
            "%(letter)s (article 7). Le retrait prend effet le %(effective)s."
        )
    elif notice.kind == NoticeKind.DENUNCIATION:
        values |= {
            "letter": _day(convention.denounced_letter_on),
            "effective": _day(convention.denounced_effective_on),
        }
        to = _referent_emails(convention) | _member_emails(
            role=Role.DEPARTEMENT, departement_id=house.commune.departement_id
        )
        subject = _("%(house)s : dénonciation de la convention-cadre") % values
        body = _(
            "Le gestionnaire de %(house)s dénonce la convention-cadre par lettre du %(letter)s "
            "(article 7). La convention prend fin le %(effective)s, et avec elle la maison."
        )
    elif notice.kind == NoticeKind.ADHESION:
        request = AdhesionRequest.objects.select_related("partner").get(pk=notice.key)
        values |= {"partner": request.partner.name}
        to = _referent_emails(convention)
        subject = _("%(house)s : demande d'adhésion d'un nouveau partenaire") % values
        body = _(
            "Le gestionnaire de %(house)s a examiné la demande d'adhésion de %(partner)s et vous "
            "en informe (article 7). Le nouveau partenaire signera la convention et la charte "
            "nationale de qualité (article 9)."
        )
    elif notice.kind == NoticeKind.SERVICE:
        withdrawal = ServiceWithdrawal.objects.select_related(
            "service", "partnership__partner"
        ).get(pk=notice.key)
        values |= {
            "service": withdrawal.service.title,
            "partner": withdrawal.partnership.partner.short_name,
            "effective": _day(withdrawal.effective_on),
        }
        to = _referent_emails(convention)
        subject = _("%(house)s : retrait d'un service") % values
        body = _(
            "Le service « %(service)s » (%(partner)s) ne sera plus rendu à %(house)s à partir "
            "du %(effective)s (article 9 de la convention-cadre)."
        )
    else:
        values |= {"end": _day(date.fromisoformat(notice.key))}
        to = (
            _referent_emails(convention)
            | _member_emails(role=Role.GESTIONNAIRE, organisation_id=house.organisation_id)
            | _member_emails(role=Role.RESPONSABLE, house_id=house.pk)
        )
        subject = _("%(house)s : la convention-cadre arrive à échéance le %(end)s") % values
        body = _(
            "La convention-cadre de %(house)s arrive à échéance le %(end)s ; sans retrait ni "
            "dénonciation, elle est reconduite tacitement pour trois ans (article 10). Un retrait "
            "ou une dénonciation demande un préavis de six mois avant l'échéance (article 7)."
        )
    if not to:
        return None
    return subject, f"{body % values}\n\n{link}\n", sorted(to)


@task(queue_name="mail")
def send_notice(notice_id: int) -> bool:
    """Claim and send one notice; True when this run sent it."""
    token = get_random_string(24)
    if not Notice.objects.filter(pk=notice_id, sent_at__isnull=True, claim="").update(claim=token):
        return False
    notice = Notice.objects.select_related(
        "convention__house__commune", "convention__house__organisation"
    ).get(pk=notice_id)
    with translation.override(settings.LANGUAGE_CODE):
        message = build(notice)
    if message is not None:
        subject, body, to = message
        try:
            send_mail(subject, body, None, to)
        except Exception:
            Notice.objects.filter(pk=notice_id, claim=token).update(claim="")
            raise
    Notice.objects.filter(pk=notice_id, claim=token).update(
        sent_at=timezone.now(), recipients=len(message[2]) if message else 0
    )
    return message is not None
