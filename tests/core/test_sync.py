"""Two devices, two data folders, and a sync tool copying files between them in any order."""

import json
import random
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from collection_views import everything

from flashcards.core.clock import FakeClock
from flashcards.core.collection import Collection
from flashcards.core.deck import Card, Deck
from flashcards.core.progress import Rating

UTC = timezone.utc
START = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


def deck(revision=1, count=12, deck_id="words"):
    cards = [Card(f"{deck_id}-{i}", f"front {i} r{revision}", f"back {i}") for i in range(count)]
    return Deck(deck_id, deck_id.capitalize(), cards=cards, revision=revision)


class Device:
    """One computer: its own data folder, clock and device id."""

    def __init__(self, root: Path, name: str, skew: timedelta = timedelta()) -> None:
        self.name = name
        self.folder = root / name
        self.clock = FakeClock(START + skew)
        self.collection: Collection | None = None
        self.graded: list[str] = []

    def open(self) -> Collection:
        self.collection = Collection.open(self.folder, self.name, clock=self.clock, tz=UTC)
        return self.collection

    def close(self) -> None:
        self.collection.close()
        self.collection = None

    def grade(self, card_id: str, rating: Rating = Rating.GOOD) -> None:
        self.collection.preview(card_id)
        self.clock.advance(seconds=9)
        self.graded.append(self.collection.grade(card_id, rating).created[0])


def copy_across(source: Device, target: Device, cut: int | None = None) -> None:
    """What a sync tool does: bring the source device's files over, whole or part-way through."""
    target.folder.mkdir(parents=True, exist_ok=True)
    for path in source.folder.rglob("*"):
        if path.is_dir() or path.name.startswith(".") or target.name in path.name:
            continue
        destination = target.folder / path.relative_to(source.folder)
        destination.parent.mkdir(parents=True, exist_ok=True)
        data = path.read_bytes()
        if cut is not None and path.name.startswith("journal-"):
            data = data[:min(cut, len(data))]
        staging = destination.with_name(f".syncing-{destination.name}")
        staging.write_bytes(data)
        staging.replace(destination)


def same_moment(devices) -> None:
    """Look at both devices at one moment, so that what is due today compares too."""
    latest = max(device.clock.now() for device in devices)
    for device in devices:
        device.clock.set(latest)


def open_both_with_the_deck(desk: Device, laptop: Device) -> None:
    """The deck made on the desk, synced to the laptop, and both computers open."""
    desk.open().import_deck(deck())
    desk.close()
    copy_across(desk, laptop)
    desk.open(), laptop.open()


# Cards whose progress is compared even when no deck holds them any more.
WORDS = ("words-0", "words-1")


@pytest.fixture
def devices(tmp_path):
    return Device(tmp_path, "desk"), Device(tmp_path, "laptop", skew=timedelta(minutes=3))


def test_both_devices_grading_the_same_card_while_apart_converge(devices):
    desk, laptop = devices
    open_both_with_the_deck(desk, laptop)
    desk.grade("words-0", Rating.AGAIN)
    laptop.grade("words-0", Rating.EASY)  # three minutes later by the laptop's clock
    desk.grade("words-1")
    desk.close(), laptop.close()
    copy_across(desk, laptop)
    copy_across(laptop, desk)
    same_moment(devices)
    seen = [device.open() for device in devices]
    assert everything(seen[0], WORDS) == everything(seen[1], WORDS)
    assert sorted(desk.graded + laptop.graded) == everything(seen[0], WORDS)["reviews"]
    assert seen[0].progress("words-0").last_review == laptop.clock.now()
    for device in devices:
        device.close()


def test_a_copy_that_arrives_mid_write_is_picked_up_when_the_rest_arrives(devices):
    desk, laptop = devices
    desk.open().import_deck(deck())
    for i in range(5):
        desk.grade(f"words-{i}")
    desk.close()
    journal = desk.folder / "journal-desk.jsonl"
    lines = journal.read_bytes().splitlines(keepends=True)
    first_grade = next(i for i, line in enumerate(lines) if b'"type":"grade"' in line)
    middle_of_the_fourth_grade = sum(len(line) for line in lines[:first_grade + 3]) + 25
    copy_across(desk, laptop, cut=middle_of_the_fourth_grade)
    with laptop.open() as early:
        assert early.load_report.warnings == []
        assert [early.progress(f"words-{i}") is not None for i in range(5)] == [True] * 3 + [False] * 2
    copy_across(desk, laptop)
    same_moment(devices)
    with laptop.open() as late, desk.open() as original:
        assert everything(late, WORDS) == everything(original, WORDS)


