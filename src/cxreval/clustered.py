"""Analytic intervals for clustered proportions: several images per patient.

When a patient contributes several images, the images are not independent and intervals
that treat them so are too narrow. This module gives the analytic (closed-form)
intervals of proportions for ``groups=`` (one patient or study ID per image):

* proportions (sensitivity, specificity, predictive values, accuracy, ...) with the
  ratio-estimator variance of clustered binary data and Rao & Scott's (1992) design
  effect: the interval is the image-level interval (Wilson by default) at the effective
  sample size ``n / deff``. With one image per cluster ``deff = 1`` and every interval
  equals its image-level one.

The AUC's clustered counterpart, Obuchowski's (1997) clustered DeLong, is
:func:`cxreval.roc_auc_ci` and :func:`cxreval.delong_test` with ``groups=`` (its covariance
:func:`cxreval.delong.clustered_auc_covariance`); the cluster bootstrap is the resampling
engine's (``cxreval._resampling``). One job: closed-form intervals of proportions when
images are clustered in patients.

References
----------
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
from tabulate import tabulate

from cxreval._checks import (
    caller_stacklevel,
    check_array_1d,
    check_binary_target,
    check_choice,
    check_consistent_length,
    check_groups,
    check_labels,
    check_level,
    check_predicted_labels,
    check_scores,
)
from cxreval._result import Result
from cxreval._statistics import ALIASES, proportion_terms
from cxreval.exceptions import UndefinedStatisticWarning
from cxreval.intervals import PROPORTION_CI_METHODS, proportion_ci

__all__ = [
    "ClusteredBinaryIntervals",
    "ClusteredProportion",
    "cluster_ratio_variance",
    "clustered_binary_intervals",
    "clustered_proportion_ci",
]


def _undefined(message: str, category: type[Warning] = RuntimeWarning) -> None:
    warnings.warn(message, category, stacklevel=caller_stacklevel())


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


def _method_name(ci_method: str) -> str:
    return f"{PROPORTION_CI_METHODS[ci_method]}, clustered (Rao-Scott design effect)"


def _proportions(
    names: list[str], x: np.ndarray, n_i: np.ndarray, level: float, ci_method: str
) -> dict[str, ClusteredProportion]:
    """One :class:`ClusteredProportion` per column of the per-cluster counts."""
    p, var, deff = cluster_ratio_variance(x, n_i)
    successes, trials = x.sum(axis=0), n_i.sum(axis=0)
    undefined = np.isnan(deff)
    if undefined.any():
        bad = [f"{s} ({int(c)} cluster(s))" for s, c, u in
               zip(names, (n_i > 0).sum(axis=0), undefined, strict=True) if u]  # fmt: skip
        _undefined(
            "the clustered interval needs trials in at least 2 clusters; NaN for " + ", ".join(bad),
            UndefinedStatisticWarning,
        )
    safe = np.where(undefined, 1.0, deff)
    low, high = proportion_ci(successes / safe, trials / safe, level=level, ci_method=ci_method)
    low, high = np.where(undefined, np.nan, low), np.where(undefined, np.nan, high)
    return {
        name: ClusteredProportion(
            statistic=name,
            estimate=float(p[j]),
            low=float(low[j]),
            high=float(high[j]),
            se=float(np.sqrt(var[j])),
            design_effect=float(deff[j]),
            successes=int(successes[j]),
            trials=int(trials[j]),
            effective_trials=float(trials[j] / deff[j]),
            n_clusters=int((n_i[:, j] > 0).sum()),
            method=_method_name(ci_method),
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
    return _proportions([statistic], x_i, n_i, level, ci_method)[statistic]


@dataclass(frozen=True)
class ClusteredBinaryIntervals(Result):
    """Every proportion of a binary confusion matrix with its clustered interval.

    Attributes
    ----------
    intervals : dict of str to ClusteredProportion
        ``prevalence``, ``accuracy``, ``recall``, ``specificity``, ``precision``,
        ``npv``, ``fpr``, ``fnr``, ``fdr``, ``false_omission_rate`` and their aliases
        (``sensitivity``, ``ppv``...).
    counts : dict of str to int
        ``tp``, ``fp``, ``fn``, ``tn``.
    n_clusters : int
    method : str
    level : float
    positive : label
    """

    intervals: dict[str, ClusteredProportion]
    counts: dict[str, int]
    n_clusters: int
    method: str
    level: float
    positive: Any

    plotter = "plot_clustered_proportions"

    def __getitem__(self, name: str) -> ClusteredProportion:
        return self.intervals[name]

    def table(self) -> str:
        """Every statistic (aliases once) with its clustered interval, as a text table."""
        shown = [p for name, p in self.intervals.items() if name not in ALIASES]
        return (
            _proportion_table(shown, self.level)
            + f"\nmethod: {self.method}; {self.n_clusters} clusters"
        )


def clustered_binary_intervals(
    y_true: Any,
    y_pred: Any,
    *,
    groups: Any,
    pos_label: Any = None,
    level: float = 0.95,
    ci_method: str = "wilson",
) -> ClusteredBinaryIntervals:
    """Sensitivity, specificity and every other proportion with clustered intervals.

    The per-cluster confusion counts give, for each proportion of
    :func:`cxreval.binary_intervals` (the same numerators and denominators), the
    ratio-estimator variance and design effect of :func:`cluster_ratio_variance`, and
    the ``ci_method`` interval at the effective sample size (Rao & Scott 1992). With one
    image per cluster every interval equals :func:`cxreval.binary_intervals`'.

    Parameters
    ----------
    y_true : array-like of shape (n,)
        Binary labels, one per image.
    y_pred : array-like of shape (n,)
        Predicted labels (from the labels of ``y_true``).
    groups : array-like of shape (n,)
        Patient (or study) ID of each image; at least two distinct IDs.
    pos_label : label, optional
        The positive class (default: the larger label).
    level : float, default 0.95
        Confidence level.
    ci_method : {"wilson", "clopper-pearson", "agresti-coull", "normal"}, default "wilson"
        The image-level interval applied at the effective sample size.

    Returns
    -------
    ClusteredBinaryIntervals
        ``result["recall"]`` (or ``["sensitivity"]``) is a :class:`ClusteredProportion`.
        A statistic whose denominator falls in fewer than two clusters is NaN with an
        :class:`~cxreval.UndefinedStatisticWarning`.

    References
    ----------
    J. N. K. Rao and A. J. Scott, "A simple method for the analysis of clustered binary
    data", Biometrics 48 (1992) 577-585. N. A. Obuchowski, "On the comparison of
    correlated proportions for clustered data", Statistics in Medicine 17 (1998)
    1495-1507.

    Examples
    --------
    >>> from cxreval.clustered import clustered_binary_intervals
    >>> y    = [1, 1, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0]
    >>> pred = [1, 1, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0]
    >>> res = clustered_binary_intervals(y, pred, groups=[1, 1, 1, 2, 2, 3, 3, 3, 4, 5, 5, 6])
    >>> sens = res["sensitivity"]
    >>> sens.successes, sens.trials, sens.n_clusters, round(sens.design_effect, 3)
    (4, 6, 4, 1.481)
    """
    level = check_level(level)
    ci_method = check_choice(ci_method, "ci_method", tuple(PROPORTION_CI_METHODS))
    is_pos, positive = check_binary_target(y_true, pos_label=pos_label)
    pred = check_array_1d(y_pred, "y_pred")
    check_consistent_length(y_true=is_pos, y_pred=pred)
    y = check_array_1d(y_true, "y_true")
    known = np.unique(y).tolist()
    predicted = check_labels(pred, "y_pred").tolist()
    check_predicted_labels(y, pred)
    unknown = sorted({v for v in predicted if v not in known})
    if unknown:
        raise ValueError(f"y_pred holds labels {unknown[:5]} that are not labels of y_true")
    codes, ids = check_groups(groups, len(is_pos))
    pred_pos = pred == positive
    k = len(ids)
    cells = {
        name: np.bincount(codes[mask], minlength=k).astype(float)
        for name, mask in (
            ("tp", is_pos & pred_pos),
            ("fp", ~is_pos & pred_pos),
            ("fn", is_pos & ~pred_pos),
            ("tn", ~is_pos & ~pred_pos),
        )
    }
    terms = proportion_terms(cells["tp"], cells["fp"], cells["fn"], cells["tn"])
    names = list(terms)
    x_i = np.stack([terms[s][0] for s in names], axis=1)
    n_i = np.stack([terms[s][1] for s in names], axis=1)
    intervals = _proportions(names, x_i, n_i, level, ci_method)
    intervals.update({alias: intervals[name] for alias, name in ALIASES.items() if name in terms})
    return ClusteredBinaryIntervals(
        intervals=intervals,
        counts={name: int(c.sum()) for name, c in cells.items()},
        n_clusters=k,
        method=_method_name(ci_method),
        level=level,
        positive=positive,
    )
