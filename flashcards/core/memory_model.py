"""FSRS-6's memory model run over many review histories at once, with its exact gradient.

The maths is the `fsrs` package's (the scheduler the app studies with), so parameters fitted here
mean the same thing there: a card's first grade sets its stability and difficulty; a grade on the
same day as the card's previous one (fewer than 24 hours later: `fsrs` counts whole days elapsed)
applies the short-term formula; a later grade first asks the forgetting curve how likely recall
was, then applies the recall or the lapse formula.

How it stays fast in numpy: the forward pass advances every card one step per group of numpy
calls (review_histories lays the grades out that way). Every other part works on all grades at
once: the loss; each grade's local derivatives, which depend only on the states the forward pass
left; and the parameters' gradient. What is left step by step, the reverse (adjoint) sweep that
carries the loss's sensitivity back through each card's states, is a few multiply-adds a step.

Needs numpy: import this module only where numpy is known to be present.
"""

from __future__ import annotations

import numpy as np

from .review_histories import ReviewHistories

S_MIN = 0.001
D_MIN, D_MAX = 1.0, 10.0
# A miss is never predicted with more certainty than this: its loss stays large but finite.
EPSILON = 1e-15


def _dot(a: np.ndarray, b: np.ndarray) -> float:
    # Not a matrix product: that goes to a multithreaded BLAS, whose threads, on a busy machine,
    # wait on each other for many times longer than this plain loop takes.
    return float(np.einsum("i,i->", a, b))


def recall_probabilities(w: np.ndarray, histories: ReviewHistories) -> np.ndarray:
    """The predicted probability of recall for every grade, in flat layout; NaN where the
    forgetting curve is not asked (a card's first grade, and same-day grades)."""
    run = _Forward(w, histories)
    probabilities = np.full(histories.size, np.nan)
    for part in (histories.all_recalled, histories.all_lapsed):
        probabilities[part] = run.recall[part]
    return probabilities


class Objective:
    """The weighted sum of log losses over a set of histories, as a function of the parameters."""

    def __init__(self, histories: ReviewHistories, weights: np.ndarray) -> None:
        """`weights` (flat layout) says how much each grade counts; grades the forgetting curve
        is not asked about never count."""
        self.histories = histories
        self.recalled_weights = weights[histories.all_recalled]
        self.lapsed_weights = weights[histories.all_lapsed]
        self.total_weight = float(self.recalled_weights.sum() + self.lapsed_weights.sum())

    def loss(self, w: np.ndarray) -> float:
        return self._loss(_Forward(w, self.histories))

    def loss_and_gradient(self, w: np.ndarray) -> tuple[float, np.ndarray]:
        run = _Forward(w, self.histories)
        return self._loss(run), _Gradient(run, self).gradient

    def _loss(self, run: _Forward) -> float:
        h = self.histories
        recalled = np.log(run.recall[h.all_recalled])
        missed = np.log(np.maximum(1.0 - run.recall[h.all_lapsed], EPSILON))
        return -(_dot(self.recalled_weights, recalled) + _dot(self.lapsed_weights, missed))


class _Forward:
    """Each grade's resulting stability and difficulty, and the recall predicted before it."""

    def __init__(self, w: np.ndarray, histories: ReviewHistories) -> None:
        self.w, self.histories = w, histories
        self.factor = 0.9 ** (-1.0 / w[20]) - 1.0
        self.easy_difficulty = w[4] - np.exp(3.0 * w[5]) + 1.0
        ratings = np.arange(5.0)
        # Per grade (indexed by rating): the difficulty update is linear between the clamps.
        shift = -w[6] / 9.0 * (ratings - 3.0)
        self.difficulty_slope = (1.0 - w[7]) * (1.0 - shift)
        self.difficulty_shift = 10.0 * (1.0 - w[7]) * shift + w[7] * self.easy_difficulty
        self.bonus = np.array([1.0, 1.0, w[15], 1.0, w[16]])
        self.short_term = w[17] * (ratings - 3.0 + w[18])
        self.floor = (ratings >= 2.0).astype(float)
        self.stability = np.empty(histories.size)
        self.difficulty = np.empty(histories.size)
        self.recall = np.empty(histories.size)
        if histories.size:
            self._first_step()
            for t in range(1, len(histories.steps)):
                self._step(t)

    def _first_step(self) -> None:
        w, n = self.w, self.histories.steps[0].count
        ratings = self.histories.ratings[:n]
        self.stability[:n] = np.maximum(w[ratings - 1], S_MIN)
        self.difficulty[:n] = np.clip(w[4] - np.exp(w[5] * (ratings - 1)) + 1.0, D_MIN, D_MAX)

    def _step(self, t: int) -> None:
        w, step, offsets = self.w, self.histories.steps[t], self.histories.offsets
        n, nr, before, here = step.count, step.recalled, offsets[t - 1], offsets[t]
        s, d = self.stability[before:before + n], self.difficulty[before:before + n]
        new_s = self.stability[here:here + n]
        if len(step.long):
            s_long, d_long = s[step.long], d[step.long]
            r = np.exp(-w[20] * np.log(1.0 + self.factor * step.days / s_long))
            self.recall[step.long_at] = r
            new_long = np.empty(len(step.long))
            if nr:
                # Recalled: stability grows, the more so the less likely recall was.
                s_r = s_long[:nr]
                increase = (np.exp(w[8] - w[9] * np.log(s_r)) * (11.0 - d_long[:nr])
                            * (np.exp((1.0 - r[:nr]) * w[10]) - 1.0)
                            * self.bonus[step.ratings[step.long[:nr]]])
                np.multiply(s_r, 1.0 + increase, out=new_long[:nr])
            if nr < len(step.long):
                # Forgotten: the long-term formula, never above what a same-day lapse leaves.
                s_l, r_l = s_long[nr:], r[nr:]
                long_term = (w[11] * np.exp((1.0 - r_l) * w[14] - w[12] * np.log(d_long[nr:]))
                             * (np.exp(w[13] * np.log(s_l + 1.0)) - 1.0))
                np.minimum(long_term, s_l * np.exp(-w[17] * w[18]), out=new_long[nr:])
            new_s[step.long] = new_long
        if len(step.same_day):
            s_k, ratings = s[step.same_day], step.ratings[step.same_day]
            sinc = np.exp(self.short_term[ratings] - w[19] * np.log(s_k))
            new_s[step.same_day] = s_k * np.maximum(sinc, self.floor[ratings])
        np.maximum(new_s, S_MIN, out=new_s)
        new_d = self.difficulty[here:here + n]
        np.multiply(self.difficulty_slope[step.ratings], d, out=new_d)
        new_d += self.difficulty_shift[step.ratings]
        np.minimum(np.maximum(new_d, D_MIN, out=new_d), D_MAX, out=new_d)


