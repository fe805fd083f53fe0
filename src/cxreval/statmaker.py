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
from dataclasses import KW_ONLY, dataclass, field, replace
from typing import Any

import numpy as np
from tabulate import tabulate

from cxreval._checks import (
    check_alternative,
    check_array_1d,
    check_beta,
    check_binary_target,
    check_choice,
    check_class_names,
    check_confusion_matrix,
    check_consistent_length,
    check_groups,
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
    KAPPA_WEIGHTS,
    Divider,
    agreement_weights,
    as_counts,
    fbeta_terms,
    kappa_terms,
    nan_average,
    nir_p_value,
    proportion_terms,
)
from cxreval.clustered import clustered_ci_method, clustered_proportions
from cxreval.confusion import confusion_matrix_with_labels, one_vs_rest_counts
from cxreval.intervals import (
    KAPPA_CI_METHODS,
    PROPORTION_CI_METHODS,
    RATIO_CI_METHODS,
    SIDES,
    kappa_ci,
    proportion_ci,
    ratio_ci,
)

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
    out["no_information_rate"] = divide(
        "no_information_rate", np.maximum(tp + fn, fp + tn), out["n"]
    )
    out["balanced_accuracy"] = (out["recall"] + out["specificity"]) / 2.0
    out["g_mean"] = np.sqrt(out["recall"] * out["specificity"])
    out["f1"] = divide("f1", *fbeta_terms(tp, fp, fn, 1.0))
    out["jaccard"] = divide("jaccard", tp, tp + fp + fn)
    out["mcc"] = divide(
        "mcc", tp * tn - fp * fn, np.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn))
    )
    # kappa = (p_o - p_e) / (1 - p_e), written over counts; undefined when p_e = 1.
    out["cohen_kappa"] = divide(
        "cohen_kappa", 2.0 * (tp * tn - fn * fp), (tp + fp) * (fp + tn) + (tp + fn) * (fn + tn)
    )
    # pi_pos = a / 2n and pi_neg = b / 2n: the mean of the row and column shares
    a, b = 2.0 * tp + fp + fn, 2.0 * tn + fp + fn
    out["scott_pi"] = divide("scott_pi", 4.0 * out["n"] * (tp + tn) - a * a - b * b, 2.0 * a * b)
    out["gwet_ac1"] = divide(
        "gwet_ac1", 2.0 * out["n"] * (tp + tn) - a * b, 2.0 * out["n"] ** 2 - a * b
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
    tp: Any,
    fp: Any,
    fn: Any,
    tn: Any,
    *,
    level: float = 0.95,
    ci_method: str = "wilson",
    alternative: str = "two-sided",
    kappa_ci_method: str = "fleiss-cohen-everitt",
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Confidence intervals of the binary statistics that have a closed form, vectorized.

    Every proportion (prevalence, accuracy, recall, specificity, precision, NPV and the
    four error rates) gets a ``ci_method`` interval from :func:`cxreval.intervals.proportion_ci`;
    the likelihood ratios and the diagnostic odds ratio get log-method intervals from
    :func:`cxreval.intervals.ratio_ci`; Cohen's kappa gets a normal interval with the
    ``kappa_ci_method`` standard error from :func:`cxreval.intervals.kappa_ci`. Aliases
    are included.

    Parameters
    ----------
    tp, fp, fn, tn : array-like of non-negative numbers
        True positives, false positives, false negatives, true negatives (scalars or
        arrays of one shape).
    level : float, default 0.95
        Confidence level in (0, 1).
    ci_method : {"wilson", "clopper-pearson", "agresti-coull", "normal", "jeffreys", \
"wilson-cc"}, default "wilson"
        Interval method of the proportions (see :func:`cxreval.intervals.proportion_ci`).
    alternative : {"two-sided", "greater", "less"}, default "two-sided"
        ``"greater"``: one-sided lower bounds (``high`` is the top of the range);
        ``"less"``: one-sided upper bounds (``low`` is the bottom of the range).
    kappa_ci_method : {"fleiss-cohen-everitt", "cohen"}, default "fleiss-cohen-everitt"
        Standard error of Cohen's kappa: Fleiss, Cohen & Everitt (1969), as statsmodels,
        or Cohen (1960), as PyCM (see :func:`cxreval.intervals.kappa_ci`).

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
    sides = {"level": level, "alternative": alternative}
    out = {
        name: proportion_ci(num, den, ci_method=ci_method, **sides)
        for name, (num, den) in proportion_terms(tp, fp, fn, tn).items()
    }
    for name in RATIO_CI_METHODS:
        out[name] = ratio_ci(tp, fp, fn, tn, statistic=name, **sides)
    matrices = np.stack([np.stack([tn, fp], axis=-1), np.stack([fn, tp], axis=-1)], axis=-2)
    out["cohen_kappa"] = kappa_ci(matrices, kappa_ci_method=kappa_ci_method, **sides)[2:]
    for alias, name in ALIASES.items():
        out[alias] = out[name]
    return out


def _extra_lines(result: Any) -> str:
    """The lines a table adds below its header: sides, weights, the NIR p-value."""
    lines = []
    if result.alternative != "two-sided":
        lines.append(f"intervals are {SIDES[result.alternative]}s")
    if result.sample_weighted:
        lines.append(
            "counts are sums of sample weights"
            + ("" if _whole(result.confusion_matrix) else "; no intervals for non-integer weights")
        )
    p = result.p_values.get("no_information_rate", np.nan)
    lines.append(
        f"accuracy > no-information rate: p = {p:.4g} (one-sided binomial test)"
        if not np.isnan(p)
        else "accuracy > no-information rate: p undefined"
    )
    return "\n".join(lines)


def _whole(matrix: np.ndarray) -> bool:
    return bool((matrix == np.round(matrix)).all())


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


@dataclass(frozen=True, eq=False, repr=False)
class _StatisticsMapping(Result, Mapping):
    """Mapping and attribute access to ``self.statistics``; ``str`` is the table and
    ``plot`` the heatmap of the confusion matrix (counts and row percentages). The
    keyword-only fields below are shared by the binary and the multi-class result."""

    plotter = "plot_statistics"

    statistics: dict[str, float]
    _: KW_ONLY
    alternative: str = "two-sided"
    kappa_ci_method: str = "fleiss-cohen-everitt"
    standard_errors: dict[str, float] = field(default_factory=dict)
    p_values: dict[str, float] = field(default_factory=dict)
    sample_weighted: bool = False

    @property
    def ci_methods(self) -> dict[str, str]:
        """The interval method of each statistic in ``ci``."""
        name = PROPORTION_CI_METHODS[self.ci_method]
        if getattr(self, "n_clusters", None) is not None:
            name = clustered_ci_method(self.ci_method)
        kappa = KAPPA_CI_METHODS[self.kappa_ci_method]
        weighted = KAPPA_CI_METHODS["fleiss-cohen-everitt"]  # the only SE of weighted kappas
        return {
            key: weighted
            if key.startswith("cohen_kappa_")
            else kappa
            if key == "cohen_kappa"
            else RATIO_CI_METHODS.get(key, name)
            for key in self.ci
        }

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
    ``level`` and ``ci_methods[name]`` names its method (one-sided bounds when
    ``alternative`` is ``"greater"`` or ``"less"``). ``standard_errors["cohen_kappa"]`` is
    kappa's standard error (``kappa_ci_method``) and ``p_values["no_information_rate"]``
    the one-sided binomial p-value that the accuracy exceeds the no-information rate.
    ``sample_weighted`` marks a matrix of summed sample weights. ``str(s)`` is :meth:`table`.

    With ``groups=`` (:func:`statmaker_from_predictions`) ``n_clusters`` is the number of
    patients, ``ci`` holds the clustered intervals of the proportions,
    ``standard_errors`` their clustered standard errors and ``design_effects`` their
    design effects; the ratios and kappa have no interval and the no-information p-value
    is NaN (both assume independent images). Without ``groups`` ``n_clusters`` is None
    and ``design_effects`` empty (both then left out of :meth:`to_dict`).
    """

    confusion_matrix: np.ndarray
    labels: tuple
    positive: Any
    level: float
    ci_method: str
    zero_division: str | float
    statistics: dict[str, float]
    ci: dict[str, tuple[float, float]]
    n_clusters: int | None = None
    design_effects: dict[str, float] = field(default_factory=dict)

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
        if self.n_clusters is not None:
            head = head.split("\n")[0] + (
                f" in {self.n_clusters} patients\n{pct} CIs: {clustered_ci_method(self.ci_method)}"
                " for proportions; none for the ratios and kappa (bootstrap_statmaker(groups=)"
                " gives them)"
            )
        rows = []
        for key in BINARY_KEYS:
            if key in ALIASES:
                continue
            value = self.statistics[key]
            aliases = [a for a, k in ALIASES.items() if k == key]
            name = key if not aliases else f"{key} ({', '.join(aliases)})"
            count = key in ("tp", "fp", "fn", "tn", "n") and value == round(value)
            shown = str(int(value)) if count else _fmt(value)
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
        return f"{head}\n{body}\n{_extra_lines(self)}"

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
                "alternative": self.alternative,
                "kappa_ci_method": self.kappa_ci_method,
                "standard_errors": self.standard_errors,
                "p_values": self.p_values,
                "sample_weighted": self.sample_weighted,
                **(
                    {}
                    if self.n_clusters is None
                    else {"n_clusters": self.n_clusters, "design_effects": self.design_effects}
                ),
            }
        )


@dataclass(frozen=True, eq=False, repr=False)
class MulticlassStatistics(_StatisticsMapping):
    """Statistics of a K x K confusion matrix (K > 2).

    ``statistics`` (also as attributes and keys) holds ``n``, ``accuracy``,
    ``balanced_accuracy``, ``cohen_kappa``, ``mcc`` and ``{macro,micro,weighted}_{name}``
    for every name of ``cxreval._statistics.AVERAGED_KEYS``, and the agreement
    statistics ``cohen_kappa_linear``, ``cohen_kappa_quadratic`` (weighted kappas, as
    scikit-learn's ``cohen_kappa_score(weights=...)``), ``scott_pi``, ``gwet_ac1``,
    ``g_mean`` (the geometric mean of the K recalls, as imbalanced-learn's
    ``geometric_mean_score``) and ``no_information_rate`` (the largest true-class share).
    ``per_class[name]`` is the one-vs-rest value of each binary statistic per class (in
    ``labels`` order), ``per_class_ci[name]`` its ``(low, high)`` arrays;
    :meth:`for_class` gives one class as a :class:`BinaryStatistics`. ``ci``,
    ``standard_errors`` and ``p_values`` as in :class:`BinaryStatistics` (the three kappas
    have intervals; the weighted ones always with the Fleiss-Cohen-Everitt standard
    error).
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
        tp, fp, fn, tn = (c[k] for c in one_vs_rest_counts(self.confusion_matrix))
        matrix = np.array([[tn, fp], [fn, tp]])
        return _statmaker(
            matrix if self.sample_weighted else matrix.astype(np.int64),
            ("rest", label) if label != "rest" else ("others", label),
            label,
            self._settings(),
        )

    def _settings(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "ci_method": self.ci_method,
            "zero_division": self.zero_division,
            "alternative": self.alternative,
            "kappa_ci_method": self.kappa_ci_method,
            "sample_weighted": self.sample_weighted,
        }

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
        kappa = self.ci_methods["cohen_kappa"]
        overall = [
            ["accuracy", _fmt(self.accuracy), _fmt_ci(self.ci["accuracy"]), method],
            ["balanced_accuracy", _fmt(self.balanced_accuracy), "", ""],
            ["cohen_kappa", _fmt(self.cohen_kappa), _fmt_ci(self.ci["cohen_kappa"]), kappa],
            ["mcc (multi-class)", _fmt(self.mcc), "", ""],
        ]
        for key in _MULTICLASS_EXTRA:
            ci = self.ci.get(key)
            shown = self.ci_methods[key] if ci is not None else ""
            overall.append([key, _fmt(self.statistics[key]), _fmt_ci(ci), shown])
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
        return f"{head}\n{_extra_lines(self)}\n{overall_text}\n\n{per_class_text}"

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
                "ci_methods": self.ci_methods,
                "alternative": self.alternative,
                "kappa_ci_method": self.kappa_ci_method,
                "standard_errors": self.standard_errors,
                "p_values": self.p_values,
                "sample_weighted": self.sample_weighted,
            }
        )


