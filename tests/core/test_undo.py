"""Undo: the last operation taken back by new events, never by deleting history."""

import shutil
from datetime import datetime, timezone

import pytest
from collection_views import everything

from flashcards.core.clock import FakeClock
from flashcards.core.collection import Collection
from flashcards.core.deck import Card, Deck
from flashcards.core.importing import ImportedDecks, ImportedReview
from flashcards.core.progress import Rating
from flashcards.core.review import ReviewSession, Screen

UTC = timezone.utc
WORDS = [f"words-{i}" for i in range(6)]
WORDS_DECK = Deck("words", "Words", cards=[Card(c, c, c) for c in WORDS])


@pytest.fixture
def clock():
    return FakeClock(datetime(2025, 3, 3, 9, 0, tzinfo=UTC))


def open_collection(folder, clock, device="laptop"):
    return Collection.open(folder, device, clock=clock, tz=UTC)


@pytest.fixture
def collection(tmp_path, clock):
    with open_collection(tmp_path / "data", clock) as collection:
        collection.import_deck(Deck("words", "Words", cards=[
            Card(card_id, f"front {i}", f"back {i}") for i, card_id in enumerate(WORDS)]))
        yield collection


def grade(collection, clock, card_id, rating=Rating.GOOD):
    collection.preview(card_id)
    clock.advance(seconds=8)
    return collection.grade(card_id, rating)


def test_a_grade_says_which_card_and_deck_it_changed(collection, clock):
    changes = grade(collection, clock, "words-0")
    assert changes.cards == {"words-0"} and changes.decks == {"words"}
    assert not changes.everything
    assert collection.undo_label == "Good", "a grade is undone by its name, as in Anki"


def test_undoing_a_grade_brings_back_the_card_as_it_was(collection, clock):
    grade(collection, clock, "words-0")
    clock.advance(minutes=15)
    before = everything(collection, WORDS)
    grade(collection, clock, "words-0", Rating.AGAIN)
    clock.advance(seconds=30)
    changes = collection.undo()
    assert changes.card_to_show == "words-0" and changes.decks == {"words"}
    after = everything(collection, WORDS)
    assert after["progress"] == before["progress"]
    assert after["counts"] == before["counts"]
    assert after["reviews"] == before["reviews"], "the undone grade leaves the history"


def test_undo_walks_back_one_grade_at_a_time_to_the_import(collection, clock):
    fresh = everything(collection, WORDS)
    for card_id in WORDS[:3]:
        grade(collection, clock, card_id)
    for _ in range(3):
        assert collection.undo()
    assert collection.undo_label == "Import", "the deck's import is the step before the grades"
    assert everything(collection, WORDS)["progress"] == fresh["progress"]
    assert everything(collection, WORDS)["counts"] == fresh["counts"]


def test_an_undo_lasts_through_reopening_and_a_rebuild_from_the_journals(tmp_path, clock):
    folder = tmp_path / "data"
    with open_collection(folder, clock) as collection:
        collection.import_deck(WORDS_DECK)
        grade(collection, clock, "words-0")
        grade(collection, clock, "words-1")
        collection.undo()
        expected = everything(collection, WORDS)
    with open_collection(folder, clock) as reopened:
        assert everything(reopened, WORDS) == expected
    for snapshot in folder.glob("snapshot-*.json"):
        snapshot.unlink()
    with open_collection(folder, clock) as rebuilt:
        assert rebuilt.load_report.rebuilt
        assert everything(rebuilt, WORDS) == expected


def test_the_journal_keeps_the_undone_grade_and_the_undo(collection, clock, tmp_path):
    graded = grade(collection, clock, "words-0")
    collection.undo()
    lines = (tmp_path / "data" / "journal-laptop.jsonl").read_text().splitlines()
    assert graded.created[0] in lines[-2] and '"type":"grade_undone"' in lines[-1]


def test_a_journal_copied_twice_over_counts_each_change_once(tmp_path, clock):
    folder = tmp_path / "data"
    with open_collection(folder, clock) as collection:
        collection.import_deck(WORDS_DECK)
        for card_id in WORDS[:4]:
            grade(collection, clock, card_id)
        collection.undo()
        expected = everything(collection, WORDS)
    journal = folder / "journal-laptop.jsonl"
    journal.write_bytes(journal.read_bytes() * 2)
    for snapshot in folder.glob("snapshot-*.json"):
        snapshot.unlink()
    with open_collection(folder, clock) as doubled:
        assert everything(doubled, WORDS) == expected


