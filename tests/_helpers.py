"""Helpers shared by the test suites of both packages (no Keras import here).

Import them as ``from tests._helpers import ...``: the repository root must be on
``sys.path``, which ``tests/eval/conftest.py`` (and ``python -m pytest`` from the root)
ensures.

* :func:`binary_scores` and :func:`multiclass_probabilities`: seeded synthetic data;
* :func:`run_snippet`: run a snippet of Python in a fresh interpreter that imports this
  checkout's packages, optionally with some modules made unimportable.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np

__all__ = ["ROOT", "SRC", "binary_scores", "multiclass_probabilities", "run_snippet"]

#: The repository root and its ``src`` folder.
ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"


def binary_scores(
    n: int = 300, *, seed: int = 0, noise: float = 1.2, ties: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """``(y, s)``: n labels in {0, 1} and scores ``y + N(0, noise)``, seeded.

    With ``ties`` the scores are rounded to one decimal, which makes ties.
    """
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    s = y * 1.0 + rng.normal(0, noise, n)
    return y, (np.round(s, 1) if ties else s)


def multiclass_probabilities(
    n: int = 240, k: int = 3, *, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """``(y, p)``: n labels in 0 .. k-1 and softmax probabilities that favour the true class."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, k, n)
    z = np.eye(k)[y] * 1.2 + rng.normal(0, 1, (n, k))
    return y, np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)


def run_snippet(
    code: str,
    *args: str,
    unimportable: Iterable[str] = (),
    env: Mapping[str, str | None] | None = None,
    check: bool = False,
    timeout: float | None = 600,
) -> subprocess.CompletedProcess:
    """Run ``code`` with ``python -c`` in a fresh interpreter; return the finished process.

    Parameters
    ----------
    code : str
        The snippet (dedented first, so a triple-quoted block may be indented).
    *args : str
        Its ``sys.argv[1:]``.
    unimportable : iterable of str
        Modules made unimportable before the snippet runs (``sys.modules[name] = None``,
        as if they were not installed): importing them, or anything below them, raises
        ImportError.
    env : mapping, optional
        Environment variables to set (a value of None removes the variable). The
        interpreter always finds this checkout's packages first (``src`` and the root
        on ``PYTHONPATH``, before the caller's ``sys.path``).
    check : bool, default False
        Raise AssertionError, with the end of stderr, when the snippet fails.
    timeout : float or None, default 600
        Seconds before the process is killed (``subprocess.TimeoutExpired``).

    Returns
    -------
    subprocess.CompletedProcess
        With ``returncode``, ``stdout`` and ``stderr`` (text).
    """
    prelude = ""
    hidden = list(unimportable)
    if hidden:
        prelude = f"import sys\nfor _name in {hidden!r}:\n    sys.modules[_name] = None\n"
    variables = dict(os.environ)
    variables["PYTHONPATH"] = os.pathsep.join([str(SRC), str(ROOT), *sys.path])
    for key, value in (env or {}).items():
        if value is None:
            variables.pop(key, None)
        else:
            variables[key] = value
    done = subprocess.run(
        [sys.executable, "-c", prelude + textwrap.dedent(code), *args],
        capture_output=True,
        text=True,
        env=variables,
        check=False,
        timeout=timeout,
    )
    if check and done.returncode != 0:
        raise AssertionError(f"snippet failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return done
