"""The card browser's table: a model over the cards a search found.

It holds the cards' ids in the order shown and asks the collection for a row's progress and marks
only when the view paints that row, so a search over 100,000 cards costs one list, not 100,000
rows. Sorting orders the ids by one key per column, starting from the search's own order each
time, so equal keys keep that order whatever was clicked before.
"""

from __future__ import annotations

import enum
import html
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from itertools import repeat
from operator import attrgetter

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from flashcards.core.changes import Changes
from flashcards.core.collection import Collection, ReviewCounts
from flashcards.core.deck import Card, CardId, Deck
from flashcards.core.progress import Phase, Progress
from flashcards.formats.html import text_line

from . import theme


class Column(enum.IntEnum):
    FRONT = 0
    BACK = 1
    DECK = 2
    DUE = 3
    INTERVAL = 4
    STABILITY = 5
    RETRIEVABILITY = 6
    REVIEWS = 7
    LAPSES = 8
    TAGS = 9
    FLAG = 10

    @property
    def title(self) -> str:
        return self.name.capitalize()


# Anki's flags, by number.
FLAG_NAMES = {1: "Red", 2: "Orange", 3: "Green", 4: "Blue", 5: "Pink", 6: "Turquoise",
              7: "Purple"}
_FLAG_COLORS = {
    "light": {1: "#f4a3a3", 2: "#f8c88a", 3: "#a8dba8", 4: "#a9c8f5", 5: "#f5b3dc",
              6: "#9fe0dc", 7: "#cdb3f0"},
    "dark": {1: "#8c3b3b", 2: "#8a5a22", 3: "#3d6e3d", 4: "#36558a", 5: "#8a3d6e",
             6: "#2f7470", 7: "#5d4689"},
}
# A suspended card's row, as Anki shows it: tinted yellow.
_SUSPENDED_COLORS = {"light": {"suspended": "#fbf3c4"}, "dark": {"suspended": "#4a4426"}}
_NUMBERS = frozenset({Column.INTERVAL, Column.STABILITY, Column.RETRIEVABILITY, Column.REVIEWS,
                      Column.LAPSES})
_COLUMN_COUNT = len(Column)
# Columns whose text may be cut short: their tooltip shows it whole.
_LONG = frozenset({Column.FRONT, Column.BACK, Column.DECK, Column.TAGS})
_ALIGNMENTS = tuple((Qt.AlignmentFlag.AlignRight if column in _NUMBERS
                     else Qt.AlignmentFlag.AlignLeft) | Qt.AlignmentFlag.AlignVCenter
                    for column in Column)
_DISPLAY = Qt.ItemDataRole.DisplayRole
_ALIGNMENT = Qt.ItemDataRole.TextAlignmentRole
_BACKGROUND = Qt.ItemDataRole.BackgroundRole
_TOOLTIP = Qt.ItemDataRole.ToolTipRole
_TOOLTIPS = {
    Column.DUE: "When the card is next shown; in brackets while it is suspended or buried",
    Column.INTERVAL: "The time between the last review and the next",
    Column.STABILITY: "How long until the chance of recalling the card falls to 90%",
    Column.RETRIEVABILITY: "The chance of recalling the card now",
    Column.REVIEWS: "How many times the card was graded",
    Column.LAPSES: "How many times the card was forgotten after it was learnt",
}
# Longer cell text only costs painting time: the cell shows a few dozen characters.
_SHOWN_CHARACTERS = 200
_DAY_SECONDS = 86_400.0
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_ID = attrgetter("id")


@dataclass(frozen=True, slots=True)
class _Row:
    texts: tuple[str, ...]  # one per column
    flag: int
    suspended: bool


