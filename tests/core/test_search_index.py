"""Searching a collection that keeps changing: each search finds the cards as they are now, after
edits, grades, marks, moves, renames, removals, undo, and a new study day."""

from __future__ import annotations

import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flashcards.core.clock import FakeClock
from flashcards.core.collection import Collection
from flashcards.core.deck import Card, Deck
from flashcards.core.progress import Rating

UTC = timezone.utc
START = datetime(2026, 3, 3, 9, tzinfo=UTC)


def words() -> Deck:
    return Deck("words", "Words", cards=[Card(f"w{i}", f"question {i}", f"answer {i}")
                                         for i in range(5)])


def verbs() -> Deck:
    return Deck("verbs", "Verbs", cards=[Card(f"v{i}", f"<b>verb</b> {i}", f"meaning {i}",
                                              tags=("grammar",)) for i in range(3)])


@pytest.fixture
def clock():
    return FakeClock(START)


@pytest.fixture
def collection(tmp_path, clock):
    with Collection.open(tmp_path, "laptop", clock=clock, tz=UTC) as collection:
        collection.import_deck(words(), undoable=False)
        collection.import_deck(verbs(), undoable=False)
        yield collection


def found(collection: Collection, search: str) -> list[str]:
    return [card.id for _deck, card in collection.find_cards(search)]


def test_a_search_after_an_edit_finds_the_new_text_and_not_the_old(collection):
    assert found(collection, "question") == [f"w{i}" for i in range(5)]
    collection.edit_card("w2", front="a riddle")
    assert found(collection, "question") == ["w0", "w1", "w3", "w4"]
    assert found(collection, "riddle") == ["w2"]
    collection.undo()
    assert found(collection, "riddle") == []
    assert found(collection, '"question 2"') == ["w2"]


def test_a_search_follows_grades_and_marks(collection):
    assert found(collection, "is:new deck:Words") == [f"w{i}" for i in range(5)]
    collection.grade("w0", Rating.GOOD)
    collection.flag(["w1"], 3)
    collection.suspend(["w2"])
    collection.bury(["w3"])
    assert found(collection, "-is:new") == ["w0"]
    assert found(collection, "prop:reps=1") == ["w0"]
    assert found(collection, "flag:3") == ["w1"]
    assert found(collection, "is:suspended") == ["w2"]
    assert found(collection, "is:buried") == ["w3"]
    collection.undo()
    assert found(collection, "is:buried") == []


def test_a_search_counts_days_from_today(collection, clock):
    collection.grade("w0", Rating.EASY)
    collection.bury(["w1"])
    assert found(collection, "rated:1") == ["w0"]
    assert found(collection, "is:due") == []
    assert found(collection, "is:buried") == ["w1"]
    clock.advance(days=1)
    assert found(collection, "rated:1") == []
    assert found(collection, "rated:2") == ["w0"]
    assert found(collection, "is:buried") == []
    clock.advance(days=60)
    assert found(collection, "is:due") == ["w0"]


def test_a_search_follows_moves_renames_and_removals(collection):
    assert found(collection, "deck:Words") == [f"w{i}" for i in range(5)]
    assert found(collection, "meaning") == ["v0", "v1", "v2"]
    collection.move_cards(["v1"], "words")
    assert found(collection, "deck:Words meaning") == ["v1"]
    collection.rename_deck("verbs", "Grammar")
    assert found(collection, "deck:Grammar meaning") == ["v0", "v2"]
    assert [deck.name for deck, _card in collection.find_cards("meaning")] == [
        "Grammar", "Grammar", "Words"]
    collection.remove_cards(["v0"])
    assert found(collection, "meaning") == ["v2", "v1"]
    collection.undo()
    assert sorted(found(collection, "meaning")) == ["v0", "v1", "v2"]


# -- any changes, in any order --------------------------------------------------------------------
SEARCHES = ["question", "verb", "tag:grammar", "deck:Words", "is:new", "is:learn", "is:due",
            "is:suspended", "is:buried", "flag:2", "prop:reps>1", "prop:ivl>2", "prop:due<=1",
            "rated:2", "-tag:grammar (meaning or answer)", "w*d"]
CARDS = [f"w{i}" for i in range(5)] + [f"v{i}" for i in range(3)]


def change(collection: Collection, clock: FakeClock, what: str, card: str, number: int) -> None:
    live = {card.id for _deck, card in collection.find_cards()}
    if what == "days":
        clock.advance(days=number)
    elif what == "undo":
        collection.undo()
    elif card not in live:
        return
    elif what == "grade":
        collection.grade(card, Rating(1 + number % 4))
    elif what == "edit":
        collection.edit_card(card, front=f"word {number}", tags=["grammar"] * (number % 2))
    elif what == "flag":
        collection.flag([card], number % 3)
    elif what == "suspend":
        collection.suspend([card], number % 2 == 0)
    elif what == "bury":
        collection.bury([card], number % 2 == 0)
    elif what == "move":
        collection.move_cards([card], "words" if number % 2 else "verbs")
    elif what == "rename":
        collection.rename_deck("verbs", f"Verbs {number}")
    elif what == "remove":
        collection.remove_cards([card])


changes = st.lists(st.tuples(
    st.sampled_from(["grade", "edit", "flag", "suspend", "bury", "move", "rename", "remove",
                     "undo", "days"]),
    st.sampled_from(CARDS), st.integers(1, 7)), min_size=1, max_size=12)


@settings(max_examples=25, deadline=None)
@given(changes=changes)
def test_each_search_finds_what_a_fresh_look_at_the_folder_finds(changes):
    clock = FakeClock(START)
    with tempfile.TemporaryDirectory() as folder:
        with Collection.open(Path(folder), "laptop", clock=clock, tz=UTC) as collection:
            collection.import_deck(words(), undoable=False)
            collection.import_deck(verbs(), undoable=False)
            for what, card, number in changes:
                [collection.find_cards(search) for search in SEARCHES]  # what is kept, then changed
                change(collection, clock, what, card, number)
                with Collection.open(Path(folder), "laptop", clock=clock, tz=UTC,
                                     read_only=True) as fresh:
                    for search in SEARCHES:
                        assert found(collection, search) == found(fresh, search), search


def test_a_search_follows_changes_after_a_damaged_snapshot_was_rebuilt_from_the_journals(
        tmp_path, clock):
    folder = tmp_path / "data"
    with Collection.open(folder, "laptop", clock=clock, tz=UTC) as collection:
        collection.import_deck(words(), undoable=False)
    with Collection.open(folder, "laptop", clock=clock, tz=UTC) as reopened:
        with open(folder / "snapshot-laptop.json", "r+b") as snapshot:  # changed on disk
            data = snapshot.read()
            snapshot.seek(data.index(b"question 2"))
            snapshot.write(b"QUESTION 2")
        assert found(reopened, '"question 2"') == ["w2"]
        reopened.edit_card("w2", front="a riddle")
        assert found(reopened, "riddle") == ["w2"]
        assert "rebuilt from the journals" in " ".join(reopened.take_warnings())


def test_a_new_rollover_hour_moves_the_study_day(collection, clock):
    collection.grade("w0", Rating.GOOD)
    clock.advance(timedelta(hours=19))  # 04:00 the next day: still today until the rollover
    assert found(collection, "rated:1") == []
    collection.change_setting("rollover_hour", 5)
    assert found(collection, "rated:1") == ["w0"]
