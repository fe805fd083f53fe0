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
all are replaced or none is, even across a crash: it keeps a journal in the folder, and
:func:`recover_replacement` (which every ``replace_together`` runs first) completes or undoes
a replacement a crash interrupted and removes the temporaries and backups it made.
"""

from __future__ import annotations

import itertools
import json
import os
import secrets
import shutil
import signal
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

__all__ = [
    "JOURNAL_COMMIT",
    "JOURNAL_PREPARE",
    "JOURNAL_ROLLBACK",
    "TEMPORARY_MARK",
    "backup",
    "check_not_an_input",
    "check_relative_name",
    "crash_point",
    "file_mode",
    "recover_replacement",
    "remove_temporaries",
    "replace_together",
    "same_file",
    "save_figure",
    "temporary_path",
    "write_atomic",
    "write_new",
    "write_with",
]

#: Every temporary file this module makes has this in its name (``.NAME.<hex>.tmp...``).
TEMPORARY_MARK = ".tmp"
#: The journal of a :func:`replace_together` under way, by state (one at a time per folder).
JOURNAL_PREPARE = ".cxreval-replace.prepare"
JOURNAL_COMMIT = ".cxreval-replace.commit"
JOURNAL_ROLLBACK = ".cxreval-replace.rollback"


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


def replace_together(
    folder: str | os.PathLike,
    contents: Mapping[str, str | bytes | Callable[[Path], Any]],
    *,
    inputs: Iterable[str | os.PathLike] = (),
) -> None:
    """Write every ``{name: content}`` into ``folder``; all are replaced or none is.

    Parameters
    ----------
    folder : path-like
        The folder the files go in (created if needed); it holds the journal.
    contents : mapping
        ``{name: content}``. A name is a file name or a relative path below ``folder``
        (``"report/report.html"``). A content is text (written as UTF-8), bytes, or a
        callable ``writer(path)`` that writes the whole file at ``path`` (its temporary
        name ends with the final name's suffixes, for writers that pick a format from
        them, as Keras does).
    inputs : iterable of path-like, optional
        Files this write was computed from. If one of them *is* one of the files to be
        replaced (the same path, a link to it or a hard link), nothing is written and
        :class:`ValueError` names it.

    Notes
    -----
    The replacement is journalled, so that a crash at any moment (``kill -9``, power
    cut) leaves a folder the next call repairs:

    1. a journal ``folder/.cxreval-replace.prepare`` lists the files and a random token;
    2. every new file is written in full under ``.NAME.<token>.tmp`` and every existing
       one gets a second name ``.NAME.<token>.old`` (a hard link, else a copy);
    3. the journal is renamed to ``.cxreval-replace.commit``: the point of no return;
    4. each new file is renamed over its final name;
    5. the backups are removed, then the journal.

    :func:`recover_replacement` (run by every ``replace_together`` on its folder first)
    finds a journal left by a crash: before step 3 it removes the new files' temporaries
    and the backups (the old files were never touched); from step 3 on it completes the
    renames. An error inside this call (a full disk) puts the old files back at once;
    should that fail too, the journal stays (``.cxreval-replace.rollback``) and the next
    call finishes putting them back. Only the files the journal names are ever touched.
    Two processes must not replace files in one folder at the same time.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> folder = Path(tempfile.mkdtemp())
    >>> replace_together(folder, {"a.txt": "new a", "b.bin": b"new b"})
    >>> sorted(p.name for p in folder.iterdir()), (folder / "a.txt").read_text()
    (['a.txt', 'b.bin'], 'new a')
    """
    base = Path(folder)
    names = [check_relative_name(name) for name in contents]
    check_not_an_input([base / name for name in names], inputs)
    base.mkdir(parents=True, exist_ok=True)
    recover_replacement(base)
    token = secrets.token_hex(4)
    journal = base / JOURNAL_PREPARE
    existed = [name for name in names if os.path.lexists(base / name)]
    _write_journal(journal, {"token": token, "files": names, "existed": existed})
    crash_point()
    try:
        for name, content in zip(names, contents.values(), strict=True):
            _write_temporary(base / name, token, content)
            crash_point()
        for name in existed:
            backup(base / name, token=token)
            crash_point()
        os.rename(journal, base / JOURNAL_COMMIT)
        journal = base / JOURNAL_COMMIT
        crash_point()
        for name in names:
            os.replace(_temporary_name(base / name, token, contents[name]), base / name)
            crash_point()
    except BaseException:
        _roll_back_now(base, journal, token, names, existed)
        raise
    _finish(base, journal, token, names, existed)


def _roll_back_now(base: Path, journal: Path, token: str, names: list, existed: list) -> None:
    """Undo a replacement in this process after an error (the error is raised by the caller)."""
    committed = journal.name == JOURNAL_COMMIT
    if committed:
        rolling = base / JOURNAL_ROLLBACK
        os.rename(journal, rolling)
        journal = rolling
    try:
        _roll_back(base, token, names, existed, committed=committed)
    except OSError:  # the journal stays: the next call finishes putting the files back
        return
    journal.unlink(missing_ok=True)


def _roll_back(base: Path, token: str, names: list, existed: list, *, committed: bool) -> None:
    """Remove the new files' temporaries and the backups; once ``committed``, also put
    back every old file already replaced (idempotent: a rerun picks up where it stopped)."""
    failure: OSError | None = None
    for name in reversed(names):
        final, old = base / name, _backup_name(base / name, token)
        try:
            pending = _temporaries_of(final, token)
            for new in pending:  # never placed: the final file is still the old one
                new.unlink()
            if not committed or pending:
                old.unlink(missing_ok=True)
            elif name in existed:
                if os.path.lexists(old):
                    os.replace(old, final)
            else:
                final.unlink(missing_ok=True)
        except OSError as exc:  # keep going; this file's old content stays in its backup
            failure = failure or exc
    if failure is not None:
        raise failure


def _finish(base: Path, journal: Path, token: str, names: list, existed: list) -> None:
    """Place every new file still under its temporary name, drop the backups, the journal."""
    for name in names:
        final = base / name
        for new in _temporaries_of(final, token):
            os.replace(new, final)
    for name in existed:
        _backup_name(base / name, token).unlink(missing_ok=True)
        crash_point()
    journal.unlink()
    crash_point()


def recover_replacement(folder: str | os.PathLike) -> str | None:
    """Repair ``folder`` after a :func:`replace_together` that a crash interrupted.

    Reads the journal the interrupted call left (see :func:`replace_together`): before
    its point of no return the old files are kept and the new files' temporaries and
    the backups are removed; after it, the new files are put in place and the backups
    removed. Files the journal does not name are never touched. Safe to call at any
    time (it does nothing without a journal); ``replace_together`` calls it first.

    Parameters
    ----------
    folder : path-like
        The folder given to the interrupted ``replace_together``.

    Returns
    -------
    str or None
        What was done, as a sentence naming the files, or None when nothing was pending.

    Examples
    --------
    >>> import tempfile
    >>> recover_replacement(tempfile.mkdtemp()) is None
    True
    """
    base = Path(folder)
    for state in (JOURNAL_ROLLBACK, JOURNAL_COMMIT, JOURNAL_PREPARE):
        journal = base / state
        if not journal.is_file():
            continue
        try:
            record = json.loads(journal.read_text(encoding="utf-8"))
            token, names, existed = record["token"], record["files"], record["existed"]
        except (ValueError, KeyError, TypeError):
            if state != JOURNAL_PREPARE:
                raise ValueError(f"{journal} cannot be read; repair {base} by hand") from None
            journal.unlink()  # cut short while being written: nothing else was done yet
            return None
        names = [check_relative_name(name) for name in names]
        files = ", ".join(names)
        if state == JOURNAL_COMMIT:
            _finish(base, journal, token, names, existed)
            return f"completed the interrupted replacement of {files} in {base}"
        _roll_back(base, token, names, existed, committed=state == JOURNAL_ROLLBACK)
        journal.unlink()
        return f"undid the interrupted replacement of {files} in {base}; the old files are kept"
    return None


def check_relative_name(name: str) -> str:
    """``name`` if it is a relative path below a folder (no ``..``, not absolute)."""
    path = Path(name)
    if not isinstance(name, str) or not name or path.is_absolute() or ".." in path.parts:
        raise ValueError(f"a file name inside the folder was expected, got {name!r}")
    return name


def same_file(a: str | os.PathLike, b: str | os.PathLike) -> bool:
    """Whether ``a`` and ``b`` are one file (the same path, a symbolic or a hard link)."""
    try:
        return os.path.samefile(a, b)
    except OSError:  # one does not exist (yet): compare where the paths lead
        return Path(a).resolve() == Path(b).resolve()


def check_not_an_input(
    targets: Iterable[str | os.PathLike], inputs: Iterable[str | os.PathLike]
) -> None:
    """Raise :class:`ValueError` if a file about to be written is one of ``inputs``."""
    inputs = list(inputs)
    for target in targets:
        for source in inputs:
            if same_file(target, source):
                raise ValueError(
                    f"writing {target} would replace the input {source}; "
                    "write the output somewhere else"
                )


def _write_journal(path: Path, record: dict[str, Any]) -> None:
    """Create the journal (it must not exist), its whole content flushed to disk."""
    with open(path, "x", encoding="utf-8") as handle:
        handle.write(json.dumps({"writer": "cxreval._io.replace_together", **record}))
        handle.flush()
        os.fsync(handle.fileno())


def _temporary_name(final: Path, token: str, content: Any) -> Path:
    suffix = "".join(final.suffixes) if callable(content) else ""
    return final.with_name(f".{final.name}.{token}{TEMPORARY_MARK}{suffix}")


def _temporaries_of(final: Path, token: str) -> list[Path]:
    """The new file of ``final`` under its temporary name, if it is still there."""
    plain = _temporary_name(final, token, None)
    suffixed = _temporary_name(final, token, print)
    return [p for p in dict.fromkeys([plain, suffixed]) if os.path.lexists(p)]


def _backup_name(final: Path, token: str) -> Path:
    return final.with_name(f".{final.name}.{token}.old")


def _write_temporary(final: Path, token: str, content: Any) -> Path:
    """Write ``content`` in full under ``final``'s temporary name for ``token``."""
    final.parent.mkdir(parents=True, exist_ok=True)
    path = _temporary_name(final, token, content)
    with open(path, "xb") as handle:
        if not callable(content):
            handle.write(content.encode("utf-8") if isinstance(content, str) else content)
            handle.flush()
            os.fsync(handle.fileno())
    if callable(content):
        content(path)
    os.chmod(path, file_mode())
    return path


def crash_point() -> None:
    """Test hook: with ``CXREVAL_IO_CRASH_AFTER=k`` in the environment, the process kills
    itself (SIGKILL, as ``kill -9`` would) at the k-th step of a journalled replacement.

    ``tests/eval/test_crash.py`` uses it to stop a save after every step in turn; it
    does nothing unless the variable is set.
    """
    limit = os.environ.get("CXREVAL_IO_CRASH_AFTER")
    if limit is not None and next(_STEPS) == int(limit):
        os.kill(os.getpid(), signal.SIGKILL)


_STEPS = itertools.count(1)  # the steps this process has passed (for crash_point only)


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


def backup(path: Path, *, token: str | None = None) -> Path:
    """A second name for ``path``'s current content: ``.name.<random>.old`` beside it
    (``.name.<token>.old`` when ``token`` is given; that name must be free)."""
    while True:
        second = path.with_name(f".{path.name}.{token or secrets.token_hex(4)}.old")
        try:
            os.link(path, second)
        except FileExistsError:
            if token is not None:
                raise
            continue
        except OSError:  # no hard links here (e.g. FAT, some network drives): copy
            shutil.copy2(path, second, follow_symlinks=False)
        return second
