"""Render the screenshots in docs/screenshots/ offscreen, from a temporary data folder.

    python tools/screenshots.py [--out docs/screenshots]

The clock is fixed and the bundled decks are studied a little first, so every count shows. The
statistics are shown for three decks studied over 90 days (tests/gui/studied_days.py).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path

# Before Qt loads: no screen needed, and no device id written into the real config folder.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["FLASHCARDS_DEVICE_ID"] = "screenshots"

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from flashcards.app import open_collection  # noqa: E402
from flashcards.core.clock import FakeClock  # noqa: E402
from flashcards.core.collection import Collection  # noqa: E402
from flashcards.core.progress import Rating  # noqa: E402
from flashcards.core.review import ReviewSession, Screen  # noqa: E402
from flashcards.gui import theme  # noqa: E402
from flashcards.gui.main_window import MainWindow  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "gui"))  # the history the statistics tests study too
from studied_days import study_days, word_deck  # noqa: E402

FACTS = "the-400-blows-facts"
FAQ = "the-400-blows-faq"
SIZE = (900, 620)
# Tall enough to show every plot of the statistics window at once.
STATISTICS_SIZE = (1000, 1300)
STUDIED_DECKS = {"fr": ("French words", 600), "fr-verbs": ("French words::Verbs", 120),
                 "de": ("German", 250)}


def study(collection: Collection, deck_id: str, grades: list[Rating]) -> None:
    session = ReviewSession(collection, deck_id)
    for rating in grades:
        if session.screen is Screen.FINISHED:
            return
        session.show_answer()
        session.grade(rating)


def prepare(collection: Collection, clock: FakeClock) -> None:
    """A few days of use: some facts due for review today, some cards in learning."""
    collection.change_setting("fuzz", False)  # the same intervals, and pictures, every run
    study(collection, FACTS, [Rating.GOOD] * 8 + [Rating.EASY] * 4)
    clock.advance(minutes=15)
    study(collection, FACTS, [Rating.GOOD] * 8)  # out of learning, back in a few days
    clock.advance(days=4)
    study(collection, FAQ, [Rating.GOOD, Rating.AGAIN, Rating.GOOD])


def key(window: QWidget, k: Qt.Key) -> None:
    QTest.keyClick(window.focusWidget() or window, k)


def flagged_card(window: MainWindow, path: Path) -> None:
    """The FAQ's first card flagged red, the notice saying so; the flag is undone after."""
    key(window, Qt.Key.Key_Down)
    key(window, Qt.Key.Key_Return)
    QTest.keyClick(window.focusWidget() or window, Qt.Key.Key_1,
                   Qt.KeyboardModifier.ControlModifier)
    shoot(window, path)
    QTest.keyClick(window.focusWidget() or window, Qt.Key.Key_1,
                   Qt.KeyboardModifier.ControlModifier)  # the flag off again
    key(window, Qt.Key.Key_Escape)
    key(window, Qt.Key.Key_Up)


def add_window(window: MainWindow, path: Path) -> None:
    """The Add window on the FAQ deck, a card half written: bold in the front, a list behind."""
    key(window, Qt.Key.Key_Down)
    add = window.card_actions.open_add_window()
    add.resize(860, 520)
    QTest.qWaitForWindowExposed(add)
    field = add.front_field
    QTest.keyClicks(field, "Who plays ")
    QTest.keyClick(field, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(field, "Antoine's mother")
    QTest.keyClick(field, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(field, "?")
    add.back_field.setFocus()
    add.back_field.toggle_bullets()
    QTest.keyClicks(add.back_field, "Claire Maurier")
    QTest.keyClick(add.back_field, Qt.Key.Key_Return)
    QTest.keyClicks(add.back_field, "as Gilberte Doinel")
    add.tags_edit.setText("cast")
    add.front_field.setFocus()
    shoot(add, path)
    add.close()
    key(window, Qt.Key.Key_Up)


def shoot(window: QWidget, path: Path) -> None:
    QApplication.processEvents()
    if not window.grab().save(str(path)):
        raise SystemExit(f"could not write {path}")
    print(path)


def shoot_statistics(app: QApplication, out: Path) -> None:
    """The statistics window, light and dark, over 90 days of study."""
    from flashcards.gui.statistics_window import StatisticsWindow

    # Thousands of grades, each saved with an fsync: in memory where the system has a folder
    # there, the history takes seconds to build rather than a minute.
    memory = Path("/dev/shm")
    with tempfile.TemporaryDirectory(dir=memory if memory.is_dir() else None) as folder:
        clock = FakeClock(datetime(2025, 3, 10, 18, 30, tzinfo=timezone.utc))
        collection = Collection.open(Path(folder) / "data", "screenshots", clock=clock,
                                     tz=timezone.utc)
        try:
            collection.change_setting("fuzz", False)
            collection.change_setting("new_per_day", 6)
            for deck_id, (name, size) in STUDIED_DECKS.items():
                collection.import_deck(word_deck(deck_id, name, size))
            study_days(collection, clock, list(STUDIED_DECKS), days=90)
            for name, file_name in (("light", "statistics.png"), ("dark", "statistics-dark.png")):
                theme.apply_theme(app, name)
                window = StatisticsWindow(collection)
                window.resize(*STATISTICS_SIZE)
                window.show()
                QTest.qWaitForWindowExposed(window)
                shoot(window, out / file_name)
                window.close()
        finally:
            collection.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)

    app = QApplication(sys.argv[:1])
    app.setApplicationName("Flashcards")
    with tempfile.TemporaryDirectory() as folder:
        clock = FakeClock(datetime(2025, 3, 10, 9, 30, tzinfo=timezone.utc))
        collection = open_collection(Path(folder) / "data", clock=clock)
        try:
            prepare(collection, clock)
            for name in ("dark", "light"):
                theme.apply_theme(app, name)
                window = MainWindow(collection)
                window.resize(*SIZE)
                window.show()
                QTest.qWaitForWindowExposed(window)
                suffix = "-dark" if name == "dark" else ""
                flagged_card(window, args.out / f"flagged{suffix}.png")
                add_window(window, args.out / f"add{suffix}.png")
                if name == "dark":
                    shoot(window, args.out / "deck-list-dark.png")
                    window.close()
                    continue
                shoot(window, args.out / "deck-list.png")
                key(window, Qt.Key.Key_Down)
                key(window, Qt.Key.Key_Return)  # the FAQ deck
                shoot(window, args.out / "question.png")
                key(window, Qt.Key.Key_Space)
                shoot(window, args.out / "answer.png")
                key(window, Qt.Key.Key_Escape)
                key(window, Qt.Key.Key_Up)
                key(window, Qt.Key.Key_Return)  # the facts: study them to the end
                while window.review_page.screen is not Screen.FINISHED:
                    key(window, Qt.Key.Key_Space)
                    key(window, Qt.Key.Key_4)
                shoot(window, args.out / "finished.png")
                window.close()
        finally:
            collection.close()
    shoot_statistics(app, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
