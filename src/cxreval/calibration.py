"""Calibration of predicted probabilities: Brier score, ECE / MCE and the reliability curve.

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

from cxreval._checks import check_binary_probabilities, check_level
from cxreval._result import Result
from cxreval.intervals import proportion_ci

__all__ = ["ReliabilityCurve", "brier_score", "reliability_curve"]

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
