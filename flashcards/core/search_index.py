"""Each card's CardFacts, made once and kept between searches.

Making the facts of 100,000 cards (each card's progress and marks read, its days worked out)
takes far longer than a search over them, so the collection keeps them, deck by deck in each
deck's order, and makes them again only where something changed:
  - a card an event was about (its text, place, progress or marks): the state names it in
    changed_cards;
  - a deck whose cards or name changed, which the state then gives as a new Deck: its facts are
    made again, keeping those of the cards it still holds unchanged;
  - everything, on another study day or rollover hour (days count from today), or another
    state (or the same one rebuilt from the journals).
A card's text is folded for searching the first time a search reads it, and stays on its facts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, tzinfo

from .clock import StudyDays
from .deck import Card, CardId, Deck, DeckId
from .progress import Phase
from .progress_table import PHASE_OF_CODE
from .search_tree import CardFacts
from .state import UNMARKED, CollectionState


@dataclass
class _DeckFacts:
    deck: Deck  # the deck object the facts were made from
    facts: list[CardFacts]  # one per card, in the deck's order
    places: dict[CardId, int]  # where each card's facts are in the list
    changed: set[int] = field(default_factory=set)  # places whose card an event was about


class SearchIndex:
    """The facts a search reads about every card of a collection's state."""

    def __init__(self, tz: tzinfo | None) -> None:
        self._tz = tz
        self._state: CollectionState | None = None
        self._today: date | None = None
        self._rollover = 0
        self._days = StudyDays(0, tz)
        self._decks: dict[DeckId, _DeckFacts] = {}
        self._progress: dict[str, list] = {}  # the progress table's columns

    def facts(self, state: CollectionState, deck: Deck, today: date,
              rollover: int) -> list[CardFacts]:
        """The facts of the deck's cards, in its order, as of study day `today` (which starts at
        `rollover` o'clock)."""
        # Read first: should the snapshot's parts read now be damaged, the state becomes the
        # journals' in place, and no longer names changed cards to anyone (None).
        progress = state.progress
        if (state is not self._state or state.changed_cards is None
                or (today, rollover) != (self._today, self._rollover)):
            self._state, self._today, self._rollover = state, today, rollover
            self._days, self._decks = StudyDays(rollover, self._tz), {}
            state.changed_cards = set()
        self._take_changes(state)
        self._progress = progress.value_columns()
        kept = self._decks.get(deck.id)
        if kept is None or kept.deck is not deck:
            kept = self._decks[deck.id] = self._made(deck, kept)
        elif kept.changed:
            facts, cards = kept.facts, deck.cards
            for place in kept.changed:
                facts[place] = self._card_facts(cards[place], deck.name)
            kept.changed.clear()
        return kept.facts

    def _take_changes(self, state: CollectionState) -> None:
        changed = state.changed_cards
        if not changed:
            return
        for kept in self._decks.values():
            places = kept.places
            kept.changed.update(places[card] for card in changed if card in places)
        changed.clear()

    def _made(self, deck: Deck, before: _DeckFacts | None) -> _DeckFacts:
        """The deck's facts, reusing those `before` holds for its cards unchanged."""
        cards, name = deck.cards, deck.name
        if before is None or before.deck.name != name:
            facts = [self._card_facts(card, name) for card in cards]
        else:
            old_cards, old_facts, places, changed = (before.deck.cards, before.facts,
                                                     before.places, before.changed)
            facts = []
            for card in cards:
                place = places.get(card.id)
                kept = place is not None and place not in changed and old_cards[place] is card
                facts.append(old_facts[place] if kept else self._card_facts(card, name))
        return _DeckFacts(deck, facts, {card.id: place for place, card in enumerate(cards)})

    def _card_facts(self, card: Card, deck_name: str) -> CardFacts:
        """As the card is now; its days counted by the study day, from today."""
        state, progress, today = self._state, self._progress, self._today
        marks = state.marks.get(card.id, UNMARKED)
        row = state.progress.row(card.id)
        code = 0 if row is None else progress["phase"][row]
        reps = lapses = 0
        due_day = interval = last_day = stability = None
        if code:
            reps, lapses = progress["reps"][row], progress["lapses"][row]
        if PHASE_OF_CODE[code] is not Phase.NEW:
            stability = progress["stability"][row]
            due_day = self._days.day(progress["due"][row]) - today.toordinal()
            if (reviewed := progress["last_review"][row]) is not None:
                last_day = today.toordinal() - self._days.day(reviewed)
                interval = due_day + last_day
        return CardFacts(
            front=card.front, back=card.back, deck=deck_name, tags=card.tags,
            phase=PHASE_OF_CODE[code], due_day=due_day, interval_days=interval, lapses=lapses,
            reps=reps, stability=stability, suspended=marks.suspended,
            buried=marks.buried_on(today), flag=marks.flag, last_review_day=last_day)
