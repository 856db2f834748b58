"""Grades cards until it is killed, printing each review's id once the grade is on disk.

    python crash_child.py <data folder> <seed> [<segment bytes>]

Used by test_crash.py. Every 20 grades it also writes the snapshot, so kills land there too.
It pauses a moment between grades, as a person would, so the journal stays a test-sized file;
the journal's segments are made that small too, so that kills land as a new segment begins.
"""

import random
import sys
import time
from pathlib import Path

from flashcards.core import journal
from flashcards.core.collection import Collection
from flashcards.core.deck import Card, Deck
from flashcards.core.progress import Rating

CARDS = 200


def main() -> None:
    folder, seed = Path(sys.argv[1]), int(sys.argv[2])
    if len(sys.argv) > 3:
        journal.SEGMENT_BYTES = int(sys.argv[3])
    rng = random.Random(seed)
    collection = Collection.open(folder, "crash")
    if not collection.has_deck("crash"):
        cards = [Card(f"c{i}", f"question {i}", f"answer {i}") for i in range(CARDS)]
        collection.import_deck(Deck("crash", "Crash", cards=cards))
    graded = 0
    while True:
        card_id = f"c{rng.randrange(CARDS)}"
        collection.preview(card_id)
        changes = collection.grade(card_id, rng.choice(list(Rating)))
        sys.stdout.write(changes.created[0] + "\n")
        sys.stdout.flush()
        graded += 1
        if graded % 20 == 0:
            collection.save_snapshot()
        time.sleep(0.002)


if __name__ == "__main__":
    main()
