"""NIH ChestX-ray14 on disk, read into :class:`~cxrzoo.data.MultiLabelSet` splits.

The download (https://nihcc.app.box.com/v/ChestXray-NIHCC) holds ``Data_Entry_2017*.csv``
(one row per image: findings, patient, age, sex, view), the official patient-wise split
``train_val_list.txt`` / ``test_list.txt`` and the PNGs in ``images_001/images/`` ...
``images_012/images/`` (or, unpacked together, one ``images/`` folder).
"""

from __future__ import annotations

import dataclasses
import os
import re
import warnings
from pathlib import Path

import numpy as np

from cxrzoo.data._tables import existing, find_file, read_table, sex_code
from cxrzoo.data.labels import NIH_FINDINGS
from cxrzoo.data.multilabel import MultiLabelSet
from cxrzoo.data.splits import check_patient_split, patient_split

__all__ = ["load_nih"]

_METADATA = ("Data_Entry_2017_v2020.csv", "Data_Entry_2017.csv")
_COLUMNS = (
    "Image Index",
    "Finding Labels",
    "Patient ID",
    "Patient Age",
    ("Patient Gender", "Patient Sex"),
    "View Position",
)
#: Ages above this are impossible (the first NIH release has 148-414): read as unknown.
_OLDEST = 120


def load_nih(
    root: str | os.PathLike,
    *,
    metadata: str | os.PathLike | None = None,
    image_root: str | os.PathLike | None = None,
    val_fraction: float | None = None,
    random_state: int = 0,
    on_missing: str = "raise",
) -> dict[str, MultiLabelSet]:
    """Read NIH ChestX-ray14 with its official patient-wise split.

    Parameters
    ----------
    root : path
        The folder holding ``Data_Entry_2017_v2020.csv`` (or ``Data_Entry_2017.csv``,
        either optionally gzipped), ``train_val_list.txt``, ``test_list.txt`` and the
        image folders ``images_NNN/images/`` (or ``images_NNN/``, or one ``images/``).
    metadata : path, optional
        The metadata CSV, when it is not in ``root``.
    image_root : path, optional
        Where the image folders are, when not in ``root``.
    val_fraction : float, optional
        Cut a ``"val"`` split of about this fraction of the ``train_val`` images off it, by
        patient, stratified by finding (seeded by ``random_state``).
    random_state : int
    on_missing : {"raise", "drop"}
        Image files the metadata names but the disk lacks: raise FileNotFoundError (saying
        how many and which), or leave them out with one warning (for a partial download).

    Returns
    -------
    dict of str to MultiLabelSet
        ``"train"`` (the official ``train_val_list.txt``, less ``"val"``), ``"val"`` (with
        ``val_fraction``) and ``"test"`` (``test_list.txt``); findings
        :data:`~cxrzoo.data.labels.NIH_FINDINGS` (0/1, never NaN); patient IDs; study IDs
        (the image's visit, ``PPPPPPPP_FFF``); demographics ``age``, ``sex``, ``view``.

    Raises
    ------
    ValueError
        A missing metadata column, an unknown finding, an image in both lists or in no
        metadata row, a patient in two splits.
    FileNotFoundError
        Missing files (see ``on_missing``).

    Examples
    --------
    >>> import tempfile, pathlib, numpy as np
    >>> from PIL import Image
    >>> from cxrzoo.data import load_nih
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (root / "Data_Entry_2017_v2020.csv").write_text(
    ...     "Image Index,Finding Labels,Follow-up #,Patient ID,Patient Age,Patient Gender,"
    ...     "View Position\\n00000001_000.png,Cardiomegaly|Effusion,0,1,57,M,PA\\n"
    ...     "00000002_000.png,No Finding,0,2,80,F,AP\\n")
    >>> _ = (root / "train_val_list.txt").write_text("00000001_000.png\\n")
    >>> _ = (root / "test_list.txt").write_text("00000002_000.png\\n")
    >>> (root / "images").mkdir()
    >>> for name in ("00000001_000.png", "00000002_000.png"):
    ...     Image.fromarray(np.zeros((8, 8), np.uint8)).save(root / "images" / name)
    >>> splits = load_nih(root)
    >>> splits["train"].counts["Effusion"], splits["test"].demographics["sex"].tolist()
    (1, ['F'])
    """
    root = Path(root)
    if not root.is_dir():
        raise FileNotFoundError(f"NIH folder {str(root)!r} does not exist or is not a folder")
    path = Path(metadata) if metadata is not None else find_file(root, _METADATA, "NIH metadata")
    table = read_table(path, _COLUMNS)
    names = table["Image Index"]
    labels = _findings(table["Finding Labels"], names, path)
    lists = {
        "train": _read_list(root, "train_val_list.txt"),
        "test": _read_list(root, "test_list.txt"),
    }
    both = lists["train"] & lists["test"]
    if both:
        raise ValueError(
            f"{len(both)} image(s) are in both train_val_list.txt and test_list.txt, e.g. "
            f"{', '.join(sorted(both)[:3])}"
        )
    unknown = sorted((lists["train"] | lists["test"]) - set(names))
    if unknown:
        raise ValueError(
            f"{len(unknown)} image(s) of the split lists have no row in {str(path)!r}, e.g. "
            f"{', '.join(unknown[:3])}"
        )
    listed = np.array([n in lists["train"] or n in lists["test"] for n in names], dtype=bool)
    paths = _image_paths(Path(image_root) if image_root is not None else root, names)
    found = existing(paths, on_missing, f"{path}")
    keep = np.flatnonzero(listed & found)
    everything = MultiLabelSet(
        NIH_FINDINGS,
        labels[keep],
        paths=tuple(paths[i] for i in keep),
        patient_ids=np.array([_patient(table["Patient ID"][i]) for i in keep]),
        study_ids=np.array([Path(names[i]).stem for i in keep]),
        demographics={
            "age": _ages([table["Patient Age"][i] for i in keep], path),
            "sex": np.array([sex_code(table["Patient Gender"][i]) for i in keep]),
            "view": np.array([table["View Position"][i].upper() or "unknown" for i in keep]),
        },
        source=str(root),
    )
    in_test = np.array([names[i] in lists["test"] for i in keep], dtype=bool)
    splits = {"train": everything.subset(np.flatnonzero(~in_test))}
    if val_fraction is not None:
        train = splits["train"]
        side = patient_split(
            train.patient_ids,
            train.labels,
            fractions={"train": 1.0 - val_fraction, "val": val_fraction},
            random_state=random_state,
        )
        splits = {name: train.subset(np.flatnonzero(side == name)) for name in ("train", "val")}
    splits["test"] = everything.subset(np.flatnonzero(in_test))
    splits = {
        name: dataclasses.replace(part, source=f"{root} ({name})")
        for name, part in splits.items()
        if len(part)
    }
    if len(splits) > 1:
        check_patient_split(splits)
    return splits


