"""Where a report came from: :class:`Provenance` (input file and its SHA-256, command
line, package versions, date, seeds, and the threshold with how it was chosen).
"""

from __future__ import annotations

import datetime
import hashlib
import os
import platform
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from cxreval._plain import to_plain
from cxreval._version import __version__

__all__ = ["Provenance", "file_sha256", "make_provenance", "package_versions"]

#: Packages whose versions a report records (cxreval and python are added).
RECORDED_PACKAGES = ("numpy", "scipy", "scikit-learn")


def file_sha256(path: str | os.PathLike) -> str:
    """The SHA-256 of a file's bytes, as hex, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def package_versions() -> dict[str, str]:
    """``{package: version}`` of cxreval, numpy, scipy, scikit-learn and python."""
    versions = {"cxreval": __version__}
    for name in RECORDED_PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:  # pragma: no cover - installed with cxreval
            versions[name] = "not installed"
    versions["python"] = platform.python_version()
    return versions


@dataclass(frozen=True)
class Provenance:
    """How a report was made.

    Attributes
    ----------
    source : str or None
        The input file (as given), when the report was made from one.
    sha256 : str or None
        The SHA-256 of that file's bytes.
    command : str or None
        The command line (``cxreval report ...``), when made by the CLI.
    versions : dict of str to str
        cxreval, numpy, scipy, scikit-learn and python.
    date : str
        When the report was computed, UTC, ISO 8601 (``2025-01-31T12:00:00+00:00``).
    threshold : float or None
        The decision threshold (binary reports).
    threshold_rule : str or None
        How the threshold was chosen: ``"default"``, ``"fixed by the user"``, or the
        caller's words (e.g. ``"Youden's J on the validation split"``).
    seeds : dict of str to int
        The seed of every bootstrap in the report, by what it resampled.
    """

    source: str | None
    sha256: str | None
    command: str | None
    versions: dict[str, str]
    date: str
    threshold: float | None = None
    threshold_rule: str | None = None
    seeds: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        return to_plain(dict(vars(self)))

    def lines(self) -> list[tuple[str, str]]:
        """(what, value) pairs, as the report shows them."""
        rows = []
        if self.source is not None:
            rows += [("input file", self.source), ("SHA-256", str(self.sha256))]
        if self.command is not None:
            rows.append(("command", self.command))
        if self.threshold is not None:
            rows.append(("threshold", f"{self.threshold:g} ({self.threshold_rule})"))
        seeds = ", ".join(f"{k} {v}" for k, v in self.seeds.items()) or "none (no bootstrap)"
        rows += [
            ("seeds", seeds),
            ("versions", ", ".join(f"{k} {v}" for k, v in self.versions.items())),
            ("date (UTC)", self.date),
        ]
        return rows

    def table(self) -> str:
        """The provenance as aligned text lines."""
        rows = self.lines()
        width = max(len(k) for k, _ in rows)
        return "\n".join(f"{k.ljust(width)}  {v}" for k, v in rows)


def make_provenance(
    *,
    source: str | os.PathLike | None = None,
    command: str | None = None,
    threshold: float | None = None,
    threshold_rule: str | None = None,
    seeds: dict[str, Any] | None = None,
) -> Provenance:
    """A :class:`Provenance` of now: the file's SHA-256 is computed when ``source`` is given.

    Examples
    --------
    >>> from cxreval.report.provenance import make_provenance
    >>> p = make_provenance(threshold=0.5, threshold_rule="default")
    >>> p.source, sorted(p.versions)
    (None, ['cxreval', 'numpy', 'python', 'scikit-learn', 'scipy'])
    >>> p.date.endswith("+00:00")
    True
    """
    digest = None
    if source is not None:
        source = os.fspath(source)
        if not Path(source).is_file():
            raise ValueError(f"source={source!r} is not a file (the report's input file)")
        digest = file_sha256(source)
    if command is not None and not isinstance(command, str):
        raise TypeError(f"command must be a string, got {type(command).__name__}")
    if threshold_rule is not None and not isinstance(threshold_rule, str):
        raise TypeError(f"threshold_rule must be a string, got {type(threshold_rule).__name__}")
    return Provenance(
        source=source,
        sha256=digest,
        command=command,
        versions=package_versions(),
        date=datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        threshold=threshold,
        threshold_rule=threshold_rule,
        seeds=dict(seeds or {}),
    )
