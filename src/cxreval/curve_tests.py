"""Tests comparing two ROC curves beyond their AUCs. One job: these tests and their results.

* :func:`sensitivity_test` / :func:`specificity_test` (and their ``_unpaired`` forms): the
  bootstrap test of two models' sensitivities at a fixed specificity, or specificities at a
  fixed sensitivity (Pepe et al., 2009) -- pROC's ``roc.test(method="specificity")`` /
  ``roc.test(method="sensitivity")``. pROC names the method after the rate held fixed;
  here the function is named after the rate compared and the fixed one is ``at_...``.
* :func:`venkatraman_test` (paired; Venkatraman & Begg, 1996) and
  :func:`venkatraman_test_unpaired` (Venkatraman, 2000): permutation tests that two whole
  ROC curves are the same.

With ``groups=`` (patient IDs, when patients have several images) the bootstrap resamples
patients and the paired permutation swaps the models of whole patients; the unpaired
forms take ``groups_a`` / ``groups_b`` and refuse a patient present in both samples
(``cxreval._checks.check_unpaired_groups``).
"""

from __future__ import annotations

from collections.abc import Iterator
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
    check_n_perm,
    check_rates,
    check_unpaired_groups,
)
from cxreval._resampling import (
    Resamples,
    WeightedRates,
    chunk_size,
    cluster_units,
    score_strata,
    seeded_generator,
)
from cxreval._result import Result
from cxreval.bootstrap import bootstrap_resamples
from cxreval.coords import RATES, bootstrap_rates, curve_rate_at, rate_at
from cxreval.inference import ALTERNATIVES, p_value, without_unset_clusters, z_statistic

__all__ = [
    "CurveComparison",
    "RateComparison",
    "permutation_chunks",
    "sensitivity_test",
    "sensitivity_test_unpaired",
    "specificity_test",
    "specificity_test_unpaired",
    "venkatraman_test",
    "venkatraman_test_unpaired",
]


@dataclass(frozen=True)
class RateComparison(Result):
    """A bootstrap test of two models' sensitivities (or specificities) at a fixed
    specificity (or sensitivity), model a minus model b.

    Attributes
    ----------
    compared : str
        ``"sensitivity"`` or ``"specificity"``: the rate compared.
    at : float
        The value of the other rate, held fixed.
    rate_a, rate_b, difference : float
        The two rates and ``rate_a - rate_b``.
    low, high : float
        Percentile bootstrap interval of the difference at ``level``.
    statistic : float
        ``D = difference / sd(resampled differences)``, compared to the standard normal.
    p_value : float
    method : str
    alternative : str
    level : float
    paired : bool
    n_boot : int
    seed : int or None
    n_clusters : int or None
        Patients resampled by a cluster bootstrap (``groups=``, or ``groups_a`` /
        ``groups_b``: both samples' patients); None otherwise (and then left out of
        :meth:`to_dict`).
    """

    compared: str
    at: float
    rate_a: float
    rate_b: float
    difference: float
    low: float
    high: float
    statistic: float
    p_value: float
    method: str
    alternative: str
    level: float
    paired: bool
    n_boot: int
    seed: int | None
    n_clusters: int | None = None

    plotter = "plot_rate_comparison"

    def to_dict(self) -> dict[str, Any]:
        """Every field; ``n_clusters`` only when patients were resampled."""
        return without_unset_clusters(super().to_dict())

    def table(self) -> str:
        """The comparison as a text table."""
        fixed = RATES[self.compared == "sensitivity"]
        rows = [
            [f"{self.compared} a at {fixed} {self.at:g}", f"{self.rate_a:.4f}"],
            [f"{self.compared} b", f"{self.rate_b:.4f}"],
            ["difference (a - b)", f"{self.difference:.4f}"],
            [f"{100 * self.level:g}% CI of difference", f"{self.low:.4f} to {self.high:.4f}"],
            ["D", f"{self.statistic:.4f}"],
            ["p-value", f"{self.p_value:.4g}"],
            ["resamples (seed)", f"{self.n_boot} ({self.seed})"],
            *([] if self.n_clusters is None else [["patients", str(self.n_clusters)]]),
        ]
        return (
            tabulate(rows, disable_numparse=True) + f"\nmethod: {self.method}, {self.alternative}"
        )


