"""What a person waits for in the window, with a big collection and with a new one.

    .venv/bin/python benchmarks/gui_bench.py [--cards N] [--folder DIR] [--keep]

Builds a data folder of N cards with 10 reviews each, in decks of 10,000 cards (the last one
smaller), by writing the journal lines directly in the app's event format, as the app would have
written them over months of study, then letting the app make its snapshot by opening and closing
it once. The folder is kept as DIR/<N>-cards (DIR defaults to a folder in the system's temporary
folder), so a second run with the same N skips the build; delete it to build again. Nothing below
changes it: starts that only look write nothing, and grading and editing happen in a copy, which
is deleted at the end like the empty folder (--keep leaves both). Each card's last review is one
to two months old, and it is due somewhere between a week ago and three months ahead. The daily
review limit is raised to 1,000 in that folder (the `reviews_per_day` setting, which the core has
but the window does not offer yet): at the default 200, no deck could give the 330 cards timed.

Each figure is measured on the N-card folder and on an empty folder (a new person's: the two
bundled decks a first start adds), on the real app started as a separate process, the way the
`flashcards` command starts it (flashcards.cli.main), from compiled bytecode as an installed app
has it. The window is drawn on Qt's offscreen platform: the same widgets, layout and raster
painting as on a desktop, only the last copy of the finished picture to a real screen is left
out, which is honest enough for these figures.

  painted_empty_s / painted_s   process start to the deck list's first paint with its rows:
        the timer starts in this process just before Popen; in the child, an event filter on the
        QApplication (installed the moment the app creates it) waits for the first Paint event of
        the deck table's viewport once the table's model has its rows, and the moment after that
        paint is done (a zero timer after it) is printed on the system's monotonic clock, which
        both processes share. Median of 5 each, the two folders taken in turn, after one start of
        each that is not counted (so both have their files in the operating system's cache).
        The filter sees every event until then, at a few microseconds each: a millisecond or two.
  rss_empty_mb / rss_mb         the app's resident memory (VmRSS in /proc/<pid>/status, read from
        this process) 3 s after start, with the window painted and idle.
  decks_json_empty_s / decks_json_s   the whole `flashcards --data-dir DIR decks --json` command,
        process start to exit, median of 5 each, in turn.
  next_card_p50_ms / next_card_p99_ms   from a grade to the next card on screen, in the
        10,000-card deck of the N-card folder (skipped below 10,000 cards): the same child opens
        the window, selects that deck and presses Enter; then for 330 cards it presses Space,
        waits for the answer to be painted, presses 3 (Good) and times from that key press to the
        moment the card view has been painted again with the next question. Keys go through
        QTest to the window's QWindow, so they reach whatever has the focus, as a person's keys
        do. The first 30 are not counted. Grades are saved (fsync included) as always, in a copy
        of the folder, so the kept folder stays as built.
  edit_append_bytes             journal bytes appended for one edited card (Collection.edit_card
        on a card of the 10,000-card deck, in the same copy): one card_edited event.
  cards / reviews               what the built folder holds (the bundled decks' 38 cards, never
        reviewed, not counted).

Targets (printed beside the figures, not asserted) are set for 100,000 cards: painted_s at most
1.3 x painted_empty_s, rss_mb at most 120, decks_json_s at most 2 x decks_json_empty_s,
next_card_p99_ms at most 10, edit_append_bytes at most 2048; and for 1,000,000 cards: painted_s
at most 0.6 s, rss_mb at most 400. The last line printed is the figures as JSON.
"""

from __future__ import annotations

import argparse
import compileall
import dataclasses
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flashcards.core.collection import Collection  # noqa: E402
from flashcards.core.events import EVENT_VERSION  # noqa: E402

DEVICE = "desk"
CARDS_PER_DECK = 10_000
REVIEWS_PER_CARD = 10
TIMED_DECK = "bench-001"
REVIEWS_PER_DAY = 1000
RUNS = 5
RSS_AFTER_S = 3.0
WARM_UP_CARDS = 30
TIMED_CARDS = 300
# Days between a card's ten reviews, stretched or shrunk a little for each card.
GAPS_DAYS = (1, 2, 4, 7, 12, 18, 26, 36, 50)
WORDS = ("river stone light paper window garden silver morning question answer history "
         "language number colour animal winter summer city mountain music").split()