#: The multi-class agreement statistics shown below the four of the first table rows.
_MULTICLASS_EXTRA = (
    "cohen_kappa_linear",
    "cohen_kappa_quadratic",
    "scott_pi",
    "gwet_ac1",
    "g_mean",
    "no_information_rate",
)


def statmaker(
    cm: Any,
    *,
    labels: Any = None,
    pos_label: Any = None,
    level: float = 0.95,
    ci_method: str = "wilson",
    zero_division: str | float = "warn",
    alternative: str = "two-sided",
    kappa_ci_method: str = "fleiss-cohen-everitt",
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
    ci_method : {"wilson", "clopper-pearson", "agresti-coull", "normal", "jeffreys", \
"wilson-cc"}, default "wilson"
        Interval method for the proportions (see :func:`cxreval.intervals.proportion_ci`);
        the likelihood ratios and the diagnostic odds ratio always use the log method.
    zero_division : {"warn", 0.0, 1.0, numpy.nan}, default "warn"
        Value of a statistic whose denominator is zero: ``"warn"`` gives NaN and an
        :class:`UndefinedStatisticWarning`. Averages skip NaN classes, as scikit-learn's
        ``zero_division=np.nan`` does.
    alternative : {"two-sided", "greater", "less"}, default "two-sided"
        ``"greater"``: every interval is a one-sided lower bound (its upper end is the top
        of the statistic's range); ``"less"``: a one-sided upper bound.
    kappa_ci_method : {"fleiss-cohen-everitt", "cohen"}, default "fleiss-cohen-everitt"
        Standard error of Cohen's kappa: Fleiss, Cohen & Everitt's (1969) large-sample
        variance (statsmodels' ``cohens_kappa``) or Cohen's (1960) approximation (PyCM's
        ``Kappa_SE``); see :func:`cxreval.intervals.kappa_ci`.

    Returns
    -------
    BinaryStatistics or MulticlassStatistics
        A binary result for K = 2, a multi-class one for K > 2.

    Notes
    -----
    Beyond scikit-learn's statistics, the PyCM ones: G-mean ``sqrt(TPR·TNR)`` (PyCM's
    ``GM``), Jaccard ``TP/(TP+FP+FN)`` (scikit-learn's ``jaccard_score``), Scott's pi
    (Scott 1955), Gwet's AC1 (Gwet 2008), the no-information rate (the largest
    true-class share) with the one-sided binomial p-value that the accuracy exceeds it
    (R caret's ``confusionMatrix``; from the survival function, so unlike PyCM's
    ``PValue`` it stays exact when tiny), and kappa's standard error and interval.

    Examples
    --------
    >>> import cxreval
    >>> s = cxreval.statmaker([[174, 60], [40, 350]])  # [[TN, FP], [FN, TP]]
    >>> print(f"{s.recall:.4f} {s['precision']:.4f} {s.f1:.4f} {s.auc_single_point:.4f}")
    0.8974 0.8537 0.8750 0.8205
    >>> low, high = s.ci["recall"]
    >>> print(f"{low:.4f} {high:.4f} ({s.ci_methods['recall']})")
    0.8633 0.9238 (Wilson)
    >>> print(f"{s.cohen_kappa:.4f} SE {s.standard_errors['cohen_kappa']:.4f}")
    0.6522 SE 0.0316
    >>> print(f"{s.no_information_rate:.3f} p = {s.p_values['no_information_rate']:.3g}")
    0.625 p = 3.26e-32
    >>> m = cxreval.statmaker([[5, 1, 0], [2, 6, 1], [0, 1, 4]], labels=["a", "b", "c"])
    >>> print(f"{m.accuracy:.4f} {m.macro_f1:.4f} {m.mcc:.4f}")
    0.7500 0.7584 0.6192
    """
    matrix = check_confusion_matrix(cm)
    names = check_class_names(labels, matrix.shape[0])
    return _statmaker(
        matrix,
        names,
        pos_label,
        {
            "level": level,
            "ci_method": ci_method,
            "zero_division": zero_division,
            "alternative": alternative,
            "kappa_ci_method": kappa_ci_method,
            "sample_weighted": False,
        },
    )


def _statmaker(
    matrix: np.ndarray, names: tuple, pos_label: Any, settings: dict[str, Any]
) -> BinaryStatistics | MulticlassStatistics:
    """statmaker of a checked matrix (integer counts, or summed sample weights)."""
    k = matrix.shape[0]
    settings = dict(settings, level=check_level(settings["level"]))
    ci_method = settings["ci_method"]
    if ci_method not in PROPORTION_CI_METHODS:
        raise ValueError(
            f"ci_method must be one of {sorted(PROPORTION_CI_METHODS)}, got {ci_method!r}"
        )
    settings["zero_division"] = check_zero_division(settings["zero_division"])
    settings["alternative"] = check_alternative(settings["alternative"])
    check_choice(settings["kappa_ci_method"], "kappa_ci_method", tuple(KAPPA_CI_METHODS))
    counts = one_vs_rest_counts(matrix)
    if k > 2:
        if pos_label is not None:
            raise ValueError(
                f"pos_label= applies to a binary matrix, but cm is {k} x {k}; per-class "
                "statistics are one-vs-rest, see MulticlassStatistics.for_class"
            )
        return _multiclass(matrix, names, settings, counts)
    positive = names[1] if pos_label is None else to_plain(pos_label)
    if positive not in names:
        raise ValueError(f"pos_label={positive!r} is not one of labels {list(names)}")
    i = names.index(positive)
    tp, fp, fn, tn = (c[i] for c in counts)
    values = binary_statistics(tp, fp, fn, tn, zero_division=settings["zero_division"])
    cis = binary_intervals(tp, fp, fn, tn, **_interval_settings(settings))
    standard_errors, p_values = _tests(matrix, settings, {})
    return BinaryStatistics(
        confusion_matrix=matrix,
        labels=names,
        positive=positive,
        statistics={key: float(v) for key, v in values.items()},
        ci=_undefined_unless_whole(matrix, cis),
        standard_errors=standard_errors,
        p_values=p_values,
        **settings,
    )


def _interval_settings(settings: dict[str, Any]) -> dict[str, Any]:
    keys = ("level", "ci_method", "alternative", "kappa_ci_method")
    return {key: settings[key] for key in keys}


def _undefined_unless_whole(matrix: np.ndarray, cis: dict) -> dict[str, tuple[float, float]]:
    """The intervals as floats; NaN for a matrix of non-integer sample weights."""
    nan = float("nan")
    whole = _whole(matrix)
    return {key: (float(lo), float(hi)) if whole else (nan, nan) for key, (lo, hi) in cis.items()}


def _tests(matrix: np.ndarray, settings: dict[str, Any], ci: dict) -> tuple[dict, dict]:
    """Kappa's standard error(s) and the no-information-rate p-value; fills ``ci`` with
    the (multi-class) kappa intervals."""
    standard_errors = {}
    whole = _whole(matrix)
    sides = {"level": settings["level"], "alternative": settings["alternative"]}
    k = matrix.shape[0]
    for weights in KAPPA_WEIGHTS if k > 2 else (None,):
        key = "cohen_kappa" if weights is None else f"cohen_kappa_{weights}"
        method = settings["kappa_ci_method"] if weights is None else "fleiss-cohen-everitt"
        _, se, low, high = kappa_ci(matrix, weights=weights, kappa_ci_method=method, **sides)
        standard_errors[key] = float(se) if whole else float("nan")
        if k > 2:
            ci[key] = (float(low), float(high)) if whole else (float("nan"),) * 2
    n = matrix.sum()
    nir = matrix.sum(axis=1).max() / n
    p_value = float(nir_p_value(np.trace(matrix), n, nir)) if whole else float("nan")
    p_values = {"no_information_rate": p_value}
    return standard_errors, p_values


def _multiclass(matrix, names, settings, counts) -> MulticlassStatistics:
    tp, fp, fn, tn = counts
    zero_division, level = settings["zero_division"], settings["level"]
    per_class = binary_statistics(tp, fp, fn, tn, zero_division=zero_division, entry_names=names)
    per_class_ci = binary_intervals(tp, fp, fn, tn, **_interval_settings(settings))
    if not _whole(matrix):
        per_class_ci = {key: (lo * np.nan, hi * np.nan) for key, (lo, hi) in per_class_ci.items()}
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
    for weights in KAPPA_WEIGHTS[1:]:
        terms = kappa_terms(matrix, agreement_weights(len(names), weights))
        stats_[f"cohen_kappa_{weights}"] = float(terms["kappa"])
    # Scott's pi and Gwet's AC1 share p_o with kappa; pi_k is the mean of row and column share
    pi = (true_totals + pred_totals) / (2.0 * n)
    p_o, k = correct / n, len(names)
    stats_["scott_pi"] = float(divide("scott_pi", p_o - pi @ pi, 1.0 - pi @ pi))
    gwet_chance = float(pi @ (1.0 - pi)) / (k - 1)
    stats_["gwet_ac1"] = float(divide("gwet_ac1", p_o - gwet_chance, 1.0 - gwet_chance))
    stats_["g_mean"] = float(np.prod(per_class["recall"]) ** (1.0 / k))
    stats_["no_information_rate"] = float(true_totals.max() / n)
    divide.emit(None)
    low, high = proportion_ci(
        correct,
        n,
        level=level,
        ci_method=settings["ci_method"],
        alternative=settings["alternative"],
    )
    ci = _undefined_unless_whole(matrix, {"accuracy": (low, high)})
    standard_errors, p_values = _tests(matrix, settings, ci)
    return MulticlassStatistics(
        confusion_matrix=matrix,
        labels=names,
        statistics=stats_,
        ci=ci,
        per_class=per_class,
        per_class_ci=per_class_ci,
        standard_errors=standard_errors,
        p_values=p_values,
        **settings,
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
    alternative: str = "two-sided",
    kappa_ci_method: str = "fleiss-cohen-everitt",
    sample_weight: Any = None,
    groups: Any = None,
) -> BinaryStatistics | MulticlassStatistics:
    """:func:`statmaker` of the confusion matrix of predicted labels or thresholded scores.

    With ``groups`` (patient or study IDs, when patients have several images) every
    proportion -- prevalence, accuracy, sensitivity, specificity, the predictive values
    and the error rates -- gets Rao & Scott's (1992) clustered interval: the image-level
    ``ci_method`` interval at the effective sample size ``n / deff``, with the design
    effect ``deff`` of the ratio-estimator variance over patients
    (:func:`cxreval.clustered.cluster_ratio_variance`; Obuchowski 1998). The statistics
    themselves are unchanged (they are over images). With one image per patient
    ``deff = 1`` and every interval equals the one without ``groups``.

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
    labels, pos_label, level, ci_method, zero_division, alternative, kappa_ci_method
        As in :func:`statmaker`. ``labels`` defaults to the sorted union of the labels.
    sample_weight : array-like of shape (n,), optional
        Non-negative weight of each case: the matrix holds summed weights and the
        statistics equal scikit-learn's with ``sample_weight``. The intervals, kappa's
        standard error and the no-information p-value read whole-number weights as
        frequencies (a weight of 2 is two images) and are NaN for other weights (they
        need counts; no weighted interval is offered).
    groups : array-like of shape (n,), optional
        Patient (or study) ID of each image, at least two distinct: clustered intervals of
        the proportions (above), recorded as ``n_clusters``, ``design_effects`` and the
        clustered ``standard_errors``. A binary problem only, without ``sample_weight``.
        The likelihood ratios, the odds ratio and kappa get no interval here, and the
        no-information p-value is NaN (their closed forms assume independent images):
        :func:`cxreval.bootstrap_statmaker` with ``groups=`` gives every statistic a
        cluster bootstrap interval. A proportion whose denominator falls in fewer than
        two patients is NaN with an :class:`~cxreval.UndefinedStatisticWarning`.

    Returns
    -------
    BinaryStatistics or MulticlassStatistics
        A binary result for two labels, a multi-class one for more.

    References
    ----------
    J. N. K. Rao and A. J. Scott, "A simple method for the analysis of clustered binary
    data", Biometrics 48 (1992) 577-585. N. A. Obuchowski, "On the comparison of
    correlated proportions for clustered data", Statistics in Medicine 17 (1998)
    1495-1507.

    Examples
    --------
    >>> import cxreval
    >>> s = cxreval.statmaker_from_predictions([0, 0, 1, 1], y_score=[0.1, 0.6, 0.4, 0.9])
    >>> s.confusion_matrix.tolist(), s.recall
    ([[1, 1], [1, 1]], 0.5)
    >>> y, y_pred, weight = [0, 0, 1, 1], [0, 1, 0, 1], [1, 1, 1, 3]
    >>> w = cxreval.statmaker_from_predictions(y, y_pred, sample_weight=weight)
    >>> w.recall, w.sample_weighted
    (0.75, True)

    Several images per patient:

    >>> y    = [1, 1, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0]
    >>> pred = [1, 1, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0]
    >>> c = cxreval.statmaker_from_predictions(
    ...     y, pred, groups=[1, 1, 1, 2, 2, 3, 3, 3, 4, 5, 5, 6])
    >>> c.n_clusters, round(c.design_effects["recall"], 3), c.ci_methods["recall"]
    (6, 1.481, 'Wilson, clustered (Rao-Scott design effect)')
    """
    if (y_pred is None) == (y_score is None):
        raise ValueError("give exactly one of y_pred and y_score")
    if groups is not None and sample_weight is not None:
        raise ValueError(
            "groups= cannot be combined with sample_weight= (the clustered intervals count "
            "images); pass one of them"
        )
    if y_score is not None:
        is_positive, pos_label = check_binary_target(y_true, pos_label=pos_label)
        score = check_scores(y_score)
        check_consistent_length(y_true=is_positive, y_score=score)
        threshold = check_threshold(threshold)
        y = check_array_1d(y_true, "y_true")
        negative = y[~is_positive][0]
        y_pred = np.where(score >= threshold, np.asarray(pos_label, dtype=y.dtype), negative)
    cm, names = confusion_matrix_with_labels(y_true, y_pred, labels, sample_weight)
    if len(names) < 2:
        raise ValueError(
            f"y_true and y_pred hold one class only ({names.tolist()}); pass labels= with "
            "all classes"
        )
    settings = {
        "level": level,
        "ci_method": ci_method,
        "zero_division": zero_division,
        "alternative": alternative,
        "kappa_ci_method": kappa_ci_method,
    }
    if groups is not None:
        if len(names) > 2:
            raise ValueError(
                f"groups= needs a binary problem, but y_true and y_pred hold {len(names)} classes"
            )
        codes, ids = check_groups(groups, int(cm.sum()))
        result = statmaker(cm, labels=names, pos_label=pos_label, **settings)
        return _clustered(result, y_true, y_pred, codes, len(ids))
    if sample_weight is None:
        return statmaker(cm, labels=names, pos_label=pos_label, **settings)
    if cm.sum() == 0:
        raise ValueError("sample_weight is zero on every case: there is nothing to evaluate")
    names = check_class_names(names, len(names))
    return _statmaker(cm, names, pos_label, {**settings, "sample_weighted": True})


def _clustered(
    result: BinaryStatistics, y_true: Any, y_pred: Any, codes: np.ndarray, k: int
) -> BinaryStatistics:
    """``result`` with the clustered intervals of its proportions (Rao & Scott 1992);
    ``codes`` each image's patient, 0..k-1."""
    truth = np.asarray(y_true).ravel() == result.positive
    called = np.asarray(y_pred).ravel() == result.positive
    cells = [
        np.bincount(codes[mask], minlength=k)
        for mask in (truth & called, ~truth & called, truth & ~called, ~truth & ~called)
    ]
    terms = proportion_terms(*cells)
    names = list(terms)
    found = clustered_proportions(
        names,
        np.stack([terms[k][0] for k in names], axis=1),
        np.stack([terms[k][1] for k in names], axis=1),
        level=result.level,
        ci_method=result.ci_method,
        alternative=result.alternative,
    )
    found.update({alias: found[name] for alias, name in ALIASES.items() if name in found})
    return replace(
        result,
        ci={name: (p.low, p.high) for name, p in found.items()},
        standard_errors={name: p.se for name, p in found.items()},
        p_values={"no_information_rate": float("nan")},
        n_clusters=k,
        design_effects={name: p.design_effect for name, p in found.items()},
    )
