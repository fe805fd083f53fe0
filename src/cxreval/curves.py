"""ROC and precision-recall curves, the AUC and the average precision.

One helper, :func:`threshold_counts`, feeds every curve (and the operating points): the
cumulative false and true positives at each distinct score, from the highest down. The AUC
counts ties as one half, AUC = Mann-Whitney U / (n1 n0), from the placement values of
:mod:`cxreval.delong`. Intervals and tests of the AUC are in :mod:`cxreval.inference`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from tabulate import tabulate

from cxreval._checks import check_binary_scores, check_direction, check_sample_weight
from cxreval._result import Result
from cxreval.delong import midranks

__all__ = [
    "CURVE_POINTS",
    "PRCurve",
    "ROCCurve",
    "average_precision",
    "binary_auc",
    "oriented_scores",
    "pr_curve",
    "roc_auc",
    "roc_curve",
    "thin_indices",
    "threshold_counts",
]

#: A thinned curve (:meth:`ROCCurve.thinned`, :meth:`PRCurve.thinned`) keeps about this
#: many points: enough that the figure drawn from it cannot be told from the full curve.
CURVE_POINTS = 1000


def thin_indices(
    x: np.ndarray, y: np.ndarray, *, points: int = CURVE_POINTS, keep: Iterable[int] = ()
) -> np.ndarray:
    """Indices of the points of the polyline ``(x, y)`` that a thinned curve keeps.

    The curve's length is measured point to point as ``|dx| + |dy|``. Cut into
    ``points`` equal pieces, the first point of each piece is kept, with the first and
    the last point and those in ``keep``. No dropped point then lies farther than
    ``length / points`` from the line through the kept ones: 0.002 for a ROC curve
    (length at most 2) with the default 1000 points, one pixel on a 500-pixel axis.
    A curve of at most ``points`` points is kept whole.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.linspace(0, 1, 10_001)
    >>> kept = thin_indices(x, np.sqrt(x), keep=[1234])
    >>> len(kept) <= 1003, int(kept[0]), int(kept[-1]), 1234 in kept
    (True, 0, 10000, True)
    """
    n = len(x)
    if n <= points:
        return np.arange(n)
    arc = np.r_[0.0, np.cumsum(np.abs(np.diff(x)) + np.abs(np.diff(y)))]
    chosen = np.zeros(n, dtype=bool)
    if arc[-1] > 0:
        piece = np.floor(arc * (points / arc[-1]))
        chosen[1:] = piece[1:] != piece[:-1]
    chosen[[0, n - 1, *keep]] = True
    return np.flatnonzero(chosen)


def threshold_counts(
    is_pos: np.ndarray, score: np.ndarray, weight: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(fps, tps, thresholds)``: cumulative false and true positives when the cases with
    ``score >= thresholds[i]`` are called positive, at each distinct score from the highest
    down (``is_pos`` and ``score`` already checked); with ``weight``, sums of the cases'
    weights instead of counts."""
    order = np.argsort(score, kind="stable")[::-1]
    s, p = score[order], is_pos[order]
    last = np.r_[np.flatnonzero(np.diff(s)), len(s) - 1]
    if weight is not None:
        w = weight[order]
        return np.cumsum(w * ~p)[last], np.cumsum(w * p)[last], s[last]
    tps = np.cumsum(p)[last]
    fps = (last + 1) - tps
    return fps.astype(float), tps.astype(float), s[last]


def _weighted_inputs(is_pos: np.ndarray, score: np.ndarray, sample_weight: Any) -> tuple:
    """``(is_pos, score, weight)`` without the cases of weight zero (as scikit-learn);
    ``weight`` is None without ``sample_weight``."""
    if sample_weight is None:
        return is_pos, score, None
    weight = check_sample_weight(sample_weight, len(score))
    keep = weight != 0
    is_pos, score, weight = is_pos[keep], score[keep], weight[keep]
    for cases, name in ((is_pos, "positive"), (~is_pos, "negative")):
        if not cases.any():
            raise ValueError(f"sample_weight is zero on every {name} case")
    return is_pos, score, weight


def oriented_scores(
    is_pos: np.ndarray, score: np.ndarray, direction: str
) -> tuple[np.ndarray, str]:
    """``(score, direction)``: the scores turned so that higher means positive, and the
    direction used (``"auto"`` resolved as pROC: ``"<"`` when the median of the
    negatives is at most the median of the positives, else ``">"``)."""
    direction = check_direction(direction)
    if direction == "auto":
        below = np.median(score[~is_pos]) <= np.median(score[is_pos])
        direction = "<" if below else ">"
    return (score if direction == "<" else -score), direction


