"""A full disk or a read-only folder: the app says so, keeps the grade for a retry, loses nothing."""

import errno
import json
import os
from datetime import datetime, timezone

import pytest

from flashcards.core.clock import FakeClock
from flashcards.core.collection import Collection
from flashcards.core.deck import Card, Deck
from flashcards.core.progress import Rating
from flashcards.core.store import StoreError

UTC = timezone.utc


@pytest.fixture
def clock():
    return FakeClock(datetime(2025, 3, 3, 9, 0, tzinfo=UTC))


@pytest.fixture
def collection(tmp_path, clock):
    col = Collection.open(tmp_path, "laptop", clock=clock, tz=UTC)
    col.import_deck(Deck("words", "Words", cards=[Card(f"w{i}", f"q{i}", f"a{i}") for i in range(10)]))
    yield col
    if col.store._journal is not None:
        col.close(discard_unsaved=True)


class Disk:
    """Stands in for the disk under the journal: fine until told to fail with a given error."""

    def __init__(self, monkeypatch):
        self.error = None
        self.partial = True
        real_write = os.write

        def write(fd, data):
            if self.error is None:
                return real_write(fd, data)
            if self.partial and len(data) > 10:
                real_write(fd, bytes(data[:10]))  # the disk filled up part-way through the line
            raise OSError(self.error, os.strerror(self.error))

        monkeypatch.setattr(os, "write", write)

    def fail(self, error, partial=True):
        self.error, self.partial = error, partial

    def recover(self):
        self.error = None


def grade(collection, clock, card_id, rating=Rating.GOOD):
    collection.preview(card_id)
    clock.advance(seconds=5)
    return collection.grade(card_id, rating)


def saved_lines(folder):
    text = (folder / "journal-laptop.jsonl").read_bytes()
    assert text.endswith(b"\n")
    return [json.loads(line) for line in text.splitlines()]


@pytest.mark.parametrize("error, wording", [(errno.ENOSPC, "disk is full"),
                                            (errno.EROFS, "read-only"),
                                            (errno.EACCES, "read-only")])
def test_a_failed_save_says_why_and_keeps_the_grade(tmp_path, clock, collection, monkeypatch,
                                                     error, wording):
    disk = Disk(monkeypatch)
    grade(collection, clock, "w0")
    saved = saved_lines(tmp_path)
    disk.fail(error)
    with pytest.raises(StoreError, match=wording):
        grade(collection, clock, "w1")
    assert collection.progress("w1") is None, "a grade that is not on disk is not shown as saved"
    assert collection.unsaved == 1
    assert saved_lines(tmp_path) == saved, "what was saved before is intact, with no partial line"
    disk.recover()
    assert collection.retry_pending().cards == {"w1"}
    assert collection.unsaved == 0
    assert collection.progress("w1") is not None
    assert [e["card"] for e in saved_lines(tmp_path) if e["type"] == "grade"] == ["w0", "w1"]


def test_the_next_change_saves_what_was_waiting_first(tmp_path, clock, collection, monkeypatch):
    disk = Disk(monkeypatch)
    disk.fail(errno.ENOSPC)
    with pytest.raises(StoreError):
        grade(collection, clock, "w2")
    with pytest.raises(StoreError):
        grade(collection, clock, "w2")  # shown again, since the first grade was not saved
    second_grade_time = clock.now()
    assert collection.unsaved == 2
    disk.recover()
    grade(collection, clock, "w3")
    assert collection.unsaved == 0
    grades = [e["card"] for e in saved_lines(tmp_path) if e["type"] == "grade"]
    assert grades == ["w2", "w2", "w3"]
    # Both grades are in the history; the card shows the later one, made while the first waited.
    assert [r.card_id for r in collection.reviews()] == ["w2", "w2", "w3"]
    assert collection.progress("w2").last_review == second_grade_time


def test_a_partial_line_that_could_not_be_cut_off_is_cleaned_before_the_next_save(
        tmp_path, clock, collection, monkeypatch):
    disk = Disk(monkeypatch)
    real_truncate = os.ftruncate
    monkeypatch.setattr(os, "ftruncate", lambda fd, size: (_ for _ in ()).throw(
        OSError(errno.EROFS, "read-only")))
    disk.fail(errno.EROFS)
    with pytest.raises(StoreError):
        grade(collection, clock, "w4")
    disk.recover()
    monkeypatch.setattr(os, "ftruncate", real_truncate)
    collection.retry_pending()
    assert [e["card"] for e in saved_lines(tmp_path) if e["type"] == "grade"] == ["w4"]


