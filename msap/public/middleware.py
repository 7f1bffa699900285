"""Serve a cached public page before the session, authentication and messages are looked at.

A house's page and the search are the same for every visitor without an account (public.views
renders and keeps them, public.cache); most of a hit's cost was the middleware around the view
(session, authentication, OTP, messages, axes). Placed just after whitenoise, this one answers a
hit from the cache alone — no session read or created, no database query — and lets every other
request (a miss, a signed-in user, a message waiting, a POST) through to the whole stack.
"""

from django.conf import settings
from django.http import HttpResponse
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH, get_token
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language_from_request

from msap.public import cache

# The pages served here, with the scope their version is read from when the path tells it
# (None: the entry names its house).
PAGES = {"public_search": cache.ALL, "public_house": None}
# A house page's scope (its house) as last read from its entry, per process: the next hit reads
# the entry and the house's version in one round trip. Only a guess (page_hit checks it), so
# it is never stale in a way that matters; bounded by emptying it when full.
SCOPES_KEPT = 20_000
COOKIE = ("domain", "path", "secure", "httponly", "samesite")


def _csrf_secret(request) -> str | None:
    """The visitor's CSRF secret from their cookie: "" when they have none (one is made), None
    when the cookie is not a plain secret (the whole stack deals with it)."""
    value = request.COOKIES.get(settings.CSRF_COOKIE_NAME)
    if value is None:
        return ""
    if len(value) == CSRF_SECRET_LENGTH and all(c in CSRF_ALLOWED_CHARS for c in value):
        return value
    return None


class CachedPublicPageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.scopes: dict[str, object] = {}

    def __call__(self, request):
        return self.hit(request) or self.get_response(request)

    def hit(self, request) -> HttpResponse | None:
        if (
            request.method != "GET"
            or settings.CSRF_USE_SESSIONS
            or settings.SESSION_COOKIE_NAME in request.COOKIES
            or "messages" in request.COOKIES
        ):
            return None
        try:
            url_name = resolve(request.path_info).url_name
        except Resolver404:
            return None
        if url_name not in PAGES:
            return None
        secret = _csrf_secret(request)
        if secret is None:
            return None
        language = get_language_from_request(request)
        name = cache.page_name(language, request.get_full_path())
        found = cache.page_hit(name, timezone.now(), PAGES[url_name] or self.scopes.get(name))
        if found is None:
            return None
        scope, status, html = found
        if PAGES[url_name] is None and self.scopes.get(name) != scope:
            if len(self.scopes) >= SCOPES_KEPT:
                self.scopes.clear()
            self.scopes[name] = scope
        if secret:
            # The visitor's own secret, masked afresh (as CsrfViewMiddleware would); their
            # cookie is left as it is: no Set-Cookie on each page.
            request.META["CSRF_COOKIE"] = secret
        token = get_token(request)
        response = HttpResponse(html.replace(cache.CSRF_PLACEHOLDER, token), status=status)
        if not secret:
            # The cookie CsrfViewMiddleware would have set, with the same settings.
            options = {name: getattr(settings, f"CSRF_COOKIE_{name.upper()}") for name in COOKIE}
            options["max_age"] = settings.CSRF_COOKIE_AGE
            response.set_cookie(settings.CSRF_COOKIE_NAME, request.META["CSRF_COOKIE"], **options)
        # What the middleware skipped would have said: LocaleMiddleware, CSRF's cookie,
        # XFrameOptionsMiddleware.
        response.headers["Content-Language"] = language
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        response.headers["X-Frame-Options"] = settings.X_FRAME_OPTIONS
        return response
