"""Checks that keep the house standing, read from the source with ``ast`` (nothing imported).

- no import cycle between the modules of ``src/`` (imports inside functions count: a lazy
  import that points the wrong way is still a wrong arrow; ``if TYPE_CHECKING:`` blocks do not);
- the arrows between the packages run one way: cxrzoo -> cxreval, never back;
- no underscore-prefixed name is imported from another module of ``src/``;
- no module is much over 600 lines unless its docstring says it is one job.

These run without numpy, tensorflow or the packages themselves, in every test session.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGES = ("cxreval", "cxrzoo")
#: Over this many lines a module must say, in its docstring, which one job it does.
LONG_MODULE = 650


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for pkg in PACKAGES for p in sorted((SRC / pkg).rglob("*.py"))}


def is_package(name: str) -> bool:
    return MODULES[name].name == "__init__.py"


def type_checking_nodes(tree: ast.AST) -> set[int]:
    """ids of the nodes under ``if TYPE_CHECKING:`` (imports there are not arrows)."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If):
            test = node.test
            name = getattr(test, "id", None) or getattr(test, "attr", None)
            if name == "TYPE_CHECKING":
                for child in node.body:
                    skipped.update(id(n) for n in ast.walk(child))
    return skipped


def imports(name: str) -> list[tuple[str, list[str], int]]:
    """``(imported module, names taken from it, line)`` for each project import of ``name``."""
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    skipped = type_checking_nodes(tree)
    found = []
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in PACKAGES:
                    found.append((alias.name, [], node.lineno))
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative import: resolve against this module's package
                base = name if is_package(name) else name.rpartition(".")[0]
                for _ in range(node.level - 1):
                    base = base.rpartition(".")[0]
                target = f"{base}.{node.module}" if node.module else base
            else:
                target = node.module or ""
            if target.split(".")[0] not in PACKAGES:
                continue
            taken = [alias.name for alias in node.names]
            # ``from package import submodule`` is an arrow to the submodule
            submodules = [t for t in taken if f"{target}.{t}" in MODULES]
            for sub in submodules:
                found.append((f"{target}.{sub}", [], node.lineno))
            rest = [t for t in taken if t not in submodules]
            if rest or not submodules:
                found.append((target, rest, node.lineno))
    return found


def graph() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {name: set() for name in MODULES}
    for name in MODULES:
        for target, _, _ in imports(name):
            # importing a.b.c runs a and a.b first; the arrow that matters is to a.b.c itself
            while target not in MODULES and "." in target:
                target = target.rpartition(".")[0]
            if target in MODULES and target != name:
                edges[name].add(target)
    return edges


def find_cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected component of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return components


def test_the_graph_sees_the_known_arrows():
    edges = graph()
    assert len(MODULES) > 40
    assert "cxreval._checks" in edges["cxreval.intervals"]
    assert any(t.startswith("cxreval") for t in edges["cxrzoo.evaluation"])


def test_find_cycles_finds_a_cycle_and_only_that():
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert find_cycles(edges) == [["a", "b", "c"]]


def test_no_import_cycle_in_src():
    assert find_cycles(graph()) == []


def test_cxreval_never_imports_cxrzoo():
    wrong = [
        f"{name}:{line} imports {target}"
        for name in MODULES
        if name.startswith("cxreval")
        for target, _, line in imports(name)
        if target.startswith("cxrzoo")
    ]
    assert wrong == []


def test_no_private_name_crosses_a_module_boundary():
    crossing = [
        f"{name}:{line} imports {taken} from {target}"
        for name in MODULES
        for target, names, line in imports(name)
        for taken in names
        if taken.startswith("_") and not (taken.startswith("__") and taken.endswith("__"))
    ]
    assert crossing == []


@pytest.mark.parametrize("name", sorted(MODULES))
def test_a_long_module_says_its_one_job(name):
    path = MODULES[name]
    text = path.read_text(encoding="utf-8")
    lines = text.count("\n")
    if lines <= LONG_MODULE:
        return
    docstring = ast.get_docstring(ast.parse(text)) or ""
    assert "one job" in docstring.lower(), (
        f"{path.relative_to(SRC)} has {lines} lines: split it, or say in its docstring "
        "which one job it does ('One job: ...')"
    )