class CardTableModel(QAbstractTableModel):
    """The cards of the last search, one row each, sortable by any column."""

    def __init__(self, collection: Collection, parent=None) -> None:
        super().__init__(parent)
        self._collection = collection
        # The cards shown and their decks: no pair per card, which the cycle collector would
        # look at again and again while 100,000 cards are shown.
        self._cards: dict[CardId, Card] = {}
        self._decks: dict[CardId, Deck] = {}
        self._search_order: list[CardId] = []
        self._ids: list[CardId] = []
        self._row_of: dict[CardId, int] = {}
        self._rows: dict[CardId, _Row] = {}  # filled as the view paints
        self._sort_column: Column | None = None
        self._sort_order = Qt.SortOrder.AscendingOrder
        # Review counts come from a reading of the whole history that may take a while: until
        # it arrives the column is empty.
        self._reviews: ReviewCounts | None = None

    # -- what is shown ------------------------------------------------------------------------
    def search(self, text: str) -> None:
        """Show the cards `text` finds, in the current sort. Raises SearchError, and changes
        nothing, for text it cannot read."""
        found = self._collection.find_cards_by_deck(text)
        self.beginResetModel()
        self._cards, self._decks = {}, {}
        for deck, cards in found:
            ids = list(map(_ID, cards))
            self._cards.update(zip(ids, cards))
            self._decks.update(zip(ids, repeat(deck)))
        self._search_order = list(self._cards)
        self._rows = {}
        self._ids = self._sorted()
        self._index_rows()
        self.endResetModel()

    def card_id(self, row: int) -> CardId:
        return self._ids[row]

    def row_of(self, card_id: CardId) -> int | None:
        return self._row_of.get(card_id)

    def card(self, card_id: CardId) -> tuple[Deck, Card]:
        """A shown card and its deck, as the last search or change left them."""
        return self._decks[card_id], self._cards[card_id]

    def apply(self, changes: Changes) -> bool:
        """Redraw the rows `changes` names. False when the list itself may differ (cards added,
        removed or moved, decks renamed): then the caller searches again."""
        if changes.deck_list or changes.settings:
            return False
        for card_id in changes.cards:
            row = self._row_of.get(card_id)
            if row is None:
                continue
            try:
                self._decks[card_id], self._cards[card_id] = self._collection.card(card_id)
            except KeyError:
                return False
            self._rows.pop(card_id, None)
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(Column) - 1))
        return True

    # -- review counts ------------------------------------------------------------------------
    def reviews_read(self, counts: ReviewCounts) -> None:
        self._reviews = counts
        self._rows = {}
        if self._ids:
            column = Column.REVIEWS
            self.dataChanged.emit(self.index(0, column), self.index(len(self._ids) - 1, column))

    def _review_count(self, card_id: CardId) -> int | None:
        return None if self._reviews is None else self._reviews[card_id]

    # -- rows ---------------------------------------------------------------------------------
    def _row(self, card_id: CardId) -> _Row:
        row = self._rows.get(card_id)
        if row is None:
            row = self._rows[card_id] = self._read_row(card_id)
        return row

    def _read_row(self, card_id: CardId) -> _Row:
        deck, card = self.card(card_id)
        collection = self._collection
        progress, marks = collection.progress(card_id), collection.marks(card_id)
        hidden = marks.suspended or marks.buried_on(collection.today())
        reviews = self._review_count(card_id)
        learnt = progress is not None and progress.stability is not None
        texts = (
            _cell_text(card.front), _cell_text(card.back), deck.name,
            _due_text(progress, hidden, collection.tz), _interval_text(progress),
            span_text(progress.stability) if learnt else "",
            f"{collection.retrievability(card_id):.0%}" if learnt else "",
            "" if reviews is None else str(reviews),
            str(progress.lapses if progress else 0), " ".join(card.tags),
            FLAG_NAMES.get(marks.flag, ""),
        )
        return _Row(texts, marks.flag, marks.suspended)

    # -- sorting ------------------------------------------------------------------------------
    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Order the rows by `column` (below 0: the search's own order); stable."""
        self._sort_column = Column(column) if 0 <= column < len(Column) else None
        self._sort_order = order
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        kept = [(self._ids[index.row()], index.column()) for index in persistent]
        self._ids = self._sorted()
        self._index_rows()
        self.changePersistentIndexList(
            persistent, [self.index(self._row_of[card_id], column) for card_id, column in kept])
        self.layoutChanged.emit()

    def _sorted(self) -> list[CardId]:
        if self._sort_column is None:
            return list(self._search_order)
        key = self._sort_key(self._sort_column)
        return sorted(self._search_order, key=key,
                      reverse=self._sort_order == Qt.SortOrder.DescendingOrder)

    def _sort_key(self, column: Column) -> Callable[[CardId], object]:
        cards, decks, collection = self._cards, self._decks, self._collection
        progress = collection.progress
        if column is Column.FRONT:
            return lambda card_id: text_line(cards[card_id].front).casefold()
        if column is Column.BACK:
            return lambda card_id: text_line(cards[card_id].back).casefold()
        if column is Column.DECK:
            return lambda card_id: decks[card_id].name.casefold()
        if column is Column.TAGS:
            return lambda card_id: " ".join(cards[card_id].tags).casefold()
        if column is Column.FLAG:
            return lambda card_id: collection.marks(card_id).flag
        if column is Column.REVIEWS:
            return lambda card_id: self._review_count(card_id) or 0
        if column is Column.RETRIEVABILITY:
            chances = collection.retrievabilities(self._search_order)
            return lambda card_id: _missing_last(chances.get(card_id))
        number = _PROGRESS_KEYS[column]
        # Cards never studied have none of these: they come after the others.
        return lambda card_id: _missing_last(number(progress(card_id)))

    def _index_rows(self) -> None:
        self._row_of = dict(zip(self._ids, range(len(self._ids))))

    # -- QAbstractTableModel ------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else _COLUMN_COUNT

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = _DISPLAY):
        # Asked a dozen times for each cell of each paint: the common answers come first, and
        # roles the table does not use cost one comparison each.
        row, column = index.row(), index.column()
        if not 0 <= row < len(self._ids) or not 0 <= column < _COLUMN_COUNT:
            return None  # an invalid index has row -1
        if role == _DISPLAY:
            return self._row(self._ids[row]).texts[column]
        if role == _ALIGNMENT:
            return _ALIGNMENTS[column]
        if role == _BACKGROUND:
            shown = self._row(self._ids[row])
            if column == Column.FLAG and shown.flag:
                return _colors(_FLAG_COLORS)[shown.flag]
            return _colors(_SUSPENDED_COLORS)["suspended"] if shown.suspended else None
        if role == _TOOLTIP and column in _LONG:
            deck, card = self.card(self._ids[row])
            text = (text_line(card.front) if column == Column.FRONT else text_line(card.back)
                    if column == Column.BACK else deck.name if column == Column.DECK
                    else " ".join(card.tags))
            # Tooltips guess rich text from the content: card text must never be taken as HTML.
            return f"<qt>{html.escape(text[:_SHOWN_CHARACTERS * 2])}</qt>" if text else None
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY):
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(Column):
            return None
        if role == _DISPLAY:
            return Column(section).title
        if role == _TOOLTIP:
            return _TOOLTIPS.get(Column(section))
        if role == _ALIGNMENT:
            return _ALIGNMENTS[section]
        return None


