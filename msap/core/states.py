"""One pattern for every status field: the model declares its moves, a guarded setter applies them.

A model mixes in `StateMachine` and declares `STATUS_TRANSITIONS`, `{from: {to, …}}` over the
values of its status field (`STATUS_FIELD`, "status" by default). Services move a record with
`record.set_status(new)`, which raises `DomainError` in French and changes nothing on a move the
graph (or the model's `status_refusal`) does not allow; screens and the API offer
`record.available_statuses()`. Where a move is a claim by conditional UPDATE (two workers racing),
`Model.statuses_leading_to(new)` gives the rows' statuses the UPDATE may match.
"""

from django.utils.translation import gettext as _

from msap.core.errors import DomainError


class StateMachine:
    """Mixin for a Django model with a status field whose moves form a graph."""

    STATUS_FIELD = "status"
    STATUS_TRANSITIONS: dict[str, set[str]] = {}

    @classmethod
    def _status_choices(cls) -> list[tuple[str, str]]:
        return list(cls._meta.get_field(cls.STATUS_FIELD).flatchoices)

    @classmethod
    def status_label(cls, value: str) -> str:
        return str(dict(cls._status_choices()).get(value, value))

    @classmethod
    def statuses_leading_to(cls, new: str) -> set[str]:
        """The statuses from which the graph allows a move to `new`."""
        return {before for before, after in cls.STATUS_TRANSITIONS.items() if new in after}

    @property
    def current_status(self) -> str:
        return getattr(self, self.STATUS_FIELD)

    def status_refusal(self, new: str) -> str | None:
        """A French reason to refuse a move, checked before the graph (the model may override it
        to explain a refusal in its own words, or to refuse a move the graph allows)."""
        return None

    def available_statuses(self) -> list[str]:
        """The statuses this record may move to now, in the order of the field's choices."""
        allowed = self.STATUS_TRANSITIONS.get(self.current_status, set())
        return [
            value
            for value, _label in self._status_choices()
            if value in allowed and self.status_refusal(value) is None
        ]

    def check_status(self, new: str) -> None:
        """Raise DomainError, on the status field, for an unknown status or a refused move;
        change nothing (a service checks first when other checks follow)."""
        field = self.STATUS_FIELD
        if new not in dict(self._status_choices()):
            message = _("Statut inconnu.")
            raise DomainError(message, {field: [message]})
        refusal = self.status_refusal(new)
        if refusal is None and new not in self.STATUS_TRANSITIONS.get(self.current_status, set()):
            refusal = _("Passage impossible de « %(before)s » à « %(after)s ».") % {
                "before": self.status_label(self.current_status),
                "after": self.status_label(new),
            }
        if refusal is not None:
            raise DomainError(refusal, {field: [refusal]})

    def set_status(self, new: str) -> str:
        """Move to `new` in memory (the service saves), or raise as `check_status` does and
        change nothing. Returns the status before."""
        self.check_status(new)
        before = self.current_status
        setattr(self, self.STATUS_FIELD, new)
        return before


def end_tenure(record, on, *, already_ended: str, before_start: str) -> None:
    """End a dated tenure (a role in a house, a referent's post) on `on`; the row stays as the
    history of who held it. Refused when it has ended already or `on` comes before its start."""
    if record.ended_on is not None:
        raise DomainError(already_ended)
    if on < record.started_on:
        raise DomainError(before_start)
    record.ended_on = on
    record.save(update_fields=["ended_on"])
