"""How long importing a large Anki package takes here, next to Anki itself importing it.

Builds a package of 10,000 notes with the official `anki` library (Basic, reversed and cloze notes
in a few subdecks, some with review history), then times, in one run:
  - ours: reading the package and importing it into a fresh collection in a temporary data folder
    (opened before the clock starts and closed after it stops, as Anki's collection is; the
    snapshot written at close is printed apart);
  - Anki: importing the same package into a fresh Anki collection.
Prints both times and their ratio; the last line is JSON for scripts. With --repeat, both sides
import the same package that many times, alternating, each into a fresh collection, and the
medians are printed: on a busy machine one run can be off by half.

    python benchmarks/import_bench.py [--notes 10000] [--reviewed 1000] [--legacy] [--repeat 1]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from anki.collection import (AddNoteRequest, Collection as AnkiCollection,
                             ExportAnkiPackageOptions, ImportAnkiPackageOptions,
                             ImportAnkiPackageRequest)

from flashcards.core.collection import Collection
from flashcards.formats.apkg import read


def build_package(folder: Path, notes: int, reviewed: int, legacy: bool) -> Path:
    col = _new_anki_collection(folder / "source")
    decks = [col.decks.id(f"Benchmark::Part {index}") for index in range(1, 6)]
    kinds = [col.models.by_name(name) for name in ("Basic", "Basic (and reversed card)", "Cloze")]
    requests = []
    for index in range(notes):
        note_type = kinds[0] if index % 10 < 7 else kinds[1] if index % 10 < 9 else kinds[2]
        note = col.new_note(note_type)
        if note_type is kinds[2]:
            note["Text"] = f"Item {index}: {{{{c1::answer {index}}}}} and {{{{c2::more {index}}}}}"
        else:
            note["Front"], note["Back"] = f"<b>Question</b> {index}", f"Answer {index}"
        note.tags = [f"group{index % 20}"]
        requests.append(AddNoteRequest(note=note, deck_id=decks[index % len(decks)]))
    col.add_notes(requests)
    _answer_some(col, reviewed)
    package = folder / "benchmark.apkg"
    col.export_anki_package(out_path=str(package), limit=None, options=ExportAnkiPackageOptions(
        with_scheduling=True, with_deck_configs=False, with_media=True, legacy=legacy))
    col.close()
    return package


def _new_anki_collection(folder: Path) -> AnkiCollection:
    folder.mkdir(parents=True, exist_ok=True)
    return AnkiCollection(str(folder / "collection.anki2"))


def _answer_some(col: AnkiCollection, count: int) -> None:
    """Give `count` cards a short history (Good, then Good or Again) through Anki's scheduler."""
    for position, card_id in enumerate(col.find_cards("")[:count]):
        for ease in (3, 1 if position % 4 == 0 else 3):
            card = col.get_card(card_id)
            card.start_timer()
            col.sched.answerCard(card, ease)


def time_ours(package: Path, folder: Path) -> tuple[float, float, float, int]:
    """Seconds reading the package, then importing it (saved to the journal, fsynced), then closing
    the collection (writing its snapshot); and cards added.

    Timed like Anki's side: the collection is already open when the clock starts, and closing it
    is reported apart, since Anki's time does not include opening or closing its collection.
    """
    with Collection.open(folder / "ours", "bench") as collection:
        started = time.perf_counter()
        imported = read(package)
        read_at = time.perf_counter()
        results = collection.import_decks(imported).results
        imported_at = time.perf_counter()
    closed_at = time.perf_counter()
    return (read_at - started, imported_at - read_at, closed_at - imported_at,
            sum(r.added for r in results))


def time_anki(package: Path, folder: Path) -> tuple[float, int]:
    col = _new_anki_collection(folder / "anki")
    started = time.perf_counter()
    col.import_anki_package(ImportAnkiPackageRequest(
        package_path=str(package), options=ImportAnkiPackageOptions(with_scheduling=True)))
    elapsed = time.perf_counter() - started
    cards = col.card_count()
    col.close()
    return elapsed, cards


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=10_000)
    parser.add_argument("--reviewed", type=int, default=1_000,
                        help="cards given a review history before export")
    parser.add_argument("--legacy", action="store_true", help="export the legacy layout")
    parser.add_argument("--repeat", type=int, default=1,
                        help="import the package this many times a side and print the medians")
    args = parser.parse_args(argv)
    ours_runs, anki_runs = [], []
    with tempfile.TemporaryDirectory(prefix="flashcards-bench-") as name:
        folder = Path(name)
        package = build_package(folder, args.notes, args.reviewed, args.legacy)
        for run in range(max(args.repeat, 1)):
            ours_runs.append(time_ours(package, folder / f"run{run}"))
            anki_runs.append(time_anki(package, folder / f"run{run}"))
    reading, importing, closing = (statistics.median(times) for times in
                                   zip(*(run[:3] for run in ours_runs)))
    ours = statistics.median(run[0] + run[1] for run in ours_runs)
    anki = statistics.median(run[0] for run in anki_runs)
    our_cards, anki_cards = ours_runs[0][3], anki_runs[0][1]
    print(f"package: {args.notes} notes, {anki_cards} cards, "
          f"{'legacy' if args.legacy else 'latest'} layout"
          + (f"; medians of {len(ours_runs)} runs" if len(ours_runs) > 1 else ""))
    print(f"ours (read + import): {ours:.2f} s for {our_cards} cards "
          f"(read {reading:.2f} s, import {importing:.2f} s); closing afterwards, which writes "
          f"the snapshot: {closing:.2f} s")
    print(f"Anki (import):        {anki:.2f} s for {anki_cards} cards")
    print(f"ratio ours/Anki:      {ours / anki:.2f}")
    print(json.dumps({"notes": args.notes, "cards": anki_cards, "our_cards": our_cards,
                      "layout": "legacy" if args.legacy else "latest",
                      "ours_seconds": round(ours, 3), "ours_read_seconds": round(reading, 3),
                      "ours_import_seconds": round(importing, 3),
                      "ours_close_seconds": round(closing, 3), "anki_seconds": round(anki, 3),
                      "ratio": round(ours / anki, 3), "runs": len(ours_runs)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