def test_another_computer_sharing_the_folder_sees_the_undo(tmp_path, clock):
    laptop_folder, desk_folder = tmp_path / "laptop", tmp_path / "desk"
    with open_collection(laptop_folder, clock) as laptop:
        laptop.import_deck(WORDS_DECK)
        grade(laptop, clock, "words-0")
        grade(laptop, clock, "words-1")
        laptop.undo()
        expected = everything(laptop, WORDS)
    shutil.copytree(laptop_folder, desk_folder)
    for snapshot in desk_folder.glob("snapshot-*.json"):
        snapshot.unlink()
    with open_collection(desk_folder, clock, device="desk") as desk:
        assert everything(desk, WORDS) == expected


def test_undoing_an_import_takes_its_decks_and_history_away(collection, clock):
    before = everything(collection, WORDS)
    imported = ImportedDecks(
        decks=[Deck("verbs", "Verbs", cards=[Card("verbs-0", "go", "aller")]),
               Deck("words", "Words", cards=[Card("words-9", "extra", "card")])],
        reviews=[ImportedReview("verbs-0", datetime(2025, 2, 1, 9, tzinfo=UTC), Rating.GOOD)])
    done = collection.import_decks(imported)
    assert done.changes.deck_list and {"verbs", "words"} <= done.changes.decks
    assert collection.progress("verbs-0") is not None
    assert collection.undo_label == "Import"
    collection.undo()
    assert not collection.has_deck("verbs")
    assert collection.progress("verbs-0") is None
    assert everything(collection, WORDS) == before


def test_undoing_a_removed_deck_brings_it_back_with_its_progress(collection, clock):
    grade(collection, clock, "words-2")
    before = everything(collection, WORDS)
    collection.remove_deck("words")
    assert collection.decks() == []
    assert collection.undo_label == "Delete deck"
    assert collection.undo().deck_list
    assert everything(collection, WORDS) == before


def test_undoing_a_setting_puts_the_old_value_back(collection):
    collection.change_setting("new_per_day", 3)
    assert collection.counts("words").new == 3
    collection.undo()
    assert collection.settings.new_per_day == 20
    assert collection.counts("words").new == 6


def test_a_restored_backup_cannot_be_undone_step_by_step(collection, clock):
    grade(collection, clock, "words-0")
    collection.save_snapshot()
    grade(collection, clock, "words-1")
    (backup,) = collection.backups()
    assert collection.restore_backup(backup.path).everything
    assert collection.undo_label is None


def test_undo_in_a_study_session_shows_the_card_again_question_first(collection, clock):
    session = ReviewSession(collection, "words")
    first = session.card
    session.show_answer()
    clock.advance(seconds=5)
    session.grade(Rating.GOOD)
    assert session.card != first
    session.undo()
    assert session.card == first and session.screen is Screen.QUESTION
    assert session.counts.new == 6
    assert [button.interval for button in session.buttons][2] == "10m"


def test_an_undone_grade_is_not_counted_among_a_cards_reviews(collection, clock):
    grade(collection, clock, "words-0")
    grade(collection, clock, "words-0", Rating.AGAIN)
    collection.undo()
    assert collection.review_counts()["words-0"] == 1


# -- redo ----------------------------------------------------------------------------------------
def test_redo_grades_the_card_again_with_the_same_outcome(collection, clock):
    grade(collection, clock, "words-0", Rating.GOOD)
    graded = everything(collection, WORDS)
    collection.undo()
    assert collection.redo_label == "Good" and collection.undo_label == "Import"
    changes = collection.redo()
    assert changes.cards == {"words-0"} and changes.card_to_show is None
    after = everything(collection, WORDS)
    assert after["progress"] == graded["progress"] and after["counts"] == graded["counts"]
    assert collection.review_counts()["words-0"] == 1, "one grade in the history, not two"
    assert collection.undo_label == "Good" and collection.redo_label is None


