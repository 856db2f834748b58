"""What nesting decks costs: the deck list's counts, and a study session on a parent deck.

    .venv/bin/python benchmarks/deck_tree_bench.py [--cards N]

Builds two collections of the same N cards (a third of them studied, through imported review
histories) in 125 decks: one nested three deep as Parent::Child::Grandchild (5 x 4 x 5), the other
with the same decks side by side. Then measures, for each:
  counts_ms        every deck's counts, as the deck list asks them (a parent counts its subdecks
                   too, so a nested card is counted once per level), median of 5
  next_card_ms     next_card_and_counts on the first top-level deck (a fifth of the cards, under
                   its own and every subdeck's limits): what follows each grade, median of 50
  grade_ms         preview + grade of the card that comes next in that deck, to durable, median
                   of 100
The last line printed is the figures as JSON.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
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
from flashcards.core.deck_options import DeckOptions  # noqa: E402
from flashcards.core.importing import ImportedDecks, ImportedReview  # noqa: E402
from flashcards.core.progress import Rating  # noqa: E402

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=timezone.utc)
SHAPE = (5, 4, 5)  # top-level decks, children of each, grandchildren of each child


def deck_names(nested: bool) -> list[tuple[str, str]]:
    """(id, name) of every deck, parents before their subdecks."""
    decks = []
    for top in range(SHAPE[0]):
        decks.append((f"t{top}", f"Top {top}"))
        for child in range(SHAPE[1]):
            decks.append((f"t{top}c{child}", f"Top {top}::Child {child}"))
            for grand in range(SHAPE[2]):
                decks.append((f"t{top}c{child}g{grand}",
                              f"Top {top}::Child {child}::Grandchild {grand}"))
    return [(deck_id, name if nested else name.replace("::", " / ")) for deck_id, name in decks]


def build(folder: Path, cards: int, nested: bool) -> Collection:
    rng = random.Random(7)
    names = deck_names(nested)
    decks = [Deck(deck_id, name, cards=[
        Card(f"{deck_id}-{i}", f"{name} question {i}", f"answer {i}")
        for i in range(cards // len(names))]) for deck_id, name in names]
    reviews = []
    for deck in decks:
        for card in deck.cards[::3]:
            start = NOW - timedelta(days=rng.randrange(5, 200))
            for step in range(3):
                reviews.append(ImportedReview(card.id, start + timedelta(days=step * 3),
                                              Rating.GOOD))
    collection = Collection.open(folder, "bench", clock=FakeClock(NOW), tz=timezone.utc)
    collection.import_decks(ImportedDecks(decks, reviews=reviews), undoable=False)
    collection.change_setting("reviews_per_day", 9999)
    collection.change_setting("new_per_day", 9999)
    slow = collection.save_preset(None, DeckOptions(name="Slow", new_per_day=5))
    collection.use_preset([deck_id for deck_id, _ in names[2::3]], slow.created[0])
    return collection


def median_ms(run, times: int) -> float:
    samples = []
    for _ in range(times):
        start = time.perf_counter()
        run()
        samples.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(samples), 2)


def measure(collection: Collection) -> dict:
    decks = [deck.id for deck in collection.decks()]
    counts_ms = median_ms(lambda: [collection.counts(deck_id) for deck_id in decks], 5)
    next_card_ms = median_ms(lambda: collection.next_card_and_counts("t0"), 50)

    def grade() -> None:
        card, _counts = collection.next_card_and_counts("t0")
        collection.preview(card.id)
        collection.grade(card.id, Rating.GOOD)

    return {"counts_ms": counts_ms, "next_card_ms": next_card_ms,
            "grade_ms": median_ms(grade, 100)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=100_000)
    args = parser.parse_args(argv)
    figures = {"cards": args.cards, "decks": len(deck_names(True))}
    for nested in (True, False):
        with tempfile.TemporaryDirectory() as folder:
            collection = build(Path(folder), args.cards, nested)
            try:
                found = measure(collection)
            finally:
                collection.close(discard_unsaved=True)
        label = "nested" if nested else "flat"
        print(f"{label:>7}: " + ", ".join(f"{name} {value}" for name, value in found.items()))
        figures.update({f"{label}_{name}": value for name, value in found.items()})
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
