"""Imports join what the collection has: nothing duplicated, nothing taken away."""

from datetime import datetime, timezone

from flashcards.core.collection import Collection
from flashcards.core.deck import Card, Deck, DeckKind
from flashcards.core.importing import ImportedDecks, ImportedReview
from flashcards.core.matching import matched_to
from flashcards.core.progress import Rating

CAPITALS = Deck("capitals", "Capitals", DeckKind.BASIC,
                [Card("capitals-fr", "France", "Paris"), Card("capitals-it", "Italy", "Rome")])


def test_a_file_with_fewer_cards_adds_to_the_deck_and_removes_nothing(tmp_path):
    with Collection.open(tmp_path, "laptop") as collection:
        collection.import_deck(CAPITALS)
        incoming = Deck("capitals", "Capitals", cards=[Card("capitals-es", "Spain", "Madrid")])
        collection.import_deck(incoming)
        assert [c.front for c in collection.deck("capitals").cards] == ["France", "Italy", "Spain"]


def test_a_deck_from_elsewhere_joins_the_deck_of_the_same_name_matching_cards_by_question():
    incoming = Deck("anki-77", "Capitals", cards=[Card("anki-1", "France", "Paris, on the Seine"),
                                                 Card("anki-2", "Spain", "Madrid")])
    history = [ImportedReview("anki-1", datetime(2025, 1, 1, tzinfo=timezone.utc), Rating.GOOD)]
    result = matched_to([CAPITALS], ImportedDecks([incoming], reviews=history))
    [joined] = result.decks
    assert joined.id == "capitals"
    assert [c.id for c in joined.cards] == ["capitals-fr", "anki-2"]
    assert joined.cards[0].back == "Paris", "a card matched only by its question is left as it is"
    assert result.reviews[0].card_id == "capitals-fr"


def test_a_card_with_a_known_id_is_updated_from_the_file(tmp_path):
    with Collection.open(tmp_path, "laptop") as collection:
        collection.import_deck(CAPITALS)
        collection.import_deck(Deck("capitals", "Capitals", cards=[Card("capitals-it", "Italy",
                                                                        "Roma")]))
        assert [(c.front, c.back) for c in collection.deck("capitals").cards] == [
            ("France", "Paris"), ("Italy", "Roma")]


def test_a_new_deck_is_left_as_it_is():
    incoming = Deck("rivers", "Rivers", cards=[Card("rivers-1", "Longest?", "The Nile")])
    assert matched_to([CAPITALS], ImportedDecks([incoming])).decks == [incoming]
