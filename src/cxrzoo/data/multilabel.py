"""The multi-label container: images, a finding matrix with NaN, patients, demographics.

:class:`MultiLabelSet` is what the NIH ChestX-ray14, CheXpert and MIMIC-CXR loaders
return per split and what ``make_dataset(label_mode="multi_label")`` and multi-label
training read: one column per finding (NaN = unknown, neither trained on nor scored),
the patient and study of each image (patient-level splits, clustered intervals) and the
demographics for subgroup analysis.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from cxrzoo.data.labels import align_labels
from cxrzoo.data.splits import patient_split

__all__ = ["MultiLabelSet"]


@dataclass(frozen=True, eq=False)
class MultiLabelSet:
    """One split of a multi-label data set: images, a finding matrix, patients, demographics.

    The attribute names follow :class:`ImageSet` where the meaning carries over
    (``class_names``, ``labels``, ``paths``, ``images``, ``source``, ``checked``), so the
    pipeline and training read both; ``labels`` is a matrix here, one column per finding.

    Parameters
    ----------
    class_names : tuple of str
        The findings, in column order.
    labels : numpy.ndarray of shape (n, L)
        1.0 positive, 0.0 negative, NaN unknown (not labelled, uncertain under U-Ignore, or a
        finding the data set lacks): NaN is neither trained on nor scored. Stored float32.
    paths : tuple of str, optional
        Image files (decoding happens in the pipeline).
    images : numpy.ndarray, optional
        In-memory images ``(n, h, w)`` or ``(n, h, w, channels)``, uint8.
    patient_ids, study_ids : numpy.ndarray of str, shape (n,), optional
        Patient and study (visit) of each image: patient-level splits, patient-clustered
        confidence intervals. Without ``patient_ids`` every image counts as its own patient.
    demographics : dict of str to numpy.ndarray
        Per-image columns for subgroup analysis: ``"age"`` (float years, NaN unknown),
        ``"sex"`` (``"F"``, ``"M"``, ``"unknown"``), ``"view"`` (``"PA"``, ``"AP"``,
        ``"LATERAL"``, ..., ``"unknown"``).
    source : str
    checked : bool
        True once every file was decoded (see :func:`cxrzoo.data.readable`).

    Examples
    --------
    >>> import numpy as np
    >>> from cxrzoo.data import MultiLabelSet
    >>> s = MultiLabelSet(("Effusion", "Mass"), np.array([[1, 0], [0, np.nan], [1, 1]]),
    ...                   images=np.zeros((3, 8, 8), np.uint8), patient_ids=["p1", "p1", "p2"])
    >>> s.counts, s.known
    ({'Effusion': 2, 'Mass': 1}, {'Effusion': 3, 'Mass': 2})
    >>> s.align(["Pleural Effusion", "Edema"]).labels[0]
    array([ 1., nan], dtype=float32)
    """

    class_names: tuple[str, ...]
    labels: np.ndarray
    paths: tuple[str, ...] | None = None
    images: np.ndarray | None = None
    patient_ids: np.ndarray | None = None
    study_ids: np.ndarray | None = None
    demographics: dict[str, np.ndarray] = field(default_factory=dict)
    source: str = ""
    checked: bool = False

    def __post_init__(self) -> None:
        if isinstance(self.class_names, (str, bytes)) or np.ndim(self.class_names) != 1:
            raise TypeError(
                f"class_names must be a sequence of findings, got {self.class_names!r:.80}"
            )
        names = tuple(str(c) for c in self.class_names)
        labels = np.asarray(self.labels, dtype=np.float32)
        if labels.ndim != 2 or labels.shape[1] != len(names):
            raise ValueError(
                f"labels must have shape (n, {len(names)}) for {len(names)} findings, got "
                f"{labels.shape}"
            )
        bad = labels[~np.isnan(labels) & ((labels < 0) | (labels > 1))]
        if bad.size:
            raise ValueError(
                f"labels must be in [0, 1] or NaN, got {bad.size} value(s) such as {bad[0]!r}"
            )
        if (self.paths is None) == (self.images is None):
            raise ValueError("give exactly one of paths= or images=")
        n = len(self.paths) if self.paths is not None else len(self.images)
        if n != len(labels):
            raise ValueError(f"{n} images but {len(labels)} label rows")
        for name in ("patient_ids", "study_ids"):
            value = getattr(self, name)
            if value is not None:
                value = np.asarray(value).astype(str)
                if value.shape != (n,):
                    raise ValueError(f"{name} must have shape ({n},), got {value.shape}")
                object.__setattr__(self, name, value)
        demographics = {str(k): np.asarray(v) for k, v in dict(self.demographics).items()}
        for key, value in demographics.items():
            if value.shape != (n,):
                raise ValueError(f"demographics[{key!r}] must have shape ({n},), got {value.shape}")
        object.__setattr__(self, "class_names", names)
        object.__setattr__(self, "labels", labels)
        object.__setattr__(self, "demographics", demographics)
        if self.paths is not None:
            object.__setattr__(self, "paths", tuple(str(p) for p in self.paths))
        else:
            object.__setattr__(self, "checked", True)

    def __len__(self) -> int:
        return len(self.labels)

    def __repr__(self) -> str:
        patients = "" if self.patient_ids is None else f", {len(set(self.patient_ids))} patients"
        return (
            f"MultiLabelSet({len(self)} images{patients}, {len(self.class_names)} findings; "
            f"{self.source or 'in memory'})"
        )

    @property
    def counts(self) -> dict[str, int]:
        """Positive images of every finding (unknown labels not counted)."""
        positive = np.nan_to_num(self.labels, nan=0.0) > 0.5
        return {c: int(k) for c, k in zip(self.class_names, positive.sum(axis=0), strict=True)}

    @property
    def known(self) -> dict[str, int]:
        """Images with a label (not NaN) for every finding."""
        known = (~np.isnan(self.labels)).sum(axis=0)
        return {c: int(k) for c, k in zip(self.class_names, known, strict=True)}

    def check_classes(self, name: str = "data") -> None:
        """Raise ValueError unless some finding has both a positive and a negative image."""
        positive = (self.labels > 0.5).any(axis=0)
        negative = (self.labels <= 0.5).any(axis=0)
        if not (positive & negative).any():
            raise ValueError(
                f"{name} has no finding with both positive and negative images in "
                f"{self.source or 'memory'}"
            )

    def subset(self, indices: Sequence[int] | np.ndarray) -> MultiLabelSet:
        """The images at ``indices``, in that order, with their IDs and demographics."""
        idx = np.asarray(indices, dtype=np.int64)
        return MultiLabelSet(
            self.class_names,
            self.labels[idx],
            paths=None if self.paths is None else tuple(self.paths[i] for i in idx),
            images=None if self.images is None else self.images[idx],
            patient_ids=None if self.patient_ids is None else self.patient_ids[idx],
            study_ids=None if self.study_ids is None else self.study_ids[idx],
            demographics={k: v[idx] for k, v in self.demographics.items()},
            source=self.source,
            checked=self.checked,
        )

    def split(self, fraction: float, *, seed: int = 0) -> tuple[MultiLabelSet, MultiLabelSet]:
        """Split by patient into ``(rest, held_out)``, about ``fraction`` of the images held out.

        Whole patients go to one side (:func:`cxrzoo.data.splits.patient_split`, stratified
        by finding); both parts keep the original order.
        """
        if not 0.0 < fraction < 1.0:
            raise ValueError(f"fraction must be in (0, 1), got {fraction!r}")
        patients = self.patient_ids if self.patient_ids is not None else np.arange(len(self))
        side = patient_split(
            patients,
            self.labels,
            fractions={"rest": 1.0 - fraction, "held_out": fraction},
            random_state=seed,
        )
        held = side == "held_out"
        return self.subset(np.flatnonzero(~held)), self.subset(np.flatnonzero(held))

    def align(self, target: Sequence[str]) -> MultiLabelSet:
        """The same images with the findings ``target`` (any data set's spelling), NaN where
        this set lacks one (see :func:`cxrzoo.data.labels.align_labels`)."""
        return dataclasses.replace(
            self,
            class_names=tuple(target),
            labels=align_labels(self.labels, self.class_names, target),
        )

    def table(self, finding: int | str) -> dict[str, Any]:
        """Everything cxreval needs to score one finding: ``y_true`` (0/1), ``patient_ids``,
        ``index`` (the rows kept) and every demographic column, for the images that have a
        label for it."""
        j = self.class_names.index(finding) if isinstance(finding, str) else int(finding)
        keep = np.flatnonzero(~np.isnan(self.labels[:, j]))
        patients = self.patient_ids if self.patient_ids is not None else np.arange(len(self))
        return {
            "index": keep,
            "y_true": (self.labels[keep, j] > 0.5).astype(np.int64),
            "patient_ids": np.asarray(patients)[keep],
            **{k: v[keep] for k, v in self.demographics.items()},
        }
