"""Navigation entries by role, for the DSFR header."""

from django.urls import reverse

from msap import permissions


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    scope = permissions.scope_for(user)
    items = [{"label": "Accueil", "link": reverse("home")}]
    if scope.has_any_role:
        items.append({"label": "Maisons", "link": reverse("house_list")})
    if scope.admin:
        items.append({"label": "Administration technique", "link": reverse("admin:index")})
    path = request.path
    for item in items:
        item["active"] = path == item["link"] or (item["link"] != "/" and path.startswith(item["link"]))
    return {"nav_items": items, "msap_scope": scope}