def _cluster_rates(
    codes: list[np.ndarray],
    is_pos: np.ndarray,
    scores: list[tuple[np.ndarray, np.ndarray]],
    samples: list[np.ndarray],
    target: np.ndarray,
    given: str,
    n_boot: int,
    **options: Any,
) -> Any:
    """The cluster bootstrap of the rate test: :func:`cxreval.coords.bootstrap_rates` with
    patients resampled within each sample (``samples``: each sample's cases, ``codes``
    their patients) and each case weighted by its patient's count. Patients are numbered
    along the score order (:func:`cxreval._resampling.cluster_units`), so one image per
    patient draws the unstratified case bootstrap's resamples, bit for bit."""
    orders, unit_of, strata, start = [], [], [], 0
    firsts = scores[: len(samples)]  # each sample is numbered along its first curve's order
    for cases, c, (score, _) in zip(samples, codes, firsts, strict=True):
        order = cases[np.argsort(score[cases], kind="stable")]
        k = int(c.max()) + 1
        local = cluster_units(c, np.argsort(score[cases], kind="stable"))
        orders.append(order)
        unit_of.append(start + local[np.searchsorted(cases, order)])
        strata.append(np.arange(start, start + k))
        start += k
    case_order, unit_of = np.concatenate(orders), np.concatenate(unit_of)
    curves = [(WeightedRates(s, is_pos, case_order[cols]), cols) for s, cols in scores]

    def kernel(resamples: Resamples) -> np.ndarray:
        counts = resamples.full[:, unit_of]
        found = []
        for curve, cols in curves:
            fp, tp = curve(counts[:, cols])
            found.append(rate_at(fp, tp, fp[:, -1], tp[:, -1], target, given))
        return (found[0] - found[1])[:, 0]

    once = Resamples([np.arange(len(s))[None] for s in strata])
    return bootstrap_resamples(
        strata, kernel, kernel(once)[0], n_boot=n_boot, stratified=False,
        statistic=RATES[given == "sensitivity"], jackknife=None, bounds=(-1.0, 1.0),
        n_clusters=start, **options,
    )  # fmt: skip


def _rate_test(
    y_true: Any,
    score_a: Any,
    score_b: Any,
    y_true_b: Any,
    *,
    given: str,
    at: Any,
    n_boot: int,
    stratified: bool,
    alternative: str,
    level: float,
    random_state: Any,
    pos_label: Any,
    progress: bool,
    groups: Any = None,
    groups_b: Any = None,
) -> RateComparison:
    """The paired (``y_true_b`` None) or unpaired bootstrap test of the rate at ``at``;
    ``groups`` (and, unpaired, ``groups_b``) the patients of the (first) sample."""
    name = f"at_{given}"
    target, scalar = check_rates(at, name)
    if not scalar:
        raise TypeError(f"{name} must be one number in [0, 1], got {at!r}")
    alternative = check_choice(alternative, "alternative", ALTERNATIVES)
    level = check_level(level)
    n_boot = check_n_boot(n_boot, level)
    pos_a, sa, _ = check_binary_scores(y_true, score_a, pos_label, name="score_a")
    paired = y_true_b is None
    if paired:
        pos_b, sb, _ = check_binary_scores(y_true, score_b, pos_label, name="score_b")
        strata = score_strata(y_true, sa, stratified)
        is_pos, scores = pos_a, [(sa, None), (sb, None)]
        codes, n_clusters, samples = None, None, [np.arange(len(sa))]
        if groups is not None:
            codes = [check_groups(groups, len(sa))[0]]
            n_clusters = int(codes[0].max()) + 1
    else:
        pos_b, sb, _ = check_binary_scores(y_true_b, score_b, pos_label, name="score_b")
        n_a = len(sa)
        strata = score_strata(y_true, sa, stratified) + [
            s + n_a for s in score_strata(y_true_b, sb, stratified)
        ]
        is_pos = np.r_[pos_a, pos_b]
        every = np.r_[sa, sb]
        scores = [(every, np.arange(n_a)), (every, np.arange(n_a, n_a + len(sb)))]
        codes, n_clusters = check_unpaired_groups(groups, groups_b, n_a, len(sb))
        samples = [np.arange(n_a), np.arange(n_a, n_a + len(sb))]
    options = {"level": level, "bootstrap_method": "percentile", "random_state": random_state,
               "progress": progress}  # fmt: skip
    if codes is None:
        res = bootstrap_rates(
            strata, is_pos, scores, target, given, n_boot,
            stratified=stratified, combine=lambda r: (r[0] - r[1])[:, 0], **options,
        )  # fmt: skip
    else:
        if paired:  # the two models read the same cases, in the first model's score order
            scores = [(sa, np.arange(len(sa))), (sb, np.arange(len(sa)))]
        res = _cluster_rates(codes, is_pos, scores, samples, target, given, n_boot, **options)
    rate_a, rate_b = (
        float(curve_rate_at(p, s, target, given)[0]) for p, s in ((pos_a, sa), (pos_b, sb))
    )
    d = z_statistic(float(res.estimate), float(res.se))
    strata_word = "cluster " if n_clusters is not None else "stratified " if stratified else ""
    kind = f"{'paired' if paired else 'unpaired'} {strata_word}bootstrap"
    return RateComparison(
        compared=RATES[given == "sensitivity"],
        at=float(target[0]),
        rate_a=rate_a,
        rate_b=rate_b,
        difference=float(res.estimate),
        low=float(res.low),
        high=float(res.high),
        statistic=float(d),
        p_value=p_value(d, alternative),
        method=kind,
        alternative=alternative,
        level=level,
        paired=paired,
        n_boot=res.n_boot,
        seed=res.seed,
        n_clusters=n_clusters,
    )


