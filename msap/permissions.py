"""Who may see and do what: the one module every view, queryset and API endpoint goes through.

Roles come from current `Membership` rows (SPEC "Who uses it"):
- agent / responsable: the houses they work in (responsable also manages them);
- gestionnaire: every house of its organisation (manages them, signs the convention);
- referent: the houses where its partner is an active partner, and only its own partnership there;
- departement: every house of its département (read-only, no referent contact);
- national: the whole network (read-only, no referent contact);
- technical admin (`is_staff`): everything, plus Django's admin.

A house the user may not see answers 404 (its existence is not disclosed); a house they may see
but an action they may not do answers 403.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from msap.people.models import Role
from msap.people.roles import current_roles


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


def scope_for(user) -> Scope:
    """The user's current roles, computed once per request (cached on the user object)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Scope()
    cached = getattr(user, "_msap_scope", None)
    if cached is not None:
        return cached
    scope = Scope(authenticated=True, admin=bool(user.is_staff or user.is_superuser))
    # The snapshot read with the user row: no query per request (people/roles.py).
    for role, house_id, organisation_id, partner_id, departement_id in current_roles(user):
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


# --- houses -----------------------------------------------------------------------------------


def visible_houses(user) -> QuerySet:
    """Every house the user may see, as a queryset (empty for the public)."""
    from msap.network.models import House

    s = scope_for(user)
    if s.admin or s.national:
        return House.objects.all()
    q = Q(pk__in=s.agent_houses) | Q(organisation_id__in=s.organisations)
    if s.departements:
        q |= Q(commune__departement_id__in=s.departements)
    if s.partners:
        q |= Q(partnerships__partner_id__in=s.partners, partnerships__status="active")
    if not q:
        return House.objects.none()
    return House.objects.filter(q).distinct()


def staff_houses(user) -> QuerySet:
    """Houses where the user is staff: they see referents' contacts and record activity."""
    from msap.network.models import House

    s = scope_for(user)
    if s.admin:
        return House.objects.all()
    return House.objects.filter(Q(pk__in=s.agent_houses) | Q(organisation_id__in=s.organisations))


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
    def sees_referent_contacts(self) -> bool:
        # Annex 2: referents' contacts are for the house's staff only.
        return self.staff

    @property
    def sees_staff(self) -> bool:
        return self.staff or self.oversee


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


def get_house_for_user(user, pk, *, need: str = "view"):
    """The house and the user's access to it; 404 when unseen, 403 when the action is not allowed."""
    from msap.network.models import House

    try:
        house = House.objects.select_related("commune__departement", "organisation").get(pk=pk)
    except (House.DoesNotExist, ValueError, TypeError):
        raise Http404("Maison introuvable.") from None
    access = house_access(user, house)
    if not access.view:
        raise Http404("Maison introuvable.")
    if not getattr(access, need):
        raise PermissionDenied("Vous n'avez pas les droits pour cette action dans cette maison.")
    return house, access


# --- requests (the attendance tool) ---------------------------------------------------------------


def visible_requests(user):
    """Requests a user may read (permissions.scope_for): their houses' for staff; for a
    referent, those concerning its partner in the houses where it is an active partner; a
    département's for the prefecture; all for the national cell and admins."""
    from msap.desk.models import ServiceRequest
    from msap.partners.models import Partnership

    OtherPartners = ServiceRequest.other_partners.through
    scope = scope_for(user)
    if scope.admin or scope.national:
        return ServiceRequest.objects.all()
    q = Q()
    if scope.agent_houses:
        q |= Q(house_id__in=scope.agent_houses)
    if scope.organisations:
        q |= Q(house__organisation_id__in=scope.organisations)
    if scope.departements:
        q |= Q(house__commune__departement_id__in=scope.departements)
    for partner_id in sorted(scope.partners):
        houses = Partnership.objects.active().filter(partner_id=partner_id).values("house_id")
        mentioned = OtherPartners.objects.filter(partner_id=partner_id).values("servicerequest_id")
        q |= Q(house_id__in=houses) & (Q(partner_id=partner_id) | Q(pk__in=mentioned))
    if not q:
        return ServiceRequest.objects.none()
    return ServiceRequest.objects.filter(q)


# --- partnerships and referents ------------------------------------------------------------------


def visible_partnerships(user, house, access: HouseAccess | None = None) -> QuerySet:
    """A referent sees only its own partner's partnership; staff and overseers see them all."""
    access = access or house_access(user, house)
    qs = house.partnerships.select_related("partner")
    if access.staff or access.oversee:
        return qs
    if access.partner_ids:
        return qs.filter(partner_id__in=access.partner_ids)
    return qs.none()


def can_edit_referent(user, referent) -> bool:
    """The house's managers, or the partner's own referent accounts (they keep their card current)."""
    partnership = referent.partnership
    access = house_access(user, partnership.house)
    return access.manage or (partnership.partner_id in access.partner_ids)


def get_partnership_for_user(user, house, pk, access: HouseAccess):
    try:
        return visible_partnerships(user, house, access).get(pk=pk)
    except (ValueError, TypeError):
        raise Http404("Partenariat introuvable.") from None
    except Exception as exc:
        if exc.__class__.__name__ == "DoesNotExist":
            raise Http404("Partenariat introuvable.") from None
        raise


# --- people -------------------------------------------------------------------------------------


def require_role(user, *roles: str) -> Scope:
    s = scope_for(user)
    if not (s.admin or s.roles & set(roles)):
        raise PermissionDenied("Cette page n'est pas accessible avec votre rôle.")
    return s
