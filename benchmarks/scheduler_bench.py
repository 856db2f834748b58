"""How well the scheduler predicts recall: FSRS-6 with default and with fitted parameters.

    .venv/bin/python benchmarks/scheduler_bench.py [--log CSV] [--skip-speed]

On a real review log (benchmarks/data/review_logs_josh.csv: 12,580 reviews of 1,205 cards by one
learner, MIT, see benchmarks/data/README.md), as srs-benchmark scores models:
  - only reviews a day or more after the card's previous review are predicted and scored;
  - a 5-fold time-series split over those reviews in time order (scikit-learn's TimeSeriesSplit):
    the log is cut into six equal parts and each of the last five is predicted by a model fitted
    on every review before it; the five predicted parts are scored together.
Models:
  defaults  FSRS-6 with the fsrs package's default parameters
  fitted    FSRS-6 with parameters fitted on the reviews before each part
            (flashcards.core.optimiser; the defaults when the fit does not predict those earlier
            reviews better)
  sm2       Anki's SM-2 with its default settings; recall predicted as 0.9 ** (elapsed / interval)
  average   the share recalled among the earlier reviews, for every review
Figures: log loss, RMSE (bins) and AUC as srs-benchmark defines them
(flashcards.core.recall_metrics).

Then two checks on simulated learners (flashcards.core.workload) whose true parameters are known:
  synthetic         parameters fitted on one simulated history score, on a second history of the
                    same learner, within a hair of the true parameters (fitted_log_loss vs true)
  fit_seconds_100k  wall time of fit_parameters on a simulated history of about 100,000 reviews,
                    with numpy and scipy already imported, as in a running app (and its CPU
                    time, fit_cpu_seconds_100k, which other work on the machine does not inflate)

Published reference (srs-benchmark, about 10,000 Anki users): FSRS-6 fitted 0.3214 / 0.0462 / 0.706,
defaults 0.3393 / 0.0716 / 0.689, Anki's SM-2 0.490 / 0.1278 / 0.597 (log loss / RMSE (bins) / AUC).
The last line printed is the figures as JSON.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
from fsrs.scheduler import DEFAULT_PARAMETERS  # noqa: E402

from flashcards.core import recall_metrics  # noqa: E402
from flashcards.core.optimiser import (  # noqa: E402
    fit_parameters, log_loss, recall_predictions, simulate_reviews)
from flashcards.core.progress import Phase, Rating, Review  # noqa: E402

LOG = Path(__file__).resolve().parent / "data" / "review_logs_josh.csv"
SPLITS = 5
# A learner unlike the defaults: longer first memories, slower forgetting curve, steeper growth.
TRUE_PARAMETERS = list(DEFAULT_PARAMETERS)
TRUE_PARAMETERS[0:4] = [0.5, 2.0, 5.0, 15.0]
TRUE_PARAMETERS[8], TRUE_PARAMETERS[10], TRUE_PARAMETERS[11] = 1.6, 1.2, 1.8
TRUE_PARAMETERS[17], TRUE_PARAMETERS[20] = 0.6, 0.3
START = datetime(2024, 1, 1, tzinfo=timezone.utc)


def read_log(path: Path) -> list[Review]:
    reviews, seen = [], set()
    with path.open(newline="", encoding="utf-8") as file:
        for n, row in enumerate(csv.DictReader(file)):
            card = row["card_id"]
            reviews.append(Review(
                id=f"r{n}", card_id=card, deck_id="log", rating=Rating(int(row["review_rating"])),
                time=datetime.fromisoformat(row["review_time"]).astimezone(timezone.utc),
                phase_before=Phase.REVIEW if card in seen else Phase.NEW,
                duration_ms=int(row["review_duration"])))
            seen.add(card)
    return reviews


def time_series_folds(count: int, splits: int = SPLITS) -> list[tuple[int, int]]:
    """(start, end) of each test part, as scikit-learn's TimeSeriesSplit cuts `count` rows."""
    size = count // (splits + 1)
    starts = range(count - splits * size, count, size)
    return [(start, start + size) for start in starts]


def sm2_predictions(reviews: list[Review], scored) -> np.ndarray:
    """Anki's SM-2 with its default settings (graduating interval 1 day, easy interval 4 days,
    starting ease 2.5, easy bonus 1.3, hard interval 1.2, a lapse restarts at 1 day), run over
    each card's first grade and its grades a day or more apart; a review before its due day
    counts the days actually elapsed instead of the interval."""
    predicted = np.empty(len(scored.review_index))
    row_of = {int(index): row for row, index in enumerate(scored.review_index)}
    state: dict[str, tuple[float, float, datetime]] = {}
    for index in sorted(range(len(reviews)), key=lambda i: (reviews[i].time, i)):
        review = reviews[index]
        rating, known = int(review.rating), state.get(review.card_id)
        if known is None or review.phase_before is Phase.NEW:
            state[review.card_id] = (4.0 if rating == 4 else 1.0, 2.5, review.time)
            continue
        interval, ease, last = known
        elapsed = (review.time - last).days
        if elapsed < 1:
            continue
        if index in row_of:
            predicted[row_of[index]] = 0.9 ** (elapsed / interval)
        late = max(elapsed - interval, 0.0)
        base = min(interval, elapsed)
        if rating == 1:
            interval, ease = 1.0, ease - 0.2
        elif rating == 2:
            interval, ease = max(base * 1.2, interval), ease - 0.15
        elif rating == 3:
            interval = max((base + late / 2) * ease, interval + 1)
        else:
            interval, ease = max((base + late) * ease * 1.3, interval + 1), ease + 0.15
        state[review.card_id] = (max(1.0, round(interval)), max(ease, 1.3), review.time)
    return predicted


