"""statmaker from 10^7 (y_true, y_pred) pairs against sklearn.metrics.confusion_matrix.

Data (stated in the output): shuffled (random order) integer labels, half positive,
predictions flipped with probability 0.15 -- so every label value repeats (this is a
count, ties are the rule); also 4 classes, and string labels on n / 10 pairs.

Target: ``cxreval.statmaker_from_predictions`` (confusion matrix *and* every statistic with
its intervals) at least 5x faster than scikit-learn's ``confusion_matrix`` alone on the same
integer labels. The floor: ``numpy.bincount`` of the encoded pairs (``2 * y_true + y_pred``),
the least any confusion matrix costs. Timed in one process, interleaved over ``--rounds``::

    PYTHONPATH=src python -m benchmarks.bench_statmaker [--n 10000000] [--rounds 3]

Prints CPU and wall seconds (min and median over rounds) and the ratios cxreval / peer and
cxreval / floor (medians); exits 1 when scikit-learn / cxreval on binary int labels is
below 5 (only at the full size: ``--n`` under 10^6 is a smoke run).
"""

from __future__ import annotations

import argparse
import os
import sys

import numpy as np
from sklearn.metrics import confusion_matrix as sk_confusion_matrix

import cxreval
from benchmarks.timing import HEADER, Timing, measure, table


def compare(name: str, y_true: np.ndarray, y_pred: np.ndarray, rounds: int) -> list[Timing]:
    """cxreval, scikit-learn and the floor on the same pairs (the matrices checked equal)."""
    k = int(max(y_true.max(), y_pred.max())) + 1 if y_true.dtype.kind in "iu" else None
    runs = {
        f"{name}: cxreval statmaker": lambda: cxreval.statmaker_from_predictions(y_true, y_pred),
        f"{name}: sklearn confusion_matrix": lambda: sk_confusion_matrix(y_true, y_pred),
    }
    if k is not None:
        runs[f"{name}: floor (bincount)"] = lambda: np.bincount(
            k * y_true + y_pred, minlength=k * k
        )
    timings = [Timing(label) for label in runs]
    for _ in range(rounds):
        for t, fn in zip(timings, runs.values(), strict=True):
            measure(t, fn)
    ours, sk = timings[0].result, timings[1].result
    assert np.array_equal(ours.confusion_matrix, sk), "confusion matrices differ"
    return timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000_000, help="number of pairs")
    parser.add_argument("--rounds", type=int, default=3, help="timings per method")
    args = parser.parse_args(argv)
    rng = np.random.default_rng(0)
    y_true = rng.integers(0, 2, args.n)
    flip = rng.random(args.n) < 0.15
    y_pred = np.where(flip, 1 - y_true, y_true)
    print(
        f"n = {args.n:,} pairs, shuffled, 15 % of predictions wrong; numpy {np.__version__}; "
        f"{args.rounds} rounds; {os.cpu_count()} cores"
    )
    y3 = rng.integers(0, 4, args.n)
    names = np.array(["NORMAL", "PNEUMONIA"])
    small = slice(0, args.n // 10)
    cases = [
        ("binary int", y_true, y_pred),
        ("4 classes int", y3, np.where(flip, (y3 + 1) % 4, y3)),
        ("binary str, n/10", names[y_true[small]], names[y_pred[small]]),
    ]
    rows, notes, ratio = [], [], None
    for name, yt, yp in cases:
        timings = compare(name, yt, yp, args.rounds)
        ours = timings[0]
        rows += [
            [*t.row(), f"{ours.cpu / t.cpu:.2f}", f"{ours.wall / t.wall:.2f}"] for t in timings
        ]
        sk = timings[1]
        notes.append(f"{name}: scikit-learn / cxreval = {sk.cpu / ours.cpu:.1f}x CPU")
        ratio = sk.cpu / ours.cpu if ratio is None else ratio
    print(table(rows, [*HEADER, "cxreval/this CPU", "cxreval/this wall"]))
    print("\n".join(notes))
    target = 5.0
    verdict = "meets" if ratio >= target else "MISSES"
    print(f"binary int labels: {ratio:.1f}x faster than scikit-learn, {verdict} the 5x target")
    return 0 if ratio >= target or args.n < 10**6 else 1


if __name__ == "__main__":
    sys.exit(main())
