"""The data folder: what is kept where, what survives reopening, and what happens to bad files."""

import json
import shutil
from pathlib import Path
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st
from collection_views import everything, open_collection, study

from flashcards.core import events as events_module
from flashcards.core import store as store_module
from flashcards.core import state as state_module
from flashcards.core.clock import FakeClock
from flashcards.core.collection import Collection
from flashcards.core.deck import Card, Deck
from flashcards.core.progress import Rating
from flashcards.core.progress_table import micros_from_seconds
from flashcards.core.snapshot import SNAPSHOT_VERSION, decode
from flashcards.core.store import DataFolderInUse

UTC = timezone.utc


@pytest.fixture
def clock():
    return FakeClock(datetime(2025, 3, 3, 9, 0, tzinfo=UTC))


def words(count=20, deck_id="words"):
    cards = [Card(f"{deck_id}-{i}", f"front {i}", f"back {i}") for i in range(count)]
    return Deck(deck_id, deck_id.capitalize(), cards=cards)


def journal_lines(folder, device="laptop"):
    return (folder / f"journal-{device}.jsonl").read_bytes().splitlines(keepends=True)


def test_reopening_shows_the_same_collection(tmp_path, clock):
    with open_collection(tmp_path, clock) as first:
        first.import_deck(words())
        first.import_deck(words(5, "verbs"))
        study(first, clock, ["words-1", "words-2", "verbs-3"])
        first.change_setting("new_per_day", 7)
        before = everything(first)
    with open_collection(tmp_path, clock) as second:
        assert second.load_report.warnings == []
        assert not second.load_report.rebuilt
        assert everything(second) == before


def test_the_folder_holds_plain_json_a_person_can_read(tmp_path, clock):
    with open_collection(tmp_path, clock) as collection:
        collection.import_deck(words(3))
        (review,) = study(collection, clock, ["words-0"])
    for line in journal_lines(tmp_path):
        event = json.loads(line)
        assert {"v", "id", "device", "time", "type"} <= event.keys()
    grade = json.loads(journal_lines(tmp_path)[-1])
    assert grade["type"] == "grade" and grade["id"] == review and grade["device"] == "laptop"
    snapshot = json.loads((tmp_path / "snapshot-laptop.json").read_bytes())
    assert snapshot["decks"][0]["name"] == "Words"
    assert snapshot["deck_cards"]["words"][0]["front"] == "front 0"
    assert snapshot["progress"]["card"][0] == "words-0"


def test_without_a_snapshot_the_journals_are_replayed(tmp_path, clock):
    with open_collection(tmp_path, clock) as collection:
        collection.import_deck(words())
        study(collection, clock, ["words-3", "words-4"])
        before = everything(collection)
    (tmp_path / "snapshot-laptop.json").unlink()
    with open_collection(tmp_path, clock) as reopened:
        assert reopened.load_report.rebuilt
        assert everything(reopened) == before
    assert (tmp_path / "snapshot-laptop.json").exists()


def test_a_journal_saved_by_a_text_editor_still_reads_whole(tmp_path, clock):
    """A byte-order mark before the first line and a number written as NaN are JSON that
    Python reads: the journal still holds every event, none is taken for damage."""
    with open_collection(tmp_path, clock) as collection:
        collection.import_deck(words())
        study(collection, clock, ["words-3", "words-4"])
        before = everything(collection)
    journal = tmp_path / "journal-laptop.jsonl"
    lines = journal.read_bytes().splitlines(keepends=True)
    setting = json.loads(lines[-1])
    setting.update(id="hand-written", type="setting", key="notes", value=float("nan"))
    journal.write_bytes(b"\xef\xbb\xbf" + b"".join(lines) + json.dumps(setting).encode() + b"\n")
    (tmp_path / "snapshot-laptop.json").unlink()
    with open_collection(tmp_path, clock) as reopened:
        assert reopened.load_report.warnings == []
        assert everything(reopened) == before
    assert not (tmp_path / "damaged").exists()


def test_events_since_the_snapshot_are_read_from_the_journal(tmp_path, clock):
    """A crash after grading but before closing: the snapshot is old, the journal is not."""
    with open_collection(tmp_path, clock) as collection:
        collection.import_deck(words())
    crashed = open_collection(tmp_path, clock)
    study(crashed, clock, ["words-5", "words-6"])
    before = everything(crashed)
    crashed.store.close()  # the process dies: no snapshot written
    with open_collection(tmp_path, clock) as reopened:
        assert not reopened.load_report.rebuilt
        assert everything(reopened) == before


