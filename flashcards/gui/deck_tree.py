"""The deck tree: an item model over the collection's decks, `Parent::Child` names nested.

It holds deck ids and asks the collection for each row's counts. A deck's counts take in its
subdecks' (the collection counts a deck with its subdecks, under each deck's limits); a parent no
deck has (an import that named only `Parent::Child`) shows its subdecks' counts added up.
"""

from __future__ import annotations

import enum
import html
from dataclasses import dataclass, field

from PySide6.QtCore import (QAbstractItemModel, QByteArray, QMimeData, QModelIndex,
                            QPersistentModelIndex, Qt, Signal)
from PySide6.QtGui import QColor

from flashcards.core.collection import Collection, DeckCounts

from . import theme

Index = QModelIndex | QPersistentModelIndex
# What a dragged deck carries: its id.
DECK_MIME_TYPE = "application/x-flashcards-deck"


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


_COUNT_KIND = {Column.NEW: "new", Column.LEARNING: "learning", Column.DUE: "due"}
_TOOLTIPS = {
    Column.NEW: "New cards to learn today",
    Column.LEARNING: "Cards in learning, due today",
    Column.DUE: "Review cards due today",
    Column.CARDS: "All cards in the deck and its subdecks",
}
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


@dataclass
class _Node:
    name: str  # the full name: "Parent::Child"
    deck_id: str | None  # None: a parent that no deck has
    parent: int | None  # the node above (its number), None at the top
    row: int  # its place among its siblings
    children: list[int] = field(default_factory=list)

    @property
    def label(self) -> str:
        """What its row shows: the last part of its name, or all of a name with no parts."""
        parts = self.name.split("::")
        return parts[-1].strip() if len(parts) > 1 else self.name


@dataclass(frozen=True)
class _Row:
    counts: DeckCounts
    cards: int


