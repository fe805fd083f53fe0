"""DeLong variance and covariance of AUCs (the tests that use them are in
:mod:`cxreval.inference`).

The variance follows DeLong, DeLong & Clarke-Pearson (1988) computed by Sun & Xu's (2014)
O(n log n) algorithm from midranks, with sample variances (ddof = 1) exactly as pROC's
``var(roc)``, ``ci.auc(method="delong")`` and ``roc.test(method="delong")``.

For m positives X and n negatives Y, with T_Z the midranks of the pooled scores and T_X,
T_Y the midranks within each class, the placement values are

    V10_i = (T_Z(X_i) - T_X(X_i)) / n          (share of negatives below X_i, ties 1/2)
    V01_j = 1 - (T_Z(Y_j) - T_Y(Y_j)) / m      (share of positives above Y_j, ties 1/2)

AUC = mean(V10) = mean(V01), and for k scores on the same cases
Cov(AUC) = S10 / m + S01 / n with S10, S01 the ddof=1 covariance matrices of the placements.

When patients have several images, Obuchowski's (1997) clustered covariance
(:func:`clustered_auc_covariance`) sums the placements' deviations within each patient
first; with one image per patient it is DeLong's.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from cxreval._checks import (
    caller_stacklevel,
    check_binary_scores,
    check_binary_target,
    check_consistent_length,
    check_groups,
    check_scores,
)

__all__ = [
    "CLUSTERED_AUC_METHOD",
    "auc_covariance",
    "auc_jackknife",
    "cluster_class_counts",
    "clustered_auc_covariance",
    "delong_covariance",
    "delong_variance",
    "grouped_scores",
    "midranks",
    "obuchowski_covariance",
    "placement_covariance",
    "placements",
]

#: The method name every clustered AUC result carries.
CLUSTERED_AUC_METHOD = "Obuchowski (clustered DeLong)"


def midranks(x: np.ndarray) -> np.ndarray:
    """1-based ranks of ``x`` with ties given the mean of their ranks, in O(n log n).

    A tie run gets one rank whatever the order within it, so the sort need not be
    stable (numpy's default introsort is faster on tied scores)."""
    order = np.argsort(x)
    xs = x[order]
    change = np.flatnonzero(xs[1:] != xs[:-1]) + 1
    starts = np.concatenate(([0], change))
    ends = np.concatenate((change, [len(x)]))
    ranks = np.empty(len(x), dtype=float)
    ranks[order] = np.repeat((starts + ends + 1) / 2.0, ends - starts)
    return ranks


def placements(
    positives: np.ndarray, negatives: np.ndarray
) -> tuple[float, np.ndarray, np.ndarray]:
    """Sun & Xu's placement values: ``(auc, V10, V01)`` for scores of the two classes."""
    m, n = len(positives), len(negatives)
    pooled = midranks(np.concatenate((positives, negatives)))
    v10 = (pooled[:m] - midranks(positives)) / n
    v01 = 1.0 - (pooled[m:] - midranks(negatives)) / m
    auc = (pooled[:m].sum() - m * (m + 1) / 2.0) / (m * n)
    return float(auc), v10, v01


def delong_variance(positives: np.ndarray, negatives: np.ndarray) -> tuple[float, float]:
    """``(auc, variance)`` of one AUC by DeLong, ddof = 1 as pROC."""
    aucs, cov = auc_covariance([positives], [negatives])
    return float(aucs[0]), float(cov[0, 0])


def auc_covariance(positives: list[np.ndarray], negatives: list[np.ndarray]):
    """AUCs and their DeLong covariance matrix for k paired scores (lists of k arrays).

    With fewer than 2 positives or 2 negatives a sample covariance of the placements
    (ddof = 1) does not exist: the matrix is NaN, with a :class:`RuntimeWarning` (pROC
    gives NA there).
    """
    parts = [placements(p, q) for p, q in zip(positives, negatives, strict=True)]
    aucs = np.array([p[0] for p in parts])
    v10 = np.array([p[1] for p in parts])
    v01 = np.array([p[2] for p in parts])
    return aucs, placement_covariance(v10, v01)


def placement_covariance(
    v10: np.ndarray, v01: np.ndarray, what: str = "DeLong variance"
) -> np.ndarray:
    """``cov(V10) / m + cov(V01) / n`` (ddof = 1, as pROC) of k statistics' placement
    values on the same cases, ``v10`` (k, m) over the positives and ``v01`` (k, n) over
    the negatives: DeLong's covariance matrix of k AUCs, or of any statistic whose
    influence values these are (the partial AUC's). NaN, with a RuntimeWarning naming
    ``what``, when a class has fewer than 2 cases.

    Examples
    --------
    >>> import numpy as np
    >>> from cxreval.delong import placement_covariance, placements
    >>> auc, v10, v01 = placements(np.array([0.9, 0.7, 0.4]), np.array([0.2, 0.5, 0.1]))
    >>> float(placement_covariance(v10[None], v01[None])[0, 0])
    0.024691358024691357
    """
    m, n = v10.shape[1], v01.shape[1]
    if m < 2 or n < 2:
        warnings.warn(
            f"the {what} is undefined with {m} positive(s) and {n} negative(s) "
            "(at least 2 of each are needed); variance, interval and test are NaN",
            RuntimeWarning,
            stacklevel=caller_stacklevel(),
        )
        return np.full((len(v10), len(v10)), np.nan)
    s10 = np.atleast_2d(np.cov(v10, ddof=1))
    s01 = np.atleast_2d(np.cov(v01, ddof=1))
    return s10 / m + s01 / n


def delong_covariance(
    y_true: Any, *y_scores: Any, pos_label: Any = None
) -> tuple[np.ndarray, np.ndarray]:
    """AUCs of several scores on the same cases and their DeLong covariance matrix.

    With fewer than 2 positives or 2 negatives the covariance is undefined: it is NaN
    and a :class:`RuntimeWarning` says so (pROC returns NA).

    Parameters
    ----------
    y_true : array-like of shape (n,)
        Binary labels.
    *y_scores : array-like of shape (n,)
        One or more score vectors for the same cases.
    pos_label : label, optional
        The positive class (default: the larger label).

    Returns
    -------
    aucs : ndarray of shape (k,)
        The AUC of each score vector.
    covariance : ndarray of shape (k, k)
        ``S10 / m + S01 / n`` with ddof = 1 covariances of the placement values, as pROC
        (NaN with fewer than 2 positives or 2 negatives).

    Examples
    --------
    >>> from cxreval import delong_covariance
    >>> aucs, cov = delong_covariance([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    >>> float(aucs[0]), round(float(cov[0, 0]), 6)
    (0.75, 0.125)
    """
    if not y_scores:
        raise ValueError("delong_covariance needs at least one score array")
    pos, neg = [], []
    for i, s in enumerate(y_scores):
        is_pos, score, _ = check_binary_scores(y_true, s, pos_label, name=f"y_scores[{i}]")
        pos.append(score[is_pos])
        neg.append(score[~is_pos])
    return auc_covariance(pos, neg)


def auc_jackknife(is_pos: np.ndarray, score: np.ndarray) -> np.ndarray:
    """Leave-one-out AUCs in O(n log n) from the placement values (case order)."""
    auc, v10, v01 = placements(score[is_pos], score[~is_pos])
    m, n = len(v10), len(v01)
    out = np.empty(len(score))
    with np.errstate(invalid="ignore", divide="ignore"):
        out[is_pos] = (m * auc - v10) / (m - 1)
        out[~is_pos] = (n * auc - v01) / (n - 1)
    return out


def cluster_class_counts(is_pos: np.ndarray, codes: np.ndarray, k: int) -> dict[str, int]:
    """``n_clusters`` (k) and the clusters holding a positive / a negative image."""
    return {
        "n_clusters": k,
        "n_clusters_pos": int(np.count_nonzero(np.bincount(codes[is_pos], minlength=k))),
        "n_clusters_neg": int(np.count_nonzero(np.bincount(codes[~is_pos], minlength=k))),
    }


def obuchowski_covariance(
    is_pos: np.ndarray, scores: list[np.ndarray], codes: np.ndarray, k: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[str, int]]:
    """AUCs of ``scores``, their Obuchowski (1997) covariance, the image-level DeLong
    covariance and the cluster counts (:func:`cluster_class_counts`); ``codes`` (0..k-1)
    is each image's cluster.

    See :func:`clustered_auc_covariance` for the formula. NaN covariances, with a
    :class:`RuntimeWarning`, when fewer than 2 clusters hold a positive image or fewer
    than 2 a negative one."""
    m, n = int(is_pos.sum()), int((~is_pos).sum())
    code_x, code_y = codes[is_pos], codes[~is_pos]
    counts = cluster_class_counts(is_pos, codes, k)
    parts = [placements(s[is_pos], s[~is_pos]) for s in scores]
    aucs = np.array([p[0] for p in parts])
    i10, i01 = counts["n_clusters_pos"], counts["n_clusters_neg"]
    if i10 < 2 or i01 < 2:
        warnings.warn(
            f"the clustered AUC variance is undefined with {i10} cluster(s) holding "
            f"positives and {i01} holding negatives (at least 2 of each are needed); "
            "variance, interval and test are NaN",
            RuntimeWarning,
            stacklevel=caller_stacklevel(),
        )
        nan = np.full((len(parts), len(parts)), np.nan)
        return aucs, nan, nan, counts
    # per-image deviations of the placements, then their sums per cluster (k x scores)
    ex = np.stack([p[1] - a for p, a in zip(parts, aucs, strict=True)], axis=1)
    ey = np.stack([p[2] - a for p, a in zip(parts, aucs, strict=True)], axis=1)
    dx = np.stack([np.bincount(code_x, weights=e, minlength=k) for e in ex.T], axis=1)
    dy = np.stack([np.bincount(code_y, weights=e, minlength=k) for e in ey.T], axis=1)
    cross = dx.T @ dy
    cov = (
        i10 / ((i10 - 1) * m * m) * (dx.T @ dx)
        + i01 / ((i01 - 1) * n * n) * (dy.T @ dy)
        + k / ((k - 1) * m * n) * (cross + cross.T)
    )
    image_level = (ex.T @ ex) / ((m - 1) * m) + (ey.T @ ey) / ((n - 1) * n)
    return aucs, cov, image_level, counts


def grouped_scores(
    y_true: Any, y_scores: dict[str, Any], groups: Any, pos_label: Any
) -> tuple[np.ndarray, list[np.ndarray], np.ndarray, int, Any]:
    """Checked ``(is_pos, [scores], codes, K, positive)`` of clustered images;
    ``y_scores`` maps the arguments' names to their scores."""
    is_pos, positive = check_binary_target(y_true, pos_label=pos_label)
    scores = []
    for name, s in y_scores.items():
        score = check_scores(s, name)
        check_consistent_length(y_true=is_pos, **{name: score})
        scores.append(score)
    codes, ids = check_groups(groups, len(is_pos))
    return is_pos, scores, codes, len(ids), positive


def clustered_auc_covariance(
    y_true: Any, *y_scores: Any, groups: Any, pos_label: Any = None
) -> tuple[np.ndarray, np.ndarray]:
    """AUCs of several scores on the same clustered cases and their Obuchowski covariance.

    For clusters i = 1..I with m_i positive images (scores X_ij) and n_i negative ones
    (Y_ik), M = sum m_i, N = sum n_i, the AUC is the Mann-Whitney estimate over all
    images, and with the cluster sums of the placement values
    ``V10(X_i.) = sum_j V10(X_ij)``, ``V01(Y_i.) = sum_k V01(Y_ik)`` and
    ``dX_i = V10(X_i.) - m_i AUC``, ``dY_i = V01(Y_i.) - n_i AUC``::

        S10 = I10 / ((I10 - 1) M) sum_i dX_i^(r) dX_i^(s)
        S01 = I01 / ((I01 - 1) N) sum_i dY_i^(r) dY_i^(s)
        S11 = I / (I - 1) sum_i dX_i^(r) dY_i^(s)
        cov(AUC_r, AUC_s) = S10 / M + S01 / N + (S11^(rs) + S11^(sr)) / (M N)

    where I10 (I01) counts the clusters holding a positive (negative) image (Obuchowski
    1997, eqs. 3-5). With one image per cluster S11 = 0 and this is DeLong's covariance
    (:func:`delong_covariance`). The intervals and tests built on it are
    :func:`cxreval.roc_auc_ci` and :func:`cxreval.delong_test` with ``groups=``.

    Parameters
    ----------
    y_true : array-like of shape (n,)
        Binary labels, one per image.
    *y_scores : array-like of shape (n,)
        One or more score vectors for the same images.
    groups : array-like of shape (n,)
        Cluster (patient or study) ID of each image; at least two clusters.
    pos_label : label, optional
        The positive class (default: the larger label).

    Returns
    -------
    aucs : ndarray of shape (k,)
    covariance : ndarray of shape (k, k)
        NaN, with a :class:`RuntimeWarning`, when fewer than 2 clusters hold a positive
        image or fewer than 2 a negative one.

    References
    ----------
    N. A. Obuchowski, "Nonparametric analysis of clustered ROC curve data", Biometrics 53
    (1997) 567-578.

    Examples
    --------
    >>> from cxreval.delong import clustered_auc_covariance
    >>> y = [1, 0, 1, 1, 0, 0, 1, 0, 0, 0, 1]
    >>> s = [0.9, 0.3, 0.7, 0.4, 0.5, 0.2, 0.6, 0.6, 0.1, 0.35, 0.8]
    >>> g = list("AABBBCDDEEE")
    >>> aucs, cov = clustered_auc_covariance(y, s, groups=g)
    >>> round(float(aucs[0]), 6), round(float(cov[0, 0]), 8)
    (0.916667, 0.00912809)
    """
    if not y_scores:
        raise ValueError("clustered_auc_covariance needs at least one score array (y_scores)")
    is_pos, scores, codes, k, _ = grouped_scores(
        y_true, {f"y_scores[{i}]": s for i, s in enumerate(y_scores)}, groups, pos_label
    )
    aucs, cov, _, _ = obuchowski_covariance(is_pos, scores, codes, k)
    return aucs, cov
