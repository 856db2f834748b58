"""The deck list: the decks as a tree with today's counts, and what a person does with a deck
there (study, create, rename, nest by dragging, delete, open its options)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPoint, QSize, Qt, Signal
from PySide6.QtGui import QAction, QColor, QKeySequence, QPalette
from PySide6.QtWidgets import (QAbstractItemView, QBoxLayout, QHBoxLayout, QHeaderView, QLabel,
                               QMenu, QPushButton, QStackedWidget, QStyledItemDelegate,
                               QStyleOptionViewItem, QTreeView, QVBoxLayout, QWidget)

from flashcards.core.changes import NOTHING, Changes
from flashcards.core.collection import Collection
from flashcards.core.memory_tools import spread_line
from flashcards.core.store import StoreError

from . import accessibility, dialogs, preferences
from .deck_options_window import DeckOptionsWindow
from .deck_tree import Column, DeckTreeModel
from .held_keys import HeldKeyFilter

__all__ = ["Column", "DeckListPage", "DeckTreeModel"]

# Room around a count, for the cell padding of the style sheets and some air.
_CELL_PADDING = 28
ROW_HEIGHT = 40
# Narrower than this, the Cards column gives its room to the deck names.
NARROW_WIDTH = 560


class _CountColorDelegate(QStyledItemDelegate):
    """Keeps the New/Learning/Due colours on the selected row, which styles paint in one colour,
    and gives every row the same comfortable height."""

    def initStyleOption(self, option: QStyleOptionViewItem,
                        index: QModelIndex | QPersistentModelIndex) -> None:
        super().initStyleOption(option, index)
        model = index.model()
        color = model.count_color(index) if isinstance(model, DeckTreeModel) else None
        if color is not None:
            option.palette.setColor(QPalette.ColorRole.HighlightedText, QColor(color))

    def sizeHint(self, option: QStyleOptionViewItem,
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        return QSize(super().sizeHint(option, index).width(), ROW_HEIGHT)


class DeckListPage(QWidget):
    """The start page: every deck with today's New/Learning/Due counts, and a Study button."""

    deck_chosen = Signal(str)
    # An operation made here (create, rename, nest, delete, deck options); carries its Changes.
    collection_changed = Signal(object)
    # The person asked to spread the overdue reviews over the next days (the backlog line).
    spread_backlog_requested = Signal()

    def __init__(self, collection: Collection, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("deckListPage")
        self._collection = collection
        self.model = DeckTreeModel(collection, self)
        self.options_window: DeckOptionsWindow | None = None
        self._restoring_expanded = False
        self._pending = NOTHING  # what changed while the page was hidden

        title = QLabel("Decks")
        title.setTextFormat(Qt.TextFormat.PlainText)
        title.setObjectName("pageTitle")
        self.table = self._deck_view()

        self.empty_label = QLabel("No decks yet.\nUse File › Import…, drop a deck file here, "
                                  "or create a deck.")
        self.empty_label.setTextFormat(Qt.TextFormat.PlainText)
        self.empty_label.setWordWrap(True)
        self.empty_label.setObjectName("emptyLabel")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._list_or_empty = QStackedWidget()
        self._list_or_empty.addWidget(self.table)
        self._list_or_empty.addWidget(self.empty_label)

        self.totals_label = QLabel()
        self.totals_label.setTextFormat(Qt.TextFormat.PlainText)
        self.totals_label.setWordWrap(True)
        self.totals_label.setObjectName("totalsLabel")
        self._add_deck_actions()
        self.create_button = QPushButton("Create Deck")
        self.create_button.setObjectName("createDeckButton")
        self.create_button.setToolTip("Create an empty deck; name it Parent::Child to nest it")
        self.gear_button = accessibility.name(QPushButton("⚙"), "Deck actions")
        self.gear_button.setObjectName("deckGearButton")
        self.gear_button.setToolTip("Rename, delete or set the options of the selected deck")
        self.deck_menu = self._deck_menu()
        self.gear_button.setMenu(self.deck_menu)
        self.study_button = QPushButton("Study")
        self.study_button.setObjectName("studyButton")
        self.study_button.setDefault(True)
        self.study_button.setToolTip("Study the selected deck and its subdecks (Enter)")

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.create_button)
        buttons.addWidget(self.gear_button)
        buttons.addWidget(self.study_button)
        # The totals beside the buttons; narrow, above them (see resizeEvent).
        self._bottom = bottom = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        bottom.addWidget(self.totals_label, 1)
        bottom.addLayout(buttons)
        backlog = self._backlog_line()

        self._layout = layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(12)
        layout.addWidget(title)
        layout.addWidget(self._list_or_empty, 1)
        layout.addLayout(backlog)
        layout.addLayout(bottom)
        self.setFocusProxy(self.table)

        self.table.activated.connect(self._on_table_activated)
        self.table.expanded.connect(self._on_table_expanded_or_collapsed)
        self.table.collapsed.connect(self._on_table_expanded_or_collapsed)
        self.table.customContextMenuRequested.connect(self._on_table_context_menu_requested)
        self.table.selectionModel().currentChanged.connect(self._on_table_current_changed)
        self.study_button.clicked.connect(self._on_study_button_clicked)
        self.create_button.clicked.connect(self.create_deck)
        self.model.modelReset.connect(self._on_model_reset)
        # Queued: the view finishes the drop before the rename reads the tree again.
        self.model.deck_dropped.connect(self._on_model_deck_dropped,
                                        Qt.ConnectionType.QueuedConnection)
        self._on_model_reset()

    def _deck_view(self) -> QTreeView:
        view = accessibility.name(QTreeView(), "Decks")
        view.setObjectName("deckTable")
        # A held Enter starts a deck once, not again with every repeat.
        view.installEventFilter(HeldKeyFilter(view))
        view.setModel(self.model)
        view.setItemDelegate(_CountColorDelegate(view))
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setUniformRowHeights(True)
        view.setAllColumnsShowFocus(True)
        view.setAlternatingRowColors(True)
        view.setWordWrap(False)
        view.setExpandsOnDoubleClick(False)  # a double-click studies the deck
        # Not InternalMove: a drop is a rename the collection makes, not rows the view moves.
        # Only a dragged deck is taken (see DeckTreeModel.mimeTypes); files go to the window.
        view.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        view.setDefaultDropAction(Qt.DropAction.MoveAction)
        view.setDropIndicatorShown(True)
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header = view.header()
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(Column.DECK, QHeaderView.ResizeMode.Stretch)
        return view

    def _add_deck_actions(self) -> None:
        """Rename (F2), Options (O) and Delete (Delete), on the selected deck."""
        def action(text: str, key: str, slot: Callable[[], None]) -> QAction:
            made = QAction(text, self.table)
            made.setShortcut(QKeySequence(key))
            made.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            made.triggered.connect(slot)
            self.table.addAction(made)
            return made

        self.rename_action = action("Rename…", "F2", self.rename_deck)
        self.options_action = action("Options…", "O", self.open_options)
        self.delete_action = action("Delete", "Delete", self.delete_deck)

    def _deck_menu(self) -> QMenu:
        menu = QMenu(self)
        for action in (self.rename_action, self.options_action, self.delete_action):
            menu.addAction(action)
        return menu

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        # Narrow, the deck names keep their room: the card totals are in the line below.
        narrow = self.width() < NARROW_WIDTH
        margin = 12 if narrow else 24
        self._layout.setContentsMargins(margin, 20, margin, 20)
        self.table.setColumnHidden(Column.CARDS, narrow)
        self.table.setIndentation(12 if narrow else 20)
        self._bottom.setDirection(QBoxLayout.Direction.TopToBottom if narrow
                                  else QBoxLayout.Direction.LeftToRight)

    # -- showing what changed -------------------------------------------------------------------
    def refresh(self) -> None:
        """Re-read every deck and its counts, keeping the same deck selected."""
        current = self.selected_deck_id()
        self.model.refresh()
        self.select_deck(current)

    def recount(self) -> None:
        """Count every deck again, for the time that has passed."""
        self.model.recount()
        self._show_totals()

    def apply(self, changes: Changes) -> None:
        """Show what an operation changed: the rows of the decks it names, or everything.

        Hidden (while studying), the page keeps the changes for when it is shown: telling a
        hidden tree that rows changed still made it measure and count them, tens of
        milliseconds after every grade.
        """
        if not self.isVisible():
            self._pending |= changes
        elif changes.everything or not self.model.update_decks(changes.decks):
            self.refresh()
        elif self.isVisible():
            self._show_totals()
        if self.options_window is not None:
            self.options_window.reload()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        pending, self._pending = self._pending, NOTHING
        if pending.everything or not self.model.update_decks(pending.decks):
            self.refresh()
        elif pending.decks:
            self._show_totals()
        self._fit_count_columns()

    def _fit_count_columns(self) -> None:
        """Wide enough for the column's title and its numbers, in the fonts now in use."""
        header = self.table.header()
        for column, widest in ((Column.NEW, "0000"), (Column.LEARNING, "0000"),
                               (Column.DUE, "0000"), (Column.CARDS, "000000")):
            numbers = self.table.fontMetrics().horizontalAdvance(widest) + _CELL_PADDING
            # The title's own size hint includes the header's style sheet (font, padding).
            header.resizeSection(column, max(header.sectionSizeHint(column), numbers))

    def selected_deck_id(self) -> str | None:
        return self.model.deck_id(self.table.currentIndex())

    def select_deck(self, deck_id: str | None) -> None:
        index = self.model.index_of(deck_id)
        if not index.isValid() and self.model.rowCount():
            index = self.model.index(0, Column.DECK)
        if index.isValid():
            self.table.setCurrentIndex(index)

    def _on_model_reset(self) -> None:
        has_decks = self.model.rowCount() > 0
        self._list_or_empty.setCurrentWidget(self.table if has_decks else self.empty_label)
        # With no subdecks anywhere, the names keep the room the branch arrows would take.
        self.table.setRootIsDecorated(bool(self.model.branches()))
        self._restore_expanded()
        self._show_totals()
        if not self.table.currentIndex().isValid():
            self.select_deck(None)
        self._enable_deck_actions()

    def _restore_expanded(self) -> None:
        """Every deck with subdecks open, except those the person collapsed (remembered)."""
        collapsed = preferences.collapsed_decks()
        self._restoring_expanded = True
        try:
            for index in self.model.branches():
                self.table.setExpanded(index, self.model.name(index) not in collapsed)
        finally:
            self._restoring_expanded = False

    def _on_table_expanded_or_collapsed(self, _index: QModelIndex) -> None:
        if self._restoring_expanded:
            return
        preferences.remember_collapsed_decks({
            self.model.name(index) for index in self.model.branches()
            if not self.table.isExpanded(index)})

    def _on_table_current_changed(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        self._enable_deck_actions()

    def _enable_deck_actions(self) -> None:
        """What needs a deck is off on a parent that no deck has (it has only subdecks)."""
        has_deck = self.selected_deck_id() is not None
        for widget in (self.study_button, self.rename_action, self.options_action,
                       self.delete_action):
            widget.setEnabled(has_deck)

    def _show_totals(self) -> None:
        decks = self.model.deck_count()
        totals = self.model.totals()
        self.totals_label.setText(
            f"Today: {totals.new} new · {totals.learning} learning · {totals.due} due, "
            f"of {self.model.total_cards()} cards in {decks} deck{'s' if decks != 1 else ''}"
            if decks else "")
        self._show_backlog()

    def _backlog_line(self) -> QHBoxLayout:
        """A line for the backlog: the spread under way, or an offer to spread one."""
        self.backlog_label = QLabel()
        self.backlog_label.setTextFormat(Qt.TextFormat.PlainText)
        self.backlog_label.setWordWrap(True)
        self.backlog_label.setObjectName("backlogLabel")
        self.backlog_button = QPushButton("Spread backlog…")
        self.backlog_button.setToolTip("Spread the overdue reviews over the next days")
        self.backlog_button.clicked.connect(self.spread_backlog_requested)
        line = QHBoxLayout()
        line.addWidget(self.backlog_label, 1)
        line.addWidget(self.backlog_button)
        return line

    def _show_backlog(self) -> None:
        status = self._collection.backlog_status()
        if status.spread is not None:
            text = spread_line(status.spread)
        elif status.worth_spreading:
            text = (f"{status.overdue:,} reviews are overdue, more than a day's limit of "
                    f"{status.daily_limit:,}.")
        else:
            text = ""
        self.backlog_label.setText(text)
        self.backlog_label.setVisible(bool(text))
        self.backlog_button.setVisible(status.spread is None and status.worth_spreading)

    # -- what a person does here ----------------------------------------------------------------
    def _on_table_activated(self, index: QModelIndex) -> None:
        deck_id = self.model.deck_id(index)
        if deck_id is not None:
            self.deck_chosen.emit(deck_id)
        elif index.isValid():
            self.table.setExpanded(index, not self.table.isExpanded(index))

    def _on_study_button_clicked(self) -> None:
        deck_id = self.selected_deck_id()
        if deck_id is not None:
            self.deck_chosen.emit(deck_id)

    def _on_table_context_menu_requested(self, position: QPoint) -> None:
        index = self.table.indexAt(position)
        if index.isValid():
            self.table.setCurrentIndex(index)
        if self.selected_deck_id() is not None:
            self.deck_menu.popup(self.table.viewport().mapToGlobal(position))

    def create_deck(self) -> None:
        name = dialogs.ask_text(self, "Create Deck", "New deck name:")
        if name and (changes := self._run("Could not create the deck",
                                          lambda: self._collection.create_deck(name))):
            self.select_deck(changes.created[0])

    def rename_deck(self) -> None:
        deck_id = self.selected_deck_id()
        if deck_id is None:
            return
        before = self._collection.deck(deck_id).name
        name = dialogs.ask_text(self, "Rename Deck", "New deck name:", before)
        if name and name != before:
            self._run("Could not rename the deck",
                      lambda: self._collection.rename_deck(deck_id, name))

    def delete_deck(self) -> None:
        deck_id = self.selected_deck_id()
        if deck_id is None:
            return
        index = self.table.currentIndex()
        name, cards = self.model.name(index), self.model.cards(index)
        if dialogs.ask_confirmation(self, "Delete deck", f"Delete “{name}” and its {cards} "
                                                         f"card{'s' if cards != 1 else ''}?"):
            above = self.model.deck_id(index.parent())
            self._run("Could not delete the deck", lambda: self._collection.remove_deck(deck_id))
            self.select_deck(above)

    def open_options(self) -> None:
        deck_id = self.selected_deck_id()
        if deck_id is None:
            return
        if self.options_window is not None:
            self.options_window.close()
        window = DeckOptionsWindow(self._collection, deck_id, self)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.options_changed.connect(self.collection_changed)
        window.finished.connect(self._on_options_window_finished)
        self.options_window = window
        window.show()

    def _on_options_window_finished(self) -> None:
        self.options_window = None

    def _on_model_deck_dropped(self, deck_id: str, parent_name: str) -> None:
        name = self._collection.deck(deck_id).name.split("::")[-1].strip()
        if parent_name:
            name = f"{parent_name}::{name}"
        self._run("Could not move the deck", lambda: self._collection.rename_deck(deck_id, name))
        self.select_deck(deck_id)

    def _run(self, failure: str, operation: Callable[[], Changes]) -> Changes | None:
        """Make one change to the collection and publish it; say why when it cannot be made."""
        try:
            changes = operation()
        except (ValueError, StoreError) as error:
            dialogs.show_error(self, failure, str(error))
            return None
        self.collection_changed.emit(changes)
        return changes
