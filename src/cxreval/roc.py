"""ROC and precision-recall curves, AUC, and AUC confidence intervals and bands.

One private helper (:func:`_threshold_counts`) feeds every curve. AUC counts ties as one
half, AUC = Mann-Whitney U / (n1 n0). Intervals: DeLong (see :mod:`cxreval.delong`) or the
bootstrap of :mod:`cxreval.bootstrap`, whose AUC form is vectorized: for a chunk of
resamples, the negatives' case counts, their cumulative sum, and one gather at the drawn
positives give the AUC of every resample -- no Python loop per resample, memory O(n + B).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.special import ndtri

from cxreval._checks import check_array_1d, check_choice, check_level, check_positive_int
from cxreval._plain import to_plain
from cxreval.bootstrap import (
    CI_TYPES,
    BootstrapResult,
    _chunk_size,
    _counts,
    _draw_chunks,
    _strata,
    run_bootstrap,
)
from cxreval.delong import (
    ALTERNATIVES,
    AUCComparison,
    _z_statistic,
    binary_inputs,
    delong_variance,
    p_value,
    placements,
)

__all__ = [
    "AUCInterval",
    "PRCurve",
    "ROCBand",
    "ROCCurve",
    "average_precision",
    "bootstrap_auc_test",
    "pr_curve",
    "roc_auc",
    "roc_auc_ci",
    "roc_band",
    "roc_curve",
]

AUC_METHODS = ("delong", "bootstrap")


# ----------------------------------------------------------------------------- curves
def _threshold_counts(is_pos: np.ndarray, score: np.ndarray):
    """Cumulative (fps, tps) at each distinct score, from the highest score down."""
    order = np.argsort(score, kind="stable")[::-1]
    s, p = score[order], is_pos[order]
    last = np.r_[np.flatnonzero(np.diff(s)), len(s) - 1]
    tps = np.cumsum(p)[last]
    fps = (last + 1) - tps
    return fps.astype(float), tps.astype(float), s[last]


@dataclass(frozen=True)
class ROCCurve:
    """A ROC curve: false and true positive rates at decreasing thresholds.

    ``fpr[i]``, ``tpr[i]`` are the rates when cases with ``score >= thresholds[i]`` are
    called positive; the first point is (0, 0) at threshold ``inf``. Unpacks like
    scikit-learn's tuple: ``fpr, tpr, thresholds = roc_curve(...)``.
    """

    fpr: np.ndarray
    tpr: np.ndarray
    thresholds: np.ndarray
    auc: float
    positive: Any
    n_pos: int
    n_neg: int

    def __iter__(self) -> Iterator[np.ndarray]:
        return iter((self.fpr, self.tpr, self.thresholds))

    def to_dict(self) -> dict[str, Any]:
        """Plain-Python dictionary of the curve."""
        return to_plain(self.__dict__)

    def __str__(self) -> str:
        return (
            f"ROC curve, {len(self.fpr)} points, AUC {self.auc:.4f} "
            f"(positive={self.positive!r}, {self.n_pos} positives, {self.n_neg} negatives)"
        )

    def plot(self, ax: Any = None, *, auc_ci: AUCInterval | None = None, label: str | None = None):
        """Draw the curve and the chance line; the legend gives the AUC (and its CI)."""
        from cxreval.plotting import plot_roc

        return plot_roc(self, ax=ax, auc_ci=auc_ci, label=label)


def roc_curve(
    y_true: Any, y_score: Any, *, positive: Any = None, drop_intermediate: bool = True
) -> ROCCurve:
    """ROC curve of binary scores, equal to :func:`sklearn.metrics.roc_curve`.

    Parameters
    ----------
    y_true : array-like of shape (n,)
        Binary labels; both classes must be present.
    y_score : array-like of shape (n,)
        Finite scores, higher meaning more likely positive.
    positive : label, optional
        The positive class (default: the larger label).
    drop_intermediate : bool, default True
        Drop thresholds on straight segments of the curve (they do not change its shape).

    Returns
    -------
    ROCCurve
        False and true positive rates, thresholds and the AUC.

    Examples
    --------
    >>> from cxreval import roc_curve
    >>> curve = roc_curve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    >>> curve.fpr.tolist(), curve.tpr.tolist(), curve.auc
    ([0.0, 0.0, 0.5, 0.5, 1.0], [0.0, 0.5, 0.5, 1.0, 1.0], 0.75)
    """
    is_pos, score, positive = binary_inputs(y_true, y_score, positive)
    fps, tps, thresholds = _threshold_counts(is_pos, score)
    if drop_intermediate and len(fps) > 2:
        keep = np.r_[True, np.logical_or(np.diff(fps, 2), np.diff(tps, 2)), True]
        fps, tps, thresholds = fps[keep], tps[keep], thresholds[keep]
    fps, tps = np.r_[0.0, fps], np.r_[0.0, tps]
    return ROCCurve(
        fpr=fps / fps[-1],
        tpr=tps / tps[-1],
        thresholds=np.r_[np.inf, thresholds],
        auc=_auc(is_pos, score),
        positive=positive,
        n_pos=int(is_pos.sum()),
        n_neg=int((~is_pos).sum()),
    )


@dataclass(frozen=True)
class PRCurve:
    """A precision-recall curve, ordered as scikit-learn's (recall decreasing).

    The last point is (recall 0, precision 1) and has no threshold.
    """

    precision: np.ndarray
    recall: np.ndarray
    thresholds: np.ndarray
    average_precision: float
    positive: Any
    prevalence: float

    def __iter__(self) -> Iterator[np.ndarray]:
        return iter((self.precision, self.recall, self.thresholds))

    def to_dict(self) -> dict[str, Any]:
        """Plain-Python dictionary of the curve."""
        return to_plain(self.__dict__)

    def __str__(self) -> str:
        return (
            f"PR curve, {len(self.recall)} points, average precision "
            f"{self.average_precision:.4f} (prevalence {self.prevalence:.4f})"
        )

    def plot(self, ax: Any = None, *, label: str | None = None):
        """Draw the curve and the no-skill line at the prevalence; returns the Axes."""
        from cxreval.plotting import plot_pr

        return plot_pr(self, ax=ax, label=label)


def pr_curve(y_true: Any, y_score: Any, *, positive: Any = None) -> PRCurve:
    """Precision-recall curve, equal to :func:`sklearn.metrics.precision_recall_curve`.

    Parameters
    ----------
    y_true : array-like of shape (n,)
        Binary labels; both classes must be present.
    y_score : array-like of shape (n,)
        Finite scores.
    positive : label, optional
        The positive class (default: the larger label).

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
    is_pos, score, positive = binary_inputs(y_true, y_score, positive)
    fps, tps, thresholds = _threshold_counts(is_pos, score)
    precision = tps / (tps + fps)
    recall = tps / tps[-1]
    return PRCurve(
        precision=np.r_[precision[::-1], 1.0],
        recall=np.r_[recall[::-1], 0.0],
        thresholds=thresholds[::-1],
        average_precision=_average_precision(precision, recall),
        positive=positive,
        prevalence=float(is_pos.mean()),
    )