@dataclass(frozen=True)
class ROCCurve(Result):
    """A ROC curve: false and true positive rates at decreasing thresholds.

    ``fpr[i]``, ``tpr[i]`` are the rates when cases with ``score >= thresholds[i]`` are
    called positive; the first point is (0, 0) at threshold ``inf``. Unpacks like
    scikit-learn's tuple: ``fpr, tpr, thresholds = roc_curve(...)``. With ``direction``
    ``">"`` (lower scores mean positive) the cases with ``score <= thresholds[i]`` are
    called positive and the first threshold is ``-inf``.
    """

    fpr: np.ndarray
    tpr: np.ndarray
    thresholds: np.ndarray
    auc: float
    positive: Any
    n_pos: int
    n_neg: int
    direction: str = "<"

    plotter = "plot_roc"

    def __iter__(self) -> Iterator[np.ndarray]:
        return iter((self.fpr, self.tpr, self.thresholds))

    def __str__(self) -> str:
        return (
            f"ROC curve, {len(self.fpr)} points, AUC {self.auc:.4f} "
            f"(positive={self.positive!r}, {self.n_pos} positives, {self.n_neg} negatives)"
        )

    def thinned(self, points: int = CURVE_POINTS, threshold: float | None = None) -> ROCCurve:
        """The curve with about ``points`` points (:func:`thin_indices`), keeping the ends
        and, if given, the point of ``threshold`` (the last with ``thresholds >= threshold``);
        the AUC and the counts are those of the full curve. A curve with no point to
        drop is returned itself."""
        keep = [] if threshold is None else [max(int(np.sum(self.thresholds >= threshold)) - 1, 0)]
        kept = thin_indices(self.fpr, self.tpr, points=points, keep=keep)
        if len(kept) == len(self.fpr):
            return self
        return replace(
            self, fpr=self.fpr[kept], tpr=self.tpr[kept], thresholds=self.thresholds[kept]
        )

    def table(self) -> str:
        """Threshold, false and true positive rate of every point of the curve."""
        rows = zip(self.thresholds, self.fpr, self.tpr, strict=True)
        return tabulate(list(rows), headers=["threshold", "fpr", "tpr"], floatfmt=".4f")


def roc_curve(
    y_true: Any,
    y_score: Any,
    *,
    pos_label: Any = None,
    drop_intermediate: bool = True,
    sample_weight: Any = None,
    direction: str = "<",
) -> ROCCurve:
    """ROC curve of binary scores, equal to :func:`sklearn.metrics.roc_curve`.

    Parameters
    ----------
    y_true : array-like of shape (n,)
        Binary labels; both classes must be present.
    y_score : array-like of shape (n,)
        Finite scores, higher meaning more likely positive.
    pos_label : label, optional
        The positive class (default: the larger label).
    drop_intermediate : bool, default True
        Drop thresholds on straight segments of the curve (they do not change its shape).
    sample_weight : array-like of shape (n,), optional
        Non-negative weight of each case: the rates are sums of weights, as
        scikit-learn's ``sample_weight`` (cases of weight zero are left out).
    direction : {"<", ">", "auto"}, default "<"
        pROC's ``direction``: ``"<"`` higher scores mean positive; ``">"`` lower scores
        mean positive; ``"auto"`` picks ``"<"`` when the median score of the negatives is
        at most that of the positives, else ``">"`` (pROC's rule: it compares medians,
        it does not pick the direction giving AUC >= 0.5, though the two usually agree).

    Returns
    -------
    ROCCurve
        False and true positive rates, thresholds, the AUC and the direction used.

    Examples
    --------
    >>> from cxreval import roc_curve
    >>> curve = roc_curve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    >>> curve.fpr.tolist(), curve.tpr.tolist(), curve.auc
    ([0.0, 0.0, 0.5, 0.5, 1.0], [0.0, 0.5, 0.5, 1.0, 1.0], 0.75)
    >>> weighted = roc_curve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], sample_weight=[1, 1, 3, 1])
    >>> weighted.tpr.tolist(), weighted.auc
    ([0.0, 0.25, 0.25, 1.0, 1.0], 0.625)
    >>> roc_curve([0, 0, 1, 1], [0.9, 0.6, 0.35, 0.2], direction="auto").direction
    '>'
    """
    is_pos, score, positive = check_binary_scores(y_true, y_score, pos_label)
    is_pos, score, weight = _weighted_inputs(is_pos, score, sample_weight)
    score, direction = oriented_scores(is_pos, score, direction)
    fps, tps, thresholds = threshold_counts(is_pos, score, weight)
    auc = binary_auc(is_pos, score) if weight is None else _weighted_auc(fps, tps)
    if drop_intermediate and len(fps) > 2:
        keep = np.r_[True, np.logical_or(np.diff(fps, 2), np.diff(tps, 2)), True]
        fps, tps, thresholds = fps[keep], tps[keep], thresholds[keep]
    fps, tps = np.r_[0.0, fps], np.r_[0.0, tps]
    thresholds = np.r_[np.inf, thresholds]
    return ROCCurve(
        fpr=fps / fps[-1],
        tpr=tps / tps[-1],
        thresholds=thresholds if direction == "<" else -thresholds,
        auc=auc,
        positive=positive,
        n_pos=int(is_pos.sum()),
        n_neg=int((~is_pos).sum()),
        direction=direction,
    )