def metrics(scored, rows: np.ndarray, predicted: np.ndarray) -> dict:
    y = scored.recalled[rows]
    return {
        "log_loss": round(recall_metrics.log_loss(y, predicted), 4),
        "rmse_bins": round(recall_metrics.rmse_bins(
            y, predicted, scored.elapsed_days[rows], scored.review_number[rows],
            scored.lapses[rows]), 4),
        "auc": round(recall_metrics.auc(y, predicted), 4),
    }


def real_log(path: Path) -> dict:
    reviews = read_log(path)
    defaults = recall_predictions(DEFAULT_PARAMETERS, reviews)
    sm2 = sm2_predictions(reviews, defaults)
    folds = time_series_folds(len(defaults.review_index))
    print(f"{path.name}: {len(reviews):,} reviews of {len({r.card_id for r in reviews}):,} cards; "
          f"{len(defaults.review_index):,} a day or more after the card's previous one")
    rows = np.concatenate([np.arange(start, end) for start, end in folds])
    fitted = np.empty(len(rows))
    average = np.empty(len(rows))
    done = 0
    for fold, (start, end) in enumerate(folds, 1):
        boundary = reviews[int(defaults.review_index[start])].time
        earlier = [r for r in reviews if r.time < boundary]
        began = time.perf_counter()
        fit = fit_parameters(earlier)
        seconds = time.perf_counter() - began
        part = recall_predictions(fit.parameters, reviews)
        fitted[done:done + end - start] = part.predicted[start:end]
        average[done:done + end - start] = defaults.recalled[:start].mean()
        done += end - start
        print(f"  fold {fold}: fitted on {fit.review_count:,} reviews in {seconds:.2f} s "
              f"(log loss there {fit.log_loss_before:.4f} -> {fit.log_loss_after:.4f}, "
              f"{'kept' if fit.better else 'not kept'}); predicting {end - start:,}")
    return {
        "defaults": metrics(defaults, rows, defaults.predicted[rows]),
        "fitted": metrics(defaults, rows, fitted),
        "sm2": metrics(defaults, rows, sm2[rows]),
        "average": metrics(defaults, rows, average),
    }


def synthetic() -> dict:
    def learner(seed: int, cards: int) -> list[Review]:
        return simulate_reviews(TRUE_PARAMETERS, cards=cards, days=365, start=START,
                                new_cards_per_day=max(1, cards // 250), study_share=0.85,
                                scheduling_parameters=DEFAULT_PARAMETERS, seed=seed)

    history, fresh = learner(1, 2000), learner(2, 2000)
    fit = fit_parameters(history)
    figures = {"fitted_log_loss": round(log_loss(fit.parameters, fresh), 4),
               "true_log_loss": round(log_loss(TRUE_PARAMETERS, fresh), 4)}
    print(f"synthetic learner: fitted on {len(history):,} reviews; on a fresh history of "
          f"{len(fresh):,}: true parameters {figures['true_log_loss']:.4f}, fitted "
          f"{figures['fitted_log_loss']:.4f}, defaults {log_loss(DEFAULT_PARAMETERS, fresh):.4f}")
    return figures


def fit_seconds_100k() -> tuple[float, float]:
    """Wall-clock and CPU seconds of one fit of about 100,000 simulated reviews."""
    history = simulate_reviews(TRUE_PARAMETERS, cards=11000, days=365, start=START,
                               new_cards_per_day=40, study_share=0.85,
                               scheduling_parameters=DEFAULT_PARAMETERS, seed=3)
    began, cpu = time.perf_counter(), time.process_time()
    fit = fit_parameters(history)
    seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
    print(f"fit of {len(history):,} simulated reviews ({fit.review_count:,} scored): "
          f"{seconds:.2f} s ({cpu:.2f} s of CPU) on {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.1f}")
    return round(seconds, 2), round(cpu, 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--log", type=Path, default=LOG)
    parser.add_argument("--skip-speed", action="store_true")
    args = parser.parse_args()
    began = time.perf_counter()
    figures = real_log(args.log)
    print("                log loss  RMSE(bins)   AUC")
    for name in ("defaults", "fitted", "sm2", "average"):
        m = figures[name]
        print(f"  {name:12s} {m['log_loss']:9.4f} {m['rmse_bins']:10.4f} {m['auc']:7.4f}")
    print("  srs-benchmark, ~10,000 users: FSRS-6 fitted 0.3214 / 0.0462 / 0.706, "
          "defaults 0.3393 / 0.0716 / 0.689, SM-2 0.490 / 0.1278 / 0.597")
    figures["synthetic"] = synthetic()
    if not args.skip_speed:
        figures["fit_seconds_100k"], figures["fit_cpu_seconds_100k"] = fit_seconds_100k()
    print(f"benchmark took {time.perf_counter() - began:.0f} s")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
