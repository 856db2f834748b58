"""Decks named `Parent::Child` form a tree: studying a deck takes its subdecks' cards too, under
each deck's own limits, and renaming or deleting a deck takes its subdecks along."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from flashcards.core.clock import FakeClock
from flashcards.core.collection import Collection
from flashcards.core.deck import Card, Deck
from flashcards.core.deck_options import DeckOptions
from flashcards.core.progress import Rating

UTC = timezone.utc


def words(deck_id: str, name: str, count: int) -> Deck:
    return Deck(deck_id, name, cards=[Card(f"{deck_id}-{i}", f"{name} {i}?", f"answer {i}")
                                      for i in range(count)])


@pytest.fixture
def clock():
    return FakeClock(datetime(2026, 3, 3, 9, tzinfo=UTC))


@pytest.fixture
def collection(tmp_path, clock):
    with Collection.open(tmp_path, "laptop", clock=clock, tz=UTC) as collection:
        collection.import_deck(words("lang", "Languages", 2))
        collection.import_deck(words("fr", "Languages::French", 4))
        collection.import_deck(words("fr-verbs", "Languages::French::Verbs", 3))
        collection.import_deck(words("es", "Languages::Spanish", 5))
        collection.import_deck(words("other", "Other", 6))
        yield collection


def names(collection) -> list[str]:
    return [deck.name for deck in collection.decks()]


def limited(collection, deck_ids, new_per_day):
    preset = collection.save_preset(None, DeckOptions(name=f"{new_per_day} a day",
                                                      new_per_day=new_per_day)).created[0]
    collection.use_preset(deck_ids, preset)


def test_a_parent_counts_and_studies_its_subdecks_cards(collection):
    assert collection.deck_and_subdecks("lang") == ["lang", "fr", "fr-verbs", "es"]
    assert collection.counts("lang").new == 2 + 4 + 3 + 5
    assert collection.counts("fr").new == 4 + 3
    assert collection.counts("other").new == 6
    seen = []
    while (card := collection.next_card("fr")) is not None:
        seen.append(card.id)
        collection.preview(card.id)
        collection.grade(card.id, Rating.EASY)
    # Parents first, then subdecks in name order, as Anki gathers new cards.
    assert seen == [f"fr-{i}" for i in range(4)] + [f"fr-verbs-{i}" for i in range(3)]
    assert collection.counts("lang").new == 2 + 5


def test_each_deck_keeps_to_its_own_limit_inside_its_parents(collection):
    limited(collection, ["fr"], 1)
    assert collection.counts("fr").new == 1
    # Verbs keeps its own 20, but shows no more than French above it allows.
    assert collection.counts("fr-verbs").new == 3
    assert collection.counts("lang").new == 2 + 1 + 5
    limited(collection, ["lang"], 4)
    assert collection.counts("lang").new == 4
    assert collection.counts("es").new == 5


def test_cards_studied_in_a_subdeck_count_against_its_parents_limit(collection):
    limited(collection, ["lang"], 3)
    for _ in range(2):
        card = collection.next_card("es")
        collection.preview(card.id)
        collection.grade(card.id, Rating.EASY)
    assert collection.counts("lang").new == 1
    card = collection.next_card("lang")
    collection.preview(card.id)
    collection.grade(card.id, Rating.EASY)
    assert collection.next_card("lang") is None
    assert collection.counts("es").new == 3  # studied alone, Spanish keeps its own limit


def test_renaming_a_parent_takes_its_subdecks_along_and_undo_brings_them_back(collection):
    collection.rename_deck("lang", "Words")
    assert names(collection) == ["Other", "Words", "Words::French", "Words::French::Verbs",
                                 "Words::Spanish"]
    collection.undo()
    assert names(collection)[0] == "Languages"
    collection.rename_deck("lang", "LANGUAGES")  # only its case
    assert names(collection)[:2] == ["LANGUAGES", "LANGUAGES::French"]


def test_a_deck_nested_under_another_is_studied_with_it(collection):
    collection.rename_deck("other", "Languages::Other")
    assert collection.counts("lang").new == 2 + 4 + 3 + 5 + 6
    collection.rename_deck("other", "Other")  # back to the top
    assert collection.counts("lang").new == 2 + 4 + 3 + 5


def test_a_deck_cannot_go_inside_its_own_subdeck(collection):
    with pytest.raises(ValueError, match="cannot go inside one of its own subdecks"):
        collection.rename_deck("lang", "Languages::French::Languages")


def test_a_missing_parent_is_created_with_its_child_and_undone_with_it(collection):
    created = collection.create_deck("Music::Jazz::Standards")
    assert [name for name in names(collection) if name.startswith("Music")] == [
        "Music", "Music::Jazz", "Music::Jazz::Standards"]
    assert collection.deck(created.created[0]).name == "Music::Jazz::Standards"
    collection.undo()
    assert "Music" not in names(collection)
    with pytest.raises(ValueError, match="Each part of a deck name"):
        collection.create_deck("Music::")


def test_deleting_a_parent_deletes_its_subdecks_and_undo_restores_them(collection):
    collection.remove_deck("fr")
    assert names(collection) == ["Languages", "Languages::Spanish", "Other"]
    assert collection.counts("lang").new == 2 + 5
    collection.undo()
    assert collection.counts("lang").new == 2 + 4 + 3 + 5


def test_undoing_a_grade_of_a_subdeck_card_shows_that_card_again(collection):
    from flashcards.core.review import ReviewSession, Screen

    session = ReviewSession(collection, "lang")
    for _ in range(3):  # Languages' two cards, then French's first
        session.show_answer()
        session.grade(Rating.EASY)
    session.undo()
    assert session.card.id == "fr-0" and session.screen is Screen.QUESTION
    assert session.reviewed == 2


def test_an_imported_subdeck_brings_its_missing_parents_and_undo_takes_them_back(tmp_path, clock):
    with Collection.open(tmp_path, "laptop", clock=clock, tz=UTC) as collection:
        collection.import_deck(words("other", "Other", 1))
        collection.import_deck(words("verbs", "Languages::French::Verbs", 3))
        assert names(collection) == ["Languages", "Languages::French", "Languages::French::Verbs",
                                     "Other"]
        parent = next(deck.id for deck in collection.decks() if deck.name == "Languages")
        assert collection.counts(parent).new == 3, "the parent studies its subdeck's cards"
        collection.undo()
        assert names(collection) == ["Other"]


def test_a_card_added_to_a_new_subdeck_by_name_brings_its_parents(tmp_path, clock):
    with Collection.open(tmp_path, "laptop", clock=clock, tz=UTC) as collection:
        collection.import_deck(words("lang", "languages", 1))
        card_id, deck_id = collection.add_card_to_deck_named(" Languages :: Spanish::Words ",
                                                             "el gato", "the cat").created
        assert collection.deck(deck_id).name == "Languages::Spanish::Words"
        assert names(collection) == ["languages", "Languages::Spanish",
                                     "Languages::Spanish::Words"]
        assert collection.counts("lang").new == 2
        collection.undo()
        assert names(collection) == ["languages"]
