"""Who may see and do what: the rules of access, in one module.

Roles come from the user's current memberships (SPEC "Who uses it"):
- agent / responsable: the houses they work in (responsable also manages them);
- gestionnaire: every house of its organisation (manages them, signs the convention);
- referent: the houses where its partner is an active partner, and only its own partnership there;
- departement: every house of its département (read-only, no referent contact);
- national: the whole network (read-only, no referent contact);
- technical admin (`is_staff`): everything, plus Django's admin.

A house the user may not see answers 404 (its existence is not disclosed); a house they may see
but an action they may not do answers 403. A record of a house (a register item, a personal
file, a recorded request, an appointment) follows its house: 404 when the house is unseen, 403
when it is seen but the record is not for them (an overseer, a partner referent, a colleague who
is not its author) — every `get_X_for_user` fetches the record, then checks it with
`record_access` and its `check_X`.

This module imports no domain of msap. It states the rules as functions of the user and of the
object (or as the lookups that reach a house), and each domain's `queries.py` fetches its own
objects through them: `network.queries.get_house_for_user`, `registers.queries.get_item_for_user`,
`dossiers.queries.get_dossier_for_user`… That is what lets every app, from the bottom of the
stack up, use the same rules (docs/architecture.md).
"""

from dataclasses import dataclass, field, fields

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class Role(models.TextChoices):
    AGENT = "agent", gettext_lazy("Agent d'accueil")
    RESPONSABLE = "responsable", gettext_lazy("Responsable de la maison")
    GESTIONNAIRE = "gestionnaire", gettext_lazy("Gestionnaire")
    REFERENT = "referent", gettext_lazy("Référent partenaire")
    DEPARTEMENT = "departement", gettext_lazy("Cellule départementale / préfecture")
    NATIONAL = "national", gettext_lazy("Cellule nationale d'animation")


@dataclass
class Scope:
    authenticated: bool = False
    admin: bool = False
    national: bool = False
    departements: set[str] = field(default_factory=set)
    organisations: set[int] = field(default_factory=set)
    partners: set[int] = field(default_factory=set)
    agent_houses: set[int] = field(default_factory=set)
    managed_houses: set[int] = field(default_factory=set)

    @property
    def roles(self) -> set[str]:
        roles = set()
        if self.admin:
            roles.add("admin")
        if self.national:
            roles.add(Role.NATIONAL)
        if self.departements:
            roles.add(Role.DEPARTEMENT)
        if self.organisations:
            roles.add(Role.GESTIONNAIRE)
        if self.partners:
            roles.add(Role.REFERENT)
        if self.agent_houses:
            roles.add(Role.AGENT)
        if self.managed_houses:
            roles.add(Role.RESPONSABLE)
        return roles

    @property
    def has_any_role(self) -> bool:
        return bool(self.roles)

    @property
    def records_somewhere(self) -> bool | None:
        """Whether the user works in some house: True or False when the roles tell, None when
        only the houses of their organisations can (a gestionnaire's may have none yet)."""
        if self.admin or self.agent_houses:
            return True
        return None if self.organisations else False