def test_an_open_window_picks_up_the_other_device_on_refresh(devices):
    desk, laptop = devices
    open_both_with_the_deck(desk, laptop)
    desk.grade("words-2")
    copy_across(desk, laptop)
    assert laptop.collection.progress("words-2") is None
    report = laptop.collection.refresh()
    assert report.warnings == [] and not report.rebuilt
    assert laptop.collection.progress("words-2") == desk.collection.progress("words-2")
    laptop.grade("words-2")
    desk.close(), laptop.close()


def test_a_card_on_screen_graded_meanwhile_on_the_other_device_is_graded_from_that_progress(devices):
    """The buttons were worked out before the other grade arrived; the grade must not reuse them."""
    desk, laptop = devices
    open_both_with_the_deck(desk, laptop)
    laptop.collection.preview("words-3")  # the card is on the laptop's screen
    desk.grade("words-3", Rating.AGAIN)
    copy_across(desk, laptop)
    laptop.collection.refresh()
    laptop.clock.advance(seconds=9)
    graded = laptop.collection.grade("words-3", Rating.GOOD)
    review = next(r for r in laptop.collection.reviews() if r.id == graded.created[0])
    assert review.phase_before == desk.collection.progress("words-3").phase
    assert laptop.collection.progress("words-3").reps == 2
    desk.close(), laptop.close()


@pytest.mark.parametrize("seed", range(8))
def test_any_order_of_copies_converges_and_loses_no_review(devices, seed):
    rng = random.Random(seed)
    desk, laptop = devices
    desk.open().import_deck(deck())
    desk.close()
    for _ in range(12):
        device = rng.choice(devices)
        other = laptop if device is desk else desk
        if device.collection is None:
            device.open()
        roll = rng.random()
        if roll < 0.6 and device.collection.has_deck("words"):
            # A copy cut part-way through an import brings only some of the deck's cards.
            present = [card.id for card in device.collection.deck("words").cards]
            for _ in range(rng.randint(1, 4) if present else 0):
                device.grade(rng.choice(present), rng.choice(list(Rating)))
        elif roll < 0.7:
            device.collection.change_setting("new_per_day", rng.randint(1, 50))
        elif roll < 0.8:
            device.collection.import_deck(deck(revision=rng.randint(2, 5)))
        device.clock.advance(minutes=rng.randint(1, 600))
        if rng.random() < 0.3:
            device.close()
        cut = rng.randint(0, 4000) if rng.random() < 0.4 else None
        copy_across(other, device, cut=cut)
        if device.collection is not None and rng.random() < 0.5:
            device.collection.refresh()
    for device in devices:
        if device.collection is not None:
            device.close()
    copy_across(desk, laptop)
    copy_across(laptop, desk)
    same_moment(devices)
    desk_view, laptop_view = desk.open(), laptop.open()
    assert everything(desk_view, WORDS) == everything(laptop_view, WORDS)
    assert sorted(desk.graded + laptop.graded) == everything(desk_view, WORDS)["reviews"]
    desk.close(), laptop.close()


def test_a_restore_on_one_device_reaches_the_other(devices):
    desk, laptop = devices
    desk.open().import_deck(deck())
    desk.grade("words-0")
    desk.close()  # the day's backup is written here
    backed_up = desk.open()
    before = everything(backed_up, WORDS)
    desk.clock.advance(days=1)
    desk.grade("words-0", Rating.AGAIN)
    desk.grade("words-5")
    desk.collection.import_deck(deck(revision=2))
    desk.collection.change_setting("reviews_per_day", 50)
    journal_before = (desk.folder / "journal-desk.jsonl").read_bytes()
    (backup,) = desk.collection.backups()
    assert desk.collection.restore_backup(backup.path).everything
    written = (desk.folder / "journal-desk.jsonl").read_bytes()[len(journal_before):]
    kinds = Counter(json.loads(line)["type"] for line in written.splitlines())
    # The deck's revision, each card's text, two cards' progress, a setting back to its default.
    assert kinds == {"deck_revised": 1, "card_edited": 12, "progress": 2, "setting_removed": 1}
    after = everything(desk.collection, WORDS)
    for part in ("decks", "progress", "settings"):
        assert after[part] == before[part]
    assert set(before["reviews"]) < set(after["reviews"]), "the history keeps every review"
    assert (desk.folder / "journal-desk.jsonl").read_bytes().startswith(journal_before)
    desk.close()
    copy_across(desk, laptop)
    same_moment(devices)
    with laptop.open() as other, desk.open() as restored:
        assert everything(other, WORDS) == everything(restored, WORDS)