def _weighted_auc(fps: np.ndarray, tps: np.ndarray) -> float:
    """The trapezoid area under the whole weighted ROC curve: the weighted Mann-Whitney
    ``sum w_i w_j [s_i > s_j] + 1/2 [s_i = s_j]`` over positive-negative pairs, scaled."""
    fps, tps = np.r_[0.0, fps], np.r_[0.0, tps]
    return float(np.sum(np.diff(fps) * (tps[1:] + tps[:-1])) / (2.0 * fps[-1] * tps[-1]))


@dataclass(frozen=True)
class PRCurve(Result):
    """A precision-recall curve, ordered as scikit-learn's (recall decreasing).

    The last point is (recall 0, precision 1) and has no threshold.
    """

    precision: np.ndarray
    recall: np.ndarray
    thresholds: np.ndarray
    average_precision: float
    positive: Any
    prevalence: float

    plotter = "plot_pr"

    def __iter__(self) -> Iterator[np.ndarray]:
        return iter((self.precision, self.recall, self.thresholds))

    def __str__(self) -> str:
        return (
            f"PR curve, {len(self.recall)} points, average precision "
            f"{self.average_precision:.4f} (prevalence {self.prevalence:.4f})"
        )

    def thinned(self, points: int = CURVE_POINTS, threshold: float | None = None) -> PRCurve:
        """The curve with about ``points`` points (:func:`thin_indices`), keeping the ends
        and, if given, the point of ``threshold`` (the first with ``thresholds >=
        threshold``); the average precision is that of the full curve. A curve with no
        point to drop is returned itself."""
        t = self.thresholds
        keep = [] if threshold is None else [min(int(np.searchsorted(t, threshold)), len(t))]
        kept = thin_indices(self.recall, self.precision, points=points, keep=keep)
        if len(kept) == len(self.recall):
            return self
        return replace(
            self,
            precision=self.precision[kept],
            recall=self.recall[kept],
            thresholds=t[kept[:-1]],  # the last point (recall 0) has no threshold
        )

    def table(self) -> str:
        """Threshold, recall and precision of every point (the last has no threshold)."""
        thresholds = [*self.thresholds, None]
        rows = zip(thresholds, self.recall, self.precision, strict=True)
        return tabulate(list(rows), headers=["threshold", "recall", "precision"], floatfmt=".4f")


def pr_curve(
    y_true: Any, y_score: Any, *, pos_label: Any = None, sample_weight: Any = None
) -> PRCurve:
    """Precision-recall curve, equal to :func:`sklearn.metrics.precision_recall_curve`.

    Parameters
    ----------
    y_true : array-like of shape (n,)
        Binary labels; both classes must be present.
    y_score : array-like of shape (n,)
        Finite scores.
    pos_label : label, optional
        The positive class (default: the larger label).
    sample_weight : array-like of shape (n,), optional
        Non-negative weight of each case, as scikit-learn's ``sample_weight``.

    Returns
    -------
    PRCurve
        Precision, recall, thresholds and the average precision.

    Examples
    --------
    >>> from cxreval import pr_curve
    >>> curve = pr_curve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    >>> curve.precision.round(3).tolist(), curve.recall.tolist()
    ([0.5, 0.667, 0.5, 1.0, 1.0], [1.0, 1.0, 0.5, 0.5, 0.0])
    """
    is_pos, score, positive = check_binary_scores(y_true, y_score, pos_label)
    is_pos, score, weight = _weighted_inputs(is_pos, score, sample_weight)
    fps, tps, thresholds = threshold_counts(is_pos, score, weight)
    precision = tps / (tps + fps)
    recall = tps / tps[-1]
    return PRCurve(
        precision=np.r_[precision[::-1], 1.0],
        recall=np.r_[recall[::-1], 0.0],
        thresholds=thresholds[::-1],
        average_precision=_average_precision(precision, recall),
        positive=positive,
        prevalence=float(is_pos.mean()) if weight is None else float(tps[-1] / (tps + fps)[-1]),
    )


