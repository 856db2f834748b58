"""A grade gives what its button showed: the same outcome, moved on by the time the card was shown."""

from datetime import datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from flashcards.core.clock import FakeClock
from flashcards.core.collection import Collection, moved
from flashcards.core.deck import Card, Deck
from flashcards.core.progress import Rating

SHOWN = datetime(2026, 3, 2, 10, 0, tzinfo=timezone.utc)
ratings = st.sampled_from(list(Rating))


@settings(max_examples=30)
@given(history=st.lists(ratings, max_size=4), rating=ratings,
       seconds_on_screen=st.floats(min_value=0, max_value=3599))
def test_a_grade_is_the_outcome_its_button_showed(tmp_path_factory, history, rating,
                                                  seconds_on_screen):
    clock = FakeClock(SHOWN - timedelta(days=40))
    folder = tmp_path_factory.mktemp("graded")
    with Collection.open(folder, "desk", clock=clock, tz=timezone.utc) as collection:
        collection.import_deck(Deck("d", "D", cards=[Card("c", "front", "back")]))
        for earlier in history:  # fuzz is on: a fresh draw could give another interval
            collection.grade("c", earlier)
            clock.set(max(clock.now() + timedelta(minutes=10), collection.progress("c").due))
        clock.set(max(SHOWN, clock.now()))
        shown_at = clock.now()
        shown = collection.preview("c")[rating]
        clock.advance(timedelta(seconds=seconds_on_screen))
        collection.grade("c", rating, duration_ms=1234)
        assert collection.progress("c") == moved(shown, shown_at, clock.now())
        assert collection.progress("c").due - clock.now() == shown.due - shown_at


def test_a_card_whose_id_holds_odd_characters_is_graded_and_saved(tmp_path):
    clock = FakeClock(SHOWN)
    card_id = '"\ue000seq\ue000"\n\\'
    with Collection.open(tmp_path, "desk", clock=clock, tz=timezone.utc) as collection:
        collection.import_deck(Deck("odd", "Odd", cards=[Card(card_id, "front", "back")]))
        shown = collection.preview(card_id)
        clock.advance(seconds=5)
        collection.grade(card_id, Rating.GOOD, duration_ms=5000)
        graded = collection.progress(card_id)
        assert graded.due == shown[Rating.GOOD].due + timedelta(seconds=5)
    with Collection.open(tmp_path, "desk", clock=clock, tz=timezone.utc) as reopened:
        assert reopened.progress(card_id) == graded