_GROUPS = """    groups : array-like of shape (n,), optional
        Patient (or study) ID of each image: a paired cluster bootstrap (patients resampled
        with replacement, all their images taken, unstratified: ``stratified`` is not
        used; Field & Welsh 2007). With one image per patient the numbers equal those of
        ``stratified=False``, bit for bit with the same seed. The result records
        ``n_clusters``."""

_GROUPS_UNPAIRED = """    groups_a, groups_b : array-like, optional
        Patient (or study) ID of each image of set a, of set b: each set's patients are
        resampled on their own (a set without IDs has one image per patient; both sets
        unstratified). A patient in both sets is refused (the sets must be independent;
        compare shared images with the paired test). The result records ``n_clusters``,
        the patients of both sets."""

_TEST_PARAMETERS = """
    n_boot : int, default 2000
        Bootstrap resamples (pROC's ``boot.n``).
    stratified : bool, default True
        Resample positives and negatives separately (pROC's ``boot.stratified``).
    alternative : {"two-sided", "greater", "less"}
        "greater" tests that model a's rate is the larger.
    level : float, default 0.95
        Level of the percentile interval of the difference.
    random_state : None, int or numpy.random.Generator
        Bootstrap seed; a fresh one is drawn and recorded when None.
    pos_label : label, optional
        The positive class (default: the larger label).
    progress : bool, default False
        Show a progress bar for the bootstrap.

    Returns
    -------
    RateComparison
        Both rates, their difference with its interval, D and the p-value.

    References
    ----------
    M. S. Pepe, G. Longton and H. Janes, "Estimation and comparison of receiver operating
    characteristic curves", The Stata Journal 9(1):1-16 (2009); X. Robin et al., BMC
    Bioinformatics 12:77 (2011); C. A. Field and A. H. Welsh, "Bootstrapping clustered
    data", Journal of the Royal Statistical Society B 69 (2007) 369-390."""


def sensitivity_test(
    y_true: Any,
    score_a: Any,
    score_b: Any,
    *,
    at_specificity: float,
    n_boot: int = 2000,
    stratified: bool = True,
    alternative: str = "two-sided",
    level: float = 0.95,
    random_state: Any = None,
    pos_label: Any = None,
    progress: bool = False,
    groups: Any = None,
) -> RateComparison:
    """Paired bootstrap test of two models' sensitivities at a fixed specificity.

    Both ROC curves are read at ``at_specificity`` (as
    :func:`~cxreval.coords.sensitivity_at_specificity` reads them) on the same resamples
    of the cases; ``D = (sens_a - sens_b) / sd(D*)`` is compared to the standard normal.
    This is pROC's ``roc.test(roc_a, roc_b, method="specificity",
    specificity=at_specificity, paired=TRUE)`` -- pROC names the method after the rate
    held fixed.

    Parameters
    ----------
    y_true : array-like of shape (n,)
        Binary labels; both classes must be present.
    score_a, score_b : array-like of shape (n,)
        Scores of the two models for the same cases.
    at_specificity : float
        The specificity, in [0, 1], at which the sensitivities are compared.
    {groups}
    {parameters}

    Examples
    --------
    >>> import numpy as np
    >>> from cxreval.curve_tests import sensitivity_test
    >>> rng = np.random.default_rng(0)
    >>> y = np.r_[np.zeros(100), np.ones(100)]
    >>> a, b = y + rng.normal(0, 0.6, 200), y + rng.normal(0, 2.0, 200)
    >>> res = sensitivity_test(y, a, b, at_specificity=0.9, n_boot=500, random_state=0)
    >>> res.compared, res.method, bool(res.p_value < 0.05)
    ('sensitivity', 'paired stratified bootstrap', True)
    >>> cb = sensitivity_test(y, a, b, at_specificity=0.9, n_boot=500, random_state=0,
    ...                       groups=np.arange(200) // 2)
    >>> cb.method, cb.n_clusters
    ('paired cluster bootstrap', 100)
    """
    return _rate_test(
        y_true, score_a, score_b, None, given="specificity", at=at_specificity, n_boot=n_boot,
        stratified=stratified, alternative=alternative, level=level,
        random_state=random_state, pos_label=pos_label, progress=progress,
        groups=groups,
    )  # fmt: skip


