"""The review flow, decided without any GUI: the window only renders what a ReviewSession says.

A session moves between three screens: the question, the answer (with the four grade buttons),
and "finished" when nothing is left for today.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from .changes import NOTHING, Changes
from .collection import Collection, DeckCounts
from .deck import Card, DeckId
from .progress import Rating
from .scheduler import format_interval
from .store import StoreError


class Screen(enum.Enum):
    QUESTION = "question"
    ANSWER = "answer"
    FINISHED = "finished"


@dataclass(frozen=True)
class GradeButton:
    rating: Rating
    label: str
    interval: str  # e.g. "10m", "4d": what this grade would give


class ReviewSession:
    def __init__(self, collection: Collection, deck_id: DeckId) -> None:
        self.collection = collection
        self.deck_id = deck_id
        self.deck_name = collection.deck(deck_id).name
        self.card: Card | None = None
        self.screen = Screen.FINISHED
        self.buttons: list[GradeButton] = []
        self.reviewed = 0
        self.unsaved_grade = False
        self._shown_at: datetime | None = None
        self._advance()

    @property
    def counts(self) -> DeckCounts:
        """The deck's counts as of the card on screen (worked out with it, in the same pass)."""
        return self._counts

    def next_due(self) -> datetime | None:
        return self.collection.next_due(self.deck_id)

    def show_answer(self) -> None:
        if self.screen is Screen.QUESTION:
            self.screen = Screen.ANSWER

    def grade(self, rating: Rating) -> Changes:
        """Grade the card on screen; ignored (NOTHING changes) unless its answer is showing.

        If the grade cannot be saved (StoreError: disk full, read-only folder) the card stays on
        screen and the grade waits in memory; grading again, or retry(), saves that first grade
        rather than adding a second one.
        """
        if self.screen is not Screen.ANSWER or self.card is None:
            return NOTHING
        if self.unsaved_grade:
            return self.retry()
        now = self.collection.clock.now()
        duration_ms = int((now - self._shown_at).total_seconds() * 1000) if self._shown_at else None
        try:
            changes = self.collection.grade(self.card.id, Rating(rating), duration_ms=duration_ms)
        except StoreError:
            self.unsaved_grade = True
            raise
        self.reviewed += 1
        self._advance()
        return changes

    def retry(self) -> Changes:
        """Save the grade a failed write left waiting, then move on. Raises StoreError again if not."""
        changes = self.collection.retry_pending()
        self.unsaved_grade = False
        self.reviewed += 1
        self._advance()
        return changes

    def undo(self) -> Changes:
        """Take back the collection's last operation. An undone grade of this deck (or of one of
        its subdecks) puts its card back on screen, question side up."""
        changes = self.collection.undo()
        card_id = changes.card_to_show
        deck, card = self.collection.card(card_id) if card_id else (None, None)
        if deck is not None and deck.id in self.collection.deck_and_subdecks(self.deck_id):
            self.reviewed = max(0, self.reviewed - 1)
            self._counts = self.collection.counts(self.deck_id)
            self._show(card)
        elif changes:
            self._advance()
        return changes

    def resume(self) -> None:
        """Look for a card again once time has passed on the finished screen (a learning card may
        have come due, or a new study day begun)."""
        if self.screen is Screen.FINISHED:
            self._advance()

    def _advance(self) -> None:
        card, self._counts = self.collection.next_card_and_counts(self.deck_id)
        self._show(card)

    def _show(self, card: Card | None) -> None:
        self.card = card
        if self.card is None:
            self.screen, self.buttons, self._shown_at = Screen.FINISHED, [], None
            return
        now = self.collection.clock.now()
        outcomes = self.collection.preview(self.card.id)
        self.buttons = [GradeButton(r, r.label, format_interval(outcomes[r].due - now)) for r in Rating]
        self.screen = Screen.QUESTION
        self._shown_at = now
