"""Saving a report into a folder and reading it back.

A report folder holds ``report.txt``, ``report.json``, ``report.html``, ``methods.txt``,
``methods.bib`` and Table 1 as ``table1.csv``, ``table1.md`` and ``table1.tex``; saving
writes these files together (:func:`cxreval._io.replace_together`: all are replaced or
none is, even across a crash) and touches no other file in the folder. A save that a
crash interrupted is completed or undone by the next save or check of the folder
(:func:`cxreval._io.recover_replacement`), with a warning saying which.
"""

from __future__ import annotations

import contextlib
import json
import os
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from cxreval._checks import check_bool, check_path
from cxreval._io import check_not_an_input, recover_replacement, replace_together

__all__ = [
    "REPORT_FILES",
    "TABLE_FILES",
    "check_report_folder",
    "load_report",
    "report_contents",
    "save_report",
]

#: Table 1's ``formats=`` -> the file it is saved in.
TABLE_FILES = {"csv": "table1.csv", "markdown": "table1.md", "latex": "table1.tex"}

#: Files a saved report folder holds.
REPORT_FILES = (
    "report.txt",
    "report.json",
    "report.html",
    *TABLE_FILES.values(),
    "methods.txt",
    "methods.bib",
)


def report_contents(
    document: Any, *, formats: Iterable[str] = tuple(TABLE_FILES), decimals: int = 3
) -> dict[str, str]:
    """``{file name: text}`` of every file a save writes (see ``Report.save``)."""
    if isinstance(formats, str):
        formats = [formats]
    formats = list(formats)
    unknown = [f for f in formats if f not in TABLE_FILES]
    if unknown:
        raise ValueError(
            f"formats must be among {', '.join(map(repr, TABLE_FILES))}, got {unknown[0]!r}"
        )
    contents = {
        "report.txt": document.table(decimals) + "\n",
        "report.json": document.to_json() + "\n",
        "report.html": document.to_html(decimals),
    }
    for format, name in TABLE_FILES.items():
        if format in formats:
            contents[name] = document.to_table(format, decimals).rstrip("\n") + "\n"
    contents["methods.txt"] = document.methods_text() + "\n"
    contents["methods.bib"] = document.methods_bibtex() + "\n"
    return contents


def save_report(
    document: Any,
    directory: str | os.PathLike,
    *,
    force: bool = False,
    inputs: Iterable[str | os.PathLike] = (),
    formats: Iterable[str] = tuple(TABLE_FILES),
    decimals: int = 3,
) -> Path:
    """Write ``document``'s files into ``directory`` (see ``Report.save``)."""
    inputs = list(inputs)
    target = check_report_folder(directory, force=force, inputs=inputs)
    contents = report_contents(document, formats=formats, decimals=decimals)
    created = [f for f in (target, *target.parents) if not f.exists()]  # deepest first
    target.mkdir(parents=True, exist_ok=True)
    try:
        replace_together(target, contents, inputs=inputs)
    except BaseException:
        for made in created:  # the folders this call made, empty again
            with contextlib.suppress(OSError):
                made.rmdir()
        raise
    return target


def check_report_folder(
    directory: str | os.PathLike,
    *,
    force: bool = False,
    option: str = "force=True",
    inputs: Iterable[str | os.PathLike] = (),
) -> Path:
    """Return ``directory`` as a Path if a report may be saved there, else raise.

    Raises :class:`ValueError` when one of ``inputs`` (the files the report was made
    from) is one of the report's files, :class:`FileExistsError` when ``directory`` is a
    file, when one of the report's files (:data:`REPORT_FILES`) in it is a
    folder, or when a report file exists and ``force`` is False (the message says to
    pass ``option``). Other files in the folder do not matter: saving never touches
    them. A save a crash interrupted is first completed or undone, with a warning.
    """
    target = check_path(directory, "directory")
    force = check_bool(force, "force")
    check_not_an_input([target / name for name in REPORT_FILES], inputs)
    if target.exists() and not target.is_dir():
        raise FileExistsError(f"{target} exists and is not a folder")
    if target.is_dir():
        repaired = recover_replacement(target)
        if repaired is not None:
            warnings.warn(f"an earlier save was interrupted: {repaired}", stacklevel=2)
    existing = [name for name in REPORT_FILES if os.path.lexists(target / name)]
    for name in existing:
        if (target / name).is_dir():
            raise FileExistsError(f"{target / name} is a folder, not a report file")
    if existing and not force:
        raise FileExistsError(
            f"{target} already holds a report ({', '.join(existing)}); pass {option} to replace it"
        )
    return target


def load_report(path: str | os.PathLike) -> dict[str, Any]:
    """Read a saved ``report.json`` (or the folder holding it) back into a dictionary.

    Parameters
    ----------
    path : str or os.PathLike
        A report folder written by ``save`` or the ``report.json`` file in it.

    Returns
    -------
    dict
        The report's data: equal to the ``to_dict()`` of the report that was saved
        (undefined values are None).

    Examples
    --------
    >>> import tempfile
    >>> import cxreval
    >>> from cxreval.report import load_report
    >>> report = cxreval.evaluate([0, 1, 0, 1, 0, 1], [0.1, 0.8, 0.4, 0.7, 0.6, 0.3])
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     saved = report.save(folder)
    ...     load_report(saved) == report.to_dict()
    True
    """
    path = check_path(path, "path")
    if path.is_dir():
        path = path / "report.json"
    return json.loads(path.read_text(encoding="utf-8"))
