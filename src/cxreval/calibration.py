"""Calibration of predicted probabilities: Brier score, log loss, ECE / MCE and the
reliability curve.

A model is calibrated when, among the cases it gives probability ``p``, a fraction ``p``
is positive. The reliability curve groups the cases into bins of predicted probability
and compares each bin's mean prediction with its observed fraction of positives; a
binomial (Wilson) interval per bin shows how much of the gap is noise.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from tabulate import tabulate

from cxreval._checks import (
    check_array_1d,
    check_binary_probabilities,
    check_consistent_length,
    check_labels,
    check_level,
    check_sample_weight,
    check_score_matrix,
)
from cxreval._result import Result
from cxreval.intervals import proportion_ci

__all__ = [
    "ReliabilityCurve",
    "brier_score",
    "brier_score_multiclass",
    "log_loss",
    "reliability_curve",
]

_STRATEGIES = ("uniform", "quantile")


def brier_score(y_true: Any, y_prob: Any, *, pos_label: Any = None) -> float:
    """Brier score: the mean squared difference between probability and outcome.

    ``mean((y_prob - [y_true == pos_label])**2)``; 0 is perfect, 0.25 is what a constant
    0.5 scores, lower is better.

    Parameters
    ----------
    y_true : array-like of shape (n,)
        Binary labels (both classes present).
    y_prob : array-like of shape (n,)
        Predicted probability of the positive class, in [0, 1].
    pos_label : label, optional
        The positive class; by default the larger of the two sorted labels.

    Returns
    -------
    float

    Examples
    --------
    >>> from cxreval import brier_score
    >>> round(brier_score([0, 1, 1, 0], [0.1, 0.9, 0.6, 0.4]), 4)  # (.01+.01+.16+.16)/4
    0.085
    """
    is_positive, prob = check_binary_probabilities(y_true, y_prob, pos_label=pos_label)
    return _brier(is_positive, prob)


def _brier(is_positive: np.ndarray, prob: np.ndarray) -> float:
    return float(np.mean((prob - is_positive) ** 2))


def _class_probabilities(
    y_true: Any, y_prob: Any, labels: Any, pos_label: Any
) -> tuple[np.ndarray, np.ndarray]:
    """``(onehot, prob)`` of shape (n, K): binary 1-D probabilities of the positive class
    become the columns ``[1 - p, p]``; a matrix has one column per class, in the sorted
    order of ``y_true``'s labels or the order of ``labels``."""
    if np.ndim(y_prob) != 2:
        is_positive, prob = check_binary_probabilities(y_true, y_prob, pos_label=pos_label)
        return np.c_[~is_positive, is_positive].astype(float), np.c_[1.0 - prob, prob]
    prob = check_score_matrix(y_prob, "y_prob")
    y = check_array_1d(y_true, "y_true")
    check_consistent_length(y_true=y, y_prob=prob)
    present = check_labels(y, "y_true")
    classes = present if labels is None else check_array_1d(labels, "labels")
    if len(np.unique(classes)) != len(classes):
        raise ValueError(f"labels must be distinct, got {classes.tolist()}")
    unknown = np.setdiff1d(present, classes)
    if len(unknown):
        raise ValueError(f"y_true has labels not in labels: {unknown.tolist()[:10]}")
    if prob.shape[1] != len(classes):
        raise ValueError(
            f"y_prob has {prob.shape[1]} columns but there are {len(classes)} classes "
            f"{classes.tolist()[:10]}; give one column per class (or pass labels=)"
        )
    if prob.min() < 0 or prob.max() > 1:
        raise ValueError(
            f"y_prob must hold probabilities in [0, 1], got values in "
            f"[{prob.min():.4g}, {prob.max():.4g}]"
        )
    total = prob.sum(axis=1)
    off = ~np.isclose(total, 1.0, rtol=np.sqrt(np.finfo(float).eps), atol=0.0)
    if off.any():
        row = int(np.argmax(off))
        raise ValueError(
            f"y_prob rows must sum to 1 (probabilities of the classes); row {row} sums to "
            f"{total[row]:.6g}"
        )
    sorter = np.argsort(classes)
    codes = sorter[np.searchsorted(classes, y, sorter=sorter)]
    return np.eye(len(classes))[codes], prob


def _mean(loss: np.ndarray, sample_weight: Any) -> float:
    if sample_weight is None:
        return float(np.mean(loss))
    return float(np.average(loss, weights=check_sample_weight(sample_weight, len(loss))))


