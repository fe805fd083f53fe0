"""statmaker: confusion-matrix statistics with confidence intervals.

A confusion matrix has the true classes in rows and the predicted classes in columns, so a
binary one is ``[[TN, FP], [FN, TP]]``. :func:`statmaker` turns it into every statistic
users know from PyCM with the definitions of scikit-learn; :func:`binary_statistics` is the
one vectorized place where the statistics are computed from counts, shared by the binary
result, the per-class (one-vs-rest) multi-class path and anyone who resamples counts.
"""

from __future__ import annotations

import numbers
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from tabulate import tabulate

from cxreval._checks import (
    caller_stacklevel,
    check_array_1d,
    check_binary_target,
    check_consistent_length,
    check_counts,
    check_level,
    check_scores,
    check_threshold,
)
from cxreval._plain import to_plain
from cxreval.intervals import PROPORTION_CI_METHODS, RATIO_CI_METHODS, proportion_ci, ratio_ci

__all__ = [
    "BINARY_KEYS",
    "BinaryStatistics",
    "MulticlassStatistics",
    "UndefinedStatisticWarning",
    "binary_intervals",
    "binary_statistics",
    "confusion_matrix",
    "statmaker",
    "statmaker_from_predictions",
]


class UndefinedStatisticWarning(UserWarning):
    """A statistic is undefined (a ratio over zero) and was set to NaN or ``zero_division``."""


#: The keys of a binary result, in table order; aliases are the same number.
BINARY_KEYS = (
    "tp",
    "fp",
    "fn",
    "tn",
    "n",
    "prevalence",
    "accuracy",
    "balanced_accuracy",
    "recall",
    "sensitivity",
    "tpr",
    "specificity",
    "tnr",
    "precision",
    "ppv",
    "npv",
    "fpr",
    "fnr",
    "fdr",
    "false_omission_rate",
    "f1",
    "mcc",
    "cohen_kappa",
    "youden_j",
    "markedness",
    "lr_positive",
    "lr_negative",
    "diagnostic_odds_ratio",
    "auc_single_point",
)

#: Alias -> the statistic it names.
ALIASES = {"sensitivity": "recall", "tpr": "recall", "tnr": "specificity", "ppv": "precision"}

#: Statistics averaged over classes in the multi-class result (macro, micro, weighted).
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
)

#: Short formula for each statistic, shown in tables and the user guide.
FORMULAS = {
    "prevalence": "(TP+FN)/n",
    "accuracy": "(TP+TN)/n",
    "balanced_accuracy": "(TPR+TNR)/2",
    "recall": "TP/(TP+FN)",
    "specificity": "TN/(TN+FP)",
    "precision": "TP/(TP+FP)",
    "npv": "TN/(TN+FN)",
    "fpr": "FP/(FP+TN)",
    "fnr": "FN/(FN+TP)",
    "fdr": "FP/(FP+TP)",
    "false_omission_rate": "FN/(FN+TN)",
    "f1": "2TP/(2TP+FP+FN)",
    "mcc": "(TP·TN-FP·FN)/sqrt(...)",
    "cohen_kappa": "(p_o-p_e)/(1-p_e)",
    "youden_j": "TPR+TNR-1",
    "markedness": "PPV+NPV-1",
    "lr_positive": "TPR/FPR",
    "lr_negative": "FNR/TNR",
    "diagnostic_odds_ratio": "(TP·TN)/(FP·FN)",
    "auc_single_point": "(TPR+TNR)/2, one point: not a ranking AUC",
}

_ZERO_DIVISION_CHOICES = '"warn", 0.0, 1.0 or numpy.nan'


def _check_zero_division(zero_division: Any) -> str | float:
    if isinstance(zero_division, str):
        if zero_division == "warn":
            return zero_division
    elif isinstance(zero_division, numbers.Real) and not isinstance(zero_division, bool):
        value = float(zero_division)
        if np.isnan(value) or value in (0.0, 1.0):
            return value
    raise ValueError(f"zero_division must be {_ZERO_DIVISION_CHOICES}, got {zero_division!r}")


def _proportion_terms(tp, fp, fn, tn) -> dict[str, tuple[np.ndarray, np.ndarray]]:
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


def _fbeta_terms(tp, fp, fn, beta: float) -> tuple[np.ndarray, np.ndarray]:
    """F-beta as one fraction of counts; undefined only when TP + FP + FN = 0 (as sklearn)."""
    b2 = float(beta) ** 2
    return (1 + b2) * tp, (1 + b2) * tp + b2 * fn + fp


def _as_counts(tp, fp, fn, tn) -> tuple[np.ndarray, ...]:
    return tuple(
        np.broadcast_arrays(
            check_counts(tp, "tp"),
            check_counts(fp, "fp"),
            check_counts(fn, "fn"),
            check_counts(tn, "tn"),
        )
    )


