"""The table of confusion-matrix statistics and the kernels that compute them from counts.

:data:`STATISTICS` is the one place that says, per statistic, its formula, its range (a
bootstrap interval is clipped to it) and its aliases; :data:`BINARY_KEYS`, :data:`ALIASES`,
:data:`FORMULAS` and :data:`STATISTIC_BOUNDS` are read from it. The kernels are vectorized
over counts of any one shape. To add a statistic: a row here, its formula in
:func:`cxreval.statmaker.binary_statistics`, a line in the user guide.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import stats

from cxreval._checks import (
    ZERO_DIVISION_CHOICES,
    broadcast_counts,
    caller_stacklevel,
    check_counts,
)
from cxreval.exceptions import UndefinedStatisticWarning

__all__ = [
    "ALIASES",
    "AVERAGED_KEYS",
    "BINARY_KEYS",
    "COUNT_KEYS",
    "FORMULAS",
    "KAPPA_WEIGHTS",
    "STATISTICS",
    "STATISTIC_BOUNDS",
    "Divider",
    "Statistic",
    "agreement_weights",
    "as_counts",
    "fbeta_terms",
    "kappa_terms",
    "nan_average",
    "nir_p_value",
    "proportion_terms",
]


@dataclass(frozen=True)
class Statistic:
    """One binary statistic: its key, formula, range and aliases (same number)."""

    name: str
    formula: str = ""
    bounds: tuple[float, float] | None = None
    aliases: tuple[str, ...] = ()


_UNIT, _SIGNED, _RATIO = (0.0, 1.0), (-1.0, 1.0), (0.0, np.inf)

#: Every binary statistic in table order (the raw counts first).
STATISTICS = (
    Statistic("tp"),
    Statistic("fp"),
    Statistic("fn"),
    Statistic("tn"),
    Statistic("n"),
    Statistic("prevalence", "(TP+FN)/n", _UNIT),
    Statistic("accuracy", "(TP+TN)/n", _UNIT),
    Statistic("no_information_rate", "max(TP+FN, FP+TN)/n", _UNIT),
    Statistic("balanced_accuracy", "(TPR+TNR)/2", _UNIT),
    Statistic("g_mean", "sqrt(TPR·TNR)", _UNIT),
    Statistic("recall", "TP/(TP+FN)", _UNIT, ("sensitivity", "tpr")),
    Statistic("specificity", "TN/(TN+FP)", _UNIT, ("tnr",)),
    Statistic("precision", "TP/(TP+FP)", _UNIT, ("ppv",)),
    Statistic("npv", "TN/(TN+FN)", _UNIT),
    Statistic("fpr", "FP/(FP+TN)", _UNIT),
    Statistic("fnr", "FN/(FN+TP)", _UNIT),
    Statistic("fdr", "FP/(FP+TP)", _UNIT),
    Statistic("false_omission_rate", "FN/(FN+TN)", _UNIT),
    Statistic("f1", "2TP/(2TP+FP+FN)", _UNIT),
    Statistic("jaccard", "TP/(TP+FP+FN)", _UNIT),
    Statistic("mcc", "(TP·TN-FP·FN)/sqrt(...)", _SIGNED),
    Statistic("cohen_kappa", "(p_o-p_e)/(1-p_e)", _SIGNED),
    Statistic("scott_pi", "(p_o-Σπ_k²)/(1-Σπ_k²), π_k=(row_k+col_k)/2n", _SIGNED),
    Statistic("gwet_ac1", "(p_o-p_e)/(1-p_e), p_e=Σπ_k(1-π_k)/(K-1)", _SIGNED),
    Statistic("youden_j", "TPR+TNR-1", _SIGNED),
    Statistic("markedness", "PPV+NPV-1", _SIGNED),
    Statistic("lr_positive", "TPR/FPR", _RATIO),
    Statistic("lr_negative", "FNR/TNR", _RATIO),
    Statistic("diagnostic_odds_ratio", "(TP·TN)/(FP·FN)", _RATIO),
    Statistic("auc_single_point", "(TPR+TNR)/2, one point: not a ranking AUC", _UNIT),
)

#: The keys of a binary result, in table order; aliases follow the statistic they name.
BINARY_KEYS = tuple(key for s in STATISTICS for key in (s.name, *s.aliases))

#: Alias -> the statistic it names.
ALIASES = {alias: s.name for s in STATISTICS for alias in s.aliases}

#: The raw counts among :data:`BINARY_KEYS`.
COUNT_KEYS = ("tp", "fp", "fn", "tn", "n")

#: Short formula of each statistic, shown in tables and the user guide.
FORMULAS = {s.name: s.formula for s in STATISTICS if s.formula}

#: Range of each statistic (bootstrap intervals are clipped to it); ratios are only
#: bounded below.
STATISTIC_BOUNDS = {s.name: s.bounds for s in STATISTICS if s.bounds is not None}

#: Statistics averaged over classes in the multi-class result (macro, micro, weighted),
#: in the order of its table.
AVERAGED_KEYS = (
    "precision",
    "recall",
    "specificity",
    "npv",
    "f1",
    "fpr",
    "fnr",
    "fdr",
    "false_omission_rate",
    "jaccard",
)

#: The agreement weights of Cohen's kappa: unweighted, linear and quadratic.
KAPPA_WEIGHTS = (None, "linear", "quadratic")


def proportion_terms(tp, fp, fn, tn) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Numerator and denominator of every binomial proportion, for values and CIs alike."""
    n = tp + fp + fn + tn
    return {
        "prevalence": (tp + fn, n),
        "accuracy": (tp + tn, n),
        "recall": (tp, tp + fn),
        "specificity": (tn, tn + fp),
        "precision": (tp, tp + fp),
        "npv": (tn, tn + fn),
        "fpr": (fp, fp + tn),
        "fnr": (fn, fn + tp),
        "fdr": (fp, fp + tp),
        "false_omission_rate": (fn, fn + tn),
    }


