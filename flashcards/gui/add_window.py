"""The Add window: write cards one after another, as in Anki's Add dialog.

The deck chooser starts on the deck chosen in the main window; Front has the focus. Ctrl+Return
adds the card and clears Front and Back for the next (the tags stay); Esc closes. A front the deck
already has is pointed out under Front before adding, and a preview shows the card as the review
page will.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (QComboBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
                               QPushButton, QSplitter, QVBoxLayout, QWidget)

from flashcards.core.changes import Changes
from flashcards.core.collection import Collection
from flashcards.core.deck import DeckId
from flashcards.core.store import StoreError
from flashcards.formats.html import text_line

from . import audio, dialogs
from .card_fields import FormatBar, RichTextField
from .card_view import CardView, card_page_html
from .window_placement import place_over, size_on_screen

# Anki's first deck, made for a card added when there is no deck at all.
DEFAULT_DECK = "Default"


class AddWindow(QWidget):
    # A card was added; carries the Changes (the main window publishes them, Undo takes it back).
    card_added = Signal(object)

    def __init__(self, collection: Collection, deck_id: DeckId | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.collection = collection
        self.setObjectName("addWindow")
        self.setWindowTitle("Add")
        # Closing the main window quits the app even while this one is open.
        self.setAttribute(Qt.WidgetAttribute.WA_QuitOnClose, False)
        self.resize(size_on_screen(parent or self, QSize(900, 560)))
        # The fronts of each deck looked at, as compared: reading a deck's takes a quarter of a
        # second at 13,000 cards, so they are kept until a change touches the deck.
        self._fronts: dict[DeckId, set[str]] = {}
        self._last_added: Changes | None = None

        self.deck_box = QComboBox()
        self.deck_box.setObjectName("deckChooser")
        self.front_field = RichTextField(collection.media_folder, collection.add_media)
        self.front_field.setObjectName("frontField")
        self.back_field = RichTextField(collection.media_folder, collection.add_media)
        self.back_field.setObjectName("backField")
        self.duplicate_label = QLabel()
        self.duplicate_label.setObjectName("duplicateLabel")
        self.duplicate_label.setTextFormat(Qt.TextFormat.PlainText)
        self.duplicate_label.hide()
        self.tags_edit = QLineEdit()
        self.tags_edit.setObjectName("tagsEdit")
        self.tags_edit.setPlaceholderText("Tags, separated by spaces")
        self.format_bar = FormatBar([self.front_field, self.back_field])
        self.status_label = QLabel()
        self.status_label.setObjectName("addStatus")
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)
        self.preview = CardView(collection.media_folder)
        self.preview.setObjectName("cardPreview")
        self.add_button = QPushButton("Add")
        self.add_button.setObjectName("addButton")
        self.add_button.setToolTip("Add the card (Ctrl+Return)")
        self.add_button.setDefault(True)
        self.close_button = QPushButton("Close")
        self.close_button.setToolTip("Close (Esc)")
        for button in (self.add_button, self.close_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._lay_out()

        for keys, slot in (("Ctrl+Return", self.add_card), ("Ctrl+Enter", self.add_card),
                           ("Esc", self.close)):
            QShortcut(QKeySequence(keys), self).activated.connect(slot)
        self.add_button.clicked.connect(self.add_card)
        self.close_button.clicked.connect(self.close)
        self.front_field.edited.connect(self._on_front_field_edited)
        self.back_field.edited.connect(self._on_back_field_edited)
        self.deck_box.currentIndexChanged.connect(self._on_deck_box_current_index_changed)
        self.fill_decks(deck_id)
        self._show_preview()
        self.front_field.setFocus()
        if parent is not None:
            place_over(self, parent)

    def _lay_out(self) -> None:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(_caption("&Deck", self.deck_box), self.deck_box)
        form.addRow(QLabel(), self.format_bar)
        front = QVBoxLayout()
        front.setSpacing(2)
        front.addWidget(self.front_field)
        front.addWidget(self.duplicate_label)
        form.addRow(_caption("&Front", self.front_field), front)
        form.addRow(_caption("&Back", self.back_field), self.back_field)
        form.addRow(_caption("&Tags", self.tags_edit), self.tags_edit)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status_label, 1)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.add_button)
        editor = QWidget()
        editor_layout = QVBoxLayout(editor)
        editor_layout.setContentsMargins(0, 0, 0, 0)
        editor_layout.addLayout(form, 1)
        editor_layout.addLayout(buttons)
        preview = QWidget()
        preview_layout = QVBoxLayout(preview)
        preview_layout.setContentsMargins(0, 0, 0, 0)
        caption = QLabel("Preview")
        caption.setObjectName("fieldCaption")
        caption.setBuddy(self.preview)  # what a screen reader calls it
        preview_layout.addWidget(caption)
        preview_layout.addWidget(self.preview, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(editor)
        splitter.addWidget(preview)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 14)
        layout.addWidget(splitter)

    # -- decks --------------------------------------------------------------------------------
    def fill_decks(self, chosen: DeckId | None = None) -> None:
        """List the decks by name, keeping `chosen` (else the deck chosen so far)."""
        chosen = chosen or self.deck_id
        self.deck_box.blockSignals(True)
        self.deck_box.clear()
        for deck in self.collection.decks():
            self.deck_box.addItem(deck.name, deck.id)
        if self.deck_box.count() == 0:
            self.deck_box.addItem(DEFAULT_DECK, None)
        index = self.deck_box.findData(chosen) if chosen else -1
        self.deck_box.setCurrentIndex(max(index, 0))
        self.deck_box.blockSignals(False)
        self._check_duplicate()

    @property
    def deck_id(self) -> DeckId | None:
        return self.deck_box.currentData()

    def apply(self, changes: Changes) -> None:
        """Something changed in the collection: decks renamed or added, cards edited."""
        if changes is self._last_added:
            # This window's own card, published: its front is counted already. Undoing it
            # gives back the same changes, so they count as news only the first time.
            self._last_added = None
        else:
            for deck_id in changes.decks or list(self._fronts):
                self._fronts.pop(deck_id, None)
        if changes.everything:
            self.fill_decks()
        else:
            self._check_duplicate()

    # -- adding -------------------------------------------------------------------------------
    def add_card(self) -> None:
        front, back = self.front_field.card_html(), self.back_field.card_html()
        if not text_line(front):
            self.status_label.setText("A card needs a front.")
            self.front_field.setFocus()
            return
        tags = self.tags_edit.text().split()
        deck_id, deck_name = self.deck_id, self.deck_box.currentText()
        try:
            if deck_id is None:
                changes = self.collection.add_card_to_deck_named(deck_name, front, back, tags)
            else:
                changes = self.collection.add_card(deck_id, front, back, tags)
        except (StoreError, ValueError) as error:
            dialogs.show_error(self, "Could not add the card", str(error))
            return
        if deck_id is None:  # the deck was made with the card: choose it from now on
            self.fill_decks(changes.created[-1])
        elif deck_id in self._fronts:
            self._fronts[deck_id].add(_comparable(front))
        self._last_added = changes
        self.front_field.clear_field()
        self.back_field.clear_field()
        self.front_field.setFocus()
        self.status_label.setText(f"Added to {deck_name}.")
        self.card_added.emit(changes)

    # -- what the learner writes --------------------------------------------------------------
    def _on_front_field_edited(self) -> None:
        self._check_duplicate()
        self._show_preview()

    def _on_back_field_edited(self) -> None:
        self._show_preview()

    def _on_deck_box_current_index_changed(self, _index: int) -> None:
        self._check_duplicate()

    def _check_duplicate(self) -> None:
        front = _comparable(self.front_field.card_html())
        duplicate = bool(front) and front in self._deck_fronts()
        self.duplicate_label.setText(
            f"This front is already in {self.deck_box.currentText()}." if duplicate else "")
        self.duplicate_label.setVisible(duplicate)

    def _deck_fronts(self) -> set[str]:
        """The fronts of the chosen deck, as compared: read once per deck until it changes."""
        deck_id = self.deck_id
        if deck_id is None or not self.collection.has_deck(deck_id):
            return set()
        if deck_id not in self._fronts:
            self._fronts[deck_id] = {_comparable(card.front)
                                     for card in self.collection.deck(deck_id).cards}
        return self._fronts[deck_id]

    def _show_preview(self) -> None:
        front, back = self.front_field.card_html(), self.back_field.card_html()
        self.preview.show_html(card_page_html(audio.label_sounds(front), audio.label_sounds(back),
                                              answer_shown=True))


def _comparable(card_html: str) -> str:
    """A front as two fronts are compared: its text, ignoring case, formatting and spacing."""
    return text_line(card_html).casefold()


def _caption(text: str, buddy: QWidget) -> QLabel:
    label = QLabel(text)
    label.setObjectName("fieldCaption")
    label.setBuddy(buddy)
    return label