def test_closing_with_unsaved_grades_refuses_until_they_are_saved(tmp_path, clock, collection,
                                                                   monkeypatch):
    disk = Disk(monkeypatch)
    disk.fail(errno.ENOSPC, partial=False)
    with pytest.raises(StoreError):
        grade(collection, clock, "w5")
    with pytest.raises(StoreError, match="disk is full"):
        collection.close()
    disk.recover()
    collection.close()
    with Collection.open(tmp_path, "laptop", clock=clock, tz=UTC) as reopened:
        assert reopened.progress("w5") is not None


def test_a_full_disk_when_writing_the_snapshot_loses_nothing(tmp_path, clock, collection,
                                                             monkeypatch):
    grade(collection, clock, "w6")
    before = collection.progress("w6")
    import flashcards.core.files as files

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files, "_temporary_beside", full)
    with pytest.raises(StoreError, match="disk is full"):
        collection.save_snapshot()
    collection.close()  # the snapshot is only a shortcut: closing still works
    monkeypatch.undo()
    with Collection.open(tmp_path, "laptop", clock=clock, tz=UTC) as reopened:
        assert reopened.progress("w6") == before


def test_a_folder_that_is_read_only_at_start_can_be_looked_at(tmp_path, clock, collection,
                                                              monkeypatch):
    grade(collection, clock, "w7")
    collection.close()
    import builtins

    from flashcards.core import journal as journal_module
    from flashcards.core import store as store_module

    def read_only_open(path, mode="r", *args, **kwargs):
        if any(flag in mode for flag in "wa+x"):
            raise PermissionError(errno.EROFS, "Read-only file system", str(path))
        return builtins.open(path, mode, *args, **kwargs)

    real_os_open = os.open

    def read_only_os_open(path, flags, *args, **kwargs):
        if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            raise OSError(errno.EROFS, "Read-only file system", str(path))
        return real_os_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(store_module, "open", read_only_open, raising=False)
    monkeypatch.setattr(journal_module, "open", read_only_open, raising=False)
    monkeypatch.setattr(os, "open", read_only_os_open)
    looking = Collection.open(tmp_path, "laptop", clock=clock, tz=UTC)
    assert "read-only" in looking.load_report.warnings[0]
    assert looking.progress("w7") is not None
    with pytest.raises(StoreError, match="read-only"):
        grade(looking, clock, "w8")
    assert looking.unsaved == 1
    monkeypatch.undo()
    looking.retry_pending()
    looking.close()
    with Collection.open(tmp_path, "laptop", clock=clock, tz=UTC) as reopened:
        assert reopened.progress("w8") is not None


def test_a_torn_line_left_while_the_folder_was_read_only_is_cut_before_the_next_grade(
        tmp_path, clock, collection, monkeypatch):
    grade(collection, clock, "w7")
    collection.close()
    with open(tmp_path / "journal-laptop.jsonl", "ab") as handle:
        handle.write(b'{"v":2,"id":"torn","dev')  # a crash part-way through a line
    real_os_open = os.open

    def read_only_os_open(path, flags, *args, **kwargs):
        if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            raise OSError(errno.EROFS, "Read-only file system", str(path))
        return real_os_open(path, flags, *args, **kwargs)

    import builtins

    from flashcards.core import journal as journal_module
    from flashcards.core import store as store_module

    def read_only_open(path, mode="r", *args, **kwargs):
        if any(flag in mode for flag in "wa+x"):
            raise PermissionError(errno.EROFS, "Read-only file system", str(path))
        return builtins.open(path, mode, *args, **kwargs)

    monkeypatch.setattr(store_module, "open", read_only_open, raising=False)
    monkeypatch.setattr(journal_module, "open", read_only_open, raising=False)
    monkeypatch.setattr(os, "open", read_only_os_open)
    looking = Collection.open(tmp_path, "laptop", clock=clock, tz=UTC)
    with pytest.raises(StoreError, match="read-only"):
        grade(looking, clock, "w8")
    monkeypatch.undo()  # the folder is writable again
    looking.retry_pending()
    looking.close()
    assert [e["card"] for e in saved_lines(tmp_path) if e["type"] == "grade"] == ["w7", "w8"]
