"""What a screen reader is told: the names of controls whose text does not say what they do,
and what appears on the review screen, said as it appears."""

from __future__ import annotations

from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent
from PySide6.QtWidgets import QWidget


def name(widget: QWidget, text: str, description: str | None = None) -> QWidget:
    """Give `widget` the name a screen reader says for it (and a description, said after it;
    without one, the tooltip is said)."""
    widget.setAccessibleName(text)
    if description is not None:
        widget.setAccessibleDescription(description)
    return widget


def announce(widget: QWidget, text: str) -> None:
    """Have a screen reader say `text` now, on behalf of `widget`, without moving the focus.
    Polite: it waits for what is being said to end, so a notice and the card after it are
    heard in the order they appear."""
    if text:
        QAccessible.updateAccessibility(QAccessibleAnnouncementEvent(widget, text))
