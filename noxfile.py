"""The test matrix: the one way to run lint, tests and docs.

``nox`` runs every session below (the README's test command); ``nox -s NAME`` runs one.
"""

from __future__ import annotations

import nox

nox.options.sessions = ["lint", "tests_eval", "tests_zoo", "docs"]
nox.options.reuse_existing_virtualenvs = True
nox.options.error_on_missing_interpreters = True

QUIET_TF = {"TF_CPP_MIN_LOG_LEVEL": "2", "MPLBACKEND": "Agg", "PYTHONHASHSEED": "0"}


@nox.session
def lint(session: nox.Session) -> None:
    """ruff check and ruff format --check over the whole tree."""
    session.install("ruff==0.17.6")  # pinned: lint results do not drift with releases
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session
def tests_eval(session: nox.Session) -> None:
    """cxreval's tests where tensorflow and keras are NOT installed: cxreval stands alone.

    With the ``fast`` extra (numba), so both resampling engines are tested against each
    other; the numpy engine is the one a plain install runs."""
    session.install(".[test,fast]")
    session.run(
        "python",
        "-c",
        "import importlib.util as u, sys; "
        "bad = [m for m in ('tensorflow', 'keras', 'keras_cv') if u.find_spec(m)]; "
        "sys.exit(f'tests_eval must run without {bad}' if bad else 0)",
    )
    session.run(
        "pytest", "tests/eval", "tests/test_architecture.py", *session.posargs, env=QUIET_TF
    )
    session.run("pytest", "--doctest-modules", "--pyargs", "cxreval", env=QUIET_TF)
    # the docs' cxreval code blocks run without tensorflow too (the zoo pages skip here)
    session.run("pytest", "tests/test_docs_examples.py", env=QUIET_TF)


@nox.session
def tests_zoo(session: nox.Session) -> None:
    """Every test that needs the ``zoo`` extra (tensorflow, keras 3, keras-cv): the zoo, the
    benchmarks and the architecture checks (cxreval's own tests run in tests_eval, the docs'
    code blocks in docs)."""
    session.install(".[zoo,test]")
    session.run(
        "pytest",
        "tests",
        "--ignore=tests/eval",
        "--ignore=tests/test_docs_examples.py",
        *session.posargs,
        env=QUIET_TF,
    )
    session.run("pytest", "--doctest-modules", "--pyargs", "cxrzoo", env=QUIET_TF)


@nox.session
def docs(session: nox.Session) -> None:
    """Build the Sphinx docs (nitpicky; every warning is an error; the tutorial and the
    gallery run), then run every code block of the docs and the README."""
    session.install(".[zoo,docs,test]")
    session.run(
        "sphinx-build",
        "-n",
        "-W",
        "--keep-going",
        "-b",
        "html",
        "docs",
        "docs/_build/html",
        env=QUIET_TF,
    )
    # tests_eval ran the cxreval-only pages already: here the pages that use cxrzoo
    docs_env = {**QUIET_TF, "CXRKIT_DOCS_PAGES": "zoo"}
    session.run("pytest", "tests/test_docs_examples.py", env=docs_env)
