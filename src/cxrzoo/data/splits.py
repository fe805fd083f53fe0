"""Splits by patient: no patient's images on both sides of a train/validation/test split.

:func:`patient_split` deals whole patients to the splits, seeded, stratified by finding
as far as whole patients allow (iterative stratification, Sechidis et al. 2011, applied to
patients' finding counts); :func:`check_patient_split` raises when splits share a patient
(it asks :func:`cxreval.leakage.patient_overlap`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from cxreval.leakage import PatientOverlap, patient_overlap

__all__ = ["check_patient_split", "patient_split"]

_DEFAULT_FRACTIONS = {"train": 0.7, "val": 0.1, "test": 0.2}


def patient_split(
    patient_ids: Any,
    labels: Any = None,
    *,
    fractions: Mapping[str, float] | None = None,
    random_state: int | np.random.Generator | None = 0,
) -> np.ndarray:
    """The split of every image, dealing out whole patients, stratified by finding.

    Iterative stratification over patients: each patient counts the positive images they
    have of each finding (NaN labels count as not positive). The finding with the fewest
    patients still to deal comes first; each of its patients goes to the split that still
    wants the most positives of it (ties: the split wanting the most images, then at
    random). Patients without a positive finding then go, in random order, to the split
    wanting the most images. So every split gets close to its fraction of the images and of
    each finding's positives, and no patient is in two splits.

    Parameters
    ----------
    patient_ids : array-like of shape (n,)
        Patient of each image.
    labels : array-like of shape (n,) or (n, L), optional
        Class index (single-label) or 0/1/NaN finding matrix to stratify by. None: images
        only.
    fractions : mapping of str to float, optional
        Split name -> fraction of the images; positive, summing to 1. Default
        ``{"train": 0.7, "val": 0.1, "test": 0.2}``.
    random_state : int, numpy.random.Generator or None
        Seeds the random order and ties.

    Returns
    -------
    numpy.ndarray of str, shape (n,)
        The split name of each image.

    Examples
    --------
    >>> import numpy as np
    >>> from cxrzoo.data.splits import patient_split
    >>> patients = np.repeat(np.arange(10), 2)
    >>> y = np.repeat([1, 0, 0, 0, 0, 1, 0, 0, 0, 0], 2)[:, None].astype(float)
    >>> s = patient_split(patients, y, fractions={"train": 0.5, "test": 0.5})
    >>> sorted(s[y[:, 0] == 1].tolist())  # the two positive patients are dealt one each side
    ['test', 'test', 'train', 'train']
    >>> int((s == "train").sum())
    10
    """
    ids = np.asarray(patient_ids)
    if ids.ndim != 1 or ids.size == 0:
        raise ValueError(f"patient_ids must be 1-D and non-empty, got shape {ids.shape}")
    fractions = dict(_DEFAULT_FRACTIONS if fractions is None else fractions)
    names = list(fractions)
    f = np.array([float(v) for v in fractions.values()])
    if len(names) < 2 or np.any(~(f > 0)) or abs(f.sum() - 1.0) > 1e-6:
        raise ValueError(
            f"fractions must give two or more splits, each > 0, summing to 1; got {fractions}"
        )
    patients, inverse = np.unique(ids.astype(str), return_inverse=True)
    if len(patients) < len(names):
        raise ValueError(
            f"{len(patients)} patient(s) cannot fill {len(names)} splits {names}; give more "
            "patients or fewer splits"
        )
    positives = _positives(labels, len(ids))
    per_patient = np.zeros((len(patients), positives.shape[1]))
    np.add.at(per_patient, inverse, positives)
    sizes = np.bincount(inverse, minlength=len(patients)).astype(float)
    rng = np.random.default_rng(random_state)
    want_images = f * len(ids)
    want_positives = f[:, None] * per_patient.sum(axis=0)[None, :]
    split_of = np.full(len(patients), -1)
    order = rng.permutation(len(patients))

    def deal(p: int, finding: int | None) -> None:
        keys = [want_images, rng.random(len(names))]
        if finding is not None:
            keys.insert(0, want_positives[:, finding])
        best = np.lexsort(keys[::-1])[-1]  # largest first key, ties by the next
        split_of[p] = best
        want_images[best] -= sizes[p]
        want_positives[best] -= per_patient[p]

    has = per_patient > 0
    while True:
        open_ = split_of < 0
        patients_per_finding = has[open_].sum(axis=0)
        if not patients_per_finding.any():
            break
        finding = int(np.argmin(np.where(patients_per_finding > 0, patients_per_finding, np.inf)))
        for p in order[open_[order] & has[order, finding]]:
            deal(int(p), finding)
    for p in order[split_of[order] < 0]:
        deal(int(p), None)
    empty = [names[k] for k in range(len(names)) if not (split_of == k).any()]
    if empty:
        raise ValueError(
            f"split(s) {empty} got no patient of {len(patients)}; give more patients or "
            "larger fractions"
        )
    return np.asarray(names)[split_of[inverse]]


def _positives(labels: Any, n: int) -> np.ndarray:
    """(n, L) 0/1 matrix of positives: a class index becomes one-hot, NaN is not positive."""
    if labels is None:
        return np.zeros((n, 0))
    y = np.asarray(labels)
    if y.shape[:1] != (n,) or y.ndim not in (1, 2):
        raise ValueError(f"labels must have shape ({n},) or ({n}, L), got {y.shape}")
    if y.ndim == 1:
        values, codes = np.unique(y, return_inverse=True)
        return np.eye(len(values))[codes]
    return (np.nan_to_num(y.astype(float), nan=0.0) > 0.5).astype(float)


def check_patient_split(splits: Mapping[str, Any]) -> PatientOverlap:
    """Raise ValueError when a patient has images in two of ``splits``.

    Parameters
    ----------
    splits : mapping of str to MultiLabelSet
        The splits (anything with ``patient_ids`` of each image).

    Returns
    -------
    cxreval.leakage.PatientOverlap
        The (clean) overlap report.

    Examples
    --------
    >>> from types import SimpleNamespace as S
    >>> from cxrzoo.data.splits import check_patient_split
    >>> print(check_patient_split({"train": S(patient_ids=["a", "b"]),
    ...                            "test": S(patient_ids=["c"])}))
    clean: none of the 3 patients is in more than one split (2 splits, 3 images)
    >>> check_patient_split({"train": S(patient_ids=["a", "b"]), "test": S(patient_ids=["b"])})
    Traceback (most recent call last):
    ...
    ValueError: patients in two splits: LEAKAGE: 1 of 2 patients are in more than one split, \
with 2 of 3 images; shared patient(s): b
    """
    ids, where = [], []
    for name, part in splits.items():
        given = getattr(part, "patient_ids", None)
        if given is None:
            raise ValueError(f"split {name!r} has no patient IDs, so leakage cannot be checked")
        ids.extend(np.asarray(given).astype(str).tolist())
        where.extend([name] * len(given))
    if len(set(where)) < 2:
        raise ValueError(f"give two or more non-empty splits, got {sorted(splits)}")
    result = patient_overlap(np.asarray(ids), np.asarray(where))
    if not result.clean:
        shown = ", ".join(str(i) for i in result.shared_ids[:5])
        more = "" if result.n_shared <= 5 else f" and {result.n_shared - 5} more"
        raise ValueError(f"patients in two splits: {result}; shared patient(s): {shown}{more}")
    return result
