"""Fitting FSRS-6's 21 parameters to a learner's own review history.

The fit minimises log loss: how surprised the memory model is by whether each card was recalled
(any grade but Again) at each review that came a day or more after the card's previous one. That
is what the open-source FSRS optimisers minimise and what srs-benchmark scores. Same-day grades
still shape each card's memory state (the short-term formula); they are just not predicted.

How: L-BFGS-B (scipy) within the bounds the `fsrs` package accepts, on the exact gradient
(memory_model). It starts from the default parameters with each first grade's initial stability
estimated from the cards' first review a day or more later, and is pulled gently towards that
start (a prior worth a handful of reviews), so a short history cannot push parameters far on
noise. Fitted parameters are kept only when they predict the history better than the ones in use.

numpy and scipy are optional (`pip install flashcards[optimise]`): they are imported only when a
function here is called, and their absence raises OptimiserUnavailable with a message to show.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import repeat
from operator import attrgetter, is_
from typing import Any

from fsrs.scheduler import DEFAULT_PARAMETERS, LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS

from .progress import Phase, Review
from .retention_workload import simulate_reviews, simulate_workload

__all__ = ["Fit", "FitCancelled", "NotEnoughReviews", "OptimiserUnavailable", "RecallPredictions",
           "fit_parameters", "log_loss", "recall_predictions", "simulate_reviews",
           "simulate_workload"]

MAX_ITERATIONS = 100
# Past this many counted reviews the optimiser works on a random sample of cards holding about
# as many: 21 parameters are pinned down well before that, and each evaluation costs time in
# proportion. Log losses are still reported over every review.
SAMPLE_REVIEWS = 30_000
# The prior: a parameter an eighth of its allowed range away from where the fit starts costs as
# much as one review predicted with log loss 1 (a 37 % chance given to what happened); the
# initial stabilities are judged on a log scale instead, 1.5 (a factor of 4.5) per unit.
_PRIOR_FRACTION_OF_RANGE = 1 / 8
_PRIOR_LOG_STABILITY = 1.5


class OptimiserUnavailable(RuntimeError):
    """numpy or scipy is missing, so the scheduler cannot be fitted here."""


class FitCancelled(Exception):
    """The person cancelled the fit before it finished; nothing changed."""


class NotEnoughReviews(ValueError):
    """No review came a day or more after the same card's previous one: nothing to predict."""


@dataclass(frozen=True)
class Fit:
    """The outcome of fitting. `parameters` are the ones to schedule with from now on: the fitted
    ones when `better`, else the ones the fit started from; `fitted` are the fitted ones either
    way. Log losses are the mean over the `review_count` reviews that came a day or more after
    the card's previous review, before (`start`) and after (`fitted`)."""

    parameters: tuple[float, ...]
    log_loss_before: float
    log_loss_after: float
    review_count: int
    better: bool
    fitted: tuple[float, ...]


@dataclass(frozen=True)
class RecallPredictions:
    """What a set of parameters predicted for each review that came a day or more after the
    card's previous one, in time order. Arrays (numpy) of equal length."""

    review_index: Any   # position of the review in the sequence given
    predicted: Any      # predicted probability of recall
    recalled: Any       # 1.0 when the grade was Hard, Good or Easy, 0.0 for Again
    elapsed_days: Any   # whole days since the card's previous review
    review_number: Any  # 1 + the card's reviews a day or more apart so far, this one included
    lapses: Any         # the card's earlier reviews a day or more apart graded Again


def numeric_modules() -> tuple[Any, Any]:
    """numpy and scipy.optimize, or OptimiserUnavailable saying how to get them."""
    try:
        import numpy
        import scipy.optimize
    except ImportError as missing:
        raise OptimiserUnavailable(
            "Optimising the scheduler needs the numpy and scipy packages, which are not "
            f"installed ({missing.name} is missing). Install them with "
            "pip install 'flashcards[optimise]'; until then the current parameters stay in use."
        ) from missing
    return numpy, scipy.optimize


def log_loss(parameters: Sequence[float], reviews: Sequence[Review]) -> float:
    """The mean log loss of `parameters` over the reviews a day or more after the card's previous
    one: lower is better; always guessing 50 % scores ln 2 = 0.693. NotEnoughReviews when there
    is no such review."""
    predictions = recall_predictions(parameters, reviews)
    return _mean_log_loss(predictions.recalled, predictions.predicted)