def test_a_corrupt_snapshot_is_set_aside_and_rebuilt(tmp_path, clock):
    with open_collection(tmp_path, clock) as collection:
        collection.import_deck(words())
        study(collection, clock, ["words-1"])
        before = everything(collection)
    snapshot = tmp_path / "snapshot-laptop.json"
    damaged = snapshot.read_bytes().replace(b'"front 3"', b'"front 8"')
    snapshot.write_bytes(damaged)
    with open_collection(tmp_path, clock) as reopened:
        # Found when the cards are first read (start-up reads only the snapshot's first line),
        # before anything read from it is used.
        assert everything(reopened) == before
        assert "snapshot could not be read" in reopened.take_warnings()[0]
    kept = list((tmp_path / "damaged").iterdir())
    assert [p.read_bytes() for p in kept] == [damaged]


def test_a_snapshot_that_is_not_json_at_all_is_set_aside(tmp_path, clock):
    with open_collection(tmp_path, clock) as collection:
        collection.import_deck(words())
    (tmp_path / "snapshot-laptop.json").write_bytes(b"\x00\x00garbage")
    with open_collection(tmp_path, clock) as reopened:
        assert reopened.load_report.rebuilt
        assert len(reopened.deck("words").cards) == 20
    assert len(list((tmp_path / "damaged").iterdir())) == 1


def test_a_snapshot_reformatted_by_hand_is_rebuilt_not_trusted(tmp_path, clock):
    with open_collection(tmp_path, clock) as collection:
        collection.import_deck(words())
        study(collection, clock, ["words-1"])
        before = everything(collection)
    snapshot = tmp_path / "snapshot-laptop.json"
    snapshot.write_text(json.dumps(json.loads(snapshot.read_bytes()), indent=2))
    with open_collection(tmp_path, clock) as reopened:
        assert reopened.load_report.rebuilt
        assert everything(reopened) == before


def test_a_replaced_journal_makes_the_snapshot_stale(tmp_path, clock):
    with open_collection(tmp_path, clock, device="phone") as phone:
        phone.import_deck(words())
        study(phone, clock, ["words-1", "words-2"])
    with open_collection(tmp_path, clock) as collection:
        assert collection.progress("words-2") is not None
    journal = tmp_path / "journal-phone.jsonl"
    lines = journal_lines(tmp_path, "phone")
    journal.write_bytes(b"".join(lines[:-1]))  # say an older copy came back from a sync tool
    with open_collection(tmp_path, clock) as reopened:
        assert reopened.load_report.rebuilt
        assert "not the file the snapshot was made from" in reopened.load_report.warnings[0]
        assert reopened.progress("words-2") is None
        assert reopened.progress("words-1") is not None
    assert len(list((tmp_path / "superseded").iterdir())) == 1


def test_this_computers_journal_put_back_to_an_older_copy_keeps_what_the_snapshot_holds(
        tmp_path, clock):
    with open_collection(tmp_path, clock) as collection:
        collection.import_deck(words())
        study(collection, clock, ["words-1", "words-2"])
        progress = collection.progress("words-2")
    journal = tmp_path / "journal-laptop.jsonl"
    lines = journal_lines(tmp_path)
    journal.write_bytes(b"".join(lines[:-1]))  # say an older copy came back from a sync tool
    with open_collection(tmp_path, clock) as reopened:
        assert "1 event (" in reopened.load_report.warnings[0]
        assert reopened.progress("words-2") == progress
        assert reopened.progress("words-1") is not None
    assert len(list((tmp_path / "superseded").iterdir())) == 1


def test_a_torn_last_line_is_set_aside_and_reported(tmp_path, clock):
    with open_collection(tmp_path, clock) as collection:
        collection.import_deck(words())
        study(collection, clock, ["words-1", "words-2"])
        before = everything(collection)
    journal = tmp_path / "journal-laptop.jsonl"
    with open(journal, "ab") as handle:
        handle.write(b'{"v":2,"id":"abc","device":"laptop","ti')
    with open_collection(tmp_path, clock) as reopened:
        assert "cut off by a crash" in reopened.load_report.warnings[0]
        assert everything(reopened) == before
        study(reopened, clock, ["words-3"])
    for line in journal_lines(tmp_path):
        json.loads(line)
    torn = list((tmp_path / "damaged").iterdir())
    assert torn[0].read_bytes() == b'{"v":2,"id":"abc","device":"laptop","ti'


