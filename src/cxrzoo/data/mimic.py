"""MIMIC-CXR-JPG on disk, read into :class:`~cxrzoo.data.MultiLabelSet` splits.

The PhysioNet release (https://physionet.org/content/mimic-cxr-jpg/, credentialed
access) holds ``mimic-cxr-2.0.0-metadata.csv`` (one row per image: ``dicom_id``,
``subject_id``, ``study_id``, ``ViewPosition``, ...), ``mimic-cxr-2.0.0-split.csv``
(``train`` / ``validate`` / ``test`` per image), the per-study labels
``mimic-cxr-2.0.0-chexpert.csv`` and ``mimic-cxr-2.0.0-negbio.csv`` (CheXpert's 14 columns,
1 / 0 / -1 / blank; all these may be gzipped), and the images
``files/pXX/pNNNNNNNN/sNNNNNNNN/<dicom_id>.jpg``. Sex and age are not in MIMIC-CXR: they
come from MIMIC-IV's ``patients.csv`` (``subject_id``, ``gender``, ``anchor_age``).
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from cxrzoo.data._tables import VIEWS, existing, find_file, finding_matrix, read_table, sex_code
from cxrzoo.data.labels import uncertain_to
from cxrzoo.data.multilabel import MultiLabelSet
from cxrzoo.data.splits import check_patient_split

__all__ = ["load_mimic"]

_SPLITS = {"train": "train", "validate": "val", "test": "test"}
_FRONTAL = {"PA", "AP"}
_LATERAL = {"LATERAL", "LL"}


def load_mimic(
    root: str | os.PathLike,
    *,
    labels: str = "chexpert",
    uncertain: str = "ignore",
    unmentioned: str = "nan",
    views: str = "frontal",
    findings: Sequence[str] | None = None,
    patients_csv: str | os.PathLike | None = None,
    on_missing: str = "raise",
) -> dict[str, MultiLabelSet]:
    """Read MIMIC-CXR-JPG with its official split and per-study labels.

    Parameters
    ----------
    root : path
        The release folder (``mimic-cxr-jpg/2.0.0``) holding the CSVs and ``files/``.
    labels : {"chexpert", "negbio"}
        Which labeller's file: ``mimic-cxr-2.0.0-chexpert.csv`` or ``...-negbio.csv``.
    uncertain : {"ignore", "zeros", "ones"}
        U-Ignore (uncertain -> NaN), U-Zeros (-> 0) or U-Ones (-> 1).
    unmentioned : {"nan", "negative"}
        A blank label: unknown (NaN) or negative (0). A study without a label row is NaN.
    views : {"frontal", "lateral", "all"}
        ``ViewPosition`` PA/AP, LATERAL/LL, or every image.
    findings : sequence of str, optional
        Label columns to keep, in order; default CheXpert's 14.
    patients_csv : path, optional
        MIMIC-IV ``patients.csv`` (``subject_id``, ``gender``, ``anchor_age``) for sex and
        age; without it they are ``"unknown"`` / NaN.
    on_missing : {"raise", "drop"}
        Image files the metadata names but the disk lacks: raise, or leave out with a warning.

    Returns
    -------
    dict of str to MultiLabelSet
        ``"train"``, ``"val"`` (the file's ``validate``) and ``"test"``; patient IDs
        (``subject_id``), study IDs (``study_id``); demographics ``age``, ``sex``, ``view``.

    Raises
    ------
    ValueError
        A missing column, an unknown finding or split, a patient in two splits.
    FileNotFoundError
        A missing CSV, or missing image files (see ``on_missing``).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from cxrzoo.data import load_mimic
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (root / "mimic-cxr-2.0.0-metadata.csv").write_text(
    ...     "dicom_id,subject_id,study_id,ViewPosition\\nd1,10000032,50414267,PA\\n")
    >>> _ = (root / "mimic-cxr-2.0.0-split.csv").write_text(
    ...     "dicom_id,study_id,subject_id,split\\nd1,50414267,10000032,test\\n")
    >>> _ = (root / "mimic-cxr-2.0.0-chexpert.csv").write_text(
    ...     "subject_id,study_id,Edema,Pneumonia\\n10000032,50414267,1.0,-1.0\\n")
    >>> image = root / "files/p10/p10000032/s50414267/d1.jpg"
    >>> image.parent.mkdir(parents=True)
    >>> _ = image.write_bytes(b"")
    >>> s = load_mimic(root, findings=["Edema", "Pneumonia"])["test"]
    >>> s.labels.tolist(), s.study_ids.tolist()
    ([[1.0, nan]], ['50414267'])
    """
    root = Path(root)
    if labels not in ("chexpert", "negbio"):
        raise ValueError(f"labels must be 'chexpert' or 'negbio', got {labels!r}")
    if views not in VIEWS:
        raise ValueError(f"views must be one of {VIEWS}, got {views!r}")
    uncertain_to(np.empty(0), uncertain, unmentioned=unmentioned)  # checks both names
    if not root.is_dir():
        raise FileNotFoundError(f"MIMIC-CXR folder {str(root)!r} does not exist")
    meta_path = find_file(root, ["mimic-cxr-2.0.0-metadata.csv"], "MIMIC-CXR metadata")
    meta = read_table(meta_path, ("dicom_id", "subject_id", "study_id", "ViewPosition"))
    split_path = find_file(root, ["mimic-cxr-2.0.0-split.csv"], "MIMIC-CXR split")
    split_table = read_table(split_path, ("dicom_id", "split"))
    label_path = find_file(root, [f"mimic-cxr-2.0.0-{labels}.csv"], f"MIMIC-CXR {labels} labels")
    label_table = read_table(label_path, ("study_id",))
    names, matrix = finding_matrix(label_table, findings, uncertain, unmentioned, label_path)
    by_study = {s: i for i, s in enumerate(label_table["study_id"])}
    split_of = dict(zip(split_table["dicom_id"], split_table["split"], strict=True))
    odd = sorted({s for s in split_of.values() if s not in _SPLITS})
    if odd:
        raise ValueError(
            f"unknown split name(s) {odd} in {str(split_path)!r}; known: {list(_SPLITS)}"
        )
    unsplit = [d for d in meta["dicom_id"] if d not in split_of]
    if unsplit:
        raise ValueError(
            f"{len(unsplit)} image(s) of {str(meta_path)!r} have no row in {str(split_path)!r}, "
            f"e.g. {', '.join(unsplit[:3])}"
        )
    view = np.array([v.upper() or "unknown" for v in meta["ViewPosition"]])
    keep = {"frontal": np.isin(view, list(_FRONTAL)), "lateral": np.isin(view, list(_LATERAL))}
    kept = np.flatnonzero(keep[views] if views in keep else np.ones(len(view), bool))
    subjects, studies = meta["subject_id"], meta["study_id"]
    files = [
        str(
            root
            / "files"
            / f"p{subjects[i][:2]}"
            / f"p{subjects[i]}"
            / f"s{studies[i]}"
            / f"{meta['dicom_id'][i]}.jpg"
        )
        for i in kept
    ]
    found = existing(files, on_missing, str(meta_path))
    files = [f for f, ok in zip(files, found, strict=True) if ok]
    kept = kept[found]
    rows = np.array([by_study.get(studies[i], -1) for i in kept])
    y = np.full((len(kept), len(names)), np.nan, np.float32)
    y[rows >= 0] = matrix[rows[rows >= 0]]
    sex, age = _patients(patients_csv, [subjects[i] for i in kept])
    everything = MultiLabelSet(
        names,
        y,
        paths=tuple(files),
        patient_ids=np.array([subjects[i] for i in kept]),
        study_ids=np.array([studies[i] for i in kept]),
        demographics={"age": age, "sex": sex, "view": view[kept]},
        source=str(root),
    )
    where = np.array([_SPLITS[split_of[meta["dicom_id"][i]]] for i in kept])
    splits = {}
    for name in ("train", "val", "test"):
        part = everything.subset(np.flatnonzero(where == name))
        if len(part):
            splits[name] = dataclasses.replace(
                part, source=f"{root} ({name}, {labels}, U-{uncertain})"
            )
    if len(splits) > 1:
        check_patient_split(splits)
    return splits


def _patients(path: str | os.PathLike | None, subjects: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Sex and age of each image's subject from MIMIC-IV ``patients.csv`` (unknown without)."""
    if path is None:
        return np.full(len(subjects), "unknown"), np.full(len(subjects), np.nan)
    table = read_table(path, ("subject_id", "gender", "anchor_age"))
    sex = dict(zip(table["subject_id"], table["gender"], strict=True))
    age = dict(zip(table["subject_id"], table["anchor_age"], strict=True))
    return (
        np.array([sex_code(sex.get(s, "")) for s in subjects]),
        np.array([float(age.get(s) or "nan") for s in subjects]),
    )
