"""What a deck has for today: its counts, the next card to show, and when the next one comes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from .clock import day_bounds, study_day
from .deck import Card
from .events import CollectionState
from .progress import Phase
from .settings import Settings

# Like Anki: when nothing else is left, a learning card due within this window is shown early
# rather than making the person wait for it.
LEARN_AHEAD = timedelta(minutes=20)


@dataclass(frozen=True)
class DeckCounts:
    new: int
    learning: int
    due: int

    @property
    def total(self) -> int:
        return self.new + self.learning + self.due


class StudyQueue:
    """A look at the collection at one moment, under the daily allowances."""

    def __init__(self, state: CollectionState, settings: Settings, now: datetime,
                 tz: tzinfo | None) -> None:
        self.state, self.settings, self.now, self.tz = state, settings, now, tz
        self.day_start, self.day_end = day_bounds(study_day(now, settings.rollover_hour, tz),
                                                  settings.rollover_hour, tz)

    def counts(self, deck_id: str) -> DeckCounts:
        """Counted from the progress columns without building cards: this runs at start-up."""
        self._check(deck_id)
        c = self.state.study_counts(deck_id, self.now, self.day_start, self.day_end, LEARN_AHEAD)
        return DeckCounts(new=min(c.new, self._new_left(c.new_studied_today)),
                          learning=c.learning_due + c.learning_soon,
                          due=min(c.reviews_due, self._reviews_left(c.reviews_done_today)))

    def next_card(self, deck_id: str) -> Card | None:
        self._check(deck_id)
        c = self.state.study_counts(deck_id, self.now, self.day_start, self.day_end, LEARN_AHEAD)
        new_allowed = self._new_left(c.new_studied_today) > 0
        review_allowed = self._reviews_left(c.reviews_done_today) > 0
        learning, review, ahead, first_new = [], [], [], None
        soon = self.now + LEARN_AHEAD
        for card in self.state.decks[deck_id].cards:
            progress = self.state.progress.get(card.id)
            if progress is None:
                first_new = first_new or card
            elif progress.phase in (Phase.LEARNING, Phase.RELEARNING):
                if progress.due <= self.now:
                    learning.append((progress.due, card))
                elif progress.due <= soon:
                    ahead.append((progress.due, card))
            elif progress.due < self.day_end and review_allowed:
                review.append((progress.due, card))
        for queue in (learning, review):
            if queue:
                return min(queue, key=lambda pair: pair[0])[1]
        if first_new is not None and new_allowed:
            return first_new
        return min(ahead, key=lambda pair: pair[0])[1] if ahead else None

    def next_due(self, deck_id: str) -> datetime | None:
        """When the deck will next have a card to show, or None if it never will."""
        self._check(deck_id)
        candidates = []
        for card in self.state.decks[deck_id].cards:
            progress = self.state.progress.get(card.id)
            if progress is None:
                candidates.append(self.day_end)
            elif progress.phase in (Phase.LEARNING, Phase.RELEARNING):
                candidates.append(max(progress.due - LEARN_AHEAD, self.now))
            elif progress.due < self.day_end:
                candidates.append(self.day_end)  # due today but over the review allowance
            else:
                candidates.append(self._start_of_day(progress.due))
        return min(candidates, default=None)

    def _start_of_day(self, moment: datetime) -> datetime:
        rollover = self.settings.rollover_hour
        return day_bounds(study_day(moment, rollover, self.tz), rollover, self.tz)[0]

    def _new_left(self, studied_today: int) -> int:
        return max(0, self.settings.new_per_day - studied_today)

    def _reviews_left(self, done_today: int) -> int:
        return max(0, self.settings.reviews_per_day - done_today)

    def _check(self, deck_id: str) -> None:
        if deck_id not in self.state.decks:
            raise KeyError(f"no deck with id {deck_id!r}")
