"""A journal written in segments: a closed segment never changes, so a sync tool that uploads whole
files sends only the last one again after a review. Tests make segments a few KB long."""

import json
import re
import shutil
from datetime import datetime, timezone
from pathlib import Path

import pytest
from collection_views import everything, open_collection, study

from flashcards.core import journal as journal_module
from flashcards.core.clock import FakeClock
from flashcards.core.deck import Card, Deck
from flashcards.core.store import Store

UTC = timezone.utc
SEGMENT = 4096
DEVICE_ID = re.compile(r"[A-Za-z0-9_.-]+")


@pytest.fixture(autouse=True)
def short_segments(monkeypatch):
    monkeypatch.setattr(journal_module, "SEGMENT_BYTES", SEGMENT, raising=False)


@pytest.fixture
def clock():
    return FakeClock(datetime(2025, 3, 3, 9, 0, tzinfo=UTC))


def words(count=60, deck_id="words"):
    return Deck(deck_id, deck_id.capitalize(),
                cards=[Card(f"{deck_id}-{i}", f"front {i}", f"back {i}") for i in range(count)])


def segments(folder, device="laptop"):
    """This device's journal files, oldest first: the first is the journal of before segments."""
    first = folder / f"journal-{device}.jsonl"
    rest = [p for p in folder.glob(f"journal-{device}*.jsonl")
            if p != first and not DEVICE_ID.fullmatch(p.name[len("journal-"):-len(".jsonl")])]
    return ([first] if first.exists() else []) + sorted(rest, key=lambda p: (len(p.name), p.name))


def forty_reviews(folder, clock):
    with open_collection(folder, clock) as collection:
        collection.import_deck(words())
        graded = study(collection, clock, [f"words-{i}" for i in range(40)])
        return graded, everything(collection)


def test_a_long_journal_is_written_in_segments_that_never_change_once_closed(tmp_path, clock):
    graded, _ = forty_reviews(tmp_path, clock)
    files = segments(tmp_path)
    assert len(files) >= 4, [p.name for p in files]
    assert files[0].name == "journal-laptop.jsonl"
    closed = {p: p.read_bytes() for p in files[:-1]}
    # One write is never split: the import of the deck, bigger than a segment, fills the first.
    assert b'"type":"grade"' not in closed[files[0]]
    assert all(len(data) <= SEGMENT for data in list(closed.values())[1:])
    with open_collection(tmp_path, clock) as collection:
        graded += study(collection, clock, [f"words-{i}" for i in range(40, 60)])
    assert {p: p.read_bytes() for p in closed} == closed, "closed segments never change"
    assert len(segments(tmp_path)) > len(files)
    lines = [json.loads(line) for p in segments(tmp_path) for line in p.read_bytes().splitlines()]
    assert sorted(e["id"] for e in lines if e["type"] == "grade") == sorted(graded)


def test_segment_names_are_not_device_ids_nor_copies(tmp_path, clock):
    forty_reviews(tmp_path, clock)
    later = [p.name for p in segments(tmp_path)[1:]]
    assert later
    for name in later:
        assert not DEVICE_ID.fullmatch(name[len("journal-"):-len(".jsonl")])
        with pytest.raises(ValueError):
            Store(tmp_path, name[len("journal-"):-len(".jsonl")])
    # Another computer whose id looks like a segment's name without its mark stays apart.
    with open_collection(tmp_path, clock, device="laptop.0002") as other:
        other.change_setting("new_per_day", 3)
    with open_collection(tmp_path, clock) as collection:
        assert collection.load_report.warnings == []
        assert collection.settings.new_per_day == 3
        assert len(collection.reviews()) == 40


def test_the_segments_add_up_to_the_same_collection_however_it_is_opened(tmp_path, clock):
    graded, seen = forty_reviews(tmp_path, clock)
    with open_collection(tmp_path, clock) as reopened:
        assert reopened.load_report.warnings == [] and not reopened.load_report.rebuilt
        assert everything(reopened) == seen
    (tmp_path / "snapshot-laptop.json").unlink()
    with open_collection(tmp_path, clock) as rebuilt:
        assert rebuilt.load_report.rebuilt
        assert everything(rebuilt) == seen
        assert sorted(r.id for r in rebuilt.reviews()) == sorted(graded)
    with open_collection(tmp_path, clock, read_only=True) as looking:
        assert everything(looking) == seen


def test_the_snapshot_records_how_far_each_segment_was_read(tmp_path, clock):
    forty_reviews(tmp_path, clock)
    header = json.loads((tmp_path / "snapshot-laptop.json").read_bytes())
    assert sorted(header["journals"]) == sorted(p.name for p in segments(tmp_path))
    for path in segments(tmp_path):
        entry = header["journals"][path.name]
        data = path.read_bytes()
        assert (entry["size"], entry["lines"]) == (len(data), data.count(b"\n"))


