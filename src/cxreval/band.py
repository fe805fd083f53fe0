"""Confidence band of a ROC curve: bootstrap sensitivity intervals at fixed specificities,
as pROC's ``ci.se``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from tabulate import tabulate

from cxreval._checks import (
    check_array_1d,
    check_binary_scores,
    check_choice,
    check_groups,
    check_level,
    check_n_boot,
)
from cxreval._resampling import Resamples, WeightedRates, score_strata
from cxreval._result import Result
from cxreval.bootstrap import bootstrap_resamples
from cxreval.curves import ROCCurve, roc_curve
from cxreval.inference import AUCInterval, resampling_plan, roc_auc_ci, without_unset_clusters

__all__ = ["ROCBand", "roc_band", "sensitivity_at"]


def sensitivity_at(
    fp: np.ndarray, tp: np.ndarray, n_neg: np.ndarray, n_pos: np.ndarray, fpr_targets
) -> np.ndarray:
    """Sensitivity at each target FPR for rows of cumulative (fp, tp) counts.

    ``fp``, ``tp``: (b, L+1) counts at thresholds from +inf down, starting at 0. At a
    target on a vertical step the highest sensitivity counts; between points the curve
    is interpolated linearly. A row without negatives or without positives (a resample
    of one class only) has no ROC curve: its sensitivities are NaN.
    """
    targets = np.asarray(fpr_targets, dtype=float)[None, :]
    defined = (n_neg > 0) & (n_pos > 0)
    if not defined.all():
        out = np.full((len(fp), targets.shape[1]), np.nan)
        if defined.any():
            out[defined] = sensitivity_at(
                fp[defined], tp[defined], n_neg[defined], n_pos[defined], fpr_targets
            )
        return out
    b, width = fp.shape
    fpr = fp / n_neg[:, None]
    tpr = tp / n_pos[:, None]
    rows = np.arange(b)[:, None]
    # fpr rows are non-decreasing in [0, 1]: shifting row r by 2r makes one sorted array
    keys = (fpr + 2.0 * rows).ravel()
    found = np.searchsorted(keys, (targets + 1e-12 + 2.0 * rows).ravel(), side="right")
    left = found.reshape(b, -1) - rows * width - 1
    right = np.minimum(left + 1, width - 1)
    x0, x1 = fpr[rows, left], fpr[rows, right]
    y0, y1 = tpr[rows, left], tpr[rows, right]
    with np.errstate(invalid="ignore", divide="ignore"):
        step = np.where(x1 > x0, (targets - x0) / (x1 - x0), 0.0)
    return np.clip(y0 + np.clip(step, 0.0, 1.0) * (y1 - y0), 0.0, 1.0)


@dataclass(frozen=True)
class ROCBand(Result):
    """Bootstrap confidence band of a ROC curve: sensitivity intervals at fixed
    specificities, as pROC's ``ci.se``.

    Attributes
    ----------
    specificities, sensitivity, low, high : ndarray
        The grid, the sensitivity of the curve there and its interval.
    curve : ROCCurve
    auc_ci : AUCInterval
        The AUC with its interval, for the legend.
    level : float
    method : str
    n_boot : int
    seed : int or None
    resampling : str
        ``"cases"`` or ``"multinomial"`` (see :func:`roc_band`).
    n_clusters : int or None
        Patients resampled by a cluster bootstrap (``groups=``); None otherwise (and then
        left out of :meth:`to_dict`).
    """

    specificities: np.ndarray
    sensitivity: np.ndarray
    low: np.ndarray
    high: np.ndarray
    curve: ROCCurve
    auc_ci: AUCInterval
    level: float
    method: str
    n_boot: int
    seed: int | None
    resampling: str = "cases"
    n_clusters: int | None = None

    plotter = "plot_roc_band"

    def to_dict(self) -> dict[str, Any]:
        """Every field; ``n_clusters`` only with ``groups=``."""
        return without_unset_clusters(super().to_dict())

    def table(self) -> str:
        """Sensitivity with its interval at each specificity."""
        rows = zip(self.specificities, self.sensitivity, self.low, self.high, strict=True)
        head = ["specificity", "sensitivity", f"{100 * self.level:g}% low", "high"]
        return tabulate(list(rows), headers=head, floatfmt=".4f") + f"\nmethod: {self.method}"


def roc_band(
    y_true: Any,
    y_score: Any,
    *,
    specificities: Any = None,
    level: float = 0.95,
    n_boot: int = 2000,
    stratified: bool = True,
    bootstrap_method: str = "percentile",
    auc_ci_method: str = "delong",
    random_state: Any = None,
    pos_label: Any = None,
    progress: bool = False,
    resampling: str = "cases",
    groups: Any = None,
) -> ROCBand:
    """Confidence band of a ROC curve: bootstrap sensitivity intervals at specificities.

    Each resample's ROC curve is read at the given specificities (highest sensitivity on a
    vertical step, linear interpolation between points), and the interval of each
    sensitivity comes from the bootstrap engine -- pROC's ``ci.se``. With ``groups=`` the
    patients are resampled (the cluster bootstrap of :func:`cxreval.roc_auc_ci`).

    Parameters
    ----------
    y_true : array-like of shape (n,)
        Binary labels; both classes must be present.
    y_score : array-like of shape (n,)
        Finite scores, higher meaning more likely positive.
    specificities : array-like, optional
        1-D grid of numbers in [0, 1]; default 0, 0.05, ..., 1.
    level : float, default 0.95
        Confidence level of each sensitivity interval.
    n_boot : int, default 2000
        Bootstrap resamples: at least ``2 / (1 - level) - 1`` (39 at 95 %), a warning
        below 1000 (see :func:`cxreval.bootstrap`).
    stratified : bool, default True
        Resample positives and negatives separately (pROC's default). Without it a
        resample may hold one class only; it has no ROC curve and is left out with a
        :class:`RuntimeWarning` (``n_boot`` of the result counts the rest).
    bootstrap_method : {"percentile", "basic"}, default "percentile"
        Bootstrap interval method.
    auc_ci_method : {"delong", "bootstrap"}, default "delong"
        Method of the AUC interval shown in the legend.
    random_state : None, int or numpy.random.Generator
        Bootstrap seed; a fresh one is drawn and recorded when None.
    pos_label : label, optional
        The positive class (default: the larger label).
    progress : bool, default False
        Show a progress bar for the bootstrap.
    resampling : {"cases", "multinomial", "auto"}, default "cases"
        How the bootstrap resamples, as in :func:`cxreval.roc_auc_ci`: case indices, or
        multinomial counts over the distinct (label, score) pairs of each stratum -- the
        same distribution, far faster with tied scores; "auto" takes the multinomial
        draw when there are at most n / 16 distinct pairs. Recorded in the result.
    groups : array-like of shape (n,), optional
        Patient (or study) ID of each image: the cluster bootstrap (patients resampled
        with replacement, all their images taken, unstratified: ``stratified`` is not
        used; ``resampling="multinomial"`` refused), also for a bootstrap AUC interval;
        a DeLong AUC interval becomes Obuchowski's. With one image per patient the band
        equals the unstratified one with the same seed, bit for bit. The number of
        patients is recorded (``n_clusters``).

    Returns
    -------
    ROCBand
        The grid, the curve's sensitivities there with their intervals, and the AUC.

    References
    ----------
    X. Robin et al., "pROC: an open-source package for R and S+ to analyze and compare
    ROC curves", BMC Bioinformatics 12:77 (2011); C. A. Field and A. H. Welsh,
    "Bootstrapping clustered data", Journal of the Royal Statistical Society B 69 (2007)
    369-390.

    Examples
    --------
    >>> import numpy as np
    >>> from cxreval import roc_band
    >>> rng = np.random.default_rng(0)
    >>> y = np.r_[np.zeros(80), np.ones(80)]
    >>> band = roc_band(y, y + rng.normal(0, 1, 160), n_boot=300, random_state=0)
    >>> bool(np.all(band.low <= band.high))
    True
    >>> two_each = roc_band(y, y + rng.normal(0, 1, 160), n_boot=300, random_state=0,
    ...                     groups=np.arange(160) // 2)
    >>> two_each.method, two_each.n_clusters
    ('cluster bootstrap (percentile, B=300)', 80)
    """
    level = check_level(level)
    bootstrap_method = check_choice(bootstrap_method, "bootstrap_method", ("percentile", "basic"))
    n_boot = check_n_boot(n_boot, level)
    is_pos, score, positive = check_binary_scores(y_true, y_score, pos_label)
    codes = None if groups is None else check_groups(groups, len(is_pos))[0]
    if specificities is None:
        specificities = np.linspace(0.0, 1.0, 21)
    spec = check_array_1d(specificities, "specificities", numeric=True).astype(float)
    if not np.all((spec >= 0) & (spec <= 1)):
        raise ValueError("specificities must be a non-empty array of values in [0, 1]")
    stratified = stratified and codes is None
    plan = resampling_plan(
        score_strata(y_true, score, stratified), [is_pos, score], resampling, codes
    )
    rates = WeightedRates(plan.take(score), plan.take(is_pos), plan.order)

    def kernel(resamples: Resamples) -> np.ndarray:
        fp, tp = rates(plan.counts(resamples))
        return sensitivity_at(fp, tp, fp[:, -1], tp[:, -1], 1.0 - spec)

    res = bootstrap_resamples(
        plan.engine_strata,
        kernel,
        kernel(plan.once())[0],
        multiplicities=plan.multiplicities,
        n_boot=n_boot,
        stratified=stratified,
        statistic="sensitivity",
        level=level,
        bootstrap_method=bootstrap_method,
        random_state=random_state,
        jackknife=None,
        bounds=(0.0, 1.0),
        progress=progress,
        n_clusters=plan.n_clusters,
    )
    auc_ci = roc_auc_ci(
        y_true,
        score,
        ci_method=auc_ci_method,
        level=level,
        n_boot=n_boot,
        stratified=stratified,
        random_state=random_state if res.seed is None else res.seed,
        pos_label=positive,
        resampling=resampling,
        groups=codes,
    )
    return ROCBand(
        specificities=spec,
        sensitivity=np.atleast_1d(res.estimate),
        low=np.atleast_1d(res.low),
        high=np.atleast_1d(res.high),
        curve=roc_curve(y_true, score, pos_label=positive),
        auc_ci=auc_ci,
        level=level,
        method=res.method,
        n_boot=res.n_boot,
        seed=res.seed,
        resampling=res.resampling,
        n_clusters=res.n_clusters,
    )
