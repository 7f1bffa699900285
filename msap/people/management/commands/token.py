"""`msap token EMAIL [--label X]`: issue a personal API token; `--revoke-all` revokes them.

The new token is printed once on stdout, alone on its line, so that a script can capture it
(`TOKEN=$(msap token agent@exemple.fr)`); only its sha256 digest is stored.
"""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from msap.core import journal
from msap.core.commands import Erreur
from msap.people.models import ApiToken, User


class Command(BaseCommand):
    help = "Délivre un jeton d'API personnel à un utilisateur actif (ou révoque tous ses jetons)."

    def add_arguments(self, parser):
        parser.add_argument("email", help="Adresse électronique du compte.")
        parser.add_argument("--label", default="", help="Libellé du jeton (ex. « logiciel RH »).")
        parser.add_argument(
            "--revoke-all", action="store_true", help="Révoque tous les jetons actifs du compte."
        )

    def handle(self, *args, email, label, revoke_all, **options):
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise Erreur(f"Aucun compte n'existe avec l'adresse « {email} ».")
        if revoke_all:
            count = revoke_all_tokens(user)
            self.stdout.write(f"{count} jeton(s) révoqué(s) pour {user.email}.")
            return
        if not user.is_active:
            raise Erreur(f"Le compte « {user.email} » est désactivé : aucun jeton n'est délivré.")
        label = label.strip()
        if len(label) > ApiToken._meta.get_field("label").max_length:
            raise Erreur("Le libellé du jeton ne doit pas dépasser 100 caractères.")
        token = issue_token(user, label)
        self.stdout.write(token)


@transaction.atomic
def issue_token(user, label: str) -> str:
    obj, token = ApiToken.issue(user, label)
    journal.record(
        None,
        "api_token.issued",
        obj,
        summary=gettext_noop("Jeton d'API %(prefix)s… délivré à %(email)s"),
        params={"prefix": obj.prefix, "email": user.email},
    )
    return token


@transaction.atomic
def revoke_all_tokens(user) -> int:
    count = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    journal.record(
        None,
        "api_token.revoked_all",
        user,
        summary=gettext_noop("%(count)s jeton(s) d'API révoqué(s)"),
        params={"count": count},
    )
    return count
