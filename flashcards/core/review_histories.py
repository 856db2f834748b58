"""Many cards' review histories laid out for FSRS-6's memory model (memory_model).

A history is one card's grades in time order; a grade given to a card that was new again (reset)
starts a new history. The histories are laid out step by step (every history's first grade, then
every history's second grade, ...), longest history first, so that one numpy operation advances
every card that has a step left: step t of the c-th longest history sits at `offsets[t] + c` of
the flat arrays, and its previous grade at `offsets[t - 1] + c`.

Which formula each grade takes (recalled, forgotten, same day) depends on the history alone,
never on the parameters, so those index sets are found once here: per step for the forward pass,
and over all steps at once for the passes that need no order.

Needs numpy: import this module only where numpy is known to be present.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

_DAY_US = 86_400_000_000


@dataclass
class Step:
    """One step of every history still running, and which formula each card takes there.

    `long` lists the cards graded a day or more after their previous grade, those that recalled
    first (`recalled` of them), then those that forgot; `same_day` the others. Indices count from
    the step's first card; `long_at` and `same_day_at` are the same grades' flat positions.
    """

    count: int
    long: np.ndarray
    long_at: np.ndarray
    recalled: int
    days: np.ndarray
    ratings: np.ndarray
    same_day: np.ndarray
    same_day_at: np.ndarray


class ReviewHistories:
    def __init__(self, card_keys: Sequence, times_us: np.ndarray, ratings: np.ndarray,
                 restarts: np.ndarray) -> None:
        """`card_keys[i]`, `times_us[i]` (integer microseconds), `ratings[i]` (1..4) describe grade
        i; `restarts[i]` says grade i was given to a new card (its history starts afresh)."""
        count = len(ratings)
        codes = _codes(card_keys)
        order = np.lexsort((np.arange(count), times_us, codes))
        times_sorted, ratings_sorted, codes_sorted = times_us[order], ratings[order], codes[order]
        starts = np.ones(count, dtype=bool)
        starts[1:] = (codes_sorted[1:] != codes_sorted[:-1]) | restarts[order][1:]
        history_of = np.cumsum(starts) - 1
        lengths = np.bincount(history_of) if count else np.zeros(0, dtype=np.int64)
        # Longest first; equal lengths keep the order their cards came in.
        rank = np.empty(len(lengths), dtype=np.int64)
        rank[np.argsort(-lengths, kind="stable")] = np.arange(len(lengths))
        step_of = np.arange(count) - np.flatnonzero(starts)[history_of]
        self.active = np.bincount(step_of) if count else np.zeros(0, dtype=np.int64)
        self.offsets = np.concatenate(([0], np.cumsum(self.active))).astype(np.int64)
        position = self.offsets[step_of] + rank[history_of]
        elapsed = np.zeros(count, dtype=np.int64)
        elapsed[~starts] = (times_sorted[1:] - times_sorted[:-1])[~starts[1:]] // _DAY_US

        self.size = count
        self.history = self._flat(position, history_of)
        self.position_of_review = np.empty(count, dtype=np.int64)
        self.position_of_review[order] = position
        self.ratings = self._flat(position, ratings_sorted)
        self.elapsed_days = self._flat(position, elapsed)
        self.times_us = self._flat(position, times_sorted)
        self.first = self._flat(position, starts)
        # A review counts for the loss when it comes a day or more after the card's previous one.
        self.counted = ~self.first & (self.elapsed_days >= 1)
        long_term = (~starts & (elapsed >= 1)).astype(np.int64)
        lapse = long_term * (ratings_sorted == 1)
        self.long_term_number = self._flat(position, _cumsum_within(long_term, starts))
        self.lapses_before = self._flat(position, _cumsum_within(lapse, starts) - lapse)
        self.previous = self._flat(position, np.where(
            starts, -1, self.offsets[np.maximum(step_of - 1, 0)] + rank[history_of]))

        later = ~self.first
        self.all_recalled = np.flatnonzero(later & (self.elapsed_days >= 1) & (self.ratings > 1))
        self.all_lapsed = np.flatnonzero(later & (self.elapsed_days >= 1) & (self.ratings == 1))
        self.all_same_day = np.flatnonzero(later & (self.elapsed_days < 1))
        self.all_later = np.flatnonzero(later)
        self.steps = [self._step(t) for t in range(len(self.active))]

    def sample(self, counted: int, seed: int = 0) -> ReviewHistories:
        """Whole histories drawn at random until they hold about `counted` counted grades."""
        histories = np.random.default_rng(seed).permutation(int(self.history.max()) + 1)
        per_history = np.bincount(self.history, weights=self.counted)[histories]
        chosen = histories[:int(np.searchsorted(np.cumsum(per_history), counted)) + 1]
        keep = np.isin(self.history, chosen)
        return ReviewHistories(self.history[keep], self.times_us[keep], self.ratings[keep],
                               self.first[keep])

    def _flat(self, position: np.ndarray, values: np.ndarray) -> np.ndarray:
        flat = np.empty(self.size, dtype=values.dtype)
        flat[position] = values
        return flat

    def _step(self, t: int) -> Step:
        here = self.offsets[t]
        block = slice(here, here + self.active[t])
        ratings, days = self.ratings[block], self.elapsed_days[block]
        recalled = np.flatnonzero((days >= 1) & (ratings > 1))
        lapsed = np.flatnonzero((days >= 1) & (ratings == 1))
        long = np.concatenate((recalled, lapsed))
        same_day = np.flatnonzero(days < 1)
        return Step(count=int(self.active[t]), long=long, long_at=here + long,
                    recalled=len(recalled), days=days[long].astype(float), ratings=ratings,
                    same_day=same_day, same_day_at=here + same_day)


def _codes(keys: Sequence) -> np.ndarray:
    """A small integer for each distinct key."""
    code = {key: index for index, key in enumerate(dict.fromkeys(keys))}
    return np.fromiter(map(code.__getitem__, keys), np.int64, len(keys))


def _cumsum_within(values: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Running totals of `values` that begin again wherever `starts` is set."""
    totals = np.cumsum(values)
    before = totals - values
    return totals - np.maximum.accumulate(np.where(starts, before, 0))
