"""Copies that sync tools make of a journal: merged once, never taken for another computer.

When a journal changed on two sides at once, a sync tool keeps both: one under the journal's own
name, the other under a name of its own making. Each side may hold reviews the other lacks.
"""

import json
import shutil
from datetime import datetime, timezone
from pathlib import Path

import pytest
from collection_views import everything, open_collection, study

from flashcards.core.clock import FakeClock
from flashcards.core.deck import Card, Deck
from flashcards.core.progress import Rating

UTC = timezone.utc

# The names each tool gives the copy of "journal-laptop.jsonl".
COPY_NAMES = {
    "syncthing": "journal-laptop.sync-conflict-20261201-101010-ABCDEFG.jsonl",
    "dropbox": "journal-laptop (conflicted copy 2026-12-01).jsonl",
    "dropbox-named": "journal-laptop (Laptop's conflicted copy 2026-12-01).jsonl",
    "nextcloud": "journal-laptop_conflict-20261201-101010.jsonl",
    "onedrive": "journal-laptop-DESKTOP7.jsonl",
    "google-drive": "journal-laptop (1).jsonl",
}


@pytest.fixture
def clock():
    return FakeClock(datetime(2026, 12, 1, 9, 0, tzinfo=UTC))


def words(count=20):
    return Deck("words", "Words", cards=[Card(f"words-{i}", f"front {i}", f"back {i}")
                                         for i in range(count)])


