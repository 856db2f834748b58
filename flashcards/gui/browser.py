"""The card browser (B, or Edit › Browse): every card in a table, found by a search, changed one
or many at a time, as in Anki's Browse window.

A deck and tag tree on the left, the search box and the table in the middle, the current card's
editor on the right. Each action is one collection operation whose Changes go out through the
main window's `collection_changed`, so both windows redraw from the same Changes, and Undo in
either window takes back the same step.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING

from PySide6.QtCore import QElapsedTimer, QEvent, QModelIndex, QObject, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QLineEdit, QMainWindow, QMenu, QSplitter, QVBoxLayout, QWidget

from flashcards.core.changes import Changes
from flashcards.core.deck import CardId
from flashcards.core.search import SearchError
from flashcards.core.store import StoreError

from . import accessibility, dialogs, preferences
from .browser_editor import BrowserEditor
from .browser_sidebar import BrowserSidebar
from .card_table import FLAG_NAMES, CardTableModel, Column
from .card_table_view import CardTableView
from .window_placement import place_over, size_on_screen

if TYPE_CHECKING:
    from .main_window import MainWindow

# How long the review counts are read at a time before the window handles events again.
_READING_SLICE_MS = 8
# How long "Undone: …" stays in the status bar, as in the main window.
_STATUS_MS = 8000


class Browser(QMainWindow):
    """The window. It belongs to the main window and lives until closed."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window, Qt.WindowType.Window)
        self.setObjectName("browser")
        self.setWindowTitle("Browse")
        self.resize(size_on_screen(window, QSize(1440, 800)))
        self._window = window
        self.collection = window.collection
        self.model = CardTableModel(self.collection, self)
        self._shown_search = ""
        self._reading: Iterator | None = None
        self._reading_timer = QTimer(self)
        self._reading_timer.setInterval(0)
        self._reading_timer.timeout.connect(self._on_reading_timer_timeout)
        self._closed = False
        self._fitted = False

        self.search_box = accessibility.name(QLineEdit(), "Search")
        self.search_box.setObjectName("searchBox")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setPlaceholderText('Search: deck:French tag:verb is:due "a phrase"')
        self.search_error = QLabel()
        self.search_error.setObjectName("searchError")
        self.search_error.setTextFormat(Qt.TextFormat.PlainText)
        self.search_error.hide()
        self.table = accessibility.name(CardTableView(self.model), "Cards")
        self.sidebar = accessibility.name(BrowserSidebar(), "Decks and tags")
        self.editor = BrowserEditor(self.collection.media_folder, self.collection.add_media)

        middle = QWidget()
        layout = QVBoxLayout(middle)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.search_box)
        layout.addWidget(self.search_error)
        layout.addWidget(self.table, 1)
        self.splitter = QSplitter()
        # In proportion to the window, which a small screen makes smaller, and keeping that
        # proportion as it grows: the editor keeps room for a sentence per line, the deck names
        # theirs.
        shares = (12, 64, 24)
        # Room for a deck's or tag's name of a dozen letters, whatever the window's size.
        self.sidebar.setMinimumWidth(self.sidebar.fontMetrics().averageCharWidth() * 18)
        for part, share in zip((self.sidebar, middle, self.editor), shares):
            self.splitter.addWidget(part)
            self.splitter.setStretchFactor(self.splitter.count() - 1, share)
        self.splitter.setSizes([self.width() * share // 100 for share in shares])
        self.setCentralWidget(self.splitter)
        self._build_menus()

        self.search_box.returnPressed.connect(self._on_search_box_return_pressed)
        self.sidebar.search_chosen.connect(self._on_sidebar_search_chosen)
        self.table.selectionModel().currentRowChanged.connect(self._on_table_current_changed)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        self.editor.edited.connect(self._on_editor_edited)
        self.table.set_hidden_columns(column for column in Column
                                      if column.title in preferences.hidden_browser_columns())
        self.table.hidden_columns_changed.connect(self._on_table_hidden_columns_changed)
        window.collection_changed.connect(self._on_window_collection_changed)
        window.installEventFilter(self)  # closes with the main window

        self.search("")
        self._fill_sidebar()
        self._count_reviews()
        self.search_box.setFocus()
        place_over(self, window)

    def _build_menus(self) -> None:
        edit_menu = self.menuBar().addMenu("&Edit")
        self.undo_action = self._action(edit_menu, "&Undo", QKeySequence.StandardKey.Undo,
                                        self._on_undo_action_triggered)
        self.redo_action = self._action(edit_menu, "&Redo", "Ctrl+Shift+Z",
                                        self._on_redo_action_triggered)
        cards = self.menuBar().addMenu("&Cards")
        self.change_deck_action = self._action(cards, "Change &deck…", "Ctrl+D",
                                               self._on_change_deck_action_triggered)
        self.suspend_action = self._action(cards, "Toggle &suspend", "Ctrl+J",
                                           self._on_suspend_action_triggered)
        self.reset_action = self._action(cards, "&Reset to new", "Ctrl+Alt+N",
                                         self._on_reset_action_triggered)
        flag_menu = cards.addMenu("&Flag")
        self.flag_actions = [
            self._action(flag_menu, f"&{number} {name}", f"Ctrl+{number}",
                         lambda _checked=False, number=number: self._flag(number))
            for number, name in FLAG_NAMES.items()]
        cards.addSeparator()
        self.add_tags_action = self._action(cards, "&Add tags…", "Ctrl+Shift+A",
                                            self._on_add_tags_action_triggered)
        self.remove_tags_action = self._action(cards, "Remove ta&gs…", "Ctrl+Alt+Shift+A",
                                               self._on_remove_tags_action_triggered)
        cards.addSeparator()
        self.delete_action = self._action(cards, "&Delete…", QKeySequence.StandardKey.Delete,
                                          self._on_delete_action_triggered)
        # The header's own menu, reachable from the keyboard too.
        self.menuBar().addMenu("&View").addMenu(self.table.columns_menu)
        QShortcut(QKeySequence("Escape"), self, self.close)
        self._show_undo_label()

    def _action(self, menu: QMenu, text: str, keys, slot: Callable) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(keys))
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    # -- searching ----------------------------------------------------------------------------
    def search(self, text: str) -> bool:
        """Show the cards `text` finds. Text it cannot read is explained under the box, and the
        table keeps what it showed."""
        self.editor.save()
        try:
            self.model.search(text)
        except SearchError as error:
            self.search_error.setText(str(error))
            self.search_error.show()
            return False
        self.search_error.hide()
        self._shown_search = text
        if self.model.rowCount():
            self._select([], self.model.card_id(0))
        self._on_table_selection_changed()
        return True

    def _on_search_box_return_pressed(self) -> None:
        self.search(self.search_box.text())

    def _on_sidebar_search_chosen(self, text: str) -> None:
        self.search_box.setText(text)
        self.search(text)

    def _fill_sidebar(self) -> None:
        self.sidebar.fill(self.collection.decks())

    # -- the current card and the selection ---------------------------------------------------
    def select_card(self, card_id: CardId) -> None:
        """Make this card the current and only selected one, searching for every card if the
        search shown leaves it out."""
        if self.model.row_of(card_id) is None:
            self.search_box.clear()
            self.search("")
        self._select([card_id], card_id)

    def selected_card_ids(self) -> list[CardId]:
        return [self.model.card_id(row) for row in sorted(self.table.selected_rows())]

    def _current_card_id(self) -> CardId | None:
        index = self.table.currentIndex()
        return self.model.card_id(index.row()) if index.isValid() else None

    def _on_table_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.editor.save()
        self._show_current_card()

    def _show_current_card(self) -> None:
        card_id = self._current_card_id()
        self.editor.show_card(self.model.card(card_id)[1] if card_id else None)

    def _on_table_selection_changed(self, *_ignored) -> None:
        selected = len(self.table.selected_rows())
        shown = self.model.rowCount()
        self.setWindowTitle(f"Browse ({selected:,} of {shown:,} card{'s' if shown != 1 else ''} "
                            "selected)")
        for action in (self.change_deck_action, self.suspend_action, self.reset_action,
                       self.add_tags_action, self.remove_tags_action, self.delete_action,
                       *self.flag_actions):
            action.setEnabled(selected > 0)

    def _select(self, card_ids: Iterable[CardId], current: CardId | None) -> None:
        """Select these cards' rows (those still shown), and make `current` the current row."""
        rows = [row for row in map(self.model.row_of, card_ids) if row is not None]
        self.table.select_rows(rows, self.model.row_of(current) if current else None)
        self._show_current_card()

    # -- keeping up with changes --------------------------------------------------------------
    def _on_window_collection_changed(self, changes: Changes) -> None:
        tags_before = {card_id: self.model.card(card_id)[1].tags for card_id in changes.cards
                       if self.model.row_of(card_id) is not None}
        if not self.model.apply(changes):
            self._search_again()
        if changes.deck_list or any(self.model.row_of(card_id) is not None
                                    and self.model.card(card_id)[1].tags != tags
                                    for card_id, tags in tags_before.items()):
            self._fill_sidebar()
        self._show_current_card()
        self._show_undo_label()

    def _search_again(self) -> None:
        """The same search, read again, keeping the selection and the current card (or, if it
        is gone, the row where it was)."""
        selected, current = self.selected_card_ids(), self._current_card_id()
        row = self.table.currentIndex().row()
        self.model.search(self._shown_search)  # it was read before: it cannot fail now
        if current is not None and self.model.row_of(current) is None and self.model.rowCount():
            current = self.model.card_id(min(row, self.model.rowCount() - 1))
        self._select(selected, current)
        self._on_table_selection_changed()

    def _change(self, make: Callable[[], Changes]) -> None:
        """Make one change and publish it, or say why it could not be saved."""
        try:
            changes = make()
        except StoreError as error:
            dialogs.show_error(self, "Could not save the change", str(error))
            return
        if changes:
            self._window.collection_changed.emit(changes)

    def _show_undo_label(self) -> None:
        for action, name, label in ((self.undo_action, "&Undo", self.collection.undo_label),
                                    (self.redo_action, "&Redo", self.collection.redo_label)):
            action.setText(f"{name} {label}" if label else name)
            action.setEnabled(label is not None)

    # -- the actions --------------------------------------------------------------------------
    def _on_undo_action_triggered(self) -> None:
        self._through_window(self._window.undo_action, self.collection.undo_label, "Undone")

    def _on_redo_action_triggered(self) -> None:
        self._through_window(self._window.redo_action, self.collection.redo_label, "Redone")

    def _through_window(self, action: QAction, label: str | None, done: str) -> None:
        """Undo and Redo take the main window's path, so a review on screen follows them."""
        self.editor.save()
        if label is not None:
            action.trigger()
            self.statusBar().showMessage(f"{done}: {label}.", _STATUS_MS)

    def _on_delete_action_triggered(self) -> None:
        card_ids = self.selected_card_ids()
        count = len(card_ids)
        if card_ids and dialogs.ask_confirmation(
                self, "Delete cards", f"Delete {count:,} card{'s' if count != 1 else ''}?"):
            self._change(lambda: self.collection.remove_cards(card_ids))

    def _on_change_deck_action_triggered(self) -> None:
        card_ids = self.selected_card_ids()
        if not card_ids:
            return
        current = self.model.card(card_ids[0])[0].id
        count = len(card_ids)
        deck_id = dialogs.ask_deck(self, "Change deck",
                                   f"Move {count:,} card{'s' if count != 1 else ''} to:",
                                   self.collection.decks(), current)
        if deck_id is not None:
            self._change(lambda: self.collection.move_cards(card_ids, deck_id))

    def _on_suspend_action_triggered(self) -> None:
        card_ids = self.selected_card_ids()
        marks = self.collection.marks
        suspend = not all(marks(card_id).suspended for card_id in card_ids)
        self._change(lambda: self.collection.suspend(card_ids, suspend))

    def _flag(self, number: int) -> None:
        """Flag the selected cards; the same flag again takes it off, as in Anki."""
        card_ids = self.selected_card_ids()
        marks = self.collection.marks
        again = bool(card_ids) and all(marks(card_id).flag == number for card_id in card_ids)
        self._change(lambda: self.collection.flag(card_ids, 0 if again else number))

    def _on_reset_action_triggered(self) -> None:
        card_ids = self.selected_card_ids()
        self._change(lambda: self.collection.reset(card_ids))

    def _on_add_tags_action_triggered(self) -> None:
        self._change_tags("Add tags", "Tags to add, separated by spaces:", "add")

    def _on_remove_tags_action_triggered(self) -> None:
        self._change_tags("Remove tags", "Tags to remove, separated by spaces:", "remove")

    def _change_tags(self, title: str, question: str, how: str) -> None:
        card_ids = self.selected_card_ids()
        text = dialogs.ask_text(self, title, question) if card_ids else None
        if text and text.split():
            self._change(lambda: self.collection.change_tags(card_ids, **{how: text.split()}))

    def _on_table_hidden_columns_changed(self, hidden: set[Column]) -> None:
        preferences.remember_hidden_browser_columns({column.title for column in hidden})

    def _on_editor_edited(self, card_id: str, fields: dict) -> None:
        if self.model.row_of(CardId(card_id)) is not None:
            self._change(lambda: self.collection.edit_card(CardId(card_id), **fields))

    # -- review counts ------------------------------------------------------------------------
    def _count_reviews(self) -> None:
        """Read how often each card was graded, a slice at a time while the window is idle: a
        long history takes a while, and the table is usable meanwhile (its Reviews column fills
        in at the end, and stays current). A thread would not help: the reading is Python code,
        and it would hold the interpreter while the table paints."""
        self._reading = self.collection.review_counts_reading()
        self._reading_timer.start()

    def _on_reading_timer_timeout(self) -> None:
        clock = QElapsedTimer()
        clock.start()
        try:
            while not clock.hasExpired(_READING_SLICE_MS):
                counts = next(self._reading)
                if counts is not None:
                    self._stop_counting()
                    self.model.reviews_read(counts)
                    return
        except (StoreError, OSError):
            self._stop_counting()  # the column stays empty; the table is all there

    def _stop_counting(self) -> None:
        self._reading_timer.stop()
        self._reading = None

    # -- the window ---------------------------------------------------------------------------
    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._fitted:  # once: after that the widths are the person's
            self._fitted = True
            self.table.fit_columns()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (watched is self._window and event.type() == QEvent.Type.Hide
                and not event.spontaneous()):
            self.close()  # the app is quitting: what the editor holds is saved first
        return False

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._closed:
            self._closed = True
            self.editor.save()
            self._stop_counting()
            self._window.collection_changed.disconnect(self._on_window_collection_changed)
            self._window.removeEventFilter(self)
        super().closeEvent(event)
