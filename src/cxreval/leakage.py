"""Patient leakage between data splits: patients whose images sit in more than one split.

A model tested on images of patients it was trained on is tested on what it has seen:
the test set must be split by patient, not by image. :func:`patient_overlap` takes the
patient ID and the split of every image and reports, for every pair of splits, the
patients they share and the images involved.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations
from typing import Any

import numpy as np
from tabulate import tabulate

from cxreval._checks import check_array_1d, check_groups, check_labels
from cxreval._result import Result

__all__ = ["PatientOverlap", "patient_overlap"]


@dataclass(frozen=True)
class PatientOverlap(Result):
    """Patients shared between splits.

    Attributes
    ----------
    splits : tuple
        The split names, sorted.
    images, patients : dict
        Images and distinct patients of each split.
    overlap : numpy.ndarray of shape (k, k)
        Patients shared by splits i and j (the diagonal: the patients of split i).
    pairs : tuple of dict
        One per pair of splits: ``splits`` (the two names), ``shared_patients`` and
        ``images`` (the images of the shared patients in each of the two splits).
    shared_ids : numpy.ndarray
        The sorted IDs of the patients found in more than one split.
    images_involved : int
        Images (in all splits) of the patients in ``shared_ids``.
    n_images, n_patients : int
    clean : bool
        True when no patient is in more than one split.
    """

    splits: tuple
    images: dict
    patients: dict
    overlap: np.ndarray
    pairs: tuple
    shared_ids: np.ndarray
    images_involved: int
    n_images: int
    n_patients: int
    clean: bool

    plotter = "plot_patient_overlap"

    @property
    def n_shared(self) -> int:
        """Number of patients in more than one split."""
        return len(self.shared_ids)

    def table(self) -> str:
        """Images and patients per split, then the patients shared by each pair."""
        per_split = tabulate(
            [[s, self.images[s], self.patients[s]] for s in self.splits],
            headers=["split", "images", "patients"],
        )
        pairs = tabulate(
            [
                [f"{a} & {b}", p["shared_patients"], p["images"][a], p["images"][b]]
                for p in self.pairs
                for a, b in [p["splits"]]
            ],
            headers=["splits", "shared patients", "their images in 1st", "in 2nd"],
        )
        return f"{per_split}\n\n{pairs}\n{self}"

    def __str__(self) -> str:
        if self.clean:
            return (
                f"clean: none of the {self.n_patients} patients is in more than one split "
                f"({len(self.splits)} splits, {self.n_images} images)"
            )
        return (
            f"LEAKAGE: {self.n_shared} of {self.n_patients} patients are in more than one "
            f"split, with {self.images_involved} of {self.n_images} images"
        )


def _item(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value


def patient_overlap(groups: Any, split: Any) -> PatientOverlap:
    """Report the patients whose images are in more than one split (data leakage).

    Parameters
    ----------
    groups : array-like of shape (n,)
        Patient ID of each image (no NaN or None).
    split : array-like of shape (n,)
        Split of each image (e.g. ``"train"``, ``"val"``, ``"test"``); at least two splits.

    Returns
    -------
    PatientOverlap
        Per split the images and patients; per pair of splits the shared patients and
        their images; the shared IDs; ``clean`` is True when no patient is shared.
        ``str()`` is a one-line verdict, ``table()`` the details.

    References
    ----------
    S. Kaufman, S. Rosset, C. Perlich, O. Stitelman, "Leakage in data mining:
    formulation, detection, and avoidance", ACM TKDD 6 (2012) 15. For chest X-rays:
    a split by image puts most patients' images on both sides (NIH ChestX-ray14: 84 %
    of images belong to patients with more than one), which is why the official split
    is by patient (Wang et al., CVPR 2017).

    Examples
    --------
    >>> from cxreval.leakage import patient_overlap
    >>> patients = [1, 1, 2, 3, 3, 4]
    >>> split = ["train", "test", "train", "train", "train", "test"]
    >>> res = patient_overlap(patients, split)
    >>> print(res)
    LEAKAGE: 1 of 4 patients are in more than one split, with 2 of 6 images
    >>> res.shared_ids.tolist(), res.pairs[0]["images"]
    ([1], {'test': 1, 'train': 1})
    """
    where = check_array_1d(split, "split")
    names = check_labels(where, "split")
    if len(names) < 2:
        raise ValueError(f"split holds one split only ({names.tolist()}); give two or more")
    codes, ids = check_groups(groups, len(where), min_clusters=1)
    split_codes = np.searchsorted(names, where)
    k, n_ids = len(names), len(ids)
    # images per (patient, split): a patient x split table of counts
    table = np.zeros((n_ids, k), dtype=np.int64)
    np.add.at(table, (codes, split_codes), 1)
    present = table > 0
    overlap = present.T.astype(np.int64) @ present
    shared = present.sum(axis=1) > 1
    splits = tuple(_item(s) for s in names)
    pairs = []
    for i, j in combinations(range(k), 2):
        both = present[:, i] & present[:, j]
        pairs.append(
            {
                "splits": (splits[i], splits[j]),
                "shared_patients": int(both.sum()),
                "images": {
                    splits[i]: int(table[both, i].sum()),
                    splits[j]: int(table[both, j].sum()),
                },
            }
        )
    return PatientOverlap(
        splits=splits,
        images={s: int(table[:, i].sum()) for i, s in enumerate(splits)},
        patients={s: int(present[:, i].sum()) for i, s in enumerate(splits)},
        overlap=overlap,
        pairs=tuple(pairs),
        shared_ids=ids[shared],
        images_involved=int(table[shared].sum()),
        n_images=len(where),
        n_patients=n_ids,
        clean=not shared.any(),
    )