def specificity_test(
    y_true: Any,
    score_a: Any,
    score_b: Any,
    *,
    at_sensitivity: float,
    n_boot: int = 2000,
    stratified: bool = True,
    alternative: str = "two-sided",
    level: float = 0.95,
    random_state: Any = None,
    pos_label: Any = None,
    progress: bool = False,
    groups: Any = None,
) -> RateComparison:
    """Paired bootstrap test of two models' specificities at a fixed sensitivity.

    The mirror of :func:`sensitivity_test`: pROC's ``roc.test(roc_a, roc_b,
    method="sensitivity", sensitivity=at_sensitivity, paired=TRUE)``.

    Parameters
    ----------
    y_true : array-like of shape (n,)
        Binary labels; both classes must be present.
    score_a, score_b : array-like of shape (n,)
        Scores of the two models for the same cases.
    at_sensitivity : float
        The sensitivity, in [0, 1], at which the specificities are compared.
    {groups}
    {parameters}

    Examples
    --------
    >>> import numpy as np
    >>> from cxreval.curve_tests import specificity_test
    >>> rng = np.random.default_rng(0)
    >>> y = np.r_[np.zeros(100), np.ones(100)]
    >>> a = y + rng.normal(0, 1, 200)
    >>> specificity_test(y, a, a, at_sensitivity=0.9, n_boot=200, random_state=0).p_value
    1.0
    """
    return _rate_test(
        y_true, score_a, score_b, None, given="sensitivity", at=at_sensitivity, n_boot=n_boot,
        stratified=stratified, alternative=alternative, level=level,
        random_state=random_state, pos_label=pos_label, progress=progress,
        groups=groups,
    )  # fmt: skip


def sensitivity_test_unpaired(
    y_true_a: Any,
    score_a: Any,
    y_true_b: Any,
    score_b: Any,
    *,
    at_specificity: float,
    n_boot: int = 2000,
    stratified: bool = True,
    alternative: str = "two-sided",
    level: float = 0.95,
    random_state: Any = None,
    pos_label: Any = None,
    progress: bool = False,
    groups_a: Any = None,
    groups_b: Any = None,
) -> RateComparison:
    """Unpaired bootstrap test of sensitivities at a fixed specificity (two test sets).

    Each set is resampled on its own (within each class when ``stratified``) and
    ``D = (sens_a - sens_b) / sd(sens_a* - sens_b*)`` -- pROC's ``roc.test(roc_a, roc_b,
    method="specificity", specificity=at_specificity, paired=FALSE)``.

    Parameters
    ----------
    y_true_a, score_a : array-like
        Labels and scores of the first test set.
    y_true_b, score_b : array-like
        Labels and scores of the second test set.
    at_specificity : float
        The specificity, in [0, 1], at which the sensitivities are compared.
    {groups_unpaired}
    {parameters}

    Examples
    --------
    >>> import numpy as np
    >>> from cxreval.curve_tests import sensitivity_test_unpaired
    >>> rng = np.random.default_rng(0)
    >>> y = np.r_[np.zeros(50), np.ones(50)]
    >>> res = sensitivity_test_unpaired(y, y + rng.normal(0, 1, 100), y,
    ...                                 y + rng.normal(0, 1, 100), at_specificity=0.8,
    ...                                 n_boot=300, random_state=0)
    >>> res.paired, bool(0 <= res.p_value <= 1)
    (False, True)
    """
    return _rate_test(
        y_true_a, score_a, score_b, y_true_b, given="specificity", at=at_specificity,
        n_boot=n_boot, stratified=stratified, alternative=alternative, level=level,
        random_state=random_state, pos_label=pos_label, progress=progress,
        groups=groups_a, groups_b=groups_b,
    )  # fmt: skip


