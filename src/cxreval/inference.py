"""Inference on AUCs: intervals (DeLong or the bootstrap) and tests comparing two AUCs.

One job: the AUC's intervals and tests and their two results (AUCInterval, AUCComparison);
the variance, the resampling engine and the curves live in their own modules.

:func:`roc_auc_ci` gives an AUC with its interval; :func:`delong_test` (paired),
:func:`delong_test_unpaired` and :func:`bootstrap_auc_test` compare two AUCs. The DeLong
variance is :mod:`cxreval.delong`'s; the bootstrap of the AUC is vectorized
(``cxreval._resampling.WeightedAUC``) and goes through :mod:`cxreval.bootstrap`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.special import ndtr, ndtri, stdtr, stdtrit
from tabulate import tabulate

from cxreval._checks import (
    check_binary_scores,
    check_choice,
    check_consistent_length,
    check_groups,
    check_level,
    check_n_boot,
    check_random_state,
    check_scores,
    check_unpaired_groups,
)
from cxreval._resampling import (
    RESAMPLINGS,
    Resamples,
    WeightedAUC,
    cluster_jackknife_counts,
    cluster_units,
    consecutive_strata,
    score_strata,
    tie_patterns,
)
from cxreval._result import Result
from cxreval.bootstrap import BOOTSTRAP_METHODS, BootstrapResult, bootstrap_resamples
from cxreval.curves import binary_auc, oriented_scores
from cxreval.delong import (
    CLUSTERED_AUC_METHOD,
    auc_jackknife,
    cluster_class_counts,
    delong_covariance,
    delong_variance,
    grouped_scores,
    obuchowski_covariance,
)

__all__ = [
    "ALTERNATIVES",
    "AUC_CI_METHODS",
    "AUCComparison",
    "AUCInterval",
    "ResamplingPlan",
    "bootstrap_auc_test",
    "delong_test",
    "delong_test_unpaired",
    "p_value",
    "resampling_plan",
    "roc_auc_ci",
    "z_statistic",
]

#: How an AUC interval is computed (``ci_method=``).
AUC_CI_METHODS = ("delong", "bootstrap")

#: The alternatives of the tests comparing two AUCs.
ALTERNATIVES = ("two-sided", "greater", "less")


@dataclass(frozen=True)
class AUCInterval(Result):
    """An AUC with its confidence interval, naming the method that produced it.

    Attributes
    ----------
    auc, low, high : float
        The AUC and the interval, clipped to [0, 1].
    se : float
        DeLong standard error, or the bootstrap standard error.
    method : str
        ``"DeLong"`` or e.g. ``"stratified bootstrap (percentile, B=2000)"``.
    level : float
    n_boot : int or None
        Resamples (bootstrap only).
    ci_type : str or None
        Interval type actually used (bootstrap only).
    seed : int or None
        Seed of the bootstrap.
    resampling : str or None
        How the bootstrap resampled (bootstrap only): ``"cases"`` (case indices) or
        ``"multinomial"`` (counts over the distinct scores of each stratum).
    n_clusters : int or None
        Clusters (patients) when ``groups=`` was given: the interval is Obuchowski's or a
        cluster bootstrap's. None otherwise (and then left out of :meth:`to_dict`).
    n_clusters_pos, n_clusters_neg : int or None
        With ``groups=``: the clusters holding a positive / a negative image.
    se_unclustered : float or None
        Obuchowski's interval only: DeLong's image-level standard error of the same AUC
        (too small when the images of a patient are correlated).
    design_effect : float or None
        Obuchowski's interval only: ``(se / se_unclustered)**2``, how much clustering
        inflates the variance.
    n_pos, n_neg : int
    positive : label
    direction : str
        ``"<"`` (higher scores mean positive) or ``">"``: given, or chosen by
        ``direction="auto"``.

    The four cluster fields are None without ``groups=`` and then left out of
    :meth:`to_dict`.
    """

    auc: float
    low: float
    high: float
    se: float
    method: str
    level: float
    n_pos: int
    n_neg: int
    positive: Any
    n_boot: int | None = None
    ci_type: str | None = None
    seed: int | None = None
    resampling: str | None = None
    bootstrap: BootstrapResult | None = field(default=None, repr=False, compare=False)
    direction: str = "<"
    n_clusters: int | None = None
    n_clusters_pos: int | None = None
    n_clusters_neg: int | None = None
    se_unclustered: float | None = None
    design_effect: float | None = None

    plotter = "plot_auc_interval"

    def to_dict(self) -> dict[str, Any]:
        """Every field; the cluster fields only when ``groups=`` was given."""
        return without_unset_clusters(super().to_dict())

    @property
    def short_method(self) -> str:
        """``"DeLong"``, ``"Obuchowski"`` or ``"bootstrap"`` -- for legends."""
        if self.n_boot is not None:
            return "bootstrap"
        return "DeLong" if self.n_clusters is None else "Obuchowski"

    def label(self) -> str:
        """Legend text, e.g. ``"AUC 0.956 (95% CI 0.930-0.981, DeLong)"``."""
        return (
            f"AUC {self.auc:.3f} ({100 * self.level:g}% CI "
            f"{self.low:.3f}-{self.high:.3f}, {self.short_method})"
        )

    def table(self) -> str:
        """The AUC, its interval, standard error and method as a text table."""
        rows = [
            ["AUC", f"{self.auc:.4f}"],
            [f"{100 * self.level:g}% CI", f"{self.low:.4f} to {self.high:.4f}"],
            ["standard error", f"{self.se:.4f}"],
        ]
        if self.se_unclustered is not None:
            rows.append(["standard error (image-level DeLong)", f"{self.se_unclustered:.4f}"])
            rows.append(["design effect", f"{self.design_effect:.3f}"])
        rows.append(["positives, negatives", f"{self.n_pos}, {self.n_neg}"])
        if self.n_clusters is not None:
            rows.append(
                ["clusters (with positives, negatives)",
                 f"{self.n_clusters} ({self.n_clusters_pos}, {self.n_clusters_neg})"]
            )  # fmt: skip
        if self.seed is not None:
            rows.append(["seed", str(self.seed)])
        if self.direction != "<":
            rows.append(["direction", "> (lower scores mean positive)"])
        return tabulate(rows, disable_numparse=True) + f"\nmethod: {self.method}"

    def __str__(self) -> str:
        flipped = ", direction >" if self.direction != "<" else ""
        clusters = "" if self.n_clusters is None else f", {self.n_clusters} clusters"
        return (
            f"AUC {self.auc:.4f} ({100 * self.level:g}% CI {self.low:.4f}-{self.high:.4f}, "
            f"{self.method}{'' if self.seed is None else f', seed {self.seed}'}{clusters}"
            f"{flipped})"
        )


def roc_auc_ci(
    y_true: Any,
    y_score: Any,
    *,
    ci_method: str = "delong",
    level: float = 0.95,
    n_boot: int = 2000,
    stratified: bool = True,
    bootstrap_method: str = "percentile",
    random_state: Any = None,
    pos_label: Any = None,
    progress: bool = False,
    direction: str = "<",
    resampling: str = "cases",
    groups: Any = None,
) -> AUCInterval:
    """AUC with a confidence interval by DeLong or by the (stratified) bootstrap.

    DeLong: ``AUC -/+ z_{(1+level)/2} * sqrt(S10/m + S01/n)`` (Sun & Xu's O(n log n)
    placements, ddof = 1, as pROC's ``ci.auc``), clipped to [0, 1]; with fewer than 2
    positives or 2 negatives the variance is undefined, so ``se``, ``low`` and ``high`` are
    NaN with a :class:`RuntimeWarning` (pROC gives NA). Bootstrap: B resamples
    of the cases -- positives and negatives separately when ``stratified`` (pROC's
    default) -- with a percentile, BCa or basic interval; the BCa acceleration uses the
    exact leave-one-out AUCs from the placement values.

    Parameters
    ----------
    y_true : array-like of shape (n,)
        Binary labels; both classes must be present.
    y_score : array-like of shape (n,)
        Finite scores.
    ci_method : {"delong", "bootstrap"}, default "delong"
        How the interval is computed.
    level : float, default 0.95
        Confidence level.
    n_boot : int, default 2000
        Bootstrap resamples (pROC's default): at least ``2 / (1 - level) - 1`` (39 at
        95 %), a warning below 1000 (see :func:`cxreval.bootstrap`). Checked with
        ``ci_method="delong"`` too, where it is not used.
    stratified : bool, default True
        Resample positives and negatives separately.
    bootstrap_method : {"percentile", "bca", "basic"}, default "percentile"
        Bootstrap interval method.
    random_state : None, int or numpy.random.Generator
        Bootstrap seed; a fresh one is drawn and recorded when None.
    pos_label : label, optional
        The positive class (default: the larger label).
    progress : bool, default False
        Progress bar for the bootstrap.
    direction : {"<", ">", "auto"}, default "<"
        As in :func:`cxreval.roc_curve` (pROC's ``direction``; ``"auto"`` compares the
        medians of negatives and positives). The direction used is recorded in the result.
    resampling : {"cases", "multinomial", "auto"}, default "cases"
        How the bootstrap resamples. ``"cases"`` draws case indices (the seeded numbers of
        every earlier version). ``"multinomial"`` draws, for each stratum, how many of its
        cases fall on each distinct score -- a multinomial draw with the scores'
        multiplicities, the same distribution as drawing cases, and far faster when scores
        are tied (rounded probabilities, ordinal ratings): its cost grows with the number
        of distinct scores, not of cases; it draws other numbers for a seed.
        ``"auto"`` takes ``"multinomial"`` when there are at most n / 16 distinct scores.
        The choice is recorded in the result (``resampling``).
    groups : array-like of shape (n,), optional
        Patient (or study) ID of each image, when patients have several images. DeLong
        then becomes Obuchowski's (1997) clustered DeLong (method
        ``"Obuchowski (clustered DeLong)"``, the numbers of
        with the image-level standard error and the design effect; its covariance is
        :func:`cxreval.delong.clustered_auc_covariance`), and the bootstrap a cluster
        bootstrap:
        patients are resampled with replacement and all their images taken (Davison &
        Hinkley 1997, section 3.8; Field & Welsh 2007). The cluster bootstrap is
        unstratified (``stratified`` is not used), as a patient may hold images of both
        classes; ``resampling="multinomial"`` is refused, ``"auto"`` resamples patients;
        BCa takes its acceleration from the leave-one-patient-out AUCs. With one image
        per patient every number equals the unclustered one: DeLong's (to rounding) and
        the unstratified case bootstrap's (the same resamples, bit for bit). The number of
        patients is recorded (``n_clusters``, and ``n_clusters_pos`` / ``n_clusters_neg``
        those holding a positive / a negative image).

    Returns
    -------
    AUCInterval
        The AUC, its interval and standard error, the method and (bootstrap) the seed;
        with ``groups=`` the cluster counts, and for Obuchowski's interval DeLong's
        image-level standard error and the design effect. Obuchowski's ``se``, ``low`` and
        ``high`` are NaN (with a :class:`RuntimeWarning`) when fewer than two clusters hold
        a positive image or fewer than two a negative one.

    References
    ----------
    N. A. Obuchowski, "Nonparametric analysis of clustered ROC curve data", Biometrics 53
    (1997) 567-578.
    A. C. Davison and D. V. Hinkley, Bootstrap Methods and their Application, Cambridge
    University Press (1997), section 3.8.
    C. A. Field and A. H. Welsh, "Bootstrapping clustered data", Journal of the Royal
    Statistical Society B 69 (2007) 369-390.

    Notes
    -----
    There is no ``sample_weight``: the DeLong and bootstrap intervals are for unweighted
    cases (:func:`cxreval.roc_auc` gives the weighted AUC itself).

    Examples
    --------
    >>> import numpy as np
    >>> from cxreval import roc_auc_ci
    >>> rng = np.random.default_rng(0)
    >>> y = np.r_[np.zeros(100), np.ones(100)]
    >>> s = y + rng.normal(0, 1, 200)
    >>> ci = roc_auc_ci(y, s)
    >>> ci.method, bool(ci.low < ci.auc < ci.high)
    ('DeLong', True)
    >>> boot = roc_auc_ci(y, s, ci_method="bootstrap", n_boot=500, random_state=1)
    >>> boot.method
    'stratified bootstrap (percentile, B=500)'

    Two images per patient:

    >>> patients = np.arange(200) // 2
    >>> roc_auc_ci(y, s, groups=patients).method
    'Obuchowski (clustered DeLong)'
    >>> cb = roc_auc_ci(y, s, ci_method="bootstrap", groups=patients, n_boot=500, random_state=1)
    >>> cb.method, cb.n_clusters
    ('cluster bootstrap (percentile, B=500)', 100)

    Obuchowski's (1997) worked example, 11 images of 5 patients:

    >>> y = [1, 0, 1, 1, 0, 0, 1, 0, 0, 0, 1]
    >>> s = [0.9, 0.3, 0.7, 0.4, 0.5, 0.2, 0.6, 0.6, 0.1, 0.35, 0.8]
    >>> ci = roc_auc_ci(y, s, groups=list("AABBBCDDEEE"))
    >>> print(ci)
    AUC 0.9167 (95% CI 0.7294-1.0000, Obuchowski (clustered DeLong), 5 clusters)
    >>> round(ci.se, 6), ci.n_clusters_pos, round(ci.design_effect, 4)
    (0.095541, 4, 1.2836)
    """
    ci_method = check_choice(ci_method, "ci_method", AUC_CI_METHODS)
    level = check_level(level)
    # checked whatever the method, so a bad value never passes unnoticed
    n_boot = check_n_boot(n_boot, level, warn=ci_method == "bootstrap")
    check_choice(bootstrap_method, "bootstrap_method", BOOTSTRAP_METHODS)
    check_random_state(random_state)
    is_pos, score, positive = check_binary_scores(y_true, y_score, pos_label)
    codes = None if groups is None else check_groups(groups, len(is_pos))[0]
    score, direction = oriented_scores(is_pos, score, direction)
    n_pos, n_neg = int(is_pos.sum()), int((~is_pos).sum())
    clusters: dict[str, Any] = {}
    if codes is not None:
        clusters = cluster_class_counts(is_pos, codes, int(codes.max()) + 1)
    if ci_method == "delong":
        if codes is None:
            auc, var = delong_variance(score[is_pos], score[~is_pos])
        else:
            aucs, cov, image_level, _ = obuchowski_covariance(
                is_pos, [score], codes, clusters["n_clusters"]
            )
            auc, var = float(aucs[0]), cov[0, 0]
            with np.errstate(invalid="ignore", divide="ignore"):
                clusters["se_unclustered"] = float(np.sqrt(image_level[0, 0]))
                clusters["design_effect"] = float(var / image_level[0, 0])
        se = float(np.sqrt(np.maximum(var, 0.0)))  # NaN (warned) with < 2 of a class
        half = ndtri(0.5 + level / 2) * se
        return AUCInterval(
            auc=auc,
            low=float(np.clip(auc - half, 0.0, 1.0)),
            high=float(np.clip(auc + half, 0.0, 1.0)),
            se=se,
            method="DeLong" if codes is None else CLUSTERED_AUC_METHOD,
            level=level,
            n_pos=n_pos,
            n_neg=n_neg,
            positive=positive,
            direction=direction,
            **clusters,
        )
    res = _bootstrap_aucs(
        y_true,
        is_pos,
        [score],
        n_boot,
        level,
        bootstrap_method,
        stratified,
        random_state,
        progress,
        resampling=resampling,
        codes=codes,
    )
    return AUCInterval(
        auc=res.estimate,
        low=res.low,
        high=res.high,
        se=res.se,
        method=res.method,
        level=level,
        n_pos=n_pos,
        n_neg=n_neg,
        positive=positive,
        n_boot=res.n_boot,
        ci_type=res.ci_type,
        seed=res.seed,
        resampling=res.resampling,
        bootstrap=res,
        direction=direction,
        **clusters,
    )


class ResamplingPlan:
    """What a vectorized bootstrap resamples: cases, tie patterns or clusters.

    Built by :func:`resampling_plan`. The kernels work on ``rows`` of the data
    (:meth:`take`), grouped in ``strata`` (in the kernels' row order, e.g. for
    ``cxreval._resampling.WeightedAUC``); the engine draws ``engine_strata`` (with
    ``multiplicities`` as multinomial counts); with clusters, ``units`` is the resampled
    cluster of each row (row-indexed, as ``WeightedAUC(units=)`` takes it).
    :meth:`counts` gives each row's count in a chunk of resamples, in the order ``order``
    (the strata concatenated).
    """

    def __init__(
        self,
        strata: list[np.ndarray],
        rows: np.ndarray | None = None,
        multiplicities: list[np.ndarray] | None = None,
        units: np.ndarray | None = None,
        unit_sizes: list[int] | None = None,
    ):
        self.strata = strata
        self.rows = rows
        self.multiplicities = multiplicities
        self.units = units
        self.order = np.concatenate(strata)
        if units is None:
            self.engine_strata = strata
            self.n_clusters = None
        else:
            self.n_clusters = int(units.max()) + 1
            self.engine_strata = consecutive_strata(unit_sizes or [self.n_clusters])

    def once(self) -> Resamples:
        """The "resample" that counts every case once (for the estimate)."""
        if self.multiplicities is not None:
            sizes = [len(m) for m in self.multiplicities]
            return Resamples.from_counts(np.concatenate(self.multiplicities)[None], sizes)
        return Resamples([np.arange(len(s))[None] for s in self.engine_strata])

    def take(self, values: np.ndarray) -> np.ndarray:
        """``values`` (one per case) at the rows the kernels read."""
        return values if self.rows is None else values[self.rows]

    def counts(self, resamples: Resamples) -> np.ndarray:
        """(b, rows) count of each row of ``order`` in the chunk ``resamples``."""
        full = resamples.full
        return full if self.units is None else full[:, self.units[self.order]]

    def cluster_jackknife(self, kernel: Callable[[Resamples], np.ndarray]) -> np.ndarray:
        """``kernel`` leaving one cluster out at a time (BCa of a cluster bootstrap)."""
        return np.concatenate(
            [kernel(r) for r in cluster_jackknife_counts(self.n_clusters)], axis=0
        )


def resampling_plan(
    strata: list[np.ndarray],
    columns: Sequence[np.ndarray],
    resampling: str = "cases",
    codes: np.ndarray | None = None,
) -> ResamplingPlan:
    """How to resample the cases of ``strata`` (case indices per stratum, each in the
    order of its kernels): the cases themselves, their tie patterns, or their clusters.

    ``resampling`` ("cases", "multinomial", "auto"; see :func:`roc_auc_ci`) looks for
    the distinct rows of ``columns`` (e.g. the labels and scores) within each stratum;
    "auto" takes them when there are at most n / 16. With ``codes`` (each case's cluster,
    0..K-1) the clusters are resampled within each stratum, numbered along the strata's
    concatenated order, so that with one case per cluster the draws are exactly those of
    the case bootstrap on ``strata``; a cluster may not span two strata, and
    "multinomial" is refused.
    """
    resampling = check_choice(resampling, "resampling", RESAMPLINGS)
    if codes is not None:
        if resampling == "multinomial":
            raise ValueError(
                "resampling='multinomial' cannot be combined with groups= (the cluster "
                "bootstrap resamples patients); use resampling='cases'"
            )
        order = np.concatenate(strata)
        sizes = [len(np.unique(codes[s])) for s in strata]
        if sum(sizes) != len(np.unique(codes[order])):
            raise ValueError("groups: a patient has images in two resampling strata")
        return ResamplingPlan(strata, units=cluster_units(codes, order), unit_sizes=sizes)
    if resampling != "cases":
        patterns, multiplicities = tie_patterns(strata, columns)
        n = sum(map(len, strata))
        if resampling == "multinomial" or 16 * sum(map(len, patterns)) <= n:
            return ResamplingPlan(
                consecutive_strata([len(p) for p in patterns]),
                rows=np.concatenate(patterns),
                multiplicities=multiplicities,
            )
    return ResamplingPlan(strata)


def _bootstrap_aucs(
    y_true: Any,
    is_pos: np.ndarray,
    scores: Sequence[np.ndarray],
    n_boot: int,
    level: float,
    bootstrap_method: str,
    stratified: bool,
    random_state: Any,
    progress: bool,
    combine: Callable[[np.ndarray], np.ndarray] | None = None,
    name: str = "AUC",
    resampling: str = "cases",
    codes: np.ndarray | None = None,
) -> BootstrapResult:
    """Bootstrap of the AUCs of k scores on the same resamples (``combine`` maps the
    (b, k) AUCs of a chunk to the statistic, e.g. a difference); ``n_boot`` and
    ``bootstrap_method`` checked by the caller.

    With ``resampling="multinomial"`` the kernels run on the distinct (label, scores)
    patterns of each stratum, weighted by multinomial counts; with ``codes`` (each case's
    cluster, 0..K-1) the clusters are resampled instead, unstratified
    (:func:`resampling_plan`)."""
    combine = combine or (lambda a: a[:, 0])
    stratified = stratified and codes is None
    plan = resampling_plan(
        score_strata(y_true, scores[0], stratified), [is_pos, *scores], resampling, codes
    )
    kernels = [
        WeightedAUC(plan.take(s), plan.take(is_pos), plan.strata, units=plan.units) for s in scores
    ]

    def kernel(resamples: Resamples) -> np.ndarray:
        return combine(np.stack([k(resamples) for k in kernels], axis=1))

    def jackknife() -> np.ndarray:  # only BCa asks for it
        if plan.units is not None:  # leave one cluster out
            return plan.cluster_jackknife(kernel)
        return combine(np.stack([auc_jackknife(is_pos, s) for s in scores], axis=1))

    aucs = np.array([binary_auc(is_pos, s) for s in scores])[None]
    return bootstrap_resamples(
        plan.engine_strata,
        kernel,
        combine(aucs)[0],
        multiplicities=plan.multiplicities,
        n_boot=n_boot,
        stratified=stratified,
        statistic=name,
        level=level,
        bootstrap_method=bootstrap_method,
        random_state=random_state,
        jackknife=jackknife,
        bounds=(0.0, 1.0) if len(scores) == 1 else (-1.0, 1.0),
        progress=progress,
        n_clusters=plan.n_clusters,
    )


def bootstrap_auc_test(
    y_true: Any,
    score_a: Any,
    score_b: Any,
    *,
    n_boot: int = 2000,
    stratified: bool = True,
    alternative: str = "two-sided",
    level: float = 0.95,
    random_state: Any = None,
    pos_label: Any = None,
    progress: bool = False,
    resampling: str = "cases",
    groups: Any = None,
) -> AUCComparison:
    """Paired bootstrap test of two AUCs on the same cases, as pROC's bootstrap test.

    Both models are scored on the same resamples; ``D = (AUC_a - AUC_b) / sd(D*)`` with
    ``sd(D*)`` the standard deviation of the resampled differences, compared to the
    standard normal. The interval of the difference is the percentile interval of D*.

    Parameters
    ----------
    y_true : array-like of shape (n,)
        Binary labels; both classes must be present.
    score_a, score_b : array-like of shape (n,)
        Scores of the two models for the same cases.
    n_boot : int, default 2000
        Bootstrap resamples: at least ``2 / (1 - level) - 1`` (39 at 95 %; with fewer,
        the spread of the differences is not estimable), a warning below 1000 (see
        :func:`cxreval.bootstrap`).
    stratified : bool, default True
        Resample positives and negatives separately (pROC's default).
    alternative : {"two-sided", "greater", "less"}
        "greater" tests AUC a > AUC b.
    level : float, default 0.95
        Level of the percentile interval of the difference.
    random_state : None, int or numpy.random.Generator
        Bootstrap seed; a fresh one is drawn and recorded when None.
    pos_label : label, optional
        The positive class (default: the larger label).
    progress : bool, default False
        Show a progress bar for the bootstrap.
    resampling : {"cases", "multinomial", "auto"}, default "cases"
        How the cases are resampled, as in :func:`roc_auc_ci` (here the distinct values
        are the pairs of the two scores).
    groups : array-like of shape (n,), optional
        Patient (or study) ID of each image: a paired cluster bootstrap (patients resampled
        with replacement, all their images taken, unstratified; ``stratified`` not used),
        as in :func:`roc_auc_ci`. The number of patients is recorded (``n_clusters``).

    Returns
    -------
    AUCComparison
        Both AUCs, their difference with its interval, D and the p-value.

    Examples
    --------
    >>> import numpy as np
    >>> from cxreval import bootstrap_auc_test
    >>> rng = np.random.default_rng(0)
    >>> y = np.r_[np.zeros(60), np.ones(60)]
    >>> a, b = y + rng.normal(0, 0.7, 120), y + rng.normal(0, 2.0, 120)
    >>> res = bootstrap_auc_test(y, a, b, n_boot=500, random_state=0)
    >>> res.method, bool(res.p_value < 0.05)
    ('paired stratified bootstrap', True)
    >>> bootstrap_auc_test(y, a, b, n_boot=500, random_state=0, groups=np.arange(120) // 3).method
    'paired cluster bootstrap'

    References
    ----------
    C. A. Field and A. H. Welsh, "Bootstrapping clustered data", Journal of the Royal
    Statistical Society B 69 (2007) 369-390.
    """
    alternative = check_choice(alternative, "alternative", ALTERNATIVES)
    level = check_level(level)
    n_boot = check_n_boot(n_boot, level)
    is_pos, sa, _ = check_binary_scores(y_true, score_a, pos_label, name="score_a")
    _, sb, _ = check_binary_scores(y_true, score_b, pos_label, name="score_b")
    codes = None if groups is None else check_groups(groups, len(is_pos))[0]
    res = _bootstrap_aucs(
        y_true,
        is_pos,
        [sa, sb],
        n_boot,
        level,
        "percentile",
        stratified,
        random_state,
        progress,
        combine=lambda a: a[:, 0] - a[:, 1],
        name="AUC difference",
        resampling=resampling,
        codes=codes,
    )
    auc_a, auc_b = binary_auc(is_pos, sa), binary_auc(is_pos, sb)
    d = z_statistic(res.estimate, res.se)
    return AUCComparison(
        auc_a=auc_a,
        auc_b=auc_b,
        difference=res.estimate,
        low=res.low,
        high=res.high,
        statistic=float(d),
        p_value=p_value(d, alternative),
        df=None,
        method=(
            "paired cluster bootstrap"
            if codes is not None
            else f"paired {'stratified ' if stratified else ''}bootstrap"
        ),
        alternative=alternative,
        level=level,
        paired=True,
        n_boot=res.n_boot,
        seed=res.seed,
        resampling=res.resampling,
        **(
            {}
            if codes is None
            else {
                "n_clusters": res.n_clusters,
                "se": float(res.se),
                "n_pos": int(is_pos.sum()),
                "n_neg": int((~is_pos).sum()),
            }
        ),
    )


@dataclass(frozen=True)
class AUCComparison(Result):
    """A test of the difference between two AUCs (model a minus model b).

    Attributes
    ----------
    auc_a, auc_b, difference : float
        The two AUCs and ``auc_a - auc_b``.
    low, high : float
        Confidence interval of the difference at ``level``.
    statistic : float
        The test statistic (Z for the paired tests, D for the unpaired one).
    p_value : float
    df : float or None
        Welch-Satterthwaite degrees of freedom of the unpaired test (None otherwise).
    method : str
        E.g. ``"DeLong paired"``.
    alternative : str
        ``"two-sided"``, ``"greater"`` (AUC a > AUC b) or ``"less"``.
    level : float
    paired : bool
    n_boot : int or None
        Resamples of the bootstrap test (None for DeLong).
    seed : int or None
        Seed of the bootstrap test.
    resampling : str or None
        How the bootstrap test resampled (``"cases"`` or ``"multinomial"``; None for
        DeLong).
    n_clusters : int or None
        Clusters (patients) when ``groups=`` was given (Obuchowski's test or a cluster
        bootstrap; of both samples for the unpaired test).
    se : float or None
        With ``groups=``: the standard error of the difference (Obuchowski's, or the
        bootstrap's).
    n_pos, n_neg : int or None
        With ``groups=`` on a paired test: the positive and negative images.

    The cluster fields are None without ``groups=`` and then left out of
    :meth:`to_dict`.
    """

    auc_a: float
    auc_b: float
    difference: float
    low: float
    high: float
    statistic: float
    p_value: float
    df: float | None
    method: str
    alternative: str
    level: float
    paired: bool
    n_boot: int | None = None
    seed: int | None = None
    resampling: str | None = None
    n_clusters: int | None = None
    se: float | None = None
    n_pos: int | None = None
    n_neg: int | None = None

    plotter = "plot_auc_comparison"

    def to_dict(self) -> dict[str, Any]:
        """Every field; the cluster fields only when ``groups=`` was given."""
        return without_unset_clusters(super().to_dict(), (*CLUSTER_FIELDS, "se", "n_pos", "n_neg"))

    def table(self) -> str:
        """The comparison as a text table."""
        stat_name = "D" if self.df is not None else "Z"
        rows = [
            ["AUC a", f"{self.auc_a:.4f}"],
            ["AUC b", f"{self.auc_b:.4f}"],
            ["difference (a - b)", f"{self.difference:.4f}"],
            [f"{100 * self.level:g}% CI of difference", f"{self.low:.4f} to {self.high:.4f}"],
            [stat_name, f"{self.statistic:.4f}"],
            ["p-value", f"{self.p_value:.4g}"],
        ]
        if self.se is not None:
            rows.insert(4, ["standard error", f"{self.se:.4f}"])
        if self.df is not None:
            rows.append(["df", f"{self.df:.1f}"])
        if self.n_boot is not None:
            rows.append(["resamples (seed)", f"{self.n_boot} ({self.seed})"])
        if self.n_clusters is not None:
            rows.append(["clusters", str(self.n_clusters)])
        return tabulate(rows) + f"\nmethod: {self.method}, {self.alternative}"


#: The fields a result carries only when ``groups=`` was given.
CLUSTER_FIELDS = (
    "n_clusters",
    "n_clusters_pos",
    "n_clusters_neg",
    "se_unclustered",
    "design_effect",
)


def without_unset_clusters(
    fields: dict[str, Any], optional: tuple[str, ...] = CLUSTER_FIELDS
) -> dict[str, Any]:
    """``fields`` without the ``optional`` ones that are None (the dictionaries of results
    without ``groups=`` stay as they were)."""
    for name in optional:
        if name in fields and fields[name] is None:
            del fields[name]
    return fields


def p_value(statistic: float, alternative: str, df: float | None = None) -> float:
    """P-value of a normal (or Student t with ``df``) statistic; "greater" means a > b."""

    def cdf(x: float) -> float:
        return float(ndtr(x) if df is None else stdtr(df, x))

    if alternative == "two-sided":
        return 2 * cdf(-abs(statistic))
    if alternative == "greater":
        return cdf(-statistic)
    return cdf(statistic)


def z_statistic(difference: float, se: float) -> float:
    """difference / se, defined as 0 when both are 0 (two identical curves), as pROC."""
    if se == 0:
        return 0.0 if difference == 0 else float(np.sign(difference) * np.inf)
    return difference / se


def delong_test(
    y_true: Any,
    score_a: Any,
    score_b: Any,
    *,
    pos_label: Any = None,
    alternative: str = "two-sided",
    level: float = 0.95,
    groups: Any = None,
) -> AUCComparison:
    """DeLong's test for two correlated ROC curves (two models on the same cases).

    ``Z = (AUC_a - AUC_b) / sqrt(V_a + V_b - 2 Cov_ab)`` with the DeLong covariance,
    compared to the standard normal, and the Wald interval of the difference -- as pROC's
    ``roc.test(method="delong", paired=TRUE)``.

    Parameters
    ----------
    y_true : array-like of shape (n,)
        Binary labels.
    score_a, score_b : array-like of shape (n,)
        Scores of the two models for the same cases.
    pos_label : label, optional
        The positive class.
    alternative : {"two-sided", "greater", "less"}
        "greater" tests AUC a > AUC b.
    level : float, default 0.95
        Level of the interval of the difference.
    groups : array-like of shape (n,), optional
        Patient (or study) ID of each image: the variances and covariance are then
        Obuchowski's (1997) clustered ones (method ``"Obuchowski (clustered DeLong)
        paired"``, from :func:`cxreval.delong.clustered_auc_covariance`); with one image
        per patient they equal DeLong's. The number of patients (``n_clusters``), the
        standard error of the difference (``se``) and the image counts are recorded.

    Returns
    -------
    AUCComparison
        Both AUCs, their difference with its interval, Z and the p-value (NaN, with a
        warning, with fewer than 2 positives or 2 negatives -- with ``groups=``, fewer
        than 2 patients holding a positive or a negative image).

    References
    ----------
    N. A. Obuchowski, "Nonparametric analysis of clustered ROC curve data", Biometrics 53
    (1997) 567-578.

    Examples
    --------
    >>> import numpy as np
    >>> from cxreval import delong_test
    >>> rng = np.random.default_rng(0)
    >>> y = np.r_[np.zeros(50), np.ones(50)]
    >>> a, b = y + rng.normal(0, 0.8, 100), y + rng.normal(0, 1.5, 100)
    >>> res = delong_test(y, a, b)
    >>> bool(res.difference > 0), res.method
    (True, 'DeLong paired')
    >>> delong_test(y, a, b, groups=np.arange(100) // 2).method
    'Obuchowski (clustered DeLong) paired'

    Obuchowski's (1997) worked example, 11 images of 5 patients:

    >>> y = [1, 0, 1, 1, 0, 0, 1, 0, 0, 0, 1]
    >>> a = [0.9, 0.3, 0.7, 0.4, 0.5, 0.2, 0.6, 0.6, 0.1, 0.35, 0.8]
    >>> b = [0.8, 0.4, 0.6, 0.75, 0.2, 0.1, 0.5, 0.55, 0.3, 0.65, 0.9]
    >>> res = delong_test(y, a, b, groups=list("AABBBCDDEEE"))
    >>> round(res.statistic, 6), round(res.p_value, 6), res.n_clusters
    (0.147816, 0.882488, 5)
    """
    alternative = check_choice(alternative, "alternative", ALTERNATIVES)
    level = check_level(level)
    check_consistent_length(
        score_a=check_scores(score_a, "score_a"), score_b=check_scores(score_b, "score_b")
    )
    clusters: dict[str, Any] = {}
    if groups is None:
        aucs, cov = delong_covariance(y_true, score_a, score_b, pos_label=pos_label)
        method = "DeLong paired"
    else:
        is_pos, scores, codes, k, _ = grouped_scores(
            y_true, {"score_a": score_a, "score_b": score_b}, groups, pos_label
        )
        aucs, cov, _, _ = obuchowski_covariance(is_pos, scores, codes, k)
        method = f"{CLUSTERED_AUC_METHOD} paired"
    diff = float(aucs[0] - aucs[1])
    se = float(np.sqrt(np.maximum(cov[0, 0] + cov[1, 1] - 2 * cov[0, 1], 0.0)))
    if groups is not None:
        clusters = {"n_clusters": k, "se": se, "n_pos": int(is_pos.sum())}
        clusters["n_neg"] = len(is_pos) - clusters["n_pos"]
    z = z_statistic(diff, se)
    half = ndtri(0.5 + level / 2) * se
    return AUCComparison(
        auc_a=float(aucs[0]),
        auc_b=float(aucs[1]),
        difference=diff,
        low=diff - half,
        high=diff + half,
        statistic=float(z),
        p_value=p_value(z, alternative),
        df=None,
        method=method,
        alternative=alternative,
        level=level,
        paired=True,
        **clusters,
    )


def delong_test_unpaired(
    y_true_a: Any,
    score_a: Any,
    y_true_b: Any,
    score_b: Any,
    *,
    pos_label: Any = None,
    alternative: str = "two-sided",
    level: float = 0.95,
    groups_a: Any = None,
    groups_b: Any = None,
) -> AUCComparison:
    """DeLong's test for two ROC curves from different test sets (unpaired), as pROC.

    ``D = (AUC_a - AUC_b) / sqrt(V_a + V_b)`` with each V the DeLong variance, compared to
    Student's t with the Welch-Satterthwaite degrees of freedom
    ``df = (V_a + V_b)^2 / (V_a^2 / (N_a - 1) + V_b^2 / (N_b - 1))`` (N = cases in a set),
    exactly as pROC's ``roc.test(method="delong", paired=FALSE)``. The interval of the
    difference is ``difference -/+ t_df * sqrt(V_a + V_b)``.

    With ``groups_a`` / ``groups_b`` (the patients of each set) each V is Obuchowski's
    (1997) clustered variance and N counts the patients of the set, the independent units
    (method ``"Obuchowski (clustered DeLong) unpaired"``); with one image per patient
    every number equals DeLong's. The sets must not share a patient.

    Parameters
    ----------
    y_true_a, score_a : array-like
        Labels and scores of the first test set.
    y_true_b, score_b : array-like
        Labels and scores of the second test set.
    pos_label : label, optional
        The positive class (the same in both sets).
    alternative : {"two-sided", "greater", "less"}
        "greater" tests AUC a > AUC b.
    level : float, default 0.95
        Level of the interval of the difference.
    groups_a, groups_b : array-like, optional
        Patient (or study) ID of each image of set a / set b, when patients have several
        images; a set without them has one image per patient. An ID in both sets is
        refused (the sets would not be independent: compare the models on the same
        patients with :func:`delong_test` and ``groups=``).

    Returns
    -------
    AUCComparison
        Both AUCs, their difference with its interval, D, df and the p-value (NaN, with
        a warning, when a set has fewer than 2 positives or 2 negatives -- with groups,
        fewer than 2 patients holding a positive or a negative image). With groups the
        patients of both sets (``n_clusters``) and the standard error (``se``).

    References
    ----------
    N. A. Obuchowski, "Nonparametric analysis of clustered ROC curve data", Biometrics 53
    (1997) 567-578.

    Examples
    --------
    >>> from cxreval import delong_test_unpaired
    >>> res = delong_test_unpaired([0, 0, 1, 1, 1], [0.1, 0.6, 0.5, 0.8, 0.9],
    ...                            [0, 0, 0, 1, 1], [0.2, 0.3, 0.4, 0.35, 0.7])
    >>> res.method, bool(0 < res.p_value <= 1)
    ('DeLong unpaired', True)
    >>> res = delong_test_unpaired([0, 0, 1, 1, 1, 0], [0.1, 0.6, 0.5, 0.8, 0.9, 0.2],
    ...                            [0, 0, 0, 1, 1], [0.2, 0.3, 0.4, 0.35, 0.7],
    ...                            groups_a=[1, 1, 2, 3, 3, 4], groups_b=[5, 6, 7, 8, 9])
    >>> res.method, res.n_clusters
    ('Obuchowski (clustered DeLong) unpaired', 9)
    """
    alternative = check_choice(alternative, "alternative", ALTERNATIVES)
    level = check_level(level)
    pos_a, sa, _ = check_binary_scores(y_true_a, score_a, pos_label, name="score_a")
    pos_b, sb, _ = check_binary_scores(y_true_b, score_b, pos_label, name="score_b")
    codes, _ = check_unpaired_groups(groups_a, groups_b, len(sa), len(sb))
    auc_a, var_a, units_a = _sample_variance(pos_a, sa, groups_a, codes and codes[0])
    auc_b, var_b, units_b = _sample_variance(pos_b, sb, groups_b, codes and codes[1])
    clustered = groups_a is not None or groups_b is not None
    diff = auc_a - auc_b
    total = var_a + var_b
    se = float(np.sqrt(total))
    d = z_statistic(diff, se)
    if np.isnan(total):  # a DeLong variance is undefined (already warned)
        df = half = np.nan
    elif total > 0:
        df = total**2 / (var_a**2 / (units_a - 1) + var_b**2 / (units_b - 1))
        half = stdtrit(df, 0.5 + level / 2) * se
    else:
        df, half = np.inf, 0.0
    return AUCComparison(
        auc_a=auc_a,
        auc_b=auc_b,
        difference=diff,
        low=diff - half,
        high=diff + half,
        statistic=float(d),
        p_value=p_value(d, alternative, df),
        df=float(df),
        method=f"{CLUSTERED_AUC_METHOD if clustered else 'DeLong'} unpaired",
        alternative=alternative,
        level=level,
        paired=False,
        **({"n_clusters": units_a + units_b, "se": se} if clustered else {}),
    )


def _sample_variance(
    is_pos: np.ndarray, score: np.ndarray, groups: Any, codes: np.ndarray | None
) -> tuple[float, float, int]:
    """``(auc, variance, independent units)`` of one set of an unpaired test: DeLong's
    over images without ``groups``, else Obuchowski's over its patients (``codes``, the
    checked patient codes of this set)."""
    if groups is None:
        auc, var = delong_variance(score[is_pos], score[~is_pos])
        return auc, var, len(score)
    k = int(codes.max()) + 1
    aucs, cov, _, _ = obuchowski_covariance(is_pos, [score], codes, k)
    return float(aucs[0]), float(cov[0, 0]), k