def test_another_computer_reads_segments_as_they_arrive(tmp_path, clock):
    laptop, desk = tmp_path / "laptop", tmp_path / "desk"
    with open_collection(laptop, clock) as collection:
        collection.import_deck(words())
    shutil.copytree(laptop, desk, ignore=shutil.ignore_patterns("snapshot-*", "backups", ".*"))
    window = open_collection(desk, clock, device="desk")
    graded = []
    for start in range(0, 40, 10):
        with open_collection(laptop, clock) as collection:
            graded += study(collection, clock, [f"words-{i}" for i in range(start, start + 10)])
        for path in segments(laptop):
            shutil.copy(path, desk / path.name)
        report = window.refresh()
        assert report.warnings == [] and not report.rebuilt
    assert len(segments(desk)) >= 4
    assert sorted(r.id for r in window.reviews()) == sorted(graded)
    with open_collection(laptop, clock, read_only=True) as original:
        assert everything(window, ["words-0"]) == everything(original, ["words-0"])
    window.close()


def test_todays_journal_is_read_as_the_first_segment_and_never_renamed(tmp_path):
    folder = tmp_path / "folder"
    shutil.copytree(Path(__file__).parent / "data" / "version-3-folder", folder)
    journal = folder / "journal-laptop.jsonl"
    before = journal.read_bytes()
    assert len(before) > SEGMENT
    clock = FakeClock(datetime(2026, 11, 24, 12, 0, tzinfo=UTC))
    with open_collection(folder, clock) as collection:
        deck = collection.decks()[0]
        graded = study(collection, clock, [deck.cards[0].id])
        assert len(collection.reviews()) == 134
    assert journal.read_bytes() == before, "never renamed, never written again"
    (newest,) = segments(folder)[1:]
    assert json.loads(newest.read_bytes().splitlines()[-1])["id"] == graded[0]


def test_a_closed_segment_of_another_computer_that_changes_is_noticed(tmp_path, clock):
    laptop, desk = tmp_path / "laptop", tmp_path / "desk"
    forty_reviews(laptop, clock)
    desk.mkdir()
    for path in segments(laptop):
        shutil.copy(path, desk / path.name)
    with open_collection(desk, clock, device="desk") as collection:
        assert len(collection.reviews()) == 40
    second = segments(desk)[1]
    lines = second.read_bytes().splitlines(keepends=True)
    second.write_bytes(b"".join(lines[:-1]))  # a sync tool brought an older version of it
    with open_collection(desk, clock, device="desk") as reopened:
        (warning,) = reopened.load_report.warnings
        assert second.name in warning and reopened.load_report.rebuilt
        assert len(reopened.reviews()) == 39


def test_this_computers_journal_put_back_a_segment_keeps_every_cards_progress(tmp_path, clock):
    _, seen = forty_reviews(tmp_path, clock)
    last = segments(tmp_path)[-1]
    last.unlink()  # an older copy of the folder, from before the last segment began
    with open_collection(tmp_path, clock) as reopened:
        (warning,) = reopened.load_report.warnings
        assert last.name in warning and "missing" in warning
        shown = everything(reopened)
        assert {k: v for k, v in shown.items() if k != "reviews"} == {
            k: v for k, v in seen.items() if k != "reviews"}
    (tmp_path / "snapshot-laptop.json").unlink()
    with open_collection(tmp_path, clock) as rebuilt:
        assert rebuilt.load_report.warnings == []
        assert {k: v for k, v in everything(rebuilt).items() if k != "reviews"} == {
            k: v for k, v in seen.items() if k != "reviews"}


def test_a_torn_last_line_is_cut_from_the_last_segment_only(tmp_path, clock):
    _, seen = forty_reviews(tmp_path, clock)
    files = segments(tmp_path)
    closed = {p: p.read_bytes() for p in files[:-1]}
    with open(files[-1], "ab") as handle:
        handle.write(b'{"v":2,"id":"abc","device":"laptop","ti')
    with open_collection(tmp_path, clock) as reopened:
        (warning,) = reopened.load_report.warnings
        assert files[-1].name in warning and "cut off by a crash" in warning
        assert everything(reopened) == seen
        study(reopened, clock, ["words-50"])
    assert {p: p.read_bytes() for p in closed} == closed
    for path in segments(tmp_path):
        for line in path.read_bytes().splitlines():
            json.loads(line)


def test_the_history_reads_every_segment_and_reports_damage_where_it_is(tmp_path, clock):
    graded, _ = forty_reviews(tmp_path, clock)
    second = segments(tmp_path)[1]
    lines = second.read_bytes().splitlines(keepends=True)
    lost = json.loads(lines[1])["id"]
    lines[1] = b"X" * (len(lines[1]) - 1) + b"\n"
    second.write_bytes(b"".join(lines))
    (tmp_path / "snapshot-laptop.json").unlink()
    with open_collection(tmp_path, clock) as reopened:
        (warning,) = reopened.load_report.warnings
        assert second.name in warning and "unreadable" in warning
        assert sorted(r.id for r in reopened.reviews()) == sorted(set(graded) - {lost})