def recall_predictions(parameters: Sequence[float], reviews: Sequence[Review]) -> RecallPredictions:
    """What `parameters` predict for each review a day or more after the card's previous one,
    each card's memory state built from all its earlier grades (same-day ones included)."""
    numpy, _ = numeric_modules()
    from . import memory_model

    histories = _histories(reviews)
    counted = numpy.flatnonzero(histories.counted)
    if not len(counted):
        raise NotEnoughReviews("No review came a day or more after the card's previous one.")
    probabilities = memory_model.recall_probabilities(_checked(parameters), histories)
    review_index = numpy.argsort(histories.position_of_review)[counted]
    order = numpy.lexsort((review_index, histories.times_us[counted]))
    positions = counted[order]
    return RecallPredictions(
        review_index=review_index[order],
        predicted=probabilities[positions],
        recalled=(histories.ratings[positions] > 1).astype(float),
        elapsed_days=histories.elapsed_days[positions],
        review_number=histories.long_term_number[positions] + 1,
        lapses=histories.lapses_before[positions])


def fit_parameters(reviews: Sequence[Review], start: Sequence[float] | None = None,
                   progress_callback: Callable[[int, int], None] | None = None,
                   cancelled: Callable[[], bool] | None = None) -> Fit:
    """Fits the 21 FSRS-6 parameters to `reviews` (any order, any number of cards).

    `start` is the parameter set in use (FSRS's defaults when None): the fit is measured against
    it. `progress_callback(done, total)` is called after each optimiser iteration; `cancelled()`
    is asked before each evaluation, and answering True raises FitCancelled.
    """
    numpy, optimize = numeric_modules()
    from . import memory_model

    with _one_blas_thread():
        return _fit(numpy, optimize, memory_model, reviews, start, progress_callback, cancelled)


def _fit(numpy: Any, optimize: Any, memory_model: Any, reviews: Sequence[Review],
         start: Sequence[float] | None, progress_callback: Callable[[int, int], None] | None,
         cancelled: Callable[[], bool] | None) -> Fit:
    start_w = _checked(start if start is not None else DEFAULT_PARAMETERS)
    histories = _histories(reviews)
    everything = memory_model.Objective(histories, histories.counted.astype(float))
    if not everything.total_weight:
        raise NotEnoughReviews("No review came a day or more after the card's previous one.")
    if everything.total_weight > SAMPLE_REVIEWS:
        histories = histories.sample(SAMPLE_REVIEWS)
    prior = numpy.array(DEFAULT_PARAMETERS, dtype=float)
    prior[:4] = _initial_stabilities(histories, prior)
    objective = memory_model.Objective(histories, histories.counted.astype(float))
    fitted = _minimised(optimize, objective, _Space(numpy, prior), progress_callback, cancelled)
    before = everything.loss(start_w) / everything.total_weight
    after = everything.loss(fitted) / everything.total_weight
    if progress_callback is not None:
        progress_callback(MAX_ITERATIONS, MAX_ITERATIONS)
    better = bool(after < before)
    return Fit(parameters=_as_tuple(fitted if better else start_w), log_loss_before=before,
               log_loss_after=after, review_count=int(everything.total_weight), better=better,
               fitted=_as_tuple(fitted))


def _minimised(optimize: Any, objective: Any, space: _Space,
               progress_callback: Callable[[int, int], None] | None,
               cancelled: Callable[[], bool] | None) -> Any:
    """The parameters minimising the objective's mean log loss plus the prior's penalty."""
    iterations = [0]

    def evaluate(z):
        if cancelled is not None and cancelled():
            raise FitCancelled()
        loss, gradient = objective.loss_and_gradient(space.parameters(z))
        penalty, penalty_gradient = space.penalty(z)
        return ((loss + penalty) / objective.total_weight,
                (space.chain(z, gradient) + penalty_gradient) / objective.total_weight)

    def after_iteration(_z):
        iterations[0] += 1
        if progress_callback is not None:
            progress_callback(iterations[0], MAX_ITERATIONS)

    result = optimize.minimize(
        evaluate, space.coordinates(space.prior), jac=True, method="L-BFGS-B",
        bounds=space.bounds, callback=after_iteration,
        # Stop once an iteration gains under 1e-5 of log loss: a history's own noise in its mean
        # log loss is hundreds of times larger.
        options={"maxiter": MAX_ITERATIONS, "ftol": 1e-5, "gtol": 1e-6})
    return _checked(space.parameters(result.x))


