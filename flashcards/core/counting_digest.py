"""Each deck's cards reduced to what the deck list's counts depend on, saved with the snapshot.

Start-up shows every deck's New / Learning / Due counts. Reading every card's progress for that
takes most of the start at a million cards, yet the counts only ask of each card a few questions:
is it new, was it first studied or graded today, is it due before today ends (a review) or before
now (a learning step). Before a given moment most answers are known for every later moment, so
cards whose answers agree can be counted together:

- a time before the cut-off (26 hours before the digest was made; no study day is longer, so no
  day that holds a later moment starts before it) is "long ago", the same for every card;
- a review due after the horizon (a week on) is "later", the same for every card;
- the other review times, and the times cards were first studied and graded, only ever meet the
  start or end of a study day, which falls on a quarter hour in every time zone, so they are kept
  to the quarter hour they fall in;
- learning cards keep their exact due time (they are few, and compared with the minute now).

Each deck's cards then fall into a few hundred groups at most, written with their sizes. The
study queue counts the groups, with the same rules as the cards, while the digest is usable: the
moment is not before it was made, and the study day ends before its horizon on a quarter hour.
Any change to the collection drops the digest (see CollectionState.apply).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from .deck import DeckId
from .progress_table import micros

QUARTER_HOUR = 15 * 60 * 1_000_000  # microseconds
CUT_OFF = timedelta(hours=26)
HORIZON = timedelta(days=7)
_LEARNING = (1, 3)  # the phase codes whose due time is compared with the minute now


@dataclass(frozen=True)
class DeckGroups:
    """A deck's groups as columns: each group's phase code, due time, first study and last
    grade (microseconds, or 0 for long ago), the ordinal of the study day its burial ends (0:
    not buried), and how many cards it holds."""

    phase: list[int]
    due: list[int]
    first_review: list[int]
    last_review_graded: list[int]
    buried_until: list[int]
    cards: list[int]

    def to_json(self) -> list[list[int]]:
        return [self.phase, self.due, self.first_review, self.last_review_graded,
                self.buried_until, self.cards]

    @classmethod
    def from_json(cls, columns) -> DeckGroups:
        if (not isinstance(columns, list) or len(columns) != 6
                or len({len(column) for column in columns}) != 1
                or not all(type(value) is int for column in columns for value in column)):
            raise ValueError("a deck's counting groups are malformed")
        return cls(*columns)


@dataclass(frozen=True)
class CountingDigest:
    made: int  # microseconds
    horizon: int
    decks: dict[DeckId, DeckGroups]

    def usable(self, now: datetime, day_start: datetime, day_end: datetime) -> bool:
        start, end = micros(day_start), micros(day_end)
        return (micros(now) >= self.made and end <= self.horizon
                and start % QUARTER_HOUR == 0 and end % QUARTER_HOUR == 0)

    def cards_due_before(self, moment: datetime, phase: int) -> int:
        """Cards of `phase` due before `moment`, buried ones included (for a moment this digest
        is usable at)."""
        before = micros(moment)
        return sum(size for groups in self.decks.values()
                   for code, due, size in zip(groups.phase, groups.due, groups.cards)
                   if code == phase and due < before)

    def to_json(self) -> dict:
        return {"made": self.made, "horizon": self.horizon,
                "decks": {deck_id: groups.to_json() for deck_id, groups in self.decks.items()}}

    @classmethod
    def from_json(cls, data) -> CountingDigest:
        if not isinstance(data, dict) or type(data.get("made")) is not int or type(
                data.get("horizon")) is not int or not isinstance(data.get("decks"), dict):
            raise ValueError("the counting digest is malformed")
        return cls(data["made"], data["horizon"],
                   {DeckId(str(deck_id)): DeckGroups.from_json(columns)
                    for deck_id, columns in data["decks"].items()})


def make_digest(state, now: datetime) -> CountingDigest:
    """The digest of every deck a learner sees, made at `now` from the whole progress table."""
    made = micros(now)
    cut_off = _quarter(made - micros_of_span(CUT_OFF))
    horizon = _quarter(made + micros_of_span(HORIZON))
    table = state.progress
    suspended = {card for card, marks in state.marks.items() if marks.suspended}
    buried = {card: marks.buried_until.toordinal() for card, marks in state.marks.items()
              if not marks.suspended and marks.buried_until is not None}

    def since(moment: int | None) -> int:
        return 0 if moment is None or moment < cut_off else _quarter(moment)

    phase, due, first, graded = (table.phase, table.due, table.first_review,
                                 table.last_review_graded)
    card_of = table.card
    decks = {}
    for deck_id, rows in state.deck_rows.items():
        groups: Counter = Counter()
        for row in rows:
            card = card_of[row]
            if card in suspended:
                continue
            code = phase[row]
            until = buried.get(card, 0)
            if code == 0:
                groups[0, 0, 0, 0, until] += 1
                continue
            moment = due[row]
            if code not in _LEARNING:
                moment = 0 if moment < cut_off else min(_quarter(moment), horizon)
            groups[code, moment, since(first[row]), since(graded[row]), until] += 1
        decks[deck_id] = DeckGroups(*map(list, zip(*((*key, size) for key, size in groups.items())))
                                    if groups else ([], [], [], [], [], []))
    return CountingDigest(made, horizon, decks)


def micros_of_span(span: timedelta) -> int:
    return span // timedelta(microseconds=1)


def _quarter(moment: int) -> int:
    return moment - moment % QUARTER_HOUR
