"""Table 1 of a paper: one row per model, every statistic with its interval.

The AUC (with the report's interval, DeLong's by default), sensitivity, specificity, PPV
and NPV (with statmaker's intervals, Wilson's by default) come from the report as they
are; F1, average precision and MCC get a stratified percentile bootstrap here
(:func:`bootstrap_f1_ap_mcc`), all three from the same resamples.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from cxreval._checks import warn_undefined
from cxreval.bootstrap import BootstrapResult, bootstrap
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
    resample costs O(n) (no sort). The average precision is scikit-learn's step sum
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

    return bootstrap(
        f1_ap_mcc,
        rank,
        n_boot=n_boot,
        level=level,
        strata=is_positive if groups is None else None,
        random_state=random_state,
        vectorized=True,
        bounds=(-1.0, 1.0),
        groups=groups,
    )
