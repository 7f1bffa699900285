"""The msap REST API: one NinjaAPI, its OpenAPI 3 schema and its French JSON errors.

Every error answer is `{"detail": "<message en français>"}` (plus `errors` per field when a
parameter or a domain rule refused the request); never a stack trace.
"""

import logging

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.renderers import JSONRenderer

from msap.api.auth import InvalidToken
from msap.api.houses import router as houses_router
from msap.api.requests import router as requests_router
from msap.core.errors import DomainError

log = logging.getLogger(__name__)

DESCRIPTION = """\
API du réseau des Maisons de services au public (France Services).

- **Annuaire** (`/houses`) : public, sans authentification — adresses, horaires, partenaires et
  équipements des maisons reconnues. Les coordonnées des référents partenaires n'y figurent jamais
  (annexe 2 de la convention-cadre).
- **Données ouvertes** (`/opendata/houses.csv`, `/opendata/houses.json`) : public, sans
  authentification — la liste des maisons reconnues dans la disposition de la liste nationale des
  sites France Services (schéma : `/donnees/maisons.schema.json`).
- **Référents** (`/houses/{id}/referents`) : réservé aux agents de la maison, avec un jeton
  personnel (`Authorization: Bearer msap_…`, délivré par la commande `msap token EMAIL`) ou la
  session du navigateur.
- **Registres** (`/register-items`) : courriers, courriels, appels, réclamations et suggestions
  d'une maison, avec leurs échéances de réponse ; réservé à l'équipe de la maison (ils contiennent
  les coordonnées des expéditeurs).
- **Saisines** (`/referrals`) : les dossiers et situations complexes transmis par une maison à un
  partenaire ; réservé aux agents de la maison et aux référents du partenaire destinataire.
- **Convention-cadre** (`/houses/{id}/convention?format=docx|pdf`) : la convention et ses quatre
  annexes remplies avec les données de la maison ; réservé à l'équipe de la maison ; 409 avec la
  liste de ce qui manque tant qu'un blanc du modèle reste à remplir.
- **Rendez-vous** (`/appointments`) : rendez-vous pris par les agents d'une maison avec les
  conseillers des partenaires, réservés à l'équipe d'accueil de la maison (ils portent le nom et
  les coordonnées de la personne) ; `/slots` cherche les prochains créneaux libres d'un
  partenaire dans une maison ou dans les maisons d'un département.

Les erreurs sont renvoyées en JSON : `{"detail": "message en français"}`.
"""


class FrenchJSONRenderer(JSONRenderer):
    # Accented letters as they are, not \\u00e9: readable by people and by grep.
    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="msap API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-1",
    openapi_url="/openapi.json",
    docs_url="/docs",
    renderer=FrenchJSONRenderer(),
)
api.add_router("", houses_router)
api.add_router("", requests_router)
api.add_router("", "msap.api.registers.router")
api.add_router("", "msap.api.referrals.router")
api.add_router("", "msap.api.appointments.router")
api.add_router("", "msap.api.opendata.router")
api.add_router("", "msap.api.charter.router")
api.add_router("", "msap.api.conventions.router")


def _error(request, status: int, detail: str, **extra):
    return api.create_response(request, {"detail": detail, **extra}, status=status)


# --- validation errors (422), in French --------------------------------------------------------

_LOCATIONS = {"query", "path", "body", "header", "cookie", "form", "file"}


def _field_name(loc) -> str:
    names = [str(part) for part in loc if str(part) not in _LOCATIONS]
    return ".".join(names) or "__all__"


def _french_message(error: dict) -> str:
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    if kind == "missing":
        return _("Ce paramètre est obligatoire.")
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return _("Indiquez un nombre entier.")
    if kind == "greater_than_equal":
        return _("La valeur doit être supérieure ou égale à %(limit)s.") % {"limit": ctx.get("ge")}
    if kind == "less_than_equal":
        return _("La valeur doit être inférieure ou égale à %(limit)s.") % {"limit": ctx.get("le")}
    if kind in {"literal_error", "enum"}:
        expected = str(ctx.get("expected", "")).replace(" or ", " ou ")
        return _("Valeur inconnue : choisissez parmi %(choices)s.") % {"choices": expected}
    if kind == "string_too_long":
        return _("Au plus %(n)s caractères.") % {"n": ctx.get("max_length")}
    if kind == "string_too_short":
        return _("Au moins %(n)s caractères.") % {"n": ctx.get("min_length")}
    if kind == "string_pattern_mismatch":
        return _("Format invalide.")
    return _("Valeur invalide.")


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        errors.setdefault(_field_name(error.get("loc", ())), []).append(_french_message(error))
    summary = " ; ".join(f"{field} : {' '.join(msgs)}" for field, msgs in errors.items())
    return _error(
        request, 422, _("Paramètres invalides. %(summary)s") % {"summary": summary}, errors=errors
    )


# --- authentication, permission, not found, domain refusals --------------------------------------

_HTTP_MESSAGES = {
    401: lambda: _(
        "Authentification requise : fournissez un jeton d'API (en-tête « Authorization: Bearer "
        "<jeton> ») ou connectez-vous."
    ),
    403: lambda: _("Accès refusé."),
    404: lambda: _("Ressource introuvable."),
    405: lambda: _("Méthode non autorisée."),
    429: lambda: _("Trop de requêtes : réessayez dans un instant."),
}


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    extra = {}
    if isinstance(exc, InvalidToken):
        detail = exc.message
    elif exc.status_code == 400 and exc.__cause__ is not None:
        # ninja could not parse the body ("Cannot parse request body"): malformed JSON.
        detail = _(
            "Corps de la requête illisible : envoyez un objet JSON valide, encodé en UTF-8 "
            "(en-tête « Content-Type: application/json »)."
        )
        extra["errors"] = {"body": [detail]}
    else:
        # ninja's own messages are English ("Unauthorized", "CSRF check Failed"…).
        detail = _HTTP_MESSAGES.get(exc.status_code, lambda: _("Requête refusée."))()
    if exc.status_code == 400:  # the schema's 400 (ValidationErrorOut) always has `errors`
        extra.setdefault("errors", {"__all__": [detail]})
    response = _error(request, exc.status_code, detail, **extra)
    if isinstance(exc, AuthenticationError):
        response["WWW-Authenticate"] = 'Bearer realm="msap"'
    return response


@api.exception_handler(PermissionDenied)
def on_permission_denied(request, exc: PermissionDenied):
    return _error(request, 403, str(exc) or _HTTP_MESSAGES[403]())


@api.exception_handler(Http404)
def on_not_found(request, exc: Http404):
    return _error(request, 404, str(exc) or _HTTP_MESSAGES[404]())


@api.exception_handler(DomainError)
def on_domain_error(request, exc: DomainError):
    return _error(request, 400, exc.message, errors=exc.errors)


@api.exception_handler(Exception)
def on_unexpected_error(request, exc: Exception):
    # English and the traceback to the logs; a short French message to the caller.
    log.exception("API error on %s %s", request.method, request.path)
    return _error(request, 500, _("Erreur interne du serveur. L'incident a été enregistré."))
