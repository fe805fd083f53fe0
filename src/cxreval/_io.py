"""Writing files safely: the project's one atomic writer (cxreval, cxrzoo and benchmarks).

Every file the toolkit writes goes through here. A file is written in full under a hidden
temporary name in its destination folder, flushed to disk, given the permissions an
ordinary ``open()`` would give it (``0o666`` less the umask, so a colleague on a shared
drive can read it), and only then renamed over its final name with :func:`os.replace`.
A crash therefore leaves either the old file or the new one, never half of one; the
temporary is removed on any error.

Temporary names are ``.NAME.<8 hex>.tmp`` beside ``NAME`` (``.NAME.<8 hex>.tmp.SUFFIXES`` when
the writer needs the suffixes, e.g. matplotlib and Keras choose the format from them), so a
rerun can find and remove the ones it owns with :func:`remove_temporaries`.

:func:`replace_together` replaces several files of one folder as a unit (a saved report):
all are replaced or none is.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = [
    "TEMPORARY_MARK",
    "backup",
    "file_mode",
    "remove_temporaries",
    "replace_together",
    "save_figure",
    "temporary_path",
    "write_atomic",
    "write_new",
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
    suffix = "".join(path.suffixes) if keep_suffix else ""
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
        Called with the temporary path (same folder, same suffixes when ``keep_suffix``);
        it must write the whole file there.
    keep_suffix : bool, default True
        End the temporary file's name with all of ``path``'s suffixes (``.weights.h5``,
        ``.png``), for writers that pick a format from them.

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


def replace_together(folder: Path, contents: dict[str, str]) -> None:
    """Write every ``{name: text}`` into ``folder``; all are replaced or none is.

    The new files are written in full under temporary names first. An existing file
    gets a second (hard-linked, else copied) name before the new one is renamed over
    it, so its old content can be put back if a later step fails. Should putting a file
    back fail as well, its previous content is left beside it as ``.NAME.<hex>.old``
    (never deleted) and the error that stopped the save is raised.
    """
    temporary: dict[str, Path] = {}
    backups: dict[str, Path] = {}
    replaced: list[str] = []
    not_restored: set[str] = set()
    try:
        for name, text in contents.items():
            temporary[name] = write_new(folder, name, text)
        for name in contents:
            final = folder / name
            if os.path.lexists(final):
                backups[name] = backup(final)
            os.replace(temporary[name], final)
            del temporary[name]
            replaced.append(name)
    except BaseException:
        for name in reversed(replaced):  # put the previous report back, file by file
            try:
                if name in backups:
                    os.replace(backups.pop(name), folder / name)
                else:
                    os.unlink(folder / name)
            except OSError:  # keep going; this file's previous content stays in its backup
                not_restored.add(name)
        raise  # the error that stopped the save, not one met while rolling back
    finally:
        for path in temporary.values():
            path.unlink(missing_ok=True)
        for name, path in backups.items():
            if name not in not_restored:
                path.unlink(missing_ok=True)


def write_new(folder: Path, name: str, text: str) -> Path:
    """Write ``text`` (UTF-8, flushed to disk) to a new hidden file ``folder/.name.<hex>.tmp``
    with the mode of an ordinary new file; return its path."""
    path = temporary_path(Path(folder) / name)
    try:
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(path, file_mode())
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path


def backup(path: Path) -> Path:
    """A second name for ``path``'s current content: ``.name.<random>.old`` beside it."""
    while True:
        second = path.with_name(f".{path.name}.{secrets.token_hex(4)}.old")
        try:
            os.link(path, second)
        except FileExistsError:
            continue
        except OSError:  # no hard links here (e.g. FAT, some network drives): copy
            shutil.copy2(path, second, follow_symlinks=False)
        return second
