"""Bootstrap intervals of statmaker's binary statistics (:func:`bootstrap_statmaker`),
vectorized over resamples.

Each resample is a row of case counts (the draws of :func:`cxreval.bootstrap`); its
confusion matrix is that row times the 0/1 matrix saying which cell each case falls in,
and :func:`cxreval.binary_statistics` turns the (B, 4) cell counts into every statistic
at once. No Python loop per resample; chunks keep memory O(n + B). With ``groups=`` a row
counts patients instead, times each patient's cell counts (the cluster bootstrap).
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from cxreval._checks import (
    caller_stacklevel,
    check_array_1d,
    check_binary_target,
    check_choice,
    check_consistent_length,
    check_groups,
    check_labels,
    check_level,
    check_n_boot,
    check_predicted_labels,
    check_scores,
    check_threshold,
)
from cxreval._resampling import (
    chunk_size,
    cluster_units,
    count_chunks,
    seeded_generator,
    stratum_indices,
)
from cxreval._statistics import ALIASES, BINARY_KEYS, COUNT_KEYS, STATISTIC_BOUNDS
from cxreval.bootstrap import BOOTSTRAP_METHODS, BootstrapResult, collect_replicates, summarize
from cxreval.statmaker import binary_statistics

__all__ = ["bootstrap_statmaker"]


def _predicted_positive(y_true, y_pred, y_score, threshold, pos_label):
    """``(is_positive, predicted_positive, positive_label)`` from labels or scores."""
    if (y_pred is None) == (y_score is None):
        raise ValueError("give exactly one of y_pred and y_score")
    is_pos, positive = check_binary_target(y_true, pos_label=pos_label)
    if y_score is not None:
        score = check_scores(y_score)
        check_consistent_length(y_true=is_pos, y_score=score)
        return is_pos, score >= check_threshold(threshold), positive
    pred = check_array_1d(y_pred, "y_pred")
    check_consistent_length(y_true=is_pos, y_pred=pred)
    predicted = check_labels(pred, "y_pred")  # NaN, None, mixed types
    truth = check_array_1d(y_true, "y_true")
    check_predicted_labels(truth, pred)
    unknown = np.setdiff1d(predicted, np.unique(truth))
    if len(unknown):
        raise ValueError(f"y_pred has labels that y_true does not: {unknown.tolist()[:10]}")
    return is_pos, pred == positive, positive


def bootstrap_statmaker(
    y_true: Any,
    y_pred: Any = None,
    *,
    y_score: Any = None,
    threshold: float = 0.5,
    pos_label: Any = None,
    keys: Any = None,
    n_boot: int = 2000,
    level: float = 0.95,
    bootstrap_method: str = "percentile",
    stratified: bool = True,
    random_state: Any = None,
    progress: bool = False,
    groups: Any = None,
) -> dict[str, BootstrapResult]:
    """Bootstrap intervals of statmaker's binary statistics (any key of ``BINARY_KEYS``).

    Cases are resampled (within each true class when ``stratified``, so the prevalence
    stays fixed); every resample's confusion matrix goes through
    :func:`cxreval.binary_statistics`. A statistic undefined on a resample (``0 / 0``,
    e.g. precision with no predicted positive) leaves that resample out for that
    statistic, with a warning; one undefined on every resample gets NaN bounds and a
    warning. With ``y_score`` the threshold is held fixed: the interval does not include
    the uncertainty of having chosen it on the same data.

    A nonzero count over zero is not undefined but infinite, and stays in the replicates:
    LR+ = TPR / FPR is ``inf`` on a resample with FP = 0 < TP, LR- on one with
    TN = 0 < FN, the diagnostic odds ratio on one with FP * FN = 0 < TP * TN (the
    estimate too, when the data themselves have such a zero). Leaving those resamples out
    would bias the interval downwards; kept, a percentile bound can be ``inf`` (the
    quantiles never interpolate ``inf - inf``, see :func:`cxreval.bootstrap`), ``se`` is
    ``inf``, and a BCa (or, with an infinite estimate, basic) interval falls back to
    the percentile one with a warning. The closed-form
    :func:`cxreval.intervals.ratio_ci` agrees that such a ratio is infinite, not
    undefined, but its log-method interval has no bounds there and is NaN.

    Parameters
    ----------
    y_true : array-like of shape (n,)
        Binary labels.
    y_pred : array-like of shape (n,), optional
        Predicted labels. Give exactly one of ``y_pred`` and ``y_score``.
    y_score : array-like of shape (n,), optional
        Scores; a case is predicted positive when ``y_score >= threshold``.
    threshold : float, default 0.5
        Decision threshold applied to ``y_score`` (held fixed on every resample).
    pos_label : label, optional
        The positive class (default: the larger label).
    keys : sequence of str, optional
        Statistics to bootstrap; default every statistic except the raw counts and aliases.
    n_boot : int, default 2000
        Bootstrap resamples: at least ``2 / (1 - level) - 1`` (39 at 95 %; fewer cannot
        form the interval), with a warning below 1000 (see :func:`cxreval.bootstrap`).
    level : float, default 0.95
        Confidence level.
    bootstrap_method : {"percentile", "bca", "basic"}, default "percentile"
        Interval method (BCa and basic fall back to percentile, with a warning, where they
        are undefined).
    stratified : bool, default True
        Resample within each true class, keeping the prevalence fixed.
    random_state : None, int or numpy.random.Generator
        Bootstrap seed; a fresh one is drawn and recorded when None.
    progress : bool, default False
        Show a progress bar for the bootstrap.
    groups : array-like of shape (n,), optional
        Patient (or study) ID of each image, at least two distinct: a cluster bootstrap.
        Patients are resampled with replacement and all their images taken (Davison &
        Hinkley 1997, section 3.8; Field & Welsh 2007): a resample's confusion matrix is
        the sum of its patients' matrices. It is unstratified (``stratified`` is not used:
        a patient may hold images of both classes), and BCa's jackknife leaves one patient
        out. Patients are numbered by their first image, so with one image per patient
        every number is the unstratified case bootstrap's, bit for bit. Each result
        records ``n_clusters``.

    Returns
    -------
    dict of str to BootstrapResult
        One result per key, all from the same resamples and seed.

    References
    ----------
    A. C. Davison and D. V. Hinkley, Bootstrap Methods and their Application, Cambridge
    University Press (1997). C. A. Field and A. H. Welsh, "Bootstrapping clustered data",
    Journal of the Royal Statistical Society B 69 (2007) 369-390.

    Examples
    --------
    >>> import numpy as np
    >>> from cxreval import bootstrap_statmaker
    >>> y = np.r_[np.zeros(50), np.ones(50)]
    >>> pred = np.r_[np.zeros(40), np.ones(10), np.zeros(5), np.ones(45)]
    >>> ci = bootstrap_statmaker(y, pred, keys=["recall", "f1"], random_state=0)
    >>> round(ci["recall"].estimate, 2), ci["recall"].method
    (0.9, 'stratified bootstrap (percentile, B=2000)')

    Two images per patient, patients resampled:

    >>> cb = bootstrap_statmaker(y, pred, keys=["recall"], groups=np.arange(100) // 2,
    ...                          n_boot=500, random_state=0)
    >>> cb["recall"].method, cb["recall"].n_clusters
    ('cluster bootstrap (percentile, B=500)', 50)
    """
    level = check_level(level)
    n_boot = check_n_boot(n_boot, level)
    bootstrap_method = check_choice(bootstrap_method, "bootstrap_method", BOOTSTRAP_METHODS)
    is_pos, pred_pos, _ = _predicted_positive(y_true, y_pred, y_score, threshold, pos_label)
    if keys is None:
        keys = [k for k in BINARY_KEYS if k not in COUNT_KEYS and k not in ALIASES]
    keys = [keys] if isinstance(keys, str) else list(keys)
    for key in keys:
        check_choice(key, "keys", BINARY_KEYS)
    n = len(is_pos)
    cells = np.column_stack(
        (is_pos & pred_pos, ~is_pos & pred_pos, is_pos & ~pred_pos, ~is_pos & ~pred_pos)
    ).astype(np.int64)
    n_clusters = None
    if groups is None:
        strata = stratum_indices(np.asarray(y_true).ravel() if stratified else None, n)
        units = cells[np.concatenate(strata)]  # the resampled units' cell counts
        left_out = cells  # the jackknife's, in case order
    else:  # a unit is a patient: its images' cell counts summed
        codes, ids = check_groups(groups, n)
        n_clusters, stratified = len(ids), False
        strata = [np.arange(n_clusters)]
        units = np.zeros((n_clusters, 4), dtype=np.int64)
        np.add.at(units, cluster_units(codes), cells)
        left_out = units

    def statistics(counts: np.ndarray) -> np.ndarray:
        tp, fp, fn, tn = counts.T
        values = binary_statistics(tp, fp, fn, tn, zero_division=np.nan, infinite_ratios=True)
        return np.column_stack([values[k] for k in keys]).astype(float)

    def chunks(rng: np.random.Generator):
        for parts in count_chunks([len(s) for s in strata], n_boot, rng):
            yield statistics(np.hstack(parts) @ units)

    total = cells.sum(axis=0)
    estimate = statistics(total[None])[0]
    rng, seed = seeded_generator(random_state)
    size = len(units)
    reps = collect_replicates(
        chunks(rng), "statmaker statistics", progress, -(-n_boot // chunk_size(size, n_boot))
    )
    jack: list[np.ndarray] = []

    def jackknife(j: int) -> np.ndarray:  # leave one case (or patient) out
        if not jack:
            jack.append(statistics(total[None] - left_out))
        return jack[0][:, j]

    out = {}
    for j, key in enumerate(keys):
        if np.isnan(reps[:, j]).all():
            warnings.warn(
                f"{key} is undefined on every resample (a ratio over zero); its interval is NaN",
                RuntimeWarning,
                stacklevel=caller_stacklevel(),
            )
            nan = float("nan")
            out[key] = BootstrapResult(
                nan, nan, nan, nan, level, bootstrap_method, 0, stratified, seed, key,
                reps[:, j], n_clusters=n_clusters,
            )  # fmt: skip
            continue
        out[key] = summarize(
            reps[:, j],
            estimate[j],
            level=level,
            bootstrap_method=bootstrap_method,
            stratified=stratified,
            seed=seed,
            jackknife=lambda j=j: jackknife(j),
            bounds=STATISTIC_BOUNDS.get(key),
            statistic=key,
            n_clusters=n_clusters,
        )
    return out
