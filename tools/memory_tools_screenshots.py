"""Render the desired retention and break dialogs offscreen, in the light and dark looks.

    python tools/memory_tools_screenshots.py [--out docs/screenshots] [--all]

The collection is a simulated learner's ten months of study on a fixed clock, so the pictures
are the same every run. Without --all only retention.png is written (the one the docs show);
--all adds retention-dark.png, break.png and break-dark.png, for checking both looks.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

# Before Qt loads: no screen needed, and no device id written into the real config folder.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The window's remembered look (hidden columns, theme, font size) is this computer's: not
# read here, so every run is alike.
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="flashcards-look-")
os.environ["FLASHCARDS_DEVICE_ID"] = "screenshots"

from fsrs.scheduler import DEFAULT_PARAMETERS  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from flashcards.core.clock import FakeClock  # noqa: E402
from flashcards.core.collection import Collection  # noqa: E402
from flashcards.core.deck import Card, Deck  # noqa: E402
from flashcards.core.importing import ImportedDecks, ImportedReview  # noqa: E402
from flashcards.core.retention_workload import simulate_reviews  # noqa: E402
from flashcards.gui import theme  # noqa: E402
from flashcards.gui.break_dialog import BreakDialog  # noqa: E402
from flashcards.gui.retention_dialog import RetentionDialog  # noqa: E402
from screenshots import shoot  # noqa: E402

NOW = datetime(2025, 3, 10, 9, 30, tzinfo=timezone.utc)
STUDIED_DAYS = 300


def studied_collection(folder: Path) -> Collection:
    clock = FakeClock(NOW)
    collection = Collection.open(folder, "screenshots", clock=clock, tz=timezone.utc)
    reviews = simulate_reviews(DEFAULT_PARAMETERS, cards=2000, days=STUDIED_DAYS,
                               start=NOW - timedelta(days=STUDIED_DAYS), new_cards_per_day=6,
                               study_share=0.9, seed=7, deck_id="spanish")
    deck = Deck("spanish", "Spanish words", cards=[
        Card(f"card-{n}", f"Word {n}", f"Palabra {n}") for n in range(2000)])
    collection.import_decks(ImportedDecks([deck], [
        ImportedReview(r.card_id, r.time, r.rating) for r in reviews]), undoable=False)
    collection.change_setting("new_per_day", 6)
    return collection


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path,
                        default=Path(__file__).resolve().parents[1] / "docs" / "screenshots")
    parser.add_argument("--all", action="store_true", help="both looks and the break dialog")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv[:1])
    app.setApplicationName("Flashcards")
    with tempfile.TemporaryDirectory() as folder:
        collection = studied_collection(Path(folder) / "data")
        try:
            for look in ("light", "dark") if args.all else ("light",):
                theme.apply_theme(app, look)
                suffix = "" if look == "light" else "-dark"
                dialog = RetentionDialog(collection)
                dialog.show()
                QTest.qWaitForWindowExposed(dialog)
                while not dialog.totals:
                    QTest.qWait(50)  # the simulation runs on its own thread
                shoot(dialog, args.out / f"retention{suffix}.png")
                dialog.close()
                if args.all:
                    dialog = BreakDialog(collection)
                    dialog.show()
                    QTest.qWaitForWindowExposed(dialog)
                    shoot(dialog, args.out / f"break{suffix}.png")
                    dialog.close()
        finally:
            collection.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