class _Divider:
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
            + f". Pass zero_division= ({_ZERO_DIVISION_CHOICES}) to choose the value.",
            UndefinedStatisticWarning,
            stacklevel=caller_stacklevel(),
        )


def binary_statistics(
    tp: Any,
    fp: Any,
    fn: Any,
    tn: Any,
    *,
    zero_division: str | float = "warn",
    entry_names: Any = None,
    infinite_ratios: bool = False,
) -> dict[str, np.ndarray]:
    """Every binary statistic of ``BINARY_KEYS`` from counts, vectorized.

    ``tp, fp, fn, tn`` may be scalars or arrays of one shape (one entry per class, per
    threshold or per bootstrap resample); every returned array has that shape. This is the
    single place where the statistics are defined; the formulas are in the user guide.

    Parameters
    ----------
    tp, fp, fn, tn : array-like of non-negative numbers
        True positives, false positives, false negatives, true negatives.
    zero_division : {"warn", 0.0, 1.0, numpy.nan}, default "warn"
        Value of a statistic whose denominator is zero. ``"warn"`` gives NaN and one
        :class:`UndefinedStatisticWarning` naming the statistics; ``numpy.nan`` gives NaN
        silently. Statistics built from others (balanced accuracy, Youden's J,
        markedness, ``auc_single_point``) use the replaced values.
    entry_names : sequence, optional
        Names of the entries (e.g. class labels), used in the warning only.
    infinite_ratios : bool, default False
        With True, a nonzero count over a zero count is ``inf`` and only ``0 / 0`` is
        undefined (``zero_division``): LR+ with FP = 0 < TP, LR- with TN = 0 < FN and the
        diagnostic odds ratio with FP * FN = 0 < TP * TN are ``inf``. Only these three
        ratios can have a nonzero numerator over a zero denominator; every other statistic
        is ``0 / 0`` whenever its denominator is zero. The default treats every zero
        denominator as undefined, as scikit-learn; :func:`cxreval.bootstrap_statmaker`
        uses True, so that resamples with an infinite ratio stay in its interval.

    Returns
    -------
    dict of str to numpy.ndarray
        One array per key of ``BINARY_KEYS`` (aliases included).

    Examples
    --------
    >>> from cxreval.confusion import binary_statistics
    >>> s = binary_statistics(350, 60, 40, 174)
    >>> print(f"{float(s['recall']):.4f} {float(s['precision']):.4f} {float(s['f1']):.4f}")
    0.8974 0.8537 0.8750
    >>> binary_statistics([350, 340], [60, 70], [40, 50], [174, 164])["recall"].round(4)
    array([0.8974, 0.8718])
    """
    tp, fp, fn, tn = _as_counts(tp, fp, fn, tn)
    divide = _Divider(_check_zero_division(zero_division), bool(infinite_ratios))
    out: dict[str, np.ndarray] = {"tp": tp, "fp": fp, "fn": fn, "tn": tn, "n": tp + fp + fn + tn}
    for name, (num, den) in _proportion_terms(tp, fp, fn, tn).items():
        out[name] = divide(name, num, den)
    out["balanced_accuracy"] = (out["recall"] + out["specificity"]) / 2.0
    out["f1"] = divide("f1", *_fbeta_terms(tp, fp, fn, 1.0))
    out["mcc"] = divide(
        "mcc", tp * tn - fp * fn, np.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn))
    )
    # kappa = (p_o - p_e) / (1 - p_e), written over counts; undefined when p_e = 1.
    out["cohen_kappa"] = divide(
        "cohen_kappa", 2.0 * (tp * tn - fn * fp), (tp + fp) * (fp + tn) + (tp + fn) * (fn + tn)
    )
    out["youden_j"] = out["recall"] + out["specificity"] - 1.0
    out["markedness"] = out["precision"] + out["npv"] - 1.0
    out["lr_positive"] = divide("lr_positive", tp * (fp + tn), fp * (tp + fn))
    out["lr_negative"] = divide("lr_negative", fn * (fp + tn), tn * (tp + fn))
    out["diagnostic_odds_ratio"] = divide("diagnostic_odds_ratio", tp * tn, fp * fn)
    out["auc_single_point"] = out["balanced_accuracy"]
    for alias, name in ALIASES.items():
        out[alias] = out[name]
    divide.emit(entry_names)
    return {key: out[key] for key in BINARY_KEYS}


