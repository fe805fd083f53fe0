"""Points of a ROC curve at a fixed specificity or sensitivity, and the specificity band.

:func:`sensitivity_at_specificity` and :func:`specificity_at_sensitivity` read the empirical
ROC curve as pROC's ``coords(input="specificity"/"sensitivity")`` does: linear interpolation
between the curve's points, and on a step of the curve (several points at the target) the
best of them. :func:`specificity_band` is pROC's ``ci.sp``: bootstrap specificity intervals at
fixed sensitivities, the mirror of :func:`cxreval.roc_band` (pROC's ``ci.se``). Intervals at a
given threshold (pROC's ``ci.thresholds``) are :func:`cxreval.bootstrap_statmaker` with
``y_score=`` and ``threshold=``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from tabulate import tabulate

from cxreval._checks import (
    check_binary_scores,
    check_choice,
    check_groups,
    check_level,
    check_n_boot,
    check_rates,
)
from cxreval._resampling import Resamples, WeightedRates, score_strata
from cxreval._result import Result
from cxreval.band import sensitivity_at
from cxreval.bootstrap import bootstrap_resamples
from cxreval.curves import ROCCurve, roc_curve, threshold_counts
from cxreval.inference import resampling_plan, without_unset_clusters

__all__ = [
    "RATES",
    "SpecificityBand",
    "curve_rate_at",
    "rate_at",
    "sensitivity_at_specificity",
    "specificity_at_sensitivity",
    "specificity_band",
]

#: The two rates a ROC curve can be read at.
RATES = ("sensitivity", "specificity")


def rate_at(
    fp: np.ndarray,
    tp: np.ndarray,
    n_neg: np.ndarray,
    n_pos: np.ndarray,
    targets: np.ndarray,
    given: str,
) -> np.ndarray:
    """The other rate at each target ``given`` rate, for rows of cumulative (fp, tp) counts.

    ``fp``, ``tp``: (b, L+1) counts at thresholds from +inf down, starting at 0 (as
    ``cxreval._resampling.WeightedRates`` gives them). Given a specificity, this is
    :func:`cxreval.band.sensitivity_at` at FPR ``1 - specificity``. Given a sensitivity,
    the curve is read backwards -- false negatives against true negatives, from the lowest
    threshold up, which is again a ROC curve -- so that on a horizontal step of the curve
    the highest specificity counts, and between points it is interpolated linearly.
    """
    if given == "specificity":
        return sensitivity_at(fp, tp, n_neg, n_pos, 1.0 - targets)
    fn = (n_pos[:, None] - tp)[:, ::-1]
    tn = (n_neg[:, None] - fp)[:, ::-1]
    return sensitivity_at(fn, tn, n_pos, n_neg, 1.0 - targets)


def curve_rate_at(
    is_pos: np.ndarray, score: np.ndarray, targets: np.ndarray, given: str
) -> np.ndarray:
    """The other rate at each target ``given`` rate on the empirical ROC curve of checked
    inputs (:func:`rate_at` of the one curve)."""
    fps, tps, _ = threshold_counts(is_pos, score)
    fp, tp = np.r_[0.0, fps][None], np.r_[0.0, tps][None]
    return rate_at(fp, tp, fp[:, -1], tp[:, -1], targets, given)[0]


def _read_curve(y_true: Any, y_score: Any, targets: Any, given: str, pos_label: Any) -> Any:
    rates, scalar = check_rates(targets, given)
    is_pos, score, _ = check_binary_scores(y_true, y_score, pos_label)
    out = curve_rate_at(is_pos, score, rates, given)
    return float(out[0]) if scalar else out


def sensitivity_at_specificity(
    y_true: Any, y_score: Any, specificity: Any, *, pos_label: Any = None
) -> float | np.ndarray:
    """Sensitivity of the empirical ROC curve at a fixed specificity, as pROC's ``coords``.

    The curve is interpolated linearly between its points; where the target specificity
    is reached by several points (a vertical step) the highest sensitivity counts. This is
    ``coords(roc, x, input="specificity", ret="sensitivity")`` of pROC (Robin et al.,
    2011), which returns the threshold NA for an interpolated point; here no threshold is
    returned. For its confidence interval use ``cxreval.roc_band(y_true, y_score,
    specificities=[...])`` (pROC's ``ci.se``).

    Parameters
    ----------
    y_true : array-like of shape (n,)
        Binary labels; both classes must be present.
    y_score : array-like of shape (n,)
        Finite scores, higher meaning more likely positive.
    specificity : float or array-like
        Target specificity (or specificities) in [0, 1].
    pos_label : label, optional
        The positive class (default: the larger label).

    Returns
    -------
    float or numpy.ndarray
        A float for one target, else one sensitivity per target.

    References
    ----------
    X. Robin et al., "pROC: an open-source package for R and S+ to analyze and compare
    ROC curves", BMC Bioinformatics 12:77 (2011).

    Examples
    --------
    >>> from cxreval.coords import sensitivity_at_specificity
    >>> y, s = [0, 0, 0, 0, 1, 1, 1, 1], [1, 2, 3, 6, 4, 5, 7, 8]
    >>> sensitivity_at_specificity(y, s, 0.75)  # threshold 4 keeps 3 of 4 negatives
    1.0
    >>> sensitivity_at_specificity(y, s, [1.0, 0.875]).tolist()
    [0.5, 0.5]
    >>> # a tie of a positive and a negative makes a diagonal step, read linearly:
    >>> sensitivity_at_specificity([0, 1, 0, 1], [1, 2, 2, 3], 0.75)
    0.75
    """
    return _read_curve(y_true, y_score, specificity, "specificity", pos_label)


def specificity_at_sensitivity(
    y_true: Any, y_score: Any, sensitivity: Any, *, pos_label: Any = None
) -> float | np.ndarray:
    """Specificity of the empirical ROC curve at a fixed sensitivity, as pROC's ``coords``.

    The mirror of :func:`sensitivity_at_specificity`: linear interpolation between the
    curve's points, the highest specificity where several points reach the target
    sensitivity -- ``coords(roc, x, input="sensitivity", ret="specificity")`` of pROC. For
    its confidence interval use :func:`cxreval.specificity_band` (pROC's ``ci.sp``).

    Parameters
    ----------
    y_true : array-like of shape (n,)
        Binary labels; both classes must be present.
    y_score : array-like of shape (n,)
        Finite scores, higher meaning more likely positive.
    sensitivity : float or array-like
        Target sensitivity (or sensitivities) in [0, 1].
    pos_label : label, optional
        The positive class (default: the larger label).

    Returns
    -------
    float or numpy.ndarray
        A float for one target, else one specificity per target.

    References
    ----------
    X. Robin et al., BMC Bioinformatics 12:77 (2011).

    Examples
    --------
    >>> from cxreval.coords import specificity_at_sensitivity
    >>> y, s = [0, 0, 0, 0, 1, 1, 1, 1], [1, 2, 3, 6, 4, 5, 7, 8]
    >>> specificity_at_sensitivity(y, s, [0.5, 1.0]).tolist()
    [1.0, 0.75]
    """
    return _read_curve(y_true, y_score, sensitivity, "sensitivity", pos_label)


@dataclass(frozen=True)
class SpecificityBand(Result):
    """Bootstrap specificity intervals at fixed sensitivities, as pROC's ``ci.sp``.

    Attributes
    ----------
    sensitivities, specificity, low, high : numpy.ndarray
        The grid, the curve's specificity there and its interval.
    curve : ROCCurve
    level : float
    method : str
        E.g. ``"stratified bootstrap (percentile, B=2000)"``.
    n_boot : int
    seed : int or None
    n_clusters : int or None
        Patients resampled by a cluster bootstrap (``groups=``); None otherwise (and then
        left out of :meth:`to_dict`).
    """

    sensitivities: np.ndarray
    specificity: np.ndarray
    low: np.ndarray
    high: np.ndarray
    curve: ROCCurve
    level: float
    method: str
    n_boot: int
    seed: int | None
    n_clusters: int | None = None

    plotter = "plot_specificity_band"

    def to_dict(self) -> dict[str, Any]:
        """Every field; ``n_clusters`` only with ``groups=``."""
        return without_unset_clusters(super().to_dict())

    def table(self) -> str:
        """Specificity with its interval at each sensitivity."""
        rows = zip(self.sensitivities, self.specificity, self.low, self.high, strict=True)
        head = ["sensitivity", "specificity", f"{100 * self.level:g}% low", "high"]
        seed = "" if self.seed is None else f", seed {self.seed}"
        return tabulate(list(rows), headers=head, floatfmt=".4f") + f"\nmethod: {self.method}{seed}"


def specificity_band(
    y_true: Any,
    y_score: Any,
    *,
    sensitivities: Any = None,
    level: float = 0.95,
    n_boot: int = 2000,
    stratified: bool = True,
    bootstrap_method: str = "percentile",
    random_state: Any = None,
    pos_label: Any = None,
    progress: bool = False,
    groups: Any = None,
) -> SpecificityBand:
    """Bootstrap specificity intervals at fixed sensitivities (pROC's ``ci.sp``).

    Each resample's ROC curve is read at the given sensitivities as
    :func:`specificity_at_sensitivity` reads it, and each specificity's interval comes from
    the bootstrap engine -- the mirror of :func:`cxreval.roc_band` (pROC's ``ci.se``). With
    a single sensitivity it is the interval of the specificity at that sensitivity (pROC's
    ``ci.coords(x=..., input="sensitivity", ret="specificity")``). With ``groups=`` the
    patients are resampled (the cluster bootstrap of :func:`cxreval.roc_auc_ci`).

    Parameters
    ----------
    y_true : array-like of shape (n,)
        Binary labels; both classes must be present.
    y_score : array-like of shape (n,)
        Finite scores, higher meaning more likely positive.
    sensitivities : float or array-like, optional
        Sensitivities in [0, 1]; default 0, 0.05, ..., 1.
    level : float, default 0.95
        Confidence level of each interval.
    n_boot : int, default 2000
        Bootstrap resamples (pROC's ``boot.n``).
    stratified : bool, default True
        Resample positives and negatives separately (pROC's default). Without it a
        resample may hold one class only; it is left out with a :class:`RuntimeWarning`.
    bootstrap_method : {"percentile", "basic"}, default "percentile"
        Bootstrap interval method.
    random_state : None, int or numpy.random.Generator
        Bootstrap seed; a fresh one is drawn and recorded when None.
    pos_label : label, optional
        The positive class (default: the larger label).
    progress : bool, default False
        Show a progress bar for the bootstrap.
    groups : array-like of shape (n,), optional
        Patient (or study) ID of each image: the cluster bootstrap (patients resampled
        with replacement, all their images taken, unstratified: ``stratified`` is not
        used). With one image per patient the band equals the unstratified one with the
        same seed, bit for bit. The number of patients is recorded (``n_clusters``).

    Returns
    -------
    SpecificityBand

    References
    ----------
    X. Robin et al., BMC Bioinformatics 12:77 (2011); J. Carpenter and J. Bithell,
    "Bootstrap confidence intervals", Statistics in Medicine 19:1141-1164 (2000);
    C. A. Field and A. H. Welsh, "Bootstrapping clustered data", Journal of the Royal
    Statistical Society B 69 (2007) 369-390.

    Examples
    --------
    >>> import numpy as np
    >>> from cxreval.coords import specificity_band
    >>> rng = np.random.default_rng(0)
    >>> y = np.r_[np.zeros(80), np.ones(80)]
    >>> band = specificity_band(y, y + rng.normal(0, 1, 160), sensitivities=[0.8, 0.9],
    ...                         n_boot=300, random_state=0)
    >>> bool(np.all(band.low <= band.specificity) and np.all(band.specificity <= band.high))
    True
    >>> specificity_band(y, y + rng.normal(0, 1, 160), sensitivities=0.9, n_boot=300,
    ...                  random_state=0, groups=np.arange(160) // 4).n_clusters
    40
    """
    level = check_level(level)
    bootstrap_method = check_choice(bootstrap_method, "bootstrap_method", ("percentile", "basic"))
    n_boot = check_n_boot(n_boot, level)
    is_pos, score, positive = check_binary_scores(y_true, y_score, pos_label)
    codes = None if groups is None else check_groups(groups, len(is_pos))[0]
    stratified = stratified and codes is None
    if sensitivities is None:
        sensitivities = np.linspace(0.0, 1.0, 21)
    targets, _ = check_rates(sensitivities, "sensitivities")
    res = bootstrap_rates(
        score_strata(y_true, score, stratified),
        is_pos,
        [(score, None)],
        targets,
        "sensitivity",
        n_boot,
        stratified=stratified,
        codes=codes,
        level=level,
        bootstrap_method=bootstrap_method,
        random_state=random_state,
        progress=progress,
    )
    return SpecificityBand(
        sensitivities=targets,
        specificity=np.atleast_1d(res.estimate),
        low=np.atleast_1d(res.low),
        high=np.atleast_1d(res.high),
        curve=roc_curve(y_true, score, pos_label=positive),
        level=level,
        method=res.method,
        n_boot=res.n_boot,
        seed=res.seed,
        n_clusters=res.n_clusters,
    )


def bootstrap_rates(
    strata: list[np.ndarray],
    is_pos: np.ndarray,
    scores: list[tuple[np.ndarray, np.ndarray | None]],
    targets: np.ndarray,
    given: str,
    n_boot: int,
    *,
    stratified: bool,
    combine: Any = None,
    codes: np.ndarray | None = None,
    **options: Any,
) -> Any:
    """Bootstrap of the rate at ``targets`` of one or more ROC curves, all read on the same
    resamples of ``strata`` (the cases' resampling strata).

    ``scores`` holds ``(score, columns)`` per curve: the scores of every case and which
    positions of the strata's concatenated order the curve is made of (None: all -- two
    models on the same cases; two disjoint ranges: two test sets, each resampled on its
    own). ``combine`` maps the curves' (b, k) rates of a chunk to the statistic (default:
    the first curve's rates); ``options`` go to :func:`cxreval.bootstrap.run_bootstrap`.
    With ``codes`` (each case's cluster, 0..K-1) the clusters are resampled within each
    stratum (:func:`cxreval.inference.resampling_plan`; a cluster may not span strata):
    with one case per cluster, the case bootstrap's resamples exactly.
    """
    plan = resampling_plan(strata, [], codes=codes)
    curves = []
    for score, columns in scores:
        columns = np.arange(len(plan.order)) if columns is None else columns
        curves.append((WeightedRates(score, is_pos, plan.order[columns]), columns))
    combine = combine or (lambda rates: rates[0])

    def kernel(resamples: Resamples) -> np.ndarray:
        found = []
        counts = plan.counts(resamples)
        for curve, columns in curves:
            fp, tp = curve(counts[:, columns])
            found.append(rate_at(fp, tp, fp[:, -1], tp[:, -1], targets, given))
        return combine(found)

    return bootstrap_resamples(
        plan.engine_strata,
        kernel,
        kernel(plan.once())[0],
        n_boot=n_boot,
        stratified=stratified,
        statistic=RATES[given == "sensitivity"],
        jackknife=None,
        bounds=(0.0, 1.0) if len(scores) == 1 else (-1.0, 1.0),
        n_clusters=plan.n_clusters,
        **options,
    )
