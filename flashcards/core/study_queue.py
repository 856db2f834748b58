"""What a deck has for today: its counts, the next card to show, and when the next one comes.

The study rules live here and only here. They read the progress table's columns directly, one
pass over a deck's rows, without building a Progress for every card.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone, tzinfo

from .clock import day_bounds, study_day
from .counting_digest import DeckGroups
from .deck import Card, Deck, DeckId
from .deck_options import DeckOptions, default_options
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


@dataclass
class _Family:
    """A deck and its subdecks, each scanned once, with what their daily limits leave."""

    decks: list[DeckId]  # the deck studied first, each parent before its subdecks
    scans: dict[DeckId, _Scan]
    # How many more new cards and reviews each deck may show today: its own limit and those of
    # the decks above it, less what was studied today in each.
    new_left: dict[DeckId, int]
    reviews_left: dict[DeckId, int]
    counts: DeckCounts


class StudyQueue:
    """A look at the collection at one moment, under the daily allowances.

    Studying a deck takes cards from its subdecks too (`Parent::Child`), as in Anki: each deck's
    limits (its preset's, through `options_of`) apply to it and its subdecks together.
    """

    def __init__(self, state: CollectionState, settings: Settings, now: datetime,
                 tz: tzinfo | None,
                 options_of: Callable[[DeckId], DeckOptions] | None = None) -> None:
        self.state, self.settings, self.now, self.tz = state, settings, now, tz
        self.day_start, self.day_end = day_bounds(study_day(now, settings.rollover_hour, tz),
                                                  settings.rollover_hour, tz)
        if options_of is None:
            default = default_options(None, settings)
            options_of = lambda _deck_id: default  # noqa: E731
        self._options_of = options_of
        self._resting: set[int] | None = None

    def counts(self, deck_id: DeckId) -> DeckCounts:
        return self._family(deck_id, counting_only=True).counts

    def next_card(self, deck_id: DeckId) -> Card | None:
        """Learning cards due, then reviews, then new cards, then learning cards due soon."""
        return self._next_card(self._family(deck_id))

    def next_card_and_counts(self, deck_id: DeckId) -> tuple[Card | None, DeckCounts]:
        """Both from one pass over the deck: what a study session needs after each grade."""
        family = self._family(deck_id)
        return self._next_card(family), family.counts

    def _next_card(self, family: _Family) -> Card | None:
        scans = family.scans
        found = _earliest((scan.learning, deck) for deck, scan in scans.items())
        if found is None:
            found = _earliest((scan.review, deck) for deck, scan in scans.items()
                              if family.reviews_left[deck] > 0)
        if found is None:
            found = next(((scans[deck].first_new, deck) for deck in family.decks
                          if scans[deck].first_new is not None and family.new_left[deck] > 0),
                         None)
        if found is None:
            found = _earliest((scan.ahead, deck) for deck, scan in scans.items())
        if found is None:
            return None
        row, deck_id = found
        return self.state.decks[deck_id].card(self.state.progress.card[row])

    def next_due(self, deck_id: DeckId) -> datetime | None:
        """When the deck will next have a card to show, or None if it never will."""
        scans = self._family(deck_id).scans.values()
        candidates = []
        if any(scan.new or scan.reviews_due for scan in scans):
            # New cards, and reviews over today's allowance, wait for the next day.
            candidates.append(self.day_end)
        learning = [scan.next_learning for scan in scans if scan.next_learning is not None]
        if learning:
            candidates.append(max(_moment(min(learning)) - LEARN_AHEAD, self.now))
        review_days = [scan.next_review_day for scan in scans if scan.next_review_day is not None]
        if review_days:
            candidates.append(self._start_of_day(_moment(min(review_days))))
        return min(candidates, default=None)

    # -- a deck and its subdecks -----------------------------------------------------------------
    def _family(self, deck_id: DeckId, counting_only: bool = False) -> _Family:
        """`counting_only`: only the counts will be used, which the snapshot's counting digest
        can give while the progress table is not yet read."""
        decks, parent = family_of(self.state.decks, deck_id)
        groups = self._digest_groups() if counting_only else {}
        scans = {deck: self._scan(deck, groups.get(deck)) for deck in decks}
        new_studied = {deck: scan.new_studied_today for deck, scan in scans.items()}
        reviews_done = {deck: scan.reviews_done_today for deck, scan in scans.items()}
        new_shown = {deck: scan.new for deck, scan in scans.items()}
        reviews_shown = {deck: scan.reviews_due for deck, scan in scans.items()}
        new_left, reviews_left = {}, {}
        for deck in reversed(decks):  # every subdeck before the deck above it
            options = self._options_of(deck)
            new_left[deck] = max(0, options.new_per_day + scans[deck].extra_new
                                 - new_studied[deck])
            reviews_left[deck] = max(0, options.reviews_per_day - reviews_done[deck])
            new_shown[deck] = min(new_shown[deck], new_left[deck])
            reviews_shown[deck] = min(reviews_shown[deck], reviews_left[deck])
            above = parent.get(deck)
            if above is not None:
                new_studied[above] += new_studied[deck]
                reviews_done[above] += reviews_done[deck]
                new_shown[above] += new_shown[deck]
                reviews_shown[above] += reviews_shown[deck]
        for deck in decks[1:]:  # a deck shows no more than the decks above it allow
            above = parent[deck]
            new_left[deck] = min(new_left[deck], new_left[above])
            reviews_left[deck] = min(reviews_left[deck], reviews_left[above])
        learning = sum(scan.learning_due + scan.learning_soon for scan in scans.values())
        return _Family(decks, scans, new_left, reviews_left,
                       DeckCounts(new=new_shown[deck_id], learning=learning,
                                  due=reviews_shown[deck_id]))

    # -- the one pass ----------------------------------------------------------------------------
    def _scan(self, deck_id: DeckId, groups: DeckGroups | None = None) -> _Scan:
        """Over the deck's cards, or over its groups of cards from the counting digest (then
        only the counts are meaningful: the rows found are the groups')."""
        if deck_id not in self.state.decks:
            raise KeyError(f"no deck with id {deck_id!r}")
        if groups is None:
            table = self.state.progress
            phase, due = table.phase, table.due
            first, graded = table.first_review, table.last_review_graded
            rows, sizes = self._rows_to_study(deck_id), None
        else:
            phase, due = groups.phase, groups.due
            first, graded, sizes = groups.first_review, groups.last_review_graded, groups.cards
            rows = self._groups_to_study(groups)
        now_us, soon_us = micros(self.now), micros(self.now + LEARN_AHEAD)
        start_us, end_us = micros(self.day_start), micros(self.day_end)
        # Plain locals, not the _Scan's attributes: this loop runs over every card of the deck
        # after each grade, and attribute writes would double its time.
        new = new_today = learning_due = learning_soon = reviews_due = reviews_today = 0
        first_new = learning = review = ahead = next_learning = next_review_day = None
        for row in rows:
            code = phase[row]
            cards = 1 if sizes is None else sizes[row]
            if code == _NEW:
                new += cards
                if first_new is None:
                    first_new = row
                continue
            moment = first[row]
            if moment is not None and start_us <= moment < end_us:
                new_today += cards
            moment = graded[row]
            if moment is not None and start_us <= moment < end_us:
                reviews_today += cards
            moment = due[row]
            if code == 1 or code == 3:  # learning and relearning: minutes, not days
                if next_learning is None or moment < next_learning:
                    next_learning = moment
                if moment <= now_us:
                    learning_due += cards
                    if learning is None or moment < learning[0]:
                        learning = (moment, row)
                elif moment <= soon_us:
                    learning_soon += cards
                    if ahead is None or moment < ahead[0]:
                        ahead = (moment, row)
            elif moment >= end_us:
                if next_review_day is None or moment < next_review_day:
                    next_review_day = moment
            else:
                reviews_due += cards
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
        if self._resting is None:
            day = study_day(self.now, self.settings.rollover_hour, self.tz)
            self._resting = {self.state.progress.row(card) for card, mark in marks.items()
                             if mark.suspended or mark.buried_on(day)}
        resting = self._resting
        return [row for row in rows if row not in resting] if resting else rows

    def _digest_groups(self) -> dict[DeckId, DeckGroups]:
        """Each deck's groups from the counting digest, if there is one good for now."""
        digest = self.state.counting_digest
        if digest is None or not digest.usable(self.now, self.day_start, self.day_end):
            return {}
        return digest.decks

    def _groups_to_study(self, groups: DeckGroups) -> range | list[int]:
        """The groups without the cards buried for today (suspended cards are in none)."""
        day = study_day(self.now, self.settings.rollover_hour, self.tz).toordinal()
        if not any(until > day for until in groups.buried_until):
            return range(len(groups.cards))
        return [group for group, until in enumerate(groups.buried_until) if until <= day]

    def _start_of_day(self, moment: datetime) -> datetime:
        rollover = self.settings.rollover_hour
        return day_bounds(study_day(moment, rollover, self.tz), rollover, self.tz)[0]

    def new_beyond_limit(self, deck_id: DeckId) -> int:
        """How many new cards (its subdecks' too) wait beyond what today's limits let be
        studied."""
        family = self._family(deck_id)
        return sum(scan.new for scan in family.scans.values()) - family.counts.new


def family_of(decks: Mapping[DeckId, Deck],
              deck_id: DeckId) -> tuple[list[DeckId], dict[DeckId, DeckId]]:
    """A deck and the decks under it by name (`Parent::Child`), each parent before its
    subdecks and subdecks in name order; and the deck each subdeck sits under (the nearest
    whose name its own begins with: `A::B::C` sits under `A` when there is no `A::B`)."""
    if deck_id not in decks:
        raise KeyError(f"no deck with id {deck_id!r}")
    top = _path(decks[deck_id].name)
    under = sorted((path, deck.id) for deck in decks.values() if "::" in deck.name
                   and len(path := _path(deck.name)) > len(top) and path[:len(top)] == top)
    by_path = {top: deck_id, **{path: deck for path, deck in under}}
    parent = {deck: next(by_path[path[:end]] for end in range(len(path) - 1, 0, -1)
                         if path[:end] in by_path)
              for path, deck in under}
    return [deck_id, *(deck for _path_, deck in under)], parent


@functools.lru_cache(maxsize=4096)  # asked for every deck each time one deck is counted
def _path(name: str) -> tuple[str, ...]:
    return tuple(part.strip().casefold() for part in name.split("::"))


def _earliest(candidates) -> tuple[int, DeckId] | None:
    """The row due first among ((due, row) or None, deck) pairs, with its deck."""
    found = None
    for entry, deck in candidates:
        if entry is not None and (found is None or entry[0] < found[0]):
            found = (entry[0], entry[1], deck)
    return None if found is None else (found[1], found[2])


def _moment(microseconds: int) -> datetime:
    return _EPOCH + timedelta(microseconds=microseconds)
