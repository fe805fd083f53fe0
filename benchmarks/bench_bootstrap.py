"""The AUC bootstrap against its floor: drawing the B x n indices alone.

For each n the data are shuffled (cases in random order), half positive, scores
``y + N(0, 1)`` (continuous: no ties) or those scores as probabilities rounded to 2
decimals (tied: about 100 distinct values). Timed in one process, per round and in turn:

* floor -- drawing the resampled positions alone, exactly as the engine draws them
  (:func:`cxreval._resampling.draw_chunks`: numpy ``Generator.integers``, chunked);
* cxreval ``roc_auc_ci(ci_method="bootstrap")`` (stratified percentile, B = 2000) with the
  compiled engine (numba, when installed) and with the numpy engine: the same numbers;
* on tied data also ``resampling="multinomial"`` (counts over the distinct scores), with
  each engine: the same numbers (numba's binomial draws are numpy's).

Prints CPU and wall seconds, min and median over rounds, and each ratio to the floor
(medians; target <= 1.5 for continuous scores from n = 10^4 to 10^6) and, for the tied
data, cases / multinomial with each engine (target >= 20 at n = 10^5). The machine may be
shared: the rounds interleave the runs, so compare the ratios, not the seconds.

    PYTHONPATH=src python -m benchmarks.bench_bootstrap [--rounds 3] [--sizes 624 10000 ...]
    PYTHONPATH=src python -m benchmarks.bench_bootstrap --tied-only --sizes 100000 --rounds 5
"""

from __future__ import annotations

import argparse
import importlib.util
import os

import numpy as np

from benchmarks.timing import HEADER, Timing, measure, table
from cxreval import _resampling, roc_auc_ci

SEED = 20261121
N_BOOT = 2000


def data(n: int, tied: bool, seed: int = SEED) -> tuple[np.ndarray, np.ndarray]:
    """Shuffled labels and scores (rounded probabilities when ``tied``)."""
    rng = np.random.default_rng(seed)
    y = rng.permutation(np.arange(n) % 2)
    s = y + rng.normal(0.0, 1.0, n)
    return y, (np.round(1 / (1 + np.exp(-s)), 2) if tied else s)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--sizes", type=int, nargs="+", default=[624, 10**4, 10**5, 10**6])
    parser.add_argument("--tied-only", action="store_true", help="only the tied scores")
    args = parser.parse_args(argv)
    engines = ["numba", "numpy"] if importlib.util.find_spec("numba") else ["numpy"]
    if not hasattr(_resampling, "ENGINE"):  # cxreval before the compiled engine
        engines = ["numpy"]
    elif "numba" not in engines:
        print("numba not installed: the compiled engine is skipped")
    print(
        f"B = {N_BOOT}, stratified percentile bootstrap, {args.rounds} rounds, "
        f"{os.cpu_count()} cores; data shuffled, half positive; seed {SEED}"
    )
    if "numba" in engines:  # load the compiled kernels before timing (once per process)
        _resampling.ENGINE = "numba"
        roc_auc_ci(*data(200, False), ci_method="bootstrap", n_boot=50, random_state=0)
    for tied in (True,) if args.tied_only else (False, True):
        rows, notes = [], []
        for n in args.sizes:
            y, s = data(n, tied)
            sizes = [int((y == 0).sum()), int((y == 1).sum())]
            runs = {"floor (draw indices)": lambda sizes=sizes: draw_all(sizes)}
            for engine in engines:
                runs[f"cxreval, {engine}"] = lambda y=y, s=s, e=engine: boot(y, s, e, "cases")
            if tied and hasattr(_resampling, "RESAMPLINGS"):
                for engine in engines:
                    runs[f"multinomial, {engine}"] = lambda y=y, s=s, e=engine: boot(
                        y, s, e, "multinomial"
                    )
            timings = {name: Timing(name) for name in runs}
            for _ in range(args.rounds):
                for name, fn in runs.items():
                    measure(timings[name], fn)
            for kind in ("cxreval", "multinomial"):
                same = [timings[f"{kind}, {e}"].result for e in engines if f"{kind}, {e}" in runs]
                if len(same) == 2:  # the engines give the same numbers
                    a, b = (r.bootstrap.replicates for r in same)
                    assert np.array_equal(a, b), f"{kind}: the engines differ"
            floor = timings["floor (draw indices)"]
            for t in timings.values():
                rows.append([str(n), *t.row(floor)])
            for engine in engines:
                if f"multinomial, {engine}" in timings:
                    multi = timings[f"multinomial, {engine}"]
                    cases = timings[f"cxreval, {engine}"]
                    notes.append(
                        f"n = {n}: cases / multinomial, {engine} engine = "
                        f"{cases.cpu / multi.cpu:.1f}x CPU, {cases.wall / multi.wall:.1f}x wall"
                    )
        kind = "tied scores (~100 distinct)" if tied else "continuous scores (no ties)"
        print(f"\n{kind}; ratios = median / median of the floor")
        header = ["n", "", *HEADER[1:], "/floor wall", "/floor CPU"]
        print(table(rows, header, text_columns=2))
        print("\n".join(notes))


def draw_all(sizes: list[int]) -> None:
    rng = np.random.default_rng(SEED)
    for _ in _resampling.draw_chunks(sizes, N_BOOT, rng):
        pass


def boot(y: np.ndarray, s: np.ndarray, engine: str, resampling: str):
    _resampling.ENGINE = engine
    extra = {} if resampling == "cases" else {"resampling": resampling}
    return roc_auc_ci(y, s, ci_method="bootstrap", n_boot=N_BOOT, random_state=SEED, **extra)


if __name__ == "__main__":
    main()
