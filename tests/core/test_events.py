"""Events made the quick way match those made, and read back, the plain way."""

import functools
import itertools
import json
import uuid
from datetime import datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from flashcards.core.deck import Card, Deck, DeckKind, deck_from_json, deck_to_json, plain_copy
from flashcards.core.events import CollectionState, deck_event, grade_event, new_event, random_ids
from flashcards.core.progress import Phase, Progress, Rating, Review, utc_text

NOW = datetime(2025, 5, 6, 7, 8, 9, 123456, tzinfo=timezone.utc)


def test_random_ids_look_like_uuid4_hex():
    ids = list(itertools.islice(random_ids(batch=7), 1000))
    assert len(set(ids)) == len(ids)
    for text in ids:
        parsed = uuid.UUID(hex=text)
        assert parsed.hex == text
        assert parsed.version == 4 and parsed.variant == uuid.RFC_4122


def test_a_memo_of_the_time_text_writes_the_same_grade():
    review = Review(id="r1", card_id="c1", deck_id="d1", rating=Rating.GOOD, time=NOW,
                    phase_before=Phase.REVIEW, duration_ms=1200)
    after = Progress(phase=Phase.REVIEW, due=NOW + timedelta(days=3), stability=3.2,
                     difficulty=5.1, last_review=NOW, first_review=NOW - timedelta(days=9),
                     reps=4, lapses=1, last_review_graded=NOW)
    memo = functools.lru_cache(maxsize=None)(utc_text)
    assert grade_event("dev", review, after, memo) == grade_event("dev", review, after)
    assert list(grade_event("dev", review, after, memo)) == list(grade_event("dev", review, after))


class Tagged(str):
    """Text that is not exactly str: JSON writes its value, str() may not."""

    def __str__(self):
        return "tagged:" + super().__str__()


texts = st.one_of(st.text(max_size=6), st.builds(Tagged, st.text(max_size=6)), st.integers(0, 9))
cards = st.builds(Card, id=texts, front=texts, back=texts,
                  tags=st.one_of(st.tuples(texts), st.lists(texts, max_size=2), st.just(())),
                  flag=st.one_of(st.none(), st.just(""), texts))
decks = st.builds(Deck, id=texts, name=texts, kind=st.sampled_from(list(DeckKind)),
                  cards=st.lists(cards, max_size=4), description=texts,
                  revision=st.one_of(st.integers(1, 5), st.booleans()))


def _read_back(event: dict) -> dict:
    return json.loads(json.dumps(event, ensure_ascii=False))


@settings(max_examples=300, deadline=None)
@given(decks)
def test_a_deck_copied_without_json_equals_the_deck_read_back(deck):
    copy = plain_copy(deck)
    if copy is not None:
        assert copy == deck_from_json(_read_back(deck_to_json(deck)))


@settings(max_examples=100, deadline=None)
@given(decks)
def test_applying_a_deck_event_as_made_or_as_read_back_gives_the_same_state(deck):
    event = deck_event("dev", NOW, deck)
    event["seq"] = 1
    made, as_dict, read_back = CollectionState(), CollectionState(), CollectionState()
    made.apply(event)
    as_dict.apply(dict(event))
    read_back.apply(_read_back(event))
    assert _parts(made) == _parts(as_dict)
    if plain_copy(deck) is not None:
        assert _parts(made) == _parts(read_back)


def _parts(state: CollectionState) -> tuple:
    return state.decks, state.keys, state.deck_rows, list(state.progress.card)


def test_a_plain_deck_is_carried_and_written_as_before():
    deck = Deck("d", "Deck", DeckKind.FACT, [Card("c1", "q", "a", ("t",), "cut off?")], "about", 3)
    event = deck_event("dev", NOW, deck)
    assert event.deck == deck and event.deck is not deck
    assert _read_back(event) == {**new_event("deck", "dev", NOW, event["id"]),
                                 "deck": deck_to_json(deck)}
