"""CheXpert on disk, read into :class:`~cxrzoo.data.MultiLabelSet` splits.

The download (https://stanfordmlgroup.github.io/competitions/chexpert/) unpacks to
``CheXpert-v1.0/`` (or ``CheXpert-v1.0-small/``) holding ``train.csv``, ``valid.csv`` and
``train/patientNNNNN/studyN/viewN_frontal.jpg`` ...; the CSVs' ``Path`` column starts with
that folder's name. Labels are 1 (positive), 0 (negative), -1 (uncertain) or blank (not
mentioned); the uncertainty policies of Irvin et al. (2019) choose what -1 becomes.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path, PurePosixPath

import numpy as np

from cxrzoo.data._tables import VIEWS, existing, finding_matrix, read_table, sex_code
from cxrzoo.data.labels import uncertain_to
from cxrzoo.data.multilabel import MultiLabelSet
from cxrzoo.data.splits import check_patient_split

__all__ = ["load_chexpert", "parse_chexpert_path"]

_COLUMNS = ("Path", "Sex", "Age", "Frontal/Lateral", "AP/PA")
_PATH = re.compile(r"(?:^|/)(patient\d+)/(study\d+)/(view\d+)_(frontal|lateral)\.\w+$")
_FILES = {"train": "train.csv", "val": "valid.csv"}


def parse_chexpert_path(path: str) -> tuple[str, str, str]:
    """``(patient, study, view)`` from ``.../patientNNNNN/studyN/viewN_frontal.jpg``.

    The study ID includes the patient (``patient00001/study1``): study numbers restart
    for every patient.

    Examples
    --------
    >>> from cxrzoo.data.chexpert import parse_chexpert_path
    >>> parse_chexpert_path("CheXpert-v1.0-small/train/patient00001/study1/view1_frontal.jpg")
    ('patient00001', 'patient00001/study1', 'frontal')
    """
    m = _PATH.search(str(PurePosixPath(path.replace("\\", "/"))))
    if m is None:
        raise ValueError(
            f"path {path!r} does not follow patientNNNNN/studyN/viewN_frontal.jpg (or _lateral)"
        )
    return m[1], f"{m[1]}/{m[2]}", m[4]


def load_chexpert(
    root: str | os.PathLike,
    *,
    uncertain: str = "ignore",
    unmentioned: str = "nan",
    views: str = "frontal",
    findings: Sequence[str] | None = None,
    on_missing: str = "raise",
) -> dict[str, MultiLabelSet]:
    """Read CheXpert's ``train.csv`` and ``valid.csv`` with an uncertainty policy.

    Parameters
    ----------
    root : path
        The folder holding ``train.csv`` / ``valid.csv`` (``CheXpert-v1.0-small/``); each
        ``Path`` is read relative to its parent when it starts with the folder's name,
        else relative to the folder.
    uncertain : {"ignore", "zeros", "ones"}
        U-Ignore (uncertain -> NaN, not trained on or scored), U-Zeros (-> 0) or U-Ones
        (-> 1).
    unmentioned : {"nan", "negative"}
        A blank label: unknown (NaN) or negative (0).
    views : {"frontal", "lateral", "all"}
        Keep frontal images (AP and PA), lateral ones or both.
    findings : sequence of str, optional
        Label columns to keep, in order; default all 14
        (:data:`~cxrzoo.data.labels.CHEXPERT_FINDINGS`, ``No Finding`` included).
    on_missing : {"raise", "drop"}
        Image files a CSV names but the disk lacks: raise, or leave out with a warning.

    Returns
    -------
    dict of str to MultiLabelSet
        ``"train"`` (``train.csv``) and ``"val"`` (``valid.csv``), those present; patient IDs
        (``patientNNNNN``) and study IDs (``patientNNNNN/studyN``) from the paths;
        demographics ``age``, ``sex`` and ``view`` (``AP``, ``PA``, ..., ``LATERAL``).

    Raises
    ------
    ValueError
        A missing column, an unknown finding, a label other than 1/0/-1/blank, a path not
        of the CheXpert form, a patient in both files.
    FileNotFoundError
        No CSV, or missing image files (see ``on_missing``).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from cxrzoo.data import load_chexpert
    >>> root = pathlib.Path(tempfile.mkdtemp()) / "CheXpert-v1.0-small"
    >>> image = root / "valid/patient64541/study1/view1_frontal.jpg"
    >>> image.parent.mkdir(parents=True)
    >>> _ = image.write_bytes(b"")
    >>> _ = (root / "valid.csv").write_text(
    ...     "Path,Sex,Age,Frontal/Lateral,AP/PA,Edema,Pleural Effusion\\n"
    ...     "CheXpert-v1.0-small/valid/patient64541/study1/view1_frontal.jpg,Male,73,Frontal,"
    ...     "AP,-1.0,1.0\\n")
    >>> s = load_chexpert(root, uncertain="ones", findings=["Edema", "Pleural Effusion"])["val"]
    >>> s.labels.tolist(), s.patient_ids.tolist(), s.demographics["view"].tolist()
    ([[1.0, 1.0]], ['patient64541'], ['AP'])
    """
    root = Path(root)
    if views not in VIEWS:
        raise ValueError(f"views must be one of {VIEWS}, got {views!r}")
    uncertain_to(np.empty(0), uncertain, unmentioned=unmentioned)  # checks both names
    present = {s: root / f for s, f in _FILES.items() if (root / f).is_file()}
    if not present:
        raise FileNotFoundError(
            f"neither train.csv nor valid.csv is in {str(root)!r}; give the CheXpert folder "
            "(CheXpert-v1.0 or CheXpert-v1.0-small)"
        )
    splits = {
        s: _read_split(p, root, uncertain, unmentioned, views, findings, on_missing)
        for s, p in present.items()
    }
    splits = {s: part for s, part in splits.items() if len(part)}
    if len(splits) > 1:
        check_patient_split(splits)
    return splits


def _read_split(
    path: Path,
    root: Path,
    uncertain: str,
    unmentioned: str,
    views: str,
    findings: Sequence[str] | None,
    on_missing: str,
) -> MultiLabelSet:
    table = read_table(path, _COLUMNS)
    names, labels = finding_matrix(table, findings, uncertain, unmentioned, path)
    parsed, bad = [], []
    for p in table["Path"]:
        try:
            parsed.append(parse_chexpert_path(p))
        except ValueError:
            bad.append(p)
    if bad:
        raise ValueError(
            f"{len(bad)} Path value(s) in {str(path)!r} do not follow "
            f"patientNNNNN/studyN/viewN_frontal.jpg, e.g. {', '.join(bad[:3])}"
        )
    side = np.array([v for _, _, v in parsed])
    keep = side == "frontal" if views == "frontal" else side == "lateral"
    if views == "all":
        keep[:] = True
    files = [_resolve(root, p) for p in table["Path"]]
    kept = np.flatnonzero(keep)
    found = existing([files[i] for i in kept], on_missing, str(path))
    kept = kept[found]
    frontal_view = [v.upper() or "unknown" for v in table["AP/PA"]]
    return MultiLabelSet(
        names,
        labels[kept],
        paths=tuple(files[i] for i in kept),
        patient_ids=np.array([parsed[i][0] for i in kept]),
        study_ids=np.array([parsed[i][1] for i in kept]),
        demographics={
            "age": np.array([float(table["Age"][i] or "nan") for i in kept]),
            "sex": np.array([sex_code(table["Sex"][i]) for i in kept]),
            "view": np.array(
                [frontal_view[i] if side[i] == "frontal" else "LATERAL" for i in kept]
            ),
        },
        source=f"{path} ({views}, U-{uncertain.capitalize()})",
    )


def _resolve(root: Path, path: str) -> str:
    """The file of a CSV ``Path``: relative to the data folder's parent when it names it."""
    parts = PurePosixPath(path.replace("\\", "/")).parts
    if parts and parts[0] == root.name:
        return str(root.parent.joinpath(*parts))
    return str(root.joinpath(*parts))
