"""A grade prepared while its card is shown is saved exactly as a grade worked out on the spot."""

import json
from dataclasses import replace
from datetime import datetime, timedelta, timezone

from hypothesis import assume, given
from hypothesis import strategies as st

from flashcards.core.events import grade_event
from flashcards.core.prepared_grade import PreparedGrade
from flashcards.core.progress import Phase, Rating, Review
from flashcards.core.progress_table import _values_of, micros_of
from flashcards.core.scheduler import Scheduler

SHOWN = datetime(2026, 3, 2, 10, 0, tzinfo=timezone.utc)
SCHEDULER = Scheduler()
ratings = st.sampled_from(list(Rating))
# Ids a person's files may hold, including the marks the prepared line uses for its blanks.
ids = st.text(min_size=1) | st.sampled_from(["\ue000seq\ue000", '"\ue000now\ue000"', "a\ue000b"])


def moved(progress, then, now):
    """An outcome worked out at `then`, as if worked out at `now`."""
    at_then = lambda moment: now if moment == then else moment  # noqa: E731
    return replace(progress, due=progress.due + (now - then), last_review=now,
                   first_review=at_then(progress.first_review),
                   last_review_graded=at_then(progress.last_review_graded))


def progress_after(history: list[Rating]):
    progress, moment = None, SHOWN - timedelta(days=40)
    for rating in history:
        progress = SCHEDULER.outcome(progress, rating, moment)
        moment = max(moment + timedelta(minutes=10), progress.due)
    return progress


@given(history=st.lists(ratings, max_size=4), rating=ratings, card_id=ids, deck_id=ids,
       seconds_on_screen=st.floats(min_value=0, max_value=3599),
       duration_ms=st.none() | st.integers(min_value=0, max_value=10**8),
       seq=st.integers(min_value=1, max_value=2**53))
def test_a_prepared_grade_is_the_grade_made_on_the_spot(history, rating, card_id, deck_id,
                                                         seconds_on_screen, duration_ms, seq):
    before = progress_after(history)
    phase = before.phase if before else Phase.NEW
    outcome = SCHEDULER.outcome(before, rating, SHOWN)
    prepared = PreparedGrade("desk", Review("r1", card_id, deck_id, rating, SHOWN, phase), outcome)
    assume(prepared.usable)
    now = SHOWN + timedelta(seconds=seconds_on_screen)

    event = prepared.event(now, duration_ms)
    event["seq"] = seq
    on_the_spot = grade_event("desk", Review("r1", card_id, deck_id, rating, now, phase, duration_ms),
                              moved(outcome, SHOWN, now))
    on_the_spot["seq"] = seq

    assert dict(event) == on_the_spot
    line = json.dumps(on_the_spot, ensure_ascii=False, separators=(",", ":")) + "\n"
    assert event.journal_line() == line.encode()
    assert event.values == _values_of(on_the_spot["progress"])
    assert event.time_micros == micros_of(on_the_spot["time"])


def test_an_id_holding_the_blank_marks_is_prepared_the_ordinary_way():
    outcome = SCHEDULER.outcome(None, Rating.GOOD, SHOWN)
    review = Review("r1", '"\ue000seq\ue000"', "deck", Rating.GOOD, SHOWN, Phase.NEW)
    assert not PreparedGrade("desk", review, outcome).usable


def test_such_a_card_is_graded_and_saved_all_the_same(tmp_path):
    from flashcards.core.clock import FakeClock
    from flashcards.core.collection import Collection
    from flashcards.core.deck import Card, Deck

    clock = FakeClock(SHOWN)
    card_id = '"\ue000seq\ue000"'
    with Collection.open(tmp_path, "desk", clock=clock, tz=timezone.utc) as collection:
        collection.import_deck(Deck("odd", "Odd", cards=[Card(card_id, "front", "back")]))
        shown = collection.preview(card_id)
        clock.advance(seconds=5)
        collection.grade(card_id, Rating.GOOD, duration_ms=5000)
        graded = collection.progress(card_id)
        assert graded.due == shown[Rating.GOOD].due + timedelta(seconds=5)
    with Collection.open(tmp_path, "desk", clock=clock, tz=timezone.utc) as reopened:
        assert reopened.progress(card_id) == graded
