"""The deck list: a table model over the collection's decks and the page that shows it."""

from __future__ import annotations

import enum
import html
from dataclasses import dataclass

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QPushButton,
                               QStackedWidget, QStyledItemDelegate, QStyleOptionViewItem,
                               QTableView, QVBoxLayout, QWidget)

from flashcards.core.changes import Changes
from flashcards.core.collection import Collection, DeckCounts
from flashcards.core.memory_tools import spread_line

from . import theme
from .held_keys import HeldKeyFilter


class Column(enum.IntEnum):
    DECK = 0
    NEW = 1
    LEARNING = 2
    DUE = 3
    CARDS = 4

    @property
    def title(self) -> str:
        return {Column.DECK: "Deck", Column.NEW: "New", Column.LEARNING: "Learning",
                Column.DUE: "Due", Column.CARDS: "Cards"}[self]


# Room around a count, for the cell padding of the style sheets and some air.
_CELL_PADDING = 28
# Narrower than this, the Cards column gives its room to the deck names.
NARROW_WIDTH = 560

_COUNT_KIND = {Column.NEW: "new", Column.LEARNING: "learning", Column.DUE: "due"}
_TOOLTIPS = {
    Column.NEW: "New cards to learn today",
    Column.LEARNING: "Cards in learning, due today",
    Column.DUE: "Review cards due today",
    Column.CARDS: "All cards in the deck",
}


@dataclass(frozen=True)
class _Row:
    name: str
    counts: DeckCounts
    cards: int


