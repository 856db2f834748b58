"""How long the memory tools take through the collection, on a large one.

Builds a collection of --cards cards in a temporary folder, each graded twice (Good, then Good
ten minutes later) at a random moment of the last --days days, most once more (Good, or Again
one time in seven) two to eight days on: review cards, a share of them overdue. Then times, each the median of --repeat runs (wall clock, processor time beside
it), what the person waits for:
  backlog_status_s   the deck list's backlog line, worked out after each change it shows
  plan_break_s       Collection.plan_break for a 14-day break starting in three days
  replan_break_s     the same from the cards' progress read once, as the dialog plans again
                     after each day picked (studied_progress_s is that reading)
  spread_backlog_s   Collection.spread_backlog over 7 days
  apply_break_s      Collection.apply_plan of that break: one progress event per card, one write
  forecast_s         the desired retention dialog's four simulated years (off the GUI thread)
  read_reviews_s     reading the review history for a fit (off the GUI thread)
  fit_s              fitting the scheduler to it (off the GUI thread)
The last line printed is the figures as JSON.

    python benchmarks/memory_tools_bench.py [--cards 100000] [--days 60] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flashcards.core.clock import FakeClock  # noqa: E402
from flashcards.core.collection import Collection  # noqa: E402
from flashcards.core.deck import Card, Deck  # noqa: E402
from flashcards.core.importing import ImportedDecks, ImportedReview  # noqa: E402
from flashcards.core.progress import Rating  # noqa: E402
from workload_bench import timed  # noqa: E402

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=timezone.utc)


def build(folder: Path, cards: int, days: int) -> Collection:
    rng = random.Random(7)
    collection = Collection.open(folder, "bench", clock=FakeClock(NOW), tz=timezone.utc)
    ids = [f"card{n:06d}" for n in range(cards)]
    reviews = []
    for card_id in ids:
        first = NOW - timedelta(days=rng.uniform(1, days))
        reviews.append(ImportedReview(card_id, first, Rating.GOOD))
        reviews.append(ImportedReview(card_id, first + timedelta(minutes=10),
                                      rng.choice((Rating.GOOD, Rating.EASY))))
        later = first + timedelta(days=rng.uniform(2, 8))
        if later < NOW:  # a review days later: something for a fit to predict
            reviews.append(ImportedReview(card_id, later, Rating.AGAIN if rng.random() < 0.15
                                          else Rating.GOOD))
    deck = Deck("big", "Big", cards=[Card(card_id, card_id, card_id) for card_id in ids])
    collection.import_decks(ImportedDecks([deck], reviews), undoable=False)
    collection.change_setting("reviews_per_day", 500)
    return collection


def measured(repeat: int, work):
    """workload_bench's median wall and processor seconds, to a tenth of a millisecond."""
    wall, cpu, result = timed(repeat, work)
    return round(wall, 4), round(cpu, 4), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cards", type=int, default=100_000)
    parser.add_argument("--days", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    figures: dict[str, object] = {"cards": args.cards}
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        collection = build(Path(folder) / "data", args.cards, args.days)
        print(f"built {args.cards:,} cards in {time.perf_counter() - started:.1f} s")
        today = collection.today()
        away = (today + timedelta(days=3), today + timedelta(days=16))
        cards = collection.studied_progress()
        steps = {
            "backlog_status": collection.backlog_status,
            "plan_break": lambda: collection.plan_break(*away),
            "studied_progress": collection.studied_progress,
            "replan_break": lambda: collection.plan_break(*away, cards),
            "spread_backlog": lambda: collection.spread_backlog(7),
            "forecast": lambda: collection.workload_forecast().run(),
        }
        for name, work in steps.items():
            wall, cpu, result = measured(args.repeat, work)
            figures[f"{name}_s"], figures[f"{name}_cpu_s"] = wall, cpu
            print(f"{name}: {wall * 1000:.0f} ms ({cpu * 1000:.0f} ms processor)")
        figures["overdue"] = collection.backlog_status().overdue
        plan = collection.plan_break(*away)
        wall, cpu, _ = measured(1, lambda: collection.apply_plan(plan))
        figures.update(apply_break_s=wall, apply_break_cpu_s=cpu, break_moved=len(plan.moves))
        print(f"apply_break: {wall * 1000:.0f} ms for {len(plan.moves):,} cards moved")
        request = collection.prepare_fit()
        wall, cpu, reviews = measured(1, request.read_reviews)
        figures.update(read_reviews_s=wall, read_reviews_cpu_s=cpu, reviews=len(reviews))
        print(f"read_reviews: {wall * 1000:.0f} ms for {len(reviews):,} reviews")
        wall, cpu, fit = measured(1, request.run)
        figures.update(fit_s=wall, fit_cpu_s=cpu, fit_better=fit.better)
        print(f"read and fit: {wall:.1f} s ({cpu:.1f} s processor)")
        collection.close()
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