def specificity_test_unpaired(
    y_true_a: Any,
    score_a: Any,
    y_true_b: Any,
    score_b: Any,
    *,
    at_sensitivity: float,
    n_boot: int = 2000,
    stratified: bool = True,
    alternative: str = "two-sided",
    level: float = 0.95,
    random_state: Any = None,
    pos_label: Any = None,
    progress: bool = False,
    groups_a: Any = None,
    groups_b: Any = None,
) -> RateComparison:
    """Unpaired bootstrap test of specificities at a fixed sensitivity (two test sets).

    The mirror of :func:`sensitivity_test_unpaired`: pROC's ``roc.test(roc_a, roc_b,
    method="sensitivity", sensitivity=at_sensitivity, paired=FALSE)``.

    Parameters
    ----------
    y_true_a, score_a : array-like
        Labels and scores of the first test set.
    y_true_b, score_b : array-like
        Labels and scores of the second test set.
    at_sensitivity : float
        The sensitivity, in [0, 1], at which the specificities are compared.
    {groups_unpaired}
    {parameters}

    Examples
    --------
    >>> import numpy as np
    >>> from cxreval.curve_tests import specificity_test_unpaired
    >>> y = np.r_[np.zeros(40), np.ones(40)]
    >>> s = y + np.sin(np.arange(80))
    >>> res = specificity_test_unpaired(y, s, y, s, at_sensitivity=0.9, n_boot=200,
    ...                                 random_state=0)
    >>> res.difference, res.statistic
    (0.0, 0.0)
    """
    return _rate_test(
        y_true_a, score_a, score_b, y_true_b, given="sensitivity", at=at_sensitivity,
        n_boot=n_boot, stratified=stratified, alternative=alternative, level=level,
        random_state=random_state, pos_label=pos_label, progress=progress,
        groups=groups_a, groups_b=groups_b,
    )  # fmt: skip


for _test in (sensitivity_test, specificity_test, sensitivity_test_unpaired,
              specificity_test_unpaired):  # fmt: skip
    _test.__doc__ = (
        _test.__doc__.replace("    {groups}", _GROUPS)
        .replace("    {groups_unpaired}", _GROUPS_UNPAIRED)
        .replace("    {parameters}", _TEST_PARAMETERS.strip("\n"))
    )


@dataclass(frozen=True)
class CurveComparison(Result):
    """A permutation test that two ROC curves are the same (Venkatraman's test).

    Attributes
    ----------
    statistic : float
        Venkatraman's E: the summed (paired) or integrated (unpaired) absolute difference
        between the two curves' error rates.
    p_value : float
        Share of permutations whose E is at least the observed one (as pROC).
    method : str
    paired : bool
    n_perm : int
    seed : int or None
    n_clusters : int or None
        Patients (``groups=``, or ``groups_a`` / ``groups_b``: both samples' patients);
        None otherwise (and then left out of :meth:`to_dict`).
    """

    statistic: float
    p_value: float
    method: str
    paired: bool
    n_perm: int
    seed: int | None
    n_clusters: int | None = None

    plotter = "plot_curve_comparison"

    def to_dict(self) -> dict[str, Any]:
        """Every field; ``n_clusters`` only when patient IDs were given."""
        return without_unset_clusters(super().to_dict())

    def table(self) -> str:
        """The test as a text table."""
        rows = [
            ["E", f"{self.statistic:.6g}"],
            ["p-value", f"{self.p_value:.4g}"],
            ["permutations (seed)", f"{self.n_perm} ({self.seed})"],
            *([] if self.n_clusters is None else [["patients", str(self.n_clusters)]]),
        ]
        return tabulate(rows, disable_numparse=True) + f"\nmethod: {self.method}"


def permutation_chunks(n: int, n_perm: int, rng: np.random.Generator) -> Iterator[int]:
    """Sizes of the chunks of permutations drawn at once (memory O(n + B), as the
    resampling engine's chunks; a function of n and B only, so seeds reproduce)."""
    chunk = chunk_size(n, n_perm)
    for start in range(0, n_perm, chunk):
        yield min(chunk, n_perm - start)


def first_ranks(score: np.ndarray) -> np.ndarray:
    """0-based ranks along the last axis, ties broken by position (R's ``ties="first"``)."""
    order = np.argsort(score, axis=-1, kind="stable")
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, np.arange(score.shape[-1]), axis=-1)
    return ranks