def test_a_corrupt_line_in_the_middle_is_skipped_and_kept(tmp_path, clock):
    with open_collection(tmp_path, clock) as collection:
        collection.import_deck(words())
        study(collection, clock, ["words-1", "words-2", "words-3"])
    (tmp_path / "snapshot-laptop.json").unlink()
    journal = tmp_path / "journal-laptop.jsonl"
    lines = journal_lines(tmp_path)
    second_grade = [i for i, line in enumerate(lines) if b'"type":"grade"' in line][1]
    lines[second_grade] = lines[second_grade][:60] + b"\n"  # a disk error or a bad copy cut it
    journal.write_bytes(b"".join(lines))
    with open_collection(tmp_path, clock) as reopened:
        (warning,) = reopened.load_report.warnings
        assert "1 unreadable line(s) were skipped" in warning
        assert reopened.progress("words-1") is not None
        assert reopened.progress("words-2") is None
        assert reopened.progress("words-3") is not None
    assert journal_lines(tmp_path)[:len(lines)] == lines, "the journal itself is never rewritten"
    (kept,) = (tmp_path / "damaged").iterdir()
    assert kept.read_bytes() == lines[second_grade]


def test_events_from_a_newer_version_are_kept_until_the_app_is_updated(tmp_path, clock, monkeypatch):
    with open_collection(tmp_path, clock) as collection:
        collection.import_deck(words())
    newer = {"v": events_module.EVENT_VERSION + 1, "id": "f" * 32, "device": "phone",
             "time": "2025-03-03T10:00:00.000000Z", "type": "setting", "key": "new_per_day",
             "value": 3, "seq": 50}
    (tmp_path / "journal-phone.jsonl").write_text(json.dumps(newer) + "\n")
    with open_collection(tmp_path, clock) as old_app:
        assert "newer version of Flashcards" in old_app.load_report.warnings[0]
        assert old_app.settings.new_per_day == 20
    assert json.loads((tmp_path / "journal-phone.jsonl").read_text()) == newer
    with open_collection(tmp_path, clock) as still_old:
        assert still_old.settings.new_per_day == 20
    monkeypatch.setattr(events_module, "EVENT_VERSION", newer["v"])
    monkeypatch.setattr(store_module, "EVENT_VERSION", newer["v"])
    monkeypatch.setattr(state_module, "EVENT_VERSION", newer["v"])
    with open_collection(tmp_path, clock) as updated:
        assert updated.settings.new_per_day == 3


def test_a_second_app_on_the_same_folder_is_refused(tmp_path, clock):
    with open_collection(tmp_path, clock):
        with pytest.raises(DataFolderInUse, match="already open"):
            open_collection(tmp_path, clock)
    with open_collection(tmp_path, clock):
        pass  # free again once the first one closed


def test_the_first_slice_data_is_migrated_with_nothing_lost(tmp_path, clock):
    """Version 1 wrote a single-object snapshot and grades with a separate review id."""
    deck = {"id": "words", "name": "Words", "kind": "basic", "revision": 1,
            "cards": [{"id": "words-0", "front": "a", "back": "b"},
                      {"id": "words-1", "front": "c", "back": "d"}]}
    progress = {"phase": "learning", "due": "2025-03-01T09:10:00+00:00", "step": 1,
                "stability": 2.3, "difficulty": 5.1, "last_review": "2025-03-01T09:00:00+00:00",
                "first_review": "2025-03-01T09:00:00+00:00", "reps": 1, "lapses": 0,
                "last_review_graded": None}
    lines = [
        {"v": 1, "id": "e1", "device": "laptop", "time": "2025-03-01T08:00:00.000000Z",
         "type": "deck", "deck": deck, "seq": 1},
        {"v": 1, "id": "e2", "device": "laptop", "time": "2025-03-01T09:00:00.000000Z",
         "type": "grade", "card": "words-0", "deck": "words", "rating": 3,
         "phase_before": "new", "duration_ms": 900, "progress": progress, "review_id": "r1",
         "seq": 2},
    ]
    journal = "".join(json.dumps(line) + "\n" for line in lines)
    (tmp_path / "journal-laptop.jsonl").write_text(journal)
    old_snapshot = json.dumps({"format": "flashcards-snapshot", "version": 1, "device": "laptop",
                               "journals": {"journal-laptop.jsonl": len(journal)}, "state": {}})
    (tmp_path / "snapshot-laptop.json").write_text(old_snapshot)
    with open_collection(tmp_path, clock) as collection:
        assert "migrated" in collection.load_report.warnings[0]
        assert [c.id for c in collection.deck("words").cards] == ["words-0", "words-1"]
        assert collection.progress("words-0").due == datetime(2025, 3, 1, 9, 10, tzinfo=UTC)
        assert [r.id for r in collection.reviews()] == ["r1"]
    (kept,) = (tmp_path / "superseded").iterdir()
    assert kept.read_text() == old_snapshot
    assert (tmp_path / "journal-laptop.jsonl").read_text().startswith(journal)
    assert decode((tmp_path / "snapshot-laptop.json").read_bytes())[1]["version"] == SNAPSHOT_VERSION


