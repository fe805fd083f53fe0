"""Sphinx configuration: autodoc + numpydoc; every warning is an error (nox -s docs)."""

import os
import sys

sys.path.insert(0, os.path.abspath("../src"))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("MPLBACKEND", "Agg")

from cxreval._version import __version__

project = "cxrkit"
author = "The cxrkit developers"
copyright = "2026, The cxrkit developers"
release = version = __version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "sphinx.ext.intersphinx",
    "numpydoc",
]
autosummary_generate = False
autodoc_typehints = "none"
autodoc_inherit_docstrings = False  # Keras callbacks inherit docstrings that are not RST
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_validation_checks: set[str] = set()
intersphinx_mapping: dict[str, tuple[str, None]] = {}
exclude_patterns = ["_build"]
html_theme = "alabaster"
html_static_path = ["_static"]
nitpicky = False
