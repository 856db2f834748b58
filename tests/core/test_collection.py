"""Daily allowances, the study-day rollover and learning steps, with a fake clock."""

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flashcards.core.clock import FakeClock, StudyDays, study_day
from flashcards.core.collection import Collection, DeckCounts
from flashcards.core.deck import Card, Deck, DeckKind
from flashcards.core.progress import Phase, Rating
from flashcards.core.progress_table import micros

UTC = timezone.utc


def make_deck(count: int, deck_id: str = "words") -> Deck:
    return Deck(deck_id, "Words", DeckKind.BASIC,
                [Card(f"{deck_id}-{i}", f"question {i}", f"answer {i}") for i in range(count)])


@pytest.fixture
def clock():
    return FakeClock(datetime(2026, 3, 2, 10, 0, tzinfo=UTC))


@pytest.fixture
def collection(tmp_path, clock):
    with Collection.open(tmp_path / "data", "laptop", clock=clock, tz=UTC) as col:
        yield col


def study(collection: Collection, deck_id: str, rating: Rating, limit: int = 10_000) -> int:
    done = 0
    while done < limit and (card := collection.next_card(deck_id)) is not None:
        collection.grade(card.id, rating)
        done += 1
    return done


def test_new_cards_are_limited_to_the_daily_allowance(collection):
    collection.import_deck(make_deck(30))
    assert collection.counts("words") == DeckCounts(new=20, learning=0, due=0)


def test_studying_a_new_card_moves_it_from_new_to_learning(collection):
    collection.import_deck(make_deck(30))
    card = collection.next_card("words")
    collection.grade(card.id, Rating.GOOD)
    assert collection.counts("words") == DeckCounts(new=19, learning=1, due=0)


def test_the_allowance_is_used_up_for_the_day_and_renews_at_four_in_the_morning(collection, clock):
    collection.import_deck(make_deck(30))
    assert study(collection, "words", Rating.EASY) == 20
    assert collection.counts("words").new == 0
    assert collection.next_card("words") is None

    clock.set(datetime(2026, 3, 3, 3, 59, tzinfo=UTC))
    assert collection.counts("words").new == 0, "the study day has not rolled over yet"
    clock.set(datetime(2026, 3, 3, 4, 0, tzinfo=UTC))
    assert collection.counts("words").new == 10


def test_the_rollover_hour_is_a_setting(collection, clock):
    collection.import_deck(make_deck(30))
    study(collection, "words", Rating.EASY)
    collection.change_setting("rollover_hour", 0)
    clock.set(datetime(2026, 3, 3, 0, 30, tzinfo=UTC))
    assert collection.counts("words").new == 10


def test_study_day_follows_the_rollover_hour():
    late_night = datetime(2026, 3, 3, 2, 0, tzinfo=UTC)
    assert study_day(late_night, 4, UTC).day == 2
    assert study_day(late_night, 0, UTC).day == 3


# Clocks that change, days that start at a half or three-quarter hour, odd offsets of old times.
ZONES = ["Europe/Berlin", "America/St_Johns", "Australia/Lord_Howe", "Asia/Kathmandu",
         "Africa/Monrovia"]


def between(start: datetime, end: datetime):
    return st.datetimes(start, end, timezones=st.just(UTC))


moments = st.one_of(between(datetime(1960, 1, 1), datetime(2040, 1, 1)),
                    between(datetime(1971, 12, 25), datetime(1972, 1, 15)),  # Monrovia's change
                    between(datetime(2026, 3, 26), datetime(2026, 4, 8)),  # clocks go back
                    between(datetime(2026, 9, 24), datetime(2026, 11, 3)))


@given(zone=st.sampled_from(ZONES), rollover=st.integers(0, 23),
       moments=st.lists(moments, min_size=1, max_size=30))
def test_study_days_counts_many_times_as_study_day_does(zone, rollover, moments):
    tz = ZoneInfo(zone)
    days = StudyDays(rollover, tz)
    for moment in moments + [moment + timedelta(minutes=minutes) for moment in moments
                             for minutes in (-45, -15, 15, 45)]:
        assert days.day(micros(moment)) == study_day(moment, rollover, tz).toordinal()


def test_a_new_allowance_setting_applies_at_once(collection):
    collection.import_deck(make_deck(30))
    collection.change_setting("new_per_day", 5)
    assert collection.counts("words").new == 5


def test_reviews_due_are_capped_by_the_review_allowance(collection, clock):
    collection.import_deck(make_deck(30))
    collection.change_setting("new_per_day", 30)
    study(collection, "words", Rating.EASY)
    collection.change_setting("reviews_per_day", 7)
    clock.advance(days=60)
    assert collection.counts("words") == DeckCounts(new=0, learning=0, due=7)
    assert study(collection, "words", Rating.GOOD) == 7
    assert collection.counts("words").due == 0


