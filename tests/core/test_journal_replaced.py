"""This computer's journal replaced while the app has it open: a sync tool or a backup program puts
another copy in its place. No grade shown as saved may vanish."""

import json
import os
from datetime import datetime, timezone

import pytest
from collection_views import everything, open_collection, study

from flashcards.core.clock import FakeClock
from flashcards.core.deck import Card, Deck
from flashcards.core.progress import Rating

UTC = timezone.utc


@pytest.fixture
def clock():
    return FakeClock(datetime(2025, 3, 3, 9, 0, tzinfo=UTC))


def words(count=40):
    return Deck("words", "Words", cards=[Card(f"words-{i}", f"front {i}", f"back {i}")
                                         for i in range(count)])


def put_in_place(path, data):
    """What a sync tool or a backup program does: a new file renamed over the old one."""
    staging = path.with_name(f".syncing-{path.name}")
    staging.write_bytes(data)
    staging.replace(path)


def cards(first, last):
    return [f"words-{i}" for i in range(first, last)]


def later_warnings(collection):
    return collection.take_warnings()


@pytest.fixture
def window(tmp_path, clock):
    window = open_collection(tmp_path, clock)
    window.import_deck(words())
    yield window
    window.close()


def test_a_journal_put_back_to_an_older_copy_while_open_loses_no_grade(tmp_path, clock, window):
    journal = tmp_path / "journal-laptop.jsonl"
    graded = study(window, clock, cards(0, 5))
    older = journal.read_bytes()
    graded += study(window, clock, cards(5, 10))
    put_in_place(journal, older)
    graded += study(window, clock, cards(10, 15))
    with open_collection(tmp_path, clock, read_only=True) as looking:
        missing = set(graded) - {r.id for r in looking.reviews()}
        assert not missing, f"{len(missing)} of {len(graded)} grades shown as saved are gone"
        assert everything(looking) == everything(window)
    (warning,) = later_warnings(window)
    assert "journal-laptop.jsonl" in warning and "replaced" in warning
    graded += study(window, clock, cards(15, 17))
    assert later_warnings(window) == [], "told once"
    seen = everything(window)
    window.close()
    with open_collection(tmp_path, clock) as reopened:
        assert everything(reopened) == seen
    (tmp_path / "snapshot-laptop.json").unlink()
    with open_collection(tmp_path, clock) as rebuilt:
        assert everything(rebuilt) == seen
        assert sorted(r.id for r in rebuilt.reviews()) == sorted(graded)


def assert_a_rebuild_shows_the_same(window, folder, clock, graded):
    """Closed, then rebuilt from the journals alone: the same collection and every grade."""
    seen = everything(window)
    window.close()
    (folder / "snapshot-laptop.json").unlink()
    with open_collection(folder, clock) as rebuilt:
        assert everything(rebuilt) == seen
        assert sorted(r.id for r in rebuilt.reviews()) == sorted(graded)


def test_a_journal_deleted_while_open_is_written_again(tmp_path, clock, window):
    journal = tmp_path / "journal-laptop.jsonl"
    graded = study(window, clock, cards(0, 5))
    journal.unlink()
    graded += study(window, clock, cards(5, 7))
    (warning,) = later_warnings(window)
    assert "journal-laptop.jsonl" in warning
    assert_a_rebuild_shows_the_same(window, tmp_path, clock, graded)


def test_a_journal_replaced_by_another_version_keeps_both(tmp_path, clock, window):
    """The file put in place holds grades this window never saw (made elsewhere under the same
    device id): both sides are kept, and the window shows them."""
    journal = tmp_path / "journal-laptop.jsonl"
    graded = study(window, clock, cards(0, 3))
    elsewhere = tmp_path.parent / f"{tmp_path.name}-elsewhere"
    elsewhere.mkdir()
    (elsewhere / "journal-laptop.jsonl").write_bytes(journal.read_bytes())
    with open_collection(elsewhere, clock) as other:
        graded_elsewhere = study(other, clock, cards(30, 33), Rating.EASY)
        words_30 = other.progress("words-30")
    graded += study(window, clock, cards(3, 6))
    put_in_place(journal, (elsewhere / "journal-laptop.jsonl").read_bytes())
    graded += study(window, clock, cards(6, 8))
    assert window.progress("words-30") == words_30
    (warning,) = later_warnings(window)
    assert "journal-laptop.jsonl" in warning
    assert_a_rebuild_shows_the_same(window, tmp_path, clock, graded + graded_elsewhere)


def test_a_journal_cut_short_in_place_while_open_keeps_every_cards_progress(tmp_path, clock,
                                                                             window):
    """Copied over in place (same file, shorter): the lost lines cannot be read back, but every
    card's progress the window holds is written back."""
    journal = tmp_path / "journal-laptop.jsonl"
    study(window, clock, cards(0, 5))
    older = journal.read_bytes()
    study(window, clock, cards(5, 10))
    with open(journal, "r+b") as handle:
        handle.write(older)
        handle.truncate(len(older))
    study(window, clock, cards(10, 12))
    (warning,) = later_warnings(window)
    assert "journal-laptop.jsonl" in warning
    seen = everything(window)
    window.close()
    (tmp_path / "snapshot-laptop.json").unlink()
    with open_collection(tmp_path, clock) as rebuilt:
        shown = everything(rebuilt)
        assert {k: v for k, v in shown.items() if k != "reviews"} == {
            k: v for k, v in seen.items() if k != "reviews"}