class DeckTableModel(QAbstractTableModel):
    """Holds deck ids; asks the collection for each row's name and today's counts."""

    def __init__(self, collection: Collection, parent=None) -> None:
        super().__init__(parent)
        self._collection = collection
        self._deck_ids: list[str] = []
        self._rows: dict[str, _Row] = {}
        self.refresh()

    def refresh(self) -> None:
        """Re-read the decks and their counts (after a grade, an import, a new day)."""
        self.beginResetModel()
        self._deck_ids = [deck.id for deck in self._collection.decks()]
        self._rows = {}
        self.endResetModel()

    def recount(self) -> None:
        """Count every deck again (time has passed), keeping the rows and the selection."""
        self._rows = {}
        if self._deck_ids:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self._deck_ids) - 1, len(Column) - 1))

    def update_decks(self, deck_ids: frozenset[str]) -> bool:
        """Re-read these decks' rows only; False if one is not in the list (read everything)."""
        rows = [self.row_of(deck_id) for deck_id in deck_ids]
        if None in rows:
            return False
        for deck_id, row in zip(deck_ids, rows):
            self._rows.pop(deck_id, None)
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(Column) - 1))
        return True

    def deck_id(self, row: int) -> str:
        return self._deck_ids[row]

    def row_of(self, deck_id: str) -> int | None:
        try:
            return self._deck_ids.index(deck_id)
        except ValueError:
            return None

    def totals(self) -> DeckCounts:
        rows = [self._row(deck_id) for deck_id in self._deck_ids]
        return DeckCounts(new=sum(r.counts.new for r in rows),
                          learning=sum(r.counts.learning for r in rows),
                          due=sum(r.counts.due for r in rows))

    def total_cards(self) -> int:
        return sum(self._row(deck_id).cards for deck_id in self._deck_ids)

    def _row(self, deck_id: str) -> _Row:
        # Counts walk every card of a deck: ask once per refresh, not once per paint.
        row = self._rows.get(deck_id)
        if row is None:
            deck = self._collection.deck(deck_id)
            row = _Row(deck.name, self._collection.counts(deck_id),
                       self._collection.card_count(deck_id))
            self._rows[deck_id] = row
        return row

    # -- QAbstractTableModel ------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._deck_ids)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(Column)

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._deck_ids):
            return None
        column = Column(index.column())
        row = self._row(self._deck_ids[index.row()])
        if role == Qt.ItemDataRole.DisplayRole:
            return row.name if column is Column.DECK else str(self._number(row, column))
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column is Column.DECK:
                return Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        if role == Qt.ItemDataRole.ForegroundRole and column in _COUNT_KIND:
            return self.count_color(index)
        if role == Qt.ItemDataRole.ToolTipRole and column is Column.DECK:
            # Tooltips guess rich text from the content: a deck name must never be taken as HTML.
            return f"<qt>{html.escape(row.name)}: {row.cards} cards</qt>"
        if role == Qt.ItemDataRole.UserRole:
            return self._deck_ids[index.row()]
        return None

    def count_color(self, index: QModelIndex | QPersistentModelIndex) -> QColor | None:
        """The colour of a New / Learning / Due number (None: another column, or nothing there).

        Painting code calls this rather than `index.data(ForegroundRole)`: on Python 3.11 some
        PySide6 releases lose a reference to None each time an empty QVariant comes back through
        `QModelIndex.data()`, until the interpreter aborts.
        """
        if not index.isValid() or not 0 <= index.row() < len(self._deck_ids):
            return None
        column = Column(index.column())
        if column not in _COUNT_KIND:
            return None
        row = self._row(self._deck_ids[index.row()])
        return theme.count_color(_COUNT_KIND[column], self._number(row, column))

    @staticmethod
    def _number(row: _Row, column: Column) -> int:
        return {Column.NEW: row.counts.new, Column.LEARNING: row.counts.learning,
                Column.DUE: row.counts.due, Column.CARDS: row.cards}[column]

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(Column):
            return None
        column = Column(section)
        if role == Qt.ItemDataRole.DisplayRole:
            return column.title
        if role == Qt.ItemDataRole.ToolTipRole:
            return _TOOLTIPS.get(column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column is Column.DECK:
                return Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        return None


class _CountColorDelegate(QStyledItemDelegate):
    """Keeps the New/Learning/Due colours on the selected row, which styles paint in one colour."""

    def initStyleOption(self, option: QStyleOptionViewItem,
                        index: QModelIndex | QPersistentModelIndex) -> None:
        super().initStyleOption(option, index)
        model = index.model()
        color = model.count_color(index) if isinstance(model, DeckTableModel) else None
        if color is not None:
            option.palette.setColor(QPalette.ColorRole.HighlightedText, QColor(color))


class DeckListPage(QWidget):
    """The start page: every deck with today's New/Learning/Due counts, and a Study button."""

    deck_chosen = Signal(str)
    # The person asked to spread the overdue reviews over the next days (the backlog line).
    spread_backlog_requested = Signal()

    def __init__(self, collection: Collection, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("deckListPage")
        self._collection = collection
        self.model = DeckTableModel(collection, self)

        title = QLabel("Decks")
        title.setTextFormat(Qt.TextFormat.PlainText)
        title.setObjectName("pageTitle")

        self.table = QTableView()
        self.table.setObjectName("deckTable")
        # A held Enter starts a deck once, not again with every repeat.
        self.table.installEventFilter(HeldKeyFilter(self.table))
        self.table.setModel(self.model)
        self.table.setItemDelegate(_CountColorDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(40)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(Column.DECK, QHeaderView.ResizeMode.Stretch)
        for column in (Column.NEW, Column.LEARNING, Column.DUE, Column.CARDS):
            # Fixed, not sized to the contents: that would read every row after each change.
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)

        self.empty_label = QLabel("No decks yet.\nUse File › Import… or drop a deck file here.")
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
        self.study_button = QPushButton("Study")
        self.study_button.setObjectName("studyButton")
        self.study_button.setDefault(True)
        self.study_button.setToolTip("Study the selected deck (Enter)")

        bottom = QHBoxLayout()
        bottom.addWidget(self.totals_label, 1)
        bottom.addWidget(self.study_button)
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
        self.study_button.clicked.connect(self._on_study_button_clicked)
        self.model.modelReset.connect(self._on_model_reset)
        self._on_model_reset()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        # Narrow, the deck names keep their room: the card totals are in the line below.
        narrow = self.width() < NARROW_WIDTH
        margin = 12 if narrow else 24
        self._layout.setContentsMargins(margin, 20, margin, 20)
        self.table.setColumnHidden(Column.CARDS, narrow)

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

        Hidden (while studying), the page only forgets those rows' counts; they are counted when
        it is shown again.
        """
        if changes.everything or not self.model.update_decks(changes.decks):
            self.refresh()
        elif self.isVisible():
            self._show_totals()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._fit_count_columns()

    def _fit_count_columns(self) -> None:
        """Wide enough for the column's title and its numbers, in the fonts now in use."""
        header = self.table.horizontalHeader()
        for column, widest in ((Column.NEW, "0000"), (Column.LEARNING, "0000"),
                               (Column.DUE, "0000"), (Column.CARDS, "000000")):
            numbers = self.table.fontMetrics().horizontalAdvance(widest) + _CELL_PADDING
            # The title's own size hint includes the header's style sheet (font, padding).
            header.resizeSection(column, max(header.sectionSizeHint(column), numbers))

    def selected_deck_id(self) -> str | None:
        index = self.table.currentIndex()
        return self.model.deck_id(index.row()) if index.isValid() else None

    def select_deck(self, deck_id: str | None) -> None:
        row = self.model.row_of(deck_id) if deck_id else None
        if row is None and self.model.rowCount():
            row = 0
        if row is not None:
            self.table.selectRow(row)
            self.table.setCurrentIndex(self.model.index(row, Column.DECK))

    def _on_model_reset(self) -> None:
        has_decks = self.model.rowCount() > 0
        self._list_or_empty.setCurrentWidget(self.table if has_decks else self.empty_label)
        self.study_button.setEnabled(has_decks)
        self._show_totals()
        if not self.table.currentIndex().isValid():
            self.select_deck(None)

    def _show_totals(self) -> None:
        has_decks = self.model.rowCount() > 0
        totals = self.model.totals()
        decks = self.model.rowCount()
        self.totals_label.setText(
            f"Today: {totals.new} new · {totals.learning} learning · {totals.due} due, "
            f"of {self.model.total_cards()} cards in {decks} deck{'s' if decks != 1 else ''}"
            if has_decks else "")
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

    def _on_table_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.deck_chosen.emit(self.model.deck_id(index.row()))

    def _on_study_button_clicked(self) -> None:
        deck_id = self.selected_deck_id()
        if deck_id is not None:
            self.deck_chosen.emit(deck_id)
