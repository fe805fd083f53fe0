"""Writing files safely: the project's one atomic writer (cxreval, cxrzoo and benchmarks).

Every file the toolkit writes goes through here. A file is written in full under a hidden
temporary name in its destination folder, flushed to disk, given the permissions an
ordinary ``open()`` would give it (``0o666`` less the umask, so a colleague on a shared
drive can read it), and only then renamed over its final name with :func:`os.replace`.
A crash therefore leaves either the old file or the new one, never half of one; the
temporary is removed on any error.

Temporary names are ``.NAME.<8 hex>.tmp`` beside ``NAME`` (``.NAME.<8 hex>.tmp.SUFFIX`` when
the writer needs the suffix, e.g. matplotlib and Keras choose the format from it), so a
rerun can find and remove the ones it owns with :func:`remove_temporaries`.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = [
    "TEMPORARY_MARK",
    "file_mode",
    "remove_temporaries",
    "save_figure",
    "temporary_path",
    "write_atomic",
    "write_with",
]

#: Every temporary file this module makes has this in its name (``.NAME.<hex>.tmp...``).
TEMPORARY_MARK = ".tmp"


def file_mode() -> int:
    """The mode ``open()`` gives a new file here: ``0o666`` less the process umask."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def temporary_path(path: Path, *, keep_suffix: bool = False) -> Path:
    """A new, unused hidden name beside ``path`` (the file is created, empty)."""
    suffix = path.suffix if keep_suffix else ""
    while True:
        candidate = path.with_name(f".{path.name}.{secrets.token_hex(4)}{TEMPORARY_MARK}{suffix}")
        try:
            fd = os.open(candidate, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        except FileExistsError:
            continue
        os.close(fd)
        return candidate


def write_with(
    path: str | os.PathLike, writer: Callable[[Path], Any], *, keep_suffix: bool = True
) -> Path:
    """Let ``writer(temporary_path)`` write the file, then move it to ``path`` atomically.

    Parameters
    ----------
    path : path-like
        The final file; its folder is created if needed.
    writer : callable
        Called with the temporary path (same folder, same suffix when ``keep_suffix``);
        it must write the whole file there.
    keep_suffix : bool, default True
        Give the temporary file ``path``'s suffix (for writers that pick a format from it).

    Returns
    -------
    pathlib.Path
        ``path``.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> target = Path(tempfile.mkdtemp()) / "hello.txt"
    >>> write_with(target, lambda tmp: tmp.write_text("hi")).read_text()
    'hi'
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = temporary_path(target, keep_suffix=keep_suffix)
    try:
        writer(temporary)
        os.chmod(temporary, file_mode())
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    return target


def write_atomic(path: str | os.PathLike, data: str | bytes) -> Path:
    """Write ``data`` (text as UTF-8, or bytes) to ``path`` atomically, flushed to disk.

    Parameters
    ----------
    path : path-like
        The final file; its folder is created if needed.
    data : str or bytes
        The whole content.

    Returns
    -------
    pathlib.Path
        ``path``.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> target = Path(tempfile.mkdtemp()) / "numbers.json"
    >>> write_atomic(target, '{"auc": 0.9}').read_text()
    '{"auc": 0.9}'
    """
    raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)

    def write(temporary: Path) -> None:
        with open(temporary, "wb") as handle:
            handle.write(raw)
            handle.flush()
            os.fsync(handle.fileno())

    return write_with(path, write, keep_suffix=False)


def save_figure(figure: Any, path: str | os.PathLike, *, dpi: int = 120) -> Path:
    """Save a matplotlib figure to ``path`` atomically (``bbox_inches="tight"``).

    Parameters
    ----------
    figure : matplotlib.figure.Figure
        The figure to save; the format follows ``path``'s suffix.
    path : path-like
        The final file.
    dpi : int, default 120
        Resolution.

    Returns
    -------
    pathlib.Path
        ``path``.
    """
    return write_with(path, lambda tmp: figure.savefig(tmp, dpi=dpi, bbox_inches="tight"))


def remove_temporaries(folder: str | os.PathLike, name: str) -> list[Path]:
    """Remove the temporaries this module left for ``folder/name`` (after a crash).

    Parameters
    ----------
    folder : path-like
        The folder holding ``name``.
    name : str
        The final file's name; only ``.name.<8 hex>.tmp*`` files are removed.

    Returns
    -------
    list of pathlib.Path
        The files removed.
    """
    removed = []
    base = Path(folder)
    if not base.is_dir():
        return removed
    for candidate in base.glob(f".{name}.*{TEMPORARY_MARK}*"):
        middle = candidate.name[len(name) + 2 :].split(TEMPORARY_MARK, 1)[0]
        if len(middle) == 8 and all(c in "0123456789abcdef" for c in middle):
            candidate.unlink(missing_ok=True)
            removed.append(candidate)
    return removed