def _average_precision(precision: np.ndarray, recall: np.ndarray) -> float:
    """Sum over thresholds (highest first) of (R_k - R_{k-1}) P_k, with R_0 = 0."""
    return float(np.sum(np.diff(np.r_[0.0, recall]) * precision))


def average_precision(y_true: Any, y_score: Any, *, positive: Any = None) -> float:
    """Average precision, equal to :func:`sklearn.metrics.average_precision_score`.

    ``AP = sum_k (R_k - R_{k-1}) P_k`` over thresholds from the highest score down (no
    interpolation).

    Parameters
    ----------
    y_true : array-like of shape (n,)
        Binary labels; both classes must be present.
    y_score : array-like of shape (n,)
        Finite scores, higher meaning more likely positive.
    positive : label, optional
        The positive class (default: the larger label).

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
    is_pos, score, _ = binary_inputs(y_true, y_score, positive)
    fps, tps, _ = _threshold_counts(is_pos, score)
    return _average_precision(tps / (tps + fps), tps / tps[-1])


def _auc(is_pos: np.ndarray, score: np.ndarray) -> float:
    return placements(score[is_pos], score[~is_pos])[0]


def roc_auc(y_true: Any, y_score: Any, *, positive: Any = None) -> float:
    """Area under the ROC curve, ties counted one half: Mann-Whitney U / (n1 n0).

    Equal to :func:`sklearn.metrics.roc_auc_score` for binary input.

    Parameters
    ----------
    y_true : array-like of shape (n,)
        Binary labels; both classes must be present.
    y_score : array-like of shape (n,)
        Finite scores, higher meaning more likely positive.
    positive : label, optional
        The positive class (default: the larger label).

    Returns
    -------
    float
        The AUC, in [0, 1]; 0.5 is chance.

    Examples
    --------
    >>> from cxreval import roc_auc
    >>> roc_auc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    0.75
    """
    is_pos, score, _ = binary_inputs(y_true, y_score, positive)
    return _auc(is_pos, score)


# ------------------------------------------------------------------ vectorized resampling
def score_strata(labels: Any, score: np.ndarray, stratified: bool) -> list[np.ndarray]:
    """The resampling strata (one per label, or all cases), each ordered by score.

    The order inside a stratum only fixes which case a drawn position stands for; taking
    it by score lets the vectorized AUC read the resampled counts already sorted. On data
    already sorted by score these are exactly the strata of :func:`cxreval.bootstrap`.
    """
    strata = _strata(np.asarray(labels).ravel() if stratified else None, len(score))
    return [s[np.argsort(score[s], kind="stable")] for s in strata]


class _Resamples:
    """One chunk of resamples, given per stratum as the drawn positions ``draws[k]``
    (b, n_k), and read as case counts: a whole stratum, or columns of the (b, n) count
    matrix in the strata's concatenated case order -- each counted only when asked for."""

    def __init__(self, draws: list[np.ndarray]):
        self.draws = draws
        self._strata: dict[int, np.ndarray] = {}
        self._full: np.ndarray | None = None

    def take(self, selection: int | np.ndarray) -> np.ndarray:
        """A whole stratum (an int) or arbitrary columns (an index array)."""
        if isinstance(selection, int):
            if selection not in self._strata:
                self._strata[selection] = _counts(self.draws[selection])
            return self._strata[selection]
        if self._full is None:
            self._full = np.hstack([self.take(k) for k in range(len(self.draws))])
        return self._full[:, selection]


