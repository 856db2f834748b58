"""Small widgets of the review screen: the deck name, the counts, and buttons that name a key."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget

from . import accessibility


class ElidedLabel(QLabel):
    """A one-line plain-text label that ends in "…" when its text does not fit."""

    def __init__(self, text: str = "", parent=None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setMinimumWidth(40)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self._full_text = ""
        self.setText(text)

    def setText(self, text: str) -> None:  # noqa: N802 -- Qt's name
        self._full_text = text
        self.setToolTip(f"<qt>{html.escape(text)}</qt>")
        self._elide()

    def text(self) -> str:
        """The whole text, as set; `shown_text` is what fits."""
        return self._full_text

    def shown_text(self) -> str:
        return super().text()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        shown = self.fontMetrics().elidedText(self._full_text, Qt.TextElideMode.ElideRight,
                                              max(self.contentsRect().width(), 0))
        super().setText(shown)


class Counter(QWidget):
    """One of the New / Learning / Due numbers in the review header."""

    def __init__(self, kind: str, caption: str, parent=None) -> None:
        super().__init__(parent)
        self.number = QLabel("0")
        self.number.setTextFormat(Qt.TextFormat.PlainText)
        self.number.setObjectName(f"{kind}Count")
        self.number.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.caption = label = QLabel(caption)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setObjectName("countCaption")
        self.number.setToolTip(caption)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.number)
        layout.addWidget(label)

    def set_value(self, value: int) -> None:
        self.number.setText(str(value))


def key_button(text: str, name: str, key: str, *, key_shown: bool = False) -> QPushButton:
    """A button that never takes the keyboard focus: the page handles keys, the button says which
    (in its tooltip, or after its text when `key_shown`; a screen reader says it after the name)."""
    button = QPushButton(f"{text}  ({key})" if key_shown else text)
    button.setObjectName(name)
    button.setToolTip(key)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    if key_shown:
        accessibility.name(button, text)
    button.setAccessibleDescription(f"Key: {key}")
    return button
