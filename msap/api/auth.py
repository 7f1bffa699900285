"""Who is calling the API: a personal token (`Authorization: Bearer msap_…`) or a browser session.

Only the sha256 digest of a token is stored (people.models.ApiToken). A revoked token, or the
token of a deactivated account, is refused. `last_used_at` is written at most once a minute so
that a busy integration does not turn every read into a write.
"""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, SessionAuth

from msap.people.models import ApiToken

LAST_USED_PRECISION = timedelta(minutes=1)
# A token issued by ApiToken.issue is "msap_" + 43 characters; anything far longer is not ours.
MAX_TOKEN_LENGTH = 200


class InvalidToken(AuthenticationError):
    """A token was presented but is unknown, revoked, or belongs to a deactivated account."""

    def __init__(self):
        super().__init__(401, _("Jeton d'API invalide, révoqué, ou compte désactivé."))


def user_for_token(token: str):
    """The active user owning `token`, or None. Touches `last_used_at` at most once a minute."""
    token = token.strip()
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    row = (
        ApiToken.objects.select_related("user")
        .filter(digest=ApiToken.hash(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if row is None:
        return None
    now = timezone.now()
    if row.last_used_at is None or row.last_used_at <= now - LAST_USED_PRECISION:
        # Conditional update: concurrent calls in the same minute write once at most.
        ApiToken.objects.filter(pk=row.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - LAST_USED_PRECISION)
        ).update(last_used_at=now)
    return row.user


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`; a presented but invalid token is a 401, not anonymity."""

    def authenticate(self, request, token):
        user = user_for_token(token)
        if user is None:
            raise InvalidToken()
        request.user = user
        return user


class BrowserSessionAuth(SessionAuth):
    """A user logged in to msap in the same browser (Django session; CSRF-checked on writes)."""

    def authenticate(self, request, key):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_active:
            return user
        return None


token_auth = TokenAuth()
session_auth = BrowserSessionAuth()
# Staff endpoints accept either; the token is tried first.
STAFF_AUTH = [token_auth, session_auth]


def optional_caller(request):
    """The caller of a public endpoint: a user if credentials were given, else None.

    A public endpoint needs no credentials, but a wrong token is still refused (401) so that an
    integrator learns their token no longer works instead of silently getting the public view.
    """
    header = request.headers.get("Authorization", "")
    scheme, _sep, token = header.partition(" ")
    if header and scheme.lower() == "bearer":
        user = user_for_token(token)
        if user is None:
            raise InvalidToken()
        return user
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.is_active:
        return user
    return None
