"""Closed-form confidence intervals (binomial proportions, log-method ratios) and Holm's
adjustment of p-values for multiple comparisons.

Every function is vectorized: counts may be scalars or arrays of one shape (one entry per
class, per threshold or per bootstrap resample), and the result has that shape. An
interval that is undefined (no trials, a zero cell under a logarithm) is NaN, never a
made-up number.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import special

from cxreval._checks import (
    broadcast_counts,
    check_alternative,
    check_array_1d,
    check_choice_or_none,
    check_counts,
    check_level,
)
from cxreval._statistics import KAPPA_WEIGHTS, agreement_weights, as_counts, kappa_terms

__all__ = [
    "KAPPA_CI_METHODS",
    "PROPORTION_CI_METHODS",
    "RATIO_CI_METHODS",
    "SIDES",
    "holm_adjust",
    "kappa_ci",
    "one_sided",
    "proportion_ci",
    "ratio_ci",
    "tail_probability",
]

#: The proportion-interval methods ``proportion_ci`` knows, with the name shown in tables.
PROPORTION_CI_METHODS = {
    "wilson": "Wilson",
    "clopper-pearson": "Clopper-Pearson",
    "agresti-coull": "Agresti-Coull",
    "normal": "normal (Wald)",
    "jeffreys": "Jeffreys",
    "wilson-cc": "Wilson (continuity-corrected)",
}

#: The ratio statistics ``ratio_ci`` knows, with the name of the interval method.
RATIO_CI_METHODS = {
    "lr_positive": "log (Simel)",
    "lr_negative": "log (Simel)",
    "diagnostic_odds_ratio": "log (Woolf)",
}

#: The standard errors of Cohen's kappa ``kappa_ci`` knows, with the name in tables.
KAPPA_CI_METHODS = {
    "fleiss-cohen-everitt": "normal, SE Fleiss-Cohen-Everitt 1969",
    "cohen": "normal, SE Cohen 1960",
}

#: How an interval's sides are named in tables, per ``alternative``.
SIDES = {
    "two-sided": "two-sided",
    "greater": "one-sided lower bound",
    "less": "one-sided upper bound",
}


def tail_probability(level: float, alternative: str) -> float:
    """The probability outside each computed bound: ``(1 - level) / 2`` or ``1 - level``."""
    return (1.0 - level) / 2.0 if alternative == "two-sided" else 1.0 - level


def one_sided(
    low: np.ndarray, high: np.ndarray, alternative: str, bounds: tuple[float, float]
) -> tuple[np.ndarray, np.ndarray]:
    """Replace the bound ``alternative`` does not ask for by the end of the range."""
    if alternative == "greater":
        high = np.where(np.isnan(low), np.nan, bounds[1])
    elif alternative == "less":
        low = np.where(np.isnan(high), np.nan, bounds[0])
    return low, high


def proportion_ci(
    successes: Any,
    trials: Any,
    *,
    level: float = 0.95,
    ci_method: str = "wilson",
    alternative: str = "two-sided",
) -> tuple[np.ndarray, np.ndarray]:
    """Confidence interval for a binomial proportion ``successes / trials``.

    Parameters
    ----------
    successes, trials : array-like of non-negative numbers
        Counts of the same shape (or broadcastable); ``successes <= trials``.
    level : float, default 0.95
        Confidence level in (0, 1).
    ci_method : {"wilson", "clopper-pearson", "agresti-coull", "normal", "jeffreys", \
"wilson-cc"}, default "wilson"
        ``"wilson"``: the score interval. ``"clopper-pearson"``: the exact interval from
        beta quantiles. ``"agresti-coull"``: the Wald interval around the Wilson centre.
        ``"normal"``: the Wald interval ``p +- z sqrt(p (1 - p) / n)``. ``"jeffreys"``:
        the equal-tailed interval of the Beta(x + 1/2, n - x + 1/2) posterior with Brown,
        Cai & DasGupta's (2001, section 4.1.2) endpoint rules, lower bound 0 when x = 0
        and upper bound 1 when x = n (statsmodels' ``"jeffreys"`` omits these rules).
        ``"wilson-cc"``: the Wilson interval with continuity correction (Newcombe 1998,
        method 4), equal to R's ``prop.test(x, n, correct=TRUE)$conf.int``. The
        Agresti-Coull and normal intervals are clipped to [0, 1]. The formulas are in the
        user guide.
    alternative : {"two-sided", "greater", "less"}, default "two-sided"
        R's words (``binom.test``, ``prop.test``). ``"greater"`` gives a one-sided
        **lower** confidence bound: the interval ``[low, 1]`` with ``P(p >= low) =
        level``. ``"less"`` gives a one-sided **upper** bound: ``[0, high]``. (statsmodels'
        ``proportion_confint`` names these the other way round: its ``"larger"`` is the
        upper bound.)

    Returns
    -------
    low, high : numpy.ndarray
        Bounds of the shape of the broadcast inputs; NaN where ``trials == 0``. The
        bounds every method has exactly are exact, not off by a rounding unit: the lower
        bound is 0 when ``successes == 0`` and the upper bound 1 when
        ``successes == trials``; and since each interval contains ``successes / trials``
        mathematically, the bounds are clipped to contain it.

    References
    ----------
    Brown, Cai & DasGupta (2001), "Interval estimation for a binomial proportion",
    *Statistical Science* 16:101-133. Newcombe (1998), "Two-sided confidence intervals
    for the single proportion: comparison of seven methods", *Statistics in Medicine*
    17:857-872.

    Examples
    --------
    >>> from cxreval.intervals import proportion_ci
    >>> low, high = proportion_ci(350, 390)
    >>> print(f"{float(low):.4f} {float(high):.4f}")
    0.8633 0.9238
    >>> low, high = proportion_ci([0, 10], [10, 10], ci_method="clopper-pearson")
    >>> print(low.round(4), high.round(4))
    [0.     0.6915] [0.3085 1.    ]
    >>> low, high = proportion_ci(7, 29, ci_method="jeffreys")
    >>> print(f"{float(low):.4f} {float(high):.4f}")
    0.1150 0.4165
    >>> low, high = proportion_ci(7, 29, alternative="greater")  # a lower bound
    >>> print(f"{float(low):.4f} {float(high):.4f}")
    0.1365 1.0000
    """
    level = check_level(level)
    if ci_method not in PROPORTION_CI_METHODS:
        raise ValueError(
            f"ci_method must be one of {sorted(PROPORTION_CI_METHODS)}, got {ci_method!r}"
        )
    alternative = check_alternative(alternative)
    x, n = broadcast_counts(
        successes=check_counts(successes, "successes"), trials=check_counts(trials, "trials")
    )
    if (x > n).any():
        raise ValueError("successes must not exceed trials")
    tail = tail_probability(level, alternative)
    z = special.ndtri(1.0 - tail)
    defined = n > 0
    safe_n = np.where(defined, n, 1.0)
    p = x / safe_n
    with np.errstate(invalid="ignore", divide="ignore"):
        if ci_method == "wilson":
            denom = safe_n + z**2
            centre = (x + z**2 / 2.0) / denom
            half = z / denom * np.sqrt(x * (safe_n - x) / safe_n + z**2 / 4.0)
            low, high = centre - half, centre + half
        elif ci_method == "clopper-pearson":
            low = np.where(x > 0, special.betaincinv(x, safe_n - x + 1.0, tail), 0.0)
            high = np.where(x < safe_n, special.betaincinv(x + 1.0, safe_n - x, 1.0 - tail), 1.0)
        elif ci_method == "agresti-coull":
            n_tilde = safe_n + z**2
            p_tilde = (x + z**2 / 2.0) / n_tilde
            half = z * np.sqrt(p_tilde * (1.0 - p_tilde) / n_tilde)
            low, high = p_tilde - half, p_tilde + half
        elif ci_method == "jeffreys":
            a, b = x + 0.5, safe_n - x + 0.5
            low, high = special.betaincinv(a, b, tail), special.betaincinv(a, b, 1.0 - tail)
        elif ci_method == "wilson-cc":
            low, high = _wilson_cc(x, safe_n, p, z)
        else:  # normal
            half = z * np.sqrt(p * (1.0 - p) / safe_n)
            low, high = p - half, p + half
    # exact where the bound is exact (x = 0: low 0; x = n: high 1), and around p
    low = np.where(x == 0, 0.0, np.minimum(np.clip(low, 0.0, 1.0), p))
    high = np.where(x == n, 1.0, np.maximum(np.clip(high, 0.0, 1.0), p))
    low, high = np.where(defined, low, np.nan), np.where(defined, high, np.nan)
    return one_sided(low, high, alternative, (0.0, 1.0))


def _wilson_cc(x, n, p, z) -> tuple[np.ndarray, np.ndarray]:
    """Newcombe's (1998) method 4: Wilson's score interval with continuity correction."""
    denom = 2.0 * (n + z**2)
    low_root = np.sqrt(np.maximum(z**2 - 2.0 - 1.0 / n + 4.0 * p * (n * (1.0 - p) + 1.0), 0.0))
    high_root = np.sqrt(np.maximum(z**2 + 2.0 - 1.0 / n + 4.0 * p * (n * (1.0 - p) - 1.0), 0.0))
    low = (2.0 * n * p + z**2 - 1.0 - z * low_root) / denom
    high = (2.0 * n * p + z**2 + 1.0 + z * high_root) / denom
    return low, high


def ratio_ci(
    tp: Any,
    fp: Any,
    fn: Any,
    tn: Any,
    *,
    statistic: str,
    level: float = 0.95,
    alternative: str = "two-sided",
) -> tuple[np.ndarray, np.ndarray]:
    """Log-method confidence interval for a likelihood ratio or the diagnostic odds ratio.

    The interval is ``exp(log(R) +- z * SE)`` with

    * ``lr_positive`` (Simel et al. 1991): ``SE**2 = 1/tp - 1/(tp+fn) + 1/fp - 1/(fp+tn)``
    * ``lr_negative`` (Simel et al. 1991): ``SE**2 = 1/fn - 1/(tp+fn) + 1/tn - 1/(fp+tn)``
    * ``diagnostic_odds_ratio`` (Woolf 1955): ``SE**2 = 1/tp + 1/fp + 1/fn + 1/tn``

    Parameters
    ----------
    tp, fp, fn, tn : array-like of non-negative numbers
        Confusion-matrix counts of one shape (or broadcastable).
    statistic : {"lr_positive", "lr_negative", "diagnostic_odds_ratio"}
        Which ratio.
    level : float, default 0.95
        Confidence level in (0, 1).
    alternative : {"two-sided", "greater", "less"}, default "two-sided"
        ``"greater"``: a one-sided lower bound ``[low, inf)``; ``"less"``: a one-sided
        upper bound ``[0, high]`` (as in :func:`proportion_ci`).

    Returns
    -------
    low, high : numpy.ndarray
        NaN where a count under a logarithm or a reciprocal is zero (the ratio is 0,
        infinite or undefined there and the log method gives no interval; no continuity
        correction is added behind your back).

    Notes
    -----
    The convention for the ratio itself is the one :func:`cxreval.bootstrap_statmaker`
    uses: a nonzero count over zero is infinite (LR+ with FP = 0 < TP, LR- with
    TN = 0 < FN, the odds ratio with FP * FN = 0 < TP * TN) and only ``0 / 0`` is
    undefined. Both cases are outside the log method, hence NaN here; the bootstrap keeps
    infinite resamples and can give an interval whose upper bound is ``inf``.

    Examples
    --------
    >>> from cxreval.intervals import ratio_ci
    >>> low, high = ratio_ci(350, 60, 40, 174, statistic="lr_positive")
    >>> print(f"{float(low):.3f} {float(high):.3f}")
    2.807 4.365
    """
    level = check_level(level)
    if statistic not in RATIO_CI_METHODS:
        raise ValueError(f"statistic must be one of {sorted(RATIO_CI_METHODS)}, got {statistic!r}")
    alternative = check_alternative(alternative)
    tp, fp, fn, tn = as_counts(tp, fp, fn, tn)
    z = special.ndtri(0.5 + level / 2.0) if alternative == "two-sided" else special.ndtri(level)
    with np.errstate(invalid="ignore", divide="ignore"):
        pos, neg = tp + fn, fp + tn
        if statistic == "lr_positive":
            ratio = (tp / pos) / (fp / neg)
            var = 1 / tp - 1 / pos + 1 / fp - 1 / neg
            cells = (tp, fp)
        elif statistic == "lr_negative":
            ratio = (fn / pos) / (tn / neg)
            var = 1 / fn - 1 / pos + 1 / tn - 1 / neg
            cells = (fn, tn)
        else:
            ratio = (tp * tn) / (fp * fn)
            var = 1 / tp + 1 / fp + 1 / fn + 1 / tn
            cells = (tp, fp, fn, tn)
        defined = np.logical_and.reduce([c > 0 for c in cells])
        half = z * np.sqrt(var)
        low = np.where(defined, ratio * np.exp(-half), np.nan)
        high = np.where(defined, ratio * np.exp(half), np.nan)
    return one_sided(low, high, alternative, (0.0, np.inf))


def kappa_ci(
    cm: Any,
    *,
    weights: str | None = None,
    level: float = 0.95,
    kappa_ci_method: str = "fleiss-cohen-everitt",
    alternative: str = "two-sided",
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Cohen's kappa (unweighted, linear or quadratic) with its standard error and CI.

    The interval is ``kappa -/+ z * SE`` (normal approximation), clipped to [-1, 1] and
    to contain kappa. Two standard errors:

    * ``"fleiss-cohen-everitt"`` (default): the large-sample variance of Fleiss, Cohen &
      Everitt (1969), weighted or not; statsmodels' ``cohens_kappa(table).std_kappa``.
    * ``"cohen"``: Cohen's (1960) approximation ``sqrt(p_o (1 - p_o) / (n (1 - p_e)²))``
      (the weighted ``p_o`` for a weighted kappa), PyCM's ``Kappa_SE``; PyCM's
      ``Kappa_CI`` is ``kappa -/+ 1.96 SE``, here ``z`` is the exact normal quantile.

    Parameters
    ----------
    cm : array-like of shape (..., K, K)
        Confusion matrices (true classes in rows), or a stack of them: one result per
        matrix.
    weights : {None, "linear", "quadratic"}, default None
        Agreement weights; the weighted kappas equal scikit-learn's
        ``cohen_kappa_score(weights=...)``.
    level : float, default 0.95
        Confidence level in (0, 1).
    kappa_ci_method : {"fleiss-cohen-everitt", "cohen"}, default "fleiss-cohen-everitt"
        The standard error.
    alternative : {"two-sided", "greater", "less"}, default "two-sided"
        As in :func:`proportion_ci` (``"greater"``: a lower bound, ``[low, 1]``).

    Returns
    -------
    kappa, se, low, high : numpy.ndarray
        Of the shape of the stack (0-d for one matrix); NaN where kappa is undefined
        (chance agreement 1).

    References
    ----------
    Cohen (1960), *Educational and Psychological Measurement* 20:37-46. Fleiss, Cohen &
    Everitt (1969), "Large sample standard errors of kappa and weighted kappa",
    *Psychological Bulletin* 72:323-327.

    Examples
    --------
    >>> from cxreval.intervals import kappa_ci
    >>> kappa, se, low, high = kappa_ci([[174, 60], [40, 350]])
    >>> print(f"{kappa:.4f} {se:.5f} [{low:.4f}, {high:.4f}]")
    0.6522 0.03162 [0.5902, 0.7142]
    >>> print(f"{kappa_ci([[174, 60], [40, 350]], kappa_ci_method='cohen')[1]:.5f}")
    0.03187
    """
    level = check_level(level)
    weights = check_choice_or_none(weights, "weights", KAPPA_WEIGHTS[1:])
    if kappa_ci_method not in KAPPA_CI_METHODS:
        raise ValueError(
            f"kappa_ci_method must be one of {sorted(KAPPA_CI_METHODS)}, got {kappa_ci_method!r}"
        )
    alternative = check_alternative(alternative)
    m = check_counts(cm, "cm")
    if m.ndim < 2 or m.shape[-1] != m.shape[-2] or m.shape[-1] < 2:
        raise ValueError(f"cm must be K x K matrices (K >= 2), got shape {m.shape}")
    terms = kappa_terms(m, agreement_weights(m.shape[-1], weights))
    var = terms["var_cohen" if kappa_ci_method == "cohen" else "var_fce"]
    kappa = terms["kappa"]
    se = np.sqrt(np.maximum(var, 0.0))
    half = special.ndtri(1.0 - tail_probability(level, alternative)) * se
    low = np.minimum(np.clip(kappa - half, -1.0, 1.0), kappa)
    high = np.maximum(np.clip(kappa + half, -1.0, 1.0), kappa)
    low, high = one_sided(low, high, alternative, (-1.0, 1.0))
    return kappa, np.where(np.isnan(kappa), np.nan, se), low, high


def holm_adjust(p_values: Any) -> np.ndarray:
    """Holm's step-down adjustment of p-values for multiple comparisons.

    The i-th smallest of m p-values is multiplied by ``m - i + 1`` (i from 1), the
    running maximum is taken so the order is kept, and the result is capped at 1. It
    controls the family-wise error rate without assuming independence (Holm, 1979).

    A NaN p-value (an undefined test, e.g. DeLong's with fewer than two cases of a class)
    stays NaN and is not counted: the others are adjusted among themselves, as R's
    ``p.adjust`` does with ``NA``.

    Parameters
    ----------
    p_values : array-like of shape (m,)
        P-values in [0, 1], or NaN.

    Returns
    -------
    numpy.ndarray
        Adjusted p-values, in the order given.

    Examples
    --------
    >>> from cxreval.intervals import holm_adjust
    >>> holm_adjust([0.01, 0.04, 0.03]).tolist()  # 3 * .01, 2 * .03, max(1 * .04, .06)
    [0.03, 0.06, 0.06]
    >>> holm_adjust([0.01, float("nan"), 0.03]).tolist()  # two defined tests
    [0.02, nan, 0.03]
    """
    p = check_array_1d(p_values, "p_values", numeric=True).astype(float)
    defined = ~np.isnan(p)
    if (p[defined] < 0).any() or (p[defined] > 1).any():
        raise ValueError("p_values must be numbers in [0, 1] (or NaN for an undefined test)")
    m = int(defined.sum())
    order = np.flatnonzero(defined)[np.argsort(p[defined], kind="stable")]
    stepped = np.maximum.accumulate((m - np.arange(m)) * p[order])
    adjusted = np.full(len(p), np.nan)
    adjusted[order] = np.minimum(stepped, 1.0)
    return adjusted
