"""Daily backups: which are kept, and restoring one."""

import json
from datetime import date, datetime, timedelta, timezone

import pytest

from flashcards.core.clock import FakeClock
from flashcards.core.collection import Collection
from flashcards.core.deck import Card, Deck
from flashcards.core.deck_options import DeckOptions
from flashcards.core.progress import Rating
from flashcards.core.store import StoreError

UTC = timezone.utc


@pytest.fixture
def clock():
    return FakeClock(datetime(2025, 3, 3, 9, 0, tzinfo=UTC))  # a Monday


def words(revision=1):
    return Deck("words", "Words", revision=revision,
                cards=[Card(f"w{i}", f"q{i} r{revision}", f"a{i}") for i in range(8)])


def use_for_a_day(folder, clock, card_id="w0"):
    with Collection.open(folder, "laptop", clock=clock, tz=UTC) as collection:
        if not collection.has_deck("words"):
            collection.import_deck(words())
        collection.preview(card_id)
        clock.advance(minutes=1)
        collection.grade(card_id, Rating.GOOD)
    clock.advance(days=1)


def test_each_day_the_app_is_used_gets_a_backup(tmp_path, clock):
    for _ in range(3):
        use_for_a_day(tmp_path, clock)
    with Collection.open(tmp_path, "laptop", clock=clock, tz=UTC) as collection:
        backups = collection.backups()
    assert [b.day for b in backups] == [date(2025, 3, 5), date(2025, 3, 4), date(2025, 3, 3)]
    for backup in backups:
        assert json.loads(backup.path.read_bytes())["format"] == "flashcards-snapshot"


def test_the_last_seven_days_and_four_weeks_are_kept(tmp_path, clock):
    for _ in range(60):
        use_for_a_day(tmp_path, clock)
    with Collection.open(tmp_path, "laptop", clock=clock, tz=UTC) as collection:
        collection.save_snapshot()  # today's backup
        today = collection.today()
        days = sorted(b.day for b in collection.backups())
    daily = [today - timedelta(days=n) for n in range(6, -1, -1)]
    assert days[-7:] == daily
    weekly = days[:-7]
    assert len(weekly) == 4
    for earlier, later in zip(weekly, weekly[1:] + [daily[0]]):
        assert timedelta(days=1) <= later - earlier <= timedelta(days=7)
    assert today - weekly[0] <= timedelta(weeks=5)


def test_backups_of_other_devices_are_listed_and_left_alone(tmp_path, clock):
    other = tmp_path / "backups" / "snapshot-desk-2020-01-01.json"
    use_for_a_day(tmp_path, clock)
    other.write_bytes((tmp_path / "snapshot-laptop.json").read_bytes())
    for _ in range(20):
        use_for_a_day(tmp_path, clock)
    with Collection.open(tmp_path, "laptop", clock=clock, tz=UTC) as collection:
        assert other in [b.path for b in collection.backups()]


def test_restoring_a_backup_brings_back_its_decks_progress_and_settings(tmp_path, clock):
    use_for_a_day(tmp_path, clock, "w0")
    with Collection.open(tmp_path, "laptop", clock=clock, tz=UTC) as collection:
        kept = {c.id: collection.progress(c.id) for c in collection.deck("words").cards}
        (backup,) = collection.backups()
        collection.import_deck(words(revision=2))
        collection.import_deck(Deck("extra", "Extra", cards=[Card("x1", "q", "a")]))
        collection.change_setting("new_per_day", 3)
        for card_id in ("w0", "w1"):
            collection.preview(card_id)
            collection.grade(card_id, Rating.AGAIN)
        reviews_before = len(collection.reviews())
        collection.restore_backup(backup.path)
        assert [d.id for d in collection.decks()] == ["words"]
        assert collection.deck("words") == words()
        assert {c.id: collection.progress(c.id) for c in collection.deck("words").cards} == kept
        assert collection.settings.new_per_day == 20
        assert len(collection.reviews()) == reviews_before, "the history is never cut"
    with Collection.open(tmp_path, "laptop", clock=clock, tz=UTC) as reopened:
        assert reopened.deck("words") == words()
        assert reopened.progress("w1") is None


def test_restoring_a_backup_brings_back_its_deck_options(tmp_path, clock):
    with Collection.open(tmp_path, "laptop", clock=clock, tz=UTC) as collection:
        collection.import_deck(words())
        kept = collection.save_preset(None, DeckOptions(name="Kept", new_per_day=5)).created[0]
        collection.use_preset(["words"], kept)
    clock.advance(days=1)
    with Collection.open(tmp_path, "laptop", clock=clock, tz=UTC) as collection:
        (backup,) = collection.backups()
        collection.save_preset(kept, DeckOptions(name="Changed", new_per_day=50))
        later = collection.save_preset(None, DeckOptions(name="Later")).created[0]
        collection.use_preset(["words"], later)
        collection.restore_backup(backup.path)
        preset_id, options = collection.deck_options("words")
        assert (preset_id, options.name, options.new_per_day) == (kept, "Kept", 5)
        assert later not in collection.presets()
        assert collection.counts("words").new == 5


def test_a_damaged_backup_is_refused_with_a_message(tmp_path, clock):
    use_for_a_day(tmp_path, clock)
    with Collection.open(tmp_path, "laptop", clock=clock, tz=UTC) as collection:
        (backup,) = collection.backups()
        backup.path.write_bytes(backup.path.read_bytes()[:-100])
        with pytest.raises(StoreError, match="cannot be used"):
            collection.restore_backup(backup.path)
        assert collection.deck("words") == words()
