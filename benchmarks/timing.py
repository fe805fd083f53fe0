"""Timing helpers of the benchmarks: CPU and wall seconds over rounds, min and median."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Timing:
    """Wall and CPU seconds of each round (``scale`` multiplies them, e.g. B/10 runs x10)."""

    name: str
    walls: list[float] = field(default_factory=list)
    cpus: list[float] = field(default_factory=list)
    scale: float = 1.0
    result: Any = None

    def add(self, wall: float, cpu: float) -> None:
        self.walls.append(wall * self.scale)
        self.cpus.append(cpu * self.scale)

    @property
    def wall(self) -> float:
        return statistics.median(self.walls)

    @property
    def cpu(self) -> float:
        return statistics.median(self.cpus)

    def row(self, base: Timing | None = None) -> list[str]:
        """name, wall min / median, CPU min / median [, median ratios to ``base``]."""
        cells = [self.name] + [
            f"{v:.3f}" for v in (min(self.walls), self.wall, min(self.cpus), self.cpu)
        ]
        if base is not None:
            cells += [f"{self.wall / base.wall:.2f}", f"{self.cpu / base.cpu:.2f}"]
        return cells


HEADER = ["", "wall min", "wall med", "CPU min", "CPU med"]


def measure(timing: Timing, fn: Callable[[], Any]) -> Timing:
    """One round of ``fn`` into ``timing`` (its last result kept)."""
    w, c = time.perf_counter(), time.process_time()
    timing.result = fn()
    timing.add(time.perf_counter() - w, time.process_time() - c)
    return timing


def table(rows: list[list[str]], header: list[str], text_columns: int = 1) -> str:
    """A plain fixed-width table (an reST simple table: pasted into the docs as it is);
    the first ``text_columns`` are left-aligned, the rest right-aligned."""
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = "  ".join("=" * w for w in widths)

    def fmt(row: list[str]) -> str:
        cells = zip(row, widths, strict=True)
        return "  ".join(
            str(c).ljust(w) if i < text_columns else str(c).rjust(w)
            for i, (c, w) in enumerate(cells)
        ).rstrip()

    return "\n".join([line, fmt(header), line, *map(fmt, rows), line])
