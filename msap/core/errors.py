"""Errors raised by domain functions. Their message is French and meant for the user."""

from django.utils.translation import gettext as _


class DomainError(Exception):
    """A refused operation: nothing was saved. `errors` maps a field (or "__all__") to messages."""

    def __init__(self, message: str, errors: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.message = message
        self.errors = errors or {"__all__": [message]}


def check_email(email: str, *, example: str) -> None:
    """Refuse an email address Django would not accept, saying so on the `email` field."""
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    try:
        validate_email(email)
    except ValidationError as exc:
        raise DomainError(
            (_("L'adresse électronique « %(email)s » n'est pas valide.") % {"email": email}),
            {
                "email": [
                    (
                        _("Saisissez une adresse électronique valide, par exemple %(example)s.")
                        % {"example": example}
                    )
                ]
            },
        ) from exc


class StaleVersion(DomainError):
    """Someone else saved the record after it was read: their change must not be overwritten."""

    def __init__(self, message: str | None = None):
        super().__init__(
            message
            or _(
                "Cette fiche a été modifiée par quelqu'un d'autre depuis que vous l'avez ouverte. "
                "Rechargez la page pour voir sa version actuelle, puis refaites votre modification."
            )
        )


def bump_version(model, pk, expected_version: int | None) -> int:
    """Conditional update of `version`: refuses when the row changed since it was read.

    Returns the new version. The UPDATE ... WHERE version = expected both checks and claims the
    row, so two concurrent saves cannot both succeed.
    """
    from django.db.models import F

    qs = model._default_manager.filter(pk=pk)
    if expected_version is not None:
        qs = qs.filter(version=expected_version)
    if qs.update(version=F("version") + 1) != 1:
        raise StaleVersion()
    return model._default_manager.filter(pk=pk).values_list("version", flat=True).get()


class IdempotencyConflict(DomainError):
    """An idempotency key already used for a record with other values: a reuse by mistake, not a
    retry. Nothing is saved; `existing` is the first record (the API answers 422)."""

    def __init__(self, message: str, existing):
        super().__init__(message, {"idempotency_key": [message]})
        self.existing = existing
