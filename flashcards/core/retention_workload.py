"""A simulated learner: how many reviews a year of study takes, and synthetic review histories.

The simulation, day by day:
- The learner studies once a day (or on a share of days, `study_share`), at a random time of day,
  and reviews every card due that day; cards due on a skipped day wait for the next session.
- Whether a card is recalled is drawn from FSRS-6's forgetting curve under the learner's true
  memory parameters. A recalled card is graded Hard, Good or Easy with `pass_grades` chances.
- New cards come in at `new_cards_per_day`. Their first grade is drawn from `first_grades`;
  the app's learning steps (1 and 10 minutes) then mean more grades the same day, all Good:
  two after Again or Hard, one after Good, none after Easy. A lapse (Again) is followed by one
  same-day relearning grade (Good).
- The scheduler knows only its own parameters (which may differ from the learner's true ones):
  it keeps its own memory state per card and sets the next interval for the desired retention,
  at least a day, with fuzz of about +-5 %, as the app does.

Needs numpy (imported on use).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from .progress import Phase, Progress, Rating, Review

_FOLLOW_UPS_AFTER_FIRST = {1: 2, 2: 2, 3: 1, 4: 0}
_MINUTE = 1 / 1440


def simulate_workload(parameters: Sequence[float], desired_retention: float,
                      cards: Iterable[Progress | None], *, now: datetime, days: int = 365,
                      new_cards_per_day: int = 10, seed: int = 0,
                      maximum_interval_days: int = 36500) -> list[float]:
    """Reviews per day over the next `days` days if the learner (whose memory follows
    `parameters`) studied every day with this desired retention. `cards` are the learner's
    cards as they stand at `now`: None or a new card's progress waits its turn to be
    introduced, `new_cards_per_day` a day. Compare desired retentions with the same seed."""
    sim = _Simulation(parameters, parameters, desired_retention, seed, maximum_interval_days)
    existing = list(cards)
    new = sum(1 for p in existing if p is None or p.phase is Phase.NEW or p.stability is None)
    sim.add_existing([p for p in existing
                      if p is not None and p.phase is not Phase.NEW and p.stability is not None],
                     now)
    sim.add_new(new)
    counts = []
    for day in range(days):
        before = sim.review_count
        sim.study_day(day, new_cards_per_day)
        counts.append(float(sim.review_count - before))
    return counts


def simulate_reviews(parameters: Sequence[float], *, cards: int, days: int, start: datetime,
                     new_cards_per_day: int, scheduling_parameters: Sequence[float] | None = None,
                     desired_retention: float = 0.9, study_share: float = 1.0,
                     first_grades: Sequence[float] = (0.2, 0.05, 0.65, 0.1),
                     pass_grades: Sequence[float] = (0.1, 0.8, 0.1), seed: int = 0,
                     deck_id: str = "simulated") -> list[Review]:
    """The review history of a simulated learner whose memory follows `parameters`, studying
    `cards` new cards from `start` for `days` days: a synthetic history with known truth."""
    sim = _Simulation(parameters, scheduling_parameters or parameters, desired_retention, seed,
                      36500, first_grades, pass_grades, record=True)
    sim.add_new(cards)
    for day in range(days):
        if sim.rng.random() < study_share:
            sim.study_day(day, new_cards_per_day)
    return sim.reviews(start, deck_id)


class _Simulation:
    def __init__(self, true_parameters: Sequence[float], scheduling_parameters: Sequence[float],
                 desired_retention: float, seed: int, maximum_interval_days: int,
                 first_grades: Sequence[float] = (0.2, 0.05, 0.65, 0.1),
                 pass_grades: Sequence[float] = (0.1, 0.8, 0.1), record: bool = False) -> None:
        from .optimiser import numeric_modules

        np, _ = numeric_modules()
        self.np = np
        self.rng = np.random.default_rng(seed)
        self.truth = np.array(true_parameters, dtype=float)
        self.model = np.array(scheduling_parameters, dtype=float)
        self.model_is_true = bool(np.array_equal(self.truth, self.model))
        self.retention, self.maximum = desired_retention, maximum_interval_days
        self.first_grades = np.array(first_grades, dtype=float) / sum(first_grades)
        self.pass_grades = np.array(pass_grades, dtype=float) / sum(pass_grades)
        self.record, self.log = record, []
        self.review_count = 0
        empty = np.zeros(0)
        # Per card: true and scheduler memory state, last review and due (days from the start).
        self.s_true = self.d_true = self.s_model = self.d_model = empty
        self.last = self.due = empty
        self.waiting = 0  # new cards not yet introduced; they take the next indices

    def add_existing(self, cards: list[Progress], now: datetime) -> None:
        np = self.np
        s = np.array([p.stability for p in cards], dtype=float)
        d = np.array([p.difficulty for p in cards], dtype=float)
        last = np.array([_days_between(now, p.last_review or now) for p in cards], dtype=float)
        due = np.array([_days_between(now, p.due) for p in cards], dtype=float)
        self._append(s, d, s.copy(), d.copy(), last, due)

    def add_new(self, count: int) -> None:
        self.waiting += count

    def _append(self, s_true: Any, d_true: Any, s_model: Any, d_model: Any, last: Any,
                due: Any) -> None:
        np = self.np
        self.s_true, self.d_true = np.append(self.s_true, s_true), np.append(self.d_true, d_true)
        self.s_model = np.append(self.s_model, s_model)
        self.d_model = np.append(self.d_model, d_model)
        self.last, self.due = np.append(self.last, last), np.append(self.due, due)

    def study_day(self, day: int, new_cards: int) -> None:
        np, rng = self.np, self.rng
        session = day + rng.uniform(0.3, 0.9)
        due = np.flatnonzero(np.floor(self.due) <= day)
        moments = session + rng.uniform(0.0, 30 * _MINUTE, len(due))
        elapsed = np.floor(np.maximum(moments - self.last[due], 0.0) + 1e-9)
        recall = _retrievability(np, self.truth, elapsed, self.s_true[due])
        recalled = rng.random(len(due)) < recall
        grades = np.where(recalled, 2 + rng.choice(3, len(due), p=self.pass_grades), 1)
        self._grade(due, grades, moments, elapsed, Phase.REVIEW)
        lapsed = due[grades == 1]
        self._grade(lapsed, np.full(len(lapsed), 3), moments[grades == 1] + 10 * _MINUTE,
                    np.zeros(len(lapsed)), Phase.RELEARNING)
        self._introduce(min(new_cards, self.waiting), session)

    def _introduce(self, count: int, session: float) -> None:
        np, rng = self.np, self.rng
        if not count:
            return
        self.waiting -= count
        first = 1 + rng.choice(4, count, p=self.first_grades)
        moments = session + 30 * _MINUTE + rng.uniform(0.0, 30 * _MINUTE, count)
        cards = np.arange(len(self.last), len(self.last) + count)
        s_true, d_true = _initial(np, self.truth, first)
        s_model, d_model = _initial(np, self.model, first)
        self._append(s_true, d_true, s_model, d_model, moments, moments)
        self._log(cards, first, moments, Phase.NEW)
        follow_ups = np.array([_FOLLOW_UPS_AFTER_FIRST[int(g)] for g in first])
        learning = cards
        for step, gap in ((1, _MINUTE), (2, 10 * _MINUTE)):
            going_on = follow_ups >= step
            learning, moments = learning[going_on], moments[going_on] + gap
            follow_ups = follow_ups[going_on]
            self._grade(learning, np.full(len(learning), 3), moments, np.zeros(len(learning)),
                        Phase.LEARNING)
        self._schedule(cards)

    def _grade(self, cards: Any, grades: Any, moments: Any, elapsed: Any, phase: Phase) -> None:
        np = self.np
        if not len(cards):
            return
        self.s_true[cards], self.d_true[cards] = _next(
            np, self.truth, self.s_true[cards], self.d_true[cards], elapsed, grades)
        if self.model_is_true:
            self.s_model[cards], self.d_model[cards] = self.s_true[cards], self.d_true[cards]
        else:
            self.s_model[cards], self.d_model[cards] = _next(
                np, self.model, self.s_model[cards], self.d_model[cards], elapsed, grades)
        self.last[cards] = moments
        self._log(cards, grades, moments, phase)
        if phase is not Phase.LEARNING:
            self._schedule(cards)

    def _schedule(self, cards: Any) -> None:
        np, w = self.np, self.model
        decay = -w[20]
        factor = 0.9 ** (1 / decay) - 1
        interval = self.s_model[cards] / factor * (self.retention ** (1 / decay) - 1)
        fuzzed = np.where(interval >= 2.5, interval * self.rng.uniform(0.95, 1.05, len(cards)),
                          interval)
        self.due[cards] = self.last[cards] + np.clip(np.round(fuzzed), 1, self.maximum)

    def _log(self, cards: Any, grades: Any, moments: Any, phase: Phase) -> None:
        self.review_count += len(cards)
        if self.record:
            self.log.append((cards.copy(), grades.copy(), moments.copy(), phase))

    def reviews(self, start: datetime, deck_id: str) -> list[Review]:
        out = []
        for cards, grades, moments, phase in self.log:
            for card, grade, moment in zip(cards.tolist(), grades.tolist(), moments.tolist()):
                out.append(Review(id=f"{deck_id}-{len(out)}", card_id=f"card-{card}",
                                  deck_id=deck_id, rating=Rating(grade),
                                  time=start + timedelta(days=moment), phase_before=phase))
        out.sort(key=lambda review: review.time)
        return out


def _days_between(start: datetime, moment: datetime) -> float:
    return (moment - start).total_seconds() / 86400


def _retrievability(np: Any, w: Any, elapsed: Any, s: Any) -> Any:
    factor = 0.9 ** (-1 / w[20]) - 1
    return (1 + factor * elapsed / s) ** -w[20]


def _initial(np: Any, w: Any, grades: Any) -> tuple[Any, Any]:
    s = np.maximum(w[grades - 1], 0.001)
    d = np.clip(w[4] - np.exp(w[5] * (grades - 1)) + 1, 1, 10)
    return s, d


def _next(np: Any, w: Any, s: Any, d: Any, elapsed: Any, grades: Any) -> tuple[Any, Any]:
    """FSRS-6's memory update, as the `fsrs` package applies it, for many cards at once."""
    r = _retrievability(np, w, elapsed, s)
    bonus = np.where(grades == 2, w[15], 1.0) * np.where(grades == 4, w[16], 1.0)
    recalled = s * (1 + math.exp(w[8]) * (11 - d) * s ** -w[9]
                    * (np.exp((1 - r) * w[10]) - 1) * bonus)
    forgotten = np.minimum(
        w[11] * d ** -w[12] * ((s + 1) ** w[13] - 1) * np.exp((1 - r) * w[14]),
        s / math.exp(w[17] * w[18]))
    sinc = np.exp(w[17] * (grades - 3 + w[18])) * s ** -w[19]
    short_term = s * np.where(grades >= 2, np.maximum(sinc, 1.0), sinc)
    new_s = np.where(elapsed < 1, short_term, np.where(grades == 1, forgotten, recalled))
    easy = w[4] - math.exp(3 * w[5]) + 1
    damped = d + (10 - d) * (-w[6] * (grades - 3)) / 9
    new_d = np.clip(w[7] * easy + (1 - w[7]) * damped, 1, 10)
    return np.maximum(new_s, 0.001), new_d