def test_undo_and_redo_walk_back_and_forth_over_several_steps(collection, clock):
    fresh = everything(collection, WORDS)
    grade(collection, clock, "words-0", Rating.EASY)
    collection.flag(["words-1"], 2)
    collection.bury(["words-2"])
    done = everything(collection, WORDS)
    for _ in range(3):
        collection.undo()
    assert everything(collection, WORDS)["counts"] == fresh["counts"]
    assert collection.redo_label == "Easy"
    assert [collection.redo() and collection.undo_label for _ in range(3)] == [
        "Easy", "Flag", "Bury"]
    assert collection.redo_label is None and not collection.redo()
    again = everything(collection, WORDS)
    assert (again["progress"], again["counts"]) == (done["progress"], done["counts"])
    assert collection.marks("words-1").flag == 2


def test_a_new_operation_ends_what_could_be_redone(collection, clock):
    grade(collection, clock, "words-0")
    collection.undo()
    collection.flag(["words-3"], 1)
    assert collection.redo_label is None
    assert not collection.redo()
    assert collection.progress("words-0") is None


def test_redo_appends_to_the_journal_and_lasts_through_a_rebuild(tmp_path, clock):
    folder = tmp_path / "data"
    with open_collection(folder, clock) as collection:
        collection.import_deck(WORDS_DECK)
        added = collection.add_card("words", "extra", "card").created[0]
        collection.undo()
        collection.redo()
        journal = (folder / "journal-laptop.jsonl").read_text().splitlines()
        assert [line.count('"card_added"') for line in journal[-3:]] == [1, 0, 1]
        assert '"card_removed"' in journal[-2]
        expected = everything(collection, WORDS)
    for snapshot in folder.glob("snapshot-*.json"):
        snapshot.unlink()
    with open_collection(folder, clock) as rebuilt:
        assert rebuilt.card(added)[1].front == "extra"
        assert everything(rebuilt, WORDS) == expected


def test_redoing_a_setting_and_undoing_it_again(collection):
    collection.change_setting("new_per_day", 3)
    collection.undo()
    assert collection.redo_label == "Change setting"
    assert collection.redo().settings and collection.settings.new_per_day == 3
    collection.undo()
    assert collection.settings.new_per_day == 20


def test_an_undone_import_cannot_be_redone(collection):
    collection.import_deck(Deck("verbs", "Verbs", cards=[Card("verbs-0", "go", "aller")]))
    collection.flag(["verbs-0"], 1)
    collection.undo()
    collection.undo()
    assert not collection.has_deck("verbs")
    assert collection.redo_label is None, "the flag needs the import, which cannot come back"


def test_redo_on_another_computer_sharing_the_folder(tmp_path, clock):
    laptop_folder, desk_folder = tmp_path / "laptop", tmp_path / "desk"
    with open_collection(laptop_folder, clock) as laptop:
        laptop.import_deck(WORDS_DECK)
        grade(laptop, clock, "words-0")
        laptop.undo()
        laptop.redo()
        expected = everything(laptop, WORDS)
    shutil.copytree(laptop_folder, desk_folder)
    for snapshot in desk_folder.glob("snapshot-*.json"):
        snapshot.unlink()
    with open_collection(desk_folder, clock, device="desk") as desk:
        assert everything(desk, WORDS) == expected


def test_undoing_a_delete_or_a_change_of_deck_puts_the_card_back_in_its_place(tmp_path, clock):
    """New cards are studied in deck order: an undone mistake must not send a card to the end."""
    folder = tmp_path / "data"
    with open_collection(folder, clock) as collection:
        collection.import_deck(Deck("words", "Words", cards=[
            Card(card_id, f"front {i}", f"back {i}") for i, card_id in enumerate(WORDS)]))
        collection.import_deck(Deck("other", "Other", cards=[Card("o1", "other", "side")]))
        order = [card.id for card in collection.deck("words").cards]
        collection.remove_cards([order[1]])
        clock.advance(seconds=5)
        collection.move_cards([order[2]], "other")
        clock.advance(seconds=5)
        collection.undo()
        collection.undo()
        assert [card.id for card in collection.deck("words").cards] == order
        assert collection.next_card("words").id == order[0]
    with open_collection(folder, clock) as reopened:
        assert [card.id for card in reopened.deck("words").cards] == order
    for snapshot in folder.glob("snapshot-*.json"):
        snapshot.unlink()
    with open_collection(folder, clock) as rebuilt:
        assert [card.id for card in rebuilt.deck("words").cards] == order