def folder_state(folder: Path) -> dict:
    return {str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def snapshot_header(folder, device):
    """The snapshot as `jq` reads it."""
    return json.loads((folder / f"snapshot-{device}.json").read_bytes())


class Conflict:
    """The laptop's journal in two versions: twelve reviews in common, then one more on each
    side. The version under the journal's own name holds words-12's review, the copy holds
    words-13's."""

    def __init__(self, root: Path, clock) -> None:
        laptop, other_side = root / "laptop", root / "other-side"
        with open_collection(laptop, clock, "laptop") as collection:
            collection.import_deck(words())
            self.common = study(collection, clock, [f"words-{i}" for i in range(12)])
        shutil.copytree(laptop, other_side)
        with open_collection(laptop, clock, "laptop") as collection:
            self.kept_only = study(collection, clock, ["words-12"])
        with open_collection(other_side, clock, "laptop") as collection:
            self.copy_only = study(collection, clock, ["words-13"], Rating.EASY)
            self.words_13 = collection.progress("words-13")
        self.laptop = laptop
        self.journal = (laptop / "journal-laptop.jsonl").read_bytes()
        self.copy = (other_side / "journal-laptop.jsonl").read_bytes()
        self.every_review = sorted(self.common + self.kept_only + self.copy_only)

    def on_the_laptop(self, copy_name: str) -> Path:
        """The laptop's own folder, with the copy beside its journal."""
        (self.laptop / copy_name).write_bytes(self.copy)
        return self.laptop

    def on_the_desk(self, root: Path, copy_name: str) -> Path:
        """Another computer's folder, which the sync tool brought both versions to."""
        desk = root / "desk"
        desk.mkdir()
        (desk / "journal-laptop.jsonl").write_bytes(self.journal)
        (desk / copy_name).write_bytes(self.copy)
        return desk


def copy_warnings(warnings, copy_name):
    return [w for w in warnings if copy_name in w]


@pytest.mark.parametrize("tool", COPY_NAMES)
@pytest.mark.parametrize("device", ["laptop", "desk"])
def test_a_copy_is_merged_once_and_never_counted_as_another_computer(tmp_path, clock, tool, device):
    conflict = Conflict(tmp_path, clock)
    name = COPY_NAMES[tool]
    folder = (conflict.on_the_laptop(name) if device == "laptop"
              else conflict.on_the_desk(tmp_path, name))
    with open_collection(folder, clock, device) as collection:
        reviews = sorted(r.id for r in collection.reviews())
        assert reviews == conflict.every_review, "each review once, the copy's own one too"
        assert collection.progress("words-13") == conflict.words_13
        (warning,) = copy_warnings(collection.load_report.warnings, name)
        assert "merged" in warning and "can be deleted" in warning
    header = snapshot_header(folder, device)
    assert name not in header["journals"], "the copy is not another computer"
    assert header["review_count"] == len(conflict.every_review)
    assert (folder / name).read_bytes() == conflict.copy, "the copy is left as it was"
    with open_collection(folder, clock, device) as again:
        assert copy_warnings(again.load_report.warnings, name) == [], "told once"
        assert sorted(r.id for r in again.reviews()) == conflict.every_review


@pytest.mark.parametrize("tool", COPY_NAMES)
def test_a_copy_of_this_computers_journal_can_be_deleted_once_merged(tmp_path, clock, tool):
    conflict = Conflict(tmp_path, clock)
    name = COPY_NAMES[tool]
    folder = conflict.on_the_laptop(name)
    with open_collection(folder, clock, "laptop") as collection:
        later = study(collection, clock, ["words-14"])
        seen = everything(collection)
    journal = (folder / "journal-laptop.jsonl").read_bytes()
    assert journal.startswith(conflict.journal), "the journal is only appended to"
    assert json.loads(journal.splitlines()[-1])["id"] == later[0], "grades go to its own journal"
    assert (folder / name).read_bytes() == conflict.copy, "the copy is never written to"
    # Deleted, as the message says it can be, along with the snapshot: nothing is lost.
    (folder / name).unlink()
    (folder / "snapshot-laptop.json").unlink()
    with open_collection(folder, clock, "laptop") as rebuilt:
        assert rebuilt.load_report.rebuilt
        assert everything(rebuilt) == seen
        assert sorted(r.id for r in rebuilt.reviews()) == sorted(conflict.every_review + later)


def test_the_computer_a_copy_belongs_to_keeps_what_only_the_copy_holds(tmp_path, clock):
    """The desk sees a copy of the laptop's journal first; once the laptop has opened the folder,
    the laptop's journal holds everything and the copy can go."""
    conflict = Conflict(tmp_path, clock)
    name = COPY_NAMES["onedrive"]
    desk = conflict.on_the_desk(tmp_path, name)
    with open_collection(desk, clock, "desk") as collection:
        (warning,) = copy_warnings(collection.load_report.warnings, name)
        assert "laptop" in warning and "merged" in warning
    # The laptop's folder, synced with the desk's.
    laptop = conflict.on_the_laptop(name)
    with open_collection(laptop, clock, "laptop"):
        pass
    shutil.copy(laptop / "journal-laptop.jsonl", desk / "journal-laptop.jsonl")
    (desk / name).unlink()
    (desk / "snapshot-desk.json").unlink()
    with open_collection(desk, clock, "desk") as rebuilt:
        assert sorted(r.id for r in rebuilt.reviews()) == conflict.every_review
        assert rebuilt.progress("words-13") == conflict.words_13


@pytest.mark.parametrize("device", ["laptop", "desk"])
def test_looking_at_a_folder_with_a_copy_shows_it_merged_and_writes_nothing(tmp_path, clock, device):
    conflict = Conflict(tmp_path, clock)
    name = COPY_NAMES["syncthing"]
    folder = (conflict.on_the_laptop(name) if device == "laptop"
              else conflict.on_the_desk(tmp_path, name))
    before = folder_state(folder)
    with open_collection(folder, clock, device, read_only=True) as looking:
        assert sorted(r.id for r in looking.reviews()) == conflict.every_review
        assert looking.progress("words-13") == conflict.words_13
        (warning,) = copy_warnings(looking.load_report.warnings, name)
        assert "merged" in warning
    assert folder_state(folder) == before


def test_a_copy_arriving_while_the_window_is_open_is_merged_at_refresh(tmp_path, clock):
    conflict = Conflict(tmp_path, clock)
    name = COPY_NAMES["dropbox"]
    with open_collection(conflict.laptop, clock, "laptop") as window:
        assert window.progress("words-13") is None
        (conflict.laptop / name).write_bytes(conflict.copy)
        report = window.refresh()
        (warning,) = copy_warnings(report.warnings, name)
        assert "merged" in warning and "can be deleted" in warning
        assert window.progress("words-13") == conflict.words_13
        assert copy_warnings(window.refresh().warnings, name) == []
        later = study(window, clock, ["words-15"])
    assert (conflict.laptop / name).read_bytes() == conflict.copy
    (conflict.laptop / name).unlink()
    (conflict.laptop / "snapshot-laptop.json").unlink()
    with open_collection(conflict.laptop, clock, "laptop") as rebuilt:
        assert sorted(r.id for r in rebuilt.reviews()) == sorted(conflict.every_review + later)


def test_a_real_computer_whose_id_looks_like_a_copy_is_still_a_computer(tmp_path, clock):
    """A device id may end in "-DESKTOP7": what its journal holds says whose it is."""
    folder = tmp_path / "folder"
    with open_collection(folder, clock, "laptop-DESKTOP7") as other:
        other.import_deck(words())
        graded = study(other, clock, ["words-0", "words-1"])
    with open_collection(folder, clock, "laptop") as collection:
        assert collection.load_report.warnings == []
        assert sorted(r.id for r in collection.reviews()) == sorted(graded)
    assert "journal-laptop-DESKTOP7.jsonl" in snapshot_header(folder, "laptop")["journals"]


def test_a_copy_of_a_later_segment_is_merged_too(tmp_path, clock, monkeypatch):
    from flashcards.core import journal as journal_module

    monkeypatch.setattr(journal_module, "SEGMENT_BYTES", 4096)
    conflict = Conflict(tmp_path, clock)
    # The other side's version of its newest segment, which holds the review only it has.
    newest = max((tmp_path / "other-side").glob("journal-laptop@*.jsonl"))
    assert (conflict.laptop / newest.name).exists(), "both sides wrote that segment"
    name = newest.name.replace(".jsonl", "-DESKTOP7.jsonl")
    (conflict.laptop / name).write_bytes(newest.read_bytes())
    with open_collection(conflict.laptop, clock, "laptop") as collection:
        (warning,) = copy_warnings(collection.load_report.warnings, name)
        assert "merged" in warning
        assert collection.progress("words-13") == conflict.words_13
        assert sorted(r.id for r in collection.reviews()) == conflict.every_review
    header = snapshot_header(conflict.laptop, "laptop")
    assert name not in header["journals"] and name in header["copies"]


def test_a_copy_an_earlier_version_counted_as_a_computer_is_counted_once_again(tmp_path, clock):
    from flashcards.core.snapshot import decode, encode

    conflict = Conflict(tmp_path, clock)
    name = COPY_NAMES["onedrive"]
    folder = conflict.on_the_laptop(name)
    with open_collection(folder, clock, "laptop"):
        pass
    # The snapshot as the version before this one wrote it: the copy read as another computer's
    # journal, its reviews counted twice.
    snapshot = folder / "snapshot-laptop.json"
    state, header = decode(snapshot.read_bytes())
    journals = dict(header["journals"])
    journals[name] = header["copies"][name]
    state.review_count += 13
    snapshot.write_bytes(encode(state, journals, "laptop", {}))
    with open_collection(folder, clock, "laptop") as collection:
        assert collection.load_report.rebuilt
        assert sorted(r.id for r in collection.reviews()) == conflict.every_review
    header = snapshot_header(folder, "laptop")
    assert name not in header["journals"]
    assert header["review_count"] == len(conflict.every_review)


def test_a_review_damaged_in_the_journal_but_whole_in_the_copy_is_taken_from_the_copy(
        tmp_path, clock):
    conflict = Conflict(tmp_path, clock)
    journal = conflict.laptop / "journal-laptop.jsonl"
    lines = journal.read_bytes().splitlines(keepends=True)
    damaged = next(i for i, line in enumerate(lines) if json.loads(line)["type"] == "grade")
    review = json.loads(lines[damaged])["id"]
    # Its opening, id included, is still there; the rest is zero bytes.
    opening = lines[damaged].index(b'"device"')
    lines[damaged] = lines[damaged][:opening] + b"\0" * (len(lines[damaged]) - opening - 1) + b"\n"
    journal.write_bytes(b"".join(lines))
    (conflict.laptop / "snapshot-laptop.json").unlink()
    name = COPY_NAMES["syncthing"]
    (conflict.laptop / name).write_bytes(conflict.copy)
    with open_collection(conflict.laptop, clock, "laptop") as collection:
        assert review in {r.id for r in collection.reviews()}
        assert sorted(r.id for r in collection.reviews()) == conflict.every_review