def test_history_is_read_only_when_asked_for(tmp_path, clock):
    with open_collection(tmp_path, clock) as collection:
        collection.import_deck(words(30))
        study(collection, clock, [f"words-{i}" for i in range(25)])
    journal = tmp_path / "journal-laptop.jsonl"
    lines = journal_lines(tmp_path)
    # Damage a line the snapshot already covers, away from the journal's first and last 4 KiB
    # (start-up checks those): start-up does not read it again.
    middle = [i for i, line in enumerate(lines) if b'"type":"grade"' in line][10]
    lines[middle] = b"X" * (len(lines[middle]) - 1) + b"\n"
    assert 4096 < sum(map(len, lines[:middle])) and sum(map(len, lines[middle + 1:])) > 4096
    journal.write_bytes(b"".join(lines))
    with open_collection(tmp_path, clock) as reopened:
        assert reopened.load_report.warnings == []
        assert reopened.progress("words-7") is not None
        assert len(reopened.reviews()) == 24, "the history skips the line it cannot read"


def test_a_removed_deck_keeps_its_progress_for_when_it_comes_back(tmp_path, clock):
    with open_collection(tmp_path, clock) as collection:
        collection.import_deck(words())
        study(collection, clock, ["words-1"])
        progress = collection.progress("words-1")
        collection.remove_deck("words")
    with open_collection(tmp_path, clock) as reopened:
        assert not reopened.has_deck("words")
        reopened.import_deck(words())
        assert reopened.progress("words-1") == progress


def test_decks_read_from_the_snapshot_behave_like_any_other(tmp_path, clock):
    with open_collection(tmp_path, clock) as collection:
        collection.import_deck(words(3))
    with open_collection(tmp_path, clock) as reopened:
        assert reopened.deck("words") == words(3)
        assert words(3) == reopened.deck("words")
        result = reopened.import_deck(words(3))
        assert (result.added, result.updated, result.skipped) == (0, 0, 3)


def test_the_day_after_a_long_gap_still_counts_right(tmp_path, clock):
    with open_collection(tmp_path, clock) as collection:
        collection.import_deck(words())
        study(collection, clock, [f"words-{i}" for i in range(10)], Rating.EASY)
    clock.advance(timedelta(days=30))
    with open_collection(tmp_path, clock) as reopened:
        counts = reopened.counts("words")
        assert counts.due == 10 and counts.new == 10


def test_counting_from_the_progress_columns_agrees_with_the_deck_counts(tmp_path, clock):
    """The deck list counts from the progress columns, to count 100,000 cards quickly; it must
    agree with counting card by card from each card's progress."""
    from flashcards.core.clock import day_bounds
    from flashcards.core.progress import Phase
    from flashcards.core.study_queue import LEARN_AHEAD

    def agree(collection):
        settings, now = collection.settings, collection.clock.now()
        start, end = day_bounds(collection.today(), settings.rollover_hour, collection.tz)
        for deck in collection.decks():
            states = [collection.progress(card.id) for card in deck.cards]
            studied = [p for p in states if p is not None]
            new_today = sum(1 for p in studied if start <= p.first_review < end)
            reviewed_today = sum(1 for p in studied
                                 if p.last_review_graded and start <= p.last_review_graded < end)
            learning = sum(1 for p in studied if p.phase in (Phase.LEARNING, Phase.RELEARNING)
                           and p.due <= now + LEARN_AHEAD)
            due = sum(1 for p in studied if p.phase is Phase.REVIEW and p.due < end)
            counts = collection.counts(deck.id)
            assert (counts.new, counts.learning, counts.due) == (
                min(states.count(None), max(0, settings.new_per_day - new_today)),
                learning,
                min(due, max(0, settings.reviews_per_day - reviewed_today)))
            for card in deck.cards:
                assert collection.card(card.id)[0].id == deck.id

    with open_collection(tmp_path, clock) as collection:
        collection.import_deck(words(40))
        collection.import_deck(words(6, "verbs"))
        collection.change_setting("new_per_day", 25)
        collection.change_setting("reviews_per_day", 4)
        for day in range(6):
            agree(collection)
            study(collection, clock, [f"words-{i}" for i in range(day * 3, day * 3 + 8)],
                  Rating(day % 4 + 1))
            agree(collection)
            clock.advance(minutes=11)
            agree(collection)
            clock.advance(timedelta(days=1))
    with open_collection(tmp_path, clock) as reopened:
        agree(reopened)


