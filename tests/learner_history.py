"""A simulated learner's review history, brought into a collection the way an import brings
another app's: each grade replayed through the collection's scheduler, in one write."""

from __future__ import annotations

from datetime import datetime

from fsrs.scheduler import DEFAULT_PARAMETERS

from flashcards.core.collection import Collection
from flashcards.core.deck import Card, Deck
from flashcards.core.importing import ImportedDecks, ImportedReview
from flashcards.core.retention_workload import simulate_reviews

# A learner who remembers much longer than FSRS's defaults assume, and forgets along a flatter
# curve: a fit has plenty to find, even in a short history.
LEARNER = list(DEFAULT_PARAMETERS)
LEARNER[0:4] = [2.0, 5.0, 12.0, 30.0]
LEARNER[8], LEARNER[11], LEARNER[20] = 2.0, 1.0, 0.5


def add_learner_history(collection: Collection, start: datetime, cards: int = 120,
                        days: int = 120, seed: int = 1, deck_id: str = "simulated") -> int:
    """A deck of `cards` cards studied from `start` for `days` days by the simulated learner,
    scheduled with FSRS's defaults; returns the number of grades."""
    reviews = simulate_reviews(LEARNER, cards=cards, days=days, start=start,
                               new_cards_per_day=max(1, cards // 30), seed=seed,
                               scheduling_parameters=DEFAULT_PARAMETERS, deck_id=deck_id)
    deck = Deck(deck_id, deck_id.title(), cards=[
        Card(f"{deck_id}-card-{number}", f"Question {number}", f"Answer {number}")
        for number in range(cards)])
    collection.import_decks(ImportedDecks([deck], [
        ImportedReview(f"{deck_id}-{review.card_id}", review.time, review.rating)
        for review in reviews]), undoable=False)
    return len(reviews)
