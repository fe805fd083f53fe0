"""Sphinx configuration: every warning is an error and every reference must resolve.

``nox -s docs`` runs ``sphinx-build -n -W``. The build needs no network: MathJax is
copied from the ``django-static-mathjax`` package into the output, the intersphinx
inventories are the small local files in ``_intersphinx/`` (``tools/make_intersphinx.py``
writes them), and the zoo pages are generated from the registry by ``_ext/zoo_pages.py``.
Without TensorFlow, the zoo's modules are mocked for autodoc and the gallery leaves out
the examples that train a model (``plot_zoo_*.py``), so cxreval's pages still build.
"""

import importlib.util
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE / "_ext"))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("MPLBACKEND", "Agg")

from cxreval._version import __version__  # noqa: E402

project = "cxrkit"
author = "The cxrkit developers"
copyright = "2026, The cxrkit developers"
release = version = __version__

HAVE_TF = all(importlib.util.find_spec(m) is not None for m in ("tensorflow", "keras"))

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "sphinx.ext.intersphinx",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
    "sphinxcontrib.bibtex",
    "offline_mathjax",
    "zoo_pages",
    "public_names",
]

# -- autodoc / numpydoc -------------------------------------------------------------------
autosummary_generate = ["api/stubs.rst"]  # written below; excluded from the build itself
templates_path = ["_templates"]
autodoc_typehints = "none"
autodoc_inherit_docstrings = False  # Keras callbacks inherit docstrings that are not RST
autodoc_mock_imports = [] if HAVE_TF else ["tensorflow", "keras", "keras_cv"]
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_validation_checks: set[str] = set()


# -- references: every one must resolve (-n), offline -----------------------------------
nitpicky = True
nitpick_ignore_regex = [
    # numpydoc's plain-language types in "Parameters" are words, not objects
    ("py:class", r"(array-like|array_like|optional|default .*|callable|of|or|shape .*)"),
]
_INV = HERE / "_intersphinx"
_SITES = {
    "python": "https://docs.python.org/3",
    "numpy": "https://numpy.org/doc/stable",
    "sklearn": "https://scikit-learn.org/stable",
    "matplotlib": "https://matplotlib.org/stable",
    "keras": "https://keras.io",
    "pandas": "https://pandas.pydata.org/docs",
}
intersphinx_mapping = {
    name: (url, str(_INV / f"{name}.inv"))
    for name, url in _SITES.items()
    if (_INV / f"{name}.inv").is_file()
}
intersphinx_disabled_reftypes = ["std:doc"]
intersphinx_timeout = 1

# -- references and citations -----------------------------------------------------------
bibtex_bibfiles = ["references.bib", "reports.bib"]
bibtex_default_style = "unsrt"
bibtex_reference_style = "author_year"

# -- the gallery ------------------------------------------------------------------------
sphinx_gallery_conf = {
    "examples_dirs": ["tutorial", "../examples"],
    "gallery_dirs": ["auto_tutorial", "auto_examples"],
    "filename_pattern": r"/plot_",  # run every example
    "ignore_pattern": r"__init__\.py" if HAVE_TF else r"(__init__\.py|plot_zoo_)",
    "abort_on_example_error": True,
    "download_all_examples": False,
    "remove_config_comments": True,
    "within_subsection_order": "FileNameSortKey",
    "image_scrapers": ("matplotlib",),
    "matplotlib_animations": False,
    "min_reported_time": 1,
    "show_memory": False,
    "plot_gallery": "True",
    "doc_module": (),
    "reference_url": {},
}

# -- HTML -------------------------------------------------------------------------------
exclude_patterns = ["_build", "_intersphinx", "tutorial", "api/stubs.rst"]
if not HAVE_TF:  # a page left by an earlier build with TensorFlow
    exclude_patterns.append("auto_examples/plot_zoo_*")
html_theme = "furo"
html_title = f"cxrkit {version}"
html_static_path = ["_static"]
html_css_files = ["cxrkit.css"]
html_theme_options = {
    "source_repository": "",
    "navigation_with_keys": True,
}
html_show_sourcelink = False
mathjax_path = "mathjax/tex-chtml.js"  # copied into _static by _ext/offline_mathjax.py