def fbeta_terms(tp, fp, fn, beta: float) -> tuple[np.ndarray, np.ndarray]:
    """F-beta as one fraction of counts; undefined only when TP + FP + FN = 0 (as sklearn)."""
    b2 = float(beta) ** 2
    return (1 + b2) * tp, (1 + b2) * tp + b2 * fn + fp


def agreement_weights(k: int, weights: str | None) -> np.ndarray:
    """The K x K agreement weights of a kappa: 1 on the diagonal, ``1 - |i-j|/(K-1)``
    (linear) or ``1 - (i-j)²/(K-1)²`` (quadratic) off it, 0 off it when unweighted.

    Kappa with these agreement weights equals kappa with scikit-learn's disagreement
    weights ``|i-j|`` or ``(i-j)²`` (a kappa does not change when its weights are scaled).
    """
    i = np.arange(k)
    distance = np.abs(i[:, None] - i[None, :]) / max(k - 1, 1)
    if weights == "linear":
        return 1.0 - distance
    if weights == "quadratic":
        return 1.0 - distance**2
    return (distance == 0).astype(float)


def kappa_terms(matrix: np.ndarray, weights: np.ndarray) -> dict[str, np.ndarray]:
    """Kappa and the parts of its variances, for matrices ``(..., K, K)`` of counts.

    Returns ``n``, ``p_o`` and ``p_e`` (weighted observed and chance agreement),
    ``kappa`` (NaN where ``p_e = 1``; computed over the counts, so integer matrices give
    the same number as the count formula of the binary and multi-class results),
    ``var_cohen`` (Cohen 1960: ``p_o (1 - p_o) / (n (1 - p_e)²)``) and ``var_fce``
    (Fleiss, Cohen & Everitt 1969:
    ``[Σ p_ij (w_ij - (w̄_i. + w̄_.j)(1 - κ))² - (κ - p_e (1 - κ))²] / (n (1 - p_e)²)``
    with ``w̄_i. = Σ_j c_j w_ij`` and ``w̄_.j = Σ_i r_i w_ij``, r and c the row and
    column proportions).
    """
    m = np.asarray(matrix, dtype=float)
    n = _total(m)
    rows, cols = _last_sum(m), _last_sum(np.swapaxes(m, -1, -2))
    observed = _total(m * weights)
    chance = _total(rows[..., :, None] * weights * cols[..., None, :])
    with np.errstate(invalid="ignore", divide="ignore"):
        kappa = (n * observed - chance) / (n * n - chance)
        p = m / n[..., None, None]
        r, c = rows / n[..., None], cols / n[..., None]
        p_o, p_e = observed / n, chance / (n * n)
        w_row = _last_sum(c[..., None, :] * weights)
        w_col = _last_sum(np.swapaxes(r[..., :, None] * weights, -1, -2))
        spread = (
            weights - (w_row[..., :, None] + w_col[..., None, :]) * (1.0 - kappa)[..., None, None]
        )
        # products, not ** 2: numpy squares 0-d and n-d arrays differently (by an ulp)
        scale = n * (1.0 - p_e) * (1.0 - p_e)
        shift = kappa - p_e * (1.0 - kappa)
        var_fce = (_total(p * spread * spread) - shift * shift) / scale
        var_cohen = p_o * (1.0 - p_o) / scale
    kappa = np.where(np.isfinite(kappa), kappa, np.nan)
    return {"n": n, "p_o": p_o, "p_e": p_e, "kappa": kappa, "var_cohen": var_cohen,
            "var_fce": var_fce}  # fmt: skip


