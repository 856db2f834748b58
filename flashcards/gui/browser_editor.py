"""The card browser's editor: the current card's front, back and tags, beside the table."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QPlainTextEdit, QWidget

from flashcards.core.deck import Card


class _FieldEdit(QPlainTextEdit):
    """A card's HTML, as typed. Tells when the focus leaves it: that is when it is saved."""

    left = Signal()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.left.emit()


class CardEditor(QWidget):
    """What the person changes is saved when the focus leaves a field, or on Ctrl+Return: the
    editor emits `edited` with the card's id and the fields that differ, and the browser makes
    the change. Nothing is written here."""

    # The card's id, and {"front": ..., "back": ..., "tags": (...)} with the fields that changed.
    edited = Signal(str, dict)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("cardEditor")
        self.front = _FieldEdit()
        self.front.setObjectName("frontField")
        self.back = _FieldEdit()
        self.back.setObjectName("backField")
        self.tags = QLineEdit()
        self.tags.setObjectName("tagsField")
        self.tags.setPlaceholderText("Tags, separated by spaces")
        for field in (self.front, self.back):
            field.setTabChangesFocus(True)
        self._card: Card | None = None
        self._empty = QLabel("No card selected.")
        self._empty.setEnabled(False)
        layout = QFormLayout(self)
        layout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        layout.setContentsMargins(8, 4, 8, 8)
        layout.addRow(self._empty)
        layout.addRow("&Front", self.front)
        layout.addRow("&Back", self.back)
        layout.addRow("&Tags", self.tags)

        self.front.left.connect(self.save)
        self.back.left.connect(self.save)
        self.tags.editingFinished.connect(self.save)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.save)
        self.show_card(None)

    @property
    def card_id(self) -> str | None:
        return self._card.id if self._card else None

    def show_card(self, card: Card | None) -> None:
        """Show `card` (None: nothing). The same card again, changed elsewhere, keeps what the
        person has typed and not yet saved in each field."""
        before, self._card = self._card, card
        same = before is not None and card is not None and before.id == card.id
        for field, old, new in (
                (self.front, before and before.front, card and card.front),
                (self.back, before and before.back, card and card.back),
                (self.tags, before and " ".join(before.tags), card and " ".join(card.tags))):
            if same and _text(field) != old:
                continue  # typed and not saved yet
            if _text(field) != (new or ""):
                _set_text(field, new or "")
        for field in (self.front, self.back, self.tags):
            field.setEnabled(card is not None)
        self._empty.setVisible(card is None)

    def save(self) -> None:
        card = self._card
        if card is None:
            return
        fields: dict = {}
        if self.front.toPlainText() != card.front:
            fields["front"] = self.front.toPlainText()
        if self.back.toPlainText() != card.back:
            fields["back"] = self.back.toPlainText()
        tags = tuple(self.tags.text().split())
        if tags != card.tags:
            fields["tags"] = tags
        if fields:
            self.edited.emit(card.id, fields)


def _text(field: QPlainTextEdit | QLineEdit) -> str:
    return field.toPlainText() if isinstance(field, QPlainTextEdit) else field.text()


def _set_text(field: QPlainTextEdit | QLineEdit, text: str) -> None:
    if isinstance(field, QPlainTextEdit):
        field.setPlainText(text)
    else:
        field.setText(text)