def _one_blas_thread() -> Any:
    """The fit's vector operations are small; on a busy machine a BLAS thread pool's hand-offs
    cost more than the arithmetic."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return contextlib.nullcontext()
    return threadpool_limits(limits=1, user_api="blas")


class _Space:
    """The coordinates the optimiser moves in: each parameter as a multiple of its prior scale
    away from the prior, the initial stabilities on a log scale, so that one step means about as
    much for every parameter."""

    def __init__(self, numpy: Any, prior: Any) -> None:
        self.np = numpy
        lower = numpy.array(LOWER_BOUNDS_PARAMETERS, dtype=float)
        upper = numpy.array(UPPER_BOUNDS_PARAMETERS, dtype=float)
        self.prior = prior
        self.scale = (upper - lower) * _PRIOR_FRACTION_OF_RANGE
        self.scale[:4] = _PRIOR_LOG_STABILITY
        low, high = self.coordinates(lower), self.coordinates(upper)
        self.bounds = list(zip(low, high))

    def coordinates(self, w: Any) -> Any:
        z = (w - self.prior) / self.scale
        z[:4] = (self.np.log(w[:4]) - self.np.log(self.prior[:4])) / self.scale[:4]
        return z

    def parameters(self, z: Any) -> Any:
        w = self.prior + z * self.scale
        w[:4] = self.prior[:4] * self.np.exp(z[:4] * self.scale[:4])
        return w

    def chain(self, z: Any, gradient: Any) -> Any:
        slope = self.scale.copy()
        slope[:4] = self.parameters(z)[:4] * self.scale[:4]
        return gradient * slope

    def penalty(self, z: Any) -> tuple[float, Any]:
        return float(z @ z), 2.0 * z


def _initial_stabilities(histories: Any, prior: Any) -> Any:
    """Each first grade's initial stability, from how often cards first graded that way were
    recalled at their first review a day or more later (and after how long)."""
    import numpy
    from scipy.optimize import minimize_scalar

    first_long = numpy.flatnonzero(histories.counted & (histories.long_term_number == 1))
    step = numpy.searchsorted(histories.offsets, first_long, side="right") - 1
    first_rating = histories.ratings[first_long - histories.offsets[step]]
    days = histories.elapsed_days[first_long].astype(float)
    recalled = (histories.ratings[first_long] > 1).astype(float)
    factor = 0.9 ** (-1.0 / prior[20]) - 1.0
    estimates, counts = prior[:4].copy(), numpy.zeros(4)

    for rating in range(1, 5):
        chosen = first_rating == rating
        counts[rating - 1] = chosen.sum()
        if not counts[rating - 1]:
            continue
        t, y = days[chosen], recalled[chosen]

        def cost(log_s: float) -> float:
            r = numpy.clip((1.0 + factor * t / math.exp(log_s)) ** -prior[20], 1e-9, 1 - 1e-9)
            pull = ((log_s - math.log(prior[rating - 1])) / _PRIOR_LOG_STABILITY) ** 2
            return float(-(y @ numpy.log(r) + (1 - y) @ numpy.log(1 - r)) + pull)

        best = minimize_scalar(cost, bounds=(math.log(0.01), math.log(100.0)), method="bounded")
        estimates[rating - 1] = math.exp(best.x)
    return _ordered(numpy, estimates, counts + 1.0)


def _ordered(numpy: Any, stabilities: Any, counts: Any) -> Any:
    """Initial stabilities that never fall from Again to Easy: neighbours out of order are
    replaced by their count-weighted (geometric) mean, as in isotonic regression."""
    blocks = [[math.log(s), c, 1] for s, c in zip(stabilities, counts)]
    merged: list = []
    for block in blocks:
        merged.append(block)
        while len(merged) > 1 and merged[-2][0] > merged[-1][0]:
            (v1, c1, n1), (v2, c2, n2) = merged[-2], merged.pop()
            merged[-1] = [(v1 * c1 + v2 * c2) / (c1 + c2), c1 + c2, n1 + n2]
    return numpy.array([math.exp(v) for v, _c, n in merged for _ in range(n)])


def _histories(reviews: Sequence[Review]) -> Any:
    import numpy

    from .review_histories import ReviewHistories

    # One pass per field: building a tuple per review would wake the garbage collector over and
    # over, and each wake-up walks every object the collection holds.
    count = len(reviews)
    times = numpy.fromiter(map(datetime.timestamp, map(attrgetter("time"), reviews)), float, count)
    return ReviewHistories(
        list(map(attrgetter("card_id"), reviews)),
        # Whole microseconds: day boundaries must not blur in floating point.
        numpy.round(times * 1e6).astype(numpy.int64),
        numpy.fromiter(map(int, map(attrgetter("rating"), reviews)), numpy.int64, count),
        numpy.fromiter(map(is_, map(attrgetter("phase_before"), reviews), repeat(Phase.NEW)),
                       bool, count))


def _checked(parameters: Sequence[float]) -> Any:
    import numpy

    w = numpy.array(parameters, dtype=float)
    if w.shape != (21,) or not numpy.all(numpy.isfinite(w)):
        raise ValueError("FSRS-6 takes 21 finite parameters.")
    return numpy.clip(w, LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS)


def _as_tuple(w: Any) -> tuple[float, ...]:
    return tuple(float(value) for value in w)


def _mean_log_loss(recalled: Any, predicted: Any) -> float:
    from .recall_metrics import log_loss as mean_log_loss

    return mean_log_loss(recalled, predicted)