def _selection(cols: np.ndarray, strata: list[np.ndarray]) -> int | np.ndarray:
    """``k`` when ``cols`` (columns in the concatenated order) are exactly stratum k in
    order, else ``cols``."""
    start = 0
    for k, stratum in enumerate(strata):
        same_size = len(cols) == len(stratum) and len(cols) > 0
        if same_size and np.array_equal(cols, np.arange(start, start + len(stratum))):
            return k
        start += len(stratum)
    return cols


class _WeightedAUC:
    """AUC of one score vector for a chunk of resamples (a :class:`_Resamples`).

    With the negatives' columns sorted by score, ``cum[k]`` = resampled negatives among
    the k lowest; a positive whose score has ``lo`` negatives strictly below and ``hi`` at
    or below it beats ``(cum[lo] + cum[hi]) / 2`` of them. AUC = sum over resampled
    positives of beaten, over (resampled positives x resampled negatives): summed straight
    over the drawn positions when the positives are one stratum, else as count x beaten.
    Cases outside ``include`` (a mask) take no part -- for pairwise (one-vs-one) AUCs.
    """

    def __init__(
        self,
        score: np.ndarray,
        is_pos: np.ndarray,
        strata: list[np.ndarray],
        include: np.ndarray | None = None,
    ):
        order = np.concatenate(strata)
        s, p = score[order], is_pos[order]
        inc = np.ones(len(order), bool) if include is None else include[order]
        pos = np.flatnonzero(p & inc)
        neg = np.flatnonzero(~p & inc)
        neg = neg[np.argsort(s[neg], kind="stable")]
        self.pos_sel = _selection(pos, strata)
        self.neg_sel = _selection(neg, strata)
        self.lo = np.searchsorted(s[neg], s[pos], side="left")
        self.hi = np.searchsorted(s[neg], s[pos], side="right")
        self.ties = bool(np.any(self.lo != self.hi))

    def __call__(self, resamples: _Resamples) -> np.ndarray:
        neg = resamples.take(self.neg_sel)
        b, n0 = neg.shape
        cum = np.empty((b, n0 + 1), dtype=np.int64)
        cum[:, 0] = 0
        np.cumsum(neg, axis=1, out=cum[:, 1:])
        if isinstance(self.pos_sel, int):
            # positives are one whole stratum: read cum at each drawn positive directly
            # (no counting pass over the positives); n_pos is the stratum's size
            drawn = resamples.draws[self.pos_sel]
            num = self._beaten_sum(cum, np.take(self.lo, drawn))
            if self.ties:
                num = (num + self._beaten_sum(cum, np.take(self.hi, drawn))) / 2.0
            n_pos = drawn.shape[1]
        else:
            pos = resamples.take(self.pos_sel)
            lo, hi = self._flat_positions(b, n0)
            beaten = np.take(cum, lo)
            if self.ties:
                beaten = (beaten + np.take(cum, hi)) / 2.0
            num = np.einsum("ij,ij->i", pos, beaten)
            n_pos = pos.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            return num / (np.asarray(n_pos, dtype=float) * cum[:, -1])

    @staticmethod
    def _beaten_sum(cum: np.ndarray, at: np.ndarray) -> np.ndarray:
        """Per row r, the sum of ``cum[r, at[r]]`` (``at`` is changed in place)."""
        b, width = cum.shape
        if b > 1:
            at += (np.arange(b) * width)[:, None]
        return np.take(cum, at).sum(axis=1)

    def _flat_positions(self, b: int, n0: int) -> tuple[np.ndarray, np.ndarray]:
        """``lo``/``hi`` as flat indices into a (b, n0 + 1) array, kept for the chunk size."""
        if getattr(self, "_flat_b", None) != b:
            offsets = (np.arange(b) * (n0 + 1))[:, None]
            self._flat = (self.lo + offsets, self.hi + offsets)
            self._flat_b = b
        return self._flat


