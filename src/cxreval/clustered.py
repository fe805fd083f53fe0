"""Analytic intervals for clustered proportions: several images per patient.

When a patient contributes several images, the images are not independent and intervals
that treat them so are too narrow. This module gives the analytic (closed-form)
intervals of proportions for ``groups=`` (one patient or study ID per image):

* proportions (sensitivity, specificity, predictive values, accuracy, ...) with the
  ratio-estimator variance of clustered binary data and Rao & Scott's (1992) design
  effect: the interval is the image-level interval (Wilson by default) at the effective
  sample size ``n / deff``. With one image per cluster ``deff = 1`` and every interval
  equals its image-level one. :func:`cxreval.statmaker_from_predictions` with
  ``groups=`` gives every proportion of a confusion matrix this way.

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
    check_choice,
    check_groups,
    check_level,
    check_scores,
)
from cxreval._result import Result
from cxreval.exceptions import UndefinedStatisticWarning
from cxreval.intervals import PROPORTION_CI_METHODS, proportion_ci

__all__ = [
    "ClusteredProportion",
    "cluster_ratio_variance",
    "clustered_ci_method",
    "clustered_proportion_ci",
    "clustered_proportions",
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
