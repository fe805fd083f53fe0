"""Reading the study data sets' CSV files and checking the image files they name.

Module-private (its names are public for the loaders of this package): the CSV reader
refuses missing columns by name, the file check says how many named images do not exist
and which, and either raises or leaves them out with one warning.
"""

from __future__ import annotations

import csv
import gzip
import io
import os
import warnings
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from cxrzoo.data.labels import CHEXPERT_FINDINGS, uncertain_to

__all__ = [
    "ON_MISSING",
    "VIEWS",
    "existing",
    "find_file",
    "finding_matrix",
    "read_table",
    "sex_code",
]

#: What a loader does with image files its CSV names but the disk lacks.
ON_MISSING = ("raise", "drop")

#: Which views a CheXpert / MIMIC-CXR loader keeps.
VIEWS = ("frontal", "lateral", "all")


def find_file(folder: Path, names: Sequence[str], what: str) -> Path:
    """The first of ``names`` (plain or ``.gz``) in ``folder``; FileNotFoundError otherwise."""
    for name in names:
        for candidate in (folder / name, folder / f"{name}.gz"):
            if candidate.is_file():
                return candidate
    raise FileNotFoundError(
        f"{what} not found in {str(folder)!r}: expected {' or '.join(map(repr, names))} "
        "(optionally gzipped)"
    )


def read_table(
    path: str | os.PathLike, required: Sequence[str | tuple[str, ...]]
) -> dict[str, list[str]]:
    """The columns of a CSV file (``.csv`` or ``.csv.gz``) as lists of stripped strings.

    ``required`` names the columns needed; an entry may be a tuple of alternative names
    (the first one found is returned under the tuple's first name). A missing column
    raises ValueError naming the file, the missing columns and the columns it has. Other
    columns are returned too, under their own names.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"CSV file {str(path)!r} does not exist")
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as raw, io.TextIOWrapper(raw, encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f)
        header = [h.strip() for h in next(reader, [])]
        rows = [r for r in reader if r]
    missing, rename = [], {}
    for want in required:
        options = (want,) if isinstance(want, str) else tuple(want)
        found = next((o for o in options if o in header), None)
        if found is None:
            missing.append(" or ".join(options))
        else:
            rename[found] = options[0]
    if missing:
        raise ValueError(f"CSV file {str(path)!r} lacks the column(s) {missing}; it has {header}")
    columns = {}
    for i, name in enumerate(header):
        if name:
            columns[rename.get(name, name)] = [r[i].strip() if i < len(r) else "" for r in rows]
    return columns


def existing(paths: Sequence[str], on_missing: str, what: str) -> np.ndarray:
    """Boolean mask of the files of ``paths`` that exist.

    ``on_missing="raise"`` raises FileNotFoundError when any is absent, saying how many and
    the first few; ``"drop"`` warns the same once (the caller leaves them out).
    """
    if on_missing not in ON_MISSING:
        raise ValueError(f"on_missing must be one of {ON_MISSING}, got {on_missing!r}")
    found = np.fromiter((os.path.isfile(p) for p in paths), dtype=bool, count=len(paths))
    if not found.all():
        absent = [p for p, ok in zip(paths, found, strict=True) if not ok]
        message = (
            f"{len(absent)} of the {len(paths)} image files named in {what} do not exist, "
            f"e.g. {', '.join(absent[:3])}"
        )
        if on_missing == "raise":
            raise FileNotFoundError(message + "; on_missing='drop' leaves them out")
        warnings.warn(message + " -- they are left out", UserWarning, stacklevel=3)
    return found


def sex_code(value: str) -> str:
    """``"M"``, ``"F"`` or ``"unknown"`` from M/F, Male/Female (any case)."""
    v = value.strip().upper()
    return {"M": "M", "MALE": "M", "F": "F", "FEMALE": "F"}.get(v, "unknown")


def finding_matrix(
    table: dict[str, list[str]],
    findings: Sequence[str] | None,
    uncertain: str,
    unmentioned: str,
    path: Path,
) -> tuple[tuple[str, ...], np.ndarray]:
    """``(findings, 0/1/NaN matrix)`` of CheXpert-labeller columns (1, 0, -1, blank).

    ``findings`` default to :data:`~cxrzoo.data.labels.CHEXPERT_FINDINGS`; a name not
    among them raises ValueError (unknown finding), one the file lacks too (missing column).
    """
    if findings is None:
        findings = CHEXPERT_FINDINGS
    if isinstance(findings, str):
        raise TypeError(f"findings must be a sequence of names, not one str {findings!r}")
    unknown = [f for f in findings if f not in CHEXPERT_FINDINGS]
    if unknown:
        raise ValueError(
            f"unknown finding(s) {unknown}; the CheXpert findings are "
            f"{', '.join(CHEXPERT_FINDINGS)}"
        )
    missing = [f for f in findings if f not in table]
    if missing:
        raise ValueError(f"CSV file {str(path)!r} lacks the finding column(s) {missing}")
    values = np.full((len(next(iter(table.values()), [])), len(findings)), np.nan, np.float32)
    for j, name in enumerate(findings):
        for i, cell in enumerate(table[name]):
            if cell:
                try:
                    values[i, j] = float(cell)
                except ValueError:
                    raise ValueError(
                        f"column {name!r} of {str(path)!r} holds {cell!r} in data row {i + 1}; "
                        "expected 1, 0, -1 or blank"
                    ) from None
    try:
        labels = uncertain_to(values, uncertain, unmentioned=unmentioned)
    except ValueError as error:
        raise ValueError(f"{str(path)!r}: {error}") from None
    return tuple(findings), labels
