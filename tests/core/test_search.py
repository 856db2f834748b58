"""Finding cards: the deck: search, the order cards come in, and each card's number of reviews."""

from datetime import datetime, timezone

import pytest

from flashcards.core.clock import FakeClock
from flashcards.core.collection import Collection
from flashcards.core.deck import Card, Deck
from flashcards.core.progress import Rating
from flashcards.core.search import SearchError, parse_search


@pytest.mark.parametrize("search, name, takes", [
    ("", "anything", True),
    ("deck:French", "french", True),
    ("deck:French", "French::Verbs", True),
    ("deck:French", "French words", False),
    ("deck:French", "Old French", False),
    ('deck:"French words"', "French words", True),
    ('"deck:French words"', "FRENCH WORDS", True),
    ("deck:French words", "French words", True),
    ("deck:Fr*ds", "French words", True),
    ("deck:*::Verbs", "French::Verbs", True),
    ("deck:*::Verbs", "Verbs", False),
    (r"deck:a\*b", "a*b", True),
    (r"deck:a\*b", "axb", False),
    ("deck:a.b", "axb", False),
    ("deck:*", "", True),
])
def test_a_deck_search_takes_names_as_anki_does(search, name, takes):
    assert parse_search(search).takes_deck(name) is takes


@pytest.mark.parametrize("search", ["cat", "tag:verb", "deck:", 'deck:""', 'deck:"French',
                                    '"deck:x'])
def test_other_searches_are_refused(search):
    with pytest.raises(SearchError):
        parse_search(search)


@pytest.fixture
def collection(tmp_path):
    clock = FakeClock(datetime(2026, 3, 2, 10, 0, tzinfo=timezone.utc))
    with Collection.open(tmp_path / "data", "laptop", clock=clock, tz=timezone.utc) as col:
        for deck_id, name in (("b", "beta"), ("a", "Alpha"), ("c", "Alpha::Sub")):
            col.import_deck(Deck(deck_id, name, cards=[
                Card(f"{deck_id}-{i}", f"q{i}", f"a{i}") for i in (3, 1, 2)]))
        yield col


def test_cards_come_by_deck_name_then_in_each_decks_order(collection):
    assert [card.id for _deck, card in collection.find_cards()] == [
        "a-3", "a-1", "a-2", "c-3", "c-1", "c-2", "b-3", "b-1", "b-2"]
    assert [deck.name for deck, _card in collection.find_cards("deck:alpha")] == (
        ["Alpha"] * 3 + ["Alpha::Sub"] * 3)


def test_review_counts_count_each_cards_grades_in_the_history(collection):
    for card_id, ratings in (("a-3", [Rating.AGAIN, Rating.GOOD]), ("b-1", [Rating.EASY])):
        for rating in ratings:
            collection.grade(card_id, rating)
    counts = collection.review_counts()
    assert counts == {"a-3": 2, "b-1": 1}
    assert counts["a-1"] == 0
    assert sum(counts.values()) == len(collection.reviews())
