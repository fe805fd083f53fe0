"""The one bootstrap engine of :mod:`cxreval`: percentile, BCa and basic intervals.

Every resampled statistic in the package goes through this module. :func:`bootstrap` takes
any statistic -- scikit-learn's, one of ours, or the user's own -- and returns a
:class:`BootstrapResult` that names its method, level, number of resamples and seed.

The draws come from ``cxreval._resampling`` (chunked, so memory stays O(n + B)); this
module turns replicates into intervals (:func:`run_bootstrap`, :func:`summarize`), for
:func:`bootstrap` and for the vectorized statistics (:func:`bootstrap_resamples`).
With ``groups=`` :func:`bootstrap` resamples clusters (patients) instead of cases.

One job: replicates to intervals, for every bootstrap of the package (long because the
interval methods, their fallbacks and the case and cluster resampling of
:func:`bootstrap` each carry their explanation).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.special import ndtr, ndtri
from tabulate import tabulate

from cxreval._checks import (
    caller_stacklevel,
    check_array_1d,
    check_bounds,
    check_choice,
    check_consistent_length,
    check_groups,
    check_labels,
    check_level,
    check_n_boot,
    check_positive_int,
)
from cxreval._plain import to_plain
from cxreval._resampling import (
    CHUNK_ELEMENTS,
    Resamples,
    chunk_size,
    cluster_units,
    draw_chunks,
    multinomial_chunks,
    resample_chunks,
    seeded_generator,
    stratum_indices,
)
from cxreval._result import Result

__all__ = [
    "BOOTSTRAP_METHODS",
    "BootstrapResult",
    "bootstrap",
    "bootstrap_resamples",
    "collect_replicates",
    "interval",
    "quantiles",
    "run_bootstrap",
    "standard_error",
    "summarize",
]

#: The bootstrap interval methods the engine computes (``bootstrap_method=``).
BOOTSTRAP_METHODS = ("percentile", "bca", "basic")


@dataclass(frozen=True)
class BootstrapResult(Result):
    """A bootstrap estimate with its confidence interval.

    Attributes
    ----------
    estimate, low, high : float or ndarray
        The statistic on the original data and the interval bounds (arrays of the same
        shape when the statistic returns several values).
    se : float or ndarray
        Bootstrap standard error: the standard deviation (ddof=1) of the replicates.
    level : float
        Confidence level, e.g. 0.95.
    ci_type : str
        ``"percentile"``, ``"bca"`` or ``"basic"`` -- the type actually used (a requested
        BCa interval that cannot be computed falls back to percentile with a warning).
    n_boot : int
        Number of resamples with a defined statistic.
    stratified : bool
        Whether resampling kept the size of each stratum.
    seed : int or None
        The seed that reproduces the result (None when a Generator was passed).
    statistic : str
        Name of the statistic.
    replicates : ndarray
        The bootstrap replicates, shape ``(n_boot,)`` or ``(n_boot, k)``.
    resampling : str
        ``"cases"`` (case indices drawn) or ``"multinomial"`` (counts over the distinct
        values of each stratum drawn; see :func:`cxreval.roc_auc_ci`).
    n_clusters : int or None
        Clusters resampled by a cluster bootstrap (``groups=``); None when cases were
        resampled (and then left out of :meth:`to_dict`).
    """

    estimate: Any
    low: Any
    high: Any
    se: Any
    level: float
    ci_type: str
    n_boot: int
    stratified: bool
    seed: int | None
    statistic: str
    replicates: np.ndarray = field(repr=False, compare=False)
    resampling: str = "cases"
    n_clusters: int | None = None

    plotter = "plot_bootstrap"

    @property
    def method(self) -> str:
        """Human-readable method, e.g. ``"stratified bootstrap (percentile, B=2000)"``."""
        kind = "stratified bootstrap" if self.stratified else "bootstrap"
        if self.n_clusters is not None:
            kind = "stratified cluster bootstrap" if self.stratified else "cluster bootstrap"
        return f"{kind} ({self.ci_type}, B={self.n_boot})"

    def to_dict(self) -> dict[str, Any]:
        """Plain-Python dictionary of the result (replicates left out; ``resampling`` only
        when it is not the default ``"cases"``, ``n_clusters`` only for a cluster
        bootstrap)."""
        extra = {} if self.resampling == "cases" else {"resampling": self.resampling}
        if self.n_clusters is not None:
            extra["n_clusters"] = self.n_clusters
        return to_plain(
            {
                "statistic": self.statistic,
                "estimate": self.estimate,
                "low": self.low,
                "high": self.high,
                "se": self.se,
                "level": self.level,
                "method": "bootstrap",
                "ci_type": self.ci_type,
                "n_boot": self.n_boot,
                "stratified": self.stratified,
                "seed": self.seed,
                **extra,
            }
        )

    def table(self) -> str:
        """The result as a text table, one row per value of the statistic."""
        est, low, high, se = (
            np.atleast_1d(v) for v in (self.estimate, self.low, self.high, self.se)
        )
        pct = f"{100 * self.level:g}% CI"
        rows = [
            [i if len(est) > 1 else self.statistic, e, f"{lo:.4f}-{hi:.4f}", s]
            for i, (e, lo, hi, s) in enumerate(zip(est, low, high, se, strict=True))
        ]
        header = ["statistic", "estimate", pct, "se"]
        return tabulate(rows, headers=header, floatfmt=".4f") + f"\nmethod: {self.method}"

    def __str__(self) -> str:
        if np.ndim(self.estimate):
            return self.table()
        return (
            f"{self.statistic} {self.estimate:.4f} "
            f"({100 * self.level:g}% CI {self.low:.4f}-{self.high:.4f}, {self.method})"
        )


def bootstrap(
    statistic: Callable[..., Any],
    *arrays: Any,
    n_boot: int = 2000,
    level: float = 0.95,
    bootstrap_method: str = "percentile",
    strata: Any = None,
    random_state: Any = None,
    vectorized: bool = False,
    bounds: tuple[float, float] | None = None,
    progress: bool = False,
    groups: Any = None,
) -> BootstrapResult:
    """Bootstrap confidence interval of any statistic of one or more paired arrays.

    Cases (rows) are resampled with replacement; the same indices are applied to every
    array, so paired data stay paired. With ``strata``, cases are resampled within each
    stratum, keeping every stratum's size -- pROC's stratified bootstrap when the strata
    are the true classes.

    A resample on which the statistic is NaN is undefined: it is left out with a
    :class:`RuntimeWarning` and ``n_boot`` counts the rest. An infinite value (e.g. a
    ratio ``x / 0`` with ``x > 0``) is a value: it stays, a percentile bound can then be
    ``inf`` (quantiles are interpolated in the extended reals, never as ``inf - inf``)
    and ``se`` is ``inf``.

    Parameters
    ----------
    statistic : callable
        ``statistic(*resampled_arrays)`` returning a float or a 1-D array of floats. With
        ``vectorized=True`` it receives arrays with a leading resample axis, shape
        ``(b, n, ...)``, and must return shape ``(b,)`` or ``(b, k)``.
    *arrays : array-like
        Arrays with the same first dimension n (one row per case); NaN in a numeric
        array, or None in an object array, is refused (a NaN case would make the estimate
        NaN while the resamples that miss it are finite).
    n_boot : int, default 2000
        Number of resamples (pROC's default ``boot.n``). At least
        ``2 / (1 - level) - 1`` -- 39 at 95 %, 199 at 99 % -- so that each tail beyond
        the interval holds at least one resample, ``(n_boot + 1) (1 - level) / 2 >= 1``
        (Davison & Hinkley 1997, section 5.2.3); fewer cannot form the interval and raise
        a ValueError. Below 1000 a UserWarning says the bounds move from seed to seed.
        Every function with ``n_boot`` applies this rule.
    level : float, default 0.95
        Confidence level.
    bootstrap_method : {"percentile", "bca", "basic"}, default "percentile"
        Interval method. BCa uses the jackknife over all n cases for its acceleration; when
        BCa is undefined (all replicates equal, a constant jackknife, or infinite values)
        the percentile interval is returned with a :class:`RuntimeWarning`; so is it for
        a basic interval around an infinite estimate.
    strata : array-like, optional
        Labels of length n; resampling keeps the count of every label. NaN or None is not
        a stratum (refused).
    random_state : None, int or numpy.random.Generator
        Seed. With None a fresh seed is drawn and recorded in the result.
    vectorized : bool, default False
        Whether ``statistic`` accepts a batch of resamples (see above). Without it the
        statistic is called once per resample.
    bounds : (float, float), optional
        Clip the interval to these bounds (e.g. ``(0, 1)`` for a proportion, or
        ``(0, numpy.inf)`` for a ratio); ``low < high``, NaN not allowed.
    progress : bool, default False
        Show a tqdm progress bar over chunks of resamples.
    groups : array-like, optional
        Cluster (patient or study) ID of each case, at least two distinct: a cluster
        bootstrap. Clusters are resampled with replacement and all their cases taken
        (Davison & Hinkley 1997, section 3.8; Field & Welsh 2007), so a resample holds a
        varying number of cases and the statistic is called once per resample (with
        ``vectorized=True``, on a batch of one). With ``strata`` the strata must be
        constant within each cluster (e.g. the site or the sex of a patient) and clusters
        are resampled within their stratum; a class label that varies within a patient
        cannot stratify a cluster bootstrap (leave ``strata`` out: the standard,
        unstratified cluster bootstrap). BCa's jackknife leaves one cluster out. Clusters
        are numbered by their first case, so with one case per cluster the resamples --
        and every number -- are those of the case bootstrap. The result records
        ``n_clusters``.

    Returns
    -------
    BootstrapResult
        The estimate, its interval and standard error, the replicates and the seed.

    References
    ----------
    A. C. Davison and D. V. Hinkley, Bootstrap Methods and their Application, Cambridge
    University Press (1997).
    C. A. Field and A. H. Welsh, "Bootstrapping clustered data", Journal of the Royal
    Statistical Society B 69 (2007) 369-390.

    Examples
    --------
    >>> import numpy as np
    >>> from cxreval import bootstrap
    >>> x = np.arange(20.0)
    >>> res = bootstrap(np.mean, x, n_boot=500, random_state=0)
    >>> round(res.estimate, 2)
    9.5
    >>> bool(res.low < 9.5 < res.high)
    True

    Four cases per patient, patients resampled:

    >>> res = bootstrap(np.mean, x, n_boot=500, random_state=0, groups=np.arange(20) // 4)
    >>> res.method, res.n_clusters
    ('cluster bootstrap (percentile, B=500)', 5)
    """
    if not callable(statistic):
        raise TypeError(f"statistic must be callable, got {type(statistic).__name__}")
    if not arrays:
        raise ValueError("bootstrap needs at least one array after statistic")
    level = check_level(level)
    n_boot = check_n_boot(n_boot, level)
    data = [_check_data(a, f"arrays[{i}]") for i, a in enumerate(arrays)]
    n = check_consistent_length(**{f"arrays[{i}]": a for i, a in enumerate(data)})
    if strata is not None:
        check_labels(check_array_1d(strata, "strata"), "strata")
    if bounds is not None:
        bounds = check_bounds(bounds)
    if groups is not None:
        return _cluster_bootstrap(
            statistic,
            data,
            groups,
            strata,
            n_boot=n_boot,
            level=level,
            bootstrap_method=bootstrap_method,
            random_state=random_state,
            vectorized=vectorized,
            bounds=bounds,
            progress=progress,
        )
    groups = stratum_indices(strata, n)

    def on_indices(idx: np.ndarray) -> np.ndarray:
        if vectorized:
            return np.asarray(statistic(*(a[idx] for a in data)), dtype=float)
        return np.array([statistic(*(a[row] for a in data)) for row in idx], dtype=float)

    def replicate_chunks(rng: np.random.Generator) -> Iterator[np.ndarray]:
        for draws in draw_chunks([len(s) for s in groups], n_boot, rng):
            yield on_indices(
                np.concatenate([s[d] for s, d in zip(groups, draws, strict=True)], axis=1)
            )

    def jackknife() -> np.ndarray:
        if n < 2:
            raise ValueError("BCa needs at least two cases for its jackknife")
        chunk = max(1, CHUNK_ELEMENTS // n)
        positions = np.arange(n - 1)
        rows = []
        for start in range(0, n, chunk):
            left_out = np.arange(start, min(n, start + chunk))[:, None]
            rows.append(on_indices(positions + (positions >= left_out)))
        return np.concatenate(rows, axis=0)

    estimate = _estimate(statistic, data, vectorized)
    return run_bootstrap(
        replicate_chunks,
        estimate,
        n_boot=n_boot,
        level=level,
        bootstrap_method=bootstrap_method,
        stratified=strata is not None,
        random_state=random_state,
        jackknife=jackknife,
        bounds=bounds,
        statistic=getattr(statistic, "__name__", type(statistic).__name__),
        progress=progress,
        total_chunks=-(-n_boot // chunk_size(n, n_boot)),
    )


def _estimate(statistic: Callable[..., Any], data: list[np.ndarray], vectorized: bool):
    """The statistic on all the cases, its shape checked."""
    estimate = _as_values(statistic(*(a[None] if vectorized else a for a in data)))
    if vectorized:
        if estimate.ndim == 0 or len(estimate) != 1:
            raise ValueError(
                "with vectorized=True, statistic must return one value (or row) per "
                "resample, shape (b,) or (b, k), but on a batch of b=1 it returned shape "
                f"{estimate.shape}; pass vectorized=False for a statistic of one sample"
            )
        estimate = estimate[0]
    if estimate.ndim > 1:
        raise ValueError(
            "statistic must return a float or a 1-D array of floats, got an array of shape "
            f"{estimate.shape}"
        )
    return estimate


def _cluster_bootstrap(
    statistic: Callable[..., Any],
    data: list[np.ndarray],
    groups: Any,
    strata: Any,
    *,
    vectorized: bool,
    **options: Any,
) -> BootstrapResult:
    """:func:`bootstrap` with ``groups``: clusters (numbered by their first case) drawn
    within their stratum, every case of a drawn cluster taken."""
    n = len(data[0])
    codes, ids = check_groups(groups, n)
    units = cluster_units(codes)
    k = len(ids)
    members = np.argsort(units, kind="stable")  # cases of unit 0, then of unit 1, ...
    sizes = np.bincount(units, minlength=k)
    starts = np.cumsum(sizes) - sizes
    first = members[starts]  # first case of each unit
    unit_labels = None
    if strata is not None:
        labels = np.asarray(strata).ravel()
        mixed = labels != labels[first][units]
        if mixed.any():
            raise ValueError(
                "strata must be constant within each cluster of groups for a cluster "
                f"bootstrap (case {int(np.argmax(mixed))} differs from its cluster's first "
                "case); leave strata out for the unstratified cluster bootstrap"
            )
        unit_labels = labels[first]
    unit_strata = stratum_indices(unit_labels, k)

    def rows(drawn: np.ndarray) -> np.ndarray:
        """Every case of the drawn units, in draw order."""
        lens = sizes[drawn]
        ends = np.cumsum(lens)
        return members[np.arange(ends[-1]) - np.repeat(ends - lens - starts[drawn], lens)]

    def on_rows(idx: np.ndarray) -> Any:
        if vectorized:
            return np.asarray(statistic(*(a[idx][None] for a in data)), dtype=float)[0]
        return statistic(*(a[idx] for a in data))

    def replicate_chunks(rng: np.random.Generator) -> Iterator[np.ndarray]:
        for draws in draw_chunks([len(s) for s in unit_strata], options["n_boot"], rng):
            drawn = np.concatenate([s[d] for s, d in zip(unit_strata, draws, strict=True)], 1)
            yield np.array([on_rows(rows(d)) for d in drawn], dtype=float)

    def jackknife() -> np.ndarray:
        return np.array([on_rows(np.flatnonzero(units != u)) for u in range(k)], dtype=float)

    return run_bootstrap(
        replicate_chunks,
        _estimate(statistic, data, vectorized),
        stratified=strata is not None,
        jackknife=jackknife,
        statistic=getattr(statistic, "__name__", type(statistic).__name__),
        total_chunks=-(-options["n_boot"] // chunk_size(k, options["n_boot"])),
        n_clusters=k,
        **options,
    )


def _check_data(array: Any, name: str) -> np.ndarray:
    """One of :func:`bootstrap`'s arrays: at least one case, no NaN (or None)."""
    data = np.asarray(array)
    if data.ndim == 0 or data.shape[0] == 0:
        raise ValueError(f"{name} must have at least one case, got shape {data.shape}")
    if data.dtype.kind in "fc":
        bad = np.isnan(data).reshape(len(data), -1).any(axis=1)
    elif data.dtype == object:
        bad = np.array([_missing(v) for v in data.reshape(len(data), -1).tolist()])
    else:
        return data
    if bad.any():
        raise ValueError(
            f"{name} contains NaN or None (first in case {int(np.argmax(bad))}): the statistic "
            "would be NaN on the data while resamples that miss the case are not; drop or "
            "impute missing values first"
        )
    return data


def _missing(row: Any) -> bool:
    values = row if isinstance(row, list) else [row]
    return any(v is None or (isinstance(v, float) and v != v) for v in values)


def _as_values(value: Any) -> np.ndarray:
    """The statistic's value as a float array, or a TypeError naming ``statistic``."""
    try:
        return np.asarray(value, dtype=float)
    except (TypeError, ValueError) as exc:
        raise TypeError(
            "statistic must return a float or a 1-D array of floats, got "
            f"{type(value).__name__} {str(value)[:40]!r}"
        ) from exc


def run_bootstrap(
    replicate_chunks: Callable[[np.random.Generator], Iterator[np.ndarray]],
    estimate: Any,
    *,
    n_boot: int,
    level: float,
    bootstrap_method: str,
    stratified: bool,
    random_state: Any,
    jackknife: Callable[[], np.ndarray] | None,
    bounds: tuple[float, float] | None,
    statistic: str,
    progress: bool = False,
    total_chunks: int | None = None,
    resampling: str = "cases",
    n_clusters: int | None = None,
) -> BootstrapResult:
    """Collect replicates from ``replicate_chunks(rng)`` and turn them into an interval.

    The shared back half of every bootstrap in :mod:`cxreval`: validation of the options,
    seeding, undefined replicates, and the percentile / BCa / basic interval.
    """
    n_boot = check_positive_int(n_boot, "n_boot")
    level = check_level(level)
    bootstrap_method = check_choice(bootstrap_method, "bootstrap_method", BOOTSTRAP_METHODS)
    rng, seed = seeded_generator(random_state)
    reps = collect_replicates(replicate_chunks(rng), statistic, progress, total_chunks)
    return summarize(
        reps,
        estimate,
        level=level,
        bootstrap_method=bootstrap_method,
        stratified=stratified,
        seed=seed,
        jackknife=jackknife,
        bounds=bounds,
        statistic=statistic,
        resampling=resampling,
        n_clusters=n_clusters,
    )


def collect_replicates(
    chunks: Iterator[np.ndarray], statistic: str, progress: bool, total: int | None
) -> np.ndarray:
    """Concatenate the replicate chunks (with a tqdm bar when ``progress``)."""
    if progress:
        from tqdm.auto import tqdm

        chunks = tqdm(chunks, total=total, desc=f"bootstrap {statistic}", unit="chunk")
    return np.concatenate([np.asarray(c, dtype=float) for c in chunks], axis=0)


def summarize(
    reps: np.ndarray,
    estimate: Any,
    *,
    level: float,
    bootstrap_method: str,
    stratified: bool,
    seed: int | None,
    jackknife: Callable[[], np.ndarray] | None,
    bounds: tuple[float, float] | None,
    statistic: str,
    resampling: str = "cases",
    n_clusters: int | None = None,
) -> BootstrapResult:
    """Replicates -> :class:`BootstrapResult`: undefined resamples left out with a warning,
    the interval, clipping to ``bounds`` and the bootstrap standard error."""
    estimate = np.asarray(estimate, dtype=float)
    bad = np.isnan(reps).reshape(len(reps), -1).any(axis=1)  # +-inf is a value, NaN is not
    if bad.all():
        raise ValueError(f"the statistic {statistic} is undefined on every resample")
    if bad.any():
        warnings.warn(
            f"{int(bad.sum())} of {len(reps)} resamples gave an undefined {statistic} "
            "(e.g. one class only) and were left out",
            RuntimeWarning,
            stacklevel=caller_stacklevel(),
        )
        reps = reps[~bad]
    low, high, used = interval(reps, estimate, level, bootstrap_method, jackknife)
    if bounds is not None:
        low, high = np.clip(low, *bounds), np.clip(high, *bounds)
    se = standard_error(reps) if len(reps) > 1 else np.zeros_like(estimate)

    def out(x: Any) -> Any:
        x = np.asarray(x, dtype=float)
        return float(x) if x.ndim == 0 else x

    return BootstrapResult(
        estimate=out(estimate),
        low=out(low),
        high=out(high),
        se=out(se),
        level=level,
        ci_type=used,
        n_boot=len(reps),
        stratified=stratified,
        seed=seed,
        statistic=statistic,
        replicates=reps,
        resampling=resampling,
        n_clusters=n_clusters,
    )


def standard_error(replicates: np.ndarray) -> np.ndarray:
    """Standard deviation (ddof=1) of the replicates along axis 0; ``inf`` for a column
    with an infinite replicate (its spread is unbounded)."""
    finite = np.isfinite(replicates)
    se = np.where(finite, replicates, 0.0).std(axis=0, ddof=1)
    return np.where(finite.all(axis=0), se, np.inf)


def quantiles(replicates: np.ndarray, probs: np.ndarray) -> np.ndarray:
    """Quantiles along axis 0 (R's type 7, as :func:`numpy.quantile`), safe with ``inf``.

    Type 7 interpolates linearly between the order statistics ``x[lo]`` and ``x[lo + 1]``
    around position ``h = (B - 1) p``. With infinite replicates numpy computes ``inf - inf``
    and returns NaN; here the interpolation is taken in the extended reals instead: at an
    exact order statistic (no interpolation) it is that value, between ``x`` and ``+inf``
    (or ``-inf`` and ``x``) it is the infinite one, and only between ``-inf`` and ``+inf``
    is it undefined (NaN). Finite values are numpy's, bit for bit.
    """
    probs = np.asarray(probs, dtype=float)
    with np.errstate(invalid="ignore"):  # inf - inf; those entries are replaced below
        out = np.quantile(replicates, probs, axis=0)
    if np.isfinite(replicates).all():
        return out
    ordered = np.sort(replicates, axis=0)
    h = (len(ordered) - 1) * probs
    lo = np.floor(h).astype(int)
    hi = np.minimum(lo + 1, len(ordered) - 1)
    frac = (h - lo).reshape(h.shape + (1,) * (ordered.ndim - 1))
    a, b = ordered[lo], ordered[hi]
    extended = np.where(
        (frac == 0) | (a == b),
        a,
        np.where(
            (a == -np.inf) & (b == np.inf),
            np.nan,
            np.where(a == -np.inf, -np.inf, np.where(b == np.inf, np.inf, out)),
        ),
    )
    return np.where(np.isfinite(a) & np.isfinite(b), out, extended)


def interval(
    replicates: np.ndarray,
    estimate: np.ndarray,
    level: float,
    bootstrap_method: str,
    jackknife: Callable[[], np.ndarray] | None = None,
) -> tuple[np.ndarray, np.ndarray, str]:
    """``(low, high, method_used)`` from bootstrap replicates (axis 0 = resamples).

    Percentile: the ``(1 -/+ level) / 2`` quantiles (linear interpolation, R's type 7,
    taken in the extended reals when replicates are infinite: see :func:`quantiles`).
    Basic: ``2 * estimate - `` the opposite percentile bounds (a bound of ``inf`` reflects
    to ``-inf``). BCa (Efron 1987): the quantiles at
    ``Phi(z0 + (z0 + z) / (1 - a (z0 + z)))`` with the bias correction
    ``z0 = Phi^-1(share of replicates below the estimate, ties counted half)`` and the
    acceleration ``a`` from the jackknife values. BCa is undefined with constant or
    infinite replicates or jackknife values, and the basic interval with an infinite
    estimate; both then fall back to the percentile interval with a warning.
    """
    alpha = 1.0 - level
    probs = np.array([alpha / 2, 1 - alpha / 2])
    if bootstrap_method == "bca":
        probs_bca = _bca_probabilities(replicates, estimate, probs, jackknife)
        if probs_bca is not None:
            low = _column_quantiles(replicates, probs_bca[0])
            high = _column_quantiles(replicates, probs_bca[1])
            return low, high, "bca"
        warnings.warn(
            "BCa interval undefined here (replicates or jackknife values are constant "
            "or infinite, e.g. an AUC of exactly 0 or 1, or a likelihood ratio with no "
            "false positive); the percentile interval is returned instead",
            RuntimeWarning,
            stacklevel=caller_stacklevel(),
        )
        bootstrap_method = "percentile"
    if bootstrap_method == "basic" and not np.all(np.isfinite(estimate)):
        warnings.warn(
            "basic interval undefined with an infinite estimate (it reflects the "
            "replicates around the estimate); the percentile interval is returned instead",
            RuntimeWarning,
            stacklevel=caller_stacklevel(),
        )
        bootstrap_method = "percentile"
    q_low, q_high = quantiles(replicates, probs)
    if bootstrap_method == "basic":
        return 2 * estimate - q_high, 2 * estimate - q_low, "basic"
    return q_low, q_high, "percentile"


def _bca_probabilities(
    replicates: np.ndarray,
    estimate: np.ndarray,
    probs: np.ndarray,
    jackknife: Callable[[], np.ndarray] | None,
) -> np.ndarray | None:
    """Adjusted quantile levels, shape (2,) + estimate.shape, or None when undefined."""
    if jackknife is None or not np.isfinite(replicates).all():
        return None
    below = (replicates < estimate).mean(axis=0) + 0.5 * (replicates == estimate).mean(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        z0 = ndtri(below)
        jack = np.asarray(jackknife(), dtype=float)
        if not np.isfinite(jack).all():
            return None
        dev = jack.mean(axis=0) - jack
        a = (dev**3).sum(axis=0) / (6.0 * ((dev**2).sum(axis=0)) ** 1.5)
        z = ndtri(probs).reshape((2,) + (1,) * np.ndim(estimate))
        adjusted = ndtr(z0 + (z0 + z) / (1 - a * (z0 + z)))
    if not np.all(np.isfinite(adjusted)):
        return None
    return adjusted


def _column_quantiles(replicates: np.ndarray, probs: np.ndarray) -> np.ndarray:
    """Quantile of each column of ``replicates`` at its own probability."""
    if replicates.ndim == 1:
        return np.quantile(replicates, float(probs))
    return np.array([np.quantile(replicates[:, j], p) for j, p in enumerate(probs)])


def bootstrap_resamples(
    strata: list[np.ndarray],
    kernel: Callable[[Resamples], np.ndarray],
    estimate: Any,
    *,
    n_boot: int,
    stratified: bool,
    statistic: str,
    multiplicities: list[np.ndarray] | None = None,
    **options: Any,
) -> BootstrapResult:
    """:func:`run_bootstrap` of ``kernel(resamples)`` over the resamples of ``strata`` -- the
    draws of :func:`cxreval.bootstrap` -- chunk by chunk; ``options`` are passed on.

    The path of the vectorized statistics: ``kernel`` reads a chunk of resamples (a
    ``cxreval._resampling.Resamples``) and returns one row of values per resample.
    With ``multiplicities`` (per stratum, the cases behind each of its units) the units'
    counts are drawn as multinomials instead (``resampling="multinomial"``)."""
    sizes = [len(s) for s in strata]

    def chunks(rng: np.random.Generator) -> Iterator[np.ndarray]:
        if multiplicities is not None:
            draws = multinomial_chunks(multiplicities, n_boot, rng)
        else:
            draws = resample_chunks(sizes, n_boot, rng)
        for resamples in draws:
            yield kernel(resamples)

    return run_bootstrap(
        chunks,
        estimate,
        n_boot=n_boot,
        stratified=stratified,
        statistic=statistic,
        total_chunks=-(-n_boot // chunk_size(sum(sizes), n_boot)),
        resampling="cases" if multiplicities is None else "multinomial",
        **options,
    )
