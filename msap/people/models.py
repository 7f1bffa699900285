"""People: accounts (login by email), their roles scoped to houses or territories, trainings."""

import hashlib
import secrets

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The roles are defined with the rules of access; memberships (below) give them to people.
from msap.permissions import Role


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("An email is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)


ROLES_FIELDS = ("roles", "roles_version")
# The columns of one row of the roles snapshot (User.roles).
ROLES_COLUMNS = ("role", "house_id", "organisation_id", "partner_id", "departement_id")


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("adresse électronique"), unique=True)
    first_name = models.CharField(_("prénom"), max_length=100, blank=True)
    last_name = models.CharField(_("nom"), max_length=100, blank=True)
    phone = models.CharField(_("téléphone professionnel"), max_length=30, blank=True)
    is_active = models.BooleanField(_("actif"), default=True)
    # is_staff here means "technical administrator": the only role that reaches Django's admin.
    is_staff = models.BooleanField(_("administrateur technique"), default=False)
    is_demo = models.BooleanField(_("compte de démonstration"), default=False)
    date_joined = models.DateTimeField(_("créé le"), default=timezone.now)
    # A snapshot of the current memberships, read with the user row that authentication loads
    # anyway, so that knowing a user's roles costs no query per request (msap.permissions). NULL
    # means "to compute"; any change of a membership sets it back to NULL and bumps the version,
    # and a snapshot is only written over the version it was computed from (people/roles.py).
    roles = models.JSONField(null=True, blank=True, editable=False)
    roles_version = models.PositiveIntegerField(default=0, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["last_name", "first_name", "email"]
        verbose_name = _("utilisateur")
        constraints = [
            # Login is by email, case-insensitive: two accounts may not differ only by case.
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def save(self, *args, **kwargs):
        # An ordinary save never writes the roles snapshot back: this in-memory copy may predate
        # a change of membership, and writing it would resurrect roles that were taken away.
        if not self._state.adding and kwargs.get("update_fields") is None:
            skipped = {*ROLES_FIELDS, *self.get_deferred_fields()}
            kwargs["update_fields"] = [
                f.attname
                for f in self._meta.concrete_fields
                if not f.primary_key and f.attname not in skipped
            ]
        super().save(*args, **kwargs)

    def current_roles(self) -> list[list]:
        """The current memberships as [role, house_id, organisation_id, partner_id,
        departement_id] rows (what msap.permissions reads), from the snapshot or, when there is
        none, computed and stored — unless a membership changed since this row was read."""
        if self.roles is not None:
            return self.roles
        rows = [
            list(row)
            for row in Membership.objects.current()
            .filter(user_id=self.pk)
            .order_by("pk")
            .values_list(*ROLES_COLUMNS)
        ]
        User.objects.filter(pk=self.pk, roles_version=self.roles_version).update(roles=rows)
        self.roles = rows
        return rows

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name or self.email


class MembershipQuerySet(models.QuerySet):
    def current(self):
        return self.filter(ended_on__isnull=True)


class Membership(models.Model):
    """A role held by a person, scoped to what the role covers (SPEC "Who uses it").

    Leaving ends a membership (ended_on); it is never deleted, so the history of who worked
    where stays available.
    """

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("rôle"), max_length=20, choices=Role.choices)
    house = models.ForeignKey(
        "network.House", null=True, blank=True, on_delete=models.PROTECT, related_name="memberships"
    )
    organisation = models.ForeignKey(
        "network.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    partner = models.ForeignKey(
        "partners.Partner",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    departement = models.ForeignKey(
        "territory.Departement",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    started_on = models.DateField(_("depuis le"), default=timezone.localdate)
    ended_on = models.DateField(_("jusqu'au"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["-started_on"]
        verbose_name = _("rôle")
        constraints = [
            # Each role carries exactly the scope it needs.
            models.CheckConstraint(
                name="membership_scope_matches_role",
                condition=(
                    Q(
                        role__in=["agent", "responsable"],
                        house__isnull=False,
                        organisation__isnull=True,
                        partner__isnull=True,
                        departement__isnull=True,
                    )
                    | Q(
                        role="gestionnaire",
                        house__isnull=True,
                        organisation__isnull=False,
                        partner__isnull=True,
                        departement__isnull=True,
                    )
                    | Q(
                        role="referent",
                        house__isnull=True,
                        organisation__isnull=True,
                        partner__isnull=False,
                    )
                    | Q(
                        role="departement",
                        house__isnull=True,
                        organisation__isnull=True,
                        partner__isnull=True,
                        departement__isnull=False,
                    )
                    | Q(
                        role="national",
                        house__isnull=True,
                        organisation__isnull=True,
                        partner__isnull=True,
                        departement__isnull=True,
                    )
                ),
            ),
            models.CheckConstraint(
                name="membership_ends_after_start",
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
            ),
            # One current role of a kind per scope: adding the same person twice is refused.
            models.UniqueConstraint(
                fields=["user", "role", "house"],
                condition=Q(ended_on__isnull=True, house__isnull=False),
                name="membership_one_current_per_house_role",
            ),
        ]
        indexes = [
            # Serves the permission lookups: current roles of one user.
            models.Index(fields=["user", "ended_on"], name="membership_user_current_idx"),
            # Serves a house's staff list.
            models.Index(fields=["house", "ended_on"], name="membership_house_current_idx"),
        ]

    def __str__(self) -> str:
        scope = (
            self.house
            or self.organisation
            or self.partner
            or self.departement
            or _("France entière")
        )
        return f"{self.user} — {self.get_role_display()} — {scope}"

    @property
    def is_current(self) -> bool:
        return self.ended_on is None or self.ended_on >= timezone.localdate()


class TrainingKind(models.TextChoices):
    INITIAL = "initial", _("Formation initiale")
    CONTINUOUS = "continuous", _("Formation continue / actualisation")
    IMMERSION = "immersion", _("Immersion dans les services du partenaire")
    RECEPTION = "reception", _("Accueil des publics (courtoisie, publics en difficulté)")


def attestation_path(instance, filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"attestations/{instance.user_id}/{secrets.token_hex(8)}.{ext}"


class Training(models.Model):
    """A training followed by a member of staff (art. 4.2; charter commitments 2, 7, 8)."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="trainings")
    house = models.ForeignKey("network.House", on_delete=models.PROTECT, related_name="trainings")
    title = models.CharField(_("intitulé"), max_length=200)
    kind = models.CharField(
        _("type"), max_length=20, choices=TrainingKind.choices, default=TrainingKind.INITIAL
    )
    partner = models.ForeignKey(
        "partners.Partner",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="trainings",
        verbose_name=_("dispensée par le partenaire"),
    )
    given_by = models.CharField(_("autre organisme formateur"), max_length=200, blank=True)
    started_on = models.DateField(_("du"))
    ended_on = models.DateField(_("au"))
    hours = models.DecimalField(
        _("durée (heures)"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    attestation = models.FileField(_("attestation"), upload_to=attestation_path, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-started_on"]
        verbose_name = _("formation")
        constraints = [
            models.CheckConstraint(
                name="training_ends_after_start", condition=Q(ended_on__gte=models.F("started_on"))
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.user})"


class ApiToken(models.Model):
    """A personal API token. Only a hash is stored; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    prefix = models.CharField(max_length=8, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    label = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("jeton d'API")

    def __str__(self) -> str:
        return f"msap_{self.prefix}… ({self.user_id})"

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def issue(cls, user, label: str = "") -> tuple["ApiToken", str]:
        token = "msap_" + secrets.token_urlsafe(32)
        obj = cls.objects.create(user=user, prefix=token[5:13], digest=cls.hash(token), label=label)
        return obj, token