def _average_precision(precision: np.ndarray, recall: np.ndarray) -> float:
    """Sum over thresholds (highest first) of (R_k - R_{k-1}) P_k, with R_0 = 0."""
    return float(np.sum(np.diff(np.r_[0.0, recall]) * precision))


def average_precision(
    y_true: Any, y_score: Any, *, pos_label: Any = None, sample_weight: Any = None
) -> float:
    """Average precision, equal to :func:`sklearn.metrics.average_precision_score`.

    ``AP = sum_k (R_k - R_{k-1}) P_k`` over thresholds from the highest score down (no
    interpolation).

    Parameters
    ----------
    y_true : array-like of shape (n,)
        Binary labels; both classes must be present.
    y_score : array-like of shape (n,)
        Finite scores, higher meaning more likely positive.
    pos_label : label, optional
        The positive class (default: the larger label).
    sample_weight : array-like of shape (n,), optional
        Non-negative weight of each case, as scikit-learn's ``sample_weight``.

    Returns
    -------
    float
        The average precision, in [0, 1].

    Examples
    --------
    >>> from cxreval import average_precision
    >>> round(average_precision([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]), 4)
    0.8333
    """
    is_pos, score, _ = check_binary_scores(y_true, y_score, pos_label)
    is_pos, score, weight = _weighted_inputs(is_pos, score, sample_weight)
    fps, tps, _ = threshold_counts(is_pos, score, weight)
    return _average_precision(tps / (tps + fps), tps / tps[-1])


def binary_auc(is_pos: np.ndarray, score: np.ndarray) -> float:
    """The AUC of checked boolean outcomes and scores (ties count one half): the
    Mann-Whitney U of the pooled midranks, one sort (the placements need three)."""
    m = int(is_pos.sum())
    n = len(is_pos) - m
    ranks = midranks(score)
    return float((ranks[is_pos].sum() - m * (m + 1) / 2.0) / (m * n))


def roc_auc(
    y_true: Any,
    y_score: Any,
    *,
    pos_label: Any = None,
    sample_weight: Any = None,
    direction: str = "<",
) -> float:
    """Area under the ROC curve, ties counted one half: Mann-Whitney U / (n1 n0).

    Equal to :func:`sklearn.metrics.roc_auc_score` for binary input (with
    ``sample_weight`` too: the weighted Mann-Whitney statistic
    ``sum w_i w_j ([s_i > s_j] + [s_i = s_j] / 2) / (sum w_pos * sum w_neg)`` over
    positive-negative pairs). Intervals (:func:`cxreval.roc_auc_ci`) take no weights.

    Parameters
    ----------
    y_true : array-like of shape (n,)
        Binary labels; both classes must be present.
    y_score : array-like of shape (n,)
        Finite scores, higher meaning more likely positive.
    pos_label : label, optional
        The positive class (default: the larger label).
    sample_weight : array-like of shape (n,), optional
        Non-negative weight of each case, as scikit-learn's ``sample_weight``.
    direction : {"<", ">", "auto"}, default "<"
        pROC's ``direction``: ``"<"`` higher scores mean positive; ``">"`` lower scores
        mean positive; ``"auto"`` picks ``"<"`` when the median score of the negatives is
        at most that of the positives, else ``">"`` (pROC's rule: it compares medians,
        it does not pick the direction giving AUC >= 0.5, though the two usually agree).

    Returns
    -------
    float
        The AUC, in [0, 1]; 0.5 is chance. (``roc_curve(...).direction`` says which
        direction ``"auto"`` picked.)

    Examples
    --------
    >>> from cxreval import roc_auc
    >>> roc_auc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    0.75
    >>> roc_auc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], direction=">")
    0.25
    """
    is_pos, score, _ = check_binary_scores(y_true, y_score, pos_label)
    is_pos, score, weight = _weighted_inputs(is_pos, score, sample_weight)
    score, _ = oriented_scores(is_pos, score, direction)
    if weight is None:
        return binary_auc(is_pos, score)
    return _weighted_auc(*threshold_counts(is_pos, score, weight)[:2])
