"""Shell views: health check, login, the home page of each role, error pages."""

import logging

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.db import connection
from django.http import JsonResponse
from django.middleware.csrf import REASON_NO_CSRF_COOKIE
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from msap import permissions
from msap.public import views as public_views
from msap.site.queries import home_context

log = logging.getLogger(__name__)


@never_cache
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        log.exception("healthz: database check failed")
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok", "time": timezone.now().isoformat()})


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Adresse électronique ou mot de passe incorrect."),
        "inactive": _("Ce compte est désactivé."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        username, password = self.fields["username"], self.fields["password"]
        username.label = _("Adresse électronique")
        username.widget = forms.EmailInput(
            attrs={"autocomplete": "email", "class": "fr-input", "spellcheck": "false"}
        )
        username.error_messages["required"] = _(
            "Indiquez votre adresse électronique, par exemple prenom.nom@exemple.fr."
        )
        password.label = _("Mot de passe")
        password.widget.attrs.update({"class": "fr-input"})
        password.error_messages["required"] = _("Indiquez votre mot de passe.")
        if not self.is_bound:
            # Refused, the focus goes to the error summary instead (msap.js).
            username.widget.attrs["autofocus"] = True


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        from django.conf import settings

        ctx = super().get_context_data(**kwargs)
        ctx["demo_mode"] = settings.DEMO_MODE
        return ctx


@require_POST
def logout_view(request):
    logout(request)
    messages.info(request, _("Vous êtes déconnecté."))
    return redirect("login")


@never_cache
def home(request):
    if not request.user.is_authenticated:
        return public_views.home(request)  # the public home: find a house
    scope = permissions.scope_for(request.user)
    return render(request, "msap/home.html", home_context(request.user, scope))


def _error(request, code: int, title: str, message: str, **context):
    """msap's own error page (DSFR, in the reader's language) with its status code."""
    context = {"title": title, "code": code, "message": message, **context}
    return render(request, "msap/error.html", context, status=code)


def error_403(request, exception=None):
    return _error(
        request,
        403,
        _("Accès refusé"),
        str(exception)
        if exception and str(exception)
        else _("Vous n'avez pas les droits pour accéder à cette page."),
    )


def error_404(request, exception=None):
    return _error(
        request,
        404,
        _("Page introuvable"),
        _("La page demandée n'existe pas ou ne vous est pas accessible."),
    )


def error_500(request):
    return _error(
        request,
        500,
        _("Erreur inattendue"),
        _(
            "Une erreur inattendue s'est produite. Elle a été enregistrée ; réessayez dans un instant."
        ),
    )


def _form_page(request) -> str:
    """The page the refused form was on (its referrer, when it is one of ours), to reload it."""
    referer = request.headers.get("Referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return request.path


def csrf_failure(request, reason=""):
    """settings.CSRF_FAILURE_VIEW: an expired form or blocked cookies, said in French (403)."""
    if reason == REASON_NO_CSRF_COOKIE:
        message = _(
            "Votre navigateur n'a pas envoyé le cookie de sécurité de msap : autorisez les "
            "cookies pour ce site, rechargez la page, puis envoyez à nouveau le formulaire."
        )
    else:
        message = _(
            "Le formulaire a expiré ou a été ouvert dans une autre session. Rechargez la page, "
            "puis envoyez-le à nouveau : rien n'a été enregistré."
        )
    # Django logs the reason in English (django.security.csrf); the person reads what to do.
    return _error(request, 403, _("Formulaire expiré"), message, retry_url=_form_page(request))
