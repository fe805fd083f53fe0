"""statmaker from 10^7 (y_true, y_pred) pairs against sklearn.metrics.confusion_matrix.

Target: ``cxreval.statmaker_from_predictions`` (confusion matrix *and* every statistic with
its intervals) at least 5x faster than scikit-learn's ``confusion_matrix`` alone on the same
integer labels. Run from the project root::

    PYTHONPATH=src python benchmarks/bench_statmaker.py [--n 10000000] [--repeat 3]

Prints both times (best of ``--repeat``) and the ratio; exits 1 when the ratio is below 5.
String labels are timed as well, for information (no target).
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np
from sklearn.metrics import confusion_matrix as sk_confusion_matrix

import cxreval


def best_time(fn, repeat: int) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def compare(name: str, y_true: np.ndarray, y_pred: np.ndarray, repeat: int) -> float:
    t_ours, s = best_time(lambda: cxreval.statmaker_from_predictions(y_true, y_pred), repeat)
    t_sk, cm = best_time(lambda: sk_confusion_matrix(y_true, y_pred), repeat)
    assert np.array_equal(s.confusion_matrix, cm), "confusion matrices differ"
    ratio = t_sk / t_ours
    print(
        f"{name:<28} cxreval.statmaker_from_predictions {t_ours:7.3f} s   "
        f"sklearn confusion_matrix {t_sk:7.3f} s   ratio {ratio:5.1f}x"
    )
    return ratio


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000_000, help="number of pairs")
    parser.add_argument("--repeat", type=int, default=3, help="timings per method (best kept)")
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    y_true = rng.integers(0, 2, args.n)
    flip = rng.random(args.n) < 0.15
    y_pred = np.where(flip, 1 - y_true, y_true)
    print(f"n = {args.n:,} pairs, numpy {np.__version__}, best of {args.repeat}")
    ratio = compare("binary, int labels", y_true, y_pred, args.repeat)
    y3 = rng.integers(0, 4, args.n)
    compare("4 classes, int labels", y3, np.where(flip, (y3 + 1) % 4, y3), args.repeat)
    names = np.array(["NORMAL", "PNEUMONIA"])
    small = slice(0, args.n // 10)
    compare("binary, str labels, n/10", names[y_true[small]], names[y_pred[small]], args.repeat)
    target = 5.0
    verdict = "meets" if ratio >= target else "MISSES"
    print(f"binary int labels: {ratio:.1f}x faster, {verdict} the {target:.0f}x target")
    return 0 if ratio >= target else 1


if __name__ == "__main__":
    sys.exit(main())
