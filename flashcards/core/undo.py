"""Taking back what was just done, the way the learner did it: last first; and doing it again.

Undoing never deletes history. Each step keeps the events that set back what its operation
changed (the card's progress before a grade, the deck before an import); undoing appends them to
the journal like any other change, so other computers sharing the folder follow. Redoing appends
the operation's events again, made anew (a new id, the time of the redo), so they are newer than
the undo and win over it on every computer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .changes import Changes

# As many steps as a learner could want to walk back; older ones are forgotten.
KEPT_STEPS = 100


@dataclass(frozen=True)
class UndoStep:
    # What the learner did, in their words: "Good" (a grade), "Import", "Delete deck".
    label: str
    # Makes the events that set everything back, at the moment of undoing.
    inverse: Callable[[], list[dict]]
    # What undoing changes.
    changes: Changes
    # Makes the events that do the operation again once it was undone, with the step that then
    # undoes them; None for an operation that cannot be done again (an import).
    again: Callable[[], tuple[list[dict], UndoStep]] | None = None
    # What doing it again changes.
    done: Changes | None = None


class UndoHistory:
    """The steps Undo walks back, and the steps undone that Redo walks forward again."""

    def __init__(self) -> None:
        self._steps: list[UndoStep] = []
        self._undone: list[UndoStep] = []

    def push(self, step: UndoStep) -> None:
        """A new operation: what was undone before it can no longer be redone."""
        self._undone.clear()
        self._keep(step)

    def _keep(self, step: UndoStep) -> None:
        self._steps.append(step)
        del self._steps[:-KEPT_STEPS]

    def pop(self) -> UndoStep | None:
        return self._steps.pop() if self._steps else None

    def put_back(self, step: UndoStep) -> None:
        """A step whose undo could not be saved: still the one Undo takes back, Redo unchanged."""
        self._keep(step)

    def undone(self, step: UndoStep) -> None:
        """`step` was undone: Redo may do it again, unless it cannot be, and then nothing after
        it can be either (each step undone was done after the one undone next)."""
        if step.again is None:
            self._undone.clear()
        else:
            self._undone.append(step)

    def pop_undone(self) -> UndoStep | None:
        return self._undone.pop() if self._undone else None

    def redone(self, step: UndoStep) -> None:
        """`step` undoes what Redo just did: Undo takes it back, what is left to redo stays."""
        self._keep(step)

    def put_back_undone(self, step: UndoStep) -> None:
        """A step whose redo could not be saved: still the one Redo does again."""
        self._undone.append(step)

    def clear(self) -> None:
        """After something that cannot be undone: the earlier steps no longer fit what is there."""
        self._steps.clear()
        self._undone.clear()

    @property
    def label(self) -> str | None:
        return self._steps[-1].label if self._steps else None

    @property
    def redo_label(self) -> str | None:
        return self._undone[-1].label if self._undone else None
