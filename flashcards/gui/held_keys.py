"""Telling a key a person pressed from the same key held down and repeating.

Qt marks repeats with `isAutoRepeat()`, but on X11 it often cannot tell: a held key arrives as a
release and a press with the same timestamp, unmarked. A person cannot release and press a key
within the same millisecond, so such a press counts as a repeat too.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent

# The keys that act (show, grade, open, bury, suspend): holding one must act once, not at the
# repeat rate.
ACTING_KEYS = frozenset({Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_1,
                         Qt.Key.Key_2, Qt.Key.Key_3, Qt.Key.Key_4, Qt.Key.Key_Minus,
                         Qt.Key.Key_At})


class HeldKeyFilter(QObject):
    """An event filter that drops the repeats of a held acting key before the widget sees them."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._released_at: dict[int, int] = {}

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 -- Qt's name
        kind = event.type()
        if kind == QEvent.Type.KeyRelease:
            self._released_at[event.key()] = event.timestamp()
        elif kind == QEvent.Type.KeyPress and event.key() in ACTING_KEYS:
            return self.is_repeat(event)
        return False

    def is_repeat(self, event: QKeyEvent) -> bool:
        released = self._released_at.get(event.key())
        return event.isAutoRepeat() or (released is not None and event.timestamp() == released
                                        and released != 0)
