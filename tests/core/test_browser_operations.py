"""What the card browser asks of the collection: tags changed on many cards at once, and review
counts read while the learner goes on studying."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from flashcards.core.clock import FakeClock
from flashcards.core.collection import Collection
from flashcards.core.deck import Card, Deck
from flashcards.core.progress import Rating

UTC = timezone.utc
WORDS = Deck("words", "Words", cards=[
    Card("w0", "chat", "cat", ("animals",)),
    Card("w1", "chien", "dog", ("Animals", "pets")),
    Card("w2", "rouge", "red"),
])


@pytest.fixture
def clock():
    return FakeClock(datetime(2026, 3, 3, 9, tzinfo=UTC))


@pytest.fixture
def collection(tmp_path, clock):
    with Collection.open(tmp_path, "laptop", clock=clock, tz=UTC) as collection:
        collection.import_deck(WORDS)
        yield collection


def tags(collection: Collection) -> dict[str, tuple[str, ...]]:
    return {card.id: card.tags for card in collection.deck("words").cards}


def test_added_tags_go_at_the_end_once_whatever_their_case(collection):
    changes = collection.change_tags(["w0", "w1", "w2"], add=["pets french"])
    assert tags(collection) == {"w0": ("animals", "pets", "french"),
                                "w1": ("Animals", "pets", "french"), "w2": ("pets", "french")}
    assert changes.cards == {"w0", "w1", "w2"} and changes.decks == {"words"}
    assert collection.undo_label == "Add tags"
    collection.change_tags(["w1"], add="PETS")
    assert tags(collection)["w1"] == ("Animals", "pets", "french"), "no second pets"


def test_removed_tags_go_whatever_their_case_and_undo_brings_them_back(collection):
    collection.change_tags(["w0", "w1", "w2"], remove=["animals"])
    assert tags(collection) == {"w0": (), "w1": ("pets",), "w2": ()}
    assert collection.undo_label == "Remove tags"
    collection.undo()
    assert tags(collection) == {"w0": ("animals",), "w1": ("Animals", "pets"), "w2": ()}


def test_cards_whose_tags_would_not_change_are_not_written(collection):
    journal = collection.store.journal_path
    before = journal.read_text().count("\n")
    changes = collection.change_tags(["w0", "w2"], add="animals", remove="pets")
    assert changes.cards == {"w2"}
    assert journal.read_text().count("\n") == before + 1, "one event, for w2 alone"
    assert not collection.change_tags(["w0"], add="animals")


def test_tags_changed_are_there_after_reopening(collection, clock):
    collection.change_tags(["w2"], add="colours")
    folder = collection.store.folder
    collection.close()
    with Collection.open(folder, "laptop", clock=clock, tz=UTC) as again:
        assert again.card("w2")[1].tags == ("colours",)


def read_through(steps) -> tuple[object, int]:
    """What the last step gives, and how many steps gave nothing before it."""
    empty = 0
    for step in steps:
        if step is not None:
            return step, empty
        empty += 1
    raise AssertionError("the reading ended without counts")


def test_counts_read_a_little_at_a_time_follow_grades_made_meanwhile_and_after(collection):
    collection.grade("w0", Rating.GOOD)
    collection.grade("w1", Rating.GOOD)
    collection.grade("w1", Rating.AGAIN)
    steps = collection.review_counts_reading()
    collection.grade("w0", Rating.GOOD)  # while the reading goes on
    collection.undo()
    collection.undo()  # a grade made before the reading began
    counts, _steps = read_through(steps)
    assert (counts["w0"], counts["w1"], counts["w2"]) == (1, 1, 0)
    collection.redo()
    collection.grade("w2", Rating.EASY)
    history = collection.review_counts()
    assert (counts["w0"], counts["w1"], counts["w2"]) == (history["w0"], history["w1"], 1)
    assert history["w1"] == 2


def test_a_long_history_is_read_in_many_short_steps(tmp_path, clock):
    with Collection.open(tmp_path, "laptop", clock=clock, tz=UTC) as collection:
        collection.import_deck(Deck("many", "Many", cards=[Card(f"m{i}", f"q{i}", f"a{i}")
                                                            for i in range(300)]))
        for i in range(300):
            collection.grade(f"m{i}", Rating.GOOD)
        with Collection.open(tmp_path, "desk", clock=clock, tz=UTC) as other:
            counts, empty_steps = read_through(other.review_counts_reading())
            assert [counts[f"m{i}"] for i in range(300)] == [1] * 300
            assert empty_steps >= 2