def test_the_check_before_each_grade_costs_no_read_of_the_journal(tmp_path, clock, window,
                                                                   monkeypatch):
    study(window, clock, cards(0, 2))
    reads = []
    real_read = os.read
    monkeypatch.setattr(os, "read", lambda fd, n: reads.append(n) or real_read(fd, n))
    study(window, clock, cards(2, 5))
    assert reads == []
    lines = (tmp_path / "journal-laptop.jsonl").read_bytes().splitlines()
    assert [json.loads(line)["card"] for line in lines[-3:]] == cards(2, 5)


def test_a_journal_that_arrives_where_there_was_none_is_merged_and_left_as_it_is(tmp_path, clock):
    """This computer had no journal when the window opened (a new computer reusing an id), and
    one under its name arrives through the sync tool."""
    elsewhere = tmp_path / "elsewhere"
    with open_collection(elsewhere, clock) as other:
        other.import_deck(words())
        graded_elsewhere = study(other, clock, cards(0, 3))
    folder = tmp_path / "folder"
    with open_collection(folder, clock, device="desk") as desk:
        desk.import_deck(words())
    window = open_collection(folder, clock)
    arrived = (elsewhere / "journal-laptop.jsonl").read_bytes()
    put_in_place(folder / "journal-laptop.jsonl", arrived)
    graded = study(window, clock, cards(5, 7))
    (warning,) = later_warnings(window)
    assert "journal-laptop.jsonl" in warning and "arrived" in warning
    assert window.progress("words-0") is not None
    window.close()
    assert (folder / "journal-laptop.jsonl").read_bytes() == arrived, "left as it is"
    (folder / "snapshot-laptop.json").unlink()
    with open_collection(folder, clock) as rebuilt:
        assert sorted(r.id for r in rebuilt.reviews()) == sorted(graded + graded_elsewhere)


def test_a_grade_that_could_not_be_saved_after_the_journal_was_replaced_loses_nothing(
        tmp_path, clock, window, monkeypatch):
    from flashcards.core import journal as journal_module
    from flashcards.core.store import StoreError

    journal = tmp_path / "journal-laptop.jsonl"
    graded = study(window, clock, cards(0, 3))
    older = journal.read_bytes()
    graded += study(window, clock, cards(3, 6))
    put_in_place(journal, older)
    with monkeypatch.context() as disk:
        def full(self):
            raise OSError(28, "No space left on device")
        disk.setattr(journal_module.Journal, "create", full)
        with pytest.raises(StoreError, match="disk is full"):
            study(window, clock, cards(6, 7))
        assert sorted(r.id for r in window.reviews()) == sorted(graded), \
            "what waits to be written again is in the history meanwhile"
    window.retry_pending()
    graded += [r.id for r in window.reviews() if r.card_id == "words-6"]
    graded += study(window, clock, cards(7, 8))
    assert len(later_warnings(window)) == 1
    assert_a_rebuild_shows_the_same(window, tmp_path, clock, graded)


@pytest.mark.parametrize("then", ["close", "refresh"])
def test_a_journal_replaced_after_the_last_grade_loses_nothing(tmp_path, clock, window, then):
    """Nothing more is graded: the replacement is noticed when the window looks for changes,
    or when it closes."""
    journal = tmp_path / "journal-laptop.jsonl"
    graded = study(window, clock, cards(0, 3))
    older = journal.read_bytes()
    graded += study(window, clock, cards(3, 6))
    put_in_place(journal, older)
    if then == "refresh":
        window.refresh()
        (warning,) = later_warnings(window)
        assert "journal-laptop.jsonl" in warning
        with open_collection(tmp_path, clock, read_only=True) as looking:
            assert sorted(r.id for r in looking.reviews()) == sorted(graded)
    assert_a_rebuild_shows_the_same(window, tmp_path, clock, graded)


def test_the_open_journal_renamed_to_a_copy_and_another_version_put_in_its_place(
        tmp_path, clock, window):
    """What OneDrive does on a conflict: this computer's file becomes the copy, with the
    computer's name appended, and the version from the cloud takes the journal's name."""
    journal = tmp_path / "journal-laptop.jsonl"
    graded = study(window, clock, cards(0, 3))
    cloud = journal.read_bytes()
    graded += study(window, clock, cards(3, 6))
    copy = tmp_path / "journal-laptop-LAPTOP7.jsonl"
    journal.rename(copy)
    put_in_place(journal, cloud)
    graded += study(window, clock, cards(6, 8))
    report = window.refresh()
    told = later_warnings(window) + report.warnings
    assert any("journal-laptop.jsonl" in w and "replaced" in w for w in told), told
    assert any(copy.name in w and "can be deleted" in w for w in told), told
    assert sorted(r.id for r in window.reviews()) == sorted(graded)
    seen = everything(window)
    window.close()
    copy.unlink()
    (tmp_path / "snapshot-laptop.json").unlink()
    with open_collection(tmp_path, clock) as rebuilt:
        assert everything(rebuilt) == seen
