"""A collection with a history like a real learner's: days of study, graded through the
collection with an injected clock. Shared by the statistics tests and tools/screenshots.py."""

from __future__ import annotations

import random
from datetime import timedelta

from flashcards.core.clock import FakeClock
from flashcards.core.collection import Collection
from flashcards.core.deck import Card, Deck
from flashcards.core.progress import Phase, Rating

# Of the grades a card still being learned gets: mostly Good, some Again.
LEARNING_GRADES = {Rating.AGAIN: 15, Rating.HARD: 10, Rating.GOOD: 65, Rating.EASY: 10}


def word_deck(deck_id: str, name: str, count: int) -> Deck:
    return Deck(id=deck_id, name=name, cards=[
        Card(id=f"{deck_id}-{i}", front=f"{name} word {i}", back=f"meaning {i}")
        for i in range(count)])


def study_days(collection: Collection, clock: FakeClock, deck_ids: list[str], days: int,
               seed: int = 7, days_off: float = 0.12, last_days_in_a_row: int = 12) -> None:
    """Study each deck to the end of its queue, one session a day for `days` days, ending where
    the clock is now; the clock is moved back first. A review card is remembered as often as
    FSRS expects, so retention comes out near the real thing. Some days are skipped, but not
    the last `last_days_in_a_row` (a streak to show)."""
    rng = random.Random(seed)
    end = clock.now()
    for day in range(days):
        session = end - timedelta(days=days - 1 - day, minutes=rng.randint(0, 120))
        if day < days - last_days_in_a_row and rng.random() < days_off:
            continue
        clock.set(session)
        for deck_id in deck_ids:
            study_deck(collection, clock, deck_id, rng)
    clock.set(max(clock.now(), end))


def study_deck(collection: Collection, clock: FakeClock, deck_id: str, rng: random.Random,
               most: int = 400) -> None:
    for _grade in range(most):
        card = collection.next_card(deck_id)
        if card is None:
            return
        collection.preview(card.id)
        seconds = rng.uniform(3, 14)
        clock.advance(seconds=seconds)
        progress = collection.progress(card.id)
        if progress is not None and progress.phase is Phase.REVIEW:
            remembered = rng.random() < collection.retrievability(card.id)
            rating = rng.choices((Rating.HARD, Rating.GOOD, Rating.EASY), (15, 75, 10))[0] \
                if remembered else Rating.AGAIN
        else:
            rating = rng.choices(list(LEARNING_GRADES), list(LEARNING_GRADES.values()))[0]
        collection.grade(card.id, rating, duration_ms=round(seconds * 1000))


def lapse_seven_times(collection, clock, card_id):
    """A review card forgotten seven times: what a month of studying it might leave."""
    def grade(rating):
        collection.preview(card_id)
        collection.grade(card_id, rating)

    grade(Rating.EASY)
    for _ in range(7):
        clock.set(collection.progress(card_id).due)
        grade(Rating.AGAIN)
        clock.advance(minutes=15)
        grade(Rating.EASY)
    clock.set(collection.progress(card_id).due)
    assert collection.progress(card_id).phase is Phase.REVIEW
    assert collection.progress(card_id).lapses == 7