def binary_intervals(
    tp: Any, fp: Any, fn: Any, tn: Any, *, level: float = 0.95, method: str = "wilson"
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Confidence intervals of the binary statistics that have a closed form, vectorized.

    Every proportion (prevalence, accuracy, recall, specificity, precision, NPV and the
    four error rates) gets a ``method`` interval from :func:`cxreval.intervals.proportion_ci`;
    the likelihood ratios and the diagnostic odds ratio get log-method intervals from
    :func:`cxreval.intervals.ratio_ci`. Aliases are included.

    Parameters
    ----------
    tp, fp, fn, tn : array-like of non-negative numbers
        True positives, false positives, false negatives, true negatives (scalars or
        arrays of one shape).
    level : float, default 0.95
        Confidence level in (0, 1).
    method : {"wilson", "clopper-pearson", "agresti-coull", "normal"}, default "wilson"
        Interval method of the proportions (see :func:`cxreval.intervals.proportion_ci`).

    Returns
    -------
    dict of str to tuple of numpy.ndarray
        ``(low, high)`` per statistic, each of the shape of the counts; NaN where the
        interval is undefined (no trials, or a zero cell under a ratio's logarithm).

    Examples
    --------
    >>> from cxreval.confusion import binary_intervals
    >>> low, high = binary_intervals(350, 60, 40, 174)["recall"]
    >>> print(f"{float(low):.4f} {float(high):.4f}")
    0.8633 0.9238
    """
    tp, fp, fn, tn = _as_counts(tp, fp, fn, tn)
    out = {
        name: proportion_ci(num, den, level=level, method=method)
        for name, (num, den) in _proportion_terms(tp, fp, fn, tn).items()
    }
    for name in RATIO_CI_METHODS:
        out[name] = ratio_ci(tp, fp, fn, tn, statistic=name, level=level)
    for alias, name in ALIASES.items():
        out[alias] = out[name]
    return out


def _one_vs_rest_counts(cm: np.ndarray) -> tuple[np.ndarray, ...]:
    """Per-class (tp, fp, fn, tn) of a K x K matrix, class k against the rest."""
    cm = cm.astype(float)
    tp = np.diag(cm)
    fp = cm.sum(axis=0) - tp
    fn = cm.sum(axis=1) - tp
    tn = cm.sum() - tp - fp - fn
    return tp, fp, fn, tn


# --------------------------------------------------------------------------- validation


def _check_confusion_matrix(cm: Any) -> np.ndarray:
    try:
        arr = np.asarray(cm)
    except Exception as exc:  # ragged nested lists and the like
        raise ValueError(f"cm could not be read as a matrix: {exc}") from exc
    if arr.dtype == bool or not (np.issubdtype(arr.dtype, np.number)):
        raise TypeError(f"cm must hold integer counts, got dtype {arr.dtype}")
    if np.iscomplexobj(arr):
        raise TypeError(f"cm must hold integer counts, got dtype {arr.dtype}")
    if arr.size == 0:
        raise ValueError("cm is empty")
    if arr.ndim != 2 or arr.shape[0] != arr.shape[1]:
        raise ValueError(f"cm must be a square K x K matrix, got shape {arr.shape}")
    if arr.shape[0] < 2:
        raise ValueError(f"cm must have at least 2 classes, got shape {arr.shape}")
    if np.issubdtype(arr.dtype, np.floating):
        if np.isnan(arr).any():
            raise ValueError("cm contains NaN")
        if not np.isfinite(arr).all():
            raise ValueError("cm contains infinite values")
        if (arr != np.round(arr)).any():
            raise ValueError("cm must hold integer counts, got non-integer values")
    if (arr < 0).any():
        raise ValueError("cm must hold non-negative counts, got a negative entry")
    if arr.sum() == 0:
        raise ValueError("cm is all zeros: there is nothing to evaluate")
    return arr.astype(np.int64)


def _check_labels(labels: Any, k: int, name: str = "labels") -> tuple:
    if labels is None:
        return tuple(range(k))
    if isinstance(labels, str) or not hasattr(labels, "__iter__"):
        raise TypeError(
            f"{name} must be a sequence of {k} class labels, got {type(labels).__name__}"
        )
    if isinstance(labels, np.ndarray):
        values = check_array_1d(labels, name).tolist()
    else:
        values = [to_plain(x) for x in labels]
    if len(values) != k:
        raise ValueError(f"{name} has {len(values)} entries but cm is {k} x {k}")
    if len(set(values)) != k:
        raise ValueError(f"{name} must be unique, got {values}")
    return tuple(values)


# ------------------------------------------------------------------------------ results


def _fmt(value: float) -> str:
    if np.isnan(value):
        return "NaN"
    return f"{value:.4f}"


def _fmt_ci(ci: tuple[float, float] | None) -> str:
    if ci is None:
        return ""
    low, high = ci
    if np.isnan(low):
        return "undefined"
    return f"[{low:.4f}, {high:.4f}]"


class _StatisticsMapping(Mapping):
    """Mapping and attribute access to ``self.statistics``; ``str`` is the table."""

    statistics: dict[str, float]

    def __getitem__(self, key: str) -> float:
        return self.statistics[key]

    def __iter__(self):
        return iter(self.statistics)

    def __len__(self) -> int:
        return len(self.statistics)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_") or name == "statistics":
            raise AttributeError(name)
        try:
            return self.statistics[name]
        except KeyError:
            raise AttributeError(f"{type(self).__name__} has no statistic {name!r}") from None

    def __str__(self) -> str:
        return self.table()

    def plot(self, ax: Any = None) -> Any:
        """Heatmap of the confusion matrix with counts and row percentages; returns the Axes."""
        from cxreval.plotting import plot_confusion_matrix

        return plot_confusion_matrix(self.confusion_matrix, labels=self.labels, ax=ax)


@dataclass(frozen=True, eq=False, repr=False)
class BinaryStatistics(_StatisticsMapping):
    """Statistics of a binary confusion matrix, for the ``positive`` class.

    Read a statistic as an attribute or a key (``s.recall``, ``s["recall"]``); the keys are
    :data:`BINARY_KEYS`. ``ci[name]`` is the ``(low, high)`` interval at ``level`` and
    ``ci_methods[name]`` names its method. ``str(s)`` is :meth:`table`.
    """

    confusion_matrix: np.ndarray
    labels: tuple
    positive: Any
    level: float
    ci_method: str
    zero_division: str | float
    statistics: dict[str, float]
    ci: dict[str, tuple[float, float]]

    @property
    def ci_methods(self) -> dict[str, str]:
        """The interval method of each statistic in ``ci``."""
        name = PROPORTION_CI_METHODS[self.ci_method]
        return {key: RATIO_CI_METHODS.get(key, name) for key in self.ci}

    def fbeta(self, beta: float) -> float:
        """F-beta score ``(1+b²)TP / ((1+b²)TP + b²FN + FP)`` of the positive class.

        Examples
        --------
        >>> import cxreval
        >>> s = cxreval.statmaker([[174, 60], [40, 350]])
        >>> print(f"{s.fbeta(1):.4f} {s.fbeta(2):.4f}")
        0.8750 0.8883
        """
        beta = _check_beta(beta)
        s = self.statistics
        divide = _Divider(self.zero_division)
        value = divide(f"f{beta:g}", *_fbeta_terms(s["tp"], s["fp"], s["fn"], beta))
        divide.emit(None)
        return float(value)

    def __repr__(self) -> str:
        return (
            f"BinaryStatistics(positive={self.positive!r}, n={int(self.statistics['n'])}, "
            f"recall={self.recall:.4f}, precision={self.precision:.4f}, f1={self.f1:.4f})"
        )

    def table(self) -> str:
        """Every statistic with its formula and its interval, as a text table."""
        pct = f"{self.level:.0%}"
        # rows are the true labels, columns the predicted ones, in the order of ``labels``
        first = list(self.labels).index(self.positive) == 0
        layout = "[[TP, FN], [FP, TN]]" if first else "[[TN, FP], [FN, TP]]"
        head = (
            f"statmaker: binary confusion matrix {layout}, labels {list(self.labels)}, "
            f"positive class {self.positive!r}, n = {int(self.n)}\n"
            f"{pct} CIs: {PROPORTION_CI_METHODS[self.ci_method]} for proportions, "
            "log method for likelihood ratios and the odds ratio"
        )
        rows = []
        for key in BINARY_KEYS:
            if key in ALIASES:
                continue
            value = self.statistics[key]
            aliases = [a for a, k in ALIASES.items() if k == key]
            name = key if not aliases else f"{key} ({', '.join(aliases)})"
            shown = str(int(value)) if key in ("tp", "fp", "fn", "tn", "n") else _fmt(value)
            rows.append(
                [
                    name,
                    shown,
                    _fmt_ci(self.ci.get(key)),
                    self.ci_methods.get(key, ""),
                    FORMULAS.get(key, ""),
                ]
            )
        body = tabulate(
            rows,
            headers=["statistic", "value", f"{pct} CI", "CI method", "formula"],
            colalign=("left", "right", "left", "left", "left"),
            disable_numparse=True,
        )
        return f"{head}\n{body}"

    def to_dict(self) -> dict[str, Any]:
        """Plain Python (JSON-ready) form: matrix, settings, statistics and intervals."""
        return to_plain(
            {
                "kind": "binary",
                "labels": self.labels,
                "positive": self.positive,
                "confusion_matrix": self.confusion_matrix,
                "level": self.level,
                "ci_method": self.ci_method,
                "zero_division": self.zero_division,
                "statistics": self.statistics,
                "ci": self.ci,
                "ci_methods": self.ci_methods,
            }
        )


def _check_beta(beta: Any) -> float:
    if isinstance(beta, bool) or not isinstance(beta, numbers.Real):
        raise TypeError(f"beta must be a positive number, got {type(beta).__name__}")
    if not (np.isfinite(beta) and beta > 0):
        raise ValueError(f"beta must be a positive finite number, got {beta!r}")
    return float(beta)


def _average(values: np.ndarray, weights: np.ndarray) -> float:
    """Weighted mean over the entries that are not NaN, as scikit-learn averages.

    NaN when every entry is NaN; the plain mean when the remaining weights are all zero.
    """
    keep = ~np.isnan(values)
    if not keep.any():
        return float("nan")
    if weights[keep].sum() == 0:
        return float(np.mean(values[keep]))
    return float(np.average(values[keep], weights=weights[keep]))


@dataclass(frozen=True, eq=False, repr=False)
class MulticlassStatistics(_StatisticsMapping):
    """Statistics of a K x K confusion matrix (K > 2).

    ``statistics`` (also as attributes and keys) holds ``n``, ``accuracy``,
    ``balanced_accuracy``, ``cohen_kappa``, ``mcc`` and ``{macro,micro,weighted}_{name}``
    for every name of :data:`AVERAGED_KEYS`. ``per_class[name]`` is the one-vs-rest value of
    each binary statistic per class (in ``labels`` order), ``per_class_ci[name]`` its
    ``(low, high)`` arrays; :meth:`for_class` gives one class as a :class:`BinaryStatistics`.
    """

    confusion_matrix: np.ndarray
    labels: tuple
    level: float
    ci_method: str
    zero_division: str | float
    statistics: dict[str, float]
    ci: dict[str, tuple[float, float]]
    per_class: dict[str, np.ndarray]
    per_class_ci: dict[str, tuple[np.ndarray, np.ndarray]]

    def for_class(self, label: Any) -> BinaryStatistics:
        """One class against the rest, as a binary result (labels ``("rest", label)``)."""
        if label not in self.labels:
            raise ValueError(f"label={label!r} is not one of labels {list(self.labels)}")
        k = self.labels.index(label)
        tp, fp, fn, tn = (int(c[k]) for c in _one_vs_rest_counts(self.confusion_matrix))
        return statmaker(
            [[tn, fp], [fn, tp]],
            labels=("rest", label) if label != "rest" else ("others", label),
            positive=label,
            level=self.level,
            ci_method=self.ci_method,
            zero_division=self.zero_division,
        )

    def fbeta(self, beta: float, *, average: str | None = "macro") -> float | np.ndarray:
        """F-beta per class (``average=None``) or its macro / micro / weighted average.

        Examples
        --------
        >>> import cxreval
        >>> s = cxreval.statmaker([[5, 1, 0], [2, 6, 1], [0, 1, 4]])
        >>> print(f"{s.fbeta(2, average='macro'):.4f}")
        0.7628
        """
        beta = _check_beta(beta)
        if average not in (None, "macro", "micro", "weighted"):
            raise ValueError(
                f'average must be None, "macro", "micro" or "weighted", got {average!r}'
            )
        tp, fp, fn, _ = _one_vs_rest_counts(self.confusion_matrix)
        divide = _Divider(self.zero_division)
        if average == "micro":
            value = divide(f"f{beta:g}", *_fbeta_terms(tp.sum(), fp.sum(), fn.sum(), beta))
            divide.emit(None)
            return float(value)
        per_class = divide(f"f{beta:g}", *_fbeta_terms(tp, fp, fn, beta))
        divide.emit(self.labels)
        if average is None:
            return per_class
        weights = np.ones_like(tp) if average == "macro" else tp + fn
        return _average(per_class, weights)

    def __repr__(self) -> str:
        return (
            f"MulticlassStatistics(labels={list(self.labels)}, n={int(self.n)}, "
            f"accuracy={self.accuracy:.4f}, macro_f1={self.macro_f1:.4f}, mcc={self.mcc:.4f})"
        )

    def table(self) -> str:
        """Overall statistics, then one row per class and per average."""
        pct = f"{self.level:.0%}"
        method = PROPORTION_CI_METHODS[self.ci_method]
        head = (
            f"statmaker: {len(self.labels)}-class confusion matrix (rows true, columns "
            f"predicted), labels {list(self.labels)}, n = {int(self.n)}\n"
            f"{pct} CIs: {method}; per-class statistics are one-vs-rest"
        )
        overall = [
            ["accuracy", _fmt(self.accuracy), _fmt_ci(self.ci["accuracy"]), method],
            ["balanced_accuracy", _fmt(self.balanced_accuracy), "", ""],
            ["cohen_kappa", _fmt(self.cohen_kappa), "", ""],
            ["mcc (multi-class)", _fmt(self.mcc), "", ""],
        ]
        overall_text = tabulate(
            overall, headers=["statistic", "value", f"{pct} CI", "CI method"], disable_numparse=True
        )
        shown = ("precision", "recall", "specificity", "npv", "f1")
        rows = []
        support = self.per_class["tp"] + self.per_class["fn"]
        for k, label in enumerate(self.labels):
            row = [str(label), int(support[k])]
            for key in shown:
                low, high = self.per_class_ci.get(key, (None, None))
                value = _fmt(self.per_class[key][k])
                if low is not None:
                    value += " " + _fmt_ci((low[k], high[k]))
                row.append(value)
            rows.append(row)
        for avg in ("macro", "micro", "weighted"):
            rows.append(
                [f"{avg} avg", int(support.sum())]
                + [_fmt(self.statistics[f"{avg}_{key}"]) for key in shown]
            )
        per_class_text = tabulate(rows, headers=["class", "support", *shown], disable_numparse=True)
        return f"{head}\n{overall_text}\n\n{per_class_text}"

    def to_dict(self) -> dict[str, Any]:
        """Plain Python (JSON-ready) form, per-class values keyed by label."""
        labels = [str(label) for label in to_plain(self.labels)]
        return to_plain(
            {
                "kind": "multiclass",
                "labels": self.labels,
                "confusion_matrix": self.confusion_matrix,
                "level": self.level,
                "ci_method": self.ci_method,
                "zero_division": self.zero_division,
                "statistics": self.statistics,
                "ci": self.ci,
                "per_class": {
                    label: {key: v[k] for key, v in self.per_class.items()}
                    for k, label in enumerate(labels)
                },
                "per_class_ci": {
                    label: {key: (lo[k], hi[k]) for key, (lo, hi) in self.per_class_ci.items()}
                    for k, label in enumerate(labels)
                },
            }
        )


# ---------------------------------------------------------------------------- statmaker


def statmaker(
    cm: Any,
    *,
    labels: Any = None,
    positive: Any = None,
    level: float = 0.95,
    ci_method: str = "wilson",
    zero_division: str | float = "warn",
) -> BinaryStatistics | MulticlassStatistics:
    """Confusion-matrix statistics with confidence intervals.

    Parameters
    ----------
    cm : array-like of shape (K, K)
        Non-negative integer counts, true classes in rows and predicted classes in
        columns; a binary matrix is ``[[TN, FP], [FN, TP]]``.
    labels : sequence of K labels, optional
        Names of the classes in matrix order; default ``0 .. K-1``.
    positive : label, optional
        Positive class of a binary matrix; default the second label. Only for K = 2 (use
        :meth:`MulticlassStatistics.for_class` for one class of K).
    level : float, default 0.95
        Confidence level of every interval.
    ci_method : {"wilson", "clopper-pearson", "agresti-coull", "normal"}, default "wilson"
        Interval method for the proportions; the likelihood ratios and the diagnostic odds
        ratio always use the log method.
    zero_division : {"warn", 0.0, 1.0, numpy.nan}, default "warn"
        Value of a statistic whose denominator is zero: ``"warn"`` gives NaN and an
        :class:`UndefinedStatisticWarning`. Averages skip NaN classes, as scikit-learn's
        ``zero_division=np.nan`` does.

    Returns
    -------
    BinaryStatistics or MulticlassStatistics
        A binary result for K = 2, a multi-class one for K > 2.

    Examples
    --------
    >>> import cxreval
    >>> s = cxreval.statmaker([[174, 60], [40, 350]])  # [[TN, FP], [FN, TP]]
    >>> print(f"{s.recall:.4f} {s['precision']:.4f} {s.f1:.4f} {s.auc_single_point:.4f}")
    0.8974 0.8537 0.8750 0.8205
    >>> low, high = s.ci["recall"]
    >>> print(f"{low:.4f} {high:.4f} ({s.ci_methods['recall']})")
    0.8633 0.9238 (Wilson)
    >>> m = cxreval.statmaker([[5, 1, 0], [2, 6, 1], [0, 1, 4]], labels=["a", "b", "c"])
    >>> print(f"{m.accuracy:.4f} {m.macro_f1:.4f} {m.mcc:.4f}")
    0.7500 0.7584 0.6192
    """
    matrix = _check_confusion_matrix(cm)
    k = matrix.shape[0]
    names = _check_labels(labels, k)
    level = check_level(level)
    if ci_method not in PROPORTION_CI_METHODS:
        raise ValueError(
            f"ci_method must be one of {sorted(PROPORTION_CI_METHODS)}, got {ci_method!r}"
        )
    zero_division = _check_zero_division(zero_division)
    counts = _one_vs_rest_counts(matrix)
    if k == 2:
        positive = names[1] if positive is None else to_plain(positive)
        if positive not in names:
            raise ValueError(f"positive={positive!r} is not one of labels {list(names)}")
        i = names.index(positive)
        tp, fp, fn, tn = (c[i] for c in counts)
        values = binary_statistics(tp, fp, fn, tn, zero_division=zero_division)
        cis = binary_intervals(tp, fp, fn, tn, level=level, method=ci_method)
        return BinaryStatistics(
            confusion_matrix=matrix,
            labels=names,
            positive=positive,
            level=level,
            ci_method=ci_method,
            zero_division=zero_division,
            statistics={key: float(v) for key, v in values.items()},
            ci={key: (float(lo), float(hi)) for key, (lo, hi) in cis.items()},
        )
    if positive is not None:
        raise ValueError(
            f"positive= applies to a binary matrix, but cm is {k} x {k}; per-class "
            "statistics are one-vs-rest, see MulticlassStatistics.for_class"
        )
    return _multiclass(matrix, names, level, ci_method, zero_division, counts)


def _multiclass(matrix, names, level, ci_method, zero_division, counts) -> MulticlassStatistics:
    tp, fp, fn, tn = counts
    per_class = binary_statistics(tp, fp, fn, tn, zero_division=zero_division, entry_names=names)
    per_class_ci = binary_intervals(tp, fp, fn, tn, level=level, method=ci_method)
    n = float(matrix.sum())
    true_totals = matrix.sum(axis=1).astype(float)
    pred_totals = matrix.sum(axis=0).astype(float)
    correct = float(np.trace(matrix))
    divide = _Divider(zero_division)
    stats_: dict[str, float] = {"n": n, "accuracy": correct / n}
    # scikit-learn: macro recall over the classes that occur in y_true.
    present = true_totals > 0
    stats_["balanced_accuracy"] = float(np.mean(tp[present] / true_totals[present]))
    chance = float(true_totals @ pred_totals)
    stats_["cohen_kappa"] = float(divide("cohen_kappa", n * correct - chance, n * n - chance))
    stats_["mcc"] = float(
        divide(
            "mcc",
            correct * n - chance,
            np.sqrt((n * n - pred_totals @ pred_totals) * (n * n - true_totals @ true_totals)),
        )
    )
    micro = binary_statistics(tp.sum(), fp.sum(), fn.sum(), tn.sum(), zero_division=zero_division)
    for key in AVERAGED_KEYS:
        stats_[f"macro_{key}"] = _average(per_class[key], np.ones_like(tp))
        stats_[f"micro_{key}"] = float(micro[key])
        stats_[f"weighted_{key}"] = _average(per_class[key], true_totals)
    divide.emit(None)
    low, high = proportion_ci(correct, n, level=level, method=ci_method)
    return MulticlassStatistics(
        confusion_matrix=matrix,
        labels=names,
        level=level,
        ci_method=ci_method,
        zero_division=zero_division,
        statistics=stats_,
        ci={"accuracy": (float(low), float(high))},
        per_class=per_class,
        per_class_ci=per_class_ci,
    )


# ---------------------------------------------------------------- from predictions


def _kind(arr: np.ndarray) -> str:
    return "number" if arr.dtype.kind in "biuf" else "text"


def _unknown(values: np.ndarray, labels: np.ndarray, name: str) -> None:
    missing = np.setdiff1d(values, labels)
    if missing.size:
        raise ValueError(f"{name} contains values that are not in labels: {missing.tolist()[:10]}")


def _confusion_matrix_and_labels(y_true: Any, y_pred: Any, labels: Any) -> tuple:
    t = check_array_1d(y_true, "y_true")
    p = check_array_1d(y_pred, "y_pred")
    n = check_consistent_length(y_true=t, y_pred=p)
    for arr, name in ((t, "y_true"), (p, "y_pred")):
        if arr.dtype.kind == "f" and np.isnan(arr).any():
            raise ValueError(f"{name} contains NaN")
    if _kind(t) != _kind(p):
        raise TypeError(f"y_true ({t.dtype}) and y_pred ({p.dtype}) mix numbers and text labels")
    lab = None
    if labels is not None:
        lab = check_array_1d(labels, "labels")
        if len(np.unique(lab)) != len(lab):
            raise ValueError(f"labels must be unique, got {lab.tolist()}")
        if _kind(lab) != _kind(t):
            raise TypeError(f"labels ({lab.dtype}) and y_true ({t.dtype}) are of different kinds")
    if t.dtype.kind in "biu" and p.dtype.kind in "biu" and (lab is None or lab.dtype.kind in "biu"):
        cm_lab = _integer_confusion_matrix(t, p, lab)
        if cm_lab is not None:
            return cm_lab
    try:
        uniq, inverse = np.unique(np.concatenate([t, p]), return_inverse=True)
    except TypeError as exc:
        raise TypeError(f"y_true and y_pred hold labels that cannot be sorted: {exc}") from exc
    inverse = inverse.ravel()
    if lab is None:
        lab, codes = uniq, inverse
    else:
        order = np.argsort(lab, kind="stable")
        where = np.searchsorted(lab[order], uniq).clip(0, len(lab) - 1)
        found = lab[order][where] == uniq
        if not found.all():
            _unknown(uniq, lab, "y_true or y_pred")
        codes = order[where][inverse]
    k = len(lab)
    pairs = codes[:n].astype(np.int64) * k + codes[n:]
    cm = np.bincount(pairs, minlength=k * k).reshape(k, k)
    return cm, lab


def _integer_confusion_matrix(t: np.ndarray, p: np.ndarray, lab: np.ndarray | None):
    """np.bincount over encoded pairs; None when the label range is too wide for it."""
    lo = min(int(t.min()), int(p.min()))
    hi = max(int(t.max()), int(p.max()))
    if lab is not None:
        lo, hi = min(lo, int(lab.min())), max(hi, int(lab.max()))
    span = hi - lo + 1
    if span * span > 1 << 22:
        return None
    code = t.astype(np.int64) * span
    code += p
    if lo:
        code -= lo * (span + 1)
    counts = np.bincount(code, minlength=span * span).reshape(span, span)
    if lab is None:
        idx = np.flatnonzero(counts.sum(axis=0) + counts.sum(axis=1))
        lab = idx + lo
    else:
        idx = lab.astype(np.int64) - lo
        cm = counts[np.ix_(idx, idx)]
        if cm.sum() != len(t):
            _unknown(np.concatenate([np.unique(t), np.unique(p)]), lab, "y_true or y_pred")
        return cm, lab
    return counts[np.ix_(idx, idx)], lab


def confusion_matrix(y_true: Any, y_pred: Any, *, labels: Any = None) -> np.ndarray:
    """Confusion matrix of predictions, fast: true classes in rows, predictions in columns.

    Integer labels are counted with one ``np.bincount`` over encoded (true, predicted)
    pairs, other labels after one ``np.unique`` over both arrays. Unlike scikit-learn, a
    value missing from ``labels`` raises instead of silently dropping samples.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n,)
        True and predicted labels (numbers, booleans or strings, of one kind).
    labels : sequence, optional
        Classes in matrix order; default the sorted union of both arrays. It may list
        classes that occur in neither (their rows and columns are zero).

    Returns
    -------
    numpy.ndarray of shape (K, K), dtype int64
        Counts with the true classes in rows and the predicted ones in columns.

    Examples
    --------
    >>> from cxreval.confusion import confusion_matrix
    >>> confusion_matrix([0, 1, 1, 1], [0, 1, 0, 1])
    array([[1, 0],
           [1, 2]])
    >>> confusion_matrix(["cat", "dog"], ["dog", "dog"], labels=["dog", "cat"])
    array([[1, 0],
           [1, 0]])
    """
    return _confusion_matrix_and_labels(y_true, y_pred, labels)[0]


def statmaker_from_predictions(
    y_true: Any,
    y_pred: Any = None,
    *,
    y_score: Any = None,
    threshold: float = 0.5,
    labels: Any = None,
    positive: Any = None,
    level: float = 0.95,
    ci_method: str = "wilson",
    zero_division: str | float = "warn",
) -> BinaryStatistics | MulticlassStatistics:
    """:func:`statmaker` of the confusion matrix of predicted labels or thresholded scores.

    Parameters
    ----------
    y_true : array-like of shape (n,)
        True labels.
    y_pred : array-like of shape (n,), optional
        Predicted labels. Give exactly one of ``y_pred`` and ``y_score``.
    y_score : array-like of shape (n,), optional
        Binary case: a score for the ``positive`` class; a sample is predicted positive
        when ``y_score >= threshold``.
    threshold : float, default 0.5
        Decision threshold for ``y_score``.
    labels, positive, level, ci_method, zero_division
        As in :func:`statmaker`. ``labels`` defaults to the sorted union of the labels.

    Returns
    -------
    BinaryStatistics or MulticlassStatistics
        A binary result for two labels, a multi-class one for more.

    Examples
    --------
    >>> import cxreval
    >>> s = cxreval.statmaker_from_predictions([0, 0, 1, 1], y_score=[0.1, 0.6, 0.4, 0.9])
    >>> s.confusion_matrix.tolist(), s.recall
    ([[1, 1], [1, 1]], 0.5)
    """
    if (y_pred is None) == (y_score is None):
        raise ValueError("give exactly one of y_pred and y_score")
    if y_score is not None:
        is_positive, positive = check_binary_target(y_true, positive=positive)
        score = check_scores(y_score)
        check_consistent_length(y_true=is_positive, y_score=score)
        threshold = check_threshold(threshold)
        y = check_array_1d(y_true, "y_true")
        negative = y[~is_positive][0]
        y_pred = np.where(score >= threshold, np.asarray(positive, dtype=y.dtype), negative)
    cm, names = _confusion_matrix_and_labels(y_true, y_pred, labels)
    if len(names) < 2:
        raise ValueError(
            f"y_true and y_pred hold one class only ({names.tolist()}); pass labels= with "
            "all classes"
        )
    return statmaker(
        cm,
        labels=names,
        positive=positive,
        level=level,
        ci_method=ci_method,
        zero_division=zero_division,
    )
