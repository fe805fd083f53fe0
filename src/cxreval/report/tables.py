"""Tables of a report, written as text, CSV, Markdown, LaTeX or HTML.

A :class:`Table` holds its cells as numbers (an :class:`Estimate` is a value with its
interval) and formats them only when written, with one number of ``decimals`` for every
cell, so that the text report, the HTML page and the exported files show the same
numbers. :func:`text_to_html` turns the text tables other results print (tabulate's
"simple" layout) into HTML tables, cell for cell.
"""

from __future__ import annotations

import csv
import html
import io
import itertools
import math
import re
from dataclasses import dataclass
from typing import Any, NamedTuple

from tabulate import tabulate

from cxreval._checks import check_choice

__all__ = ["TABLE_FORMATS", "Estimate", "Table", "format_number", "text_to_html"]

#: ``format`` of :meth:`Table.render` -> the suffix of its file.
TABLE_FORMATS = {"text": "txt", "csv": "csv", "markdown": "md", "latex": "tex", "html": "html"}


class Estimate(NamedTuple):
    """A value with the bounds of its interval (NaN where there is none)."""

    value: float
    low: float = math.nan
    high: float = math.nan


def format_number(value: Any, decimals: int) -> str:
    """``value`` with ``decimals`` decimals; integers as they are; NaN or None as "NA"."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "NA"
    if isinstance(value, int | str):
        return str(value)
    return f"{float(value):.{decimals}f}"


def format_p(p: float, decimals: int) -> str:
    """A p-value with ``decimals`` decimals, or ``<0.001`` (for 3) when smaller."""
    if math.isnan(p):
        return "NA"
    smallest = 10.0**-decimals
    return f"<{smallest:.{decimals}f}" if p < smallest else f"{p:.{decimals}f}"


def _cell(value: Any, decimals: int) -> str:
    if isinstance(value, Estimate):
        text = format_number(value.value, decimals)
        if math.isnan(value.low) and math.isnan(value.high):
            return text
        low, high = (format_number(v, decimals) for v in (value.low, value.high))
        return f"{text} [{low}, {high}]"
    return format_number(value, decimals)


_LATEX_SPECIAL = {c: "\\" + c for c in "&%$#_{}"}
_LATEX_SPECIAL.update(
    {
        "~": r"\textasciitilde{}",
        "^": r"\textasciicircum{}",
        "\\": r"\textbackslash{}",
        "<": r"\textless{}",
        ">": r"\textgreater{}",
        "|": r"\textbar{}",
    }
)


def _latex(text: str) -> str:
    return "".join(_LATEX_SPECIAL.get(c, c) for c in text)


def _markdown(text: str) -> str:
    return text.replace("|", r"\|")


@dataclass(frozen=True)
class Table:
    """A table of a report: column names, rows of cells, a caption and notes.

    A cell is text, a number, or an :class:`Estimate` (shown as ``value [low, high]``;
    in CSV as three columns ``name``, ``name low`` and ``name high``).
    """

    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    caption: str = ""
    notes: str = ""

    def cells(self, decimals: int = 3) -> list[list[str]]:
        """Every row as text, numbers with ``decimals`` decimals."""
        return [[_cell(v, decimals) for v in row] for row in self.rows]

    def render(self, format: str = "text", decimals: int = 3) -> str:
        """The table as ``"text"``, ``"csv"``, ``"markdown"``, ``"latex"`` or ``"html"``.

        Examples
        --------
        >>> from cxreval.report.tables import Estimate, Table
        >>> t = Table(("model", "AUC [95% CI]"), (("a", Estimate(0.91234, 0.87, 0.95)),))
        >>> print(t.render("markdown"))
        | model | AUC [95% CI] |
        |:--|--:|
        | a | 0.912 [0.870, 0.950] |
        >>> print(t.render("csv", decimals=2), end="")
        model,AUC [95% CI],AUC [95% CI] low,AUC [95% CI] high
        a,0.91,0.87,0.95
        """
        format = check_choice(format, "format", TABLE_FORMATS)
        if not isinstance(decimals, int) or isinstance(decimals, bool) or decimals < 0:
            raise ValueError(f"decimals must be a non-negative int, got {decimals!r}")
        return getattr(self, f"_{format}")(decimals)

    def _aligns(self) -> list[str]:
        """``"l"`` for a column of text, ``"r"`` for one of numbers."""
        return [
            "r" if self.rows and all(not isinstance(r[j], str) for r in self.rows) else "l"
            for j in range(len(self.columns))
        ]

    def _text(self, decimals: int) -> str:
        align = {"l": "left", "r": "right"}
        body = tabulate(
            self.cells(decimals),
            headers=list(self.columns),
            disable_numparse=True,
            colalign=[align[a] for a in self._aligns()],
        )
        parts = [self.caption, body, self.notes] if self.caption else [body, self.notes]
        return "\n".join(p for p in parts if p)

    def _csv(self, decimals: int) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        wide = [
            j
            for j in range(len(self.columns))
            if any(isinstance(r[j], Estimate) for r in self.rows)
        ]
        header: list[str] = []
        for j, name in enumerate(self.columns):
            header += [name, f"{name} low", f"{name} high"] if j in wide else [name]
        writer.writerow(header)
        for row in self.rows:
            out: list[str] = []
            for j, value in enumerate(row):
                parts = value if isinstance(value, Estimate) else (value,)
                if j in wide and not isinstance(value, Estimate):
                    parts = (value, math.nan, math.nan)
                out += [format_number(v, decimals) for v in parts]
            writer.writerow(out)
        return buffer.getvalue()

    def _markdown(self, decimals: int) -> str:
        rule = {"l": ":--", "r": "--:"}
        lines = [
            "| " + " | ".join(_markdown(c) for c in self.columns) + " |",
            "|" + "|".join(rule[a] for a in self._aligns()) + "|",
        ]
        lines += ["| " + " | ".join(map(_markdown, row)) + " |" for row in self.cells(decimals)]
        if self.caption:
            lines.insert(0, f"**{_markdown(self.caption)}**\n")
        if self.notes:
            lines.append(f"\n{_markdown(self.notes)}")
        return "\n".join(lines)

    def _latex(self, decimals: int) -> str:
        def line(cells: list[str]) -> str:
            return " & ".join(_latex(c) for c in cells) + r" \\"

        lines = [r"\begin{table}[htbp]", r"\centering"]
        if self.caption:
            lines.append(rf"\caption{{{_latex(self.caption)}}}")
        lines += [
            rf"\begin{{tabular}}{{{''.join(self._aligns())}}}",
            r"\toprule",
            line(list(self.columns)),
            r"\midrule",
            *(line(row) for row in self.cells(decimals)),
            r"\bottomrule",
            r"\end{tabular}",
        ]
        if self.notes:
            lines.append(rf"\par\smallskip{{\footnotesize {_latex(self.notes)}}}")
        lines.append(r"\end{table}")
        return "\n".join(lines)

    def _html(self, decimals: int) -> str:
        return html_table(list(self.columns), self.cells(decimals), self.caption, self.notes)


def html_table(
    columns: list[str], rows: list[list[str]], caption: str = "", notes: str = ""
) -> str:
    """An HTML ``<table>`` of text cells; cells that read as numbers are right-aligned."""
    esc = html.escape
    head = "".join(f"<th>{esc(c)}</th>" for c in columns)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="num">{esc(c)}</td>' if _NUMERIC.match(c) else f"<td>{esc(c)}</td>"
            for c in row
        )
        + "</tr>"
        for row in rows
    )
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    note = f'<p class="note">{esc(notes)}</p>' if notes else ""
    table = f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    return f'<div class="scroll">{table}</div>{note}'


#: A cell that is a number, an interval or both (``0.912``, ``-3``, ``<0.001``,
#: ``[0.87, 0.95]``, ``0.912 [0.87, 0.95]``), or NA: right-aligned, never wrapped.
_NUMERIC = re.compile(r"^(?=.)([<+\-\u2212]?\d[\d.eE+\-]*)? ?(\[[^\]]*\])?$|^(NA|nan|-?inf)$")
#: tabulate's rule under the header: runs of dashes two spaces apart.
_RULE = re.compile(r"^-+(  -+)*$")


def text_to_html(text: str) -> str:
    """HTML of a text section: its tabulate tables as ``<table>``, other lines as text.

    A table is a header line, a rule of dashes (one run per column, two spaces apart)
    and the rows under it that fit the columns; every other line is a paragraph.

    Examples
    --------
    >>> from cxreval.report.tables import text_to_html
    >>> page = text_to_html("Title\\n  a  b\\n---  --\\n  1  x\\nsum 1")
    >>> page.split("<div")[0], page.count("<td"), page.endswith("<p>sum 1</p>")
    ('<p>Title</p>', 2, True)
    """
    lines = text.splitlines()
    out: list[str] = []
    paragraph: list[str] = []
    i = 0

    def flush() -> None:
        if paragraph:
            out.append("<p>" + "<br>".join(html.escape(p) for p in paragraph) + "</p>")
            paragraph.clear()

    while i < len(lines):
        header = lines[i]
        rule = lines[i + 1] if i + 1 < len(lines) else ""
        if not _RULE.match(rule) or not header.strip():
            if lines[i].strip():
                paragraph.append(lines[i])
            else:
                flush()
            i += 1
            continue
        spans = [m.span() for m in re.finditer(r"-+", rule)]
        width = len(rule)
        gaps = [k for (_, end), (start, _) in itertools.pairwise(spans) for k in range(end, start)]

        def split(line: str, spans: list = spans) -> list[str]:
            bounds = [*(s for s, _ in spans), None]
            return [line[a:b].strip() for a, b in itertools.pairwise(bounds)]

        rows = []
        i += 2
        while i < len(lines):
            line = lines[i]
            fits = line.strip() and len(line) <= width
            if not fits or any(k < len(line) and line[k] != " " for k in gaps):
                break
            rows.append(split(line))
            i += 1
        flush()
        out.append(html_table(split(header.ljust(width)), rows))
    flush()
    return "".join(out)