def paired_errors(ranks: np.ndarray, is_pos: np.ndarray) -> np.ndarray:
    """(b, N-1) errors when the k lowest ranks (k = 1..N-1) are called negative:
    positives among them plus negatives above them."""
    by_rank = np.take_along_axis(np.broadcast_to(is_pos, ranks.shape), np.argsort(ranks), -1)
    missed = np.cumsum(by_rank, axis=-1)[..., :-1]
    kept_neg = np.arange(1, ranks.shape[-1]) - missed
    return missed + (np.sum(~is_pos) - kept_neg)


def venkatraman_test(
    y_true: Any,
    score_a: Any,
    score_b: Any,
    *,
    n_perm: int = 2000,
    random_state: Any = None,
    pos_label: Any = None,
    groups: Any = None,
) -> CurveComparison:
    """Venkatraman and Begg's permutation test that two paired ROC curves are the same.

    Each model's scores are ranked over the N cases, ties broken by row order (R's
    ``rank(ties.method="first")``, pROC's default). Calling the k lowest ranks negative
    (k = 1..N-1) makes ``e_r(k)`` errors (positives below plus negatives above) for model
    r, and ``E = sum_k |e_a(k) - e_b(k)|``. Under the null hypothesis the two ranks of a
    case are exchangeable: each permutation swaps them for a random half of the cases and
    ranks again (ties again by row order). The p-value is the share of the ``n_perm``
    permutations with ``E* >= E``, as pROC's ``roc.test(method="venkatraman")``; E is
    pROC's exactly (with ties it depends on the row order, as in pROC).

    With ``groups`` the swaps are drawn per patient: a permutation swaps the two models'
    ranks of *all* the images of a random half of the patients together. Patients are
    independent and, under the null hypothesis, the two models' scores of a patient are
    exchangeable as a block, so the cluster permutation keeps the test's level when the
    images of a patient are correlated (the permutation unit is the independent unit:
    Gail et al. 1996); swapping images one by one would treat them as independent. The
    statistic E is unchanged (it is over images). Patients are numbered by their first
    image, so with one image per patient the swaps -- and the p-value -- are those
    without ``groups``, bit for bit with the same seed.

    Parameters
    ----------
    y_true : array-like of shape (n,)
        Binary labels; both classes must be present.
    score_a, score_b : array-like of shape (n,)
        Scores of the two models for the same cases.
    n_perm : int, default 2000
        Permutations (pROC's ``boot.n``). At least 19, so that a p-value below 0.05 is possible
        (``(n_perm + 1) * 0.05 >= 1``; fewer raise a ValueError); below 1000 a UserWarning
        says the p-value moves from seed to seed.
    random_state : None, int or numpy.random.Generator
        Seed of the permutations; a fresh one is drawn and recorded when None.
    pos_label : label, optional
        The positive class (default: the larger label).
    groups : array-like of shape (n,), optional
        Patient (or study) ID of each image, at least two distinct: the cluster
        permutation (above). The result records ``n_clusters``.

    Returns
    -------
    CurveComparison

    References
    ----------
    E. S. Venkatraman and C. B. Begg, "A distribution-free procedure for comparing
    receiver operating characteristic curves from a paired experiment", Biometrika
    83(4):835-848 (1996). M. H. Gail, S. D. Mark, R. J. Carroll, S. B. Green and D. Pee,
    "On design considerations and randomization-based inference for community
    intervention trials", Statistics in Medicine 15(11):1069-1092 (1996) -- permuting
    whole clusters.

    Examples
    --------
    >>> import numpy as np
    >>> from cxreval.curve_tests import venkatraman_test
    >>> y = np.r_[np.zeros(30), np.ones(30)]
    >>> s = y + np.cos(np.arange(60))
    >>> res = venkatraman_test(y, s, s, n_perm=200, random_state=0)
    >>> res.statistic, res.p_value
    (0.0, 1.0)
    >>> t = y + np.sin(np.arange(60))
    >>> cp = venkatraman_test(y, s, t, n_perm=200, random_state=0, groups=np.arange(60) // 3)
    >>> cp.method, cp.n_clusters
    ('Venkatraman-Begg paired permutation test (patients swapped whole)', 20)
    """
    n_perm = check_n_perm(n_perm)
    is_pos, sa, _ = check_binary_scores(y_true, score_a, pos_label, name="score_a")
    _, sb, _ = check_binary_scores(y_true, score_b, pos_label, name="score_b")
    units, n_clusters = np.arange(len(sa)), None  # the unit swapped: an image, or a patient
    if groups is not None:
        codes, ids = check_groups(groups, len(sa))
        units, n_clusters = cluster_units(codes), len(ids)
    ra, rb = first_ranks(sa), first_ranks(sb)
    observed = float(np.abs(paired_errors(ra, is_pos) - paired_errors(rb, is_pos)).sum())
    rng, seed = seeded_generator(random_state)
    stats = []
    for b in permutation_chunks(len(sa), n_perm, rng):
        swap = (rng.random((b, int(units.max()) + 1)) < 0.5)[:, units]
        pa, pb = first_ranks(np.where(swap, rb, ra)), first_ranks(np.where(swap, ra, rb))
        diff = paired_errors(pa, is_pos) - paired_errors(pb, is_pos)
        stats.append(np.abs(diff).sum(axis=-1))
    return CurveComparison(
        statistic=observed,
        p_value=float(np.mean(np.concatenate(stats) >= observed)),
        method="Venkatraman-Begg paired permutation test"
        + ("" if groups is None else " (patients swapped whole)"),
        paired=True,
        n_perm=n_perm,
        seed=seed,
        n_clusters=n_clusters,
    )


