"""The deck list's counts (and its backlog's) at start-up come from the snapshot's counting digest instead of every
card's progress: they must be the very counts the cards give, at any later moment, in any time
zone, whatever was studied, suspended or buried."""

from __future__ import annotations

import random
import shutil
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flashcards.core.clock import FakeClock
from flashcards.core.collection import Collection
from flashcards.core.deck import Card, Deck
from flashcards.core.deck_options import DeckOptions
from flashcards.core.progress import Rating

ZONES = [timezone.utc, ZoneInfo("Asia/Kolkata"), ZoneInfo("America/New_York"),
         ZoneInfo("Asia/Kathmandu")]
DECKS = [("lang", "Languages", 6), ("fr", "Languages::French", 12), ("other", "Other", 10)]


def deck(deck_id: str, name: str, count: int) -> Deck:
    return Deck(deck_id, name, cards=[Card(f"{deck_id}-{i}", f"{name} {i}?", f"answer {i}")
                                      for i in range(count)])


def study(collection: Collection, clock: FakeClock, rng: random.Random, days: int) -> None:
    """A few sessions a day for `days` days: grades of every kind, some burials and suspensions."""
    card_ids = [f"{deck_id}-{i}" for deck_id, _name, count in DECKS for i in range(count)]
    for _day in range(days):
        for _session in range(rng.randint(1, 3)):
            for card_id in rng.sample(card_ids, rng.randint(1, 8)):
                collection.preview(card_id)
                collection.grade(card_id, rng.choice(list(Rating)))
                clock.advance(seconds=rng.randint(5, 400))
            if rng.random() < 0.3:
                collection.bury([rng.choice(card_ids)])
            if rng.random() < 0.2:
                collection.suspend([rng.choice(card_ids)])
            clock.advance(hours=rng.uniform(1, 9))
        clock.advance(hours=rng.uniform(0, 20))


def all_counts(folder, clock, tz) -> dict:
    with Collection.open(folder, "laptop", clock=clock, tz=tz, read_only=True) as collection:
        counts = {d.id: collection.counts(d.id) for d in collection.decks()}
        return {**counts, "overdue": collection.backlog_status().overdue}


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1), zone=st.sampled_from(ZONES),
       rollover=st.sampled_from([0, 4, 23]), later=st.lists(
           st.integers(0, 9 * 24 * 60), min_size=1, max_size=4))
def test_counts_from_the_digest_are_the_counts_the_cards_give(tmp_path_factory, seed, zone,
                                                              rollover, later):
    folder = tmp_path_factory.mktemp("folder")
    rng = random.Random(seed)
    clock = FakeClock(datetime(2026, 3, 3, 9, tzinfo=timezone.utc)
                      + timedelta(minutes=rng.randint(0, 24 * 60)))
    with Collection.open(folder, "laptop", clock=clock, tz=zone) as collection:
        collection.change_setting("rollover_hour", rollover)
        for deck_id, name, count in DECKS:
            collection.import_deck(deck(deck_id, name, count))
        # Limits small enough that what was studied today changes the counts.
        preset = collection.save_preset(None, DeckOptions(name="few", new_per_day=3,
                                                          reviews_per_day=4)).created[0]
        collection.use_preset(["fr", "other"], preset)
        study(collection, clock, rng, days=rng.randint(1, 12))
    made = clock.now()
    # The same folder without its snapshot: every count comes from the cards themselves.
    from_cards = tmp_path_factory.mktemp("from-cards")
    shutil.copytree(folder, from_cards, dirs_exist_ok=True)
    (from_cards / "snapshot-laptop.json").unlink()
    for minutes in sorted(later):
        clock.set(made + timedelta(minutes=minutes))
        assert all_counts(folder, clock, zone) == all_counts(from_cards, clock, zone), minutes


@pytest.fixture
def studied(tmp_path):
    clock = FakeClock(datetime(2026, 3, 3, 9, tzinfo=timezone.utc))
    with Collection.open(tmp_path, "laptop", clock=clock, tz=timezone.utc) as collection:
        for deck_id, name, count in DECKS:
            collection.import_deck(deck(deck_id, name, count))
        study(collection, clock, random.Random(7), days=5)
    return tmp_path, clock


def test_the_deck_list_is_counted_without_reading_every_cards_progress(studied):
    folder, clock = studied
    with Collection.open(folder, "laptop", clock=clock, tz=timezone.utc) as collection:
        counts = {d.id: collection.counts(d.id) for d in collection.decks()}
        assert [collection.card_count(d.id) for d in collection.decks()] == [6, 12, 10]
        assert collection.backlog_status().overdue > 0
        assert not collection._state.progress_read
        # Studying reads it, and the counts stay what they were.
        card = collection.next_card("other")
        assert collection._state.progress_read and card is not None
        assert {d.id: collection.counts(d.id) for d in collection.decks()} == counts


def test_a_change_after_start_is_counted(studied):
    folder, clock = studied
    with Collection.open(folder, "laptop", clock=clock, tz=timezone.utc) as collection:
        before = collection.counts("other")
        collection.suspend([card.id for card in collection.deck("other").cards])
        assert collection.counts("other").total == 0 < before.total


def test_a_learning_card_counts_from_its_minute_and_a_buried_card_from_the_next_day(tmp_path):
    clock = FakeClock(datetime(2026, 3, 3, 9, 7, tzinfo=timezone.utc))
    with Collection.open(tmp_path, "laptop", clock=clock, tz=timezone.utc) as collection:
        collection.import_deck(deck("other", "Other", 3))
        hour = collection.save_preset(None, DeckOptions(name="an hour",
                                                        learning_steps=(60.0,))).created[0]
        collection.use_preset(["other"], hour)
        collection.preview("other-0")
        collection.grade("other-0", Rating.AGAIN)  # back in an hour, as a learning card
        due = collection.progress("other-0").due
        collection.bury(["other-1"])
    moments = [due - timedelta(minutes=20, seconds=1), due - timedelta(minutes=20), due,
               datetime(2026, 3, 4, 3, 59, tzinfo=timezone.utc),
               datetime(2026, 3, 4, 4, 0, tzinfo=timezone.utc)]
    shown = []
    for moment in moments:
        clock.set(moment)
        counts = all_counts(tmp_path, clock, timezone.utc)["other"]
        shown.append((counts.new, counts.learning))
    # 20 minutes ahead a learning card counts (Anki's learn-ahead); the buried card comes back
    # when the next study day starts at 04:00.
    assert shown == [(1, 0), (1, 1), (1, 1), (1, 1), (2, 1)]
