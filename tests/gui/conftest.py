"""GUI fixtures: a collection in a temporary folder holding two decks like the bundled ones."""

from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from flashcards.core.clock import FakeClock  # noqa: E402
from flashcards.core.collection import Collection  # noqa: E402
from flashcards.core.deck import Card, Deck, DeckKind  # noqa: E402

# A Monday morning, well after the 04:00 day rollover.
START = datetime(2025, 3, 10, 10, 0, tzinfo=timezone.utc)

FAQ = [
    ("Who directed <i>The 400 Blows</i>?", "François Truffaut"),
    ("When was <i>The 400 Blows</i> released?", "1959"),
    ("Who plays Antoine Doinel?", "Jean-Pierre Léaud"),
    ("Where did the film premiere?", "At the 1959 Cannes Film Festival"),
    ("Which award did Truffaut win at Cannes for it?", "Best Director"),
    ("Which film movement is it part of?", "The French New Wave"),
    ("Where is the film set?", "Paris, in the 1950s"),
    ("How does the film end?", "On a freeze-frame of Antoine at the sea"),
]


def faq_deck() -> Deck:
    cards = [Card(id=f"faq-{i}", front=q, back=a) for i, (q, a) in enumerate(FAQ, 1)]
    return Deck(id="the-400-blows-faq", name="The 400 Blows: FAQ", kind=DeckKind.FAQ, cards=cards)


def facts_deck() -> Deck:
    cards = [Card(id=f"fact-{i}", front=f"Fact number {i} about <i>The 400 Blows</i>?",
                  back=f"The answer to fact {i}.") for i in range(1, 31)]
    return Deck(id="the-400-blows-facts", name="The 400 Blows: Facts", kind=DeckKind.FACT,
                cards=cards)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def open_collection(data_dir, clock):
    """Opens (or reopens) the collection in data_dir; everything opened is closed afterwards."""
    opened: list[Collection] = []

    def _open() -> Collection:
        collection = Collection.open(data_dir, "test-device", clock=clock, tz=timezone.utc)
        opened.append(collection)
        return collection

    yield _open
    for collection in opened:
        collection.close()


@pytest.fixture
def collection(open_collection) -> Collection:
    collection = open_collection()
    collection.import_deck(facts_deck(), undoable=False)  # there before the window opens
    collection.import_deck(faq_deck(), undoable=False)
    return collection


@pytest.fixture
def make_window(qtbot):
    """Builds a shown MainWindow over a collection, as the app would at start."""
    from flashcards.gui.main_window import MainWindow

    def _make(collection: Collection) -> MainWindow:
        window = MainWindow(collection)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        return window

    return _make


@pytest.fixture
def window(make_window, collection):
    return make_window(collection)


@pytest.fixture
def press(qtbot):
    """Press a key the way a person does: it goes to whatever has the keyboard focus."""
    def _press(window, key, modifier=None):
        from PySide6.QtCore import Qt

        target = window.focusWidget() or window
        qtbot.keyClick(target, key, modifier or Qt.KeyboardModifier.NoModifier)

    return _press


@pytest.fixture
def shown_rows():
    """What the deck list shows: name -> (new, learning, due, cards), read from the view's model."""
    def _rows(window) -> dict[str, tuple[int, int, int, int]]:
        from PySide6.QtCore import Qt

        model = window.deck_page.table.model()
        rows = {}
        for row in range(model.rowCount()):
            cells = [model.index(row, column).data(Qt.ItemDataRole.DisplayRole)
                     for column in range(model.columnCount())]
            rows[cells[0]] = tuple(int(cell) for cell in cells[1:])
        return rows

    return _rows


@pytest.fixture
def faq_cards() -> list[tuple[str, str]]:
    return list(FAQ)


@pytest.fixture
def screen_reader(qapp):
    """Accessibility on, as when a screen reader runs, and every event Qt sends it logged
    (see accessibility_events)."""
    from accessibility_events import EventLog
    from PySide6.QtGui import QAccessible

    log = EventLog()
    log.install()
    QAccessible.setActive(True)
    yield log
    QAccessible.setActive(False)
    log.uninstall()
