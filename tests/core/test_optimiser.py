"""Fitting the scheduler to a learner's own reviews: it finds a simulated learner's memory, keeps
the parameters in use unless the fit predicts better, stops when cancelled, and says plainly what
is missing when numpy or scipy is not installed."""

from __future__ import annotations

import math
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import fsrs
import numpy as np
import pytest
from fsrs.scheduler import DEFAULT_PARAMETERS

from flashcards.core import recall_metrics
from flashcards.core.optimiser import (
    FitCancelled, NotEnoughReviews, OptimiserUnavailable, fit_parameters, log_loss,
    recall_predictions, simulate_reviews, simulate_workload)
from flashcards.core.progress import Phase, Progress, Rating, Review

START = datetime(2025, 1, 6, tzinfo=timezone.utc)
# A learner who remembers much longer than FSRS's defaults assume, and forgets along a flatter
# curve: a fit has plenty to find.
LEARNER = list(DEFAULT_PARAMETERS)
LEARNER[0:4] = [2.0, 5.0, 12.0, 30.0]
LEARNER[8], LEARNER[11], LEARNER[20] = 2.0, 1.0, 0.5


def _history(seed: int, cards: int = 600) -> list[Review]:
    return simulate_reviews(LEARNER, cards=cards, days=240, start=START,
                            new_cards_per_day=cards // 60 or 1, study_share=0.85,
                            scheduling_parameters=DEFAULT_PARAMETERS, seed=seed)


@pytest.fixture(scope="module")
def history() -> list[Review]:
    return _history(seed=1)


@pytest.fixture(scope="module")
def fresh_history() -> list[Review]:
    return _history(seed=2)


@pytest.fixture(scope="module")
def fit(history):
    return fit_parameters(history)


def test_the_fit_predicts_a_simulated_learner_almost_as_well_as_their_true_memory(
        fit, fresh_history):
    true = log_loss(LEARNER, fresh_history)
    defaults = log_loss(DEFAULT_PARAMETERS, fresh_history)
    fitted = log_loss(fit.parameters, fresh_history)
    assert fit.better
    # Over six simulated histories, the fit closed 54 to 107 % of the defaults' gap.
    assert fitted - true < 0.5 * (defaults - true)
    # Review by review, the fitted model's recall predictions are close to the true ones.
    actual = recall_predictions(LEARNER, fresh_history).predicted
    miss = {name: np.mean(np.abs(recall_predictions(w, fresh_history).predicted - actual))
            for name, w in (("fitted", fit.parameters), ("defaults", DEFAULT_PARAMETERS))}
    assert miss["fitted"] < 0.6 * miss["defaults"]


def test_the_fit_reports_its_gain_over_the_reviews_it_learned_from(fit, history):
    assert fit.review_count == len(recall_predictions(DEFAULT_PARAMETERS, history).predicted)
    assert fit.log_loss_before == pytest.approx(log_loss(DEFAULT_PARAMETERS, history))
    assert fit.log_loss_after == pytest.approx(log_loss(fit.parameters, history))
    assert fit.log_loss_after < fit.log_loss_before
    assert len(fit.parameters) == 21
    fsrs.Scheduler(parameters=fit.parameters)  # within the bounds the scheduler accepts


def test_parameters_that_already_predict_as_well_are_kept(fit, history):
    again = fit_parameters(history, start=fit.fitted)
    assert not again.better
    assert again.parameters == fit.fitted
    assert again.log_loss_after >= again.log_loss_before


def test_the_defaults_score_a_finite_log_loss_even_on_a_surprising_history():
    # A card recalled after ten years, and another forgotten a day after a perfect start.
    reviews = [_review("a", Rating.EASY, 0), _review("a", Rating.GOOD, 3650),
               _review("b", Rating.EASY, 0), _review("b", Rating.AGAIN, 1)]
    loss = log_loss(DEFAULT_PARAMETERS, reviews)
    assert math.isfinite(loss) and loss > 0


def test_a_history_with_nothing_to_predict_is_refused():
    same_day = [_review("a", Rating.AGAIN, 0), _review("a", Rating.GOOD, 0.01)]
    with pytest.raises(NotEnoughReviews):
        fit_parameters(same_day)


def test_cancelling_stops_the_fit(history):
    asked, progress = [], []

    def cancelled() -> bool:
        asked.append(True)
        return len(asked) > 3

    with pytest.raises(FitCancelled):
        fit_parameters(history, progress_callback=lambda done, total: progress.append(done),
                       cancelled=cancelled)
    assert len(asked) == 4
    assert len(progress) <= 3


def test_progress_is_reported_until_the_end(history):
    progress = []
    fit_parameters(history, progress_callback=lambda done, total: progress.append((done, total)))
    assert progress[-1][0] == progress[-1][1]
    assert [done for done, _total in progress] == sorted(done for done, _total in progress)


