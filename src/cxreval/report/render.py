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
from cxreval.report.store import save_report

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
    "body{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em;color:#222}"
    "pre{background:#f6f6f6;padding:.8em;overflow-x:auto;font-size:.85em}"
    "img{max-width:100%;display:block;margin:1em 0}h2{border-bottom:1px solid #ccc}"
)


class Document(Result):
    """Text, JSON, HTML and saving, shared by :class:`Report` and :class:`Comparison`.

    A subclass provides ``title``, ``to_dict()``, ``sections()`` (heading, text),
    ``figures()`` (caption, ``draw(ax)``) and its ``plotter``.
    """

    def table(self) -> str:
        """Every section as text tables."""
        parts = [self.title, "=" * len(self.title)]
        for heading, text in self.sections():
            parts += ["", heading, "-" * len(heading), text]
        return "\n".join(parts)

    def to_json(self, indent: int | None = 2) -> str:
        """The report as strict JSON (NaN written as null)."""
        return json.dumps(self.to_dict(), indent=indent, allow_nan=False)

    def to_html(self) -> str:
        """A self-contained HTML page: the text tables and every figure as embedded PNG."""
        body = [f"<h1>{html.escape(self.title)}</h1>"]
        body.append(f"<p>cxreval {html.escape(__version__)}</p>")
        for heading, text in self.sections():
            body.append(f"<h2>{html.escape(heading)}</h2><pre>{html.escape(text)}</pre>")
        body.append("<h2>Figures</h2>")
        for caption, draw in self.figures():
            data = png_base64(draw)
            alt = html.escape(caption)
            body.append(
                f'<figure><img alt="{alt}" src="data:image/png;base64,{data}">'
                f"<figcaption>{alt}</figcaption></figure>"
            )
        return (
            '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f"<title>{html.escape(self.title)}</title><style>{CSS}</style></head>"
            f"<body>{''.join(body)}</body></html>\n"
        )

    def save(
        self,
        directory: str | os.PathLike,
        *,
        force: bool = False,
        inputs: Iterable[str | os.PathLike] = (),
    ) -> Path:
        """Write ``report.txt``, ``report.json`` and ``report.html`` into ``directory``.

        The folder is created if needed. Only these three files are written: any other
        file in the folder (the predictions, notes, an older report under another name)
        is left as it is, so ``directory`` may be the folder that holds the input.

        The three files are replaced together, through a journal in the folder
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
            Replace an existing report (any of the three files already in the folder);
            without it an existing report raises :class:`FileExistsError`.
        inputs : iterable of path-like, optional
            The files the report was computed from (the predictions). If one of them is
            one of the report's three files, :class:`ValueError` is raised and nothing
            is written, even with ``force``.

        Returns
        -------
        pathlib.Path
            The report folder.
        """
        return save_report(self, directory, force=force, inputs=inputs)
