"""What a deck has for today: its counts, the next card to show, and when the next one comes.

The study rules live here and only here. They read the progress table's columns directly, one
pass over a deck's rows, without building a Progress for every card.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone, tzinfo

from .clock import day_bounds, study_day
from .deck import Card, DeckId
from .state import CollectionState
from .progress_table import micros
from .settings import Settings

# Like Anki: when nothing else is left, a learning card due within this window is shown early
# rather than making the person wait for it.
LEARN_AHEAD = timedelta(minutes=20)

# The phase code of a card with no progress yet (see progress_table); learning and relearning
# are 1 and 3, and every other phase waits for its day.
_NEW = 0
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
# The setting that raises a deck's new-card limit for one study day (custom study), followed by
# the deck's id; its value is {"day": "YYYY-MM-DD", "cards": how many more}.
EXTRA_NEW_CARDS = "extra_new_cards:"


def extra_new_cards(value, day: date) -> int:
    """How many more new cards the setting's value lets be studied on `day` (0 on other days,
    or for a value that is not one: a journal is a file anyone can edit)."""
    if not isinstance(value, dict) or value.get("day") != day.isoformat():
        return 0
    cards = value.get("cards")
    return cards if type(cards) is int and cards > 0 else 0


@dataclass(frozen=True)
class DeckCounts:
    new: int
    learning: int
    due: int

    @property
    def total(self) -> int:
        return self.new + self.learning + self.due


@dataclass
class _Scan:
    """One pass over a deck's rows: what each rule needs."""

    new: int = 0
    new_studied_today: int = 0
    learning_due: int = 0
    learning_soon: int = 0
    reviews_due: int = 0
    reviews_done_today: int = 0
    # The row each queue would show first (None: the queue is empty), and the time it is due.
    first_new: int | None = None
    learning: tuple[int, int] | None = None  # (due, row)
    review: tuple[int, int] | None = None
    ahead: tuple[int, int] | None = None
    # The earliest due time of a learning card, and of a review card due after today.
    next_learning: int | None = None
    next_review_day: int | None = None
    # More new cards than the daily limit the learner asked for today (custom study).
    extra_new: int = 0


