"""A report as text, strict JSON and a self-contained HTML page (figures embedded as PNG).

:class:`Document` is the base of :class:`cxreval.Report` and :class:`cxreval.Comparison`:
they give a title, their data, text sections and figures; it renders them and saves them
(:mod:`cxreval.report.store`).
"""

from __future__ import annotations

import base64
import html
import io
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from cxreval._result import Result
from cxreval._version import __version__
from cxreval.report.methods import methods_bibtex, methods_text
from cxreval.report.store import save_report
from cxreval.report.tables import Table, html_table, text_to_html

__all__ = ["Document", "png_base64"]


def png_base64(draw: Any, figsize: tuple[float, float] = (6.0, 4.5)) -> str:
    """Draw with ``draw(ax)`` on an off-screen figure; return the PNG as base64 text."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, layout="constrained")
    draw(fig.subplots())
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


CSS = (
    "body{font-family:system-ui,sans-serif;max-width:84em;margin:2em auto;padding:0 1em;"
    "color:#222;line-height:1.4}"
    "pre{background:#f6f6f6;padding:.8em;overflow-x:auto;font-size:.85em}"
    "h2{border-bottom:1px solid #ccc;margin-top:2em}"
    ".row{display:flex;flex-wrap:wrap;gap:1.5em;align-items:flex-start}"
    ".tables{flex:1 1 34em;min-width:0;overflow-x:auto}"
    ".figures{flex:0 1 32em;display:flex;flex-direction:column;gap:1em}"
    ".row.many .tables{flex-basis:100%}.row.many .figures{flex:1 1 100%;display:grid;"
    "grid-template-columns:repeat(auto-fill,minmax(26em,1fr))}"
    "figure{margin:0}img{max-width:100%;display:block}"
    ".scroll{overflow-x:auto;max-width:100%}"
    "figcaption{font-size:.9em;color:#555;text-align:center}"
    "table{border-collapse:collapse;margin:.6em 0;font-size:.9em}"
    "caption{text-align:left;font-weight:bold;padding:.3em 0}"
    "th,td{padding:.25em .7em;border-bottom:1px solid #ddd;text-align:left;"
    "vertical-align:top}"
    "thead th{border-bottom:2px solid #444}"
    "td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}"
    "p.note{font-size:.85em;color:#555}"
)


class Document(Result):
    """Text, JSON, HTML, Table 1, the methods paragraph and saving, shared by
    :class:`Report` and :class:`Comparison`.

    A subclass provides ``title``, ``to_dict()``, ``sections(decimals)`` (heading, text
    or :class:`~cxreval.report.tables.Table`), ``figures()`` (caption, ``draw(ax)``),
    ``figure_places()`` (which figures go beside which section), ``table_one()``,
    ``methods_sentences()``, ``provenance`` and its ``plotter``.
    """

    def sections(self, decimals: int = 3) -> list[tuple[str, Any]]:  # pragma: no cover
        raise NotImplementedError

    def figure_places(self) -> list[list[int]]:
        """For each section, the indices of the figures shown beside it."""
        return [[] for _ in self.sections()]

    def table_one(self) -> Table:
        """Table 1: one row per model (binary) or per class (multi-class), with CIs."""
        raise NotImplementedError  # pragma: no cover

    def to_table(self, format: str = "text", decimals: int = 3) -> str:
        """Table 1 as ``"text"``, ``"csv"``, ``"markdown"``, ``"latex"`` or ``"html"``.

        Every number has ``decimals`` decimals; in CSV every interval is three columns
        (the value, ``... low`` and ``... high``).
        """
        return self.table_one().render(format, decimals)

    def methods_text(self) -> str:
        """A "Statistical methods" paragraph naming every method used, with references."""
        return methods_text(self.methods_sentences())

    def methods_bibtex(self) -> str:
        """The BibTeX entries :meth:`methods_text` cites."""
        return methods_bibtex(self.methods_sentences())

    def _parts(self, decimals: int) -> list[tuple[str, Any]]:
        """(heading, text or Table) of the whole report, in order."""
        parts = [("Table 1", self.table_one()), *self.sections(decimals)]
        if self.provenance is not None:
            parts.append(("Provenance", self.provenance.table()))
        return [*parts, ("Statistical methods", self.methods_text())]

    def table(self, decimals: int = 3) -> str:
        """The whole report as text: Table 1, every section, provenance and methods."""
        parts = [self.title, "=" * len(self.title)]
        for heading, body in self._parts(decimals):
            text = body.render("text", decimals) if isinstance(body, Table) else body
            parts += ["", heading, "-" * len(heading), text]
        return "\n".join(parts)

    def to_json(self, indent: int | None = 2) -> str:
        """The report as strict JSON (NaN written as null)."""
        return json.dumps(self.to_dict(), indent=indent, allow_nan=False)

    def to_html(self, decimals: int = 3) -> str:
        """A self-contained HTML page: tables as ``<table>``, each beside its figures.

        Figures are embedded as PNG; there are no scripts, links or external files.
        """
        esc = html.escape
        body = [f"<h1>{esc(self.title)}</h1>", f"<p>cxreval {esc(__version__)}</p>"]
        figures = self.figures()
        places = [[], *self.figure_places()]  # Table 1 has none
        placed = {i for place in places for i in place}
        for (heading, content), place in zip(
            self._parts(decimals), [*places, [], []], strict=False
        ):
            if isinstance(content, Table):
                inner = content.render("html", decimals)
            elif heading == "Provenance":
                inner = html_table(["", ""], [list(r) for r in self.provenance.lines()])
            elif heading == "Statistical methods":
                inner = "".join(f"<p>{esc(block)}</p>" for block in content.split("\n\n"))
                inner += f"<h3>BibTeX</h3><pre>{esc(self.methods_bibtex())}</pre>"
            else:
                inner = text_to_html(content)
            pictures = "".join(_figure(*figures[i]) for i in place)
            if pictures:
                inner = (
                    f'<div class="row{" many" if len(place) > 2 else ""}">'
                    f'<div class="tables">{inner}</div>'
                    f'<div class="figures">{pictures}</div></div>'
                )
            body.append(f"<h2>{esc(heading)}</h2>{inner}")
        rest = [i for i in range(len(figures)) if i not in placed]
        if rest:
            body.append("<h2>Figures</h2>" + "".join(_figure(*figures[i]) for i in rest))
        return (
            '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f"<title>{esc(self.title)}</title><style>{CSS}</style></head>"
            f"<body>{''.join(body)}</body></html>\n"
        )

    def save(
        self,
        directory: str | os.PathLike,
        *,
        force: bool = False,
        inputs: Iterable[str | os.PathLike] = (),
        formats: Iterable[str] = ("csv", "markdown", "latex"),
        decimals: int = 3,
    ) -> Path:
        """Write the report into ``directory``: ``report.txt``, ``report.json``,
        ``report.html``, ``methods.txt``, ``methods.bib`` and Table 1 as ``table1.csv``,
        ``table1.md`` and ``table1.tex`` (those of ``formats``).

        The folder is created if needed. Only these files are written: any other file
        in the folder (the predictions, notes, an older report under another name) is
        left as it is, so ``directory`` may be the folder that holds the input.

        The files are replaced together, through a journal in the folder
        (:func:`cxreval._io.replace_together`): each is written in full under a hidden
        temporary name, then all are renamed over their final names. If saving fails
        part-way, the files already replaced are put back; if the process is killed
        part-way, the next save (or ``cxreval report`` on the folder) completes or undoes
        the interrupted one, with a warning. The folder therefore holds either the
        previous report or the new one, never a mix or a half-written file, and no
        temporary file is left behind; folders the call created are removed again.

        Parameters
        ----------
        directory : str or os.PathLike
            The report folder.
        force : bool, default False
            Replace an existing report (any of its files already in the folder);
            without it an existing report raises :class:`FileExistsError`.
        inputs : iterable of path-like, optional
            The files the report was computed from (the predictions). If one of them is
            one of the report's files, :class:`ValueError` is raised and nothing is
            written, even with ``force``.
        formats : iterable of {"csv", "markdown", "latex"}, default all three
            The files of Table 1 to write (a Table 1 file of a format left out is not
            touched).
        decimals : int, default 3
            Decimals of every number in Table 1 and the tables cxreval lays out.

        Returns
        -------
        pathlib.Path
            The report folder.
        """
        return save_report(
            self, directory, force=force, inputs=inputs, formats=formats, decimals=decimals
        )


def _figure(caption: str, draw: Any) -> str:
    alt = html.escape(caption)
    return (
        f'<figure><img alt="{alt}" src="data:image/png;base64,{png_base64(draw)}">'
        f"<figcaption>{alt}</figcaption></figure>"
    )
