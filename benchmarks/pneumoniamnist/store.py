"""The results store: where every file of the benchmark lives, and reading and saving them.

One JSON file per table row (``benchmarks/results/pneumoniamnist/ROW.json``: settings,
timings, every training history, all validation and test scores), per validation-only run
(``exploration/``), per measured rerun (``reruns/``) and the split similarity
(``splits/similarity.json``). Every file is written atomically by the project's one writer,
:func:`cxreval._io.write_atomic`. The locations are read when a function runs, so a test
can point them elsewhere.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.pneumoniamnist.protocol import evaluate_scores
from benchmarks.pneumoniamnist.rows import exploration_rows, rows
from benchmarks.pneumoniamnist.similarity import split_similarity
from cxreval._io import write_atomic

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "pneumoniamnist.npz"
RESULTS = ROOT / "benchmarks" / "results" / "pneumoniamnist"
EXPLORATION = RESULTS / "exploration"
RERUNS = RESULTS / "reruns"
SIMILARITY = RESULTS / "splits" / "similarity.json"
DOC = ROOT / "docs" / "user_guide" / "benchmark_pneumoniamnist.rst"
FIGURE = ROOT / "docs" / "_static" / "benchmark_pneumoniamnist_roc.png"


def save(path: Path, result: dict[str, Any]) -> None:
    """Write one result as indented JSON, atomically."""
    write_atomic(path, json.dumps(result, indent=1))


def load_saved(folder: Path, known: dict) -> dict[str, dict]:
    """The JSON results saved in ``folder``, in the order of ``known`` (unknown ones last)."""
    saved = {p.stem: json.loads(p.read_text()) for p in sorted(folder.glob("*.json"))}
    order = [k for k in known if k in saved] + [k for k in saved if k not in known]
    return {k: saved[k] for k in order}


def load_results() -> dict[str, dict]:
    """Every saved row result, in the order of :func:`~benchmarks.pneumoniamnist.rows.rows`
    (unknown rows last).

    The statistics are computed again from the saved scores, so the page always shows
    what the current evaluation code makes of them.
    """
    saved = load_saved(RESULTS, rows())
    results = {}
    for key, r in saved.items():
        labels = {split: np.asarray(r["labels"][split]) for split in ("val", "test")}
        scores = {split: np.asarray(r["scores"][split]) for split in ("val", "test")}
        results[key] = {
            **r,
            **evaluate_scores(labels["val"], scores["val"], labels["test"], scores["test"]),
        }
    return results


def load_exploration() -> dict[str, dict]:
    """The saved validation-only runs, in the order of
    :func:`~benchmarks.pneumoniamnist.rows.exploration_rows`."""
    return load_saved(EXPLORATION, exploration_rows())


def load_reruns() -> dict[str, dict]:
    """The saved rerun checks, in the order of the rows (none without the folder)."""
    return load_saved(RERUNS, rows()) if RERUNS.is_dir() else {}


def load_similarity(data_path: Path) -> dict[str, Any] | None:
    """The saved :func:`~benchmarks.pneumoniamnist.similarity.split_similarity`, computed
    and saved first when the data is there."""
    if data_path.is_file():
        with np.load(data_path) as npz:
            images = {s: npz[f"{s}_images"] for s in ("train", "val", "test")}
        save(SIMILARITY, split_similarity(images))
    return json.loads(SIMILARITY.read_text()) if SIMILARITY.is_file() else None
