"""Confusion matrices: counting predictions, and one class against the rest.

A confusion matrix has the true classes in rows and the predicted classes in columns, so a
binary one is ``[[TN, FP], [FN, TP]]``. :func:`confusion_matrix` counts predicted labels;
:func:`one_vs_rest_counts` reads a K x K matrix as K binary ones.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from cxreval._checks import (
    check_array_1d,
    check_consistent_length,
    check_labels,
    check_predicted_labels,
    check_sample_weight,
    check_unseen_predictions,
)

__all__ = ["confusion_matrix", "confusion_matrix_with_labels", "one_vs_rest_counts"]


def one_vs_rest_counts(cm: np.ndarray) -> tuple[np.ndarray, ...]:
    """Per-class (tp, fp, fn, tn) of a K x K matrix, class k against the rest."""
    cm = cm.astype(float)
    tp = np.diag(cm)
    fp = cm.sum(axis=0) - tp
    fn = cm.sum(axis=1) - tp
    tn = cm.sum() - tp - fp - fn
    return tp, fp, fn, tn


def _kind(arr: np.ndarray) -> str:
    return "number" if arr.dtype.kind in "biuf" else "text"


def _unknown(values: np.ndarray, labels: np.ndarray, name: str) -> None:
    missing = np.setdiff1d(values, labels)
    if missing.size:
        raise ValueError(f"{name} contains values that are not in labels: {missing.tolist()[:10]}")


def confusion_matrix_with_labels(
    y_true: Any, y_pred: Any, labels: Any = None, sample_weight: Any = None
) -> tuple:
    """:func:`confusion_matrix` and its labels (the sorted union when ``labels`` is None)."""
    t = check_array_1d(y_true, "y_true")
    p = check_array_1d(y_pred, "y_pred")
    n = check_consistent_length(y_true=t, y_pred=p)
    for arr, name in ((t, "y_true"), (p, "y_pred")):
        if arr.dtype.kind == "f" and np.isnan(arr).any():
            raise ValueError(f"{name} contains NaN")
        if arr.dtype == object:
            check_labels(arr, name)  # None, or labels of mixed types
    check_predicted_labels(t, p)
    if _kind(t) != _kind(p):
        raise TypeError(f"y_true ({t.dtype}) and y_pred ({p.dtype}) mix numbers and text labels")
    lab = None
    if labels is not None:
        lab = check_array_1d(labels, "labels")
        if len(np.unique(lab)) != len(lab):
            raise ValueError(f"labels must be unique, got {lab.tolist()}")
        if _kind(lab) != _kind(t):
            raise TypeError(f"labels ({lab.dtype}) and y_true ({t.dtype}) are of different kinds")
    cm, lab_out = _count(t, p, lab, n)
    if lab is None:  # predicted classes y_true lacks, beyond a few: scores, not labels
        unseen = cm.sum(axis=1) == 0
        check_unseen_predictions(int((~unseen).sum()), lab_out[unseen].tolist())
    if sample_weight is not None:
        cm = _weighted_matrix(t, p, lab_out, check_sample_weight(sample_weight, n))
    return cm, lab_out


def _weighted_matrix(t: np.ndarray, p: np.ndarray, lab: np.ndarray, weight: np.ndarray):
    """The matrix of summed weights (every value of ``t`` and ``p`` is one of ``lab``)."""
    order = np.argsort(lab, kind="stable")
    k = len(lab)
    codes = [order[np.searchsorted(lab[order], x)] for x in (t, p)]
    pairs = codes[0].astype(np.int64) * k + codes[1]
    return np.bincount(pairs, weights=weight, minlength=k * k).reshape(k, k)


def _count(t: np.ndarray, p: np.ndarray, lab: np.ndarray | None, n: int) -> tuple:
    """The confusion matrix and its labels (the sorted union when ``lab`` is None)."""
    if t.dtype.kind in "biu" and p.dtype.kind in "biu" and (lab is None or lab.dtype.kind in "biu"):
        cm_lab = _integer_confusion_matrix(t, p, lab)
        if cm_lab is not None:
            return cm_lab
    try:
        uniq, inverse = np.unique(np.concatenate([t, p]), return_inverse=True)
    except TypeError as exc:
        raise TypeError(f"y_true and y_pred hold labels that cannot be sorted: {exc}") from exc
    inverse = inverse.ravel()
    if lab is None:
        lab, codes = uniq, inverse
    else:
        order = np.argsort(lab, kind="stable")
        where = np.searchsorted(lab[order], uniq).clip(0, len(lab) - 1)
        found = lab[order][where] == uniq
        if not found.all():
            _unknown(uniq, lab, "y_true or y_pred")
        codes = order[where][inverse]
    k = len(lab)
    pairs = codes[:n].astype(np.int64) * k + codes[n:]
    cm = np.bincount(pairs, minlength=k * k).reshape(k, k)
    return cm, lab


def _integer_confusion_matrix(t: np.ndarray, p: np.ndarray, lab: np.ndarray | None):
    """np.bincount over encoded pairs; None when the label range is too wide for it."""
    lo = min(int(t.min()), int(p.min()))
    hi = max(int(t.max()), int(p.max()))
    if lab is not None:
        lo, hi = min(lo, int(lab.min())), max(hi, int(lab.max()))
    span = hi - lo + 1
    if span * span > 1 << 22:
        return None
    code = t.astype(np.int64) * span
    code += p
    if lo:
        code -= lo * (span + 1)
    counts = np.bincount(code, minlength=span * span).reshape(span, span)
    if lab is None:
        idx = np.flatnonzero(counts.sum(axis=0) + counts.sum(axis=1))
        lab = idx + lo
    else:
        idx = lab.astype(np.int64) - lo
        cm = counts[np.ix_(idx, idx)]
        if cm.sum() != len(t):
            _unknown(np.concatenate([np.unique(t), np.unique(p)]), lab, "y_true or y_pred")
        return cm, lab
    return counts[np.ix_(idx, idx)], lab


def confusion_matrix(
    y_true: Any, y_pred: Any, *, labels: Any = None, sample_weight: Any = None
) -> np.ndarray:
    """Confusion matrix of predictions, fast: true classes in rows, predictions in columns.

    Integer labels are counted with one ``np.bincount`` over encoded (true, predicted)
    pairs, other labels after one ``np.unique`` over both arrays. Unlike scikit-learn, a
    value missing from ``labels`` raises instead of silently dropping samples.

    Scores passed as predictions are refused, with a ValueError naming ``y_pred``: when
    ``y_pred`` holds a non-integer number (such as 0.73) while every label of ``y_true``
    is a whole number, a bool or a string; or, without ``labels=``, when ``y_pred`` holds
    more classes that ``y_true`` lacks than ``max(2 * K_true, 20)`` (``K_true`` the
    classes of ``y_true``). Threshold scores first (or use ``y_score=`` of
    :func:`cxreval.statmaker_from_predictions`).

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n,)
        True and predicted labels (numbers, booleans or strings, of one kind).
    labels : sequence, optional
        Classes in matrix order; default the sorted union of both arrays. It may list
        classes that occur in neither (their rows and columns are zero).
    sample_weight : array-like of shape (n,), optional
        Non-negative weight of each case; each cell is then the sum of its cases'
        weights (float), as in scikit-learn's ``confusion_matrix(sample_weight=...)``.

    Returns
    -------
    numpy.ndarray of shape (K, K), dtype int64 (float64 with ``sample_weight``)
        Counts with the true classes in rows and the predicted ones in columns.

    Examples
    --------
    >>> from cxreval.confusion import confusion_matrix
    >>> confusion_matrix([0, 1, 1, 1], [0, 1, 0, 1])
    array([[1, 0],
           [1, 2]])
    >>> confusion_matrix(["cat", "dog"], ["dog", "dog"], labels=["dog", "cat"])
    array([[1, 0],
           [1, 0]])
    >>> confusion_matrix([0, 1, 1, 1], [0, 1, 0, 1], sample_weight=[1, 0.5, 2, 1])
    array([[1. , 0. ],
           [2. , 1.5]])
    """
    return confusion_matrix_with_labels(y_true, y_pred, labels, sample_weight)[0]
