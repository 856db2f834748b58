"""A learner's changes to cards and decks: each one operation, saved at once, undoable."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from flashcards.core.clock import FakeClock
from flashcards.core.collection import Collection
from flashcards.core.deck import Card, Deck
from flashcards.core.importing import ImportedDecks, ImportedReview
from flashcards.core.progress import Rating

UTC = timezone.utc
WORDS = Deck("words", "Words", cards=[Card(f"w{i}", f"question {i}", f"answer {i}")
                                      for i in range(5)])


@pytest.fixture
def clock():
    return FakeClock(datetime(2026, 3, 3, 9, tzinfo=UTC))


@pytest.fixture
def collection(tmp_path, clock):
    with Collection.open(tmp_path, "laptop", clock=clock, tz=UTC) as collection:
        collection.import_deck(WORDS)
        yield collection


def reopened(collection: Collection, clock) -> Collection:
    folder = collection.store.folder
    collection.close()
    return Collection.open(folder, "laptop", clock=clock, tz=UTC)


def test_an_added_card_is_saved_and_studied_and_undo_takes_it_away(collection, clock):
    changes = collection.add_card("words", "chat", "cat", tags=["animals"])
    (card_id,) = changes.created
    assert changes.decks == {"words"} and changes.deck_list
    assert collection.card(card_id)[1] == Card(card_id, "chat", "cat", ("animals",))
    assert collection.card_count("words") == 6
    with reopened(collection, clock) as again:
        assert again.card(card_id)[1].front == "chat"
        assert again.undo_label is None, "undo lasts as long as the window"
    with Collection.open(collection.store.folder, "laptop", clock=clock, tz=UTC) as again:
        again.add_card("words", "chien", "dog")
        assert again.undo_label == "Add card"
        again.undo()
        assert [c.front for c in again.deck("words").cards][-1] == "chat"


def test_editing_one_card_of_a_big_deck_appends_a_few_hundred_bytes(tmp_path, clock):
    cards = [Card(f"c{i}", f"question {i} " * 8, f"answer {i} " * 20) for i in range(13_000)]
    with Collection.open(tmp_path, "laptop", clock=clock) as collection:
        collection.import_deck(Deck("big", "Big", cards=cards))
        journal = collection.store.journal_path
        before = journal.stat().st_size
        collection.edit_card("c77", back="a better answer")
        grown = journal.stat().st_size - before
        assert grown < 400, grown
        assert collection.card("c77")[1].back == "a better answer"


def test_an_edit_is_undone_and_a_second_edit_of_nothing_writes_nothing(collection):
    collection.edit_card("w1", front="new question")
    assert collection.edit_card("w1", front="new question").cards == frozenset()
    collection.undo()
    assert collection.card("w1")[1].front == "question 1"


def test_moved_and_deleted_cards_come_back_with_their_progress(collection, clock):
    collection.create_deck("Other")
    (other,) = [d.id for d in collection.decks() if d.name == "Other"]
    collection.grade("w0", Rating.GOOD)
    progress = collection.progress("w0")
    collection.move_cards(["w0", "w1"], other)
    assert [c.id for c in collection.deck(other).cards] == ["w0", "w1"]
    assert collection.progress("w0") == progress
    collection.remove_cards(["w0"])
    assert [c.id for c in collection.deck(other).cards] == ["w1"]
    assert collection.undo_label == "Delete"
    collection.undo()
    collection.undo()
    assert {c.id for c in collection.deck("words").cards} == {f"w{i}" for i in range(5)}
    assert collection.progress("w0") == progress


def test_suspended_and_buried_cards_are_not_studied(collection, clock):
    collection.suspend(["w0"])
    collection.bury(["w1"])
    assert collection.marks("w0").suspended and collection.marks("w1").buried_on(collection.today())
    assert collection.counts("words").new == 3
    assert collection.next_card("words").id == "w2"
    clock.advance(days=1)
    assert collection.counts("words").new == 4, "a buried card comes back the next day"
    collection.suspend(["w0"], suspended=False)
    assert collection.counts("words").new == 5


def test_flags_and_marks_survive_reopening_and_undo_clears_them(collection, clock):
    collection.flag(["w2", "w3"], 3)
    collection.suspend(["w4"])
    with reopened(collection, clock) as again:
        assert again.marks("w2").flag == 3 and again.marks("w4").suspended
        again.flag(["w2"], 0)
        assert again.marks("w2").flag == 0
        again.undo()
        assert again.marks("w2").flag == 3


def test_reset_makes_a_card_new_and_undo_brings_its_progress_back(collection):
    collection.grade("w0", Rating.EASY)
    progress = collection.progress("w0")
    collection.reset(["w0"])
    assert collection.progress("w0") is None
    collection.undo()
    assert collection.progress("w0") == progress


def test_decks_are_created_renamed_and_deleted_with_undo(collection):
    (deck_id,) = collection.create_deck("Spanish").created
    with pytest.raises(ValueError, match="already a deck"):
        collection.create_deck("spanish")
    collection.rename_deck(deck_id, "Spanish verbs")
    assert collection.deck(deck_id).name == "Spanish verbs"
    collection.remove_deck("words")
    assert [d.name for d in collection.decks()] == ["Spanish verbs"]
    collection.undo()
    assert collection.card_count("words") == 5


def test_a_learners_edit_survives_importing_the_same_revision_again(collection):
    collection.edit_card("w1", back="my own answer")
    collection.import_deck(WORDS)
    assert collection.card("w1")[1].back == "my own answer"
    newer = Deck("words", "Words", revision=2,
                 cards=[*WORDS.cards[:4], Card("w9", "question 9", "answer 9")])
    result = collection.import_deck(newer)
    assert collection.card("w1")[1].back == "answer 1", "a newer revision's text wins"
    assert [c.id for c in collection.deck("words").cards] == ["w0", "w1", "w2", "w3", "w9"]
    assert (result.added, result.updated) == (1, 1)


def test_an_older_revision_changes_nothing_and_a_learners_card_outlives_a_newer_one(collection):
    (mine,) = collection.add_card("words", "my question", "my answer").created
    collection.import_deck(Deck("words", "Words", revision=3, cards=WORDS.cards[:2]))
    assert [c.id for c in collection.deck("words").cards] == ["w0", "w1", mine]
    result = collection.import_deck(Deck("words", "Words", revision=2, cards=WORDS.cards))
    assert result.added == 0 and collection.card_count("words") == 3


def test_an_imported_history_has_the_same_ids_on_every_computer(tmp_path, clock):
    history = [ImportedReview("w0", datetime(2026, 1, day, tzinfo=UTC), Rating.GOOD,
                              source_id=str(1767225600000 + day)) for day in (1, 3, 9)]
    ids = []
    for device in ("laptop", "desk"):
        with Collection.open(tmp_path / device, device, clock=clock) as collection:
            collection.import_decks(ImportedDecks([WORDS], reviews=history))
            ids.append([review.id for review in collection.reviews()])
            progress = collection.progress("w0")
    assert ids[0] == ids[1] and len(ids[0]) == 3
    assert progress.due - progress.last_review < timedelta(days=60)


def test_restoring_a_backup_brings_back_deleted_cards_edits_and_marks(collection, clock):
    collection.flag(["w1"], 2)
    collection.save_snapshot()
    (backup,) = collection.backups()
    collection.remove_cards(["w0"])
    collection.edit_card("w2", front="changed")
    collection.flag(["w1"], 0)
    collection.suspend(["w3"])
    collection.restore_backup(backup.path)
    assert [c.id for c in collection.deck("words").cards][-1] == "w0"
    assert {c.id for c in collection.deck("words").cards} == {f"w{i}" for i in range(5)}
    assert collection.card("w2")[1].front == "question 2"
    assert collection.marks("w1").flag == 2 and not collection.marks("w3").suspended


def test_the_cards_command_shows_marks(collection, clock, capsys):
    import json

    from flashcards import cli

    collection.suspend(["w0"])
    collection.flag(["w1"], 4)
    folder = collection.store.folder
    collection.close()
    assert cli.main(["--data-dir", str(folder), "cards", "deck:Words", "--json"]) == 0
    rows = {row["id"]: row for row in json.loads(capsys.readouterr().out)}
    assert rows["w0"]["suspended"] and rows["w1"]["flag"] == 4 and not rows["w2"]["buried"]


def test_find_cards_takes_ankis_search_syntax(collection, clock):
    collection.grade("w0", Rating.GOOD)
    collection.suspend(["w1"])
    collection.flag(["w2"], 1)
    collection.edit_card("w3", tags=["verbs"])
    found = lambda text: [card.id for _deck, card in collection.find_cards(text)]  # noqa: E731
    assert found("is:new -is:suspended") == ["w2", "w3", "w4"]
    assert found("is:learn") == ["w0"]
    assert found("flag:1 or tag:verbs") == ["w2", "w3"]
    assert found('"question 4"') == ["w4"]
    assert found("deck:Words -question") == []


def test_a_cards_siblings_wait_until_tomorrow_and_undo_brings_them_back(collection, clock):
    forward, backward = Card("s1", "chat", "cat", note="n1"), Card("s2", "cat", "chat", note="n1")
    collection.import_deck(Deck("pairs", "Pairs", cards=[forward, backward, Card("s3", "a", "b")]))
    assert collection.counts("pairs").new == 3
    collection.grade("s1", Rating.GOOD)
    assert collection.marks("s2").buried_on(collection.today())
    assert collection.counts("pairs").new == 1, "the sibling waits; s3 does not"
    collection.undo()
    assert not collection.marks("s2").buried_on(collection.today())
    collection.grade("s1", Rating.GOOD)
    clock.advance(days=1)
    assert collection.next_card("pairs").id == "s1" or collection.counts("pairs").new == 2


def test_anki_notes_make_siblings_on_import(tmp_path):
    from flashcards.core.deck import deck_from_json, deck_to_json

    card = Card("c1", "front", "back", note="anki-note-5")
    assert deck_from_json(deck_to_json(Deck("d", "D", cards=[card]))).cards[0].note == "anki-note-5"