def test_learning_steps_bring_a_card_back_the_same_day(collection, clock):
    collection.import_deck(make_deck(1))
    card = collection.next_card("words")
    collection.grade(card.id, Rating.AGAIN)
    progress = collection.progress(card.id)
    assert progress.phase is Phase.LEARNING
    assert progress.due - clock.now() == timedelta(minutes=1)

    collection.grade(card.id, Rating.GOOD)
    progress = collection.progress(card.id)
    assert progress.phase is Phase.LEARNING
    assert progress.due - clock.now() == timedelta(minutes=10)

    clock.advance(minutes=10)
    collection.grade(card.id, Rating.GOOD)
    progress = collection.progress(card.id)
    assert progress.phase is Phase.REVIEW
    assert progress.due - clock.now() >= timedelta(days=1)


def test_a_learning_card_due_soon_is_shown_when_nothing_else_is_left(collection, clock):
    collection.import_deck(make_deck(1))
    card = collection.next_card("words")
    collection.grade(card.id, Rating.GOOD)  # back in 10 minutes
    assert collection.next_card("words") == card
    clock.advance(minutes=5)
    assert collection.counts("words") == DeckCounts(new=0, learning=1, due=0)


def test_forgetting_a_review_card_puts_it_in_relearning(collection, clock):
    collection.import_deck(make_deck(1))
    card = collection.next_card("words")
    collection.grade(card.id, Rating.EASY)
    clock.set(collection.progress(card.id).due)
    assert collection.counts("words").due == 1
    collection.grade(card.id, Rating.AGAIN)
    progress = collection.progress(card.id)
    assert progress.phase is Phase.RELEARNING
    assert progress.lapses == 1
    assert progress.due - clock.now() == timedelta(minutes=10)


def test_next_due_is_when_the_first_card_comes_back(collection, clock):
    collection.import_deck(make_deck(1))
    card = collection.next_card("words")
    collection.grade(card.id, Rating.EASY)
    due = collection.progress(card.id).due
    next_due = collection.next_due("words")
    assert next_due is not None and clock.now() < next_due <= due
    assert next_due.hour == 4, "a review card is ready from the start of its study day"


def test_the_grade_given_matches_the_interval_previewed(collection, clock):
    collection.import_deck(make_deck(1))
    card = collection.next_card("words")
    collection.grade(card.id, Rating.EASY)
    clock.set(collection.progress(card.id).due)
    previewed = collection.preview(card.id)[Rating.GOOD].due - clock.now()
    clock.advance(seconds=20)
    collection.grade(card.id, Rating.GOOD)
    assert collection.progress(card.id).due - clock.now() == previewed


def test_progress_survives_reopening(tmp_path, clock):
    with Collection.open(tmp_path, "laptop", clock=clock, tz=UTC) as first:
        first.import_deck(make_deck(30))
        study(first, "words", Rating.GOOD, limit=3)
        before = first.counts("words")
    with Collection.open(tmp_path, "laptop", clock=clock, tz=UTC) as second:
        assert second.counts("words") == before
        assert len(second.reviews()) == 3


def test_a_newer_deck_revision_keeps_progress_on_unchanged_cards(collection):
    deck = make_deck(3)
    collection.import_deck(deck)
    first = collection.next_card("words")
    collection.grade(first.id, Rating.EASY)
    revised = Deck(deck.id, deck.name, deck.kind,
                   [deck.cards[0], Card("words-1", "question 1 (revised)", "answer 1"),
                    Card("words-9", "question 9", "answer 9")], revision=2)
    result = collection.import_deck(revised)
    assert (result.added, result.updated, result.skipped) == (1, 1, 1)
    assert collection.progress(first.id).phase is Phase.REVIEW
    assert [c.id for c in collection.deck("words").cards] == ["words-0", "words-1", "words-9"]


def test_importing_the_same_deck_twice_adds_nothing(collection):
    collection.import_deck(make_deck(5))
    result = collection.import_deck(make_deck(5))
    assert (result.added, result.updated, result.skipped) == (0, 0, 5)


def test_settings_reject_values_out_of_range(collection):
    with pytest.raises(ValueError, match="rollover_hour"):
        collection.change_setting("rollover_hour", 25)
    with pytest.raises(KeyError):
        collection.change_setting("colour", "blue")


def test_deck_ids_fold_accents_and_keep_other_scripts_apart():
    from flashcards.core.deck import slugify

    assert slugify("Café crème") == "cafe-creme"
    assert slugify("日本語") != slugify("中文")


