"""Looking without changing: a collection opened read-only takes no lock and writes nothing, and a
collection opened to change writes its snapshot only when something changed."""

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest
from collection_views import everything

from flashcards.core.clock import FakeClock
from flashcards.core.collection import Collection
from flashcards.core.deck import Card, Deck
from flashcards.core.importing import ImportedDecks
from flashcards.core.progress import Rating
from flashcards.core.store import DataFolderInUse, StoreError

UTC = timezone.utc


@pytest.fixture
def clock():
    return FakeClock(datetime(2025, 3, 3, 9, 0, tzinfo=UTC))


def words(count=10):
    return Deck("words", "Words", cards=[Card(f"w{i}", f"q{i}", f"a{i}") for i in range(count)])


def open_collection(folder, clock, read_only=False):
    return Collection.open(folder, "laptop", clock=clock, tz=UTC, read_only=read_only)


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


# -- opening only to read --------------------------------------------------------------------------

def test_looking_works_while_another_app_has_the_folder_open(used, clock):
    with open_collection(used, clock) as window:
        study(window, clock, "w5")
        with pytest.raises(DataFolderInUse, match="already open"):
            open_collection(used, clock)
        before = folder_state(used)
        with open_collection(used, clock, read_only=True) as looking:
            assert everything(looking) == everything(window)
            assert looking.load_report.warnings == []
        assert folder_state(used) == before


def test_a_line_being_appended_is_not_read_yet_and_not_cut(used, clock):
    journal = used / "journal-laptop.jsonl"
    with open(journal, "ab") as handle:
        handle.write(b'{"v":2,"id":"abc","device":"laptop","ti')  # a writer part-way through a line
    before = folder_state(used)
    with open_collection(used, clock, read_only=True) as looking:
        assert looking.load_report.warnings == []
        assert looking.progress("w1") is not None
        assert len(looking.reviews()) == 2
    assert folder_state(used) == before


def test_every_change_is_refused_and_nothing_waits(used, clock):
    backup = next((used / "backups").iterdir())
    before = folder_state(used)
    with open_collection(used, clock, read_only=True) as looking:
        looking.preview("w4")  # looking at the buttons is fine
        changes = [
            lambda: looking.grade("w4", Rating.GOOD),
            lambda: looking.import_deck(words(12)),
            lambda: looking.import_deck(words()),  # even one that would change nothing
            lambda: looking.import_decks(ImportedDecks(decks=[words(12)], media={"a.png": b"x"})),
            lambda: looking.change_setting("new_per_day", 5),
            lambda: looking.remove_deck("words"),
            lambda: looking.restore_backup(backup),
            looking.save_snapshot,
        ]
        for change in changes:
            with pytest.raises(StoreError, match="opened only to read"):
                change()
        assert looking.unsaved == 0
        assert looking.progress("w4") is None and len(looking.deck("words").cards) == 10
    assert folder_state(used) == before


def test_a_folder_never_used_is_not_made(tmp_path, clock):
    folder = tmp_path / "new"
    with open_collection(folder, clock, read_only=True) as looking:
        assert looking.decks() == [] and looking.backups() == []
    assert not folder.exists()


def test_what_cannot_be_read_is_reported_and_left_where_it_is(used, clock):
    with open_collection(used, clock) as collection:
        expected = everything(collection)
    snapshot = used / "snapshot-laptop.json"
    snapshot.write_bytes(snapshot.read_bytes().replace(b'"q3"', b'"q8"'))
    journal = used / "journal-laptop.jsonl"
    lines = journal.read_bytes().splitlines(keepends=True)
    journal.write_bytes(b"".join(lines + [b"not json\n", b'{"torn']))
    before = folder_state(used)
    with open_collection(used, clock, read_only=True) as looking:
        [lines_skipped] = looking.load_report.warnings
        assert "1 unreadable line(s) were skipped" in lines_skipped and "copies" not in lines_skipped
        assert everything(looking) == expected  # the snapshot's damage is found reading cards
        told = looking.take_warnings()[0]
        assert "snapshot could not be read" in told and "left where it is" in told
    assert folder_state(used) == before
    with open_collection(used, clock) as writer:  # opened to change, it sets them aside
        assert everything(writer) == expected
        assert len(writer.load_report.warnings) + len(writer.take_warnings()) >= 3
    assert len(list((used / "damaged").iterdir())) == 3


def test_only_a_read_only_collection_shows_changes_without_saving(used, clock):
    with open_collection(used, clock) as collection:
        with pytest.raises(RuntimeError):
            with collection.shown_not_saved():
                pass
    before = folder_state(used)
    with open_collection(used, clock, read_only=True) as looking:
        with looking.shown_not_saved():
            looking.import_deck(Deck("more", "More", cards=[Card("m1", "q", "a")]))
        assert looking.counts("more").new == 1
        with pytest.raises(StoreError):
            looking.import_deck(Deck("other", "Other", cards=[Card("o1", "q", "a")]))
    assert folder_state(used) == before
    with open_collection(used, clock, read_only=True) as again:
        assert not again.has_deck("more")
