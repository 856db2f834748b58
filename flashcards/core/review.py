"""The review flow, decided without any GUI: the window only renders what a ReviewSession says.

A session moves between three screens: the question, the answer (with the four grade buttons),
and "finished" when nothing is left for today. On a card the learner may also bury it, suspend
it, flag it or edit it; what happened is then said once, in `notice`, in Anki's words.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from .changes import NOTHING, Changes
from .collection import Collection, DeckCounts
from .deck import Card, CardId, DeckId
from .progress import Rating
from .scheduler import format_interval
from .store import StoreError


class Screen(enum.Enum):
    QUESTION = "question"
    ANSWER = "answer"
    FINISHED = "finished"


# Anki's flag colours, by number (0 is no flag).
FLAG_NAMES = {1: "red", 2: "orange", 3: "green", 4: "blue", 5: "pink", 6: "turquoise",
              7: "purple"}


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
        # What the last action did, in a sentence, until the screen takes it (take_notice).
        self.notice: str | None = None
        self._shown_at: datetime | None = None
        # Cards this session buried or suspended: undoing that puts them back on screen.
        self._set_aside: list[CardId] = []
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
        card_id, was_suspended = self.card.id, self.collection.marks(self.card.id).suspended
        try:
            changes = self.collection.grade(card_id, Rating(rating), duration_ms=duration_ms)
        except StoreError:
            self.unsaved_grade = True
            raise
        if not was_suspended and self.collection.marks(card_id).suspended:
            lapses = self.collection.progress(card_id).lapses
            self.notice = (f"This card is a leech: it was forgotten {lapses} times and is now "
                           f"suspended.")
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

    # -- what a learner does to the card on screen -------------------------------------------
    def bury(self) -> Changes:
        """Hide the card on screen until tomorrow and show the next."""
        return self._set_card_aside(self.collection.bury, "Card buried until tomorrow.")

    def suspend(self) -> Changes:
        """Take the card on screen out of study until unsuspended, and show the next."""
        return self._set_card_aside(self.collection.suspend, "Card suspended.")

    def _set_card_aside(self, operation, notice: str) -> Changes:
        if self.card is None or self.screen is Screen.FINISHED:
            return NOTHING
        card_id = self.card.id
        changes = operation([card_id])
        self._set_aside.append(card_id)
        self.notice = notice
        self._advance()
        return changes

    @property
    def flag(self) -> int:
        """The colour flag of the card on screen (0: none; see FLAG_NAMES)."""
        return self.collection.marks(self.card.id).flag if self.card is not None else 0

    def toggle_flag(self, flag: int) -> Changes:
        """Flag the card on screen with this colour; the same colour again clears the flag."""
        if self.card is None or self.screen is Screen.FINISHED:
            return NOTHING
        flag = 0 if self.flag == flag else flag
        changes = self.collection.flag([self.card.id], flag)
        self.notice = f"Flagged {FLAG_NAMES[flag]}." if flag else "Flag removed."
        return changes

    def edit(self, front: str, back: str) -> Changes:
        """Change the card on screen's front and back; it stays on screen, the same side up."""
        if self.card is None or self.screen is Screen.FINISHED:
            return NOTHING
        changes = self.collection.edit_card(self.card.id, front=front, back=back)
        if changes:
            self.notice = "Card edited."
            self._reread()
        return changes

    # -- the finished screen ------------------------------------------------------------------
    def new_cards_left(self) -> int:
        """New cards of the deck waiting beyond today's limit."""
        return self.collection.new_cards_beyond_limit(self.deck_id)

    @property
    def more_new_cards(self) -> int:
        """How many more new cards "Study more" lets through today: the daily limit, as in Anki."""
        return self.collection.settings.new_per_day

    def study_more_new(self) -> Changes:
        """Raise today's new-card limit of the deck by `more_new_cards`, and go on studying."""
        changes = self.collection.study_more_new(self.deck_id, self.more_new_cards)
        self._advance()
        return changes

    def take_notice(self) -> str | None:
        """What the last action did, once: the screen says it, then it is gone."""
        notice, self.notice = self.notice, None
        return notice

    # -- undo and redo ------------------------------------------------------------------------
    def undo(self) -> Changes:
        """Take back the collection's last operation. An undone grade of this deck, or a card this
        session buried or suspended, comes back on screen, question side up."""
        changes = self.collection.undo()
        card_id = changes.card_to_show
        graded = card_id is not None
        if card_id is None and len(changes.cards) == 1 and self._set_aside \
                and self._set_aside[-1] in changes.cards:
            card_id = self._set_aside.pop()
        deck, card = self._card_in_deck(card_id)
        if card is not None:
            if graded:
                self.reviewed = max(0, self.reviewed - 1)
            self._counts = self.collection.counts(self.deck_id)
            self._show(card)
        else:
            self._follow(changes)
        return changes

    def redo(self) -> Changes:
        """Do again the last operation undone. A grade, bury or suspension of the card on screen
        done again moves on to the next card."""
        card = self.card
        progress = self.collection.progress(card.id) if card is not None else None
        changes = self.collection.redo()
        if card is not None and card.id in changes.cards:
            marks = self.collection.marks(card.id)
            if self.collection.progress(card.id) != progress:
                self.reviewed += 1
                self._advance()
                return changes
            if marks.suspended or marks.buried_on(self.collection.today()):
                self._advance()
                return changes
        self._follow(changes)
        return changes

    def _follow(self, changes: Changes) -> None:
        """After an undo or redo that puts no card on screen: the card on screen as it is now when
        only it changed (its text, its flag), else whichever card comes next."""
        if not changes:
            return
        if self.card is not None and changes.cards == {self.card.id} \
                and self._card_in_deck(self.card.id)[1] is not None:
            self._reread()
            self._counts = self.collection.counts(self.deck_id)
        else:
            self._advance()

    def _card_in_deck(self, card_id: CardId | None) -> tuple[object, Card | None]:
        if card_id is None:
            return None, None
        try:
            deck, card = self.collection.card(card_id)
        except KeyError:
            return None, None
        return (deck, card) if deck.id == self.deck_id else (None, None)

    def _reread(self) -> None:
        """The card on screen as the collection now holds it (its text edited, say)."""
        if self.card is not None:
            self.card = self.collection.card(self.card.id)[1]

    def catch_up(self, changes: Changes) -> None:
        """After a change made outside the session (a card added to the deck): the counts follow,
        the card on screen stays, and the finished screen looks for a card again."""
        if self.screen is Screen.FINISHED:
            self._advance()
        elif self.deck_id in changes.decks or changes.everything:
            self._counts = self.collection.counts(self.deck_id)

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