VERSION_2_FOLDER = Path(__file__).parent / "data" / "version-2-folder"


def test_a_version_2_snapshot_is_converted_with_nothing_lost(tmp_path):
    """Version 2 kept times as float seconds; they come back as the very same moments."""
    clock = FakeClock(datetime(2026, 5, 7, 12, 0, tzinfo=UTC))
    converted_folder, rebuilt_folder = tmp_path / "converted", tmp_path / "rebuilt"
    shutil.copytree(VERSION_2_FOLDER, converted_folder)
    shutil.copytree(VERSION_2_FOLDER, rebuilt_folder)
    (rebuilt_folder / "snapshot-laptop.json").unlink()
    with open_collection(converted_folder, clock) as converted, \
            open_collection(rebuilt_folder, clock) as rebuilt:
        assert converted.load_report.converted and not converted.load_report.rebuilt
        assert converted.load_report.warnings == []
        assert everything(converted) == everything(rebuilt)
        assert converted.counts("words").total > 0
    snapshot = (converted_folder / "snapshot-laptop.json").read_bytes()
    assert decode(snapshot)[1]["version"] == SNAPSHOT_VERSION


def test_a_version_2_backup_can_still_be_restored(tmp_path):
    clock = FakeClock(datetime(2026, 5, 7, 12, 0, tzinfo=UTC))
    shutil.copytree(VERSION_2_FOLDER, tmp_path / "folder")
    with open_collection(tmp_path / "folder", clock) as collection:
        studied_on_the_second_day = collection.progress("cap-0")
        assert studied_on_the_second_day is not None
        collection.restore_backup(tmp_path / "folder" / "backups" / "snapshot-laptop-2026-05-04.json")
        assert collection.progress("cap-0") is None
        assert collection.progress("words-0").last_review.date().isoformat() == "2026-05-04"


@given(st.integers(min_value=0, max_value=7_258_118_400_000_000))  # 1970 to 2200
def test_float_seconds_of_older_snapshots_convert_back_to_the_exact_microsecond(microseconds):
    assert micros_from_seconds(microseconds / 1_000_000) == microseconds


def test_a_card_in_two_decks_keeps_one_progress_through_the_snapshot(tmp_path, clock):
    shared = Card("shared-1", "front", "back")
    first = Deck("first", "First", cards=[shared, Card("first-2", "a", "b")])
    second = Deck("second", "Second", cards=[Card("second-1", "c", "d"), shared])
    with open_collection(tmp_path, clock) as collection:
        collection.import_deck(first)
        collection.import_deck(second)
        study(collection, clock, ["shared-1"])
    with open_collection(tmp_path, clock) as reopened:
        assert not reopened.load_report.rebuilt
        assert reopened.counts("first").new == reopened.counts("second").new == 1
        clock.advance(days=3)
        study(reopened, clock, ["shared-1"], Rating.EASY)
        graded = reopened.progress("shared-1")
        assert graded.reps == 2
        seen = everything(reopened)
    with open_collection(tmp_path, clock) as again:
        assert everything(again) == seen
    (tmp_path / "snapshot-laptop.json").unlink()
    with open_collection(tmp_path, clock) as rebuilt:
        assert rebuilt.load_report.rebuilt
        assert everything(rebuilt) == seen


def test_a_rebuild_from_the_journals_says_how_far_it_has_come_and_can_be_stopped(tmp_path, clock):
    with open_collection(tmp_path, clock) as collection:
        collection.import_deck(words())
        study(collection, clock, [f"words-{i}" for i in range(10)] * 500)
    (tmp_path / "snapshot-laptop.json").unlink()
    heard = []
    with Collection.open(tmp_path, "laptop", clock=clock, progress=lambda *seen: heard.append(
            seen)) as rebuilt:
        assert rebuilt.load_report.rebuilt
    assert heard and heard == sorted(heard) and all(done <= total for done, total in heard)

    class Stop(Exception):
        pass

    def stop(done, total):
        raise Stop()

    (tmp_path / "snapshot-laptop.json").unlink()
    with pytest.raises(Stop):
        Collection.open(tmp_path, "laptop", clock=clock, progress=stop)
    with open_collection(tmp_path, clock) as again:  # nothing held, nothing changed
        assert again.load_report.rebuilt