class _Gradient:
    """The gradient of an Objective's loss after a forward pass.

    Each grade's local derivatives (how its new stability and difficulty move with the previous
    ones, with the parameters, and how its loss moves with the previous stability) are found for
    all grades at once. The reverse sweep then carries the loss's sensitivity to every state back
    through the steps, and the parameters' gradient is summed from it, again all at once.
    """

    def __init__(self, run: _Forward, objective: Objective) -> None:
        self.run, self.objective, self.w = run, objective, run.w
        h = run.histories
        self.gradient = np.zeros(21)
        if not h.size:
            return
        # Sensitivity of each grade's new stability to the previous stability and difficulty,
        # of its new difficulty to the previous difficulty, and of its loss to the previous
        # stability (through the predicted recall).
        self.s_by_s, self.s_by_d = np.zeros(h.size), np.zeros(h.size)
        self.d_by_d, self.loss_by_s = np.zeros(h.size), np.zeros(h.size)
        self.partials: list = []
        self._recalled()
        self._lapsed()
        self._same_day()
        self._difficulty()
        g_s, g_d = self._sweep()
        for positions, of_difficulty, terms in self.partials:
            g = (g_d if of_difficulty else g_s)[positions]
            for index, partial in terms:
                self.gradient[index] += _dot(g, partial)
        first = h.steps[0].count
        ratings = h.ratings[:first]
        self.gradient[:4] += np.bincount(ratings - 1, weights=g_s[:first], minlength=4)[:4]
        raw = self.w[4] - np.exp(self.w[5] * (ratings - 1)) + 1.0
        g_first = g_d[:first] * ((raw > D_MIN) & (raw < D_MAX))
        self.gradient[4] += g_first.sum()
        self.gradient[5] -= _dot(g_first, (ratings - 1) * np.exp(self.w[5] * (ratings - 1)))

    def _before(self, positions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        previous = self.run.histories.previous[positions]
        return self.run.stability[previous], self.run.difficulty[previous]

    def _recall_terms(self, positions: np.ndarray, s: np.ndarray) -> tuple:
        """R, and the derivatives of ln R by the previous stability and by w20."""
        w20, factor = self.w[20], self.run.factor
        days = self.run.histories.elapsed_days[positions]
        base = 1.0 + factor * days / s
        factor_slope = 0.9 ** (-1.0 / w20) * np.log(0.9) / w20 ** 2
        by_s = w20 * (1.0 - 1.0 / base) / s
        by_w20 = -(np.log(base) + w20 * days / s * factor_slope / base)
        return self.run.recall[positions], by_s, by_w20

    def _recalled(self) -> None:
        w, at = self.w, self.run.histories.all_recalled
        s, d = self._before(at)
        r, ln_r_by_s, ln_r_by_w20 = self._recall_terms(at, s)
        ratings = self.run.histories.ratings[at]
        ln_s = np.log(s)
        core = s * np.exp(w[8] - w[9] * ln_s) * (11.0 - d)
        growth = np.exp((1.0 - r) * w[10])
        bonus = self.run.bonus[ratings]
        grown = core * (growth - 1.0) * bonus
        kept = (s + grown >= S_MIN).astype(float)
        by_r = -w[10] * core * bonus * growth * kept
        self.s_by_s[at] = kept * (1.0 + grown / s * (1.0 - w[9])) + by_r * r * ln_r_by_s
        self.s_by_d[at] = -kept * grown / (11.0 - d)
        weights = self.objective.recalled_weights
        self.loss_by_s[at] = -weights * ln_r_by_s
        self.gradient[20] -= _dot(weights, ln_r_by_w20)
        by_bonus = kept * core * (growth - 1.0)
        self.partials.append((at, False, [
            (8, kept * grown), (9, -kept * grown * ln_s),
            (10, kept * core * bonus * growth * (1.0 - r)),
            (15, by_bonus * (ratings == 2)), (16, by_bonus * (ratings == 4)),
            (20, by_r * r * ln_r_by_w20)]))

    def _lapsed(self) -> None:
        w, at = self.w, self.run.histories.all_lapsed
        s, d = self._before(at)
        r, ln_r_by_s, ln_r_by_w20 = self._recall_terms(at, s)
        ln_d, ln_lift = np.log(d), np.log(s + 1.0)
        scale = w[11] * np.exp((1.0 - r) * w[14] - w[12] * ln_d)
        lift = np.exp(w[13] * ln_lift)
        long_term = scale * (lift - 1.0)
        cap = s * np.exp(-w[17] * w[18])
        capped = (cap < long_term).astype(float)
        kept = (np.minimum(long_term, cap) >= S_MIN).astype(float)
        on_cap, on_formula = kept * capped, kept * (1.0 - capped)
        by_r = -w[14] * long_term * on_formula
        self.s_by_s[at] = (on_cap * np.exp(-w[17] * w[18])
                           + on_formula * scale * w[13] * lift / (s + 1.0) + by_r * r * ln_r_by_s)
        self.s_by_d[at] = -on_formula * long_term * w[12] / d
        miss = 1.0 - r
        weights = self.objective.lapsed_weights * (miss > EPSILON) * r / np.maximum(miss, EPSILON)
        self.loss_by_s[at] = weights * ln_r_by_s
        self.gradient[20] += _dot(weights, ln_r_by_w20)
        self.partials.append((at, False, [
            (11, on_formula * long_term / w[11]), (12, -on_formula * long_term * ln_d),
            (13, on_formula * scale * lift * ln_lift), (14, on_formula * long_term * (1.0 - r)),
            (17, -on_cap * cap * w[18]), (18, -on_cap * cap * w[17]),
            (20, by_r * r * ln_r_by_w20)]))

    def _same_day(self) -> None:
        w, at = self.w, self.run.histories.all_same_day
        s, _d = self._before(at)
        ratings = self.run.histories.ratings[at]
        ln_s = np.log(s)
        sinc = np.exp(self.run.short_term[ratings] - w[19] * ln_s)
        floored = (sinc < self.run.floor[ratings]).astype(float)
        kept = (s * np.maximum(sinc, self.run.floor[ratings]) >= S_MIN).astype(float)
        free = kept * (1.0 - floored)
        out = s * sinc * free
        self.s_by_s[at] = kept * floored + free * sinc * (1.0 - w[19])
        self.partials.append((at, False, [
            (17, out * (ratings - 3.0 + w[18])), (18, out * w[17]), (19, -out * ln_s)]))

    def _difficulty(self) -> None:
        w, at = self.w, self.run.histories.all_later
        _s, d = self._before(at)
        ratings = self.run.histories.ratings[at]
        raw = self.run.difficulty_slope[ratings] * d + self.run.difficulty_shift[ratings]
        kept = ((raw > D_MIN) & (raw < D_MAX)).astype(float)
        self.d_by_d[at] = kept * self.run.difficulty_slope[ratings]
        damped = d - (10.0 - d) * w[6] / 9.0 * (ratings - 3.0)
        self.partials.append((at, True, [
            (4, kept * w[7]), (5, kept * w[7] * -3.0 * np.exp(3.0 * w[5])),
            (6, -kept * (1.0 - w[7]) * (10.0 - d) * (ratings - 3.0) / 9.0),
            (7, kept * (self.run.easy_difficulty - damped))]))

    def _sweep(self) -> tuple[np.ndarray, np.ndarray]:
        """The loss's sensitivity to every grade's resulting stability and difficulty, from the
        last step back to the first."""
        h = self.run.histories
        g_s, g_d = np.zeros(h.size), np.zeros(h.size)
        for t in range(len(h.steps) - 1, 0, -1):
            n, here, before = h.steps[t].count, h.offsets[t], h.offsets[t - 1]
            this, previous = slice(here, here + n), slice(before, before + n)
            np.multiply(self.s_by_s[this], g_s[this], out=g_s[previous])
            g_s[previous] += self.loss_by_s[this]
            np.multiply(self.d_by_d[this], g_d[this], out=g_d[previous])
            g_d[previous] += self.s_by_d[this] * g_s[this]
        return g_s, g_d
