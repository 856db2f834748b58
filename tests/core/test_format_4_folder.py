"""A data folder written by the app of snapshot format 4 (whole-deck events): what it must still show.

data/version-4-folder was made by that version (see data/README.md), and version-4-expected.json
is what that version showed on opening it. This version, with per-card events and snapshot
format 5, must show the same, keep the old snapshot aside, and go on from there.
"""

import json
import shutil
from datetime import datetime
from pathlib import Path

import pytest

from flashcards.core.clock import FakeClock
from flashcards.core.collection import Collection
from flashcards.core.snapshot import SNAPSHOT_VERSION, decode

DATA = Path(__file__).parent / "data"
EXPECTED = json.loads((DATA / "version-4-expected.json").read_text())


def copied(name: str, tmp_path: Path) -> Path:
    """A copy of one of data/'s folders, to open and change."""
    shutil.copytree(DATA / name, tmp_path / "folder")
    return tmp_path / "folder"


def opened_at(now: str, folder: Path, device: str = "laptop") -> Collection:
    from datetime import timezone

    return Collection.open(folder, device, clock=FakeClock(datetime.fromisoformat(now)),
                           tz=timezone.utc)


@pytest.fixture
def folder(tmp_path):
    return copied("version-4-folder", tmp_path)


def opened(folder, device="laptop"):
    return opened_at(EXPECTED["now"], folder, device)


def shown(collection) -> dict:
    return {
        "decks": {d.id: [d.name, [c.id for c in d.cards], d.revision] for d in collection.decks()},
        "counts": {d.id: list(vars(collection.counts(d.id)).values()) for d in collection.decks()},
        "reviews": len(collection.reviews()), "settings": collection.settings.new_per_day,
        "progress": {card.id: [p.phase.value, p.due.isoformat(), p.reps, p.lapses]
                     for _deck, card in collection.find_cards()
                     for p in [collection.progress(card.id)] if p is not None},
    }


@pytest.mark.parametrize("device", ["laptop", "desktop"])
def test_everything_the_old_version_showed_is_shown(folder, device):
    with opened(folder, device) as collection:
        assert shown(collection) == {key: EXPECTED[key] for key in
                                     ("decks", "counts", "reviews", "settings", "progress")}
        assert (folder / "media" / "rome.png").exists()


def test_the_snapshot_is_converted_once_and_a_rebuild_agrees(folder):
    with opened(folder) as collection:
        before = shown(collection)
    assert decode((folder / "snapshot-laptop.json").read_bytes())[1]["version"] == SNAPSHOT_VERSION
    (kept,) = (folder / "superseded").iterdir()
    assert kept.read_bytes() == (DATA / "version-4-folder" / "snapshot-laptop.json").read_bytes()
    with opened(folder) as again:
        assert shown(again) == before
    for snapshot in folder.glob("snapshot-*.json"):
        snapshot.unlink()
    with opened(folder) as rebuilt:
        assert shown(rebuilt) == before


def test_cards_of_an_old_folder_can_be_edited_and_removed(folder):
    with opened(folder) as collection:
        collection.edit_card("words-3", back="word three")
        collection.remove_cards(["words-4"])
    with opened(folder) as again:
        assert again.card("words-3")[1].back == "word three"
        assert "words-4" not in [c.id for c in again.deck("words").cards]
