"""What a learner does to the card on screen besides grading it, and what the screen then says:
bury, suspend, flag, edit; leeches; studying more new cards than the day's limit."""

from datetime import datetime, timedelta, timezone

import pytest

from flashcards.core.clock import FakeClock
from flashcards.core.collection import Collection
from flashcards.core.deck import Card, Deck
from flashcards.core.progress import Phase, Rating
from flashcards.core.review import ReviewSession, Screen

UTC = timezone.utc
CARDS = [Card(f"c{i}", f"question {i}", f"answer {i}") for i in range(5)]


@pytest.fixture
def clock():
    return FakeClock(datetime(2026, 3, 2, 10, 0, tzinfo=UTC))


@pytest.fixture
def collection(tmp_path, clock):
    with Collection.open(tmp_path / "data", "laptop", clock=clock, tz=UTC) as collection:
        collection.import_deck(Deck("words", "Words", cards=CARDS))
        collection.change_setting("fuzz", False)
        yield collection


@pytest.fixture
def session(collection):
    return ReviewSession(collection, "words")


def test_burying_the_card_shows_the_next_and_brings_it_back_tomorrow(session, collection, clock):
    assert session.card.id == "c0"
    session.show_answer()
    session.bury()
    assert session.take_notice() == "Card buried until tomorrow."
    assert session.take_notice() is None, "said once"
    assert session.card.id == "c1" and session.screen is Screen.QUESTION
    assert session.counts.new == 4
    clock.advance(days=1)
    assert ReviewSession(collection, "words").card.id == "c0"


def test_undoing_a_bury_puts_the_card_back_on_screen(session, collection):
    session.bury()
    assert collection.undo_label == "Bury"
    session.undo()
    assert session.card.id == "c0" and session.screen is Screen.QUESTION
    assert session.counts.new == 5
    session.redo()
    assert session.card.id == "c1" and collection.marks("c0").buried_until is not None


def test_a_suspended_card_stays_out_of_study(session, collection, clock):
    session.suspend()
    assert session.take_notice() == "Card suspended."
    assert session.card.id == "c1"
    clock.advance(days=3)
    assert ReviewSession(collection, "words").counts.new == 4
    session.undo()
    assert session.card.id == "c0" and not collection.marks("c0").suspended


def test_flag_keys_colour_the_card_and_the_same_key_clears_it(session, collection):
    session.show_answer()
    session.toggle_flag(1)
    assert session.flag == 1 and session.take_notice() == "Flagged red."
    session.toggle_flag(4)
    assert session.flag == 4 and session.take_notice() == "Flagged blue."
    session.toggle_flag(4)
    assert session.flag == 0 and session.take_notice() == "Flag removed."
    assert session.card.id == "c0" and session.screen is Screen.ANSWER, "a flag does not move on"
    session.undo()
    assert session.flag == 4 and session.screen is Screen.ANSWER


def test_an_edit_shows_at_once_on_the_same_side(session, collection):
    session.show_answer()
    session.edit("a better question", "answer 0")
    assert session.card.front == "a better question" and session.screen is Screen.ANSWER
    assert collection.card("c0")[1].front == "a better question"
    assert collection.undo_label == "Edit card"
    session.undo()
    assert session.card.front == "question 0" and session.screen is Screen.ANSWER


def test_actions_on_the_finished_screen_do_nothing(collection):
    collection.suspend([card.id for card in CARDS])
    session = ReviewSession(collection, "words")
    assert session.screen is Screen.FINISHED
    assert not session.bury() and not session.toggle_flag(1) and not session.edit("x", "y")
    assert session.take_notice() is None


def make_review_card(session, clock):
    """Study the first card until it is a review card, due some days later; the others are
    suspended, so it is the only card studied."""
    card_id = session.card.id
    session.collection.suspend([card.id for card in CARDS if card.id != card_id])
    session.resume()
    while session.collection.progress(card_id) is None or \
            session.collection.progress(card_id).phase is not Phase.REVIEW:
        session.show_answer()
        session.grade(Rating.EASY)
        clock.advance(minutes=30)
        session.resume()
    return card_id