def _last_sum(x: np.ndarray) -> np.ndarray:
    """Sum over the last axis in a fixed order, so a stack of matrices gives bit for bit
    the numbers of each matrix alone (numpy's reductions may pair terms differently)."""
    total = x[..., 0]
    for j in range(1, x.shape[-1]):
        total = total + x[..., j]
    return total


def _total(x: np.ndarray) -> np.ndarray:
    """Sum over the last two axes, in a fixed order (see :func:`_last_sum`)."""
    return _last_sum(_last_sum(x))


def nir_p_value(correct: Any, n: Any, nir: Any) -> np.ndarray:
    """One-sided binomial p-value that accuracy exceeds the no-information rate.

    ``P(X >= correct)`` for ``X ~ Binomial(n, nir)`` from the survival function, so that
    tiny p-values keep their precision (R's ``binom.test(correct, n, nir,
    alternative="greater")``; PyCM's ``1 - cdf`` loses everything below about 1e-16).
    NaN where the counts are not whole numbers (weighted matrices) or ``n = 0``.
    """
    correct, n, nir = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (correct, n, nir)))
    whole = (correct == np.round(correct)) & (n == np.round(n)) & (n > 0)
    with np.errstate(invalid="ignore"):
        p = stats.binom.sf(correct - 1, np.where(whole, n, 1), np.nan_to_num(nir))
    return np.where(whole & ~np.isnan(nir), p, np.nan)


def as_counts(tp, fp, fn, tn) -> tuple[np.ndarray, ...]:
    """The four counts checked and broadcast to one shape, as floats."""
    return tuple(
        broadcast_counts(
            tp=check_counts(tp, "tp"),
            fp=check_counts(fp, "fp"),
            fn=check_counts(fn, "fn"),
            tn=check_counts(tn, "tn"),
        )
    )


def nan_average(values: np.ndarray, weights: np.ndarray) -> float:
    """Weighted mean over the entries that are not NaN, as scikit-learn averages.

    NaN when every entry is NaN; the plain mean when the remaining weights are all zero.
    """
    keep = ~np.isnan(values)
    if not keep.any():
        return float("nan")
    if weights[keep].sum() == 0:
        return float(np.mean(values[keep]))
    return float(np.average(values[keep], weights=weights[keep]))


class Divider:
    """Divide, replacing undefined entries per ``zero_division`` and remembering which."""

    def __init__(self, zero_division: str | float, infinite_ratios: bool = False) -> None:
        self.fill = np.nan if zero_division == "warn" else zero_division
        self.warn = zero_division == "warn"
        self.infinite_ratios = infinite_ratios
        self.undefined: dict[str, np.ndarray] = {}

    def __call__(self, name: str, num, den) -> np.ndarray:
        num, den = np.asarray(num, dtype=float), np.asarray(den, dtype=float)
        bad = den == 0
        with np.errstate(invalid="ignore", divide="ignore"):
            value = np.where(bad, self.fill, num / np.where(bad, 1.0, den))
        if self.infinite_ratios:
            infinite = bad & (num != 0)
            value = np.where(infinite, np.copysign(np.inf, num), value)
            bad = bad & ~infinite
        if bad.any():
            self.undefined[name] = bad
        return value

    def emit(self, entry_names: Any) -> None:
        """Warn once (with ``zero_division="warn"``) naming every undefined statistic."""
        if not (self.warn and self.undefined):
            return
        parts = []
        for name, bad in self.undefined.items():
            if bad.ndim == 0:
                parts.append(name)
                continue
            where = np.flatnonzero(bad.ravel())
            if entry_names is not None:
                shown = ", ".join(repr(entry_names[i]) for i in where[:5])
                parts.append(f"{name} (class {shown})")
            else:
                parts.append(f"{name} ({len(where)} of {bad.size} entries)")
        warnings.warn(
            "undefined (a ratio over zero), set to NaN: "
            + "; ".join(parts)
            + f". Pass zero_division= ({ZERO_DIVISION_CHOICES}) to choose the value.",
            UndefinedStatisticWarning,
            stacklevel=caller_stacklevel(),
        )
