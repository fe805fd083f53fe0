"""DeLong variance and covariance of AUCs, and tests comparing two ROC curves.

The variance follows DeLong, DeLong & Clarke-Pearson (1988) computed by Sun & Xu's (2014)
O(n log n) algorithm from midranks, with sample variances (ddof = 1) exactly as pROC's
``var(roc)``, ``ci.auc(method="delong")`` and ``roc.test(method="delong")``.

For m positives X and n negatives Y, with T_Z the midranks of the pooled scores and T_X,
T_Y the midranks within each class, the placement values are

    V10_i = (T_Z(X_i) - T_X(X_i)) / n          (share of negatives below X_i, ties 1/2)
    V01_j = 1 - (T_Z(Y_j) - T_Y(Y_j)) / m      (share of positives above Y_j, ties 1/2)

AUC = mean(V10) = mean(V01), and for k scores on the same cases
Cov(AUC) = S10 / m + S01 / n with S10, S01 the ddof=1 covariance matrices of the placements.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.special import ndtr, ndtri, stdtr, stdtrit
from tabulate import tabulate

from cxreval._checks import (
    caller_stacklevel,
    check_binary_target,
    check_choice,
    check_consistent_length,
    check_level,
    check_scores,
)
from cxreval._plain import to_plain

__all__ = [
    "AUCComparison",
    "delong_covariance",
    "delong_test",
    "delong_test_unpaired",
]

ALTERNATIVES = ("two-sided", "greater", "less")


def binary_inputs(y_true: Any, y_score: Any, positive: Any = None, name: str = "y_score"):
    """Validate a binary target and its scores: ``(is_positive, scores, positive_label)``."""
    score = check_scores(y_score, name)
    is_pos, positive = check_binary_target(y_true, positive=positive)
    check_consistent_length(y_true=is_pos, **{name: score})
    return is_pos, score, positive


def midranks(x: np.ndarray) -> np.ndarray:
    """1-based ranks of ``x`` with ties given the mean of their ranks, in O(n log n)."""
    order = np.argsort(x, kind="stable")
    xs = x[order]
    change = np.flatnonzero(xs[1:] != xs[:-1]) + 1
    starts = np.concatenate(([0], change))
    ends = np.concatenate((change, [len(x)]))
    ranks = np.empty(len(x), dtype=float)
    ranks[order] = np.repeat((starts + ends + 1) / 2.0, ends - starts)
    return ranks


def placements(
    positives: np.ndarray, negatives: np.ndarray
) -> tuple[float, np.ndarray, np.ndarray]:
    """Sun & Xu's placement values: ``(auc, V10, V01)`` for scores of the two classes."""
    m, n = len(positives), len(negatives)
    pooled = midranks(np.concatenate((positives, negatives)))
    v10 = (pooled[:m] - midranks(positives)) / n
    v01 = 1.0 - (pooled[m:] - midranks(negatives)) / m
    auc = (pooled[:m].sum() - m * (m + 1) / 2.0) / (m * n)
    return float(auc), v10, v01


def delong_variance(positives: np.ndarray, negatives: np.ndarray) -> tuple[float, float]:
    """``(auc, variance)`` of one AUC by DeLong, ddof = 1 as pROC."""
    aucs, cov = _covariance([positives], [negatives])
    return float(aucs[0]), float(cov[0, 0])


def _covariance(positives: list[np.ndarray], negatives: list[np.ndarray]):
    """AUCs and their DeLong covariance matrix for k paired scores (lists of k arrays).

    With fewer than 2 positives or 2 negatives a sample covariance of the placements
    (ddof = 1) does not exist: the matrix is NaN, with a :class:`RuntimeWarning` (pROC
    gives NA there).
    """
    m, n = len(positives[0]), len(negatives[0])
    parts = [placements(p, q) for p, q in zip(positives, negatives, strict=True)]
    aucs = np.array([p[0] for p in parts])
    if m < 2 or n < 2:
        warnings.warn(
            f"the DeLong variance is undefined with {m} positive(s) and {n} negative(s) "
            "(at least 2 of each are needed); variance, interval and test are NaN",
            RuntimeWarning,
            stacklevel=caller_stacklevel(),
        )
        return aucs, np.full((len(parts), len(parts)), np.nan)
    v10 = np.array([p[1] for p in parts])
    v01 = np.array([p[2] for p in parts])
    s10 = np.atleast_2d(np.cov(v10, ddof=1))
    s01 = np.atleast_2d(np.cov(v01, ddof=1))
    return aucs, s10 / m + s01 / n