def forget(session, collection, clock, card_id):
    """Come back when the card is due, forget it, then relearn it into a review card again;
    returns what the screen said after the Again."""
    clock.set(collection.progress(card_id).due + timedelta(minutes=1))
    session.resume()
    session.show_answer()
    session.grade(Rating.AGAIN)
    notice = session.take_notice()
    if not collection.marks(card_id).suspended:
        clock.advance(minutes=15)
        session.resume()
        session.show_answer()
        session.grade(Rating.EASY)
    return notice


def test_a_card_forgotten_eight_times_is_a_leech(collection, clock):
    session = ReviewSession(collection, "words")
    card_id = make_review_card(session, clock)
    notices = [forget(session, collection, clock, card_id) for _ in range(8)]
    assert notices[:7] == [None] * 7
    assert notices[7] == ("This card is a leech: it was forgotten 8 times and is now "
                          "suspended.")
    assert collection.progress(card_id).lapses == 8
    assert "leech" in collection.card(card_id)[1].tags and collection.marks(card_id).suspended
    assert collection.undo_label == "Again"
    session.undo()
    assert session.card.id == card_id
    assert "leech" not in collection.card(card_id)[1].tags
    assert not collection.marks(card_id).suspended
    assert collection.progress(card_id).lapses == 7


def test_the_leech_grade_is_one_write(collection, clock):
    session = ReviewSession(collection, "words")
    card_id = make_review_card(session, clock)
    for _ in range(2):
        forget(session, collection, clock, card_id)
    journal = collection.store.journal_path
    clock.set(collection.progress(card_id).due + timedelta(minutes=1))
    collection.preview(card_id)
    before = journal.read_text().count("\n")
    collection.grade(card_id, Rating.AGAIN, leech_threshold=3)
    lines = journal.read_text().splitlines()[before:]
    assert [line.split('"type":"')[1].split('"')[0] for line in lines] == [
        "grade", "card_edited", "card_suspended"]
    assert len({line.split('"seq":')[1].split(",")[0] for line in lines}) == 3


def test_a_lower_threshold_makes_a_leech_sooner_and_again_every_half_threshold(collection,
                                                                               clock):
    from flashcards.core.collection import is_leech
    from flashcards.core.progress import Progress

    def lapse(lapses):
        due = clock.now()
        return (Progress(Phase.REVIEW, due, lapses=lapses - 1),
                Progress(Phase.RELEARNING, due, lapses=lapses))

    assert [n for n in range(1, 20) if is_leech(*lapse(n), 8)] == [8, 12, 16]
    assert [n for n in range(1, 8) if is_leech(*lapse(n), 3)] == [3, 4, 5, 6, 7]
    assert not is_leech(None, lapse(8)[1], 8), "a new card graded is no lapse"


def test_study_more_new_cards_beyond_the_days_limit(collection, clock):
    collection.change_setting("new_per_day", 2)
    session = ReviewSession(collection, "words")
    for _ in range(2):
        session.show_answer()
        session.grade(Rating.EASY)
    assert session.screen is Screen.FINISHED
    assert session.new_cards_left() == 3 and session.more_new_cards == 2
    changes = session.study_more_new()
    assert changes.decks == {"words"} and collection.undo_label == "Custom study"
    assert session.screen is Screen.QUESTION and session.counts.new == 2
    assert session.card.id == "c2"
    session.undo()
    assert session.screen is Screen.FINISHED and session.new_cards_left() == 3
    session.redo()
    assert session.card.id == "c2"
    clock.advance(days=1)
    assert collection.counts("words").new == 2, "tomorrow the limit is the daily one again"


def test_studying_more_twice_the_same_day_adds_up(collection):
    collection.change_setting("new_per_day", 1)
    collection.study_more_new("words", 1)
    collection.study_more_new("words", 2)
    assert collection.counts("words").new == 4
    assert collection.new_cards_beyond_limit("words") == 1
