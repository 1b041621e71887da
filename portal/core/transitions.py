"""One way to say which status changes an entity allows (as pretalx's ``SubmissionStates``).

Each app declares a table per entity next to its ``<entity>_set_status`` service::

    STAGES = Transitions(
        Stage,
        {Stage.REQUESTED: {Stage.PRE_SURVEY, Stage.CLOSED}, ...},
        message=_("A diagnosis cannot move from “%(from)s” to “%(to)s”."),
    )

    def diagnosis_set_stage(*, diagnosis, to_stage, ...):
        STAGES.check(diagnosis.stage, to_stage)   # ValidationError(code="invalid_transition")
        ...

The service stays the only place that writes the status and does its side effects; the table answers
"may it?" for the service, the forms (``allowed``) and the templates.
"""

from collections.abc import Iterable, Mapping
from enum import Enum

from django.core.exceptions import ValidationError
from django.db.models import TextChoices

INVALID_TRANSITION = "invalid_transition"


class Transitions:
    """The allowed moves between the values of a ``TextChoices`` enum; ``message`` (translated, with
    ``%(from)s`` and ``%(to)s``) is what a refused move says."""

    def __init__(
        self,
        choices: type[TextChoices],
        table: Mapping[str, Iterable[str]],
        *,
        message: str,
    ) -> None:
        unknown = {str(state) for state in table} - set(choices.values)
        unknown |= {str(to) for targets in table.values() for to in targets} - set(choices.values)
        if unknown:
            raise ValueError(f"{choices.__name__}: unknown states in the transition table: {sorted(unknown)}")
        self.choices = choices
        self.table = {str(state): frozenset(str(to) for to in targets) for state, targets in table.items()}
        self.message = message

    def allowed(self, state: str) -> frozenset[str]:
        """The states ``state`` may move to (empty for a final or unknown state)."""
        return self.table.get(_value(state), frozenset())

    def can(self, state: str, to: str) -> bool:
        return _value(to) in self.allowed(state)

    def check(self, state: str, to: str) -> None:
        """Raise ``ValidationError(code="invalid_transition")`` unless ``state`` → ``to`` is allowed."""
        if not self.can(state, to):
            raise ValidationError(
                self.message % {"from": self.label(state), "to": self.label(to)},
                code=INVALID_TRANSITION,
                params={"from": _value(state), "to": _value(to)},
            )

    def label(self, state: str) -> str:
        value = _value(state)
        return str(self.choices(value).label) if value in self.choices.values else value


def _value(state) -> str:
    return str(state.value) if isinstance(state, Enum) else str(state)