def _bootstrap_counts(
    strata: list[np.ndarray],
    kernel: Callable[[_Resamples], np.ndarray],
    estimate: Any,
    *,
    n_boot: int,
    stratified: bool,
    statistic: str,
    **options: Any,
) -> BootstrapResult:
    """:func:`run_bootstrap` of ``kernel(resamples)`` over the resamples of ``strata`` -- the
    draws of :func:`cxreval.bootstrap` -- chunk by chunk; ``options`` are passed on."""
    sizes = [len(s) for s in strata]

    def chunks(rng: np.random.Generator) -> Iterator[np.ndarray]:
        for draws in _draw_chunks(sizes, n_boot, rng):
            yield kernel(_Resamples(draws))

    return run_bootstrap(
        chunks,
        estimate,
        n_boot=n_boot,
        stratified=stratified,
        statistic=statistic,
        total_chunks=-(-n_boot // _chunk_size(sum(sizes), n_boot)),
        **options,
    )


def _auc_jackknife(is_pos: np.ndarray, score: np.ndarray) -> np.ndarray:
    """Leave-one-out AUCs in O(n log n) from the placement values (case order)."""
    auc, v10, v01 = placements(score[is_pos], score[~is_pos])
    m, n = len(v10), len(v01)
    out = np.empty(len(score))
    with np.errstate(invalid="ignore", divide="ignore"):
        out[is_pos] = (m * auc - v10) / (m - 1)
        out[~is_pos] = (n * auc - v01) / (n - 1)
    return out


# ------------------------------------------------------------------------- AUC intervals
@dataclass(frozen=True)
class AUCInterval:
    """An AUC with its confidence interval, naming the method that produced it.

    Attributes
    ----------
    auc, low, high : float
        The AUC and the interval, clipped to [0, 1].
    se : float
        DeLong standard error, or the bootstrap standard error.
    method : str
        ``"DeLong"`` or e.g. ``"stratified bootstrap (percentile, B=2000)"``.
    level : float
    n_boot : int or None
        Resamples (bootstrap only).
    ci_type : str or None
        Interval type actually used (bootstrap only).
    seed : int or None
        Seed of the bootstrap.
    n_pos, n_neg : int
    positive : label
    """

    auc: float
    low: float
    high: float
    se: float
    method: str
    level: float
    n_pos: int
    n_neg: int
    positive: Any
    n_boot: int | None = None
    ci_type: str | None = None
    seed: int | None = None
    bootstrap: BootstrapResult | None = field(default=None, repr=False, compare=False)

    @property
    def short_method(self) -> str:
        """``"DeLong"`` or ``"bootstrap"`` -- for legends."""
        return "DeLong" if self.n_boot is None else "bootstrap"

    def label(self) -> str:
        """Legend text, e.g. ``"AUC 0.956 (95% CI 0.930-0.981, DeLong)"``."""
        return (
            f"AUC {self.auc:.3f} ({100 * self.level:g}% CI "
            f"{self.low:.3f}-{self.high:.3f}, {self.short_method})"
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain-Python dictionary (the bootstrap summarized, its replicates left out)."""
        return to_plain(self.__dict__)

    def __str__(self) -> str:
        return (
            f"AUC {self.auc:.4f} ({100 * self.level:g}% CI {self.low:.4f}-{self.high:.4f}, "
            f"{self.method}{'' if self.seed is None else f', seed {self.seed}'})"
        )


def roc_auc_ci(
    y_true: Any,
    y_score: Any,
    *,
    method: str = "delong",
    level: float = 0.95,
    n_boot: int = 2000,
    stratified: bool = True,
    ci_type: str = "percentile",
    random_state: Any = None,
    positive: Any = None,
    progress: bool = False,
) -> AUCInterval:
    """AUC with a confidence interval by DeLong or by the (stratified) bootstrap.

    DeLong: ``AUC -/+ z_{(1+level)/2} * sqrt(S10/m + S01/n)`` (Sun & Xu's O(n log n)
    placements, ddof = 1, as pROC's ``ci.auc``), clipped to [0, 1]; with fewer than 2
    positives or 2 negatives the variance is undefined, so ``se``, ``low`` and ``high`` are
    NaN with a :class:`RuntimeWarning` (pROC gives NA). Bootstrap: B resamples
    of the cases -- positives and negatives separately when ``stratified`` (pROC's
    default) -- with a percentile, BCa or basic interval; the BCa acceleration uses the
    exact leave-one-out AUCs from the placement values.

    Parameters
    ----------
    y_true : array-like of shape (n,)
        Binary labels; both classes must be present.
    y_score : array-like of shape (n,)
        Finite scores.
    method : {"delong", "bootstrap"}, default "delong"
        How the interval is computed.
    level : float, default 0.95
        Confidence level.
    n_boot : int, default 2000
        Bootstrap resamples (pROC's default).
    stratified : bool, default True
        Resample positives and negatives separately.
    ci_type : {"percentile", "bca", "basic"}, default "percentile"
        Bootstrap interval type.
    random_state : None, int or numpy.random.Generator
        Bootstrap seed; a fresh one is drawn and recorded when None.
    positive : label, optional
        The positive class (default: the larger label).
    progress : bool, default False
        Progress bar for the bootstrap.

    Returns
    -------
    AUCInterval
        The AUC, its interval and standard error, the method and (bootstrap) the seed.

    Examples
    --------
    >>> import numpy as np
    >>> from cxreval import roc_auc_ci
    >>> rng = np.random.default_rng(0)
    >>> y = np.r_[np.zeros(100), np.ones(100)]
    >>> s = y + rng.normal(0, 1, 200)
    >>> ci = roc_auc_ci(y, s)
    >>> ci.method, bool(ci.low < ci.auc < ci.high)
    ('DeLong', True)
    >>> boot = roc_auc_ci(y, s, method="bootstrap", n_boot=500, random_state=1)
    >>> boot.method
    'stratified bootstrap (percentile, B=500)'
    """
    method = check_choice(method, "method", AUC_METHODS)
    level = check_level(level)
    is_pos, score, positive = binary_inputs(y_true, y_score, positive)
    n_pos, n_neg = int(is_pos.sum()), int((~is_pos).sum())
    if method == "delong":
        auc, var = delong_variance(score[is_pos], score[~is_pos])
        se = float(np.sqrt(np.maximum(var, 0.0)))  # NaN (warned) with < 2 of a class
        half = ndtri(0.5 + level / 2) * se
        return AUCInterval(
            auc=auc,
            low=float(np.clip(auc - half, 0.0, 1.0)),
            high=float(np.clip(auc + half, 0.0, 1.0)),
            se=se,
            method="DeLong",
            level=level,
            n_pos=n_pos,
            n_neg=n_neg,
            positive=positive,
        )
    res = _bootstrap_aucs(
        y_true, is_pos, [score], n_boot, level, ci_type, stratified, random_state, progress
    )
    return AUCInterval(
        auc=res.estimate,
        low=res.low,
        high=res.high,
        se=res.se,
        method=res.method,
        level=level,
        n_pos=n_pos,
        n_neg=n_neg,
        positive=positive,
        n_boot=res.n_boot,
        ci_type=res.ci_type,
        seed=res.seed,
        bootstrap=res,
    )


def _bootstrap_aucs(
    y_true: Any,
    is_pos: np.ndarray,
    scores: Sequence[np.ndarray],
    n_boot: int,
    level: float,
    ci_type: str,
    stratified: bool,
    random_state: Any,
    progress: bool,
    combine: Callable[[np.ndarray], np.ndarray] | None = None,
    name: str = "AUC",
) -> BootstrapResult:
    """Bootstrap of the AUCs of k scores on the same resamples (``combine`` maps the
    (b, k) AUCs of a chunk to the statistic, e.g. a difference)."""
    n_boot = check_positive_int(n_boot, "n_boot")
    check_choice(ci_type, "ci_type", CI_TYPES)
    strata = score_strata(y_true, scores[0], stratified)
    kernels = [_WeightedAUC(s, is_pos, strata) for s in scores]
    combine = combine or (lambda a: a[:, 0])

    def kernel(resamples: _Resamples) -> np.ndarray:
        return combine(np.stack([k(resamples) for k in kernels], axis=1))

    aucs = np.array([_auc(is_pos, s) for s in scores])[None]

    def jackknife() -> np.ndarray:  # only BCa asks for it
        return combine(np.stack([_auc_jackknife(is_pos, s) for s in scores], axis=1))

    return _bootstrap_counts(
        strata,
        kernel,
        combine(aucs)[0],
        n_boot=n_boot,
        stratified=stratified,
        statistic=name,
        level=level,
        ci_type=ci_type,
        random_state=random_state,
        jackknife=jackknife,
        bounds=(0.0, 1.0) if len(scores) == 1 else (-1.0, 1.0),
        progress=progress,
    )


def bootstrap_auc_test(
    y_true: Any,
    score_a: Any,
    score_b: Any,
    *,
    n_boot: int = 2000,
    stratified: bool = True,
    alternative: str = "two-sided",
    level: float = 0.95,
    random_state: Any = None,
    positive: Any = None,
    progress: bool = False,
) -> AUCComparison:
    """Paired bootstrap test of two AUCs on the same cases, as pROC's bootstrap test.

    Both models are scored on the same resamples; ``D = (AUC_a - AUC_b) / sd(D*)`` with
    ``sd(D*)`` the standard deviation of the resampled differences, compared to the
    standard normal. The interval of the difference is the percentile interval of D*.

    Parameters
    ----------
    y_true : array-like of shape (n,)
        Binary labels; both classes must be present.
    score_a, score_b : array-like of shape (n,)
        Scores of the two models for the same cases.
    n_boot : int, default 2000
        Bootstrap resamples.
    stratified : bool, default True
        Resample positives and negatives separately (pROC's default).
    alternative : {"two-sided", "greater", "less"}
        "greater" tests AUC a > AUC b.
    level : float, default 0.95
        Level of the percentile interval of the difference.
    random_state : None, int or numpy.random.Generator
        Bootstrap seed; a fresh one is drawn and recorded when None.
    positive : label, optional
        The positive class (default: the larger label).
    progress : bool, default False
        Show a progress bar for the bootstrap.

    Returns
    -------
    AUCComparison
        Both AUCs, their difference with its interval, D and the p-value.

    Examples
    --------
    >>> import numpy as np
    >>> from cxreval import bootstrap_auc_test
    >>> rng = np.random.default_rng(0)
    >>> y = np.r_[np.zeros(60), np.ones(60)]
    >>> a, b = y + rng.normal(0, 0.7, 120), y + rng.normal(0, 2.0, 120)
    >>> res = bootstrap_auc_test(y, a, b, n_boot=500, random_state=0)
    >>> res.method, bool(res.p_value < 0.05)
    ('paired stratified bootstrap', True)
    """
    alternative = check_choice(alternative, "alternative", ALTERNATIVES)
    level = check_level(level)
    is_pos, sa, _ = binary_inputs(y_true, score_a, positive, name="score_a")
    _, sb, _ = binary_inputs(y_true, score_b, positive, name="score_b")
    res = _bootstrap_aucs(
        y_true,
        is_pos,
        [sa, sb],
        n_boot,
        level,
        "percentile",
        stratified,
        random_state,
        progress,
        combine=lambda a: a[:, 0] - a[:, 1],
        name="AUC difference",
    )
    auc_a, auc_b = _auc(is_pos, sa), _auc(is_pos, sb)
    d = _z_statistic(res.estimate, res.se)
    return AUCComparison(
        auc_a=auc_a,
        auc_b=auc_b,
        difference=res.estimate,
        low=res.low,
        high=res.high,
        statistic=float(d),
        p_value=p_value(d, alternative),
        df=None,
        method=f"paired {'stratified ' if stratified else ''}bootstrap",
        alternative=alternative,
        level=level,
        paired=True,
        n_boot=res.n_boot,
        seed=res.seed,
    )


# -------------------------------------------------------------------------- ROC band
def _sensitivity_at(
    fp: np.ndarray, tp: np.ndarray, n_neg: np.ndarray, n_pos: np.ndarray, fpr_targets
) -> np.ndarray:
    """Sensitivity at each target FPR for rows of cumulative (fp, tp) counts.

    ``fp``, ``tp``: (b, L+1) counts at thresholds from +inf down, starting at 0. At a
    target on a vertical step the highest sensitivity counts; between points the curve
    is interpolated linearly. A row without negatives or without positives (a resample
    of one class only) has no ROC curve: its sensitivities are NaN.
    """
    targets = np.asarray(fpr_targets, dtype=float)[None, :]
    defined = (n_neg > 0) & (n_pos > 0)
    if not defined.all():
        out = np.full((len(fp), targets.shape[1]), np.nan)
        if defined.any():
            out[defined] = _sensitivity_at(
                fp[defined], tp[defined], n_neg[defined], n_pos[defined], fpr_targets
            )
        return out
    b, width = fp.shape
    fpr = fp / n_neg[:, None]
    tpr = tp / n_pos[:, None]
    rows = np.arange(b)[:, None]
    # fpr rows are non-decreasing in [0, 1]: shifting row r by 2r makes one sorted array
    keys = (fpr + 2.0 * rows).ravel()
    found = np.searchsorted(keys, (targets + 1e-12 + 2.0 * rows).ravel(), side="right")
    left = found.reshape(b, -1) - rows * width - 1
    right = np.minimum(left + 1, width - 1)
    x0, x1 = fpr[rows, left], fpr[rows, right]
    y0, y1 = tpr[rows, left], tpr[rows, right]
    with np.errstate(invalid="ignore", divide="ignore"):
        step = np.where(x1 > x0, (targets - x0) / (x1 - x0), 0.0)
    return np.clip(y0 + np.clip(step, 0.0, 1.0) * (y1 - y0), 0.0, 1.0)


class _WeightedRates:
    """Cumulative (fp, tp) counts at each distinct threshold for count-weighted resamples."""

    def __init__(self, score: np.ndarray, is_pos: np.ndarray, case_order: np.ndarray):
        s, p = score[case_order], is_pos[case_order]
        self.desc = np.argsort(s, kind="stable")[::-1]
        sd = s[self.desc]
        self.pos = p[self.desc]
        self.last = np.r_[np.flatnonzero(np.diff(sd)), len(sd) - 1]

    def __call__(self, counts: np.ndarray):
        c = counts[:, self.desc]
        tp = np.cumsum(c * self.pos, axis=1)[:, self.last]
        fp = np.cumsum(c * ~self.pos, axis=1)[:, self.last]
        zero = np.zeros((len(c), 1))
        return np.hstack((zero, fp)), np.hstack((zero, tp))


@dataclass(frozen=True)
class ROCBand:
    """Bootstrap confidence band of a ROC curve: sensitivity intervals at fixed
    specificities, as pROC's ``ci.se``.

    Attributes
    ----------
    specificities, sensitivity, low, high : ndarray
        The grid, the sensitivity of the curve there and its interval.
    curve : ROCCurve
    auc_ci : AUCInterval
        The AUC with its interval, for the legend.
    level : float
    method : str
    n_boot : int
    seed : int or None
    """

    specificities: np.ndarray
    sensitivity: np.ndarray
    low: np.ndarray
    high: np.ndarray
    curve: ROCCurve
    auc_ci: AUCInterval
    level: float
    method: str
    n_boot: int
    seed: int | None

    def to_dict(self) -> dict[str, Any]:
        """Plain-Python dictionary of the band (curve and AUC interval nested)."""
        return to_plain(self.__dict__)

    def table(self) -> str:
        """Sensitivity with its interval at each specificity."""
        from tabulate import tabulate

        rows = zip(self.specificities, self.sensitivity, self.low, self.high, strict=True)
        head = ["specificity", "sensitivity", f"{100 * self.level:g}% low", "high"]
        return tabulate(list(rows), headers=head, floatfmt=".4f") + f"\nmethod: {self.method}"

    def __str__(self) -> str:
        return self.table()

    def plot(self, ax: Any = None, *, label: str | None = None):
        """Curve, band, chance line, and the AUC with its CI in the legend; the Axes."""
        from cxreval.plotting import plot_roc

        return plot_roc(self.curve, ax=ax, auc_ci=self.auc_ci, band=self, label=label)


def roc_band(
    y_true: Any,
    y_score: Any,
    *,
    specificities: Any = None,
    level: float = 0.95,
    n_boot: int = 2000,
    stratified: bool = True,
    ci_type: str = "percentile",
    auc_method: str = "delong",
    random_state: Any = None,
    positive: Any = None,
    progress: bool = False,
) -> ROCBand:
    """Confidence band of a ROC curve: bootstrap sensitivity intervals at specificities.

    Each resample's ROC curve is read at the given specificities (highest sensitivity on a
    vertical step, linear interpolation between points), and the interval of each
    sensitivity comes from the bootstrap engine -- pROC's ``ci.se``.

    Parameters
    ----------
    y_true : array-like of shape (n,)
        Binary labels; both classes must be present.
    y_score : array-like of shape (n,)
        Finite scores, higher meaning more likely positive.
    specificities : array-like, optional
        1-D grid of numbers in [0, 1]; default 0, 0.05, ..., 1.
    level : float, default 0.95
        Confidence level of each sensitivity interval.
    n_boot : int, default 2000
        Bootstrap resamples.
    stratified : bool, default True
        Resample positives and negatives separately (pROC's default). Without it a
        resample may hold one class only; it has no ROC curve and is left out with a
        :class:`RuntimeWarning` (``n_boot`` of the result counts the rest).
    ci_type : {"percentile", "basic"}, default "percentile"
        Interval type.
    auc_method : {"delong", "bootstrap"}, default "delong"
        Method of the AUC interval shown in the legend.
    random_state : None, int or numpy.random.Generator
        Bootstrap seed; a fresh one is drawn and recorded when None.
    positive : label, optional
        The positive class (default: the larger label).
    progress : bool, default False
        Show a progress bar for the bootstrap.

    Returns
    -------
    ROCBand
        The grid, the curve's sensitivities there with their intervals, and the AUC.

    Examples
    --------
    >>> import numpy as np
    >>> from cxreval import roc_band
    >>> rng = np.random.default_rng(0)
    >>> y = np.r_[np.zeros(80), np.ones(80)]
    >>> band = roc_band(y, y + rng.normal(0, 1, 160), n_boot=300, random_state=0)
    >>> bool(np.all(band.low <= band.high))
    True
    """
    level = check_level(level)
    ci_type = check_choice(ci_type, "ci_type", ("percentile", "basic"))
    n_boot = check_positive_int(n_boot, "n_boot")
    is_pos, score, positive = binary_inputs(y_true, y_score, positive)
    if specificities is None:
        specificities = np.linspace(0.0, 1.0, 21)
    spec = check_array_1d(specificities, "specificities", numeric=True).astype(float)
    if not np.all((spec >= 0) & (spec <= 1)):
        raise ValueError("specificities must be a non-empty array of values in [0, 1]")
    strata = score_strata(y_true, score, stratified)
    rates = _WeightedRates(score, is_pos, np.concatenate(strata))

    def kernel(resamples: _Resamples) -> np.ndarray:
        fp, tp = rates(resamples.take(np.arange(len(score))))
        return _sensitivity_at(fp, tp, fp[:, -1], tp[:, -1], 1.0 - spec)

    once = _Resamples([np.arange(len(s))[None] for s in strata])  # each case drawn once
    estimate = kernel(once)[0]
    res = _bootstrap_counts(
        strata,
        kernel,
        estimate,
        n_boot=n_boot,
        stratified=stratified,
        statistic="sensitivity",
        level=level,
        ci_type=ci_type,
        random_state=random_state,
        jackknife=None,
        bounds=(0.0, 1.0),
        progress=progress,
    )
    auc_ci = roc_auc_ci(
        y_true,
        score,
        method=auc_method,
        level=level,
        n_boot=n_boot,
        stratified=stratified,
        random_state=random_state if res.seed is None else res.seed,
        positive=positive,
    )
    return ROCBand(
        specificities=spec,
        sensitivity=np.atleast_1d(res.estimate),
        low=np.atleast_1d(res.low),
        high=np.atleast_1d(res.high),
        curve=roc_curve(y_true, score, positive=positive),
        auc_ci=auc_ci,
        level=level,
        method=res.method,
        n_boot=res.n_boot,
        seed=res.seed,
    )
