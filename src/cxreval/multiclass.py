"""Multi-class ROC analysis: one-vs-rest AUCs with intervals, their macro and
prevalence-weighted averages, and Hand & Till's multi-class AUC.

Column k of the score matrix belongs to the k-th label in sorted order (or in the order
of ``labels=``), as in scikit-learn. The averages and Hand & Till's M are bootstrapped
(resampling within each true class) with the engine of :mod:`cxreval.bootstrap`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from tabulate import tabulate

from cxreval._checks import (
    check_array_1d,
    check_choice,
    check_consistent_length,
    check_labels,
    check_level,
    check_n_boot,
    check_score_matrix,
)
from cxreval._plain import to_plain
from cxreval._resampling import Resamples, WeightedAUC, stratum_indices
from cxreval._result import Result
from cxreval.bootstrap import BOOTSTRAP_METHODS, BootstrapResult, bootstrap_resamples
from cxreval.curves import binary_auc, roc_curve
from cxreval.delong import auc_jackknife
from cxreval.inference import AUC_CI_METHODS, AUCInterval, roc_auc_ci

__all__ = ["MulticlassAUC", "hand_till_auc", "roc_auc_multiclass", "roc_auc_ovo"]


def _multiclass_inputs(y_true: Any, y_score: Any, labels: Any):
    """``(codes, scores, labels)``: class index of each case, the score matrix, labels."""
    score = check_score_matrix(y_score)
    y = check_array_1d(y_true, "y_true")
    check_consistent_length(y_true=y, y_score=score)
    present = check_labels(y, "y_true")
    if labels is None:
        labels = present
    else:
        labels = check_array_1d(labels, "labels")
        if len(np.unique(labels)) != len(labels):
            raise ValueError(f"labels must be distinct, got {labels.tolist()}")
        unknown = np.setdiff1d(present, labels)
        if len(unknown):
            raise ValueError(f"y_true has labels not in labels: {unknown.tolist()[:10]}")
    if score.shape[1] != len(labels):
        raise ValueError(
            f"y_score has {score.shape[1]} columns but there are {len(labels)} classes "
            f"{labels.tolist()[:10]}; give one column per class (or pass labels=)"
        )
    if len(labels) < 3 and labels is present:
        raise ValueError(
            f"y_true has {len(labels)} classes {labels.tolist()}; multi-class AUC needs at "
            "least 3 (use roc_auc_ci for a binary problem)"
        )
    missing = [lab for lab in labels.tolist() if lab not in present.tolist()]
    if missing:
        raise ValueError(f"y_true has no case of class {missing[0]!r}; every class is needed")
    sorter = np.argsort(labels)
    codes = sorter[np.searchsorted(labels, y, sorter=sorter)]
    return codes, score, labels


def _pair_auc(codes: np.ndarray, score: np.ndarray, i: int, j: int) -> float:
    """A(i|j): AUC of score column i separating class i (positive) from class j."""
    both = (codes == i) | (codes == j)
    return binary_auc(codes[both] == i, score[both, i])


def _hand_till(codes: np.ndarray, score: np.ndarray) -> float:
    """Hand & Till (2001): mean over class pairs of (A(i|j) + A(j|i)) / 2."""
    k = score.shape[1]
    total = 0.0
    for i in range(k):
        for j in range(i + 1, k):
            total += (_pair_auc(codes, score, i, j) + _pair_auc(codes, score, j, i)) / 2
    return 2 * total / (k * (k - 1))


def hand_till_auc(y_true: Any, y_score: Any, *, labels: Any = None) -> float:
    """Hand & Till's multi-class AUC M, equal to scikit-learn's ``multi_class="ovo"``.

    ``M = 2 / (K (K - 1)) * sum_{i<j} (A(i|j) + A(j|i)) / 2`` where ``A(i|j)`` is the AUC of
    score column i separating class i from class j (other classes left out).

    Parameters
    ----------
    y_true : array-like of shape (n,)
        Class labels; every class must be present.
    y_score : array-like of shape (n, K)
        One column per class, in sorted label order (or the order of ``labels``).
    labels : array-like, optional
        The K class labels in the column order of ``y_score`` (default: the sorted
        labels of ``y_true``).

    Returns
    -------
    float
        Hand & Till's M, in [0, 1].

    Examples
    --------
    >>> from cxreval import hand_till_auc
    >>> y = [0, 0, 1, 1, 2, 2]
    >>> p = [[.8, .1, .1], [.5, .3, .2], [.2, .7, .1], [.4, .4, .2], [.1, .2, .7], [.3, .3, .4]]
    >>> hand_till_auc(y, p)
    1.0
    """
    codes, score, _ = _multiclass_inputs(y_true, y_score, labels)
    return _hand_till(codes, score)


@dataclass(frozen=True)
class MulticlassAUC(Result):
    """One-vs-rest AUCs with intervals, their averages and Hand & Till's M.

    Attributes
    ----------
    labels : tuple
        Class labels, in the column order of the scores.
    per_class : tuple of AUCInterval
        One-vs-rest AUC of each class (that class positive, all others negative).
    prevalence : ndarray
        Share of cases in each class (the weights of the weighted average).
    macro, weighted, hand_till : BootstrapResult
        Unweighted and prevalence-weighted means of the one-vs-rest AUCs, and Hand &
        Till's M, each with a stratified-bootstrap interval.
    curves : tuple of ROCCurve
        One-vs-rest ROC curves.
    """

    labels: tuple
    per_class: tuple
    prevalence: np.ndarray
    macro: BootstrapResult
    weighted: BootstrapResult
    hand_till: BootstrapResult
    curves: tuple = field(repr=False)

    plotter = "plot_multiclass_roc"

    def to_dict(self) -> dict[str, Any]:
        """Plain-Python dictionary of the numbers."""
        return to_plain(
            {
                "labels": self.labels,
                "per_class": self.per_class,
                "prevalence": self.prevalence,
                "macro": self.macro,
                "weighted": self.weighted,
                "hand_till": self.hand_till,
            }
        )

    def table(self) -> str:
        """Per-class and averaged AUCs with their intervals and methods."""
        pct = f"{100 * self.macro.level:g}% CI"
        rows = [
            [f"{lab} vs rest", c.auc, f"{c.low:.4f}-{c.high:.4f}", c.method]
            for lab, c in zip(self.labels, self.per_class, strict=True)
        ]
        for name, res in (
            ("macro average", self.macro),
            ("prevalence-weighted", self.weighted),
            ("Hand & Till M", self.hand_till),
        ):
            rows.append([name, res.estimate, f"{res.low:.4f}-{res.high:.4f}", res.method])
        head = ["", "AUC", pct, "method"]
        return tabulate(rows, headers=head, floatfmt=".4f")


def roc_auc_multiclass(
    y_true: Any,
    y_score: Any,
    *,
    labels: Any = None,
    ci_method: str = "delong",
    level: float = 0.95,
    n_boot: int = 2000,
    bootstrap_method: str = "percentile",
    random_state: Any = None,
    progress: bool = False,
) -> MulticlassAUC:
    """One-vs-rest AUCs with intervals, macro / prevalence-weighted averages, Hand & Till.

    Per-class intervals come from ``ci_method`` (DeLong, or the bootstrap). The averages and
    Hand & Till's M always get a bootstrap interval: B resamples within each true class
    (the class counts, hence the weights, stay fixed), one pass computing every AUC.

    Parameters
    ----------
    y_true : array-like of shape (n,)
        Labels of at least three classes (or two with ``labels=``).
    y_score : array-like of shape (n, K)
        Scores, one column per class in sorted label order (or the order of ``labels``).
    labels : array-like, optional
        The K class labels in the column order of ``y_score`` (default: the sorted
        labels of ``y_true``).
    ci_method : {"delong", "bootstrap"}, default "delong"
        Interval of each one-vs-rest AUC. DeLong's is NaN (with a warning) for a class
        with fewer than 2 cases.
    level : float, default 0.95
        Confidence level of every interval.
    n_boot : int, default 2000
        Bootstrap resamples for the averages, Hand & Till's M (and the per-class
        intervals with ``ci_method="bootstrap"``): at least ``2 / (1 - level) - 1`` (39
        at 95 %), a warning below 1000 (see :func:`cxreval.bootstrap`).
    bootstrap_method : {"percentile", "bca", "basic"}, default "percentile"
        Interval method of the bootstrap intervals.
    random_state : None, int or numpy.random.Generator
        Bootstrap seed; a fresh one is drawn and recorded when None.
    progress : bool, default False
        Show a progress bar for the bootstrap.

    Returns
    -------
    MulticlassAUC
        Per-class intervals, averages, Hand & Till's M and the one-vs-rest curves.

    Examples
    --------
    >>> import numpy as np
    >>> from cxreval import roc_auc_multiclass
    >>> rng = np.random.default_rng(0)
    >>> y = np.repeat([0, 1, 2], 40)
    >>> scores = np.eye(3)[y] + rng.normal(0, 0.8, (120, 3))
    >>> res = roc_auc_multiclass(y, scores, n_boot=200, random_state=0)
    >>> len(res.per_class), bool(res.macro.low < res.macro.estimate < res.macro.high)
    (3, True)
    """
    ci_method = check_choice(ci_method, "ci_method", AUC_CI_METHODS)
    level = check_level(level)
    n_boot = check_n_boot(n_boot, level)
    bootstrap_method = check_choice(bootstrap_method, "bootstrap_method", BOOTSTRAP_METHODS)
    codes, score, labels = _multiclass_inputs(y_true, y_score, labels)
    n, k = score.shape
    prevalence = np.bincount(codes, minlength=k) / n
    pairs = [(i, j) for i in range(k) for j in range(k) if i != j]
    strata = stratum_indices(codes, n)  # the true classes, cases in index order
    ovr = [WeightedAUC(score[:, c], codes == c, strata) for c in range(k)]
    ovo = [
        WeightedAUC(score[:, i], codes == i, strata, (codes == i) | (codes == j)) for i, j in pairs
    ]

    def summarize(per_class: np.ndarray, pairwise: np.ndarray) -> np.ndarray:
        macro = per_class.mean(axis=1)
        weighted = per_class @ prevalence
        hand_till = pairwise.mean(axis=1)
        return np.column_stack((per_class, macro, weighted, hand_till))

    def kernel(resamples: Resamples) -> np.ndarray:
        per_class = np.stack([f(resamples) for f in ovr], axis=1)
        return summarize(per_class, np.stack([f(resamples) for f in ovo], axis=1))

    def jackknife() -> np.ndarray:
        per_class = np.stack([auc_jackknife(codes == c, score[:, c]) for c in range(k)], 1)
        pairwise = np.empty((n, len(pairs)))
        for p, (i, j) in enumerate(pairs):
            both = (codes == i) | (codes == j)
            pairwise[:, p] = _pair_auc(codes, score, i, j)
            pairwise[both, p] = auc_jackknife(codes[both] == i, score[both, i])
        out = summarize(per_class, pairwise)
        # leaving a case out also moves the prevalence weights
        weights = (np.bincount(codes, minlength=k)[None, :] - np.eye(k)[codes]) / (n - 1)
        out[:, k + 1] = (per_class * weights).sum(axis=1)
        return out

    estimate = summarize(
        np.array([[binary_auc(codes == c, score[:, c]) for c in range(k)]]),
        np.array([[_pair_auc(codes, score, i, j) for i, j in pairs]]),
    )[0]
    res = bootstrap_resamples(
        strata,
        kernel,
        estimate,
        n_boot=n_boot,
        stratified=True,
        statistic="multi-class AUC",
        level=level,
        bootstrap_method=bootstrap_method,
        random_state=random_state,
        jackknife=jackknife,
        bounds=(0.0, 1.0),
        progress=progress,
    )

    def column(j: int, name: str) -> BootstrapResult:
        return BootstrapResult(
            estimate=float(res.estimate[j]),
            low=float(res.low[j]),
            high=float(res.high[j]),
            se=float(res.se[j]),
            level=res.level,
            ci_type=res.ci_type,
            n_boot=res.n_boot,
            stratified=True,
            seed=res.seed,
            statistic=name,
            replicates=res.replicates[:, j],
        )

    per_class = []
    for c in range(k):
        if ci_method == "delong":
            ci = roc_auc_ci(codes == c, score[:, c], level=level, pos_label=True)
            per_class.append(replace(ci, positive=labels[c].item()))
        else:
            col = column(c, f"AUC {labels[c]} vs rest")
            per_class.append(
                AUCInterval(
                    auc=col.estimate,
                    low=col.low,
                    high=col.high,
                    se=col.se,
                    method=col.method,
                    level=level,
                    n_pos=int((codes == c).sum()),
                    n_neg=int((codes != c).sum()),
                    positive=labels[c].item(),
                    n_boot=col.n_boot,
                    ci_type=col.ci_type,
                    seed=col.seed,
                    bootstrap=col,
                )
            )
    return MulticlassAUC(
        labels=tuple(labels.tolist()),
        per_class=tuple(per_class),
        prevalence=prevalence,
        macro=column(k, "macro AUC"),
        weighted=column(k + 1, "prevalence-weighted AUC"),
        hand_till=column(k + 2, "Hand & Till M"),
        curves=tuple(roc_curve(codes == c, score[:, c]) for c in range(k)),
    )


def roc_auc_ovo(y_true: Any, y_score: Any, *, average: str = "macro", labels: Any = None) -> float:
    """One-vs-one multi-class AUC, equal to scikit-learn's ``roc_auc_score(...,
    multi_class="ovo", average=...)``.

    Each pair of classes ``(i, j)`` scores ``(A(i|j) + A(j|i)) / 2``, where ``A(i|j)`` is
    the AUC of score column i separating class i from class j (other classes left out).
    ``"macro"`` averages the pairs equally: Hand & Till's (2001) M, the number of
    :func:`hand_till_auc`. ``"weighted"`` weights each pair by the share of the images
    that belong to either class of it (scikit-learn's prevalence weighting).

    Parameters
    ----------
    y_true : array-like of shape (n,)
        Class labels; every class must be present.
    y_score : array-like of shape (n, K)
        One column per class, in sorted label order (or the order of ``labels``).
    average : {"macro", "weighted"}, default "macro"
        How the pairs are averaged.
    labels : array-like, optional
        The K class labels in the column order of ``y_score``.

    Returns
    -------
    float
        The averaged one-vs-one AUC, in [0, 1].

    Examples
    --------
    >>> from cxreval import roc_auc_ovo
    >>> y = [0, 0, 1, 1, 1, 2]
    >>> p = [[.6, .2, .2], [.3, .5, .2], [.2, .7, .1], [.4, .4, .2], [.1, .6, .3], [.3, .3, .4]]
    >>> round(roc_auc_ovo(y, p), 4), round(roc_auc_ovo(y, p, average="weighted"), 4)
    (0.9028, 0.8993)
    """
    average = check_choice(average, "average", ("macro", "weighted"))
    codes, score, _ = _multiclass_inputs(y_true, y_score, labels)
    k = score.shape[1]
    pairs, shares = [], []
    for i in range(k):
        for j in range(i + 1, k):
            pairs.append((_pair_auc(codes, score, i, j) + _pair_auc(codes, score, j, i)) / 2)
            shares.append(np.mean((codes == i) | (codes == j)))
    return float(np.average(pairs, weights=shares if average == "weighted" else None))
