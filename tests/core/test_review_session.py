"""The review flow without any window: question, answer, grade, next, finished."""

from datetime import datetime, timezone

import pytest

from flashcards.core.clock import FakeClock
from flashcards.core.collection import Collection
from flashcards.core.deck import Card, Deck, DeckKind
from flashcards.core.progress import Rating
from flashcards.core.review import ReviewSession, Screen

UTC = timezone.utc


@pytest.fixture
def collection(tmp_path):
    clock = FakeClock(datetime(2026, 3, 2, 10, 0, tzinfo=UTC))
    with Collection.open(tmp_path, "laptop", clock=clock, tz=UTC) as col:
        col.import_deck(Deck("faq", "FAQ", DeckKind.FAQ,
                             [Card(f"faq-{i}", f"Q{i}?", f"A{i}.") for i in range(3)]))
        yield col


def test_a_session_starts_on_the_first_question(collection):
    session = ReviewSession(collection, "faq")
    assert session.screen is Screen.QUESTION
    assert session.card.front == "Q0?"


def test_grades_are_ignored_until_the_answer_shows(collection):
    session = ReviewSession(collection, "faq")
    session.grade(Rating.GOOD)
    assert session.screen is Screen.QUESTION
    assert session.reviewed == 0


def test_each_button_shows_the_interval_it_would_give(collection):
    session = ReviewSession(collection, "faq")
    assert [(b.label, b.interval) for b in session.buttons][:3] == [
        ("Again", "1m"), ("Hard", "6m"), ("Good", "10m")]
    assert session.buttons[3].label == "Easy" and session.buttons[3].interval.endswith("d")


def test_grading_moves_on_to_the_next_card(collection):
    session = ReviewSession(collection, "faq")
    session.show_answer()
    session.grade(Rating.EASY)
    assert session.screen is Screen.QUESTION
    assert session.card.front == "Q1?"
    assert session.counts.new == 2


def test_the_session_finishes_when_nothing_is_left_today(collection):
    session = ReviewSession(collection, "faq")
    for _ in range(3):
        session.show_answer()
        session.grade(Rating.EASY)
    assert session.screen is Screen.FINISHED
    assert session.card is None
    assert session.next_due() is not None


def test_a_grade_that_cannot_be_saved_keeps_the_card_and_is_saved_once_later(collection,
                                                                              monkeypatch):
    import errno
    import os

    from flashcards.core.store import StoreError

    real_write = os.write
    disk_full = True

    def write(fd, data):
        if disk_full:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", write)
    session = ReviewSession(collection, "faq")
    session.show_answer()
    with pytest.raises(StoreError, match="disk is full"):
        session.grade(Rating.GOOD)
    assert (session.screen, session.card.front) == (Screen.ANSWER, "Q0?")

    disk_full = False
    session.grade(Rating.AGAIN)  # the first grade stands; it is not graded twice
    assert session.card.front == "Q1?"
    assert [(r.card_id, r.rating) for r in collection.reviews()] == [("faq-0", Rating.GOOD)]


def test_resuming_a_finished_session_finds_cards_a_new_day_brings(collection):
    from datetime import timedelta

    collection.change_setting("new_per_day", 1)
    session = ReviewSession(collection, "faq")
    session.show_answer()
    session.grade(Rating.EASY)
    assert session.screen is Screen.FINISHED
    session.resume()
    assert session.screen is Screen.FINISHED, "nothing new until the day rolls over"
    collection.clock.advance(timedelta(days=1))
    session.resume()
    assert session.screen is Screen.QUESTION