def delong_covariance(
    y_true: Any, *y_scores: Any, positive: Any = None
) -> tuple[np.ndarray, np.ndarray]:
    """AUCs of several scores on the same cases and their DeLong covariance matrix.

    With fewer than 2 positives or 2 negatives the covariance is undefined: it is NaN
    and a :class:`RuntimeWarning` says so (pROC returns NA).

    Parameters
    ----------
    y_true : array-like of shape (n,)
        Binary labels.
    *y_scores : array-like of shape (n,)
        One or more score vectors for the same cases.
    positive : label, optional
        The positive class (default: the larger label).

    Returns
    -------
    aucs : ndarray of shape (k,)
        The AUC of each score vector.
    covariance : ndarray of shape (k, k)
        ``S10 / m + S01 / n`` with ddof = 1 covariances of the placement values, as pROC
        (NaN with fewer than 2 positives or 2 negatives).

    Examples
    --------
    >>> from cxreval import delong_covariance
    >>> aucs, cov = delong_covariance([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    >>> float(aucs[0]), round(float(cov[0, 0]), 6)
    (0.75, 0.125)
    """
    if not y_scores:
        raise ValueError("delong_covariance needs at least one score array")
    pos, neg = [], []
    for i, s in enumerate(y_scores):
        is_pos, score, _ = binary_inputs(y_true, s, positive, name=f"y_scores[{i}]")
        pos.append(score[is_pos])
        neg.append(score[~is_pos])
    return _covariance(pos, neg)


