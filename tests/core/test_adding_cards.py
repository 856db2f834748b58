"""Adding cards as the Add window and `flashcards add` do: to a deck named (made when missing),
with pictures kept in the media folder."""

from datetime import datetime, timezone

import pytest

from flashcards.core.clock import FakeClock
from flashcards.core.collection import Collection
from flashcards.core.deck import Card, Deck

UTC = timezone.utc


@pytest.fixture
def collection(tmp_path):
    clock = FakeClock(datetime(2026, 3, 2, 10, 0, tzinfo=UTC))
    with Collection.open(tmp_path / "data", "laptop", clock=clock, tz=UTC) as collection:
        collection.import_deck(Deck("words", "Words", cards=[Card("w0", "chat", "cat")]))
        yield collection


def test_a_card_joins_the_deck_of_that_name_whatever_its_case(collection):
    changes = collection.add_card_to_deck_named("  WORDS ", "chien", "dog", ["animals"])
    (card_id,) = changes.created
    deck, card = collection.card(card_id)
    assert deck.id == "words" and (card.front, card.back, card.tags) == ("chien", "dog",
                                                                        ("animals",))


def test_a_missing_deck_is_made_with_the_card_in_one_write_and_one_undo(collection):
    journal = collection.store.journal_path
    lines = journal.read_text().count("\n")
    changes = collection.add_card_to_deck_named("Verbs", "aller", "to go")
    card_id, deck_id = changes.created
    assert collection.deck(deck_id).name == "Verbs" and changes.deck_list
    assert collection.card(card_id)[0].id == deck_id
    written = journal.read_text().splitlines()[lines:]
    assert len(written) == 2 and len({line.split('"seq":')[1][:4] for line in written}) == 2
    assert collection.undo_label == "Add card"
    collection.undo()
    assert [deck.name for deck in collection.decks()] == ["Words"]


def test_a_card_needs_a_front_and_a_deck_a_name(collection):
    with pytest.raises(ValueError, match="front"):
        collection.add_card_to_deck_named("Verbs", "  ", "to go")
    with pytest.raises(ValueError, match="name"):
        collection.add_card_to_deck_named(" ", "aller", "to go")
    assert [deck.name for deck in collection.decks()] == ["Words"]


def test_a_pasted_picture_is_kept_once_under_its_content(collection):
    png = b"\x89PNG\r\n\x1a\n" + b"picture" * 10
    name = collection.add_media(png, ".png")
    assert name.startswith("paste-") and name.endswith(".png")
    assert (collection.media_folder / name).read_bytes() == png
    assert collection.add_media(png, ".PNG") == name
    assert collection.add_media(png + b"!", ".png") != name
    with pytest.raises(ValueError):
        collection.add_media(png, "/../x")