def mixture_points(
    is_pos: np.ndarray, order: np.ndarray, p: float
) -> tuple[np.ndarray, np.ndarray]:
    """``(u, e)`` of one sample: at each cut from the lowest score up (cases sorted by
    ``order``, shape (..., n)), the mixture quantile ``u = p F + (1 - p) G`` and the
    error ``e = p F + (1 - p) (1 - G)`` (F, G: shares of positives and negatives below)."""
    sorted_pos = np.take_along_axis(np.broadcast_to(is_pos, order.shape), order, -1)
    zero = np.zeros((*order.shape[:-1], 1))
    f = np.concatenate([zero, np.cumsum(sorted_pos, -1) / is_pos.sum()], -1)
    g = np.concatenate([zero, np.cumsum(~sorted_pos, -1) / (~is_pos).sum()], -1)
    return p * f + (1 - p) * g, p * f + (1 - p) * (1 - g)


def integrated_difference(u1: np.ndarray, e1: np.ndarray, u2: np.ndarray, e2: np.ndarray) -> float:
    """Exact integral over [0, 1] of |e1 - e2|, each linear between its points (u, e)."""
    grid = np.union1d(u1, u2)
    d = np.interp(grid, u1, e1) - np.interp(grid, u2, e2)
    d0, d1, width = d[:-1], d[1:], np.diff(grid)
    same = d0 * d1 >= 0
    with np.errstate(invalid="ignore", divide="ignore"):
        crossing = (d0**2 + d1**2) / (2 * np.abs(d1 - d0))
    area = np.where(same, np.abs(d0 + d1) / 2, crossing) * width
    return float(area.sum())