def log_loss(
    y_true: Any,
    y_prob: Any,
    *,
    labels: Any = None,
    pos_label: Any = None,
    sample_weight: Any = None,
) -> float:
    """Log loss (cross-entropy): the mean of ``-log`` of the probability of the true class.

    Equal to :func:`sklearn.metrics.log_loss`, binary and multi-class, with its clipping:
    probabilities are clipped to ``[eps, 1 - eps]`` with ``eps`` the float64 machine
    epsilon (2.2e-16), so a confident wrong answer costs about 36, not infinity. Unlike
    scikit-learn, whose rows not summing to 1 only warn, such rows are refused.

    Parameters
    ----------
    y_true : array-like of shape (n,)
        True labels.
    y_prob : array-like of shape (n,) or (n, K)
        Binary: the probability of the ``pos_label`` class. Multi-class: one column per
        class (in the sorted order of the labels, or of ``labels``), rows summing to 1.
    labels : array-like of K labels, optional
        The classes in the column order of a matrix ``y_prob`` (default: the sorted
        labels of ``y_true``, which must then all be present).
    pos_label : label, optional
        The positive class of 1-D binary probabilities (default: the larger label).
    sample_weight : array-like of shape (n,), optional
        Weights of a weighted mean, as scikit-learn's.

    Returns
    -------
    float
        The log loss (natural logarithm); 0 is perfect, ``log(K)`` is the uniform guess.

    Examples
    --------
    >>> from cxreval import log_loss
    >>> round(log_loss([0, 1, 1, 0], [0.1, 0.9, 0.6, 0.4]), 4)
    0.3081
    >>> round(log_loss([0, 1, 2], [[0.8, 0.1, 0.1], [0.2, 0.6, 0.2], [0.3, 0.3, 0.4]]), 4)
    0.5501
    """
    onehot, prob = _class_probabilities(y_true, y_prob, labels, pos_label)
    eps = np.finfo(float).eps
    clipped = np.clip(prob, eps, 1.0 - eps)
    return _mean(-(onehot * np.log(clipped)).sum(axis=1), sample_weight)


def brier_score_multiclass(
    y_true: Any, y_prob: Any, *, labels: Any = None, sample_weight: Any = None
) -> float:
    """Multi-class Brier score: the mean over images of ``sum_k (p_k - [y = k])²``.

    Brier's (1950) original score, equal to scikit-learn 1.9's ``brier_score_loss`` on a
    probability matrix (no factor 1/2). It ranges from 0 (perfect) to 2; for two classes
    it is twice :func:`cxreval.brier_score` of the positive column.

    Parameters
    ----------
    y_true : array-like of shape (n,)
        True labels.
    y_prob : array-like of shape (n, K)
        One column per class (sorted label order, or the order of ``labels``), rows
        summing to 1.
    labels : array-like of K labels, optional
        The classes in column order (default: the sorted labels of ``y_true``).
    sample_weight : array-like of shape (n,), optional
        Weights of a weighted mean, as scikit-learn's.

    Returns
    -------
    float

    Examples
    --------
    >>> from cxreval import brier_score_multiclass
    >>> y, p = [0, 1, 2], [[0.8, 0.1, 0.1], [0.2, 0.6, 0.2], [0.3, 0.3, 0.4]]
    >>> round(brier_score_multiclass(y, p), 4)  # (.06 + .24 + .54) / 3
    0.28
    """
    if np.ndim(y_prob) != 2:
        raise ValueError(
            f"y_prob must be 2-D with one column per class, got {np.ndim(y_prob)}-D "
            "(use brier_score for the probability of one positive class)"
        )
    onehot, prob = _class_probabilities(y_true, y_prob, labels, None)
    return _mean(((prob - onehot) ** 2).sum(axis=1), sample_weight)


@dataclass(frozen=True)
class ReliabilityCurve(Result):
    """Observed fraction of positives against mean predicted probability, per bin.

    Only non-empty bins are kept. ``ece`` is the count-weighted mean of
    ``|fraction_positive - mean_predicted|`` over the bins, ``mce`` its maximum.

    Attributes
    ----------
    strategy : str
        ``"uniform"`` (equal-width bins on [0, 1]) or ``"quantile"`` (equal-mass bins).
    n_bins : int
        The number of bins asked for (empty bins are dropped).
    level : float
        Confidence level of the per-bin intervals.
    ci_method : str
        The per-bin interval's method (``"wilson"``).
    bin_low, bin_high : numpy.ndarray
        Edges of each kept bin; a bin holds ``bin_low < p <= bin_high`` (the first
        bin also holds ``p == bin_low``).
    count, n_positive : numpy.ndarray
        Cases and positives per bin.
    mean_predicted, fraction_positive : numpy.ndarray
        Mean predicted probability and observed fraction of positives per bin.
    ci_low, ci_high : numpy.ndarray
        Wilson interval of ``fraction_positive`` per bin.
    ece, mce, brier : float
        Expected and maximum calibration error, and the Brier score.
    """

    strategy: str
    n_bins: int
    level: float
    ci_method: str
    bin_low: np.ndarray
    bin_high: np.ndarray
    count: np.ndarray
    n_positive: np.ndarray
    mean_predicted: np.ndarray
    fraction_positive: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    ece: float
    mce: float
    brier: float

    plotter = "plot_reliability"

    def table(self) -> str:
        """Per-bin table and the summary numbers, as text."""
        pct = f"{self.level:.0%}"
        rows = [
            [
                f"({lo:.3f}, {hi:.3f}]",
                int(c),
                f"{mp:.3f}",
                f"{fp:.3f}",
                f"[{a:.3f}, {b:.3f}]",
            ]
            for lo, hi, c, mp, fp, a, b in zip(
                self.bin_low,
                self.bin_high,
                self.count,
                self.mean_predicted,
                self.fraction_positive,
                self.ci_low,
                self.ci_high,
                strict=True,
            )
        ]
        headers = ["bin", "n", "mean predicted", "observed", f"{self.ci_method} {pct} CI"]
        summary = (
            f"Brier {self.brier:.4f}   ECE {self.ece:.4f}   MCE {self.mce:.4f}   "
            f"({self.strategy} bins, {len(self.count)} non-empty of {self.n_bins})"
        )
        return tabulate(rows, headers=headers) + "\n" + summary