def _colors(colors: dict[str, dict]) -> dict:
    """The colours of the look in use, as QColors made once."""
    look = "dark" if theme.is_dark() else "light"
    made = _MADE.get((id(colors), look))
    if made is None:
        made = _MADE[id(colors), look] = {key: QColor(value)
                                          for key, value in colors[look].items()}
    return made


_MADE: dict[tuple[int, str], dict] = {}


def _cell_text(fragment: str) -> str:
    return text_line(fragment[:_SHOWN_CHARACTERS * 4])[:_SHOWN_CHARACTERS]


def _due_text(progress: Progress | None, hidden: bool, tz) -> str:
    if progress is None or progress.phase is Phase.NEW:
        return "New"
    day = progress.due.astimezone(tz).date().isoformat()
    return f"({day})" if hidden else day


def _interval_text(progress: Progress | None) -> str:
    if progress is None or progress.phase is Phase.NEW:
        return "(new)"
    if progress.phase is Phase.LEARNING or progress.last_review is None:
        return "(learning)"
    return span_text((progress.due - progress.last_review).total_seconds() / _DAY_SECONDS)


def span_text(days: float) -> str:
    """A length of time as Anki's browser writes it: "12 days", "1.5 months", "2.1 years"."""
    if days < 1:
        return "< 1 day"
    if days < 30:
        whole = round(days)
        return f"{whole} day{'s' if whole != 1 else ''}"
    if days < 365:
        return _count(days / 30, "month")
    return _count(days / 365, "year")


def _count(value: float, unit: str) -> str:
    number = _one_decimal(value)
    return f"{number} {unit}{'' if number == '1' else 's'}"


def _one_decimal(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _missing_last(value: float | None) -> tuple[bool, float]:
    return (value is None, 0.0 if value is None else value)


def _due_seconds(progress: Progress | None) -> float | None:
    if progress is None or progress.phase is Phase.NEW:
        return None
    return (progress.due - _EPOCH).total_seconds()


def _interval_days(progress: Progress | None) -> float | None:
    if progress is None or progress.phase in (Phase.NEW, Phase.LEARNING):
        return None
    if progress.last_review is None:
        return None
    return (progress.due - progress.last_review).total_seconds() / _DAY_SECONDS


_PROGRESS_KEYS: dict[Column, Callable[[Progress | None], float | None]] = {
    Column.DUE: _due_seconds,
    Column.INTERVAL: _interval_days,
    Column.STABILITY: lambda progress: progress.stability if progress else None,
    Column.LAPSES: lambda progress: progress.lapses if progress else 0,
}
