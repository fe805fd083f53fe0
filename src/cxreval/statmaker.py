"""statmaker: confusion-matrix statistics with confidence intervals.

:func:`statmaker` turns a confusion matrix (true classes in rows, predicted classes in
columns, so a binary one is ``[[TN, FP], [FN, TP]]``) into every statistic users know from
PyCM with the definitions of scikit-learn; :func:`binary_statistics` is the one vectorized
place where the statistics are computed from counts, shared by the binary result, the
per-class (one-vs-rest) multi-class path and anyone who resamples counts. The statistics
themselves (names, formulas, ranges, aliases) are listed in ``cxreval._statistics``.

One job -- statmaker and its two results -- hence longer than most modules.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from tabulate import tabulate

from cxreval._checks import (
    check_array_1d,
    check_beta,
    check_binary_target,
    check_class_names,
    check_confusion_matrix,
    check_consistent_length,
    check_level,
    check_scores,
    check_threshold,
    check_zero_division,
)
from cxreval._plain import to_plain
from cxreval._result import Result
from cxreval._statistics import (
    ALIASES,
    AVERAGED_KEYS,
    BINARY_KEYS,
    FORMULAS,
    Divider,
    as_counts,
    fbeta_terms,
    nan_average,
    proportion_terms,
)
from cxreval.confusion import confusion_matrix_with_labels, one_vs_rest_counts
from cxreval.intervals import PROPORTION_CI_METHODS, RATIO_CI_METHODS, proportion_ci, ratio_ci

__all__ = [
    "BinaryStatistics",
    "MulticlassStatistics",
    "binary_intervals",
    "binary_statistics",
    "statmaker",
    "statmaker_from_predictions",
]


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
    """Every binary statistic of ``cxreval._statistics.BINARY_KEYS`` from counts, vectorized.

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
        Names of the entries (e.g. class labels), one per entry of the counts, used in
        the warning only.
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
        One array per key of ``cxreval._statistics.BINARY_KEYS`` (aliases included).

    Examples
    --------
    >>> from cxreval.statmaker import binary_statistics
    >>> s = binary_statistics(350, 60, 40, 174)
    >>> print(f"{float(s['recall']):.4f} {float(s['precision']):.4f} {float(s['f1']):.4f}")
    0.8974 0.8537 0.8750
    >>> binary_statistics([350, 340], [60, 70], [40, 50], [174, 164])["recall"].round(4)
    array([0.8974, 0.8718])
    """
    tp, fp, fn, tn = as_counts(tp, fp, fn, tn)
    if entry_names is not None:
        if isinstance(entry_names, str) or not hasattr(entry_names, "__len__"):
            raise TypeError(
                f"entry_names must be a sequence of {tp.size} names, "
                f"got {type(entry_names).__name__}"
            )
        if len(entry_names) != tp.size:
            raise ValueError(
                f"entry_names has {len(entry_names)} names but the counts have {tp.size} "
                f"entries (shape {tp.shape})"
            )
    divide = Divider(check_zero_division(zero_division), bool(infinite_ratios))
    out: dict[str, np.ndarray] = {"tp": tp, "fp": fp, "fn": fn, "tn": tn, "n": tp + fp + fn + tn}
    for name, (num, den) in proportion_terms(tp, fp, fn, tn).items():
        out[name] = divide(name, num, den)
    out["balanced_accuracy"] = (out["recall"] + out["specificity"]) / 2.0
    out["f1"] = divide("f1", *fbeta_terms(tp, fp, fn, 1.0))
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
    tp: Any, fp: Any, fn: Any, tn: Any, *, level: float = 0.95, ci_method: str = "wilson"
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Confidence intervals of the binary statistics that have a closed form, vectorized.

    Every proportion (prevalence, accuracy, recall, specificity, precision, NPV and the
    four error rates) gets a ``ci_method`` interval from :func:`cxreval.intervals.proportion_ci`;
    the likelihood ratios and the diagnostic odds ratio get log-method intervals from
    :func:`cxreval.intervals.ratio_ci`. Aliases are included.

    Parameters
    ----------
    tp, fp, fn, tn : array-like of non-negative numbers
        True positives, false positives, false negatives, true negatives (scalars or
        arrays of one shape).
    level : float, default 0.95
        Confidence level in (0, 1).
    ci_method : {"wilson", "clopper-pearson", "agresti-coull", "normal"}, default "wilson"
        Interval method of the proportions (see :func:`cxreval.intervals.proportion_ci`).

    Returns
    -------
    dict of str to tuple of numpy.ndarray
        ``(low, high)`` per statistic, each of the shape of the counts; NaN where the
        interval is undefined (no trials, or a zero cell under a ratio's logarithm).

    Examples
    --------
    >>> from cxreval.statmaker import binary_intervals
    >>> low, high = binary_intervals(350, 60, 40, 174)["recall"]
    >>> print(f"{float(low):.4f} {float(high):.4f}")
    0.8633 0.9238
    """
    tp, fp, fn, tn = as_counts(tp, fp, fn, tn)
    out = {
        name: proportion_ci(num, den, level=level, ci_method=ci_method)
        for name, (num, den) in proportion_terms(tp, fp, fn, tn).items()
    }
    for name in RATIO_CI_METHODS:
        out[name] = ratio_ci(tp, fp, fn, tn, statistic=name, level=level)
    for alias, name in ALIASES.items():
        out[alias] = out[name]
    return out


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


