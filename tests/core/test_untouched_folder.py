"""Opening and closing without a change leaves every file as it was: a collection writes its
snapshot only when something changed."""

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from flashcards.core.clock import FakeClock
from flashcards.core.collection import Collection
from flashcards.core.deck import Card, Deck
from flashcards.core.progress import Rating

UTC = timezone.utc


@pytest.fixture
def clock():
    return FakeClock(datetime(2025, 3, 3, 9, 0, tzinfo=UTC))


def words(count=10):
    return Deck("words", "Words", cards=[Card(f"w{i}", f"q{i}", f"a{i}") for i in range(count)])


def open_collection(folder, clock):
    return Collection.open(folder, "laptop", clock=clock, tz=UTC)


def study(collection, clock, *card_ids):
    for card_id in card_ids:
        collection.preview(card_id)
        clock.advance(seconds=5)
        collection.grade(card_id, Rating.GOOD)


def folder_state(folder: Path) -> dict:
    """Every file and folder under `folder`: its bytes (files), modification time and mode."""
    if not folder.exists():
        return {}
    state = {".": folder.stat().st_mtime_ns}
    for path in sorted(folder.rglob("*")):
        stat = path.stat()
        state[str(path.relative_to(folder))] = (
            path.read_bytes() if path.is_file() else None, stat.st_mtime_ns, stat.st_mode)
    return state


@pytest.fixture
def used(tmp_path, clock):
    """A folder used for a day: a deck, two grades, a snapshot and the day's backup."""
    with open_collection(tmp_path, clock) as collection:
        collection.import_deck(words())
        study(collection, clock, "w1", "w2")
    return tmp_path


# -- opening to change, and closing --------------------------------------------------------------

def test_opening_and_closing_without_a_change_leaves_every_file_as_it_was(used, clock):
    before = folder_state(used)
    clock.advance(days=1)  # a new day: still no backup, as nothing changed
    with open_collection(used, clock) as collection:
        assert collection.counts("words").total > 0
    assert folder_state(used) == before


def test_a_change_is_written_to_the_snapshot_and_the_days_backup_at_closing(used, clock):
    before = (used / "snapshot-laptop.json").read_bytes()
    clock.advance(days=1)
    with open_collection(used, clock) as collection:
        study(collection, clock, "w3")
    assert (used / "snapshot-laptop.json").read_bytes() != before
    assert len(list((used / "backups").iterdir())) == 2


def test_events_read_past_the_snapshot_are_saved_in_it_at_closing(used, clock):
    """Another computer's change arrives by a sync tool: the snapshot takes it in at closing."""
    phone = {"v": 2, "id": "p" * 32, "device": "phone", "time": "2025-03-03T12:00:00.000000Z",
             "seq": 1, "type": "setting", "key": "new_per_day", "value": 3}
    (used / "journal-phone.jsonl").write_text(json.dumps(phone) + "\n")
    with open_collection(used, clock) as collection:
        assert collection.load_report.lines_read == 1
        assert collection.settings.new_per_day == 3
    with open_collection(used, clock) as collection:
        assert collection.load_report.lines_read == 0
        assert collection.settings.new_per_day == 3
