"""The card browser's table view: rows of one height, selections by range, columns sized once,
and a menu on the header that shows or hides columns, as Anki's does."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QPoint, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QMenu, QTableView

from .card_table import CardTableModel, Column

# Room around a cell's text, for the style's margins and some air.
_CELL_PADDING = 12
# The widest text each short column shows, to size it by the fonts in use.
_WIDEST = {Column.DUE: "(2026-12-31)", Column.INTERVAL: "10.5 months",
           Column.STABILITY: "10.5 months", Column.RETRIEVABILITY: "100%",
           Column.REVIEWS: "0000", Column.LAPSES: "000", Column.FLAG: "Turquoise"}
# The rows whose text sizes the text columns: those a person sees first.
_ROWS_MEASURED = 60


class CardTableView(QTableView):
    # The columns hidden, after the person showed or hid one from the header's menu.
    hidden_columns_changed = Signal(object)

    def __init__(self, model: CardTableModel, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("cardTable")
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setTabKeyNavigation(False)
        self.setShowGrid(False)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        rows = self.verticalHeader()
        rows.hide()
        # Every row as high as the font: nothing is measured row by row, at any number of rows.
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # the search's own order
        self.setSortingEnabled(True)
        self.columns_menu = self._columns_menu()
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._on_header_context_menu_requested)
        # The columns fill the table as it grows or shrinks, until the person drags a column's
        # edge: from then on the widths are theirs.
        self._fitted = self._fitting = self._widths_chosen = False
        header.sectionResized.connect(self._on_header_section_resized)

    def _columns_menu(self) -> QMenu:
        """A checkable entry per column; Front stays, so a row always says which card it is."""
        menu = QMenu("&Columns", self)
        for column in Column:
            action = QAction(column.title, menu)
            action.setCheckable(True)
            action.setChecked(True)
            action.setEnabled(column is not Column.FRONT)
            action.setData(int(column))
            action.toggled.connect(self._on_column_action_toggled)
            menu.addAction(action)
        return menu

    def hidden_columns(self) -> set[Column]:
        header = self.horizontalHeader()
        return {column for column in Column if header.isSectionHidden(column)}

    def set_hidden_columns(self, hidden: Iterable[Column]) -> None:
        hidden = set(hidden) - {Column.FRONT}
        for action in self.columns_menu.actions():
            column = Column(action.data())
            action.blockSignals(True)
            action.setChecked(column not in hidden)
            action.blockSignals(False)
            self._fitting = True
            try:
                self.horizontalHeader().setSectionHidden(column, column in hidden)
            finally:
                self._fitting = False

    def _on_header_context_menu_requested(self, position: QPoint) -> None:
        self.columns_menu.popup(self.horizontalHeader().mapToGlobal(position))

    def _on_column_action_toggled(self, shown: bool) -> None:
        column = Column(self.sender().data())
        self._fitting = True
        try:
            self.horizontalHeader().setSectionHidden(column, not shown)
        finally:
            self._fitting = False
        self.fit_columns()  # the room a column leaves, or takes, is shared out again
        self.hidden_columns_changed.emit(self.hidden_columns())

    def _on_header_section_resized(self, _column: int, _old: int, _new: int) -> None:
        if not self._fitting:
            self._widths_chosen = True

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self._fitted and not self._widths_chosen:
            self.fit_columns()

    def selected_rows(self) -> set[int]:
        # From the selection's ranges: after Select All on 100,000 cards, asking for each row's
        # index would take a while.
        return {row for part in self.selectionModel().selection()
                for row in range(part.top(), part.bottom() + 1)}

    def select_rows(self, rows: Iterable[int], current: int | None) -> None:
        """Select these rows and no others, `current` among them as the current row."""
        model, last = self.model(), len(Column) - 1
        selection = QItemSelection()
        for first, end in _runs(sorted(set(rows) | ({current} if current is not None else set()))):
            selection.select(model.index(first, 0), model.index(end, last))
        flags = QItemSelectionModel.SelectionFlag
        if current is not None:
            self.selectionModel().setCurrentIndex(model.index(current, 0), flags.NoUpdate)
            self.scrollTo(model.index(current, 0))
        self.selectionModel().select(selection, flags.ClearAndSelect)

    def fit_columns(self) -> None:
        """The short columns as wide as their title and widest text; the text columns share the
        rest by what the first rows' text needs, so nothing needs a horizontal scroll at the
        window's size. Deck and Tags get what they need up to a part of the room, Front and
        Back the remainder, each no more than it needs while the other is cut short."""
        self._fitted = self._fitting = True
        try:
            self._fit_columns()
        finally:
            self._fitting = False

    def _fit_columns(self) -> None:
        header, metrics, model = self.horizontalHeader(), self.fontMetrics(), self.model()
        titles = header.fontMetrics()
        used = 0
        for column, widest in _WIDEST.items():
            width = max(titles.horizontalAdvance(column.title),
                        metrics.horizontalAdvance(widest)) + _CELL_PADDING
            header.resizeSection(column, width)
            used += 0 if header.isSectionHidden(column) else width
        rest = max(self.viewport().width() - used, 320)
        rows = range(min(model.rowCount(), _ROWS_MEASURED))
        wanted = {column: max([titles.horizontalAdvance(column.title)] + [
            metrics.horizontalAdvance(model.index(row, column).data()) for row in rows])
            + _CELL_PADDING for column in (Column.FRONT, Column.BACK, Column.DECK, Column.TAGS)}
        for column in (Column.BACK, Column.DECK, Column.TAGS):
            if header.isSectionHidden(column):
                wanted[column] = 0  # its share goes to the columns shown
        deck, tags = min(wanted[Column.DECK], rest * 2 // 7), min(wanted[Column.TAGS], rest // 5)
        text = rest - deck - tags
        front, back = wanted[Column.FRONT], wanted[Column.BACK]
        if header.isSectionHidden(Column.BACK):
            front = text
        elif front + back <= text:
            front += (text - front - back) // 2
        else:
            front = min(max(text * 4 // 7, text - back), front)
        for column, width in ((Column.FRONT, front), (Column.BACK, text - front),
                              (Column.DECK, deck), (Column.TAGS, tags)):
            header.resizeSection(column, width)


def _runs(rows: list[int]) -> Iterable[tuple[int, int]]:
    """Sorted rows as (first, last) runs of consecutive rows."""
    start = previous = None
    for row in rows:
        if start is None:
            start = previous = row
        elif row == previous + 1:
            previous = row
        else:
            yield start, previous
            start = previous = row
    if start is not None:
        yield start, previous
