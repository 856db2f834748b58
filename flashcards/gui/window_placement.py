"""Where a window of the app's opens: sized for the screen it is on, over the window it came from.

A window manager places a new top-level window by its own rule (openbox: the emptiest corner of
the screen), so the Add window and the browser opened at the screen's left edge, away from the
deck list the person was looking at. Dialogs are centred by Qt; these windows are not dialogs.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtWidgets import QWidget


def size_on_screen(window: QWidget, wanted: QSize) -> QSize:
    """`wanted`, made smaller where the screen `window` is on is smaller (a laptop's 1366 x 768)."""
    screen = window.screen().availableGeometry()
    return wanted.boundedTo(QSize(screen.width() * 9 // 10, screen.height() * 9 // 10))


def place_over(window: QWidget, owner: QWidget) -> None:
    """Move `window` so it is centred over `owner`, all of it on `owner`'s screen. Before its
    first showing, call it once the window has its contents: they may make it wider."""
    screen = owner.screen().availableGeometry()
    size = window.frameGeometry().size()
    if not window.isVisible():  # no frame yet: it will get one like its owner's
        size = (window.size().expandedTo(window.minimumSizeHint())
                + owner.frameGeometry().size() - owner.geometry().size())
    frame = QRect(QPoint(0, 0), size.boundedTo(screen.size()))
    frame.moveCenter(owner.frameGeometry().center())
    left = min(max(frame.left(), screen.left()), screen.right() + 1 - frame.width())
    top = min(max(frame.top(), screen.top()), screen.bottom() + 1 - frame.height())
    window.move(left, top)
