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

from cxreval._checks import broadcast_counts, check_array_1d, check_counts, check_level
from cxreval._statistics import as_counts

__all__ = ["PROPORTION_CI_METHODS", "RATIO_CI_METHODS", "holm_adjust", "proportion_ci", "ratio_ci"]

#: The proportion-interval methods ``proportion_ci`` knows, with the name shown in tables.
PROPORTION_CI_METHODS = {
    "wilson": "Wilson",
    "clopper-pearson": "Clopper-Pearson",
    "agresti-coull": "Agresti-Coull",
    "normal": "normal (Wald)",
}

#: The ratio statistics ``ratio_ci`` knows, with the name of the interval method.
RATIO_CI_METHODS = {
    "lr_positive": "log (Simel)",
    "lr_negative": "log (Simel)",
    "diagnostic_odds_ratio": "log (Woolf)",
}


def proportion_ci(
    successes: Any, trials: Any, *, level: float = 0.95, ci_method: str = "wilson"
) -> tuple[np.ndarray, np.ndarray]:
    """Two-sided confidence interval for a binomial proportion ``successes / trials``.

    Parameters
    ----------
    successes, trials : array-like of non-negative numbers
        Counts of the same shape (or broadcastable); ``successes <= trials``.
    level : float, default 0.95
        Confidence level in (0, 1).
    ci_method : {"wilson", "clopper-pearson", "agresti-coull", "normal"}, default "wilson"
        ``"wilson"``: the score interval. ``"clopper-pearson"``: the exact interval from
        beta quantiles. ``"agresti-coull"``: the Wald interval around the Wilson centre.
        ``"normal"``: the Wald interval ``p +- z sqrt(p (1 - p) / n)``. The Agresti-Coull
        and normal intervals are clipped to [0, 1]. The formulas are in the user guide.

    Returns
    -------
    low, high : numpy.ndarray
        Bounds of the shape of the broadcast inputs; NaN where ``trials == 0``. The
        bounds every method has exactly are exact, not off by a rounding unit: the lower
        bound is 0 when ``successes == 0`` and the upper bound 1 when
        ``successes == trials``; and since each of the four intervals contains
        ``successes / trials`` mathematically, the bounds are clipped to contain it.

    Examples
    --------
    >>> from cxreval.intervals import proportion_ci
    >>> low, high = proportion_ci(350, 390)
    >>> print(f"{float(low):.4f} {float(high):.4f}")
    0.8633 0.9238
    >>> low, high = proportion_ci([0, 10], [10, 10], ci_method="clopper-pearson")
    >>> print(low.round(4), high.round(4))
    [0.     0.6915] [0.3085 1.    ]
    """
    level = check_level(level)
    if ci_method not in PROPORTION_CI_METHODS:
        raise ValueError(
            f"ci_method must be one of {sorted(PROPORTION_CI_METHODS)}, got {ci_method!r}"
        )
    x, n = broadcast_counts(
        successes=check_counts(successes, "successes"), trials=check_counts(trials, "trials")
    )
    if (x > n).any():
        raise ValueError("successes must not exceed trials")
    alpha = 1.0 - level
    z = special.ndtri(1.0 - alpha / 2.0)
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
            low = np.where(x > 0, special.betaincinv(x, safe_n - x + 1.0, alpha / 2.0), 0.0)
            high = np.where(
                x < safe_n, special.betaincinv(x + 1.0, safe_n - x, 1.0 - alpha / 2.0), 1.0
            )
        elif ci_method == "agresti-coull":
            n_tilde = safe_n + z**2
            p_tilde = (x + z**2 / 2.0) / n_tilde
            half = z * np.sqrt(p_tilde * (1.0 - p_tilde) / n_tilde)
            low, high = p_tilde - half, p_tilde + half
        else:  # normal
            half = z * np.sqrt(p * (1.0 - p) / safe_n)
            low, high = p - half, p + half
    # exact where the bound is exact (x = 0: low 0; x = n: high 1), and around p
    low = np.where(x == 0, 0.0, np.minimum(np.clip(low, 0.0, 1.0), p))
    high = np.where(x == n, 1.0, np.maximum(np.clip(high, 0.0, 1.0), p))
    return np.where(defined, low, np.nan), np.where(defined, high, np.nan)


def ratio_ci(
    tp: Any, fp: Any, fn: Any, tn: Any, *, statistic: str, level: float = 0.95
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
    tp, fp, fn, tn = as_counts(tp, fp, fn, tn)
    z = special.ndtri(0.5 + level / 2.0)
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
    return low, high


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
