"""How the store copes with years of study: 100,000 cards and 1,000,000 reviews on two devices.

    .venv/bin/python benchmarks/store_bench.py [--cards N] [--reviews N] [--folder DIR] [--keep]
                                               [--one-file]

Builds the collection by writing two devices' journals directly (as the app would have written
them over the years, in segments; with --one-file, each journal as the one file an app from
before segments wrote), then measures, each start-up in a fresh Python process:
  startup_s        process start to every deck's counts computed, snapshot present (median of 5),
                   from compiled bytecode as an installed app starts
  cold_rebuild_s   the same with no snapshot: every journal replayed (and the snapshot rewritten)
  grade_p50_ms/p99_ms   Collection.grade() to durable, over 2,000 grades after 200 untimed ones
                   that warm the process up, in a fresh process as the app would be (the buttons' preview
                   is computed before the clock starts, as the window does while the card shows)
  append_p99_ms    the store's part of a grade alone: Store.append of an event of a grade's size
  fsync_p99_ms     a bare 200-byte append + fsync in the same folder: the disk's floor
                   The three are sampled in turn, each right after a card's preview (see grade_latency).
  rss_mb           resident memory after start-up; folder_mb: the data folder's size
The last line printed is the figures as JSON.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import random
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

from flashcards.core.clock import FakeClock  # noqa: E402
from flashcards.core.collection import Collection  # noqa: E402
from flashcards.core.events import EVENT_VERSION  # noqa: E402
from flashcards.core.journal import SEGMENT_BYTES  # noqa: E402
from flashcards.core.journal_files import journal_name  # noqa: E402
from flashcards.core.progress import Rating  # noqa: E402

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=timezone.utc)
DEVICES = ("desk", "laptop")
# Grades made before timing starts, as in any study session: the first ones after start-up also
# pay for the interpreter and the caches warming up, a one-off cost unrelated to saving a grade.
WARM_UP = 200
CARDS_PER_DECK = 2000
WORDS = ("river stone light paper window garden silver morning question answer history "
         "language number colour animal winter summer city mountain music").split()

# Timed by the parent from Popen to the "ready" line: what the deck list needs at start-up.
STARTUP = """
import sys
from pathlib import Path
from flashcards.core.collection import Collection
collection = Collection.open(Path(sys.argv[1]), "desk")
counts = [collection.counts(deck.id).total for deck in collection.decks()]
sys.stdout.write("ready %d %d\\n" % (len(counts), sum(counts)))
sys.stdout.flush()
rss = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmRSS"))
sys.stdout.write("rss %d\\n" % rss)
sys.stdout.flush()
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=100_000)
    parser.add_argument("--reviews", type=int, default=1_000_000)
    parser.add_argument("--grades", type=int, default=2_000)
    parser.add_argument("--folder", type=Path, help="where to build it (default: a temporary folder)")
    parser.add_argument("--keep", action="store_true", help="leave the folder for a look with jq")
    parser.add_argument("--one-file", action="store_true",
                        help="write each journal as one file, as before segments")
    parser.add_argument("--measure-grades", type=Path, metavar="FOLDER", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure_grades:
        # The child process that grades: a fresh interpreter, like the app's, not this one that
        # has just generated a million reviews.
        print(json.dumps(grade_latency(args.measure_grades, args.grades)))
        return
    folder = args.folder or Path(tempfile.mkdtemp(prefix="flashcards-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        figures = run(folder, args.cards, args.reviews, args.grades, args.one_file)
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    print(json.dumps(figures))


def run(folder: Path, cards: int, reviews: int, grades: int, one_file: bool = False) -> dict:
    started = time.perf_counter()
    write_journals(folder, cards, reviews, None if one_file else SEGMENT_BYTES)
    # A real collection's years of journals are long on disk; without this the first grades would
    # also wait for the kernel to write out the half gigabyte just generated.
    os.sync()
    log(f"journals written in {time.perf_counter() - started:.1f}s")
    figures = {"cards": cards, "reviews": reviews,
               "journal_files": len(list(folder.glob("journal-*.jsonl")))}
    # An installed app starts from compiled bytecode (pip writes it at install); a source checkout
    # may not have it yet, and PYTHONDONTWRITEBYTECODE would keep every start compiling again.
    compileall.compile_dir(ROOT / "flashcards", quiet=1)
    figures["cold_rebuild_s"] = round(start_up(folder)[0], 3)
    log(f"cold rebuild {figures['cold_rebuild_s']}s")
    runs = [start_up(folder) for _ in range(5)]
    figures["startup_s"] = round(statistics.median(r[0] for r in runs), 3)
    figures["startup_runs_s"] = [round(r[0], 3) for r in runs]
    figures["rss_mb"] = round(max(r[1] for r in runs), 1)
    log(f"start-up {figures['startup_runs_s']}")
    os.sync()  # the start-ups above rewrote the snapshot: let that reach the disk first
    figures.update(grade_latency_in_child(folder, grades))
    figures["folder_mb"] = round(sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
                                 / 2**20, 1)
    figures["grade_p99_over_fsync_p99"] = round(figures["grade_p99_ms"] / figures["fsync_p99_ms"], 2)
    return figures


# -- building the collection ------------------------------------------------------------------
class SegmentedJournal:
    """One device's journal written as the app writes it: a new segment once one is full."""

    def __init__(self, folder: Path, device: str, segment_bytes: int | None) -> None:
        self.folder, self.device, self.limit = folder, device, segment_bytes
        self.part, self.size = 1, 0
        self.handle = open(folder / journal_name(device), "wb")

    def write(self, text: str) -> None:
        data = text.encode()
        if self.limit and self.size and self.size + len(data) > self.limit:
            self.handle.close()
            self.part, self.size = self.part + 1, 0
            self.handle = open(self.folder / journal_name(self.device, self.part), "wb")
        self.handle.write(data)
        self.size += len(data)

    def close(self) -> None:
        self.handle.close()


def write_journals(folder: Path, cards: int, reviews: int, segment_bytes: int | None) -> None:
    rng = random.Random(7)
    card_ids = [f"deck{i // CARDS_PER_DECK:03d}-{i:08x}" for i in range(cards)]
    journals = {device: SegmentedJournal(folder, device, segment_bytes) for device in DEVICES}
    seq = 0
    start = NOW - timedelta(days=3 * 365)
    for first in range(0, cards, CARDS_PER_DECK):
        seq += 1
        deck_id = card_ids[first].split("-")[0]
        deck = {"id": deck_id, "name": f"Deck {first // CARDS_PER_DECK + 1}", "kind": "basic",
                "revision": 1, "cards": [
                    {"id": card_id, "front": sentence(rng, 6, 12) + "?", "back": sentence(rng, 8, 24)}
                    for card_id in card_ids[first:first + CARDS_PER_DECK]]}
        write(journals["desk"], event(seq, "desk", start, "deck", deck=deck))
    # Most cards have been studied; a few are still new. Reviews are spread over three years.
    studied = card_ids[: int(cards * 0.9)]
    per_card = {card_id: 0 for card_id in studied}
    times = sorted(rng.uniform(0, 1) for _ in range(reviews))
    span = (NOW - start).total_seconds()
    state: dict[str, dict] = {}
    for fraction in times:
        seq += 1
        card_id = rng.choice(studied)
        per_card[card_id] += 1
        moment = start + timedelta(seconds=fraction * span)
        device = DEVICES[rng.random() < 0.4]
        previous = state.get(card_id)
        progress = next_progress(rng, previous, moment)
        state[card_id] = progress
        write(journals[device], event(
            seq, device, moment, "grade", card=card_id, deck=card_id.split("-")[0],
            rating=int(rng.choice((Rating.AGAIN, Rating.GOOD, Rating.GOOD, Rating.GOOD, Rating.EASY))),
            phase_before=previous["phase"] if previous else "new",
            duration_ms=rng.randint(1500, 20000), progress=progress))
    for handle in journals.values():
        handle.close()


def next_progress(rng: random.Random, previous: dict | None, moment: datetime) -> dict:
    stability = (previous or {}).get("stability") or 1.0
    stability = min(stability * rng.uniform(1.5, 3.0), 3650.0)
    interval = timedelta(days=stability * rng.uniform(0.9, 1.1))
    when = text(moment)
    return {"phase": "review" if previous else "learning", "due": text(moment + interval),
            "step": None if previous else 1, "stability": round(stability, 4),
            "difficulty": round(rng.uniform(3, 8), 4), "last_review": when,
            "first_review": (previous or {}).get("first_review") or when,
            "reps": (previous or {}).get("reps", 0) + 1, "lapses": 0,
            "last_review_graded": when if previous else None}


def event(seq: int, device: str, moment: datetime, kind: str, **body) -> dict:
    return {"v": EVENT_VERSION, "id": random.getrandbits(128).to_bytes(16, "big").hex(),
            "device": device, "time": text(moment), "type": kind, **body, "seq": seq}


def write(handle, value: dict) -> None:
    handle.write(json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n")


def text(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def sentence(rng: random.Random, low: int, high: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high))).capitalize()


# -- measuring --------------------------------------------------------------------------------
def start_up(folder: Path) -> tuple[float, float]:
    """Seconds from spawning a fresh interpreter to every deck's counts, and its memory in MB."""
    began = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", STARTUP, str(folder)],
                             stdout=subprocess.PIPE, text=True, cwd=ROOT)
    ready = child.stdout.readline()
    elapsed = time.perf_counter() - began
    rss = child.stdout.readline()
    child.wait()
    if not ready.startswith("ready") or child.returncode:
        raise SystemExit(f"start-up failed: {ready!r}")
    return elapsed, int(rss.split()[1]) / 1024


def grade_latency_in_child(folder: Path, grades: int) -> dict:
    child = subprocess.run([sys.executable, __file__, "--measure-grades", str(folder),
                            "--grades", str(grades)], capture_output=True, text=True, check=True)
    return json.loads(child.stdout.splitlines()[-1])


def grade_latency(folder: Path, grades: int) -> dict:
    """Grades, the store's append alone, and the bare-fsync floor, sampled in turn.

    Each timed operation comes right after a card's preview, as a grade does in the app. A bare
    append timed straight after another fsync (as the floor once was) comes out about a fifth
    quicker than the same append after some work, which would compare the grade to a floor it
    never stands on.
    """
    clock = FakeClock(NOW)
    collection = Collection.open(folder, "desk", clock=clock, tz=timezone.utc)
    rng = random.Random(11)
    deck_ids = [deck.id for deck in collection.decks()]
    floor_path = folder / "fsync-floor.bin"
    floor_fd = os.open(floor_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    took, appends, floor = [], [], []
    try:
        for number in range(WARM_UP + 3 * grades):
            card_id = rng.choice(collection.deck(rng.choice(deck_ids)).cards).id
            collection.preview(card_id)
            clock.advance(seconds=8)
            turn = (number - WARM_UP) % 3 if number >= WARM_UP else None
            if turn == 1:
                floor.append(bare_append(floor_fd))
            elif turn == 2:
                appends.append(store_append(collection))
            began = time.perf_counter()
            collection.grade(card_id, Rating.GOOD, duration_ms=8000)
            if turn == 0:
                took.append(time.perf_counter() - began)
    finally:
        os.close(floor_fd)
        floor_path.unlink()
    collection.store.close()  # no snapshot rewrite: start-up figures stay about the same folder
    return {"grade_p50_ms": ms(percentile(took, 50)), "grade_p99_ms": ms(percentile(took, 99)),
            "append_p50_ms": ms(percentile(appends, 50)), "append_p99_ms": ms(percentile(appends, 99)),
            "fsync_p50_ms": ms(percentile(floor, 50)), "fsync_p99_ms": ms(percentile(floor, 99))}


def store_append(collection: Collection) -> float:
    """The store's share of a grade alone: an event like a grade's, appended and made durable.

    A setting the app does not read, so the collection's state stays as the grades left it."""
    event = {"v": EVENT_VERSION, "id": os.urandom(16).hex(), "device": "desk",
             "time": text(collection.clock.now()), "type": "setting",
             "key": "benchmark_padding", "value": "x" * 380, "seq": 0}
    began = time.perf_counter()
    collection.store.append(event)
    return time.perf_counter() - began


def bare_append(fd: int) -> float:
    """The physical floor: a 200-byte append made durable, in seconds."""
    began = time.perf_counter()
    os.write(fd, b"x" * 199 + b"\n")
    os.fsync(fd)
    return time.perf_counter() - began


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def ms(seconds: float) -> float:
    return round(seconds * 1000, 3)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
