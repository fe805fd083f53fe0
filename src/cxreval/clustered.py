"""Analytic intervals and tests for clustered data: several images per patient.

When a patient contributes several images, the images are not independent and intervals
that treat them so are too narrow. This module gives the analytic (closed-form)
counterparts for ``groups=`` (one patient or study ID per image):

* the AUC, its variance and interval, and the paired test of two AUCs, by Obuchowski
  (1997), the clustered generalization of DeLong's method. Only the whole clusters are
  treated as independent; with one image per cluster every number equals DeLong's
  (:func:`cxreval.roc_auc_ci`, :func:`cxreval.delong_test`);
* proportions (sensitivity, specificity, predictive values, accuracy, ...) with the
  ratio-estimator variance of clustered binary data and Rao & Scott's (1992) design
  effect: the interval is the image-level interval (Wilson by default) at the effective
  sample size ``n / deff``. With one image per cluster ``deff = 1`` and every interval
  equals its image-level one. :func:`cxreval.statmaker_from_predictions` with
  ``groups=`` gives every proportion of a confusion matrix this way.

One job: closed-form inference when images are clustered in patients (long because
every public function carries its formula, reference and example). The cluster
bootstrap is the resampling engine's (``cxreval._resampling``), not here.

References
----------
N. A. Obuchowski, "Nonparametric analysis of clustered ROC curve data", Biometrics 53
(1997) 567-578.
J. N. K. Rao and A. J. Scott, "A simple method for the analysis of clustered binary
data", Biometrics 48 (1992) 577-585.
N. A. Obuchowski, "On the comparison of correlated proportions for clustered data",
Statistics in Medicine 17 (1998) 1495-1507.
L. Kish, Survey Sampling, Wiley (1965) -- the design effect.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.special import ndtri
from tabulate import tabulate

from cxreval._checks import (
    caller_stacklevel,
    check_binary_target,
    check_choice,
    check_consistent_length,
    check_groups,
    check_level,
    check_scores,
)
from cxreval._result import Result
from cxreval.delong import CLUSTERED_AUC_METHOD, obuchowski_covariance
from cxreval.exceptions import UndefinedStatisticWarning
from cxreval.inference import ALTERNATIVES, AUCInterval, p_value, z_statistic
from cxreval.intervals import PROPORTION_CI_METHODS, proportion_ci

__all__ = [
    "ClusteredAUCComparison",
    "ClusteredAUCInterval",
    "ClusteredProportion",
    "cluster_ratio_variance",
    "clustered_auc_ci",
    "clustered_auc_covariance",
    "clustered_auc_test",
    "clustered_ci_method",
    "clustered_proportion_ci",
    "clustered_proportions",
]


def _undefined(message: str, category: type[Warning] = RuntimeWarning) -> None:
    warnings.warn(message, category, stacklevel=caller_stacklevel())


def _clustered_inputs(
    y_true: Any, y_scores: dict[str, Any], groups: Any, pos_label: Any
) -> tuple[np.ndarray, list[np.ndarray], np.ndarray, int, Any]:
    """Checked ``(is_pos, [scores], codes, K, positive)``; ``y_scores`` maps names to scores."""
    is_pos, positive = check_binary_target(y_true, pos_label=pos_label)
    scores = []
    for name, s in y_scores.items():
        score = check_scores(s, name)
        check_consistent_length(y_true=is_pos, **{name: score})
        scores.append(score)
    codes, ids = check_groups(groups, len(is_pos))
    return is_pos, scores, codes, len(ids), positive


def clustered_auc_covariance(
    y_true: Any, *y_scores: Any, groups: Any, pos_label: Any = None
) -> tuple[np.ndarray, np.ndarray]:
    """AUCs of several scores on the same clustered cases and their Obuchowski covariance.

    For clusters i = 1..I with m_i positive images (scores X_ij) and n_i negative ones
    (Y_ik), M = sum m_i, N = sum n_i, the AUC is the Mann-Whitney estimate over all
    images, and with the cluster sums of the placement values
    ``V10(X_i.) = sum_j V10(X_ij)``, ``V01(Y_i.) = sum_k V01(Y_ik)`` and
    ``dX_i = V10(X_i.) - m_i AUC``, ``dY_i = V01(Y_i.) - n_i AUC``::

        S10 = I10 / ((I10 - 1) M) sum_i dX_i^(r) dX_i^(s)
        S01 = I01 / ((I01 - 1) N) sum_i dY_i^(r) dY_i^(s)
        S11 = I / (I - 1) sum_i dX_i^(r) dY_i^(s)
        cov(AUC_r, AUC_s) = S10 / M + S01 / N + (S11^(rs) + S11^(sr)) / (M N)

    where I10 (I01) counts the clusters holding a positive (negative) image (Obuchowski
    1997, eqs. 3-5). With one image per cluster S11 = 0 and this is DeLong's covariance
    (:func:`cxreval.delong_covariance`).

    Parameters
    ----------
    y_true : array-like of shape (n,)
        Binary labels, one per image.
    *y_scores : array-like of shape (n,)
        One or more score vectors for the same images.
    groups : array-like of shape (n,)
        Cluster (patient or study) ID of each image; at least two clusters.
    pos_label : label, optional
        The positive class (default: the larger label).

    Returns
    -------
    aucs : ndarray of shape (k,)
    covariance : ndarray of shape (k, k)
        NaN, with a :class:`RuntimeWarning`, when fewer than 2 clusters hold a positive
        image or fewer than 2 a negative one.

    References
    ----------
    N. A. Obuchowski, "Nonparametric analysis of clustered ROC curve data", Biometrics 53
    (1997) 567-578.

    Examples
    --------
    >>> from cxreval.clustered import clustered_auc_covariance
    >>> y = [1, 0, 1, 1, 0, 0, 1, 0, 0, 0, 1]
    >>> s = [0.9, 0.3, 0.7, 0.4, 0.5, 0.2, 0.6, 0.6, 0.1, 0.35, 0.8]
    >>> g = list("AABBBCDDEEE")
    >>> aucs, cov = clustered_auc_covariance(y, s, groups=g)
    >>> round(float(aucs[0]), 6), round(float(cov[0, 0]), 8)
    (0.916667, 0.00912809)
    """
    if not y_scores:
        raise ValueError("clustered_auc_covariance needs at least one score array (y_scores)")
    is_pos, scores, codes, k, _ = _clustered_inputs(
        y_true, {f"y_scores[{i}]": s for i, s in enumerate(y_scores)}, groups, pos_label
    )
    aucs, cov, _, _ = obuchowski_covariance(is_pos, scores, codes, k)
    return aucs, cov


@dataclass(frozen=True)
class ClusteredAUCInterval(Result):
    """An AUC with Obuchowski's clustered interval.

    Attributes
    ----------
    auc, low, high : float
        The AUC and its interval, clipped to [0, 1].
    se : float
        Clustered standard error.
    se_unclustered : float
        DeLong's image-level standard error of the same AUC (too small when images of a
        patient are correlated).
    design_effect : float
        ``(se / se_unclustered)**2``: how much clustering inflates the variance.
    method : str
        ``"Obuchowski (clustered DeLong)"``.
    level : float
    n_pos, n_neg : int
        Positive and negative images.
    n_clusters, n_clusters_pos, n_clusters_neg : int
        Clusters, and clusters holding a positive / a negative image.
    positive : label
    """

    auc: float
    low: float
    high: float
    se: float
    se_unclustered: float
    design_effect: float
    method: str
    level: float
    n_pos: int
    n_neg: int
    n_clusters: int
    n_clusters_pos: int
    n_clusters_neg: int
    positive: Any

    plotter = "plot_auc_interval"

    #: For legends: :meth:`label` gives e.g. ``"AUC 0.917 (95% CI 0.729-1.000, Obuchowski)"``.
    short_method = "Obuchowski"
    label = AUCInterval.label  # the legend text of every AUC interval

    def table(self) -> str:
        """The AUC, its interval, standard errors, counts and method as a text table."""
        rows = [
            ["AUC", f"{self.auc:.4f}"],
            [f"{100 * self.level:g}% CI", f"{self.low:.4f} to {self.high:.4f}"],
            ["standard error (clustered)", f"{self.se:.4f}"],
            ["standard error (image-level DeLong)", f"{self.se_unclustered:.4f}"],
            ["design effect", f"{self.design_effect:.3f}"],
            ["positive, negative images", f"{self.n_pos}, {self.n_neg}"],
            ["clusters (with positives, negatives)",
             f"{self.n_clusters} ({self.n_clusters_pos}, {self.n_clusters_neg})"],
        ]  # fmt: skip
        return tabulate(rows, disable_numparse=True) + f"\nmethod: {self.method}"

    def __str__(self) -> str:
        return (
            f"AUC {self.auc:.4f} ({100 * self.level:g}% CI {self.low:.4f}-{self.high:.4f}, "
            f"{self.method}, {self.n_clusters} clusters)"
        )


def clustered_auc_ci(
    y_true: Any, y_score: Any, *, groups: Any, level: float = 0.95, pos_label: Any = None
) -> ClusteredAUCInterval:
    """AUC with Obuchowski's (1997) clustered interval: several images per patient.

    ``AUC -/+ z_{(1+level)/2} * sqrt(var)`` with the clustered variance of
    :func:`clustered_auc_covariance`, clipped to [0, 1]. The AUC itself is the ordinary
    one over all images. Only clusters are assumed independent; with one image per
    cluster the result equals :func:`cxreval.roc_auc_ci`'s DeLong interval.

    Parameters
    ----------
    y_true : array-like of shape (n,)
        Binary labels, one per image; both classes must be present.
    y_score : array-like of shape (n,)
        Finite scores.
    groups : array-like of shape (n,)
        Patient (or study) ID of each image; at least two distinct IDs.
    level : float, default 0.95
        Confidence level.
    pos_label : label, optional
        The positive class (default: the larger label).

    Returns
    -------
    ClusteredAUCInterval
        The AUC, its clustered interval and standard error, DeLong's image-level standard
        error and the design effect, and the counts of images and clusters. ``se``,
        ``low`` and ``high`` are NaN (with a :class:`RuntimeWarning`) when fewer than two
        clusters hold a positive image or fewer than two a negative one.

    References
    ----------
    N. A. Obuchowski, "Nonparametric analysis of clustered ROC curve data", Biometrics 53
    (1997) 567-578.

    Examples
    --------
    >>> from cxreval.clustered import clustered_auc_ci
    >>> y = [1, 0, 1, 1, 0, 0, 1, 0, 0, 0, 1]
    >>> s = [0.9, 0.3, 0.7, 0.4, 0.5, 0.2, 0.6, 0.6, 0.1, 0.35, 0.8]
    >>> ci = clustered_auc_ci(y, s, groups=list("AABBBCDDEEE"))
    >>> print(ci)
    AUC 0.9167 (95% CI 0.7294-1.0000, Obuchowski (clustered DeLong), 5 clusters)
    >>> round(ci.se, 6), ci.n_clusters_pos
    (0.095541, 4)
    """
    level = check_level(level)
    is_pos, scores, codes, k, positive = _clustered_inputs(
        y_true, {"y_score": y_score}, groups, pos_label
    )
    aucs, cov, image_level, counts = obuchowski_covariance(is_pos, scores, codes, k)
    auc = float(aucs[0])
    se = float(np.sqrt(max(cov[0, 0], 0.0))) if np.isfinite(cov[0, 0]) else np.nan
    se_image = float(np.sqrt(image_level[0, 0]))
    half = ndtri(0.5 + level / 2) * se
    with np.errstate(invalid="ignore", divide="ignore"):
        deff = float(cov[0, 0] / image_level[0, 0])
    return ClusteredAUCInterval(
        auc=auc,
        low=float(np.clip(auc - half, 0.0, 1.0)),
        high=float(np.clip(auc + half, 0.0, 1.0)),
        se=se,
        se_unclustered=se_image,
        design_effect=deff,
        method=CLUSTERED_AUC_METHOD,
        level=level,
        n_pos=int(is_pos.sum()),
        n_neg=int((~is_pos).sum()),
        positive=positive,
        **counts,
    )


@dataclass(frozen=True)
class ClusteredAUCComparison(Result):
    """The paired difference of two AUCs on the same clustered images (a minus b).

    Attributes
    ----------
    auc_a, auc_b, difference : float
        The two AUCs and ``auc_a - auc_b``.
    low, high : float
        Wald interval of the difference at ``level``.
    se : float
        Clustered standard error of the difference.
    statistic : float
        ``Z = difference / se``.
    p_value : float
    method : str
        ``"Obuchowski (clustered DeLong) paired"``.
    alternative : str
        ``"two-sided"``, ``"greater"`` (AUC a > AUC b) or ``"less"``.
    level : float
    n_pos, n_neg, n_clusters : int
    paired : bool
        Always True (both models scored the same images).
    """

    auc_a: float
    auc_b: float
    difference: float
    low: float
    high: float
    se: float
    statistic: float
    p_value: float
    method: str
    alternative: str
    level: float
    n_pos: int
    n_neg: int
    n_clusters: int
    paired: bool = True

    plotter = "plot_auc_comparison"

    def table(self) -> str:
        """The comparison as a text table."""
        rows = [
            ["AUC a", f"{self.auc_a:.4f}"],
            ["AUC b", f"{self.auc_b:.4f}"],
            ["difference (a - b)", f"{self.difference:.4f}"],
            [f"{100 * self.level:g}% CI of difference", f"{self.low:.4f} to {self.high:.4f}"],
            ["standard error (clustered)", f"{self.se:.4f}"],
            ["Z", f"{self.statistic:.4f}"],
            ["p-value", f"{self.p_value:.4g}"],
            ["clusters", str(self.n_clusters)],
        ]
        return (
            tabulate(rows, disable_numparse=True) + f"\nmethod: {self.method}, {self.alternative}"
        )


def clustered_auc_test(
    y_true: Any,
    score_a: Any,
    score_b: Any,
    *,
    groups: Any,
    pos_label: Any = None,
    alternative: str = "two-sided",
    level: float = 0.95,
) -> ClusteredAUCComparison:
    """Paired test of two AUCs on the same clustered images (Obuchowski 1997).

    ``Z = (AUC_a - AUC_b) / sqrt(V_a + V_b - 2 Cov_ab)`` with the clustered variances and
    covariance of :func:`clustered_auc_covariance`, compared to the standard normal, and
    the Wald interval of the difference. With one image per cluster it equals
    :func:`cxreval.delong_test` (pROC's ``roc.test(method="delong", paired=TRUE)``).

    Parameters
    ----------
    y_true : array-like of shape (n,)
        Binary labels, one per image.
    score_a, score_b : array-like of shape (n,)
        Scores of the two models for the same images.
    groups : array-like of shape (n,)
        Patient (or study) ID of each image; at least two distinct IDs.
    pos_label : label, optional
        The positive class.
    alternative : {"two-sided", "greater", "less"}
        "greater" tests AUC a > AUC b.
    level : float, default 0.95
        Level of the interval of the difference.

    Returns
    -------
    ClusteredAUCComparison
        Both AUCs, their difference with its interval, Z and the p-value (NaN, with a
        warning, when fewer than two clusters hold a positive or a negative image).

    References
    ----------
    N. A. Obuchowski, "Nonparametric analysis of clustered ROC curve data", Biometrics 53
    (1997) 567-578.

    Examples
    --------
    >>> from cxreval.clustered import clustered_auc_test
    >>> y = [1, 0, 1, 1, 0, 0, 1, 0, 0, 0, 1]
    >>> a = [0.9, 0.3, 0.7, 0.4, 0.5, 0.2, 0.6, 0.6, 0.1, 0.35, 0.8]
    >>> b = [0.8, 0.4, 0.6, 0.75, 0.2, 0.1, 0.5, 0.55, 0.3, 0.65, 0.9]
    >>> res = clustered_auc_test(y, a, b, groups=list("AABBBCDDEEE"))
    >>> round(res.statistic, 6), round(res.p_value, 6)
    (0.147816, 0.882488)
    """
    alternative = check_choice(alternative, "alternative", ALTERNATIVES)
    level = check_level(level)
    is_pos, scores, codes, k, _ = _clustered_inputs(
        y_true, {"score_a": score_a, "score_b": score_b}, groups, pos_label
    )
    aucs, cov, _, counts = obuchowski_covariance(is_pos, scores, codes, k)
    diff = float(aucs[0] - aucs[1])
    var = cov[0, 0] + cov[1, 1] - 2 * cov[0, 1]
    se = float(np.sqrt(max(var, 0.0))) if np.isfinite(var) else np.nan
    z = z_statistic(diff, se)
    half = ndtri(0.5 + level / 2) * se
    return ClusteredAUCComparison(
        auc_a=float(aucs[0]),
        auc_b=float(aucs[1]),
        difference=diff,
        low=diff - half,
        high=diff + half,
        se=se,
        statistic=float(z),
        p_value=p_value(z, alternative),
        method=f"{CLUSTERED_AUC_METHOD} paired",
        alternative=alternative,
        level=level,
        n_pos=int(is_pos.sum()),
        n_neg=int((~is_pos).sum()),
        n_clusters=counts["n_clusters"],
    )


# --------------------------------------------------------------------------- proportions


def cluster_ratio_variance(
    successes: Any, trials: Any
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Ratio estimate, its clustered variance and design effect from per-cluster counts.

    For K clusters with ``x_i`` successes in ``n_i`` trials (only clusters with
    ``n_i > 0`` count), ``p = sum x_i / sum n_i = x / n`` and the ratio-estimator
    (linearization) variance is ``v = K / (K - 1) * sum_i (x_i - p n_i)**2 / n**2``
    (Rao & Scott 1992; Obuchowski 1998). The design effect is ``deff = v / v_srs`` with
    ``v_srs = p (1 - p) / (n - 1)`` the same estimator when every image is its own
    cluster (Kish 1965), so ``deff = 1`` exactly with one image per cluster. Where
    ``p`` is 0 or 1 there is no variability to inflate and ``deff = 1``.

    Parameters
    ----------
    successes, trials : array-like of shape (K,) or (K, s)
        Counts per cluster (rows), for one or ``s`` statistics (columns).

    Returns
    -------
    estimate, variance, design_effect : numpy.ndarray
        Of shape () or (s,); NaN where fewer than two clusters have trials.

    Examples
    --------
    >>> from cxreval.clustered import cluster_ratio_variance
    >>> p, v, deff = cluster_ratio_variance([3, 0, 2, 1], [3, 1, 2, 2])
    >>> round(float(p), 4), round(float(v), 5), round(float(deff), 3)
    (0.75, 0.03385, 1.264)
    """
    x = np.asarray(successes, dtype=float)
    n_i = np.asarray(trials, dtype=float)
    k = (n_i > 0).sum(axis=0)
    n = n_i.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = x.sum(axis=0) / n
        var = k / (k - 1) * ((x - p * n_i) ** 2).sum(axis=0) / n**2
        srs = p * (1 - p) / (n - 1)
        deff = np.where(srs > 0, var / srs, 1.0)
    undefined = k < 2
    return p, np.where(undefined, np.nan, var), np.where(undefined, np.nan, deff)


@dataclass(frozen=True)
class ClusteredProportion(Result):
    """A proportion over clustered images with its design-effect-adjusted interval.

    Attributes
    ----------
    statistic : str
        What the proportion is (``"proportion"``, ``"recall"``, ``"specificity"``...).
    estimate, low, high : float
        ``successes / trials`` and its interval (NaN when undefined).
    se : float
        Clustered (ratio-estimator) standard error.
    design_effect : float
        Variance inflation by clustering (1 with one image per cluster).
    successes, trials : int
        Image counts.
    effective_trials : float
        ``trials / design_effect``, the sample size the interval uses.
    n_clusters : int
        Clusters holding at least one trial.
    method : str
        E.g. ``"Wilson, clustered (Rao-Scott design effect)"``.
    level : float
    """

    statistic: str
    estimate: float
    low: float
    high: float
    se: float
    design_effect: float
    successes: int
    trials: int
    effective_trials: float
    n_clusters: int
    method: str
    level: float

    plotter = "plot_clustered_proportions"

    def row(self) -> list[str]:
        """The table row: statistic, estimate, interval, deff, trials, clusters."""
        return [
            self.statistic,
            f"{self.estimate:.4f}",
            f"{self.low:.4f} to {self.high:.4f}",
            f"{self.design_effect:.3f}",
            f"{self.successes}/{self.trials}",
            str(self.n_clusters),
        ]

    def table(self) -> str:
        """The proportion as a one-row text table."""
        return _proportion_table([self], self.level) + f"\nmethod: {self.method}"

    def __str__(self) -> str:
        return (
            f"{self.statistic} {self.estimate:.4f} ({100 * self.level:g}% CI "
            f"{self.low:.4f}-{self.high:.4f}, {self.method}, {self.n_clusters} clusters)"
        )


def _proportion_table(items: list[ClusteredProportion], level: float) -> str:
    head = ["statistic", "estimate", f"{100 * level:g}% CI", "deff", "images", "clusters"]
    return tabulate([p.row() for p in items], headers=head, disable_numparse=True)


def clustered_ci_method(ci_method: str) -> str:
    """The name of a clustered proportion interval, e.g. ``"Wilson, clustered (Rao-Scott
    design effect)"``."""
    return f"{PROPORTION_CI_METHODS[ci_method]}, clustered (Rao-Scott design effect)"


def clustered_proportions(
    names: list[str],
    successes: np.ndarray,
    trials: np.ndarray,
    *,
    level: float,
    ci_method: str,
    alternative: str = "two-sided",
) -> dict[str, ClusteredProportion]:
    """One :class:`ClusteredProportion` per column of per-cluster counts (K, s): the
    computation behind :func:`clustered_proportion_ci` and
    :func:`cxreval.statmaker_from_predictions` with ``groups=``.

    Each column's estimate, variance and design effect are
    :func:`cluster_ratio_variance`'s; its interval is the ``ci_method`` interval (one-sided
    with ``alternative``, as :func:`cxreval.intervals.proportion_ci`) for
    ``successes / deff`` successes in ``trials / deff`` trials. A column with trials in
    fewer than two clusters is NaN, with one :class:`~cxreval.UndefinedStatisticWarning`
    naming them. ``level`` and ``ci_method`` are checked by the caller.

    Examples
    --------
    >>> from cxreval.clustered import clustered_proportions
    >>> res = clustered_proportions(["recall"], [[3], [0], [2], [1]], [[3], [1], [2], [2]],
    ...                             level=0.95, ci_method="wilson")
    >>> round(res["recall"].design_effect, 3), res["recall"].n_clusters
    (1.264, 4)
    """
    x, n_i = np.asarray(successes, dtype=float), np.asarray(trials, dtype=float)
    p, var, deff = cluster_ratio_variance(x, n_i)
    n_successes, n_trials = x.sum(axis=0), n_i.sum(axis=0)
    undefined = np.isnan(deff)
    if undefined.any():
        bad = [f"{s} ({int(c)} cluster(s))" for s, c, u in
               zip(names, (n_i > 0).sum(axis=0), undefined, strict=True) if u]  # fmt: skip
        _undefined(
            "the clustered interval needs trials in at least 2 clusters; NaN for " + ", ".join(bad),
            UndefinedStatisticWarning,
        )
    # deff = 0: no between-cluster variability at all (x_i = p n_i in every cluster), an
    # infinite effective sample: the interval is the point itself
    degenerate = ~undefined & (deff <= 0)
    if degenerate.any():
        zero = ", ".join(s for s, d in zip(names, degenerate, strict=True) if d)
        _undefined(
            f"zero clustered variance (every cluster has the same share): {zero} get an "
            "interval of zero width"
        )
    safe = np.where(undefined | degenerate, 1.0, deff)
    low, high = proportion_ci(
        n_successes / safe, n_trials / safe, level=level, ci_method=ci_method,
        alternative=alternative,
    )  # fmt: skip
    low, high = np.where(degenerate, p, low), np.where(degenerate, p, high)
    low, high = np.where(undefined, np.nan, low), np.where(undefined, np.nan, high)
    return {
        name: ClusteredProportion(
            statistic=name,
            estimate=float(p[j]),
            low=float(low[j]),
            high=float(high[j]),
            se=float(np.sqrt(var[j])),
            design_effect=float(deff[j]),
            successes=int(n_successes[j]),
            trials=int(n_trials[j]),
            effective_trials=np.inf if degenerate[j] else float(n_trials[j] / deff[j]),
            n_clusters=int((n_i[:, j] > 0).sum()),
            method=clustered_ci_method(ci_method),
            level=level,
        )
        for j, name in enumerate(names)
    }


def clustered_proportion_ci(
    successes: Any,
    *,
    groups: Any,
    level: float = 0.95,
    ci_method: str = "wilson",
    statistic: str = "proportion",
) -> ClusteredProportion:
    """Interval for a proportion of clustered images (e.g. a sensitivity per patient).

    The proportion is ``sum x / n`` over the images; its variance is the ratio-estimator
    variance of clustered binary data and the design effect ``deff`` compares it with
    the variance were every image independent (:func:`cluster_ratio_variance`). The
    interval is the ``ci_method`` interval for ``x / deff`` successes in ``n / deff``
    trials -- Rao & Scott's (1992) effective-sample-size adjustment. Wilson is the
    default, as for image-level proportions: unlike the Wald interval it stays inside
    [0, 1] and keeps its coverage near 0 and 1, which is where sensitivities and
    specificities of good models lie. With one image per cluster ``deff = 1`` and the
    interval is exactly :func:`cxreval.proportion_ci`'s.

    Parameters
    ----------
    successes : array-like of shape (n,)
        1 (or True) for a success, 0 for a failure, one per image in the denominator
        (for a sensitivity: the predictions of the positive images).
    groups : array-like of shape (n,)
        Patient (or study) ID of each image; at least two distinct IDs.
    level : float, default 0.95
        Confidence level.
    ci_method : {"wilson", "clopper-pearson", "agresti-coull", "normal"}, default "wilson"
        The image-level interval applied at the effective sample size.
    statistic : str, default "proportion"
        Name shown in the result.

    Returns
    -------
    ClusteredProportion

    References
    ----------
    J. N. K. Rao and A. J. Scott, "A simple method for the analysis of clustered binary
    data", Biometrics 48 (1992) 577-585. N. A. Obuchowski, "On the comparison of
    correlated proportions for clustered data", Statistics in Medicine 17 (1998)
    1495-1507.

    Examples
    --------
    >>> from cxreval.clustered import clustered_proportion_ci
    >>> hits = [1, 1, 1, 0, 1, 1, 0, 0, 1, 1]
    >>> res = clustered_proportion_ci(hits, groups=[1, 1, 1, 2, 3, 3, 4, 4, 5, 5])
    >>> print(res)
    proportion 0.7000 (95% CI 0.2895-0.9304, Wilson, clustered (Rao-Scott design effect), 5 clusters)
    """  # noqa: E501
    level = check_level(level)
    ci_method = check_choice(ci_method, "ci_method", tuple(PROPORTION_CI_METHODS))
    x = check_scores(successes, "successes")
    if not np.isin(x, (0, 1)).all():
        raise ValueError("successes must hold 0/1 (or booleans), one per image")
    codes, ids = check_groups(groups, len(x))
    x_i = np.bincount(codes, weights=x, minlength=len(ids))[:, None]
    n_i = np.bincount(codes, minlength=len(ids)).astype(float)[:, None]
    return clustered_proportions([statistic], x_i, n_i, level=level, ci_method=ci_method)[statistic]