def test_the_deck_list_counts_cards_without_reading_them(tmp_path):
    from flashcards.core.state import LazyDeck

    folder = tmp_path / "data"
    with Collection.open(folder, "laptop") as collection:
        collection.import_deck(Deck("words", "Words", cards=[Card(f"w{i}", f"q{i}", f"a{i}")
                                                             for i in range(50)]))
    with Collection.open(folder, "laptop") as reopened:
        deck = reopened.deck("words")
        assert isinstance(deck, LazyDeck) and deck.unread
        assert reopened.card_count("words") == 50
        assert reopened.counts("words").new == 20
        assert deck.unread, "counting read no card"


def test_a_deck_not_yet_read_still_reads_after_the_snapshot_was_written_anew(tmp_path):
    folder = tmp_path / "data"
    cards = [Card(f"w{i}", f"question {i}", f"answer {i}") for i in range(30)]
    with Collection.open(folder, "laptop") as collection:
        collection.import_deck(Deck("words", "Words", cards=cards))
        collection.import_deck(Deck("verbs", "Verbs", cards=[Card("v1", "go", "aller")]))
    with Collection.open(folder, "laptop") as reopened:
        assert reopened.deck("words").unread
        reopened.save_snapshot()  # a new file takes the old one's name
        (folder / "snapshot-laptop.json").write_bytes(b"")  # and even that one is gone
        assert reopened.deck("words").cards == tuple(cards)


def change_in_place(snapshot, old: bytes, new: bytes) -> None:
    """Not how the app writes (it replaces the file): the bytes of the open file change."""
    with open(snapshot, "r+b") as handle:
        data = handle.read()
        handle.seek(data.index(old))
        handle.write(new)


def test_a_snapshot_changed_in_place_before_its_cards_are_read_is_not_believed(tmp_path):
    folder = tmp_path / "data"
    with Collection.open(folder, "laptop") as collection:
        collection.import_deck(Deck("words", "Words", cards=[Card("w1", "question", "answer")]))
    with Collection.open(folder, "laptop", read_only=True) as reopened:
        change_in_place(folder / "snapshot-laptop.json", b"question", b"QUESTION")
        # The journals hold the truth, and the window hears why it was read from them.
        assert [card.front for card in reopened.deck("words").cards] == ["question"]
        told = " ".join(reopened.take_warnings())
        assert "The snapshot could not be read" in told and "rebuilt from the journals" in told


def test_a_snapshot_changed_in_place_after_it_was_checked_is_not_believed(tmp_path):
    from flashcards.core.snapshot import SnapshotUnreadable

    folder = tmp_path / "data"
    with Collection.open(folder, "laptop") as collection:
        collection.import_deck(Deck("words", "Words", cards=[Card("w1", "question", "answer")]))
        collection.import_deck(Deck("more", "More", cards=[Card("m1", "other", "side")]))
    with Collection.open(folder, "laptop", read_only=True) as reopened:
        assert reopened.deck("more").cards  # every part is checked at the first one read
        change_in_place(folder / "snapshot-laptop.json", b"question", b"QUESTION")
        with pytest.raises(SnapshotUnreadable, match="changed on disk"):
            reopened.deck("words").cards


def test_a_deck_read_lazily_can_be_copied_with_a_change(tmp_path):
    from dataclasses import replace

    folder = tmp_path / "data"
    with Collection.open(folder, "laptop") as collection:
        collection.import_deck(Deck("words", "Words", cards=[Card("w1", "question", "answer")]))
    with Collection.open(folder, "laptop", read_only=True) as reopened:
        renamed = replace(reopened.deck("words"), name="Mots")
        assert (renamed.name, renamed.cards) == ("Mots", (Card("w1", "question", "answer"),))
        assert reopened.deck("words").name == "Words"


def test_many_cards_retrievability_at_once_is_each_ones_and_leaves_out_cards_never_learnt(
        collection, clock):
    collection.import_deck(make_deck(6))
    collection.import_deck(Deck("verbs", "Verbs", DeckKind.BASIC,
                                [Card(f"verbs-{i}", f"verb {i}", f"meaning {i}") for i in range(4)]))
    for card_id, rating in (("words-0", Rating.EASY), ("words-1", Rating.AGAIN),
                            ("verbs-2", Rating.GOOD), ("words-3", Rating.HARD)):
        collection.grade(card_id, rating)
    clock.advance(days=1)
    collection.grade("words-0", Rating.GOOD)
    clock.advance(days=4)
    every_card = [f"words-{i}" for i in range(6)] + [f"verbs-{i}" for i in range(4)]
    chances = collection.retrievabilities(every_card)
    assert sorted(chances) == ["verbs-2", "words-0", "words-1", "words-3"]
    assert chances == {card_id: collection.retrievability(card_id) for card_id in chances}
    assert all(0 < chance < 1 for chance in chances.values())
