"""Taking back what was just done, the way the learner did it: last first.

Undoing never deletes history. Each step keeps the events that set back what its operation
changed (the card's progress before a grade, the deck before an import); undoing appends them to
the journal like any other change, so other computers sharing the folder follow.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .changes import Changes

# As many steps as a learner could want to walk back; older ones are forgotten.
KEPT_STEPS = 100


@dataclass(frozen=True)
class UndoStep:
    # What the learner did, in their words: "Grade", "Import", "Remove deck".
    label: str
    # Makes the events that set everything back, at the moment of undoing.
    inverse: Callable[[], list[dict]]
    # What undoing changes.
    changes: Changes


class UndoHistory:
    def __init__(self) -> None:
        self._steps: list[UndoStep] = []

    def push(self, step: UndoStep) -> None:
        self._steps.append(step)
        del self._steps[:-KEPT_STEPS]

    def pop(self) -> UndoStep | None:
        return self._steps.pop() if self._steps else None

    def clear(self) -> None:
        """After something that cannot be undone: the earlier steps no longer fit what is there."""
        self._steps.clear()

    @property
    def label(self) -> str | None:
        return self._steps[-1].label if self._steps else None