def scope_for(user) -> Scope:
    """The user's current roles, computed once per request (cached on the user object).

    `user.current_roles()` reads the snapshot stored on the user row (people/roles.py): no
    query per request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Scope()
    cached = getattr(user, "_msap_scope", None)
    if cached is not None:
        return cached
    scope = Scope(authenticated=True, admin=bool(user.is_staff or user.is_superuser))
    for role, house_id, organisation_id, partner_id, departement_id in user.current_roles():
        if role == Role.AGENT:
            scope.agent_houses.add(house_id)
        elif role == Role.RESPONSABLE:
            scope.agent_houses.add(house_id)
            scope.managed_houses.add(house_id)
        elif role == Role.GESTIONNAIRE:
            scope.organisations.add(organisation_id)
        elif role == Role.REFERENT:
            scope.partners.add(partner_id)
        elif role == Role.DEPARTEMENT:
            scope.departements.add(departement_id)
        elif role == Role.NATIONAL:
            scope.national = True
    user._msap_scope = scope
    return scope


def forget_scope(user) -> None:
    """Forget what this user object knows of its roles: the next scope_for reads the database."""
    user.__dict__.pop("_msap_scope", None)
    user.roles = None


def require_role(user, *roles: str) -> Scope:
    s = scope_for(user)
    if not (s.admin or s.roles & set(roles)):
        raise PermissionDenied(_("Cette page n'est pas accessible avec votre rôle."))
    return s


# --- houses -----------------------------------------------------------------------------------

# A Q that matches nothing (`Q()` matches everything).
NOTHING = Q(pk__in=[])


def houses_q(user, via: str = "") -> Q:
    """The lookups of the houses the user may see, from a model whose path to its house is `via`
    ("" for House itself, "house__" for an object of a house). A referent's clause joins the
    partnerships: callers on House use `.distinct()` (network.queries.visible_houses)."""
    s = scope_for(user)
    if s.admin or s.national:
        return Q()
    q = staff_houses_q(user, via) if (s.agent_houses or s.organisations) else NOTHING
    if s.departements:
        q |= Q(**{f"{via}commune__departement_id__in": s.departements})
    if s.partners:
        q |= Q(
            **{
                f"{via}partnerships__partner_id__in": s.partners,
                f"{via}partnerships__status": "active",
            }
        )
    return q


def staff_houses_q(user, via: str = "") -> Q:
    """The houses where the user is staff (they see referents' contacts and record activity)."""
    s = scope_for(user)
    if s.admin:
        return Q()
    if not (s.agent_houses or s.organisations):
        return NOTHING
    return Q(**{f"{via}pk__in": s.agent_houses}) | Q(
        **{f"{via}organisation_id__in": s.organisations}
    )


@dataclass
class HouseAccess:
    """What one user may do in one house."""

    view: bool = False
    staff: bool = False  # works in the house: sees referents' contacts, trainings
    manage: bool = False  # edits hours, premises, partners, staff
    oversee: bool = False  # département or national cell: read-only overview
    counter: bool = False  # works at the counter (agent, responsable): may open personal files
    partner_ids: frozenset = frozenset()  # referent: the partners whose partnership they see

    @property
    def sees_staff(self) -> bool:
        return self.staff or self.oversee

    @property
    def contact_partner_ids(self) -> frozenset | None:
        """Whose referents' contacts the user sees: None for all of them (the house's staff),
        else the user's own partners (a referent keeps its organisation's card current), which
        is empty for everyone else. Annex 2: never the public, never the overseers."""
        return None if self.staff else self.partner_ids

    def sees_referent_contacts(self, partner_id: int) -> bool:
        ids = self.contact_partner_ids
        return ids is None or partner_id in ids


def house_access(user, house) -> HouseAccess:
    s = scope_for(user)
    if not s.authenticated:
        return HouseAccess()
    counter = house.pk in s.agent_houses
    if s.admin:
        return HouseAccess(view=True, staff=True, manage=True, oversee=True, counter=counter)
    managed = house.pk in s.managed_houses or house.organisation_id in s.organisations
    staff = managed or counter
    oversee = s.national or house.commune.departement_id in s.departements
    partner_ids = frozenset()
    if s.partners:
        partner_ids = frozenset(
            house.partnerships.active()
            .filter(partner_id__in=s.partners)
            .values_list("partner_id", flat=True)
        )
    view = staff or oversee or bool(partner_ids)
    return HouseAccess(
        view=view,
        staff=staff,
        manage=managed,
        oversee=oversee,
        counter=counter,
        partner_ids=partner_ids,
    )


def check(access, need: str, *, unseen: str, refused: str) -> None:
    """404 (`unseen`) when the user may not see the object, 403 (`refused`) when they may see it
    but not do `need` (an attribute of the access: "view", "staff", "manage"…)."""
    if not access.view:
        raise Http404(unseen)
    if not getattr(access, need):
        raise PermissionDenied(refused)


def check_house(access: HouseAccess, need: str = "view") -> None:
    check(
        access,
        need,
        unseen=_("Maison introuvable."),
        refused=_("Vous n'avez pas les droits pour cette action dans cette maison."),
    )


def fetch(queryset, pk, unseen: str):
    """The object of `queryset` with this primary key, or 404 with `unseen` (a malformed id
    included: ids come from URLs and API bodies)."""
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404(unseen) from None


# --- partnerships and referents ------------------------------------------------------------------


def visible_partnerships(user, house, access: HouseAccess | None = None):
    """A referent sees only its own partner's partnership; staff and overseers see them all."""
    access = access or house_access(user, house)
    qs = house.partnerships.select_related("partner")
    if access.staff or access.oversee:
        return qs
    if access.partner_ids:
        return qs.filter(partner_id__in=access.partner_ids)
    return qs.none()


def get_partnership_for_user(user, house, pk, access: HouseAccess):
    return fetch(visible_partnerships(user, house, access), pk, _("Partenariat introuvable."))


def can_edit_referent(access: HouseAccess, partner_id: int) -> bool:
    """The house's managers, or the partner's own referent accounts (they keep their card current)."""
    return access.manage or partner_id in access.partner_ids


@dataclass
class ReferentAccess:
    """A referent card (annex 2) of a partnership of a house, and one user."""

    house: HouseAccess
    view: bool = False
    edit: bool = False  # keeps the card current
    manage: bool = False  # names and ends referents (the house's managers)
    contacts: bool = False  # sees the direct line and email


def referent_access(access: HouseAccess, partner_id: int) -> ReferentAccess:
    return ReferentAccess(
        house=access,
        view=access.staff or access.oversee or partner_id in access.partner_ids,
        edit=can_edit_referent(access, partner_id),
        manage=access.manage,
        contacts=access.sees_referent_contacts(partner_id),
    )


def check_referent(access: ReferentAccess, need: str = "view") -> None:
    check(
        access,
        need,
        unseen=_("Référent introuvable."),
        refused=_(
            "Seuls les responsables de la maison et le partenaire lui-même modifient cette fiche."
        ),
    )


# --- what each kind of record of a house allows ----------------------------------------------------


@dataclass
class RecordAccess(HouseAccess):
    """A record of a house (request, register item, personal file, training): what the user may
    do in its house, and whether they recorded it themselves."""

    author: bool = False  # the attendance tool's corrections are the author's


def record_access(user, record) -> RecordAccess:
    """The user's access to a record that belongs to a house (`record.house`)."""
    access = house_access(user, record.house)
    author_id = getattr(record, "agent_id", None) or getattr(record, "created_by_id", None)
    return RecordAccess(
        **{f.name: getattr(access, f.name) for f in fields(HouseAccess)},
        author=bool(user.is_authenticated and author_id == user.pk),
    )


# The house's relations that house_access reads, fetched with each record.
HOUSE_RELATED = ("house__commune__departement", "house__organisation")


def fetch_record(user, model, pk, unseen: str, related=()) -> tuple:
    """A record of a house (404 with `unseen` when there is none) with `related` fetched, and
    the user's access to it; the caller checks what the access allows."""
    record = fetch(model.objects.select_related(*HOUSE_RELATED, *related), pk, unseen)
    return record, record_access(user, record)


def registers_staff_only() -> str:
    return _(
        "Les registres sont réservés aux équipes des maisons : ils contiennent les "
        "coordonnées des expéditeurs. Les cellules départementale et nationale et les "
        "partenaires n'en consultent que les indicateurs."
    )


def check_register_item(access: RecordAccess, need: str = "staff") -> None:
    # Staff only: a register holds senders' personal data (SPEC confidentiality).
    check(
        access, need, unseen=_("Élément de registre introuvable."), refused=registers_staff_only()
    )


def check_dossier(access: RecordAccess, need: str = "counter") -> None:
    # Need-to-know (art. 3.5): the agents who receive the person, not the gestionnaire, the
    # partners, the prefecture or the technical administrator.
    check(
        access,
        need,
        unseen=_("Dossier introuvable."),
        refused=_("Les dossiers usagers ne sont accessibles qu'aux agents de la maison."),
    )


def check_request(access: RecordAccess, need: str = "view") -> None:
    refused = (
        _("Seul l'agent qui a enregistré la demande peut la modifier ou la supprimer.")
        if need == "author"
        else _("Vous n'avez pas les droits pour cette demande.")
    )
    check(access, need, unseen=_("Demande introuvable."), refused=refused)


def check_appointment(access: RecordAccess, need: str = "counter") -> None:
    # The person's name and contact are need-to-know: the agents of the house who book for them.
    check(
        access,
        need,
        unseen=_("Rendez-vous introuvable."),
        refused=_("Les rendez-vous ne sont accessibles qu'aux agents de la maison."),
    )


# --- what is addressed to a partner (the partner portal) -------------------------------------------


def check_partner_item(access: HouseAccess, partner_id: int, need: str = "answer") -> None:
    """An appointment or a transmission addressed to one partner in a house (issue 9, item 6).

    Its partner's referents answer it. For any other referent it does not exist (404: a partner
    never learns of another partner's items); the house's staff and overseers see that it
    exists but answer nothing in the partner's name (403)."""
    addressed = partner_id in access.partner_ids
    if not (addressed or access.staff or access.oversee):
        raise Http404(_("Élément introuvable."))
    if need == "answer" and not addressed:
        raise PermissionDenied(
            _("Seuls les référents du partenaire concerné répondent à cet élément.")
        )


def require_referent(user) -> Scope:
    """The partner portal's pages: for partner referents only."""
    s = scope_for(user)
    if not s.partners:
        raise PermissionDenied(_("Cet espace est réservé aux référents des partenaires."))
    return s


# --- transmissions (saisines) --------------------------------------------------------------------


@dataclass
class TransmissionAccess:
    """A transmission from a house to a partner, and one user."""

    view: bool = False
    house: bool = False  # an agent of the house: reads it all, sends, answers the partner
    partner: bool = False  # a referent of the addressed partner in that house: the partner's moves


def transmission_access(user, transmission) -> TransmissionAccess:
    """The agents of the house (who hold the person's data) and the referents of the partner
    it is addressed to, while their organisation is a partner of the house; nobody else — the
    house's overseers read figures only (transmissions_figures_q)."""
    s = scope_for(user)
    house = transmission.house_id in s.agent_houses
    partnership = transmission.partnership
    partner = partnership.status == "active" and partnership.partner_id in s.partners
    return TransmissionAccess(view=house or partner, house=house, partner=partner)


def check_transmission(access: TransmissionAccess, need: str = "view") -> None:
    check(
        access,
        need,
        unseen=_("Saisine introuvable."),
        refused=(
            _("Seuls les référents du partenaire destinataire agissent sur cette saisine.")
            if need == "partner"
            else _("Seuls les agents de la maison agissent sur cette saisine pour elle.")
        ),
    )


def transmissions_q(user, via: str = "") -> Q:
    """The transmissions a user may open: those of the houses where they work at the counter,
    and those addressed to their partner organisation in a house where it is an active partner."""
    s = scope_for(user)
    q = Q(**{f"{via}house_id__in": s.agent_houses}) if s.agent_houses else NOTHING
    if s.partners:
        q |= Q(
            **{
                f"{via}partnership__partner_id__in": s.partners,
                f"{via}partnership__status": "active",
            }
        )
    return q


# --- the satisfaction survey (charter commitment 15) ----------------------------------------------


def check_survey(access: HouseAccess, need: str = "sees_staff") -> None:
    """A house's survey: its results for the house's staff and overseers ("sees_staff"), the
    counter's codes for its staff ("staff"), moderation, publication and the plan for its
    managers ("manage"); partner referents are not concerned (403), other houses unseen (404)."""
    check(
        access,
        need,
        unseen=_("Enquête introuvable."),
        refused=_(
            "L'enquête de satisfaction de la maison est réservée à son équipe, à ses responsables "
            "et aux cellules départementale et nationale."
        )
        if need == "sees_staff"
        else _(
            "Seuls les responsables de la maison modèrent, publient et tiennent le plan d'amélioration."
        )
        if need == "manage"
        else _("Seule l'équipe de la maison remet les codes de l'enquête."),
    )


# --- the quality charter (annex 4) ------------------------------------------------------------


def charter_houses_q(user, via: str = "") -> Q:
    """The houses whose charter assessment the user sees: the house's staff and its
    gestionnaire, the département's cell, the national cell (art. 6 and annex 5: the cells check
    the charter is kept). Never a partner referent's: the assessment is the house's own."""
    s = scope_for(user)
    if s.admin or s.national:
        return Q()
    q = staff_houses_q(user, via) if (s.agent_houses or s.organisations) else NOTHING
    if s.departements:
        q |= Q(**{f"{via}commune__departement_id__in": s.departements})
    return q


def check_charter(access: HouseAccess, need: str = "view") -> None:
    """ "view": the house's staff, its gestionnaire and the cells (`sees_staff`); "manage": the
    responsable and the gestionnaire record and remove evidence. Others: 404 when the house is
    unseen, 403 when it is seen (a partner referent)."""
    check(
        access,
        "sees_staff" if need == "view" else need,
        unseen=_("Maison introuvable."),
        refused=_(
            "La charte de qualité d'une maison est réservée à son équipe, à son gestionnaire et "
            "aux cellules départementale et nationale."
        )
        if need == "view"
        else _("Seuls le responsable de la maison et son gestionnaire gèrent les justificatifs."),
    )


# --- the steering committee (art. 6) -------------------------------------------------------------


def check_meeting(access: HouseAccess, need: str = "view") -> None:
    """A meeting of a house's steering committee. Art. 6: its members are the signatories (the
    gestionnaire and the partners), the prefect's representative and the departmental cell, so
    whoever sees the house reads it (a partner referent where its organisation is a partner);
    the gestionnaire calls it and the house's managers keep it (`manage`)."""
    check(
        access,
        need,
        unseen=_("Réunion introuvable."),
        refused=_(
            "Seuls le gestionnaire et les responsables de la maison tiennent le comité de pilotage."
        ),
    )


def require_overseer(user) -> Scope:
    """The network's views across houses (the departmental annual review): the departmental and
    national cells."""
    s = scope_for(user)
    if not (s.admin or s.national or s.departements):
        raise PermissionDenied(
            _("Cette page est réservée aux cellules départementales et nationale.")
        )
    return s
