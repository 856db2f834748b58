"""How well predicted recall matches what happened: the three figures srs-benchmark reports.

- log loss: the mean of -ln(probability given to what happened); lower is better.
- RMSE (bins): reviews are grouped by elapsed days, by how many reviews a day or more apart the
  card has had, and by its lapses, each on a coarse log scale; within each group the mean
  prediction is compared with the share recalled, and the root of the mean squared difference
  is taken with each group weighted by its size. It measures calibration without letting the
  many easy reviews drown out the rest.
- AUC: the chance that a recalled review got a higher prediction than a forgotten one (ties
  count half): how well predictions rank, whatever their calibration.

Needs numpy (imported on use).
"""

from __future__ import annotations

from typing import Any

EPSILON = 2.220446049250313e-16  # what scikit-learn clips probabilities to for log loss


def log_loss(recalled: Any, predicted: Any) -> float:
    import numpy

    y = numpy.asarray(recalled, dtype=float)
    p = numpy.clip(numpy.asarray(predicted, dtype=float), EPSILON, 1.0 - EPSILON)
    return float(-numpy.mean(y * numpy.log(p) + (1.0 - y) * numpy.log(1.0 - p)))


def rmse_bins(recalled: Any, predicted: Any, elapsed_days: Any, review_number: Any,
              lapses: Any) -> float:
    import numpy

    y = numpy.asarray(recalled, dtype=float)
    p = numpy.asarray(predicted, dtype=float)
    keys = numpy.stack([
        _log_bin(numpy.maximum(numpy.asarray(elapsed_days, dtype=float), 1e-6), 2.48, 3.62, 2),
        _log_bin(numpy.asarray(review_number, dtype=float), 1.99, 1.89, 0),
        _lapse_bin(numpy.asarray(lapses, dtype=float))])
    _groups, group = numpy.unique(keys, axis=1, return_inverse=True)
    group = group.ravel()
    sizes = numpy.bincount(group)
    mean_y = numpy.bincount(group, weights=y) / sizes
    mean_p = numpy.bincount(group, weights=p) / sizes
    return float(numpy.sqrt(numpy.average((mean_y - mean_p) ** 2, weights=sizes)))


def auc(recalled: Any, predicted: Any) -> float:
    import numpy
    from scipy.stats import rankdata

    y = numpy.asarray(recalled, dtype=float) > 0.5
    positives, negatives = int(y.sum()), int((~y).sum())
    if not positives or not negatives:
        return float("nan")
    ranks = rankdata(numpy.asarray(predicted, dtype=float))
    return float((ranks[y].sum() - positives * (positives + 1) / 2) / (positives * negatives))


def _log_bin(values: Any, scale: float, base: float, decimals: int) -> Any:
    import numpy

    return numpy.round(scale * base ** numpy.floor(numpy.log(values) / numpy.log(base)),
                       decimals)


def _lapse_bin(lapses: Any) -> Any:
    import numpy

    safe = numpy.maximum(lapses, 1.0)
    return numpy.where(lapses > 0, _log_bin(safe, 1.65, 1.73, 0), 0.0)