# Where the N-card folders are kept, unless --folder says otherwise: browser_bench.py and
# search_bench.py open the same ones.
BUILT_FOLDERS = Path(tempfile.gettempdir()) / "flashcards-gui-bench"

# The child process: the app as `flashcards --data-dir FOLDER` starts it, with an event filter
# that notices the deck list's first paint, then (by mode) quits, waits to be told to quit, or
# studies a deck and times each grade.
PROBE = r'''
import json, sys, time
from PySide6.QtCore import QEvent, QObject, QSocketNotifier, QTimer
from PySide6.QtWidgets import QApplication
import flashcards.gui.app as gui_app
from flashcards import cli

mode, folder, deck_id = sys.argv[1], sys.argv[2], sys.argv[3]
warm_up, timed = int(sys.argv[4]), int(sys.argv[5])
kept = []


class FirstDeckListPaint(QObject):
    def eventFilter(self, watched, event):
        if (event.type() == QEvent.Type.Paint
                and watched.objectName() == "qt_scrollarea_viewport"):
            table = watched.parent()
            if table.objectName() == "deckTable" and table.model().rowCount():
                QApplication.instance().removeEventFilter(self)
                QTimer.singleShot(0, lambda: painted(table))  # runs once the paint is done
        return False


class ProbedApplication(QApplication):
    def __init__(self, argv):
        super().__init__(argv)
        kept.append(FirstDeckListPaint())
        self.installEventFilter(kept[-1])


def painted(table):
    print("painted %.6f %d" % (time.monotonic(), table.model().rowCount()), flush=True)
    app = QApplication.instance()
    if mode == "paint":
        app.quit()
    elif mode == "rss":
        kept.append(QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read, app))
        kept[-1].activated.connect(app.quit)
    else:
        try:
            result = study(table.window())
        except Exception as error:
            result = {"error": str(error)}
        print("graded " + json.dumps(result), flush=True)
        app.quit()


class Paints(QObject):
    """Counts the Paint events of one widget."""
    count = 0

    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def study(window):
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from flashcards.core.review import Screen

    app = QApplication.instance()
    keys, page = window.windowHandle(), window.review_page
    window.deck_page.select_deck(deck_id)
    QTest.keyClick(keys, Qt.Key.Key_Return)
    if page.session is None or page.session.deck_id != deck_id:
        return {"error": "Enter on the deck list did not open the deck"}
    paints = Paints()
    page.card_view.viewport().installEventFilter(paints)

    def press_and_wait(key, screen):
        shown, before = page.session.card.id, paints.count
        # The window takes a press stamped with the very millisecond of the same key's release
        # for a held key repeating (as X11 sends one), and QTest's stamps can meet like that.
        time.sleep(0.002)
        began = time.perf_counter()
        QTest.keyClick(keys, key)
        deadline = began + 10
        while not (paints.count > before and page.screen is screen
                   and (screen is Screen.ANSWER or page.session.card.id != shown)):
            app.processEvents()
            if time.perf_counter() > deadline:
                raise RuntimeError(f"no {screen.value} painted after {key!r}: {page.screen}")
        return time.perf_counter() - began

    took = []
    for number in range(warm_up + timed):
        if page.screen is not Screen.QUESTION:
            return {"error": f"the deck ran out of cards after {number}"}
        press_and_wait(Qt.Key.Key_Space, Screen.ANSWER)
        took.append(press_and_wait(Qt.Key.Key_3, Screen.QUESTION))
    return {"graded": page.session.reviewed, "seconds": took[warm_up:]}


gui_app.QApplication = ProbedApplication
sys.argv = ["flashcards", "--data-dir", folder]
sys.exit(cli.main())
'''


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=100_000)
    parser.add_argument("--folder", type=Path,
                        help="where the N-card folders are kept (default: a folder in the "
                             "system's temporary folder)")
    parser.add_argument("--keep", action="store_true",
                        help="also leave this run's empty folder and graded copy, for a look with jq")
    args = parser.parse_args()
    base = args.folder or BUILT_FOLDERS
    base.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="run-", dir=base))
    try:
        figures = run(base, work, args.cards)
    finally:
        if args.keep:
            log(f"this run's folders are in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    print_figures(figures)
    print(json.dumps(figures))


def run(base: Path, work: Path, cards: int) -> dict:
    # An installed app starts from compiled bytecode (pip writes it at install); a source checkout
    # may not have it yet, and PYTHONDONTWRITEBYTECODE would keep every start compiling again.
    compileall.compile_dir(ROOT / "flashcards", quiet=1)
    folder, build = built_folder(base, cards)
    empty = work / "empty"
    first_start(empty)  # a first start adds the bundled decks: what a new person sees
    log(f"the folder holds a journal of {build['journal_bytes'] / 2**20:.0f} MB and a snapshot of "
        f"{(folder / f'snapshot-{DEVICE}.json').stat().st_size / 2**20:.0f} MB")
    figures = {"build_s": build["build_s"], "next_card_p50_ms": None,
               "cards": build["cards"], "reviews": build["reviews"]}
    figures.update(painted_figures(empty, folder))
    figures.update(rss_figures(empty, folder))
    figures.update(decks_json_figures(empty, folder))
    figures.update(changes_figures(folder, work / "graded", cards))
    return figures


# -- the folders --------------------------------------------------------------------------------
def built_folder(base: Path, cards: int) -> tuple[Path, dict]:
    """The N-card folder, built unless a complete one is already there; and how it was built."""
    # Named by what the folder holds: one event per card since v5, a snapshot with the counting
    # digest since v6.
    folder, record = base / f"{cards}-cards-v6", base / f"{cards}-cards-v6.json"
    if record.exists() and folder.is_dir():
        build = json.loads(record.read_text())
        log(f"reusing {folder} (built in {build['build_s']} s)")
        return folder, build
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    log(f"building {cards:,} cards with {REVIEWS_PER_CARD} reviews each in {folder}")
    began = time.perf_counter()
    reviews = write_journal(folder, cards)
    journal_bytes = (folder / f"journal-{DEVICE}.jsonl").stat().st_size
    written = time.perf_counter() - began
    # A real collection's journal has long reached the disk; without this the first starts
    # would also wait for the kernel to write out what was just generated.
    os.sync()
    first_open_s = first_start(folder)
    build = {"cards": cards, "reviews": reviews, "build_s": round(time.perf_counter() - began, 1),
             "journal_written_s": round(written, 1), "first_open_s": round(first_open_s, 1),
             "journal_bytes": journal_bytes}
    os.sync()
    record.write_text(json.dumps(build) + "\n")
    log(f"built in {build['build_s']} s: journal of {journal_bytes / 2**20:.0f} MB written in "
        f"{build['journal_written_s']} s, then the app's first start (every line read, the "
        f"snapshot written) took {build['first_open_s']} s")
    return folder, build


def first_start(folder: Path) -> float:
    """Open the window once and close it: the app adds the bundled decks, writes its snapshot."""
    folder.mkdir(parents=True, exist_ok=True)
    began = time.monotonic()
    child = start_probe("paint", folder)
    wait_for_paint(child)
    finish(child)
    return time.monotonic() - began


def write_journal(folder: Path, cards: int) -> int:
    """Every deck, then every review in time order, as lines the app would have written."""
    rng = random.Random(7)
    now = datetime.now(timezone.utc)
    plans = [card_plan(rng, number, int(now.timestamp() * 1e6)) for number in range(cards)]
    start = min(plan.first for plan in plans) - timedelta(hours=1) if plans else now
    seq = 0
    with open(folder / f"journal-{DEVICE}.jsonl", "w", encoding="utf-8") as journal:
        for number, first in enumerate(range(0, cards, CARDS_PER_DECK), start=1):
            # As the app writes an imported deck: the deck, then one event per card.
            seq += 1
            deck = deck_json(rng, number, plans[first:first + CARDS_PER_DECK])
            journal.write(line(event(seq, start, "deck_created", deck=deck["id"],
                                     name=deck["name"], kind="basic", description="",
                                     revision=1)))
            for card in deck["cards"]:
                seq += 1
                journal.write(line(event(seq, start, "card_added", card=card.pop("id"),
                                         deck=deck["id"], **card, tags=[])))
        seq += 1
        journal.write(line(event(seq, start, "setting", key="reviews_per_day",
                                 value=REVIEWS_PER_DAY)))
        first_grade = seq + 1
        for seq, (card, k) in enumerate(reviews_in_time_order(plans), start=first_grade):
            text = grade_line(rng, seq, plans[card], k)
            if seq == first_grade:
                check_format(text)
            journal.write(text)
    return cards * REVIEWS_PER_CARD


def check_format(text: str) -> None:
    """A grade line written from the template must be the line the app's own json.dumps writes."""
    if line(json.loads(text)) != text:
        raise SystemExit(f"the grade template no longer matches the app's lines: {text}")


@dataclasses.dataclass
class CardPlan:
    """One card's ten reviews: their times (microseconds since 1970, for sorting), and the text of
    those times and of the due date after the last one, as the events write them."""
    card: str
    deck: str
    times: list[int]
    moments: list[str]
    stabilities: list[str]
    difficulty: str

    @property
    def first(self) -> datetime:
        return datetime.fromtimestamp(self.times[0] / 1e6, timezone.utc)


def card_plan(rng: random.Random, number: int, now_us: int) -> CardPlan:
    day = 86_400_000_000
    last = now_us - int(rng.uniform(8, 60) * day)
    stretch = rng.uniform(0.8, 1.2)
    times = [last]
    for gap in reversed(GAPS_DAYS):
        times.append(times[-1] - int(gap * stretch * day))
    times.reverse()
    due = now_us + int(rng.uniform(-7, 93) * day)
    ends = times[1:] + [due]
    stabilities = [repr(round((end - begin) / day, 4)) for begin, end in zip(times, ends)]
    deck = deck_id(number // CARDS_PER_DECK + 1)
    return CardPlan(f"{deck}-{number:07d}", deck, times, [utc(t) for t in times + [due]],
                    stabilities, repr(round(rng.uniform(3, 8), 4)))


def reviews_in_time_order(plans: list[CardPlan]) -> Iterator[tuple[int, int]]:
    """(card number, review number) of every review, oldest first."""
    assert len(plans) < 1 << 20, "card numbers take 20 bits of the sort key"
    keys = sorted(t << 24 | card << 4 | k for card, plan in enumerate(plans)
                  for k, t in enumerate(plan.times))
    return ((key >> 4 & 0xFFFFF, key & 0xF) for key in keys)


def deck_json(rng: random.Random, number: int, plans: list[CardPlan]) -> dict:
    return {"id": deck_id(number), "name": f"Bench deck {number}", "kind": "basic",
            "revision": 1, "cards": [
                {"id": plan.card, "front": sentence(rng, 6, 12) + "?",
                 "back": sentence(rng, 8, 24)} for plan in plans]}


def deck_id(number: int) -> str:
    return f"bench-{number:03d}"


GRADE = ('{"v":%d,"id":"%032x","device":"%s","time":"%s","type":"grade","card":"%s","deck":"%s",'
         '"rating":%d,"phase_before":"%s","duration_ms":%d,"progress":{"phase":"review",'
         '"due":"%s","step":null,"stability":%s,"difficulty":%s,"last_review":"%s",'
         '"first_review":"%s","reps":%d,"lapses":0,"last_review_graded":"%s"},"seq":%d}\n')
RATINGS = (2, 3, 3, 3, 3, 4)


def grade_line(rng: random.Random, seq: int, plan: CardPlan, k: int) -> str:
    """A grade event's line, formatted as json.dumps writes it (see check_format)."""
    now = plan.moments[k]
    return GRADE % (EVENT_VERSION, rng.getrandbits(128), DEVICE, now, plan.card, plan.deck,
                    rng.choice(RATINGS), "review" if k else "new",
                    1500 + int(rng.random() * 18500), plan.moments[k + 1], plan.stabilities[k],
                    plan.difficulty, now, plan.moments[0], k + 1, now, seq)


def utc(micros: int) -> str:
    return (EPOCH + timedelta(microseconds=micros)).isoformat(timespec="microseconds") + "Z"


EPOCH = datetime(1970, 1, 1)


def event(seq: int, moment: datetime, event_type: str, /, **body) -> dict:
    return {"v": EVENT_VERSION, "id": random.getrandbits(128).to_bytes(16, "big").hex(),
            "device": DEVICE, "time": utc(int(moment.timestamp() * 1e6)), "type": event_type,
            **body, "seq": seq}


def line(value: dict) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n"


def sentence(rng: random.Random, low: int, high: int) -> str:
    return " ".join(rng.choices(WORDS, k=rng.randint(low, high))).capitalize()


# -- the child process --------------------------------------------------------------------------
def child_env() -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", FLASHCARDS_DEVICE_ID=DEVICE)
    env.pop("FLASHCARDS_DATA_DIR", None)
    return env


def start_probe(mode: str, folder: Path, deck_id: str = "", stdin=subprocess.DEVNULL,
                warm_up: int = 0, timed: int = 0) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", PROBE, mode, str(folder), deck_id, str(warm_up), str(timed)],
        stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
        env=child_env())


def wait_for_paint(child: subprocess.Popen) -> tuple[float, int]:
    """When the child painted its deck list (time.monotonic, which every process shares), and
    how many rows the list had."""
    words = child.stdout.readline().split()
    if not words or words[0] != "painted":
        child.kill()
        raise SystemExit(f"the window did not paint its deck list: {child.stderr.read()[-2000:]}")
    return float(words[1]), int(words[2])


def finish(child: subprocess.Popen) -> str:
    """Wait for the child to exit; what it printed after its first paint."""
    rest, errors = child.communicate()
    if child.returncode:
        raise SystemExit(f"the app exited with {child.returncode}: {errors[-2000:]}")
    return rest


# -- measuring ------------------------------------------------------------------------------------
def painted_once(folder: Path) -> tuple[float, int]:
    """Seconds from process start to the deck list painted, and the rows it had."""
    began = time.monotonic()  # the timer starts just before Popen
    child = start_probe("paint", folder)
    painted, rows = wait_for_paint(child)
    finish(child)
    return painted - began, rows


def painted_figures(empty: Path, folder: Path) -> dict:
    # Not counted: brings the files into the OS cache, as on a computer where the app was used.
    log(f"deck list rows at first paint: empty folder {painted_once(empty)[1]}, "
        f"N cards {painted_once(folder)[1]}")
    runs = {"empty": [], "full": []}
    for _ in range(RUNS):
        runs["empty"].append(painted_once(empty)[0])
        runs["full"].append(painted_once(folder)[0])
    log(f"painted, empty folder: {rounded(runs['empty'])}; N cards: {rounded(runs['full'])}")
    return {"painted_empty_s": round(statistics.median(runs["empty"]), 3),
            "painted_s": round(statistics.median(runs["full"]), 3)}


def rss_once(folder: Path) -> float:
    """MB resident RSS_AFTER_S after start (or at the first paint, if that comes later)."""
    began = time.monotonic()
    child = start_probe("rss", folder, stdin=subprocess.PIPE)
    painted = wait_for_paint(child)[0] - began
    time.sleep(max(0.0, began + RSS_AFTER_S - time.monotonic()))
    with open(f"/proc/{child.pid}/status") as status:
        kb = next(int(row.split()[1]) for row in status if row.startswith("VmRSS:"))
    finish(child)  # closes the child's standard input, and the app quits
    if painted > RSS_AFTER_S:
        log(f"the window painted only after {painted:.1f} s: memory read then")
    return round(kb / 1024, 1)


def rss_figures(empty: Path, folder: Path) -> dict:
    return {"rss_empty_mb": rss_once(empty), "rss_mb": rss_once(folder)}


def flashcards_command() -> list[str]:
    script = Path(sys.executable).with_name("flashcards")
    return [str(script)] if script.exists() else [sys.executable, "-m", "flashcards"]


def decks_json_once(folder: Path) -> float:
    args = flashcards_command() + ["--data-dir", str(folder), "decks", "--json"]
    began = time.monotonic()
    done = subprocess.run(args, capture_output=True, text=True, env=child_env(), cwd=ROOT)
    elapsed = time.monotonic() - began
    if done.returncode or not json.loads(done.stdout):
        raise SystemExit(f"flashcards decks --json failed: {done.stderr[-2000:]}")
    return elapsed


def decks_json_figures(empty: Path, folder: Path) -> dict:
    decks_json_once(empty), decks_json_once(folder)
    runs = {"empty": [], "full": []}
    for _ in range(RUNS):
        runs["empty"].append(decks_json_once(empty))
        runs["full"].append(decks_json_once(folder))
    log(f"decks --json, empty folder: {rounded(runs['empty'])}; N cards: {rounded(runs['full'])}")
    return {"decks_json_empty_s": round(statistics.median(runs["empty"]), 3),
            "decks_json_s": round(statistics.median(runs["full"]), 3)}


def changes_figures(folder: Path, copy: Path, cards: int) -> dict:
    """Grading and editing, in a copy of the folder so the kept one stays as built."""
    log("copying the folder to grade and edit in")
    shutil.copytree(folder, copy)
    os.sync()
    figures = {"next_card_p50_ms": None, "next_card_p99_ms": None}
    if cards >= CARDS_PER_DECK:
        figures.update(next_card_figures(copy))
    else:
        log(f"next card: skipped, the folder has fewer than {CARDS_PER_DECK:,} cards")
    figures["edit_append_bytes"] = edit_append_bytes(copy)
    return figures


def next_card_figures(folder: Path) -> dict:
    child = start_probe("grade", folder, TIMED_DECK, warm_up=WARM_UP_CARDS, timed=TIMED_CARDS)
    wait_for_paint(child)
    rest = finish(child)
    result = json.loads(next(row for row in rest.splitlines() if row.startswith("graded "))[7:])
    if "error" in result:
        raise SystemExit(f"next card: {result['error']}")
    took = result["seconds"]
    log(f"next card: {result['graded']} cards graded, the last {len(took)} timed")
    return {"next_card_p50_ms": ms(percentile(took, 50)),
            "next_card_p99_ms": ms(percentile(took, 99))}


def edit_append_bytes(folder: Path) -> int:
    """Journal bytes one edited card costs: Collection.edit_card on a card of the timed deck."""
    collection = Collection.open(folder, DEVICE)
    try:
        cards = collection.deck(TIMED_DECK).cards
        card = cards[len(cards) // 2]
        # Every journal file: the change may go into a new segment of it.
        before = sum(path.stat().st_size for path in collection.store.journal_paths())
        changes = collection.edit_card(card.id, back=card.back + " (edited)")
        appended = sum(path.stat().st_size for path in collection.store.journal_paths()) - before
    finally:
        collection.store.close()  # no snapshot: the copy is thrown away
    if changes.cards != {card.id}:
        raise SystemExit(f"the edit changed {sorted(changes.cards)}")
    log(f"edit: one card of {len(cards):,} changed, {appended:,} bytes appended")
    return appended


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def rounded(values: list[float]) -> list[float]:
    return [round(v, 3) for v in values]


# -- reporting ------------------------------------------------------------------------------------
def print_figures(f: dict) -> None:
    """The figures beside their targets, for a person to read."""
    print(f"\n{f['cards']:,} cards, {f['reviews']:,} reviews (folder built in {f['build_s']} s)")
    size = "" if f["cards"] == 100_000 else f"; this run has {f['cards']:,}"
    print(f"{'':20}{'empty':>10}{'N cards':>12}   target at 100,000 cards{size}")
    target_row("deck list painted", f["painted_empty_s"], f["painted_s"], "s",
               1.3 * f["painted_empty_s"], "1.3 x empty")
    target_row("memory after 3 s", f["rss_empty_mb"], f["rss_mb"], "MB", 120)
    target_row("decks --json", f["decks_json_empty_s"], f["decks_json_s"], "s",
               2 * f["decks_json_empty_s"], "2 x empty")
    target_row("grade to next, p50", None, f["next_card_p50_ms"], "ms", None)
    target_row("grade to next, p99", None, f["next_card_p99_ms"], "ms", 10)
    target_row("one card edited", None, f["edit_append_bytes"], "B", 2048)
    print(f"{'':20}{'':>10}{'':>12}   target at 1,000,000 cards, against this run")
    target_row("deck list painted", None, f["painted_s"], "s", 0.6)
    target_row("memory after 3 s", None, f["rss_mb"], "MB", 400)


def target_row(name: str, empty, full, unit: str, limit: float | None, how: str = "") -> None:
    shown = "skipped" if full is None else f"{full:,} {unit}"
    line = f"  {name:18}{'' if empty is None else f'{empty} {unit}':>10}{shown:>12}"
    if limit is not None:
        verdict = "n/a" if full is None else "met" if full <= limit else "NOT met"
        line += f"   <= {how + ' = ' if how else ''}{round(limit, 3):,} {unit}: {verdict}"
    print(line)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