@dataclass(frozen=True)
class AUCComparison:
    """A test of the difference between two AUCs (model a minus model b).

    Attributes
    ----------
    auc_a, auc_b, difference : float
        The two AUCs and ``auc_a - auc_b``.
    low, high : float
        Confidence interval of the difference at ``level``.
    statistic : float
        The test statistic (Z for the paired tests, D for the unpaired one).
    p_value : float
    df : float or None
        Welch-Satterthwaite degrees of freedom of the unpaired test (None otherwise).
    method : str
        E.g. ``"DeLong paired"``.
    alternative : str
        ``"two-sided"``, ``"greater"`` (AUC a > AUC b) or ``"less"``.
    level : float
    paired : bool
    n_boot : int or None
        Resamples of the bootstrap test (None for DeLong).
    seed : int or None
        Seed of the bootstrap test.
    """

    auc_a: float
    auc_b: float
    difference: float
    low: float
    high: float
    statistic: float
    p_value: float
    df: float | None
    method: str
    alternative: str
    level: float
    paired: bool
    n_boot: int | None = None
    seed: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain-Python dictionary of every field."""
        return to_plain(self.__dict__)

    def table(self) -> str:
        """The comparison as a text table."""
        stat_name = "D" if self.df is not None else "Z"
        rows = [
            ["AUC a", f"{self.auc_a:.4f}"],
            ["AUC b", f"{self.auc_b:.4f}"],
            ["difference (a - b)", f"{self.difference:.4f}"],
            [f"{100 * self.level:g}% CI of difference", f"{self.low:.4f} to {self.high:.4f}"],
            [stat_name, f"{self.statistic:.4f}"],
            ["p-value", f"{self.p_value:.4g}"],
        ]
        if self.df is not None:
            rows.append(["df", f"{self.df:.1f}"])
        if self.n_boot is not None:
            rows.append(["resamples (seed)", f"{self.n_boot} ({self.seed})"])
        return tabulate(rows) + f"\nmethod: {self.method}, {self.alternative}"

    def __str__(self) -> str:
        return self.table()


def p_value(statistic: float, alternative: str, df: float | None = None) -> float:
    """P-value of a normal (or Student t with ``df``) statistic; "greater" means a > b."""

    def cdf(x: float) -> float:
        return float(ndtr(x) if df is None else stdtr(df, x))

    if alternative == "two-sided":
        return 2 * cdf(-abs(statistic))
    if alternative == "greater":
        return cdf(-statistic)
    return cdf(statistic)


def _z_statistic(difference: float, se: float) -> float:
    """difference / se, defined as 0 when both are 0 (two identical curves), as pROC."""
    if se == 0:
        return 0.0 if difference == 0 else float(np.sign(difference) * np.inf)
    return difference / se


def delong_test(
    y_true: Any,
    score_a: Any,
    score_b: Any,
    *,
    positive: Any = None,
    alternative: str = "two-sided",
    level: float = 0.95,
) -> AUCComparison:
    """DeLong's test for two correlated ROC curves (two models on the same cases).

    ``Z = (AUC_a - AUC_b) / sqrt(V_a + V_b - 2 Cov_ab)`` with the DeLong covariance,
    compared to the standard normal, and the Wald interval of the difference -- as pROC's
    ``roc.test(method="delong", paired=TRUE)``.

    Parameters
    ----------
    y_true : array-like of shape (n,)
        Binary labels.
    score_a, score_b : array-like of shape (n,)
        Scores of the two models for the same cases.
    positive : label, optional
        The positive class.
    alternative : {"two-sided", "greater", "less"}
        "greater" tests AUC a > AUC b.
    level : float, default 0.95
        Level of the interval of the difference.

    Returns
    -------
    AUCComparison
        Both AUCs, their difference with its interval, Z and the p-value (NaN, with a
        warning, with fewer than 2 positives or 2 negatives).

    Examples
    --------
    >>> import numpy as np
    >>> from cxreval import delong_test
    >>> rng = np.random.default_rng(0)
    >>> y = np.r_[np.zeros(50), np.ones(50)]
    >>> a, b = y + rng.normal(0, 0.8, 100), y + rng.normal(0, 1.5, 100)
    >>> res = delong_test(y, a, b)
    >>> bool(res.difference > 0), res.method
    (True, 'DeLong paired')
    """
    alternative = check_choice(alternative, "alternative", ALTERNATIVES)
    level = check_level(level)
    check_consistent_length(
        score_a=check_scores(score_a, "score_a"), score_b=check_scores(score_b, "score_b")
    )
    aucs, cov = delong_covariance(y_true, score_a, score_b, positive=positive)
    diff = float(aucs[0] - aucs[1])
    se = float(np.sqrt(np.maximum(cov[0, 0] + cov[1, 1] - 2 * cov[0, 1], 0.0)))
    z = _z_statistic(diff, se)
    half = ndtri(0.5 + level / 2) * se
    return AUCComparison(
        auc_a=float(aucs[0]),
        auc_b=float(aucs[1]),
        difference=diff,
        low=diff - half,
        high=diff + half,
        statistic=float(z),
        p_value=p_value(z, alternative),
        df=None,
        method="DeLong paired",
        alternative=alternative,
        level=level,
        paired=True,
    )


def delong_test_unpaired(
    y_true_a: Any,
    score_a: Any,
    y_true_b: Any,
    score_b: Any,
    *,
    positive: Any = None,
    alternative: str = "two-sided",
    level: float = 0.95,
) -> AUCComparison:
    """DeLong's test for two ROC curves from different test sets (unpaired), as pROC.

    ``D = (AUC_a - AUC_b) / sqrt(V_a + V_b)`` with each V the DeLong variance, compared to
    Student's t with the Welch-Satterthwaite degrees of freedom
    ``df = (V_a + V_b)^2 / (V_a^2 / (N_a - 1) + V_b^2 / (N_b - 1))`` (N = cases in a set),
    exactly as pROC's ``roc.test(method="delong", paired=FALSE)``. The interval of the
    difference is ``difference -/+ t_df * sqrt(V_a + V_b)``.

    Parameters
    ----------
    y_true_a, score_a : array-like
        Labels and scores of the first test set.
    y_true_b, score_b : array-like
        Labels and scores of the second test set.
    positive : label, optional
        The positive class (the same in both sets).
    alternative : {"two-sided", "greater", "less"}
        "greater" tests AUC a > AUC b.
    level : float, default 0.95
        Level of the interval of the difference.

    Returns
    -------
    AUCComparison
        Both AUCs, their difference with its interval, D, df and the p-value (NaN, with
        a warning, when a set has fewer than 2 positives or 2 negatives).

    Examples
    --------
    >>> from cxreval import delong_test_unpaired
    >>> res = delong_test_unpaired([0, 0, 1, 1, 1], [0.1, 0.6, 0.5, 0.8, 0.9],
    ...                            [0, 0, 0, 1, 1], [0.2, 0.3, 0.4, 0.35, 0.7])
    >>> res.method, bool(0 < res.p_value <= 1)
    ('DeLong unpaired', True)
    """
    alternative = check_choice(alternative, "alternative", ALTERNATIVES)
    level = check_level(level)
    pos_a, sa, _ = binary_inputs(y_true_a, score_a, positive, name="score_a")
    pos_b, sb, _ = binary_inputs(y_true_b, score_b, positive, name="score_b")
    auc_a, var_a = delong_variance(sa[pos_a], sa[~pos_a])
    auc_b, var_b = delong_variance(sb[pos_b], sb[~pos_b])
    diff = auc_a - auc_b
    total = var_a + var_b
    se = float(np.sqrt(total))
    d = _z_statistic(diff, se)
    if np.isnan(total):  # a DeLong variance is undefined (already warned)
        df = half = np.nan
    elif total > 0:
        df = total**2 / (var_a**2 / (len(sa) - 1) + var_b**2 / (len(sb) - 1))
        half = stdtrit(df, 0.5 + level / 2) * se
    else:
        df, half = np.inf, 0.0
    return AUCComparison(
        auc_a=auc_a,
        auc_b=auc_b,
        difference=diff,
        low=diff - half,
        high=diff + half,
        statistic=float(d),
        p_value=p_value(d, alternative, df),
        df=float(df),
        method="DeLong unpaired",
        alternative=alternative,
        level=level,
        paired=False,
    )
