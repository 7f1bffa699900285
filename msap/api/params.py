"""What the API's routers share: the checks of a list's query parameters (before any arithmetic
on them), a list's page, the refusal of a request, the `Idempotency-Key` header of a creation."""

import datetime
from collections.abc import Callable
from typing import NoReturn

from django.db.models import Q
from django.utils.translation import gettext as _
from ninja import Header, Status

from msap.core import rules
from msap.core.errors import DomainError
from msap.lib.dates import local_days_q


def period_errors(
    date_from: datetime.date | None, date_to: datetime.date | None
) -> dict[str, list[str]]:
    """The French refusals of a list's period: each day in the plausible window (core.rules),
    the end not before the start. Empty when the period is usable."""
    errors: dict[str, list[str]] = {}
    for name, day in (("date_from", date_from), ("date_to", date_to)):
        if day is not None and (problem := rules.day_error(day)):
            errors[name] = [problem]
    if not errors and date_from and date_to and date_from > date_to:
        errors["date_to"] = [_("La date de fin précède la date de début.")]
    return errors


def house_days_q(field: str, date_from: datetime.date | None, date_to: datetime.date | None) -> Q:
    """The rows of a list's period: the instant `field` of a house's record within the days
    asked, counted in that house's time zone (overseas houses have theirs)."""
    return local_days_q(field, "house__commune__departement_id", date_from, date_to)


def refuse_fields(errors: dict[str, list[str]]) -> NoReturn:
    """Refuse a request (400) with every field's French messages, the first as its detail."""
    raise DomainError(next(iter(errors.values()))[0], errors)


def check_period(date_from: datetime.date | None, date_to: datetime.date | None) -> None:
    """Refuse (400) a list's period that `period_errors` finds unusable."""
    if errors := period_errors(date_from, date_to):
        refuse_fields(errors)


def list_page(queryset, filters, payloads: Callable[[list], list]) -> dict:
    """A list's answer: the page that `filters.offset` and `filters.limit` cut from the ordered
    `queryset` (joined with what `payloads` reads), made into rows by `payloads`, and the count
    of the whole list."""
    page = list(queryset[filters.offset : filters.offset + filters.limit])
    return {
        "count": queryset.count(),
        "limit": filters.limit,
        "offset": filters.offset,
        "items": payloads(page),
    }


def idempotency_key_header(what: str):
    """The optional `Idempotency-Key` header of a creation: a retry with the same key and the
    same body returns the record first made (200), another body is refused (422)."""
    return Header(
        None,
        alias="Idempotency-Key",
        max_length=64,
        pattern=r"^[^\x00]*$",
        description=f"Clé unique choisie par le client pour {what} (64 caractères au plus).",
    )


def idempotency_conflict(message: str) -> Status:
    """The 422 answer to a reused `Idempotency-Key` whose body differs from the first one."""
    return Status(422, {"detail": message, "errors": {"Idempotency-Key": [message]}})


def links_from(status: int, **links: dict) -> dict:
    """The `openapi_extra` of an operation whose `status` answer leads to others (OpenAPI links,
    by name): what a client calls next, and what the stateful fuzzing follows."""
    return {"responses": {status: {"links": links}}}


def link(operation_id: str, parameters: dict, request_body: dict | None = None) -> dict:
    """One OpenAPI link: the operation, its parameters and body taken from the answer."""
    target = {"operationId": operation_id, "parameters": parameters}
    if request_body is not None:
        target["requestBody"] = request_body
    return target


def status_link(operation_id: str, id_parameter: str, to: str) -> dict:
    """The `openapi_extra` of a creation (201) whose record's next call is its status change
    `to`, with the version the answer gave."""
    return links_from(
        201,
        ChangeStatus=link(
            operation_id,
            {id_parameter: "$response.body#/id"},
            {"to": to, "version": "$response.body#/version"},
        ),
    )
