"""Link every public name, wherever its docstring lives.

``cxreval.Report`` is defined in ``cxreval.report.evaluation`` and documented by the
module pages of ``api/`` under one of the two paths. This extension

* writes ``api/stubs.rst`` at ``builder-inited``: the public names (``__all__`` of
  cxreval, cxrzoo and cxreval.datasets) that no page documents under either path, for
  autosummary to give each a page in ``api/generated/``;
* keeps the first of two ``:canonical:`` aliases of one object instead of warning;
* resolves a reference that Sphinx could not (``missing-reference``) by importing the
  name from the module it was written in (or its package) and retrying with the path of
  the module that defines it: ``:func:`cxrzoo.train``` finds
  ``cxrzoo.training.loop.train``, ``:class:`Report``` in cxreval finds
  ``cxreval.report.evaluation.Report``; a name in a docstring is also looked up relative
  to the module whose docstring it is.
"""

from __future__ import annotations

import importlib
import importlib.util
import re
from pathlib import Path

PACKAGES = ("cxreval", "cxrzoo", "cxreval.datasets")
_DOCUMENTED = re.compile(
    r"^\.\. auto(?:function|class|exception|data|module)::\s+([\w.]+)\s*$", re.MULTILINE
)


def canonical(full: str) -> str | None:
    """``module.qualname`` where ``full`` (``"cxreval.Report"``) is defined, or None."""
    module, _, name = full.rpartition(".")
    try:
        obj = getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError, ValueError):
        return None
    defined = getattr(obj, "__module__", None)
    qualname = getattr(obj, "__qualname__", None)
    if not isinstance(defined, str) or not isinstance(qualname, str):
        return None
    return f"{defined}.{qualname}"


def write_stubs(app) -> None:
    api = Path(app.srcdir) / "api"
    documented: set[str] = set()
    for page in api.glob("cxr*_*.rst"):
        documented |= set(_DOCUMENTED.findall(page.read_text()))
    names = []
    for package in PACKAGES:
        for name in importlib.import_module(package).__all__:
            full = f"{package}.{name}"
            if name.startswith("_") or full in documented or canonical(full) in documented:
                continue
            if package != "cxreval.datasets" and importlib.util.find_spec(full) is not None:
                continue  # also a module (cxreval.statmaker): documented on its own page
            names.append(full)
    text = ".. autosummary::\n   :toctree: generated\n\n" + "".join(f"   {n}\n" for n in names)
    stubs = api / "stubs.rst"
    if not stubs.is_file() or stubs.read_text() != text:
        stubs.write_text(text)


def lookup(full: str):
    """The object ``full`` names (``"cxrzoo.training.loop.train"``), or None."""
    module, _, name = full.rpartition(".")
    while module:
        try:
            obj = importlib.import_module(module)
        except ImportError:
            module, _, rest = module.rpartition(".")
            name = f"{rest}.{name}"
            continue
        for part in name.split("."):
            obj = getattr(obj, part, None)
            if obj is None:
                return None
        return obj
    return None


_INDEX: dict[int, tuple[int, dict[int, str]]] = {}


def documented_names(domain) -> dict[int, str]:
    """``{id(object): documented name}`` for every cxreval/cxrzoo object Sphinx knows."""
    key = id(domain)
    if key not in _INDEX or _INDEX[key][0] != len(domain.objects):
        index = {}
        for name in sorted(domain.objects, key=len):  # the shortest (public) name wins
            if name.startswith(("cxreval", "cxrzoo")):
                obj = lookup(name)
                if obj is not None and not isinstance(obj, (int, float, bool, type(None))):
                    index.setdefault(id(obj), name)
        _INDEX[key] = (len(domain.objects), index)
    return _INDEX[key][1]


#: ``docstring of cxreval.curves.PRCurve.thinned`` in a node's source: where the text was
#: written, for a name relative to that module (``:func:`thin_indices```) shown on a page
#: of another module (``cxreval.PRCurve``'s generated page).
_DOCSTRING_OF = re.compile(r"docstring of ([\w.]+)")


def resolve(app, env, node, contnode):
    if node.get("refdomain") != "py":
        return None
    target = node["reftarget"]
    module = node.get("py:module") or ""
    owner = _DOCSTRING_OF.search(str(node.source or ""))
    contexts = (
        ".".join(filter(None, (module, node.get("py:class")))),
        owner.group(1) if owner else "",
    )
    candidates = [target] if target.startswith(("cxreval", "cxrzoo")) else []
    for context in contexts:
        while context.startswith(("cxreval", "cxrzoo")):
            candidates.append(f"{context}.{target}")
            context = context.rpartition(".")[0]
    domain = env.get_domain("py")
    for full in candidates:
        obj = lookup(full)
        if obj is None:
            continue
        for real in (documented_names(domain).get(id(obj)), canonical(full)):
            if real and real != target:
                found = domain.resolve_xref(
                    env, node["refdoc"], app.builder, node["reftype"], real, node, contnode
                )
                if found is not None:
                    return found
    return None


def ignore_second_alias(note_object):
    """A ``:canonical:`` alias already registered by another page is not a duplicate.

    ``cxreval.report.Report`` (a module page) and ``cxreval.Report`` (its generated page)
    both name ``cxreval.report.evaluation.Report`` as their canonical path; the first
    keeps it.
    """

    def note(self, name, objtype, node_id, aliased=False, location=None):
        if aliased and name in self.objects:
            return None
        return note_object(self, name, objtype, node_id, aliased=aliased, location=location)

    return note


def setup(app):
    from sphinx.domains.python import PythonDomain

    PythonDomain.note_object = ignore_second_alias(PythonDomain.note_object)
    app.connect("builder-inited", write_stubs, priority=400)  # before autosummary (500)
    app.connect("missing-reference", resolve)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
