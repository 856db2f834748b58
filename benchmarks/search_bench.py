"""How long a search over a large collection takes: 100,000 cards, the searches people type.

    .venv/bin/python benchmarks/search_bench.py [--cards N] [--runs N] [--seed N]

Builds N CardFacts as a collection would have them (fronts and backs of 20-200 characters, some
with HTML; 5 decks, each with subdecks; tags, some nested; new, learning, review and relearning
cards with due days, intervals and stability), then times each search with Search.filter:
  warm_ms     on the same rows again (median of --runs, wall clock): a caller that keeps its rows
  warm_cpu_ms the same in CPU time (best of --runs): what a busy, shared machine does not inflate
  rebuilt_ms  on new CardFacts for the same cards: texts already folded, found by their text
  cold_ms     on new CardFacts with nothing folded yet: the first search after start-up, and what
              every search would cost without remembering folded texts
  plain_ms    Search.matches on each row: the plain per-card predicate, folding as it goes
Also: build_ms, making the N CardFacts (random text included); cache_mb, what remembering the
folded texts of N cards holds; machine_ms, the CPU time of sum(range(10**6)) in pure Python
(about 10 ms on a quiet, recent desktop), to compare figures taken on different machines.
The last line printed is the figures as JSON.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
import tracemalloc
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flashcards.core import search_tree  # noqa: E402
from flashcards.core.progress import Phase  # noqa: E402
from flashcards.core.search import CardFacts, parse_search  # noqa: E402

SEARCHES = [
    "river",
    '"the garden"',
    "deck:French is:due",
    "tag:grammar -is:new",
    "prop:ivl>30 or flag:1",
    "(deck:History or deck:Music::*) (-tag:grammar or is:learn) -(stone or prop:due<-5)",
    "gard*n",
    "front:*window*",
]
WORDS = ("river stone light paper window garden silver morning question answer history "
         "language number colour animal winter summer city mountain music the a of and to "
         "château naïve Straße Ölberg").split()
DECKS = [f"{name}::{sub}" if sub else name
         for name in ("French", "History", "Music", "Chemistry", "Geography")
         for sub in ("", "Basics", "Advanced", "Advanced::Extra")]
TAGS = ["grammar", "grammar::verbs", "grammar::nouns", "leech", "exam", "exam::2026", "audio"]
MARKUP = [("<b>", "</b>"), ("<i>", "</i>"), ('<span style="color: red">', "</span>"),
          ("<div>", "</div>"), ("", "<br>")]


def card_text(rng: random.Random) -> str:
    words, length = [], rng.randint(20, 200)
    while sum(len(word) + 1 for word in words) < length:
        word = rng.choice(WORDS)
        if rng.random() < 0.08:
            opening, closing = rng.choice(MARKUP)
            word = f"{opening}{word}{closing}"
        words.append(word.capitalize() if rng.random() < 0.1 else word)
    text = " ".join(words)
    return text.replace(" and ", " &amp; ", 1) if rng.random() < 0.05 else text


def card_facts(rng: random.Random) -> CardFacts:
    phase = rng.choices(list(Phase), weights=(30, 5, 60, 5))[0]
    new = phase is Phase.NEW
    return CardFacts(
        front=card_text(rng), back=card_text(rng), deck=rng.choice(DECKS),
        tags=tuple(rng.sample(TAGS, rng.choice((0, 0, 1, 1, 2)))), phase=phase,
        due_day=None if new else rng.randint(-10, 60),
        interval_days=None if new else rng.randint(0, 365),
        lapses=0 if new else rng.choice((0, 0, 0, 1, 2, 5)), reps=0 if new else rng.randint(1, 40),
        stability=None if new else round(rng.uniform(0.5, 400), 2),
        suspended=rng.random() < 0.02, buried=rng.random() < 0.01,
        flag=rng.choice((0,) * 20 + (1, 2, 3)), last_review_day=None if new else rng.randint(0, 90))


def ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def machine_speed() -> float:
    """CPU milliseconds for a fixed piece of pure Python, the best of five."""
    times = []
    for _ in range(5):
        started = time.process_time()
        sum(range(10**6))
        times.append(time.process_time() - started)
    return ms(min(times))


def timed(search, rows) -> tuple[float, float, list[int]]:
    """Wall and CPU seconds of one filter, and what it found."""
    wall, cpu = time.perf_counter(), time.process_time()
    found = search.filter(rows)
    return time.perf_counter() - wall, time.process_time() - cpu, found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    started = time.perf_counter()
    rows = [card_facts(rng) for _ in range(args.cards)]
    build = time.perf_counter() - started

    tracemalloc.start()
    parse_search("a").filter(rows)
    cache_bytes = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()

    figures, machine = {}, [machine_speed()]
    for text in SEARCHES:
        search = parse_search(text)
        search_tree._FOLDED.clear()
        cold = timed(search, [replace(facts) for facts in rows])[0]
        rebuilt = timed(search, [replace(facts) for facts in rows])[0]
        search.filter(rows)
        runs = [timed(search, rows) for _ in range(args.runs)]
        started = time.perf_counter()
        plain = [i for i, facts in enumerate(rows) if search.matches(facts)]
        plain_time = time.perf_counter() - started
        assert all(found == plain for _, _, found in runs), text
        machine.append(machine_speed())
        figures[text] = {
            "warm_ms": ms(statistics.median(wall for wall, _, _ in runs)),
            "warm_cpu_ms": ms(min(cpu for _, cpu, _ in runs)), "rebuilt_ms": ms(rebuilt),
            "cold_ms": ms(cold), "plain_ms": ms(plain_time), "found": len(plain)}
        print(f"{text:<86}" + "".join(f"{key[:-3]} {value:7.1f}  " for key, value in
                                      figures[text].items() if key != "found")
              + f"{len(plain):6} cards")
    worst = max(figures, key=lambda text: figures[text]["warm_ms"])
    print(json.dumps({
        "cards": args.cards, "worst_warm_ms": figures[worst]["warm_ms"], "worst_search": worst,
        "worst_warm_cpu_ms": max(f["warm_cpu_ms"] for f in figures.values()),
        "worst_rebuilt_ms": max(f["rebuilt_ms"] for f in figures.values()),
        "worst_cold_ms": max(f["cold_ms"] for f in figures.values()),
        "worst_plain_ms": max(f["plain_ms"] for f in figures.values()),
        "build_ms": ms(build), "machine_ms": statistics.median(machine),
        "cache_mb": round(cache_bytes / 2**20, 1), "searches": figures}, ensure_ascii=False))


if __name__ == "__main__":
    main()
