"""Events made the quick way match those made, and read back, the plain way."""

import functools
import itertools
import json
import uuid
from datetime import datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from flashcards.core.deck import Card, Deck, DeckKind, deck_to_json
from flashcards.core.events import deck_event, grade_event, new_event, random_ids
from flashcards.core.state import CollectionState
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


def _read_back(event: dict) -> dict:
    return json.loads(json.dumps(event, ensure_ascii=False))


plain_texts = st.text(max_size=6)
plain_decks = st.builds(
    Deck, id=plain_texts, name=plain_texts, kind=st.sampled_from(list(DeckKind)),
    cards=st.lists(st.builds(Card, id=plain_texts, front=plain_texts, back=plain_texts,
                             tags=st.lists(plain_texts, max_size=2).map(tuple),
                             warning=st.none() | plain_texts.filter(bool)), max_size=4),
    description=plain_texts, revision=st.integers(1, 5))


@settings(max_examples=100, deadline=None)
@given(plain_decks)
def test_a_deck_event_applied_as_made_or_as_read_back_gives_the_same_state(deck):
    event = deck_event("dev", NOW, deck)
    event["seq"] = 1
    made, read_back = CollectionState(), CollectionState()
    made.apply(event)
    read_back.apply(_read_back(event))
    assert _parts(made) == _parts(read_back)


def _parts(state: CollectionState) -> tuple:
    return state.decks, state.keys, state.deck_rows, list(state.progress.card)


def test_a_plain_deck_is_carried_and_written_as_before():
    deck = Deck("d", "Deck", DeckKind.FACT, [Card("c1", "q", "a", ("t",), "cut off?")], "about", 3)
    event = deck_event("dev", NOW, deck)
    assert _read_back(event) == {**new_event("deck", "dev", NOW, event["id"]),
                                 "deck": deck_to_json(deck)}