def venkatraman_test_unpaired(
    y_true_a: Any,
    score_a: Any,
    y_true_b: Any,
    score_b: Any,
    *,
    n_perm: int = 2000,
    random_state: Any = None,
    pos_label: Any = None,
    groups_a: Any = None,
    groups_b: Any = None,
) -> CurveComparison:
    """Venkatraman's permutation test that two ROC curves from different test sets are
    the same.

    Each curve is expressed as its error rate ``e(u) = p F + (1 - p)(1 - G)`` against the
    mixture quantile ``u = p F + (1 - p) G`` of its own set (F, G: shares of positives and
    negatives at or below a cut, cases in score order with ties broken by row order; p:
    the pooled share of positives), linear between cuts; ``E = integral_0^1 |e_a - e_b|
    du``, computed exactly. Equal ROC curves give equal ``e(u)``. Under the null
    hypothesis the mixture quantiles of the positives of both sets are exchangeable, and
    so are those of the negatives: each permutation reassigns them between the sets
    (keeping every count) and computes E again. The p-value is the share of permutations
    with ``E* >= E`` (as pROC).

    pROC's ``roc.test(method="venkatraman", paired=FALSE)`` evaluates the integral on its
    own grid, so its E differs slightly (pROC's aSAH example: 0.07755 there, 0.07725 here);
    the p-values agree within Monte Carlo error.

    The permutation moves single images between the sets, keeping the number of positives
    and negatives of each; images of one patient are not exchangeable one by one, and
    moving whole patients would change those numbers. So ``groups_a`` / ``groups_b`` are
    accepted to check the design only: each set must have one image per patient and no
    patient may be in both sets (otherwise a ValueError naming them). For several images
    per patient compare the sets with the cluster bootstrap of
    :func:`sensitivity_test_unpaired` or :func:`cxreval.partial_roc.partial_auc_test_unpaired`.

    Parameters
    ----------
    y_true_a, score_a : array-like
        Labels and scores of the first test set.
    y_true_b, score_b : array-like
        Labels and scores of the second test set.
    n_perm : int, default 2000
        Permutations. At least 19, so that a p-value below 0.05 is possible
        (``(n_perm + 1) * 0.05 >= 1``; fewer raise a ValueError); below 1000 a UserWarning
        says the p-value moves from seed to seed.
    random_state : None, int or numpy.random.Generator
        Seed of the permutations; a fresh one is drawn and recorded when None.
    pos_label : label, optional
        The positive class (the same in both sets).
    groups_a, groups_b : array-like, optional
        Patient (or study) ID of each image of set a, of set b: checked (one image per
        patient, no patient in both sets; see above) and counted (``n_clusters``).

    Returns
    -------
    CurveComparison

    References
    ----------
    E. S. Venkatraman, "A permutation test to compare receiver operating characteristic
    curves", Biometrics 56(4):1134-1138 (2000).

    Examples
    --------
    >>> import numpy as np
    >>> from cxreval.curve_tests import venkatraman_test_unpaired
    >>> y = np.r_[np.zeros(20), np.ones(20)]
    >>> s = y + np.sin(np.arange(40))
    >>> venkatraman_test_unpaired(y, s, y, s, n_perm=100, random_state=0).statistic
    0.0
    """
    n_perm = check_n_perm(n_perm)
    pos_a, sa, _ = check_binary_scores(y_true_a, score_a, pos_label, name="score_a")
    pos_b, sb, _ = check_binary_scores(y_true_b, score_b, pos_label, name="score_b")
    codes, n_clusters = check_unpaired_groups(groups_a, groups_b, len(sa), len(sb))
    for name, c in zip(("groups_a", "groups_b"), codes or (), strict=False):
        if int(c.max()) + 1 < len(c):
            raise ValueError(
                f"{name} holds patients with several images; the unpaired Venkatraman test "
                "moves single images between the sets and needs one image per patient (use "
                "sensitivity_test_unpaired or partial_auc_test_unpaired with groups_a/groups_b)"
            )
    p = (pos_a.sum() + pos_b.sum()) / (len(pos_a) + len(pos_b))
    order_a, order_b = np.argsort(sa, kind="stable"), np.argsort(sb, kind="stable")
    (ua, ea), (ub, eb) = mixture_points(pos_a, order_a, p), mixture_points(pos_b, order_b, p)
    observed = integrated_difference(ua, ea, ub, eb)
    # each case's mixture quantile (after it): the scores the permutations exchange
    qa, qb = np.empty(len(sa)), np.empty(len(sb))
    qa[order_a], qb[order_b] = ua[1:], ub[1:]
    pooled = [np.r_[qa[pos_a], qb[pos_b]], np.r_[qa[~pos_a], qb[~pos_b]]]
    split = [int(pos_a.sum()), int((~pos_a).sum())]
    ya = np.r_[np.ones(split[0], bool), np.zeros(split[1], bool)]
    yb = np.r_[np.ones(int(pos_b.sum()), bool), np.zeros(int((~pos_b).sum()), bool)]
    rng, seed = seeded_generator(random_state)
    stats = []
    for _ in range(n_perm):  # the exact integral has a different grid per permutation
        shuffled = [rng.permutation(v) for v in pooled]
        xa = np.r_[shuffled[0][: split[0]], shuffled[1][: split[1]]]
        xb = np.r_[shuffled[0][split[0] :], shuffled[1][split[1] :]]
        ua_, ea_ = mixture_points(ya, np.argsort(xa, kind="stable"), p)
        ub_, eb_ = mixture_points(yb, np.argsort(xb, kind="stable"), p)
        stats.append(integrated_difference(ua_, ea_, ub_, eb_))
    return CurveComparison(
        statistic=observed,
        p_value=float(np.mean(np.array(stats) >= observed - 1e-12)),
        method="Venkatraman unpaired permutation test",
        paired=False,
        n_perm=n_perm,
        seed=seed,
        n_clusters=n_clusters,
    )
