"""Every Python block of the docs and the README runs as written.

Blocks are ``.. code-block:: python`` (or ``code::``/``sourcecode::``) and ``::`` literal
blocks that parse as Python and use cxreval or cxrzoo in ``docs/**/*.rst``, and
```` ```python ```` fences in ``README.md``. The blocks of one page run in order, in one
namespace, in a temporary folder, so a page reads as one script. Generated pages (API
stubs, the gallery, the zoo cards) are not read: the docs build runs the gallery itself.

A block that needs data the package does not ship may be skipped by a comment just
before it::

    .. skip-run: needs the Kermany chest_xray folder

Every such block is listed by ``test_skipped_blocks_are_listed``. Pages whose blocks use
cxrzoo are skipped where TensorFlow is not installed. With ``CXRKIT_DOCS_PAGES=zoo`` only
those pages run: the docs session sets it, since tests_eval has run every other page
already. ``KNOWN_FAILURES`` lists the pages that fail today, with the reason: they are
expected failures (strict, so a fixed page must leave the list).
"""

from __future__ import annotations

import ast
import importlib.util
import os
import re
import signal
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
GENERATED = ("api/generated", "auto_examples", "auto_tutorial", "zoo/generated", "_build")
HAVE_TF = importlib.util.find_spec("tensorflow") is not None
#: ``zoo``: run only the pages whose blocks use cxrzoo (the others ran in tests_eval).
ONLY_ZOO_PAGES = os.environ.get("CXRKIT_DOCS_PAGES") == "zoo"
PAGE_SECONDS = 240

#: page -> why its blocks fail today (xfail, strict): the page's owner fixes the blocks.
KNOWN_FAILURES: dict[str, str] = {}

_DIRECTIVE = re.compile(r"^(\s*)\.\. (?:code-block|code|sourcecode):: (python|py|python3)\s*$")
_SKIP = re.compile(r"^\s*\.\. skip-run\b(.*)$")


@dataclass
class Block:
    page: str
    line: int
    code: str
    skip: str | None


def _indented(lines: list[str], start: int, indent: int) -> tuple[str, int]:
    """The block of lines after ``start`` indented deeper than ``indent``; (text, end)."""
    body, i = [], start
    while i < len(lines) and (not lines[i].strip() or _indent(lines[i]) > indent):
        body.append(lines[i])
        i += 1
    return textwrap.dedent("\n".join(body)).strip("\n"), i


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _skip_reason(lines: list[str], i: int) -> str | None:
    j = i - 1
    while j >= 0 and not lines[j].strip():
        j -= 1
    match = _SKIP.match(lines[j]) if j >= 0 else None
    return match.group(1).strip(" :") or "marked skip-run" if match else None


def _looks_like_python(code: str) -> bool:
    if code.lstrip().startswith((">>>", "$")) or not re.search(r"\b(cxreval|cxrzoo)\b", code):
        return False
    try:
        ast.parse(code)
    except SyntaxError:
        return False
    return True


def rst_blocks(path: Path) -> list[Block]:
    lines = path.read_text(encoding="utf-8").splitlines()
    page = path.relative_to(ROOT).as_posix()
    blocks, i = [], 0
    while i < len(lines):
        line = lines[i]
        directive = _DIRECTIVE.match(line)
        literal = line.rstrip().endswith("::") and not line.lstrip().startswith("..")
        if directive or literal:
            indent = _indent(line)
            j = i + 1
            while directive and j < len(lines) and lines[j].strip().startswith(":"):
                j += 1  # the directive's options
            code, end = _indented(lines, j, indent)
            if code and (directive or _looks_like_python(code)):
                blocks.append(Block(page, i + 1, code, _skip_reason(lines, i)))
            i = max(end, i + 1)
            continue
        i += 1
    return blocks


def readme_blocks(path: Path) -> list[Block]:
    blocks, inside, start, body = [], False, 0, []
    lines = path.read_text(encoding="utf-8").splitlines()
    for n, line in enumerate(lines, 1):
        if not inside and line.strip() in ("```python", "```py"):
            inside, start, body = True, n, []
        elif inside and line.strip() == "```":
            inside = False
            blocks.append(Block(path.name, start, "\n".join(body), _skip_reason(lines, start - 1)))
        elif inside:
            body.append(line)
    return blocks


def pages() -> dict[str, list[Block]]:
    found = {}
    for path in sorted(DOCS.rglob("*.rst")):
        if any(part in path.relative_to(DOCS).as_posix() for part in GENERATED):
            continue
        blocks = rst_blocks(path)
        if blocks:
            found[blocks[0].page] = blocks
    found["README.md"] = readme_blocks(ROOT / "README.md")
    return found


PAGES = pages()


def _timeout(signum, frame):
    raise TimeoutError(f"a page's blocks ran longer than {PAGE_SECONDS} s")


@pytest.mark.parametrize(
    "page",
    [
        pytest.param(p, marks=pytest.mark.xfail(reason=KNOWN_FAILURES[p], strict=True))
        if p in KNOWN_FAILURES
        else p
        for p in PAGES
    ],
)
def test_page_blocks_run(page, tmp_path, monkeypatch):
    blocks = [b for b in PAGES[page] if b.skip is None]
    if not blocks:
        pytest.skip("every block is marked skip-run")
    uses_zoo = any("cxrzoo" in b.code for b in blocks)
    if not HAVE_TF and uses_zoo:
        pytest.skip("the page uses cxrzoo and TensorFlow is not installed")
    if ONLY_ZOO_PAGES and not uses_zoo:
        pytest.skip("CXRKIT_DOCS_PAGES=zoo: a cxreval page, run by the tests_eval session")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    import matplotlib

    matplotlib.use("Agg")
    namespace: dict = {"__name__": "__docs__"}
    previous = signal.signal(signal.SIGALRM, _timeout)
    signal.alarm(PAGE_SECONDS)
    try:
        for block in blocks:
            try:
                exec(compile(block.code, f"{block.page}:{block.line}", "exec"), namespace)
            except Exception as error:
                raise AssertionError(
                    f"{block.page}, block at line {block.line} failed: "
                    f"{type(error).__name__}: {error}\n{block.code}"
                ) from error
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
        import matplotlib.pyplot as plt

        plt.close("all")


def test_skipped_blocks_are_listed(capsys):
    skipped = [f"{b.page}:{b.line} ({b.skip})" for bs in PAGES.values() for b in bs if b.skip]
    with capsys.disabled():
        print(f"\n{len(skipped)} doc blocks marked skip-run:", *skipped, sep="\n  ")
    assert all(b.skip for bs in PAGES.values() for b in bs if b.skip)


def test_blocks_are_found():
    """The extractor sees the blocks (a changed markup must not silently test nothing)."""
    assert sum(len(b) for b in PAGES.values()) >= 10
    assert os.path.basename(__file__) == "test_docs_examples.py"
