"""The card browser's editor: the current card's front, back and tags, beside the table.

The fields are the Add window's (bold, italic, lists, pasted pictures; clean card HTML out), so
a card edited here is written as a card added there.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget

from flashcards.core.deck import Card

from .card_fields import FormatBar, RichTextField, StorePicture


class BrowserEditor(QWidget):
    """What the person changes is saved when the focus leaves a field, or on Ctrl+Return: the
    editor emits `edited` with the card's id and the fields that differ, and the browser makes
    the change. Nothing is written here."""

    # The card's id, and {"front": ..., "back": ..., "tags": (...)} with the fields that changed.
    edited = Signal(str, dict)

    def __init__(self, media_folder: Path, store_picture: StorePicture, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("browserEditor")
        self.front = RichTextField(media_folder, store_picture)
        self.front.setObjectName("frontField")
        self.back = RichTextField(media_folder, store_picture)
        self.back.setObjectName("backField")
        self.tags = QLineEdit()
        self.tags.setObjectName("tagsEdit")
        self.tags.setPlaceholderText("Tags, separated by spaces")
        self.format_bar = FormatBar([self.front, self.back])
        self._card: Card | None = None
        self._empty = QLabel("No card selected.")
        self._empty.setObjectName("fieldCaption")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 8)
        layout.setSpacing(6)
        layout.addWidget(self._empty)
        layout.addWidget(self.format_bar)
        for caption, field, stretch in (("&Front", self.front, 1), ("&Back", self.back, 1),
                                        ("&Tags", self.tags, 0)):
            label = QLabel(caption)
            label.setObjectName("fieldCaption")
            label.setBuddy(field)
            layout.addWidget(label)
            layout.addWidget(field, stretch)

        for field in (self.front, self.back):
            field.installEventFilter(self)
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
        person has typed and not yet saved."""
        same = card is not None and self._card is not None and card.id == self._card.id
        self._card = card
        for field, html in ((self.front, card.front if card else ""),
                            (self.back, card.back if card else "")):
            if same and field.card_html() == html:
                field.document().setModified(False)  # saved: the cursor stays where it is
            elif not (same and field.document().isModified()):
                field.set_card_html(html)
        tags = " ".join(card.tags) if card else ""
        if same and self.tags.text().split() == tags.split():
            self.tags.setModified(False)
        elif not (same and self.tags.isModified()):
            self.tags.setText(tags)
        for part in (self.front, self.back, self.tags, self.format_bar):
            part.setEnabled(card is not None)
        self._empty.setVisible(card is None)

    def save(self) -> None:
        """Only a side the person changed is written anew: the other keeps its HTML exactly
        (markup the editor cannot show, such as a table, is not lost by showing it)."""
        card = self._card
        if card is None:
            return
        fields: dict = {}
        for name, field, before in (("front", self.front, card.front),
                                    ("back", self.back, card.back)):
            if field.document().isModified() and field.card_html() != before:
                fields[name] = field.card_html()
        tags = tuple(self.tags.text().split())
        if self.tags.isModified() and tags != card.tags:
            fields["tags"] = tags
        if fields:
            self.edited.emit(card.id, fields)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut and watched in (self.front, self.back):
            self.save()
        return False
