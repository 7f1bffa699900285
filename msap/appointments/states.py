"""The state-machine pattern of ENGINEERING.md ("State changes are guarded"), kept here until
`msap.core.states` lands on main: the model declares its moves, a guarded setter applies them.

Same names as core's: `STATUS_TRANSITIONS`, `available_statuses()`, `check_status()`,
`set_status()` raising DomainError in French and changing nothing on a refused move.
"""

from django.utils.translation import gettext as _

from msap.core.errors import DomainError


class StateMachine:
    STATUS_FIELD = "status"
    STATUS_TRANSITIONS: dict[str, set[str]] = {}

    @classmethod
    def _status_choices(cls) -> list[tuple[str, str]]:
        return list(cls._meta.get_field(cls.STATUS_FIELD).flatchoices)

    @classmethod
    def status_label(cls, value: str) -> str:
        return str(dict(cls._status_choices()).get(value, value))

    @property
    def current_status(self) -> str:
        return getattr(self, self.STATUS_FIELD)

    def status_refusal(self, new: str) -> str | None:
        """A French reason to refuse a move the graph allows (the model overrides it)."""
        return None

    def available_statuses(self) -> list[str]:
        allowed = self.STATUS_TRANSITIONS.get(self.current_status, set())
        return [
            value
            for value, _label in self._status_choices()
            if value in allowed and self.status_refusal(value) is None
        ]

    def check_status(self, new: str) -> None:
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
        self.check_status(new)
        before = self.current_status
        setattr(self, self.STATUS_FIELD, new)
        return before
