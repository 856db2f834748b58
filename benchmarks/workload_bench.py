"""How long planning a break and spreading a backlog take on a large collection.

Builds 100,000 cards' progress as years of study leave them (review cards with intervals from a
day to two years, due any day of their interval; a share of them overdue; a few in learning),
then times, each the median of --repeat runs (wall clock, and processor time beside it), what
the person waits for after pressing OK:
  break_s       plan_break for a --break-days break starting in three days, the cap by default
  backlog_s     spread_backlog of the overdue reviews over --backlog-days days
The cards the plans move, the cap and the lapses expected are printed beside the times. The last
line printed is the figures as JSON.

    python benchmarks/workload_bench.py [--cards 100000] [--break-days 14] [--backlog-days 7]
                                        [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flashcards.core.clock import study_day  # noqa: E402
from flashcards.core.progress import Phase, Progress  # noqa: E402
from flashcards.core.workload import plan_break, spread_backlog  # noqa: E402

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=timezone.utc)
ZONE = ZoneInfo("Europe/Berlin")
ROLLOVER = 4
INTERVALS = (1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377, 610)


def build_cards(count: int, seed: int = 7) -> dict[str, Progress]:
    rng = random.Random(seed)
    cards = {}
    for number in range(count):
        card_id = f"card{number:06d}"
        if number % 50 == 0:
            cards[card_id] = Progress(phase=Phase.LEARNING, due=NOW + timedelta(minutes=10),
                                      step=1, last_review=NOW - timedelta(minutes=5))
            continue
        # Weighted by length, as in a collection studied for years: most cards are mature.
        interval = rng.choices(INTERVALS, weights=INTERVALS)[0]
        # One review card in ten is overdue by up to a month: a backlog after time away.
        elapsed = interval + rng.uniform(0, 30) if number % 10 == 1 else rng.uniform(0, interval)
        last = NOW - timedelta(days=elapsed)
        cards[card_id] = Progress(phase=Phase.REVIEW, due=last + timedelta(days=interval),
                                  stability=interval * rng.uniform(0.8, 1.2), difficulty=5.0,
                                  last_review=last, reps=5)
    return cards


def timed(repeat: int, work):
    """The median wall-clock seconds, the median processor seconds (steadier on a busy
    machine), and the result."""
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        result = work()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cards", type=int, default=100_000)
    parser.add_argument("--break-days", type=int, default=14)
    parser.add_argument("--backlog-days", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    cards = build_cards(args.cards)
    today = study_day(NOW, ROLLOVER, ZONE)
    away_from = today + timedelta(days=3)
    away_until = away_from + timedelta(days=args.break_days - 1)
    break_s, break_cpu_s, plan = timed(args.repeat, lambda: plan_break(
        cards, away_from, away_until, NOW, ZONE, ROLLOVER, daily_limit=9999))
    backlog_s, backlog_cpu_s, backlog = timed(args.repeat, lambda: spread_backlog(
        cards, args.backlog_days, NOW, ZONE, ROLLOVER))

    before, after = sum(plan.due_before.values()), sum(plan.due_after.values())
    overdue = sum(backlog.per_day.values())
    print(f"cards: {len(cards)}")
    print(f"break of {args.break_days} days: {break_s * 1000:.0f} ms "
          f"({break_cpu_s * 1000:.0f} ms processor), {len(plan.moves)} moved "
          f"({before} before over {len(plan.due_before)} days, {after} after over "
          f"{len(plan.due_after)} days), cap {plan.cap}/day, "
          f"{plan.extra_reviews_expected:.1f} lapses expected")
    print(f"backlog over {args.backlog_days} days: {backlog_s * 1000:.0f} ms "
          f"({backlog_cpu_s * 1000:.0f} ms processor), {overdue} overdue, "
          f"{len(backlog.moves)} moved, {max(backlog.per_day.values())} a day at most")
    print(json.dumps({"cards": len(cards), "break_days": args.break_days,
                      "break_s": round(break_s, 4), "break_cpu_s": round(break_cpu_s, 4),
                      "break_moved": len(plan.moves),
                      "break_cap": plan.cap,
                      "extra_reviews_expected": round(plan.extra_reviews_expected, 1),
                      "backlog_days": args.backlog_days, "backlog_s": round(backlog_s, 4),
                      "backlog_cpu_s": round(backlog_cpu_s, 4),
                      "backlog_overdue": overdue, "backlog_moved": len(backlog.moves)}))


if __name__ == "__main__":
    main()
