"""How long the statistics take on a large collection: 10,000 cards and 100,000 reviews.

    .venv/bin/python benchmarks/stats_bench.py [--cards N] [--reviews N] [--runs N] [--keep DIR]

Builds the collection through the collection's own import of a review history (each card's
grades replayed through FSRS, as an Anki package's are), then measures, each in a fresh Python
process as a person would start it:
  cli_json_s       `flashcards stats --json` from process start to exit (median of the runs)
  cli_json_cpu_s   the CPU time it used (user + system): steadier than the wall clock on a
                   machine that other work shares (load_average says how busy it was)
  window_s         the Statistics window opened and painted, pyqtgraph's import included
                   (the main window already up: what pressing T costs)
and, in this process, the parts of them:
  gather_s         gather_history: every journal read for the history, every card's progress
  compute_s        compute_statistics over all decks and all time
  compute_deck_s   the same for one deck, what choosing a deck in the window costs
The last line printed is the figures as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flashcards.core.collection import Collection  # noqa: E402
from flashcards.core.clock import FakeClock  # noqa: E402
from flashcards.core.deck import Card, Deck  # noqa: E402
from flashcards.core.importing import ImportedDecks, ImportedReview  # noqa: E402
from flashcards.core.progress import Rating  # noqa: E402
from flashcards.core.statistics import (Period, compute_statistics, deck_and_subdecks,  # noqa: E402
                                        gather_history)

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=timezone.utc)
DEVICE = "bench"
CARDS_PER_DECK = 2000

WINDOW = """
import sys, time
began = time.perf_counter()
from PySide6.QtWidgets import QApplication
from PySide6.QtTest import QTest
from flashcards.core.collection import Collection
from flashcards.gui.main_window import MainWindow
app = QApplication(sys.argv[:1])
collection = Collection.open(sys.argv[1], "bench", read_only=True)
window = MainWindow(collection)
window.show()
QTest.qWaitForWindowExposed(window)
app.processEvents()
began = time.perf_counter()
from flashcards.gui.statistics_window import StatisticsWindow
statistics = StatisticsWindow(collection, window)
statistics.show()
QTest.qWaitForWindowExposed(statistics)
app.processEvents()
print(time.perf_counter() - began)
collection.close()
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=10_000)
    parser.add_argument("--reviews", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="build the collection in DIR and leave it there")
    parser.add_argument("--reuse", type=Path, metavar="DIR",
                        help="measure a collection an earlier --keep built")
    args = parser.parse_args()
    folder = args.reuse or args.keep or Path(tempfile.mkdtemp(prefix="flashcards-stats-bench-"))
    try:
        if args.reuse is None:
            began = time.perf_counter()
            build(folder, args.cards, args.reviews)
            log(f"collection built in {time.perf_counter() - began:.1f}s")
        figures = {"cards": args.cards, "reviews": args.reviews}
        figures.update(measure_parts(folder, args.reviews))
        runs = [time_cli(folder) for _ in range(args.runs)]
        figures["cli_json_s"] = round(statistics.median(wall for wall, _cpu in runs), 3)
        figures["cli_json_cpu_s"] = round(statistics.median(cpu for _wall, cpu in runs), 3)
        figures["cli_json_runs_s"] = [round(wall, 3) for wall, _cpu in runs]
        windows = [time_window(folder) for _ in range(max(1, args.runs // 2))]
        figures["window_s"] = round(statistics.median(windows), 3)
        figures["load_average"] = round(os.getloadavg()[0], 2)
    finally:
        if args.keep is None and args.reuse is None:
            shutil.rmtree(folder, ignore_errors=True)
    print(json.dumps(figures))


def build(folder: Path, cards: int, reviews: int) -> None:
    """Decks of 2,000 cards; nine cards in ten studied over two years, each a run of grades
    whose gaps grow as a learner's do (mostly Good, some Again); the rest still new."""
    rng = random.Random(3)
    decks = [Deck(id=f"deck{first // CARDS_PER_DECK:02d}", name=f"Deck {first // CARDS_PER_DECK}",
                  cards=[Card(id=f"card{i:06d}", front=f"Question {i}", back=f"Answer {i}")
                         for i in range(first, min(first + CARDS_PER_DECK, cards))])
             for first in range(0, cards, CARDS_PER_DECK)]
    studied = [card.id for deck in decks for card in deck.cards][: cards * 9 // 10]
    per_card = reviews // len(studied)
    history = []
    start = NOW - timedelta(days=730)
    for number, card_id in enumerate(studied):
        grades = per_card + (1 if number < reviews % len(studied) else 0)
        moment = start + timedelta(days=rng.uniform(0, 300), hours=rng.uniform(0, 12))
        gap = timedelta(minutes=10)
        for _grade in range(grades):
            rating = rng.choices(list(Rating), (10, 10, 72, 8))[0]
            history.append(ImportedReview(card_id, moment, rating, rng.randint(2000, 15000)))
            gap = timedelta(minutes=10) if rating is Rating.AGAIN else min(gap * 2.2,
                                                                           timedelta(days=40))
            moment = min(moment + gap + timedelta(hours=rng.uniform(0, 6)), NOW)
    collection = Collection.open(folder, DEVICE, clock=FakeClock(NOW), tz=timezone.utc)
    try:
        collection.import_decks(ImportedDecks(decks=decks, reviews=history))
    finally:
        collection.close()


def measure_parts(folder: Path, reviews: int) -> dict:
    collection = Collection.open(folder, DEVICE, clock=FakeClock(NOW), tz=timezone.utc,
                                 read_only=True)
    try:
        began = time.perf_counter()
        history = gather_history(collection)
        gathered = time.perf_counter()
        compute_statistics(history, None, Period.ALL)
        computed = time.perf_counter()
        first_deck = next(iter(history.decks))
        compute_statistics(history, deck_and_subdecks(history.decks, first_deck), Period.YEAR)
        deck = time.perf_counter()
    finally:
        collection.close()
    if len(history.reviews) != reviews:
        raise SystemExit(f"{len(history.reviews)} reviews read, {reviews} written")
    return {"gather_s": round(gathered - began, 3), "compute_s": round(computed - gathered, 3),
            "compute_deck_s": round(deck - computed, 3)}


def time_cli(folder: Path) -> tuple[float, float]:
    """Seconds from start to exit, and of CPU time used."""
    env = dict(os.environ, FLASHCARDS_DEVICE_ID=DEVICE)
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "flashcards", "--data-dir", str(folder),
                             "stats", "--json"], capture_output=True, text=True, cwd=ROOT,
                            env=env)
    elapsed = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode or json.loads(result.stdout)["reviews"]["total"] == 0:
        raise SystemExit(f"stats failed: {result.stderr}")
    return elapsed, after.ru_utime + after.ru_stime - used.ru_utime - used.ru_stime


def time_window(folder: Path) -> float:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", FLASHCARDS_DEVICE_ID=DEVICE)
    result = subprocess.run([sys.executable, "-c", WINDOW, str(folder)], capture_output=True,
                            text=True, cwd=ROOT, env=env, check=True)
    return float(result.stdout.strip().splitlines()[-1])


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