class _StatisticsMapping(Result, Mapping):
    """Mapping and attribute access to ``self.statistics``; ``str`` is the table and
    ``plot`` the heatmap of the confusion matrix (counts and row percentages)."""

    plotter = "plot_statistics"

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


@dataclass(frozen=True, eq=False, repr=False)
class BinaryStatistics(_StatisticsMapping):
    """Statistics of a binary confusion matrix, for the ``positive`` class.

    Read a statistic as an attribute or a key (``s.recall``, ``s["recall"]``); the keys are
    ``cxreval._statistics.BINARY_KEYS``. ``ci[name]`` is the ``(low, high)`` interval at
    ``level`` and ``ci_methods[name]`` names its method. ``str(s)`` is :meth:`table`.
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
        beta = check_beta(beta)
        s = self.statistics
        divide = Divider(self.zero_division)
        value = divide(f"f{beta:g}", *fbeta_terms(s["tp"], s["fp"], s["fn"], beta))
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


@dataclass(frozen=True, eq=False, repr=False)
class MulticlassStatistics(_StatisticsMapping):
    """Statistics of a K x K confusion matrix (K > 2).

    ``statistics`` (also as attributes and keys) holds ``n``, ``accuracy``,
    ``balanced_accuracy``, ``cohen_kappa``, ``mcc`` and ``{macro,micro,weighted}_{name}``
    for every name of ``cxreval._statistics.AVERAGED_KEYS``. ``per_class[name]`` is the
    one-vs-rest value of each binary statistic per class (in ``labels`` order),
    ``per_class_ci[name]`` its ``(low, high)`` arrays; :meth:`for_class` gives one class as
    a :class:`BinaryStatistics`.
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
        tp, fp, fn, tn = (int(c[k]) for c in one_vs_rest_counts(self.confusion_matrix))
        return statmaker(
            [[tn, fp], [fn, tp]],
            labels=("rest", label) if label != "rest" else ("others", label),
            pos_label=label,
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
        beta = check_beta(beta)
        if average not in (None, "macro", "micro", "weighted"):
            raise ValueError(
                f'average must be None, "macro", "micro" or "weighted", got {average!r}'
            )
        tp, fp, fn, _ = one_vs_rest_counts(self.confusion_matrix)
        divide = Divider(self.zero_division)
        if average == "micro":
            value = divide(f"f{beta:g}", *fbeta_terms(tp.sum(), fp.sum(), fn.sum(), beta))
            divide.emit(None)
            return float(value)
        per_class = divide(f"f{beta:g}", *fbeta_terms(tp, fp, fn, beta))
        divide.emit(self.labels)
        if average is None:
            return per_class
        weights = np.ones_like(tp) if average == "macro" else tp + fn
        return nan_average(per_class, weights)

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


def statmaker(
    cm: Any,
    *,
    labels: Any = None,
    pos_label: Any = None,
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
    pos_label : label, optional
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
    matrix = check_confusion_matrix(cm)
    k = matrix.shape[0]
    names = check_class_names(labels, k)
    level = check_level(level)
    if ci_method not in PROPORTION_CI_METHODS:
        raise ValueError(
            f"ci_method must be one of {sorted(PROPORTION_CI_METHODS)}, got {ci_method!r}"
        )
    zero_division = check_zero_division(zero_division)
    counts = one_vs_rest_counts(matrix)
    if k == 2:
        positive = names[1] if pos_label is None else to_plain(pos_label)
        if positive not in names:
            raise ValueError(f"pos_label={positive!r} is not one of labels {list(names)}")
        i = names.index(positive)
        tp, fp, fn, tn = (c[i] for c in counts)
        values = binary_statistics(tp, fp, fn, tn, zero_division=zero_division)
        cis = binary_intervals(tp, fp, fn, tn, level=level, ci_method=ci_method)
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
    if pos_label is not None:
        raise ValueError(
            f"pos_label= applies to a binary matrix, but cm is {k} x {k}; per-class "
            "statistics are one-vs-rest, see MulticlassStatistics.for_class"
        )
    return _multiclass(matrix, names, level, ci_method, zero_division, counts)


def _multiclass(matrix, names, level, ci_method, zero_division, counts) -> MulticlassStatistics:
    tp, fp, fn, tn = counts
    per_class = binary_statistics(tp, fp, fn, tn, zero_division=zero_division, entry_names=names)
    per_class_ci = binary_intervals(tp, fp, fn, tn, level=level, ci_method=ci_method)
    n = float(matrix.sum())
    true_totals = matrix.sum(axis=1).astype(float)
    pred_totals = matrix.sum(axis=0).astype(float)
    correct = float(np.trace(matrix))
    divide = Divider(zero_division)
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
        stats_[f"macro_{key}"] = nan_average(per_class[key], np.ones_like(tp))
        stats_[f"micro_{key}"] = float(micro[key])
        stats_[f"weighted_{key}"] = nan_average(per_class[key], true_totals)
    divide.emit(None)
    low, high = proportion_ci(correct, n, level=level, ci_method=ci_method)
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


def statmaker_from_predictions(
    y_true: Any,
    y_pred: Any = None,
    *,
    y_score: Any = None,
    threshold: float = 0.5,
    labels: Any = None,
    pos_label: Any = None,
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
        Binary case: a score for the ``pos_label`` class; a sample is predicted positive
        when ``y_score >= threshold``.
    threshold : float, default 0.5
        Decision threshold for ``y_score``.
    labels, pos_label, level, ci_method, zero_division
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
        is_positive, pos_label = check_binary_target(y_true, pos_label=pos_label)
        score = check_scores(y_score)
        check_consistent_length(y_true=is_positive, y_score=score)
        threshold = check_threshold(threshold)
        y = check_array_1d(y_true, "y_true")
        negative = y[~is_positive][0]
        y_pred = np.where(score >= threshold, np.asarray(pos_label, dtype=y.dtype), negative)
    cm, names = confusion_matrix_with_labels(y_true, y_pred, labels)
    if len(names) < 2:
        raise ValueError(
            f"y_true and y_pred hold one class only ({names.tolist()}); pass labels= with "
            "all classes"
        )
    return statmaker(
        cm,
        labels=names,
        pos_label=pos_label,
        level=level,
        ci_method=ci_method,
        zero_division=zero_division,
    )
