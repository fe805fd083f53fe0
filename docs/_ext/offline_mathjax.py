"""Serve MathJax 3 from the built docs, so formulas render without a network.

The files come from the ``django-static-mathjax`` package (MathJax 3.2, Apache-2.0),
installed with the ``docs`` extra; at the end of an HTML build the combined
``tex-chtml.js``, its fonts and the TeX extensions are copied to ``_static/mathjax`` and
``conf.mathjax_path`` points there.
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

from sphinx.errors import ExtensionError

# The parts of MathJax's es5 tree that tex-chtml.js loads: itself, its fonts, the TeX
# extensions it may autoload, the accessibility menu's pieces and the licence.
PARTS = ("tex-chtml.js", "output/chtml/fonts/woff-v2", "input/tex/extensions", "ui", "a11y")


def mathjax_source() -> Path:
    """The ``es5`` folder of MathJax 3 inside the installed django-static-mathjax."""
    spec = importlib.util.find_spec("mathjax")
    if spec is None or not spec.submodule_search_locations:
        raise ExtensionError(
            "MathJax is served offline from the 'django-static-mathjax' package: "
            "pip install 'cxrkit[docs]'"
        )
    es5 = Path(next(iter(spec.submodule_search_locations))) / "static" / "mathjax" / "es5"
    if not (es5 / "tex-chtml.js").is_file():
        raise ExtensionError(f"MathJax's tex-chtml.js is not in {es5}")
    return es5


def copy_mathjax(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    source = mathjax_source()
    target = Path(app.outdir) / "_static" / "mathjax"
    for part in PARTS:
        src = source / part
        if src.is_dir():
            shutil.copytree(src, target / part, dirs_exist_ok=True)
        elif src.is_file():
            (target / part).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, target / part)
    licence = source.parent / "LICENSE"
    if licence.is_file():
        shutil.copy2(licence, target / "LICENSE")


def setup(app):
    mathjax_source()  # fail early, with the install line, when the package is missing
    app.connect("build-finished", copy_mathjax)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
