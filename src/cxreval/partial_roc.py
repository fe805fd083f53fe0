"""Partial AUC: the area under part of the ROC curve, its interval and tests.

One job: the partial AUC -- its value, its two kinds of interval and the tests comparing
two of them. The partial AUC over a specificity range ``[lo, hi]`` is the area under the
empirical ROC curve (straight lines between its points) between those specificities; over
a sensitivity range it is the area between the curve and the sensitivity axis, as pROC's
``auc(roc, partial.auc=c(hi, lo), partial.auc.focus=...)``. McClish (1989) maps it to the
scale of a full AUC (0.5 for chance, 1 for a perfect curve). Intervals and tests are by
the stratified bootstrap through :func:`cxreval.bootstrap` (the default), or with
``groups=`` by its cluster bootstrap (patients resampled), or with ``ci_method="delong"``
by the DeLong-type variance of the placement values of the empirical partial area (which
pROC does not offer; over the full range it is DeLong's)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.special import ndtri
from tabulate import tabulate

from cxreval._checks import (
    check_binary_scores,
    check_choice,
    check_level,
    check_limits,
    check_n_boot,
    check_random_state,
    check_unpaired_groups,
)
from cxreval._resampling import seeded_generator
from cxreval._result import Result
from cxreval.bootstrap import BOOTSTRAP_METHODS, BootstrapResult, bootstrap
from cxreval.curves import threshold_counts
from cxreval.delong import placement_covariance
from cxreval.inference import (
    ALTERNATIVES,
    AUCComparison,
    p_value,
    without_unset_clusters,
    z_statistic,
)

__all__ = [
    "FOCUSES",
    "PARTIAL_AUC_CI_METHODS",
    "PLACEMENT_METHOD",
    "PartialAUCInterval",
    "partial_auc",
    "partial_auc_ci",
    "partial_auc_test",
    "partial_auc_test_unpaired",
]

#: Which axis the range of a partial AUC is on (``focus=``).
FOCUSES = ("specificity", "sensitivity")

#: How a partial AUC's interval (and test) is computed (``ci_method=``).
PARTIAL_AUC_CI_METHODS = ("bootstrap", "delong")

#: The method name of the analytic interval (``ci_method="delong"``).
PLACEMENT_METHOD = "DeLong-type (placement values, delta method)"


def _integral(x: np.ndarray, y: np.ndarray, t: Any) -> Any:
    """Integral from ``x[0]`` to ``t`` (a float or an array) of the broken line through
    ``(x, y)`` (``x`` non-decreasing; a repeated ``x`` is a vertical step)."""
    cumulative = np.r_[0.0, np.cumsum(np.diff(x) * (y[1:] + y[:-1]) / 2)]
    t = np.asarray(t, dtype=float)
    k = np.clip(np.searchsorted(x, t, side="right") - 1, 0, len(x) - 2)
    width = x[k + 1] - x[k]
    with np.errstate(invalid="ignore", divide="ignore"):
        y_t = y[k] + (y[k + 1] - y[k]) * (t - x[k]) / width
    out = np.where(width == 0, cumulative[k], cumulative[k] + (t - x[k]) * (y[k] + y_t) / 2)
    return float(out) if out.ndim == 0 else out


def _partial_area(
    is_pos: np.ndarray, score: np.ndarray, lo: float, hi: float, focus: str, standardized: bool
) -> float:
    """The partial AUC of checked inputs (see :func:`partial_auc`)."""
    fps, tps, _ = threshold_counts(is_pos, score)
    if fps[-1] == 0 or tps[-1] == 0:  # a resample with one class only: undefined
        return float("nan")
    fpr, tpr = np.r_[0.0, fps / fps[-1]], np.r_[0.0, tps / tps[-1]]
    if focus == "specificity":  # integral of sensitivity over fpr in [1 - hi, 1 - lo]
        area = _integral(fpr, tpr, 1.0 - lo) - _integral(fpr, tpr, 1.0 - hi)
    else:  # integral of specificity over sensitivity in [lo, hi]
        area = _integral(tpr, 1.0 - fpr, hi) - _integral(tpr, 1.0 - fpr, lo)
    return _standardize(area, lo, hi, standardized)


def _chance_area(lo: float, hi: float) -> float:
    """The area under the chance diagonal over the range (McClish's ``min``)."""
    return ((1.0 - lo) ** 2 - (1.0 - hi) ** 2) / 2


def _standardize(area: float, lo: float, hi: float, standardized: bool) -> float:
    """McClish's (1989) standardization of a partial area (``area`` itself when not
    ``standardized``): 0.5 for chance, 1 for a perfect model."""
    if not standardized:
        return area
    smallest = _chance_area(lo, hi)
    largest = hi - lo
    return (1.0 + (area - smallest) / (largest - smallest)) / 2


def _curve_at(x: np.ndarray, y: np.ndarray, t: Any) -> np.ndarray:
    """The broken line through ``(x, y)`` at ``t`` (an array within ``[x[0], x[-1]]``); at
    a vertical step the middle of the step."""
    u, first = np.unique(x, return_index=True)
    last = np.r_[first[1:] - 1, len(x) - 1]
    low, high = y[first], y[last]  # the line's value arriving at / leaving each u
    t = np.asarray(t, dtype=float)
    k = np.clip(np.searchsorted(u, t, side="right") - 1, 0, len(u) - 2)
    share = (t - u[k]) / (u[k + 1] - u[k])
    out = high[k] + (low[k + 1] - high[k]) * share
    out = np.where(t == u[k], (low[k] + high[k]) / 2, out)
    return np.where(t == u[k + 1], (low[k + 1] + high[k + 1]) / 2, out)


def _block_mean(
    x: np.ndarray, y: np.ndarray, p: np.ndarray, q: np.ndarray, a: float, b: float
) -> np.ndarray:
    """Mean over ``s`` uniform on ``[p, q]`` of the broken line at ``clip(s, a, b)``; its
    value at ``clip(p, a, b)`` where ``p == q``."""
    ends = _curve_at(x, y, np.array([a, b]))
    width = q - p
    below = np.clip(np.minimum(q, a) - p, 0.0, None)  # length of [p, q] below a
    above = np.clip(q - np.maximum(p, b), 0.0, None)  # and above b
    inner = _integral(x, y, np.clip(q, a, b)) - _integral(x, y, np.clip(p, a, b))
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = (ends[0] * below + inner + ends[1] * above) / width
    return np.where(width > 0, mean, _curve_at(x, y, np.clip(p, a, b)))


def _placements(
    is_pos: np.ndarray, score: np.ndarray, lo: float, hi: float, focus: str
) -> tuple[float, np.ndarray, np.ndarray, np.ndarray]:
    """``(pAUC, V, W, first)``: the partial AUC's placement values (see
    :func:`partial_auc_ci`), ``V`` of the cases ``first`` (the positives; the negatives
    with ``focus="sensitivity"``, by symmetry) and ``W`` of the others; both average to
    the unstandardized partial AUC."""
    first = is_pos if focus == "specificity" else ~is_pos
    s = score if focus == "specificity" else -score
    a, b = 1.0 - hi, 1.0 - lo  # the range on the first class's false-positive axis
    others = np.sort(s[~first])
    n = len(others)
    fps, tps, _ = threshold_counts(first, s)
    fpr, tpr = np.r_[0.0, fps / fps[-1]], np.r_[0.0, tps / tps[-1]]
    # each case's block of false-positive rates: the other class above it, and tied with it
    above = (n - np.searchsorted(others, s, side="right")) / n
    upto = (n - np.searchsorted(others, s, side="left")) / n
    identity = np.array([0.0, 1.0])
    v = b - _block_mean(identity, identity, above[first], upto[first], a, b)
    ra, rb = _curve_at(fpr, tpr, np.array([a, b]))
    w = _block_mean(fpr, tpr, above[~first], upto[~first], a, b) + (b - 1.0) * rb - a * ra
    return float(np.mean(v)), v, w, first


def _placement_covariance(
    is_pos: np.ndarray, scores: list[np.ndarray], lo: float, hi: float, focus: str
) -> np.ndarray:
    """DeLong-type covariance matrix of the unstandardized partial AUCs of ``scores`` (on
    the same cases): ``cov(V) / m + cov(W) / n``, ddof = 1. NaN with a RuntimeWarning when
    a class has fewer than 2 cases."""
    parts = [_placements(is_pos, s, lo, hi, focus) for s in scores]
    v = np.array([p[1] for p in parts])
    w = np.array([p[2] for p in parts])
    return placement_covariance(v, w, what="DeLong-type variance of a partial AUC")


def _scale(lo: float, hi: float, standardized: bool) -> float:
    """d pAUC_c / d pAUC: McClish's standardization is linear with slope 1/(2(max - min))."""
    if not standardized:
        return 1.0
    return 1.0 / (2.0 * (hi - lo - _chance_area(lo, hi)))


def _options(limits: Any, focus: str) -> tuple[float, float, str]:
    lo, hi = check_limits(limits)
    return lo, hi, check_choice(focus, "focus", FOCUSES)


def _describe(lo: float, hi: float, focus: str, standardized: bool) -> str:
    text = f"partial AUC ({focus} {lo:g} to {hi:g})"
    return f"McClish-standardized {text}" if standardized else text


def partial_auc(
    y_true: Any,
    y_score: Any,
    *,
    limits: Any = (0.8, 1.0),
    focus: str = "specificity",
    standardized: bool = False,
    pos_label: Any = None,
) -> float:
    """Partial area under the ROC curve over a specificity or a sensitivity range.

    With ``focus="specificity"`` it is the area under the empirical ROC curve between the
    specificities ``lo`` and ``hi`` (the integral of sensitivity over specificity); with
    ``focus="sensitivity"`` the integral of specificity over sensitivity between ``lo``
    and ``hi``. The curve is the straight-line (trapezoidal) ROC curve through one point
    per distinct score, interpolated linearly at the range ends -- exactly pROC's
    ``auc(roc, partial.auc=c(hi, lo), partial.auc.focus=focus)``. Over ``(0, 1)`` it is
    the AUC. Unstandardized it lies in ``[0, hi - lo]``.

    ``standardized=True`` applies McClish's (1989) correction (pROC's
    ``partial.auc.correct=TRUE``): ``(1 + (pAUC - min) / (max - min)) / 2`` with
    ``max = hi - lo`` and ``min = ((1 - lo)^2 - (1 - hi)^2) / 2`` the area under the
    chance diagonal over the range; a chance classifier then scores 0.5 and a perfect one
    1, as a full AUC.

    Parameters
    ----------
    y_true : array-like of shape (n,)
        Binary labels; both classes must be present.
    y_score : array-like of shape (n,)
        Finite scores, higher meaning more likely positive.
    limits : pair of float, default (0.8, 1.0)
        The range of specificity (or sensitivity), in either order, within [0, 1].
    focus : {"specificity", "sensitivity"}, default "specificity"
        The axis ``limits`` are on.
    standardized : bool, default False
        Apply McClish's standardization.
    pos_label : label, optional
        The positive class (default: the larger label).

    Returns
    -------
    float
        The partial AUC.

    References
    ----------
    McClish D. K. (1989), "Analyzing a portion of the ROC curve", *Med Decis Making*
    9:190-195. Robin X. et al. (2011), "pROC", *BMC Bioinformatics* 12:77.

    Examples
    --------
    >>> from cxreval.partial_roc import partial_auc
    >>> y, s = [0, 0, 0, 1, 1, 1], [0.1, 0.3, 0.5, 0.4, 0.6, 0.9]
    >>> round(partial_auc(y, s, limits=(0.8, 1.0)), 4)
    0.1333
    >>> round(partial_auc(y, s, limits=(0, 1)), 4)  # the full AUC
    0.8889
    >>> round(partial_auc(y, s, limits=(0.8, 1.0), standardized=True), 4)
    0.8148
    """
    lo, hi, focus = _options(limits, focus)
    is_pos, score, _ = check_binary_scores(y_true, y_score, pos_label)
    return _partial_area(is_pos, score, lo, hi, focus, bool(standardized))


@dataclass(frozen=True)
class PartialAUCInterval(Result):
    """A partial AUC with its confidence interval, naming the range and the method.

    Attributes
    ----------
    partial_auc, low, high : float
        The partial AUC and its interval (clipped to the attainable range).
    se : float
        Standard error: of the bootstrap replicates, or the DeLong-type one.
    limits : tuple of float
        ``(lo, hi)``, the range on the ``focus`` axis.
    focus : str
        ``"specificity"`` or ``"sensitivity"``.
    standardized : bool
        Whether McClish's standardization was applied.
    method : str
        E.g. ``"stratified bootstrap (percentile, B=2000)"`` or
        ``"DeLong-type (placement values, delta method)"``.
    level : float
    n_pos, n_neg : int
    positive : label
    n_boot : int or None
        Bootstrap resamples; None for the DeLong-type interval.
    ci_type : str
        ``"percentile"``, ``"bca"``, ``"basic"`` or (DeLong-type) ``"wald"``.
    seed : int or None
        The bootstrap's seed; None for the DeLong-type interval (nothing random).
    fpr, tpr : ndarray
        The empirical ROC curve (for drawing the shaded area).
    n_clusters : int or None
        Patients resampled by a cluster bootstrap (``groups=``); None otherwise (and then
        left out of :meth:`to_dict`).
    """

    partial_auc: float
    low: float
    high: float
    se: float
    limits: tuple[float, float]
    focus: str
    standardized: bool
    method: str
    level: float
    n_pos: int
    n_neg: int
    positive: Any
    n_boot: int | None
    ci_type: str
    seed: int | None
    fpr: np.ndarray = field(repr=False)
    tpr: np.ndarray = field(repr=False)
    bootstrap: BootstrapResult | None = field(default=None, repr=False, compare=False)
    n_clusters: int | None = None

    plotter = "plot_partial_auc"

    @property
    def name(self) -> str:
        """E.g. ``"partial AUC (specificity 0.8 to 1)"``."""
        return _describe(*self.limits, self.focus, self.standardized)

    def to_dict(self) -> dict[str, Any]:
        """Plain-Python dictionary of the result (bootstrap replicates left out;
        ``n_clusters`` only when ``groups=`` was given)."""
        out = without_unset_clusters(super().to_dict())
        out.pop("bootstrap", None)
        return out

    def table(self) -> str:
        """The partial AUC, its interval, standard error and method as a text table."""
        rows = [
            [self.name, f"{self.partial_auc:.4f}"],
            [f"{100 * self.level:g}% CI", f"{self.low:.4f} to {self.high:.4f}"],
            ["standard error", f"{self.se:.4f}"],
            ["positives, negatives", f"{self.n_pos}, {self.n_neg}"],
            *([] if self.n_clusters is None else [["patients", str(self.n_clusters)]]),
            *([] if self.n_boot is None else [["seed", str(self.seed)]]),
        ]
        return tabulate(rows, disable_numparse=True) + f"\nmethod: {self.method}"

    def __str__(self) -> str:
        seed = "" if self.n_boot is None else f", seed {self.seed}"
        return (
            f"{self.name} {self.partial_auc:.4f} ({100 * self.level:g}% CI "
            f"{self.low:.4f}-{self.high:.4f}, {self.method}{seed})"
        )


def _bounds(lo: float, hi: float, standardized: bool) -> tuple[float, float]:
    """The range a partial AUC can take (for clipping its interval)."""
    return _standardize(0.0, lo, hi, standardized), _standardize(hi - lo, lo, hi, standardized)


def partial_auc_ci(
    y_true: Any,
    y_score: Any,
    *,
    limits: Any = (0.8, 1.0),
    focus: str = "specificity",
    standardized: bool = False,
    ci_method: str = "bootstrap",
    level: float = 0.95,
    n_boot: int = 2000,
    stratified: bool = True,
    bootstrap_method: str = "percentile",
    random_state: Any = None,
    pos_label: Any = None,
    progress: bool = False,
    groups: Any = None,
) -> PartialAUCInterval:
    """Partial AUC with its confidence interval: bootstrap (pROC's ``ci.auc``) or
    DeLong-type.

    ``ci_method="bootstrap"`` (the default): the partial AUC of :func:`partial_auc` is
    recomputed on ``n_boot`` resamples of the cases -- positives and negatives separately
    when ``stratified`` (pROC's default) -- by :func:`cxreval.bootstrap`, and the interval
    read from the replicates, as pROC's ``ci.auc(..., method="bootstrap")``.

    ``ci_method="delong"``: a Wald interval ``pAUC -/+ z_{(1+level)/2} SE``, clipped to the
    range the partial AUC can take, with the DeLong-type variance of the empirical partial
    AUC from placement values (pROC refuses DeLong for a partial AUC). For
    ``focus="specificity"`` and the false-positive range ``[a, b] = [1 - hi, 1 - lo]``,
    each case has a block of false-positive rates ``[p, q]`` (the share of negatives above
    it, and tied with it or above); ``R`` is the empirical ROC curve. The placement value
    of a positive is the mean over ``s`` uniform on ``[p, q]`` of ``b - clip(s, a, b)``,
    that of a negative the mean of ``R(clip(s, a, b))`` plus ``(b - 1) R(b) - a R(a)``;
    each set averages to the partial AUC exactly, and

        Var(pAUC) = var(V) / m + var(W) / n       (sample variances, ddof = 1)

    with m positives and n negatives (``focus="sensitivity"`` by symmetry: classes
    swapped and scores negated). The values are the influence functions of the partial
    area (functional delta method), the cut-off ``a``/``b`` on the estimated ROC curve
    included, so no density is estimated; over ``(0, 1)`` they are DeLong's placement
    values and the variance is DeLong's. McClish's standardization multiplies the SE by
    ``1 / (2 (max - min))``. Coverage of the 95 % interval on binormal data (user guide,
    ``benchmarks/coverage_partial_auc.py``): 93.4-95.4 % with 400 cases per class,
    92.0-93.8 % with 100 (narrow ranges lowest); the percentile bootstrap does no better.

    Parameters
    ----------
    y_true : array-like of shape (n,)
        Binary labels; both classes must be present.
    y_score : array-like of shape (n,)
        Finite scores.
    limits : pair of float, default (0.8, 1.0)
        The range of specificity (or sensitivity), in either order.
    focus : {"specificity", "sensitivity"}, default "specificity"
        The axis ``limits`` are on.
    standardized : bool, default False
        McClish's standardization.
    ci_method : {"bootstrap", "delong"}, default "bootstrap"
        How the interval is computed (the bootstrap by default, the numbers of earlier
        versions).
    level : float, default 0.95
        Confidence level.
    n_boot : int, default 2000
        Bootstrap resamples (pROC's ``boot.n``); checked with ``ci_method="delong"`` too,
        where it is not used (nor are ``stratified``, ``bootstrap_method``,
        ``random_state`` and ``progress``).
    stratified : bool, default True
        Resample positives and negatives separately (pROC's ``boot.stratified``).
    bootstrap_method : {"percentile", "bca", "basic"}, default "percentile"
        How the interval is read from the resamples (pROC: percentile).
    random_state : None, int or numpy.random.Generator
        Bootstrap seed; a fresh one is drawn and recorded when None.
    pos_label : label, optional
        The positive class (default: the larger label).
    progress : bool, default False
        Progress bar for the bootstrap.
    groups : array-like of shape (n,), optional
        Patient (or study) ID of each image: the cluster bootstrap of
        :func:`cxreval.bootstrap` (patients resampled with all their images; Field & Welsh
        2007), unstratified (``stratified`` is not used). With one image per patient the
        numbers are those of ``stratified=False``, bit for bit with the same seed. The
        result records ``n_clusters``. Not with ``ci_method="delong"`` (a ValueError
        naming ``groups``): the DeLong-type variance assumes independent images.

    Returns
    -------
    PartialAUCInterval
        The partial AUC, its interval and standard error, the method and (bootstrap) the
        seed. The DeLong-type ``se``, ``low`` and ``high`` are NaN, with a
        :class:`RuntimeWarning`, with fewer than 2 positives or 2 negatives.

    References
    ----------
    McClish D. K. (1989), *Med Decis Making* 9:190-195. DeLong E. R., DeLong D. M. &
    Clarke-Pearson D. L. (1988), "Comparing the areas under two or more correlated
    receiver operating characteristic curves: a nonparametric approach", *Biometrics*
    44:837-845. Dodd L. E. & Pepe M. S. (2003), "Partial AUC estimation and regression",
    *Biometrics* 59:614-623. Ma H., Bandos A. I., Rockette H. E. & Gur D. (2013), "On use
    of partial area under the ROC curve for evaluation of diagnostic performance", *Stat
    Med* 32:3449-3458. Field C. A. & Welsh A. H. (2007), "Bootstrapping clustered data",
    *J R Stat Soc B* 69:369-390.

    Examples
    --------
    >>> import numpy as np
    >>> from cxreval.partial_roc import partial_auc_ci
    >>> rng = np.random.default_rng(0)
    >>> y = np.r_[np.zeros(60), np.ones(60)]
    >>> s = y + rng.normal(0, 1, 120)
    >>> ci = partial_auc_ci(y, s, limits=(0.8, 1), n_boot=200, random_state=1)
    >>> bool(0 <= ci.low < ci.partial_auc < ci.high <= 0.2), ci.method
    (True, 'stratified bootstrap (percentile, B=200)')
    >>> dl = partial_auc_ci(y, s, limits=(0.8, 1), ci_method="delong")
    >>> dl.method, round(dl.se, 4), round(ci.se, 4)
    ('DeLong-type (placement values, delta method)', 0.0149, 0.0135)
    >>> cb = partial_auc_ci(y, s, n_boot=200, random_state=1, groups=np.arange(120) // 3)
    >>> cb.method, cb.n_clusters
    ('cluster bootstrap (percentile, B=200)', 40)
    """
    lo, hi, focus = _options(limits, focus)
    ci_method = check_choice(ci_method, "ci_method", PARTIAL_AUC_CI_METHODS)
    level = check_level(level)
    is_pos, score, positive = check_binary_scores(y_true, y_score, pos_label)
    standardized = bool(standardized)
    fps, tps, _ = threshold_counts(is_pos, score)
    common = {
        "limits": (lo, hi),
        "focus": focus,
        "standardized": standardized,
        "level": level,
        "n_pos": int(is_pos.sum()),
        "n_neg": int((~is_pos).sum()),
        "positive": positive,
        "fpr": np.r_[0.0, fps / fps[-1]],
        "tpr": np.r_[0.0, tps / tps[-1]],
    }
    if ci_method == "delong":
        _check_unused_bootstrap(n_boot, level, random_state, {"groups": groups}, bootstrap_method)
        estimate = _partial_area(is_pos, score, lo, hi, focus, standardized)
        var = _placement_covariance(is_pos, [score], lo, hi, focus)[0, 0]
        se = float(np.sqrt(var)) * _scale(lo, hi, standardized)
        low, high = np.clip(_wald(estimate, se, level), *_bounds(lo, hi, standardized))
        return PartialAUCInterval(
            partial_auc=estimate, low=float(low), high=float(high), se=se,
            method=PLACEMENT_METHOD, n_boot=None, ci_type="wald", seed=None, **common,
        )  # fmt: skip

    def statistic(pos: np.ndarray, s: np.ndarray) -> float:
        return _partial_area(pos, s, lo, hi, focus, standardized)

    statistic.__name__ = _describe(lo, hi, focus, standardized)
    res = bootstrap(
        statistic,
        is_pos,
        score,
        n_boot=n_boot,
        level=level,
        bootstrap_method=bootstrap_method,
        strata=is_pos if stratified and groups is None else None,
        random_state=random_state,
        bounds=_bounds(lo, hi, standardized),
        progress=progress,
        groups=groups,
    )
    return PartialAUCInterval(
        partial_auc=res.estimate, low=res.low, high=res.high, se=res.se, method=res.method,
        n_boot=res.n_boot, ci_type=res.ci_type, seed=res.seed, bootstrap=res,
        n_clusters=res.n_clusters, **common,
    )  # fmt: skip


def _check_unused_bootstrap(
    n_boot: Any,
    level: float,
    random_state: Any,
    groups: dict[str, Any],
    bootstrap_method: Any = "percentile",
) -> None:
    """The bootstrap options of a ``ci_method="delong"`` call: checked though not used,
    and ``groups=`` (by its names in ``groups``) refused: the DeLong-type variance is for
    independent images."""
    check_n_boot(n_boot, level, warn=False)
    check_choice(bootstrap_method, "bootstrap_method", BOOTSTRAP_METHODS)
    check_random_state(random_state)
    given = [name for name, value in groups.items() if value is not None]
    if given:
        raise ValueError(
            f'{" and ".join(given)} cannot be combined with ci_method="delong" (the '
            "DeLong-type variance of a partial AUC assumes independent images); use "
            'ci_method="bootstrap", which resamples patients'
        )


def partial_auc_test(
    y_true: Any,
    score_a: Any,
    score_b: Any,
    *,
    limits: Any = (0.8, 1.0),
    focus: str = "specificity",
    standardized: bool = False,
    ci_method: str = "bootstrap",
    n_boot: int = 2000,
    stratified: bool = True,
    alternative: str = "two-sided",
    level: float = 0.95,
    random_state: Any = None,
    pos_label: Any = None,
    progress: bool = False,
    groups: Any = None,
) -> AUCComparison:
    """Paired bootstrap test of two partial AUCs on the same cases, as pROC's
    ``roc.test(method="bootstrap", partial.auc=...)``.

    Both models are scored on the same resamples (:func:`cxreval.bootstrap` of their
    difference); ``D = (pAUC_a - pAUC_b) / sd(D*)`` with ``sd(D*)`` the standard deviation
    of the resampled differences, compared to the standard normal. The interval of the
    difference is the percentile interval of the replicates. McClish's standardization
    is linear, so it scales the difference and its spread alike and leaves D unchanged.

    Parameters
    ----------
    y_true : array-like of shape (n,)
        Binary labels; both classes must be present.
    score_a, score_b : array-like of shape (n,)
        Scores of the two models for the same cases.
    limits, focus, standardized
        The partial AUC, as in :func:`partial_auc`.
    ci_method : {"bootstrap", "delong"}, default "bootstrap"
        ``"delong"``: ``D = (pAUC_a - pAUC_b) / sqrt(V_a + V_b - 2 C_ab)`` with the
        DeLong-type variances and covariance of :func:`partial_auc_ci` (the covariance of
        the two models' placement values, as DeLong's test for full AUCs), and the Wald
        interval of the difference; no resampling (``n_boot``, ``random_state`` checked
        but not used; ``groups`` refused).
    n_boot : int, default 2000
        Bootstrap resamples.
    stratified : bool, default True
        Resample positives and negatives separately (pROC's default).
    alternative : {"two-sided", "greater", "less"}
        "greater" tests pAUC a > pAUC b.
    level : float, default 0.95
        Level of the interval of the difference.
    random_state : None, int or numpy.random.Generator
        Bootstrap seed; a fresh one is drawn and recorded when None.
    pos_label : label, optional
        The positive class (default: the larger label).
    progress : bool, default False
        Progress bar for the bootstrap.
    groups : array-like of shape (n,), optional
        Patient (or study) ID of each image: a paired cluster bootstrap (patients
        resampled with all their images, unstratified), as in :func:`partial_auc_ci`.

    Returns
    -------
    AUCComparison
        The two partial AUCs (``auc_a``, ``auc_b``), their difference with its interval,
        D and the p-value; ``method`` names the partial AUC; ``n_clusters`` the patients
        with ``groups=``.

    Examples
    --------
    >>> import numpy as np
    >>> from cxreval.partial_roc import partial_auc_test
    >>> rng = np.random.default_rng(0)
    >>> y = np.r_[np.zeros(80), np.ones(80)]
    >>> a, b = 2 * y + rng.normal(0, 1, 160), y + rng.normal(0, 2, 160)
    >>> res = partial_auc_test(y, a, b, n_boot=200, random_state=0)
    >>> bool(res.difference > 0), bool(res.p_value < 0.05)
    (True, True)
    >>> dl = partial_auc_test(y, a, b, ci_method="delong")
    >>> dl.method
    'paired DeLong-type (placement values, delta method), partial AUC (specificity 0.8 to 1)'
    >>> round(dl.statistic, 2), round(res.statistic, 2)
    (6.01, 5.78)

    References
    ----------
    DeLong E. R., DeLong D. M. & Clarke-Pearson D. L. (1988), *Biometrics* 44:837-845.
    Robin X. et al. (2011), "pROC", *BMC Bioinformatics* 12:77.
    """
    lo, hi, focus = _options(limits, focus)
    alternative = check_choice(alternative, "alternative", ALTERNATIVES)
    level = check_level(level)
    is_pos, sa, _ = check_binary_scores(y_true, score_a, pos_label, name="score_a")
    _, sb, _ = check_binary_scores(y_true, score_b, pos_label, name="score_b")
    standardized = bool(standardized)
    ci_method = check_choice(ci_method, "ci_method", PARTIAL_AUC_CI_METHODS)
    name = _describe(lo, hi, focus, standardized)
    pair = (
        _partial_area(is_pos, sa, lo, hi, focus, standardized),
        _partial_area(is_pos, sb, lo, hi, focus, standardized),
    )
    if ci_method == "delong":
        _check_unused_bootstrap(n_boot, level, random_state, {"groups": groups})
        cov = _placement_covariance(is_pos, [sa, sb], lo, hi, focus)
        var = max(cov[0, 0] + cov[1, 1] - 2 * cov[0, 1], 0.0) if np.isfinite(cov).all() else np.nan
        se = float(np.sqrt(var)) * _scale(lo, hi, standardized)
        return _comparison(
            pair, pair[0] - pair[1], _wald(pair[0] - pair[1], se, level), se, alternative,
            level, f"paired {PLACEMENT_METHOD}, {name}", None, None, None,
        )  # fmt: skip

    def difference(pos: np.ndarray, a: np.ndarray, b: np.ndarray) -> float:
        return _partial_area(pos, a, lo, hi, focus, standardized) - _partial_area(
            pos, b, lo, hi, focus, standardized
        )

    difference.__name__ = f"difference of {name}"
    res = bootstrap(
        difference,
        is_pos,
        sa,
        sb,
        n_boot=n_boot,
        level=level,
        strata=is_pos if stratified and groups is None else None,
        random_state=random_state,
        progress=progress,
        groups=groups,
    )
    return _comparison(
        pair, res.estimate, (res.low, res.high), res.se, alternative, level,
        f"paired {_kind(stratified, res.n_clusters)}, {name}",
        res.n_boot, res.seed, res.n_clusters,
    )  # fmt: skip


def _wald(estimate: float, se: float, level: float) -> tuple[float, float]:
    """``estimate -/+ z_{(1+level)/2} se``."""
    half = ndtri(0.5 + level / 2) * se
    return estimate - half, estimate + half


def _kind(stratified: bool, n_clusters: int | None) -> str:
    if n_clusters is not None:
        return "cluster bootstrap"
    return "stratified bootstrap" if stratified else "bootstrap"


def _comparison(
    pair: tuple[float, float],
    difference: float,
    interval: tuple[float, float],
    se: float,
    alternative: str,
    level: float,
    method: str,
    n_boot: int,
    seed: int | None,
    n_clusters: int | None,
) -> AUCComparison:
    """The :class:`AUCComparison` of two partial AUCs (D = difference / se, normal)."""
    d = z_statistic(difference, se)
    return AUCComparison(
        auc_a=pair[0],
        auc_b=pair[1],
        difference=difference,
        low=interval[0],
        high=interval[1],
        statistic=float(d),
        p_value=p_value(d, alternative),
        df=None,
        method=method,
        alternative=alternative,
        level=level,
        paired=method.startswith("paired"),
        n_boot=n_boot,
        seed=seed,
        n_clusters=n_clusters,
    )


def partial_auc_test_unpaired(
    y_true_a: Any,
    score_a: Any,
    y_true_b: Any,
    score_b: Any,
    *,
    limits: Any = (0.8, 1.0),
    focus: str = "specificity",
    standardized: bool = False,
    ci_method: str = "bootstrap",
    n_boot: int = 2000,
    stratified: bool = True,
    alternative: str = "two-sided",
    level: float = 0.95,
    random_state: Any = None,
    pos_label: Any = None,
    progress: bool = False,
    groups_a: Any = None,
    groups_b: Any = None,
) -> AUCComparison:
    """Bootstrap test of two partial AUCs from different test sets, as pROC's
    ``roc.test(method="bootstrap", paired=FALSE, partial.auc=...)``.

    Each set is bootstrapped on its own (with one seeded generator, first set a then b);
    ``D = (pAUC_a - pAUC_b) / sqrt(s_a^2 + s_b^2)`` with ``s`` the bootstrap standard
    errors, compared to the standard normal; the interval of the difference is
    ``difference -/+ z * sqrt(s_a^2 + s_b^2)``.

    Parameters
    ----------
    y_true_a, score_a : array-like
        Labels and scores of the first test set.
    y_true_b, score_b : array-like
        Labels and scores of the second test set.
    limits, focus, standardized
        The partial AUC, as in :func:`partial_auc`.
    ci_method : {"bootstrap", "delong"}, default "bootstrap"
        ``"delong"``: ``s_a``, ``s_b`` are the DeLong-type standard errors of
        :func:`partial_auc_ci` instead of the bootstrap ones; no resampling (``n_boot``,
        ``random_state`` checked but not used; ``groups_a``, ``groups_b`` refused).
    n_boot : int, default 2000
        Bootstrap resamples of each set.
    stratified : bool, default True
        Resample positives and negatives separately.
    alternative : {"two-sided", "greater", "less"}
        "greater" tests pAUC a > pAUC b.
    level : float, default 0.95
        Level of the interval of the difference.
    random_state : None, int or numpy.random.Generator
        Seed of both bootstraps; a fresh one is drawn and recorded when None.
    pos_label : label, optional
        The positive class (the same in both sets).
    progress : bool, default False
        Progress bar for the bootstraps.
    groups_a, groups_b : array-like, optional
        Patient (or study) ID of each image of set a, of set b: that set's bootstrap
        resamples its patients (as :func:`partial_auc_ci` with ``groups=``); a set
        without them has one image per patient. The sets must be independent: a patient
        in both is refused (a ValueError naming ``groups_a`` and ``groups_b``; compare
        such sets with :func:`partial_auc_test` on the shared images instead). The
        result records ``n_clusters``, the patients of both sets.

    Returns
    -------
    AUCComparison
        Both partial AUCs, their difference with its interval, D and the p-value.

    Examples
    --------
    >>> import numpy as np
    >>> from cxreval.partial_roc import partial_auc_test_unpaired
    >>> rng = np.random.default_rng(0)
    >>> ya, yb = np.r_[np.zeros(60), np.ones(60)], np.r_[np.zeros(50), np.ones(50)]
    >>> sa, sb = 2 * ya + rng.normal(0, 1, 120), yb + rng.normal(0, 1, 100)
    >>> res = partial_auc_test_unpaired(ya, sa, yb, sb, n_boot=200, random_state=0)
    >>> res.method, bool(res.difference > 0)
    ('unpaired stratified bootstrap, partial AUC (specificity 0.8 to 1)', True)
    >>> dl = partial_auc_test_unpaired(ya, sa, yb, sb, ci_method="delong")
    >>> dl.method
    'unpaired DeLong-type (placement values, delta method), partial AUC (specificity 0.8 to 1)'
    >>> round(dl.statistic, 2), round(res.statistic, 2)
    (3.45, 3.11)
    """
    lo, hi, focus = _options(limits, focus)
    alternative = check_choice(alternative, "alternative", ALTERNATIVES)
    level = check_level(level)
    n_boot = check_n_boot(n_boot, level)
    sets = [
        check_binary_scores(y_true_a, score_a, pos_label, name="score_a"),
        check_binary_scores(y_true_b, score_b, pos_label, name="score_b"),
    ]
    codes, n_clusters = check_unpaired_groups(groups_a, groups_b, len(sets[0][0]), len(sets[1][0]))
    ci_method = check_choice(ci_method, "ci_method", PARTIAL_AUC_CI_METHODS)
    if ci_method == "delong":
        _check_unused_bootstrap(
            n_boot, level, random_state, {"groups_a": groups_a, "groups_b": groups_b}
        )
        rng, seed, kind = None, None, PLACEMENT_METHOD
    else:
        rng, seed = seeded_generator(random_state)
        kind = _kind(stratified, n_clusters)
    a, b = (
        partial_auc_ci(
            is_pos,
            score,
            limits=(lo, hi),
            focus=focus,
            standardized=standardized,
            ci_method=ci_method,
            level=level,
            n_boot=n_boot,
            stratified=stratified,
            random_state=rng,
            pos_label=True,
            progress=progress,
            groups=groups,
        )
        for (is_pos, score, _), groups in zip(sets, codes or (None, None), strict=True)
    )
    diff = a.partial_auc - b.partial_auc
    se = float(np.hypot(a.se, b.se))
    return _comparison(
        (a.partial_auc, b.partial_auc), diff, _wald(diff, se, level), se, alternative, level,
        f"unpaired {kind}, {_describe(lo, hi, focus, bool(standardized))}",
        None if seed is None else min(a.n_boot, b.n_boot), seed, n_clusters,
    )  # fmt: skip
