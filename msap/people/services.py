"""Domain operations on people: staff of a house, their trainings, roles."""

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from msap.core import journal
from msap.core.errors import DomainError, check_email
from msap.core.states import end_tenure
from msap.lib.uploads import UploadError, check_upload
from msap.people.models import Membership, Role, Training, TrainingKind, User

HOUSE_ROLES = (Role.AGENT, Role.RESPONSABLE)


def get_or_create_user(
    email: str, *, first_name: str = "", last_name: str = "", phone: str = ""
) -> User:
    email = (email or "").strip().lower()
    if not email:
        raise DomainError(
            _("Indiquez l'adresse électronique de la personne."),
            {"email": [_("Adresse électronique requise.")]},
        )
    # The email is the login: a mistyped one would create an account nobody can use.
    check_email(email, example="prenom.nom@mairie.fr")
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        # No usable password: the person sets theirs through password reset (and no hashing cost).
        user = User.objects.create_user(
            email,
            password=None,
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            phone=phone.strip(),
        )
    return user


@transaction.atomic
def grant_role(
    actor,
    user: User,
    role: str,
    *,
    organisation=None,
    partner=None,
    departement=None,
    started_on: date | None = None,
) -> Membership:
    """Grant a role that is not tied to one house (gestionnaire, referent, departmental or
    national cell). Granting a role the person already holds returns it unchanged."""
    scopes = {
        Role.GESTIONNAIRE: {"organisation": organisation},
        Role.REFERENT: {"partner": partner},
        Role.DEPARTEMENT: {"departement": departement},
        Role.NATIONAL: {},
    }
    if role not in scopes:
        raise DomainError(
            _("Ce rôle se donne depuis l'équipe d'une maison."), {"role": [_("Rôle inconnu ici.")]}
        )
    scope = scopes[role]
    if any(v is None for v in scope.values()):
        raise DomainError(_("Indiquez le périmètre du rôle."), {"role": [_("Périmètre manquant.")]})
    existing = Membership.objects.current().filter(user=user, role=role, **scope).first()
    if existing is not None:
        return existing
    membership = Membership.objects.create(
        user=user, role=role, started_on=started_on or timezone.localdate(), **scope
    )
    return _journal_added(actor, membership, gettext_noop("%(user)s : rôle %(role)s"))


def _journal_added(actor, membership: Membership, summary: str) -> Membership:
    """A role given, in a house or elsewhere: the journal names the person and the role."""
    params = {"user": str(membership.user), "role": Role(membership.role).label}
    journal.record(actor, "membership.added", membership, summary=summary, params=params)
    return membership


@transaction.atomic
def add_house_member(
    actor,
    house,
    *,
    email: str,
    role: str,
    first_name: str = "",
    last_name: str = "",
    phone: str = "",
    started_on: date | None = None,
) -> Membership:
    if role not in HOUSE_ROLES:
        raise DomainError(
            _("Rôle inconnu pour une maison."), {"role": [_("Choisissez agent ou responsable.")]}
        )
    user = get_or_create_user(email, first_name=first_name, last_name=last_name, phone=phone)
    if Membership.objects.current().filter(user=user, house=house, role=role).exists():
        raise DomainError(
            (
                _("%(user)s est déjà %(role)s de cette maison.")
                % {"user": user, "role": Role(role).label.lower()}
            ),
            {"email": [_("Cette personne a déjà ce rôle dans la maison.")]},
        )
    try:
        with transaction.atomic():
            membership = Membership.objects.create(
                user=user, house=house, role=role, started_on=started_on or timezone.localdate()
            )
    except IntegrityError as exc:
        raise DomainError(_("%(user)s a déjà ce rôle dans cette maison.") % {"user": user}) from exc
    return _journal_added(actor, membership, gettext_noop("%(user)s rejoint la maison (%(role)s)"))


@transaction.atomic
def end_membership(actor, membership: Membership, *, on: date | None = None) -> Membership:
    """Leaving a house ends the role; the row is kept (history of who worked where)."""
    end_tenure(
        membership,
        on or timezone.localdate(),
        already_ended=_("Ce rôle est déjà terminé."),
        before_start=_("La date de départ doit être après la date d'arrivée."),
    )
    journal.record(
        actor,
        "membership.ended",
        membership,
        summary=gettext_noop("%(user)s quitte la maison"),
        params={"user": str(membership.user)},
    )
    return membership


@transaction.atomic
def add_training(
    actor,
    house,
    *,
    user: User,
    title: str,
    kind: str,
    started_on: date,
    ended_on: date,
    partner=None,
    given_by: str = "",
    hours=None,
    attestation=None,
) -> Training:
    if not (title or "").strip():
        raise DomainError(
            _("Indiquez l'intitulé de la formation."),
            {"title": [_("Indiquez l'intitulé de la formation.")]},
        )
    if kind not in TrainingKind.values:
        raise DomainError(
            _("Type de formation inconnu."),
            {"kind": [_("Choisissez un type de formation de la liste.")]},
        )
    if ended_on < started_on:
        raise DomainError(
            _("La date de fin doit être après la date de début."),
            {"ended_on": [_("La date de fin doit être après la date de début.")]},
        )
    if hours is not None and not 0 < hours < 10_000:
        raise DomainError(
            _("La durée de la formation doit être positive."),
            {"hours": [_("Indiquez une durée en heures, par exemple 7 ou 3,5.")]},
        )
    if not Membership.objects.filter(user=user, house=house, role__in=HOUSE_ROLES).exists():
        raise DomainError(
            _("Cette personne ne fait pas partie de l'équipe de la maison."),
            {"user": [_("Choisissez un membre de l'équipe.")]},
        )
    if attestation is not None:
        try:
            check_upload(attestation)
        except UploadError as exc:
            raise DomainError(str(exc), {"attestation": [str(exc)]}) from exc
    training = Training(
        user=user,
        house=house,
        title=title.strip(),
        kind=kind,
        started_on=started_on,
        ended_on=ended_on,
        partner=partner,
        given_by=given_by.strip(),
        hours=hours,
    )
    if attestation is not None:
        training.attestation.save(attestation.name, attestation, save=False)
    training.save()
    journal.record(
        actor,
        "training.added",
        training,
        summary=gettext_noop("Formation « %(title)s » de %(user)s"),
        params={"title": training.title, "user": str(user)},
    )
    return training


@transaction.atomic
def remove_training(actor, training: Training) -> None:
    attestation = training.attestation
    journal.delete(
        actor,
        "training.removed",
        training,
        gettext_noop("Formation « %(title)s » retirée"),
        {"title": training.title},
    )
    # Once the row is gone: a refused deletion keeps its file.
    if attestation:
        attestation.delete(save=False)