class StudyQueue:
    """A look at the collection at one moment, under the daily allowances."""

    def __init__(self, state: CollectionState, settings: Settings, now: datetime,
                 tz: tzinfo | None) -> None:
        self.state, self.settings, self.now, self.tz = state, settings, now, tz
        self.day_start, self.day_end = day_bounds(study_day(now, settings.rollover_hour, tz),
                                                  settings.rollover_hour, tz)

    def counts(self, deck_id: DeckId) -> DeckCounts:
        return self._counts(self._scan(deck_id))

    def next_card(self, deck_id: DeckId) -> Card | None:
        """Learning cards due, then reviews, then new cards, then learning cards due soon."""
        return self._next_card(deck_id, self._scan(deck_id))

    def next_card_and_counts(self, deck_id: DeckId) -> tuple[Card | None, DeckCounts]:
        """Both from one pass over the deck: what a study session needs after each grade."""
        scan = self._scan(deck_id)
        return self._next_card(deck_id, scan), self._counts(scan)

    def _counts(self, scan: _Scan) -> DeckCounts:
        return DeckCounts(new=min(scan.new, self._new_left(scan)),
                          learning=scan.learning_due + scan.learning_soon,
                          due=min(scan.reviews_due, self._reviews_left(scan)))

    def _next_card(self, deck_id: DeckId, scan: _Scan) -> Card | None:
        row = None
        if scan.learning is not None:
            row = scan.learning[1]
        elif scan.review is not None and self._reviews_left(scan) > 0:
            row = scan.review[1]
        elif scan.first_new is not None and self._new_left(scan) > 0:
            row = scan.first_new
        elif scan.ahead is not None:
            row = scan.ahead[1]
        if row is None:
            return None
        return self.state.decks[deck_id].card(self.state.progress.card[row])

    def next_due(self, deck_id: DeckId) -> datetime | None:
        """When the deck will next have a card to show, or None if it never will."""
        scan = self._scan(deck_id)
        candidates = []
        if scan.new or scan.reviews_due:
            # New cards, and reviews over today's allowance, wait for the next day.
            candidates.append(self.day_end)
        if scan.next_learning is not None:
            candidates.append(max(_moment(scan.next_learning) - LEARN_AHEAD, self.now))
        if scan.next_review_day is not None:
            candidates.append(self._start_of_day(_moment(scan.next_review_day)))
        return min(candidates, default=None)

    # -- the one pass ----------------------------------------------------------------------------
    def _scan(self, deck_id: DeckId) -> _Scan:
        if deck_id not in self.state.decks:
            raise KeyError(f"no deck with id {deck_id!r}")
        table = self.state.progress
        phase, due = table.phase, table.due
        first, graded = table.first_review, table.last_review_graded
        now_us, soon_us = micros(self.now), micros(self.now + LEARN_AHEAD)
        start_us, end_us = micros(self.day_start), micros(self.day_end)
        # Plain locals, not the _Scan's attributes: this loop runs over every card of the deck
        # after each grade, and attribute writes would double its time.
        new = new_today = learning_due = learning_soon = reviews_due = reviews_today = 0
        first_new = learning = review = ahead = next_learning = next_review_day = None
        for row in self._rows_to_study(deck_id):
            code = phase[row]
            if code == _NEW:
                new += 1
                if first_new is None:
                    first_new = row
                continue
            moment = first[row]
            if moment is not None and start_us <= moment < end_us:
                new_today += 1
            moment = graded[row]
            if moment is not None and start_us <= moment < end_us:
                reviews_today += 1
            moment = due[row]
            if code == 1 or code == 3:  # learning and relearning: minutes, not days
                if next_learning is None or moment < next_learning:
                    next_learning = moment
                if moment <= now_us:
                    learning_due += 1
                    if learning is None or moment < learning[0]:
                        learning = (moment, row)
                elif moment <= soon_us:
                    learning_soon += 1
                    if ahead is None or moment < ahead[0]:
                        ahead = (moment, row)
            elif moment >= end_us:
                if next_review_day is None or moment < next_review_day:
                    next_review_day = moment
            else:
                reviews_due += 1
                if review is None or moment < review[0]:
                    review = (moment, row)
        extra = extra_new_cards(self.state.settings.get(EXTRA_NEW_CARDS + deck_id),
                                study_day(self.now, self.settings.rollover_hour, self.tz))
        return _Scan(new, new_today, learning_due, learning_soon, reviews_due, reviews_today,
                     first_new, learning, review, ahead, next_learning, next_review_day, extra)

    def _rows_to_study(self, deck_id: DeckId) -> list[int]:
        """The deck's rows without its suspended cards and the cards buried for today."""
        rows = self.state.deck_rows[deck_id]
        marks = self.state.marks
        if not marks:
            return rows
        day = study_day(self.now, self.settings.rollover_hour, self.tz)
        resting = {self.state.progress.row(card) for card, mark in marks.items()
                   if mark.suspended or mark.buried_on(day)}
        return [row for row in rows if row not in resting] if resting else rows

    def _start_of_day(self, moment: datetime) -> datetime:
        rollover = self.settings.rollover_hour
        return day_bounds(study_day(moment, rollover, self.tz), rollover, self.tz)[0]

    def new_beyond_limit(self, deck_id: DeckId) -> int:
        """How many new cards wait beyond what today's limit lets be studied."""
        scan = self._scan(deck_id)
        return scan.new - min(scan.new, self._new_left(scan))

    def _new_left(self, scan: _Scan) -> int:
        return max(0, self.settings.new_per_day + scan.extra_new - scan.new_studied_today)

    def _reviews_left(self, scan: _Scan) -> int:
        return max(0, self.settings.reviews_per_day - scan.reviews_done_today)


def _moment(microseconds: int) -> datetime:
    return _EPOCH + timedelta(microseconds=microseconds)
