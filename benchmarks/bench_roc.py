"""Speed and memory of cxreval's AUC intervals, with ratios against the baselines.

One run prints:

1. the stratified percentile bootstrap of the AUC, B = 2000, n = 10^5 (target <= 2 s);
2. looping ``sklearn.metrics.roc_auc_score`` over the *same* resamples -- cxreval's
   generic engine calling scikit-learn once per resample, checked to give the identical
   interval (target: cxreval >= 40x faster);
3. the bootstrap of the installable Python tools for it, when installed (MLstatkit's
   ``Bootstrapping``, confidenceinterval's ``roc_auc_score``; target >= 25x vs the faster);
4. the DeLong interval on n = 10^6 (target <= 1 s);
5. peak traced memory of the bootstrap for several (n, B): O(n + B), never B x n.

Wall time is the median of ``--repeat`` runs; CPU time is printed beside it because the
machine may be shared. ``--quick`` runs the slow baselines on B/10 resamples and scales
their time by 10 (said so in the output).

    python benchmarks/bench_roc.py [--quick] [--repeat 3]
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import io
import statistics
import time
import tracemalloc
import warnings

import numpy as np
from sklearn.metrics import roc_auc_score

from cxreval import bootstrap, roc_auc_ci

SEED = 20261121


def timed(fn, repeat: int = 1):
    """(result, median wall seconds, median CPU seconds) over ``repeat`` calls."""
    walls, cpus, out = [], [], None
    for _ in range(repeat):
        w, c = time.perf_counter(), time.process_time()
        out = fn()
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
    return out, statistics.median(walls), statistics.median(cpus)


def data(n: int, seed: int = SEED):
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.5).astype(int)
    score = y * 1.0 + rng.normal(0.0, 1.0, n)
    order = np.argsort(score, kind="stable")  # score order: both engines draw the same cases
    return y[order], score[order]


def peak_mib(fn) -> float:
    tracemalloc.start()
    tracemalloc.reset_peak()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="baselines on B/10, scaled x10")
    parser.add_argument("--repeat", type=int, default=3, help="runs of the cxreval timings")
    args = parser.parse_args(argv)

    n, n_boot = 100_000, 2000
    y, s = data(n)
    print(f"data: n = {n}, {y.sum()} positives, B = {n_boot}, seed {SEED}")

    def ours_run():
        return roc_auc_ci(y, s, ci_method="bootstrap", n_boot=n_boot, random_state=SEED)

    ours, wall, cpu = timed(ours_run, args.repeat)
    print(f"\n[1] cxreval stratified percentile bootstrap: {wall:.3f} s wall "
          f"({cpu:.3f} s CPU)")  # fmt: skip
    print(f"    {ours}")

    b_base = n_boot // 10 if args.quick else n_boot
    scale = n_boot / b_base
    note = f" (B = {b_base}, time x{scale:g})" if args.quick else ""

    loop, lw, lc = timed(
        lambda: bootstrap(
            roc_auc_score, y, s, n_boot=b_base, strata=y, random_state=SEED, bounds=(0, 1)
        )
    )
    lw, lc = lw * scale, lc * scale
    if not args.quick:
        same = np.allclose(loop.replicates, ours.bootstrap.replicates, atol=1e-12, rtol=0)
        print(f"\n[2] sklearn roc_auc_score looped over the same resamples: {lw:.1f} s wall "
              f"({lc:.1f} s CPU); identical replicates: {same}")  # fmt: skip
    else:
        print(f"\n[2] sklearn roc_auc_score looped{note}: {lw:.1f} s wall ({lc:.1f} s CPU)")
    print(f"    speed-up {lw / wall:.0f}x wall, {lc / cpu:.0f}x CPU  target >= 40x")

    baselines = [("sklearn loop", lw, lc)]
    tools = []
    if importlib.util.find_spec("MLstatkit"):
        from MLstatkit import Bootstrapping

        def mlstatkit():
            with contextlib.redirect_stderr(io.StringIO()):
                return Bootstrapping(y, s, "roc_auc", n_bootstraps=b_base, random_state=0)

        tools.append(("MLstatkit.Bootstrapping (not stratified)", mlstatkit))
    else:
        print("\n[3] MLstatkit not installed: skipped")
    if importlib.util.find_spec("confidenceinterval"):
        from confidenceinterval import roc_auc_score as ci_roc_auc

        def confint():
            return ci_roc_auc(
                y, s, method="bootstrap_percentile", n_resamples=b_base,
                random_state=np.random.RandomState(0),
            )  # fmt: skip

        tools.append(("confidenceinterval.roc_auc_score (not stratified)", confint))
    else:
        print("\n[3] confidenceinterval not installed: skipped")
    for name, fn in tools:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res, tw, tc = timed(fn)
        tw, tc = tw * scale, tc * scale
        baselines.append((name.split(".")[0], tw, tc))
        print(f"\n[3] {name}{note}: {tw:.1f} s wall ({tc:.1f} s CPU) -> {res}")
        print(f"    speed-up {tw / wall:.0f}x wall, {tc / cpu:.0f}x CPU")

    yb, sb = data(1_000_000, SEED + 1)
    dl, dw, dc = timed(lambda: roc_auc_ci(yb, sb), args.repeat)
    print(f"\n[4] DeLong CI, n = 10^6: {dw:.3f} s wall ({dc:.3f} s CPU)  target <= 1 s "
          f"-> {'OK' if dw <= 1 else 'MISSED'}\n    {dl}")  # fmt: skip

    print("\n[5] peak traced memory of the bootstrap (a dense int32 B x n index matrix in "
          "brackets)")  # fmt: skip
    for nn, bb in ((100_000, 2000), (100_000, 8000), (400_000, 2000)):
        ym, sm = data(nn, SEED + 2)
        mib = peak_mib(
            lambda ym=ym, sm=sm, bb=bb: roc_auc_ci(
                ym, sm, ci_method="bootstrap", n_boot=bb, random_state=0
            )
        )
        print(f"    n = {nn:>7}, B = {bb:>5}: {mib:7.1f} MiB  ({bb * nn * 4 / 2**20:,.0f} MiB)")

    # the machine may be shared: time cxreval again after the baselines, use all runs
    _, wall2, cpu2 = timed(ours_run, args.repeat)
    wall, cpu = statistics.median([wall, wall2]), statistics.median([cpu, cpu2])
    print(f"\nsummary (cxreval bootstrap: median {wall:.3f} s wall, {cpu:.3f} s CPU of the "
          "runs before and after the baselines)")  # fmt: skip
    print(f"  bootstrap B=2000, n=10^5 <= 2 s: {wall:.2f} s wall, {cpu:.2f} s CPU")
    for name, bw, bc in baselines:
        target = 40 if name == "sklearn loop" else 25
        print(
            f"  vs {name:<20} {bw / wall:5.0f}x wall  {bc / cpu:5.0f}x CPU  (target >= {target}x)"
        )
    print(f"  DeLong CI, n=10^6 <= 1 s: {dw:.3f} s wall, {dc:.3f} s CPU")


if __name__ == "__main__":
    main()