class DeckTreeModel(QAbstractItemModel):
    """Decks as a tree. Each index's internal id is the number of its node."""

    # A deck was dropped onto another to nest under it: its id, then the full name of the deck
    # it goes under ("" for the top of the list).
    deck_dropped = Signal(str, str)

    def __init__(self, collection: Collection, parent=None) -> None:
        super().__init__(parent)
        self._collection = collection
        self._nodes: list[_Node] = []
        self._top: list[int] = []
        self._node_of: dict[str, int] = {}
        self._rows: dict[int, _Row] = {}
        self.refresh()

    # -- reading the collection -----------------------------------------------------------------
    def refresh(self) -> None:
        """Re-read the decks and their counts (after decks were added, renamed or removed)."""
        self.beginResetModel()
        self._nodes, self._top, self._node_of, self._rows = [], [], {}, {}
        placed: dict[tuple[str, ...], int] = {}
        decks = sorted(self._collection.decks(), key=lambda deck: _path(deck.name))
        for deck in decks:
            parts = [part.strip() for part in deck.name.split("::")]
            above = None
            for depth in range(1, len(parts)):
                path = _path("::".join(parts[:depth]))
                if path not in placed:
                    placed[path] = self._add("::".join(parts[:depth]), None, above)
                above = placed[path]
            # Two decks of one name (told apart by case, from an import) both get a row.
            number = self._add(deck.name, deck.id, above)
            placed.setdefault(_path(deck.name), number)
        self.endResetModel()

    def _add(self, name: str, deck_id: str | None, parent: int | None) -> int:
        siblings = self._top if parent is None else self._nodes[parent].children
        number = len(self._nodes)
        self._nodes.append(_Node(name, deck_id, parent, len(siblings)))
        siblings.append(number)
        if deck_id is not None:
            self._node_of[deck_id] = number
        return number

    def recount(self) -> None:
        """Count every deck again (time has passed), keeping the rows, the selection and which
        decks are expanded."""
        self._rows = {}
        last = len(Column) - 1
        for siblings in [self._top, *(node.children for node in self._nodes)]:
            if siblings:
                self.dataChanged.emit(self._index(siblings[0], 0), self._index(siblings[-1], last))

    def update_decks(self, deck_ids: frozenset[str]) -> bool:
        """Re-read these decks' rows and those above them; False if one is not in the tree
        (read everything)."""
        if any(deck_id not in self._node_of for deck_id in deck_ids):
            return False
        touched: set[int] = set()
        for deck_id in deck_ids:
            number: int | None = self._node_of[deck_id]
            while number is not None and number not in touched:
                touched.add(number)
                number = self._nodes[number].parent
        for number in touched:
            self._rows.pop(number, None)
            self.dataChanged.emit(self._index(number, 0), self._index(number, len(Column) - 1))
        return True

    def _row(self, number: int) -> _Row:
        # Counts walk every card of a deck: ask once per refresh, not once per paint.
        row = self._rows.get(number)
        if row is None:
            node = self._nodes[number]
            below = [self._row(child) for child in node.children]
            cards = sum(child.cards for child in below)
            if node.deck_id is not None:
                counts = self._collection.counts(node.deck_id)
                cards += self._collection.card_count(node.deck_id)
            else:
                counts = _added_up(child.counts for child in below)
            row = self._rows[number] = _Row(counts, cards)
        return row

    # -- what the page asks ---------------------------------------------------------------------
    def deck_id(self, index: Index) -> str | None:
        """The deck of a row; None for a parent no deck has, or no row."""
        return self._nodes[index.internalId()].deck_id if index.isValid() else None

    def name(self, index: Index) -> str:
        return self._nodes[index.internalId()].name if index.isValid() else ""

    def index_of(self, deck_id: str | None) -> QModelIndex:
        number = self._node_of.get(deck_id) if deck_id else None
        return QModelIndex() if number is None else self._index(number, 0)

    def cards(self, index: Index) -> int:
        """How many cards a row holds, its subdecks' included."""
        return self._row(index.internalId()).cards if index.isValid() else 0

    def totals(self) -> DeckCounts:
        return _added_up(self._row(number).counts for number in self._top)

    def total_cards(self) -> int:
        return sum(self._row(number).cards for number in self._top)

    def deck_count(self) -> int:
        return len(self._node_of)

    def branches(self) -> list[QModelIndex]:
        """Every row that has subdecks, parents before their subdecks."""
        return [self._index(number, 0) for number, node in enumerate(self._nodes)
                if node.children]

    def _index(self, number: int, column: int) -> QModelIndex:
        return self.createIndex(self._nodes[number].row, column, id=number)

    # -- QAbstractItemModel ---------------------------------------------------------------------
    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:
        siblings = self._children(parent)
        if siblings is None or not 0 <= row < len(siblings) or not 0 <= column < len(Column):
            return QModelIndex()
        return self.createIndex(row, column, id=siblings[row])

    def parent(self, index: Index | None = None):
        if index is None:  # asked as QObject.parent(), the model's owner
            return super().parent()
        if not index.isValid():
            return QModelIndex()
        above = self._nodes[index.internalId()].parent
        return QModelIndex() if above is None else self._index(above, 0)

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        siblings = self._children(parent)
        return 0 if siblings is None else len(siblings)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return len(Column)

    def _children(self, parent: Index) -> list[int] | None:
        if not parent.isValid():
            return self._top
        if parent.column() != 0:
            return None
        return self._nodes[parent.internalId()].children

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        column, node = Column(index.column()), self._nodes[index.internalId()]
        if role == Qt.ItemDataRole.DisplayRole:
            if column is Column.DECK:
                return node.label
            return str(_number(self._row(index.internalId()), column))
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _LEFT if column is Column.DECK else _RIGHT
        if role == Qt.ItemDataRole.ForegroundRole and column in _COUNT_KIND:
            return self.count_color(index)
        if role == Qt.ItemDataRole.ToolTipRole and column is Column.DECK:
            # Tooltips guess rich text from the content: a deck name must never be taken as HTML.
            cards = self._row(index.internalId()).cards
            return f"<qt>{html.escape(node.name)}: {cards} cards</qt>"
        if role == Qt.ItemDataRole.UserRole:
            return node.deck_id
        return None

    def count_color(self, index: Index) -> QColor | None:
        """The colour of a New / Learning / Due number (None: another column, or nothing there).

        Painting code calls this rather than `index.data(ForegroundRole)`: on Python 3.11 some
        PySide6 releases lose a reference to None each time an empty QVariant comes back through
        `QModelIndex.data()`, until the interpreter aborts.
        """
        if not index.isValid() or Column(index.column()) not in _COUNT_KIND:
            return None
        column = Column(index.column())
        return theme.count_color(_COUNT_KIND[column],
                                 _number(self._row(index.internalId()), column))

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
            return _LEFT if column is Column.DECK else _RIGHT
        return None

    # -- dragging a deck onto another -----------------------------------------------------------
    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled  # the list's empty space: the top level
        flags = (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                 | Qt.ItemFlag.ItemIsDropEnabled)
        if self._nodes[index.internalId()].deck_id is not None:
            flags |= Qt.ItemFlag.ItemIsDragEnabled
        return flags

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [DECK_MIME_TYPE]

    def mimeData(self, indexes) -> QMimeData:
        data = QMimeData()
        deck_id = next((self.deck_id(index) for index in indexes if self.deck_id(index)), None)
        if deck_id is not None:
            data.setData(DECK_MIME_TYPE, QByteArray(deck_id.encode()))
        return data

    def canDropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                        parent: Index) -> bool:
        return self._drop(data, parent) is not None

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                     parent: Index) -> bool:
        """Dropped on a deck, or between the rows under it: nest under that deck. The rename
        is the page's to make (deck_dropped), once the view is done with the drop."""
        drop = self._drop(data, parent)
        if drop is None:
            return False
        self.deck_dropped.emit(*drop)
        return True

    def _drop(self, data: QMimeData, parent: Index) -> tuple[str, str] | None:
        """(deck id, the name to nest it under) for a drop that changes something, else None."""
        if not data.hasFormat(DECK_MIME_TYPE):
            return None
        deck_id = bytes(data.data(DECK_MIME_TYPE).data()).decode()
        number = self._node_of.get(deck_id)
        if number is None:
            return None
        target = parent.internalId() if parent.isValid() else None
        if target == self._nodes[number].parent:
            return None  # where it already is
        above = target
        while above is not None:
            if above == number:
                return None  # into itself, or into one of its own subdecks
            above = self._nodes[above].parent
        return deck_id, "" if target is None else self._nodes[target].name


def _number(row: _Row, column: Column) -> int:
    return {Column.NEW: row.counts.new, Column.LEARNING: row.counts.learning,
            Column.DUE: row.counts.due, Column.CARDS: row.cards}[column]


def _added_up(counts) -> DeckCounts:
    counts = list(counts)
    return DeckCounts(new=sum(c.new for c in counts), learning=sum(c.learning for c in counts),
                      due=sum(c.due for c in counts))


def _path(name: str) -> tuple[str, ...]:
    return tuple(part.strip().casefold() for part in name.split("::"))
