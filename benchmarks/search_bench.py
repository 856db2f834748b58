"""How long a search over 100,000 cards takes: from the search text to the list of cards found.

    .venv/bin/python benchmarks/search_bench.py [--cards N] [--runs N] [--folder DIR]

Opens gui_bench.py's data folder read-only: N cards with 10 reviews each, in decks of 10,000
named "Bench deck 1" and on, fronts and backs of 6 to 24 words (built the first time, then kept
in DIR, a folder in the system's temporary folder unless told: see gui_bench.built_folder).
Each search in SEARCHES, the kinds people type (words, a phrase, wildcards, a field, decks,
states, properties, `or`, `-` and parentheses), is then given to Collection.find_cards, as the
card browser and `flashcards cards SEARCH` give it, and timed (wall clock) until its list of
cards is back:
  cold_ms           the first search after opening (SEARCHES[0], which reads every card's text):
                    the decks' cards read from the snapshot, each card's facts made, its text
                    folded for searching
  new_day_ms        the first search of the next study day, the collection left open: every
                    card's facts made again (its days count from today), its text kept
  searches          for each search: first_ms, its first run after cold_ms's (for SEARCHES[0],
                    the state then sets up again the decks whose cards it read); median_ms and
                    p99_ms over --runs runs after it; found, how many cards it finds
  median_ms, p99_ms over every run after the first of every search: what a person searching
                    waits for (the figure to hold under 50 ms at 100,000 cards)
  worst_median_ms, worst_search   the search with the highest median
  cpu_median_ms, worst_cpu_median_ms   the same medians in CPU time (each search's too), which
                    other work on a shared machine inflates less than the wall clock
  machine_ms        the CPU time of sum(range(10**6)) in pure Python (about 10 ms on a quiet,
                    recent desktop), to compare figures taken on different machines
The last line printed is the figures as JSON.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from flashcards.core.clock import FakeClock  # noqa: E402
from flashcards.core.collection import Collection  # noqa: E402
from gui_bench import BUILT_FOLDERS, DEVICE, built_folder  # noqa: E402

# The searches timed here and in browser_bench.py, in the words of gui_bench's cards and decks.
SEARCHES = [
    "river",
    '"river stone"',
    'deck:"Bench deck 3" is:due',
    "-is:new prop:ivl>30",
    "prop:due<-3 or flag:1",
    '(deck:"Bench deck 1" or deck:"Bench deck 2*") (-tag:none or is:due) '
    "-(stone or prop:s<20)",
    "gard*n",
    "front:*window*",
    "rated:14 -tag:leech",
]


def ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def machine_speed() -> float:
    """CPU milliseconds for a fixed piece of pure Python, the best of five."""
    times = []
    for _ in range(5):
        started = time.process_time()
        sum(range(10**6))
        times.append(time.process_time() - started)
    return ms(min(times))


def timed(collection: Collection, search: str) -> tuple[float, float, int]:
    """Seconds to find the cards of a search, on the wall clock and in CPU time, and how many it
    found."""
    wall, cpu = time.perf_counter(), time.process_time()
    found = collection.find_cards(search)
    return time.perf_counter() - wall, time.process_time() - cpu, len(found)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--folder", type=Path, default=BUILT_FOLDERS)
    args = parser.parse_args()
    args.folder.mkdir(parents=True, exist_ok=True)
    folder, build = built_folder(args.folder, args.cards)
    clock = FakeClock(datetime.now(timezone.utc))
    collection = Collection.open(folder, DEVICE, clock=clock, read_only=True)
    try:
        cold = timed(collection, SEARCHES[0])[0]
        figures, every_run, every_cpu = {}, [], []
        for search in SEARCHES:
            first, _cpu, found = timed(collection, search)
            runs, cpu = zip(*(timed(collection, search)[:2] for _ in range(args.runs)))
            every_run += runs
            every_cpu += cpu
            figures[search] = {"first_ms": ms(first), "median_ms": ms(statistics.median(runs)),
                               "p99_ms": ms(percentile(runs, 0.99)),
                               "cpu_median_ms": ms(statistics.median(cpu)), "found": found}
            print(f"{search[:60]:<60}" + "".join(f"{key[:-3]} {value:6.1f}  " for key, value in
                                                figures[search].items() if key != "found")
                  + f"{found:7} cards", flush=True)
        clock.advance(timedelta(days=1))
        new_day = timed(collection, SEARCHES[0])[0]
    finally:
        collection.close()
    worst = max(figures, key=lambda search: figures[search]["median_ms"])
    print(json.dumps({
        "cards": build["cards"], "median_ms": ms(statistics.median(every_run)),
        "p99_ms": ms(percentile(every_run, 0.99)),
        "worst_median_ms": figures[worst]["median_ms"], "worst_search": worst,
        "cpu_median_ms": ms(statistics.median(every_cpu)),
        "worst_cpu_median_ms": max(f["cpu_median_ms"] for f in figures.values()),
        "cold_ms": ms(cold), "new_day_ms": ms(new_day), "machine_ms": machine_speed(),
        "runs": args.runs, "searches": figures}))


if __name__ == "__main__":
    main()
