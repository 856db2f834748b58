"""What a person waits for in the card browser, on 100,000 cards.

    .venv/bin/python benchmarks/browser_bench.py [--cards N] [--folder DIR]

The data folder is gui_bench.py's: N cards with 10 reviews each, in decks of 10,000, written as
the app writes its journal, then opened once by the app to make its snapshot. It is kept in DIR
(by default the folder gui_bench.py and search_bench.py keep it in, in the system's temporary
folder), so a second run skips the build. It is opened read-only here, so nothing below changes
it.

The window is drawn on Qt's offscreen platform, in this process: the same widgets, layout and
raster painting as on a desktop. Each figure is the time from the person's action to the moment
the card table has painted what it leads to (this process handles events until the table's
viewport has had a Paint event, and the time is read once that handling returns).

  open_s              opening the data folder (the collection, not the window): for scale.
  first_paint_s       from B on the deck list to the table's first paint with every card in it:
                      the browser's first opening, when the cards' text is still the snapshot's
                      and the search reads it.
  first_paint_warm_s  the same, on opening the browser a second time (median of 3).
  search_first_ms     from Enter in the search box to the paint of the cards found, for the
                      first search typed in the browser (search_bench.SEARCHES[0]): each card's
                      facts are made, its text folded, for this and the searches after it.
  search_median_ms / search_p99_ms   the same, over search_bench.py's searches, each typed
                      5 times in turn after that first one, in the search's own order (no column
                      sorted).
  scroll_end_s        from Ctrl+End in the table to the paint showing the last card.
  page_down_p50_ms / page_down_p99_ms   from Page Down to the paint of the next page, over 200
                      presses from the top (each new page is rows never painted before).
  sort_due_s, sort_front_s, sort_retrievability_s   from a click on the column's header to the
                      paint of the sorted table.
  search_deck_s       from Enter in the search box (`deck:"Bench deck 3"`) to the paint of its
                      10,000 cards, sorted by retrievability (the last column clicked).
  reviews_counted_s   from B to the Reviews column's counts, read from the whole history a
                      slice at a time while the window is idle (the table is usable meanwhile).
  page_down_while_counting_p99_ms   Page Down while that reading runs (a slice of reading may
                      come before the paint), measured on the second opening.
The last line printed is the figures as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The window's remembered look (hidden columns, theme, font size) is this computer's: not
# read here, so every run is alike.
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="flashcards-look-")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from PySide6.QtCore import QEvent, QObject, QPoint, Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from flashcards.core.collection import Collection  # noqa: E402
from flashcards.gui.card_table import Column  # noqa: E402
from flashcards.gui.main_window import MainWindow  # noqa: E402
from gui_bench import BUILT_FOLDERS, DEVICE, built_folder  # noqa: E402
from search_bench import SEARCHES, percentile  # noqa: E402

PAGES = 200
SEARCH_RUNS = 5
TIMEOUT_S = 600


class Paints(QObject):
    count = 0

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=100_000)
    parser.add_argument("--folder", type=Path, default=BUILT_FOLDERS)
    args = parser.parse_args()
    args.folder.mkdir(parents=True, exist_ok=True)
    folder, build = built_folder(args.folder, args.cards)
    app = QApplication(sys.argv[:1])
    began = time.perf_counter()
    collection = Collection.open(folder, DEVICE, read_only=True)
    figures = {"cards": build["cards"], "reviews": build["reviews"],
               "open_s": round(time.perf_counter() - began, 3)}
    try:
        window = MainWindow(collection)
        window.show()
        QTest.qWaitForWindowExposed(window)
        figures.update(measure(app, window))
    finally:
        collection.close()
    for name, value in figures.items():
        print(f"{name:>34}: {value}")
    print(json.dumps(figures))


def measure(app: QApplication, window: MainWindow) -> dict:
    figures: dict = {}
    browser, first_paint, began = open_browser(app, window)
    figures["first_paint_s"] = round(first_paint, 3)
    wait(app, lambda: cell(browser, 0, Column.REVIEWS) != "")
    figures["reviews_counted_s"] = round(time.perf_counter() - began, 3)
    figures.update(searches(app, browser))
    table = browser.table
    figures["scroll_end_s"] = round(act(app, browser, lambda: QTest.keyClick(
        table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)), 3)
    pages = page_downs(app, browser)
    figures["page_down_p50_ms"] = round(statistics.median(pages) * 1000, 1)
    figures["page_down_p99_ms"] = round(percentile(pages, 0.99) * 1000, 1)
    for column, name in ((Column.DUE, "sort_due_s"), (Column.FRONT, "sort_front_s"),
                         (Column.RETRIEVABILITY, "sort_retrievability_s")):
        figures[name] = round(act(app, browser, lambda: click_header(browser, column)), 3)
    browser.search_box.setText('deck:"Bench deck 3"')
    figures["search_deck_s"] = round(act(app, browser, lambda: QTest.keyClick(
        browser.search_box, Qt.Key.Key_Return)), 3)
    browser.close()
    warm, while_counting = [], []
    for _run in range(3):
        browser, first_paint, _began = open_browser(app, window)
        warm.append(first_paint)
        if not while_counting:
            while_counting = page_downs(app, browser, 50)
        browser.close()
        app.processEvents()
    figures["first_paint_warm_s"] = round(statistics.median(warm), 3)
    figures["page_down_while_counting_p99_ms"] = round(percentile(while_counting, 0.99) * 1000, 1)
    return figures


def open_browser(app: QApplication, window: MainWindow):
    """Press B; returns the browser, the seconds to its table's first paint, and when B was
    pressed."""
    window.activateWindow()
    QTest.qWaitForWindowActive(window)
    began = time.perf_counter()
    QTest.keyClick(window.deck_page.table, Qt.Key.Key_B)
    browser = window.browser
    paints = Paints()
    browser.table.viewport().installEventFilter(paints)
    wait(app, lambda: paints.count > 0 and browser.model.rowCount() > 0)
    took = time.perf_counter() - began
    browser.table.viewport().removeEventFilter(paints)
    browser.table.setFocus()
    return browser, took, began


def searches(app: QApplication, browser) -> dict:
    """Each search typed and entered in turn, SEARCH_RUNS times, after a first one; then every
    card shown again, as before."""
    def typed(text: str) -> float:
        browser.search_box.setText(text)
        return act(app, browser, lambda: QTest.keyClick(browser.search_box, Qt.Key.Key_Return))

    first = typed(SEARCHES[0])
    took = [typed(text) for _run in range(SEARCH_RUNS) for text in SEARCHES]
    typed("")
    return {"search_first_ms": round(first * 1000, 1),
            "search_median_ms": round(statistics.median(took) * 1000, 1),
            "search_p99_ms": round(percentile(took, 0.99) * 1000, 1)}


def act(app: QApplication, browser, action) -> float:
    """Seconds from `action` to the table's next paint."""
    paints = Paints()
    viewport = browser.table.viewport()
    viewport.installEventFilter(paints)
    began = time.perf_counter()
    action()
    wait(app, lambda: paints.count > 0)
    took = time.perf_counter() - began
    viewport.removeEventFilter(paints)
    return took


def page_downs(app: QApplication, browser, count: int = PAGES) -> list[float]:
    """Page Down from the top, `count` times or until the last page (no more paints then)."""
    table, took = browser.table, []
    table.setCurrentIndex(browser.model.index(0, 0))
    app.processEvents()
    for _ in range(count):
        if table.rowAt(table.viewport().height() - 1) in (-1, browser.model.rowCount() - 1):
            break
        took.append(act(app, browser, lambda: QTest.keyClick(table, Qt.Key.Key_PageDown)))
    return took


def click_header(browser, column: Column) -> None:
    header = browser.table.horizontalHeader()
    where = QPoint(header.sectionViewportPosition(column) + header.sectionSize(column) // 2,
                   header.height() // 2)
    QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=where)


def cell(browser, row: int, column: Column) -> str:
    return browser.model.index(row, column).data(Qt.ItemDataRole.DisplayRole)


def wait(app: QApplication, done) -> None:
    deadline = time.perf_counter() + TIMEOUT_S
    while not done():
        app.processEvents()
        if time.perf_counter() > deadline:
            raise SystemExit("the browser did not get there in time")


if __name__ == "__main__":
    main()