def test_without_numpy_and_scipy_the_fit_says_what_to_install(monkeypatch, history):
    for name in ("numpy", "scipy", "scipy.optimize"):
        monkeypatch.setitem(sys.modules, name, None)
    with pytest.raises(OptimiserUnavailable, match=r"pip install 'flashcards\[optimise\]'"):
        fit_parameters(history)
    with pytest.raises(OptimiserUnavailable):
        log_loss(DEFAULT_PARAMETERS, history)


def test_the_app_loads_the_optimiser_without_numpy():
    code = ("import sys; sys.modules['numpy'] = None; sys.modules['scipy'] = None\n"
            "import flashcards.core.optimiser, flashcards.core.collection\n"
            "assert 'numpy' not in [m for m, v in sys.modules.items() if v is not None]\n")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_predictions_are_the_schedulers_own_retrievability():
    rng = np.random.default_rng(5)
    reviews, expected = [], {}
    scheduler = fsrs.Scheduler(parameters=LEARNER, enable_fuzzing=False)
    for card in range(30):
        moment, state = START + timedelta(hours=float(rng.uniform(0, 48))), fsrs.Card()
        for _ in range(int(rng.integers(1, 12))):
            rating = Rating(int(rng.choice([1, 2, 3, 3, 4])))
            if state.last_review and (moment - state.last_review).days >= 1:
                expected[len(reviews)] = scheduler.get_card_retrievability(state, moment)
            reviews.append(Review(id=str(len(reviews)), card_id=str(card), deck_id="d",
                                  rating=rating, time=moment, phase_before=Phase.REVIEW))
            state, _log = scheduler.review_card(state, fsrs.Rating(int(rating)), moment)
            moment += timedelta(minutes=float(rng.choice([10, 600, 2000, 40000])))
    predictions = recall_predictions(LEARNER, reviews)
    assert sorted(predictions.review_index.tolist()) == sorted(expected)
    for index, predicted in zip(predictions.review_index, predictions.predicted):
        assert predicted == pytest.approx(expected[int(index)], rel=1e-12)


def test_the_gradient_the_fit_follows_is_the_slope_of_the_loss(history):
    from flashcards.core.memory_model import Objective
    from flashcards.core.optimiser import _histories

    histories = _histories(history[:3000])
    objective = Objective(histories, histories.counted.astype(float))
    w = np.array(LEARNER)
    w[7], w[17], w[18] = 0.05, 0.9, 0.6  # the lapse cap and the difficulty pull both in play
    _loss, gradient = objective.loss_and_gradient(w)
    for k in range(21):
        step = 1e-6 * max(1.0, abs(w[k]))
        up, down = w.copy(), w.copy()
        up[k] += step
        down[k] -= step
        slope = (objective.loss(up) - objective.loss(down)) / (2 * step)
        assert gradient[k] == pytest.approx(slope, rel=1e-4, abs=1e-4)


def test_a_higher_desired_retention_costs_more_reviews():
    cards = [None] * 400
    totals = {retention: sum(simulate_workload(DEFAULT_PARAMETERS, retention, cards, now=START,
                                               days=180, new_cards_per_day=10))
              for retention in (0.80, 0.90, 0.95)}
    assert totals[0.80] < totals[0.90] < totals[0.95]
    daily = simulate_workload(DEFAULT_PARAMETERS, 0.9, cards, now=START, days=180)
    assert len(daily) == 180 and daily[0] >= 10


def test_the_workload_starts_from_the_cards_as_they_stand():
    due_today = Progress(phase=Phase.REVIEW, due=START, stability=5.0, difficulty=5.0,
                         last_review=START - timedelta(days=5))
    daily = simulate_workload(DEFAULT_PARAMETERS, 0.9, [due_today] * 50, now=START, days=30,
                              new_cards_per_day=0)
    assert daily[0] >= 50
    assert sum(daily[1:5]) < 50


def test_recall_metrics_match_their_definitions():
    recalled = np.array([1, 1, 0, 1, 0])
    predicted = np.array([0.9, 0.8, 0.3, 0.6, 0.7])
    expected = -np.mean(np.log([0.9, 0.8, 0.7, 0.6, 0.3]))
    assert recall_metrics.log_loss(recalled, predicted) == pytest.approx(expected)
    # 5 of the 6 (recalled, forgotten) pairs are ranked the right way round.
    assert recall_metrics.auc(recalled, predicted) == pytest.approx(5 / 6)
    # One bin: mean prediction 0.66 against 3 of 5 recalled.
    ones = np.ones(5)
    assert recall_metrics.rmse_bins(recalled, predicted, ones, ones, 0 * ones) == \
        pytest.approx(0.06)


def _review(card: str, rating: Rating, days: float) -> Review:
    return Review(id=f"{card}{days}", card_id=card, deck_id="d", rating=rating,
                  time=START + timedelta(days=days), phase_before=Phase.REVIEW)