def _bin_edges(prob: np.ndarray, n_bins: int, strategy: str) -> np.ndarray:
    """Bin edges; quantile edges may repeat (the bin between two equal edges stays empty)."""
    if strategy == "uniform":
        return np.linspace(0.0, 1.0, n_bins + 1)
    return np.percentile(prob, np.linspace(0.0, 1.0, n_bins + 1) * 100)


def reliability_curve(
    y_true: Any,
    y_prob: Any,
    *,
    n_bins: int = 10,
    strategy: str = "uniform",
    level: float = 0.95,
    pos_label: Any = None,
) -> ReliabilityCurve:
    """Reliability curve, ECE, MCE and Brier score of binary probabilities.

    Parameters
    ----------
    y_true : array-like of shape (n,)
        Binary labels (both classes present).
    y_prob : array-like of shape (n,)
        Predicted probability of the positive class, in [0, 1].
    n_bins : int, default 10
        Number of bins.
    strategy : {"uniform", "quantile"}, default "uniform"
        ``"uniform"``: equal-width bins on [0, 1]; ``"quantile"``: equal-mass bins at the
        quantiles of ``y_prob`` (with ties, a bin between two equal edges is empty and
        dropped).
    level : float, default 0.95
        Confidence level of the per-bin Wilson intervals.
    pos_label : label, optional
        The positive class; by default the larger of the two sorted labels.

    Returns
    -------
    ReliabilityCurve

    Notes
    -----
    A bin holds the probabilities in ``(low, high]``, the first one also its lower edge:
    the binning of :func:`sklearn.calibration.calibration_curve`, whose
    ``(prob_true, prob_pred)`` equal ``(fraction_positive, mean_predicted)`` here.
    ``ECE = sum_b n_b / n * |fraction_positive_b - mean_predicted_b|`` and
    ``MCE = max_b |fraction_positive_b - mean_predicted_b|`` (Guo et al., 2017).

    Examples
    --------
    >>> from cxreval import reliability_curve
    >>> curve = reliability_curve([0, 0, 1, 1], [0.1, 0.3, 0.7, 0.9], n_bins=2)
    >>> curve.fraction_positive.tolist(), curve.mean_predicted.tolist()
    ([0.0, 1.0], [0.2, 0.8])
    >>> round(curve.ece, 3)
    0.2
    """
    is_positive, prob = check_binary_probabilities(y_true, y_prob, pos_label=pos_label)
    return curve_from_outcomes(is_positive, prob, n_bins=n_bins, strategy=strategy, level=level)


def curve_from_outcomes(
    is_positive: np.ndarray, prob: np.ndarray, *, n_bins: int, strategy: str, level: float
) -> ReliabilityCurve:
    """:func:`reliability_curve` of checked boolean outcomes and probabilities in [0, 1].

    The outcomes may be all true or all false: the top-label calibration of a multi-class
    model that is always right (or always wrong) is still defined.
    """
    if isinstance(n_bins, bool) or not isinstance(n_bins, (int, np.integer)) or n_bins < 1:
        raise ValueError(f"n_bins must be a positive integer, got {n_bins!r}")
    if strategy not in _STRATEGIES:
        raise ValueError(f"strategy must be one of {_STRATEGIES}, got {strategy!r}")
    level = check_level(level)

    edges = _bin_edges(prob, int(n_bins), strategy)
    bin_id = np.searchsorted(edges[1:-1], prob)
    count = np.bincount(bin_id, minlength=n_bins)
    n_pos = np.bincount(bin_id, weights=is_positive, minlength=n_bins)
    prob_sum = np.bincount(bin_id, weights=prob, minlength=n_bins)
    keep = count > 0
    count, n_pos, prob_sum = count[keep], n_pos[keep], prob_sum[keep]
    mean_predicted = prob_sum / count
    fraction_positive = n_pos / count
    ci_low, ci_high = proportion_ci(n_pos, count, level=level, ci_method="wilson")
    gap = np.abs(fraction_positive - mean_predicted)
    return ReliabilityCurve(
        strategy=strategy,
        n_bins=int(n_bins),
        level=level,
        ci_method="wilson",
        bin_low=edges[:-1][keep],
        bin_high=edges[1:][keep],
        count=count,
        n_positive=n_pos.astype(int),
        mean_predicted=mean_predicted,
        fraction_positive=fraction_positive,
        ci_low=ci_low,
        ci_high=ci_high,
        ece=float(np.sum(count * gap) / count.sum()),
        mce=float(gap.max()),
        brier=_brier(is_positive, prob),
    )
