"""The public site: find a house, its page, write to it, and the pages the law expects.

No account, no personal data shown. The heavy parts of the pages (a house's page, a search's
answer) are rendered once and cached (public.cache); the layout around them, which carries the
visitor's CSRF token for the language switch, is rendered for each request.
"""

import logging

from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from msap.appointments import rules as appointment_rules
from msap.core.errors import DomainError
from msap.core.forms import add_domain_error
from msap.dossiers import rules as dossier_rules
from msap.lib.dates import today_in
from msap.network.models import HouseKind
from msap.public import cache, queries, rules, services
from msap.public.forms import WriteForm
from msap.registers.models import Kind

log = logging.getLogger(__name__)


def home(request):
    """The public home: find a house (msap.site's home for visitors without an account)."""
    return render(request, "public/home.html", {"title": _("Trouver une maison France Services")})


def _shareable(request) -> bool:
    """A page the same for every visitor: signed out, no message waiting for them."""
    return (
        not request.user.is_authenticated
        and "messages" not in request.COOKIES
        and not request.session.get("_messages")
    )


def whole_page(request, scope, now, render_page):
    """The page from the cache for a visitor without an account, rendered once for all of them
    under the version of `scope` (a house, or the whole directory) until `render_page`'s
    `until`; rendered for each request otherwise. `render_page(context)` answers (response,
    until); an exception (404) is never cached. Most hits never reach here: public.middleware
    serves them before the session and authentication are looked at."""
    if not _shareable(request):
        return render_page({})[0]

    def build():
        response, until = render_page({"csrf_token": cache.CSRF_PLACEHOLDER})
        return (response.status_code, response.content.decode()), until

    name = cache.page_name(get_language(), request.get_full_path())
    _scope, status, html = cache.page_hit(name, now, scope) or cache.page_store(
        name, scope, build, now
    )
    return HttpResponse(html.replace(cache.CSRF_PLACEHOLDER, get_token(request)), status=status)


@require_GET
def search(request):
    query = (request.GET.get("q") or "")[: rules.MAX_QUERY_LENGTH + 1]
    code = request.GET.get("commune") or ""
    now = timezone.now()
    normal = " ".join(query.split())

    def render_page(extra):
        result = queries.search(query, code, now)
        context = {"title": _("Résultats de la recherche"), "query": normal, "result": result}
        return render(request, "public/search.html", {**context, **extra}), result.until

    return whole_page(request, cache.ALL, now, render_page)


@require_GET
def communes(request):
    """The type-ahead's suggestions (htmx): the communes whose name or postal code starts so."""
    query = (request.GET.get("q") or "")[: rules.MAX_QUERY_LENGTH + 1]
    now = timezone.now()
    key = f"suggest:{get_language()}:{' '.join(query.split()).casefold()}"

    def build():
        found = queries.suggest(query)
        return render_to_string("public/_suggestions.html", {"communes": found}), None

    return HttpResponse(cache.cached(key, cache.ALL, build, now))


def _house_or_404(slug: str):
    house = queries.get_public_house(slug[:220])
    if house is None:
        raise Http404(_("Maison introuvable."))
    return house


@require_GET
def house(request, slug):
    pk = cache.house_pk(slug[:220], queries.get_public_house)
    if pk is None:
        raise Http404(_("Maison introuvable."))
    now = timezone.now()

    def render_page(extra):
        house = _house_or_404(slug)
        page = queries.house_page(house, now)
        charter = queries.public_charter(
            today_in(house.tz, now).year, mobile=house.kind == HouseKind.MOBILE
        )
        context = {"house": house, "title": house.name, "page": page, "charter": charter}
        return render(request, "public/house.html", {**context, **extra}), page.until

    return whole_page(request, pk, now, render_page)


FORM_TITLES = {
    "reclamation": gettext_lazy("Faire une réclamation"),
    "suggestion": gettext_lazy("Faire une remarque ou une suggestion"),
    "message": gettext_lazy("Écrire à la maison"),
}


def write(request, slug, kind):
    house = _house_or_404(slug)
    if kind not in services.FORM_KINDS or house.status != "recognised":
        raise Http404(_("Formulaire introuvable."))
    status = 200
    if request.method == "POST":
        form = WriteForm(request.POST, form_kind=kind)
        client = request.META.get("REMOTE_ADDR", "")
        try:
            if form.is_robot:
                services.refuse_robot(client, house)
            if form.is_valid():
                token = form.cleaned_data["token"]
                sent = services.submit(house, kind, token, form.cleaned_data, client=client)
                return redirect(
                    "public_ack", slug=house.slug, reference=services.ack_reference(sent.item)
                )
        except DomainError as exc:
            add_domain_error(form, exc)
            status = getattr(exc, "status", 200)
    else:
        form = WriteForm(initial={"token": services.new_form_token()}, form_kind=kind)
    return render(
        request,
        "public/write.html",
        {"house": house, "form": form, "kind": kind, "title": FORM_TITLES[kind]},
        status=status,
    )


@require_GET
def ack(request, slug, reference):
    house = _house_or_404(slug)
    item = services.item_for_ack(reference, house)
    if item is None:
        raise Http404(_("Accusé de réception introuvable ou expiré."))
    local = house.tz
    return render(
        request,
        "public/ack.html",
        {
            "house": house,
            "item": item,
            "title": _("Votre envoi a bien été reçu"),
            "is_complaint": item.kind == Kind.COMPLAINT,
            "received": date_format(timezone.localtime(item.received_at, local), "DATE_FORMAT"),
            "due": item.due_at
            and date_format(timezone.localtime(item.due_at, local), "DATE_FORMAT"),
        },
    )


def page(request, template, title, **context):
    return render(request, f"public/{template}.html", {"title": title, **context})


def accessibility(request):
    return page(request, "accessibility", _("Déclaration d'accessibilité"))


def legal(request):
    return page(request, "legal", _("Mentions légales"))


def privacy(request):
    return page(
        request,
        "privacy",
        _("Données personnelles"),
        dossier_months=dossier_rules.retention_months(),
        appointment_days=appointment_rules.PERSONAL_DATA_DAYS,
    )


def plan(request):
    houses = (
        queries.public_houses()
        .select_related("commune")
        .order_by("commune__departement_id", "name")
    )
    return render(request, "public/plan.html", {"title": _("Plan du site"), "houses": houses})


@require_GET
def sitemap(request):
    base = request.build_absolute_uri("/")[:-1]
    static = [
        reverse(name)
        for name in (
            "home",
            "public_search",
            "public_accessibility",
            "public_legal",
            "public_privacy",
            "public_plan",
        )
    ]
    houses = [
        (reverse("public_house", args=[slug]), created.date() if created else None)
        for slug, created in queries.sitemap_houses()
    ]
    body = render_to_string(
        "public/sitemap.xml", {"base": base, "static": static, "houses": houses}
    )
    return HttpResponse(body, content_type="application/xml; charset=utf-8")


@require_GET
def robots(request):
    lines = [
        "User-agent: *",
        "Disallow: /connexion/",
        "Disallow: /admin/",
        "Disallow: /api/",
        "Disallow: /maisons/",
        "Disallow: /registres/",
        "Disallow: /dossiers/",
        "Allow: /",
        f"Sitemap: {request.build_absolute_uri(reverse('public_sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