def _findings(column: list[str], names: list[str], path: Path) -> np.ndarray:
    """The 0/1 matrix of ``Finding Labels`` (``A|B`` or ``No Finding``); unknown names raise."""
    index = {f: j for j, f in enumerate(NIH_FINDINGS)}
    labels = np.zeros((len(column), len(NIH_FINDINGS)), dtype=np.float32)
    unknown: dict[str, str] = {}
    for i, cell in enumerate(column):
        for finding in cell.split("|"):
            finding = finding.strip()
            if finding in index:
                labels[i, index[finding]] = 1.0
            elif finding != "No Finding":
                unknown.setdefault(finding, names[i])
    if unknown:
        shown = ", ".join(f"{f!r} (e.g. {img})" for f, img in sorted(unknown.items())[:5])
        raise ValueError(
            f"unknown finding(s) in 'Finding Labels' of {str(path)!r}: {shown}; the NIH "
            f"findings are {', '.join(NIH_FINDINGS)} and 'No Finding'"
        )
    return labels


def _read_list(root: Path, name: str) -> set[str]:
    path = root / name
    if not path.is_file():
        raise FileNotFoundError(
            f"official split file {str(path)!r} does not exist; it comes with the NIH download "
            "(train_val_list.txt and test_list.txt)"
        )
    return {line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()}


def _image_paths(root: Path, names: list[str]) -> list[str]:
    """Where each image is: ``images_NNN/images/``, ``images_NNN/`` or ``images/``."""
    folders = [root / "images"]
    for d in sorted(root.glob("images_*")):
        folders += [d / "images", d]
    where: dict[str, str] = {}
    for folder in folders:
        if folder.is_dir():
            with os.scandir(folder) as entries:
                for e in entries:
                    where.setdefault(e.name, e.path)
    return [where.get(n, str(root / "images" / n)) for n in names]


def _patient(value: str) -> str:
    """Patient ID as the 8-digit string of the file names (``00000001``)."""
    return value.zfill(8) if value.isdigit() else value


def _ages(values: list[str], path: Path) -> np.ndarray:
    """Ages in years: ``57``, or the first release's ``057Y`` / ``011M`` / ``001D``."""
    ages = np.full(len(values), np.nan)
    for i, v in enumerate(values):
        m = re.fullmatch(r"(\d+(?:\.\d*)?)\s*([YMD]?)", v.upper())
        if m:
            ages[i] = float(m[1]) / {"": 1, "Y": 1, "M": 12, "D": 365.25}[m[2]]
    impossible = int((ages > _OLDEST).sum())
    if impossible:
        warnings.warn(
            f"{impossible} age(s) above {_OLDEST} years in {str(path)!r} (the first NIH release "
            "has ages up to 414; Data_Entry_2017_v2020.csv corrects them) are read as unknown",
            UserWarning,
            stacklevel=3,
        )
        ages[ages > _OLDEST] = np.nan
    return ages
