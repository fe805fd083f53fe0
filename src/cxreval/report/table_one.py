"""Table 1 of a paper: one row per model, every statistic with its interval.

The AUC (with the report's interval, DeLong's by default), sensitivity, specificity, PPV
and NPV (with statmaker's intervals, Wilson's by default) come from the report as they
are; F1, average precision and MCC get a stratified percentile bootstrap here
(:func:`bootstrap_f1_ap_mcc`), all three from the same resamples.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from cxreval._checks import warn_undefined
from cxreval._resampling import (
    chunk_size,
    compiled_kernels,
    resample_chunks,
    stratum_indices,
    use_compiled,
)
from cxreval.bootstrap import BootstrapResult, bootstrap, run_bootstrap
from cxreval.statmaker import binary_statistics

__all__ = ["bootstrap_f1_ap_mcc"]


def bootstrap_f1_ap_mcc(
    is_positive: np.ndarray,
    prob: np.ndarray,
    threshold: float,
    *,
    n_boot: int,
    level: float,
    random_state: Any,
    groups: np.ndarray | None = None,
) -> BootstrapResult | None:
    """Stratified percentile bootstrap of (F1, average precision, MCC) at ``threshold``;
    with ``groups`` (patient IDs) the cluster bootstrap, resampling patients (unstratified,
    as a patient may have images of both classes).

    None, with an :class:`~cxreval.UndefinedStatisticWarning`, when the model calls no image
    or every image positive at ``threshold``: the MCC is then undefined on every resample.

    The cases are sorted by score once; a resample is then a count per case, and its
    true and false positives above each score are cumulative sums of those counts, so a
    resample costs O(n) (no sort): numpy passes, or one compiled pass per resample with
    the compiled engine (:data:`cxreval._resampling.ENGINE`; the same draws, the same
    numbers to the last bits of a float sum). The average precision is scikit-learn's step sum
    ``sum_k (R_k - R_(k-1)) P_k`` over the distinct scores; F1 and MCC are those of the
    resample's confusion matrix at ``threshold`` (cases with ``prob >= threshold`` are
    called positive). A resample where one is undefined (``0 / 0``) is left out for it.

    Examples
    --------
    >>> import numpy as np
    >>> from cxreval.report.table_one import bootstrap_f1_ap_mcc
    >>> y = np.array([0, 0, 1, 1, 0, 1, 1, 0] * 10, dtype=bool)
    >>> p = np.linspace(0.05, 0.95, 80) * 0.5 + y * 0.4
    >>> res = bootstrap_f1_ap_mcc(y, p, 0.5, n_boot=2000, level=0.95, random_state=0)
    >>> [f"{v:.3f}" for v in res.estimate], bool(np.all(res.low <= res.estimate))
    (['0.904', '0.995', '0.838'], True)
    """
    order = np.argsort(-prob, kind="stable")
    score = prob[order]
    label = is_positive[order].astype(float)
    n = len(score)
    ends = np.flatnonzero(np.r_[score[1:] != score[:-1], True])  # last case of each score
    called = int(np.count_nonzero(prob >= threshold))  # the first ``called`` of ``order``
    if called in (0, n):
        warn_undefined(
            f"F1/AP/MCC intervals left out: at threshold {threshold:g} the model calls "
            f"{'no' if called == 0 else 'every'} image positive, so the MCC is undefined "
            "on every resample"
        )
        return None
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n)

    def f1_ap_mcc(ranks: np.ndarray) -> np.ndarray:
        b = ranks.shape[0]
        cells = (np.arange(b)[:, None] * n + ranks).ravel()
        counts = np.bincount(cells, minlength=b * n).reshape(b, n).astype(float)
        tp_above = np.cumsum(counts * label, axis=1)
        all_above = np.cumsum(counts, axis=1)
        positives = tp_above[:, -1]
        negatives = all_above[:, -1] - positives
        tp_at, all_at = tp_above[:, ends], all_above[:, ends]
        precision = np.divide(tp_at, all_at, out=np.zeros_like(tp_at), where=all_at > 0)
        gained = np.diff(tp_at, axis=1, prepend=0.0)
        with np.errstate(invalid="ignore", divide="ignore"):
            ap = (gained * precision).sum(axis=1) / positives
        tp = tp_above[:, called - 1] if called else np.zeros(b)
        fp = (all_above[:, called - 1] if called else np.zeros(b)) - tp
        stats = binary_statistics(tp, fp, positives - tp, negatives - fp, zero_division=np.nan)
        return np.column_stack([stats["f1"], ap, stats["mcc"]])

    if groups is None and use_compiled(n_boot * n):
        estimate = f1_ap_mcc(rank[None])[0]  # numpy's, to the last bit
        return _compiled(
            is_positive, rank, label, ends, called, estimate, n_boot, level, random_state
        )
    return _run(f1_ap_mcc, rank, is_positive, n_boot, level, random_state, groups)


def _compiled(
    is_positive: np.ndarray,
    rank: np.ndarray,
    label: np.ndarray,
    ends: np.ndarray,
    called: int,
    estimate: np.ndarray,
    n_boot: int,
    level: float,
    random_state: Any,
) -> BootstrapResult:
    """The stratified bootstrap of (F1, AP, MCC) with the compiled engine: the same draws
    as :func:`cxreval.bootstrap` (:func:`cxreval._resampling.resample_chunks` gives them as
    counts per case), read in one compiled pass per resample."""
    n = len(rank)
    kernel = compiled_kernels().ranked_counts
    strata = stratum_indices(is_positive, n)
    rank_of = np.concatenate([rank[s] for s in strata])
    group_end = np.zeros(n, dtype=bool)
    group_end[ends] = True
    scratch = np.zeros(n, dtype=np.int64)

    def read(counts: np.ndarray) -> np.ndarray:
        out = np.empty((counts.shape[0], 5))
        kernel(counts, rank_of, label, group_end, called, scratch, out)
        ap, tp, fp, positives, negatives = out.T
        stats = binary_statistics(tp, fp, positives - tp, negatives - fp, zero_division=np.nan)
        return np.column_stack([stats["f1"], ap, stats["mcc"]])

    def replicate_chunks(rng: np.random.Generator) -> Iterator[np.ndarray]:
        for resamples in resample_chunks([len(s) for s in strata], n_boot, rng):
            yield read(resamples.full)

    return run_bootstrap(
        replicate_chunks,
        estimate,
        n_boot=n_boot,
        level=level,
        bootstrap_method="percentile",
        stratified=True,
        random_state=random_state,
        jackknife=None,
        bounds=(-1.0, 1.0),
        statistic="f1_ap_mcc",
        total_chunks=-(-n_boot // chunk_size(n, n_boot)),
    )


def _run(
    statistic: Any,
    rank: np.ndarray,
    is_positive: np.ndarray,
    n_boot: int,
    level: float,
    random_state: Any,
    groups: np.ndarray | None,
) -> BootstrapResult:
    """The bootstrap of ``statistic`` over the cases' ``rank``: stratified by class, or
    of patients with ``groups``."""
    return bootstrap(
        statistic,
        rank,
        n_boot=n_boot,
        level=level,
        strata=is_positive if groups is None else None,
        random_state=random_state,
        vectorized=True,
        bounds=(-1.0, 1.0),
        groups=groups,
    )
