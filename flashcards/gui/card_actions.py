"""Edit > Redo and File > Add cards… for the main window, and publishing what the review
screen's card actions and the Add window change, like any other change of the collection."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence

from flashcards.core.changes import Changes
from flashcards.core.store import StoreError

from . import dialogs
from .add_window import AddWindow

if TYPE_CHECKING:
    from .main_window import MainWindow

# How long "Redone: …" stays in the status bar, as "Undone: …" does.
STATUS_MS = 8000


class CardActions(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        menus = {action.text(): action.menu() for action in window.menuBar().actions()}
        self.redo_action = QAction("&Redo", window)
        self.redo_action.setShortcut(QKeySequence("Ctrl+Shift+Z"))
        self.redo_action.setEnabled(False)
        menus["&Edit"].addAction(self.redo_action)
        self.add_action = QAction("&Add cards…", window)
        # Anki's keys: A on the deck list and the review screen; Ctrl+N anywhere.
        self.add_action.setShortcuts([QKeySequence("Ctrl+N"), QKeySequence("A")])
        menus["&File"].insertAction(window.import_action, self.add_action)
        menus["&File"].insertSeparator(window.import_action)
        self.add_window: AddWindow | None = None
        self.redo_action.triggered.connect(self._on_redo_action_triggered)
        self.add_action.triggered.connect(self._on_add_action_triggered)
        window.review_page.card_changed.connect(window.collection_changed)
        window.collection_changed.connect(self._on_window_collection_changed)

    def _studying(self) -> bool:
        window = self.window
        return window.pages.currentWidget() is window.review_page and \
            window.review_page.session is not None

    def _on_window_collection_changed(self, changes: Changes) -> None:
        label = self.window.collection.redo_label
        self.redo_action.setText(f"&Redo {label}" if label else "&Redo")
        self.redo_action.setEnabled(label is not None)
        if self.add_window is not None:
            self.add_window.apply(changes)

    def _on_redo_action_triggered(self) -> None:
        window = self.window
        label = window.collection.redo_label
        if label is None:
            return
        try:
            changes = window.review_page.redo() if self._studying() else window.collection.redo()
        except StoreError as error:
            dialogs.show_error(window, "Could not redo", str(error))
            return
        window.collection_changed.emit(changes)
        window.statusBar().showMessage(f"Redone: {label}.", STATUS_MS)

    def _on_add_action_triggered(self) -> None:
        self.open_add_window()

    def open_add_window(self) -> AddWindow:
        """The Add window, on the deck being studied or chosen in the list; one at a time."""
        window = self.window
        if self._studying():
            deck_id = window.review_page.session.deck_id
        else:
            deck_id = window.deck_page.selected_deck_id()
        if self.add_window is None:
            self.add_window = AddWindow(window.collection, deck_id, window)
            self.add_window.card_added.connect(self._on_add_window_card_added)
        self.add_window.show()
        self.add_window.raise_()
        self.add_window.activateWindow()
        return self.add_window

    def _on_add_window_card_added(self, changes: Changes) -> None:
        self.window.collection_changed.emit(changes)
        if self._studying():
            self.window.review_page.apply(changes)
