"""Navigation entries by role, for the DSFR header."""

from django.urls import reverse
from django.utils.translation import gettext as _

from msap import permissions
from msap.network.queries import staff_houses


def _records_activity(user, scope) -> bool:
    """Whether the user records requests somewhere (staff_houses is not empty).

    Agents and responsables answer from their scope, without a query; a gestionnaire's
    organisation may have no house yet: one query, cached on the scope for the request.
    """
    if scope.admin or scope.agent_houses:
        return True
    if not scope.organisations:
        return False
    cached = getattr(scope, "_records_activity", None)
    if cached is None:
        cached = staff_houses(user).exists()
        scope._records_activity = cached
    return cached


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    scope = permissions.scope_for(user)
    items = [{"label": _("Accueil"), "link": reverse("home")}]
    if scope.has_any_role:
        items.append({"label": _("Maisons"), "link": reverse("house_list")})
    if scope.partners:
        items.append({"label": _("Espace partenaire"), "link": reverse("portal_home")})
    if _records_activity(user, scope):
        items.append({"label": _("Saisie"), "link": reverse("desk_entry")})
        items.append({"label": _("Activité"), "link": reverse("desk_day")})
    if scope.national or scope.departements:
        items.append({"label": _("Rendez-vous"), "link": reverse("appointment_network_indicators")})
    if scope.national or scope.departements or scope.organisations:
        items.append({"label": _("Charte de qualité"), "link": reverse("charter_table")})
    if scope.admin:
        items.append({"label": _("Administration technique"), "link": reverse("admin:index")})
    path = request.path
    for item in items:
        item["active"] = path == item["link"] or (
            item["link"] != "/" and path.startswith(item["link"])
        )
    return {"nav_items": items, "msap_scope": scope}
