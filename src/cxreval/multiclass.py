"""Multi-class ROC analysis: one-vs-rest AUCs with intervals, their macro and
prevalence-weighted averages, and Hand & Till's multi-class AUC.

Column k of the score matrix belongs to the k-th label in sorted order (or in the order
of ``labels=``), as in scikit-learn. The averages and Hand & Till's M are bootstrapped
(resampling within each true class, or patients with ``groups=``) with the engine of
:mod:`cxreval.bootstrap`.
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
    check_groups,
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
from cxreval.delong import auc_jackknife, cluster_class_counts
from cxreval.inference import (
    AUC_CI_METHODS,
    AUCInterval,
    resampling_plan,
    roc_auc_ci,
    without_unset_clusters,
)

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
        Till's M, each with a bootstrap interval (stratified by class, or of patients
        with ``groups=``; it records how it resampled).
    curves : tuple of ROCCurve
        One-vs-rest ROC curves.
    n_clusters : int or None
        Patients, with ``groups=``; None otherwise (and then left out of
        :meth:`to_dict`).
    """

    labels: tuple
    per_class: tuple
    prevalence: np.ndarray
    macro: BootstrapResult
    weighted: BootstrapResult
    hand_till: BootstrapResult
    curves: tuple = field(repr=False)
    n_clusters: int | None = None

    plotter = "plot_multiclass_roc"

    def to_dict(self) -> dict[str, Any]:
        """Plain-Python dictionary of the numbers (``n_clusters`` only with ``groups=``)."""
        return to_plain(
            without_unset_clusters(
                {
                    "labels": self.labels,
                    "per_class": self.per_class,
                    "prevalence": self.prevalence,
                    "macro": self.macro,
                    "weighted": self.weighted,
                    "hand_till": self.hand_till,
                    "n_clusters": self.n_clusters,
                }
            )
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
    stratified: bool = True,
    bootstrap_method: str = "percentile",
    random_state: Any = None,
    progress: bool = False,
    resampling: str = "cases",
    groups: Any = None,
) -> MulticlassAUC:
    """One-vs-rest AUCs with intervals, macro / prevalence-weighted averages, Hand & Till.

    Per-class intervals come from ``ci_method`` (DeLong, or the bootstrap). The averages and
    Hand & Till's M always get a bootstrap interval: B resamples within each true class
    (the class counts, hence the weights, stay fixed), one pass computing every AUC.
    Unstratified -- and with ``groups=``, where whole patients are resampled -- the
    weights of the prevalence-weighted mean are each resample's class shares.

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
        with fewer than 2 cases; with ``groups=`` it is Obuchowski's clustered DeLong (as
        :func:`cxreval.roc_auc_ci` with ``groups=``).
    level : float, default 0.95
        Confidence level of every interval.
    n_boot : int, default 2000
        Bootstrap resamples for the averages, Hand & Till's M (and the per-class
        intervals with ``ci_method="bootstrap"``): at least ``2 / (1 - level) - 1`` (39
        at 95 %), a warning below 1000 (see :func:`cxreval.bootstrap`).
    stratified : bool, default True
        Resample within each true class. Without it a resample may miss a class; it has
        no AUC for that class and is left out with a :class:`RuntimeWarning`.
    bootstrap_method : {"percentile", "bca", "basic"}, default "percentile"
        Interval method of the bootstrap intervals.
    random_state : None, int or numpy.random.Generator
        Bootstrap seed; a fresh one is drawn and recorded when None.
    progress : bool, default False
        Show a progress bar for the bootstrap.
    resampling : {"cases", "multinomial", "auto"}, default "cases"
        How the bootstrap resamples, as in :func:`cxreval.roc_auc_ci`: case indices, or
        multinomial counts over the distinct rows (class, scores) of each stratum -- the
        same distribution, far faster when whole score rows repeat (rounded
        probabilities); "auto" takes the multinomial draw when there are at most n / 16
        distinct rows. Recorded in the bootstrap results (``resampling``).
    groups : array-like of shape (n,), optional
        Patient (or study) ID of each image. The bootstrap becomes the cluster bootstrap
        (patients resampled with replacement, all their images taken, unstratified:
        ``stratified`` is not used; ``resampling="multinomial"`` refused; BCa leaves one
        patient out) and the per-class DeLong intervals Obuchowski's. With one image per
        patient every number equals the unclustered one with ``stratified=False``: the
        bootstrap's bit for bit with the same seed, DeLong's to rounding. The number of
        patients is recorded (``n_clusters``).

    Returns
    -------
    MulticlassAUC
        Per-class intervals, averages, Hand & Till's M and the one-vs-rest curves.

    References
    ----------
    D. J. Hand and R. J. Till, "A simple generalisation of the area under the ROC curve for
    multiple class classification problems", Machine Learning 45 (2001) 171-186.
    N. A. Obuchowski, "Nonparametric analysis of clustered ROC curve data", Biometrics 53
    (1997) 567-578.

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
    >>> two_each = roc_auc_multiclass(y, scores, n_boot=200, random_state=0,
    ...                               groups=np.arange(120) // 2)
    >>> two_each.macro.method, two_each.per_class[0].method, two_each.n_clusters
    ('cluster bootstrap (percentile, B=200)', 'Obuchowski (clustered DeLong)', 60)
    """
    ci_method = check_choice(ci_method, "ci_method", AUC_CI_METHODS)
    level = check_level(level)
    n_boot = check_n_boot(n_boot, level)
    bootstrap_method = check_choice(bootstrap_method, "bootstrap_method", BOOTSTRAP_METHODS)
    codes, score, labels = _multiclass_inputs(y_true, y_score, labels)
    patients = None if groups is None else check_groups(groups, len(codes))[0]
    n, k = score.shape
    stratified = stratified and patients is None
    prevalence = np.bincount(codes, minlength=k) / n
    pairs = [(i, j) for i in range(k) for j in range(k) if i != j]
    plan = resampling_plan(
        stratum_indices(codes if stratified else None, n),  # cases in index order
        [codes, *score.T],
        resampling,
        patients,
    )
    rows, cols = plan.take(codes), [plan.take(score[:, c]) for c in range(k)]
    ovr = [WeightedAUC(cols[c], rows == c, plan.strata, units=plan.units) for c in range(k)]
    ovo = [
        WeightedAUC(cols[i], rows == i, plan.strata, (rows == i) | (rows == j), plan.units)
        for i, j in pairs
    ]
    one_hot = np.eye(k)[rows[plan.order]]  # class of each counted row

    def summarize(per_class: np.ndarray, pairwise: np.ndarray, weights=prevalence) -> np.ndarray:
        macro = per_class.mean(axis=1)
        weighted = per_class @ weights if weights.ndim == 1 else (per_class * weights).sum(1)
        hand_till = pairwise.mean(axis=1)
        return np.column_stack((per_class, macro, weighted, hand_till))

    def kernel(resamples: Resamples) -> np.ndarray:
        per_class = np.stack([f(resamples) for f in ovr], axis=1)
        pairwise = np.stack([f(resamples) for f in ovo], axis=1)
        if stratified:  # the class counts, hence the weights, are those of the data
            return summarize(per_class, pairwise)
        counts = plan.counts(resamples) @ one_hot
        return summarize(per_class, pairwise, counts / counts.sum(axis=1, keepdims=True))

    def jackknife() -> np.ndarray:
        if plan.units is not None:  # leave one patient out
            return plan.cluster_jackknife(kernel)
        per_class = np.stack([auc_jackknife(codes == c, score[:, c]) for c in range(k)], 1)
        pairwise = np.empty((n, len(pairs)))
        for p, (i, j) in enumerate(pairs):
            both = (codes == i) | (codes == j)
            pairwise[:, p] = _pair_auc(codes, score, i, j)
            pairwise[both, p] = auc_jackknife(codes[both] == i, score[both, i])
        # leaving a case out also moves the prevalence weights
        weights = (np.bincount(codes, minlength=k)[None, :] - np.eye(k)[codes]) / (n - 1)
        return summarize(per_class, pairwise, weights)

    estimate = summarize(
        np.array([[binary_auc(codes == c, score[:, c]) for c in range(k)]]),
        np.array([[_pair_auc(codes, score, i, j) for i, j in pairs]]),
    )[0]
    res = bootstrap_resamples(
        plan.engine_strata,
        kernel,
        estimate,
        multiplicities=plan.multiplicities,
        n_boot=n_boot,
        stratified=stratified,
        statistic="multi-class AUC",
        level=level,
        bootstrap_method=bootstrap_method,
        random_state=random_state,
        jackknife=jackknife,
        bounds=(0.0, 1.0),
        progress=progress,
        n_clusters=plan.n_clusters,
    )

    def column(j: int, name: str) -> BootstrapResult:
        return replace(
            res,
            estimate=float(res.estimate[j]),
            low=float(res.low[j]),
            high=float(res.high[j]),
            se=float(res.se[j]),
            statistic=name,
            replicates=res.replicates[:, j],
        )

    per_class = []
    for c in range(k):
        if ci_method == "delong":
            ci = roc_auc_ci(codes == c, score[:, c], level=level, pos_label=True, groups=patients)
            per_class.append(replace(ci, positive=labels[c].item()))
        else:
            col = column(c, f"AUC {labels[c]} vs rest")
            clusters = {}
            if patients is not None:
                clusters = cluster_class_counts(codes == c, patients, plan.n_clusters)
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
                    resampling=col.resampling,
                    bootstrap=col,
                    **clusters,
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
        n_clusters=plan.n_clusters,
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
