"""cxreval's AUC intervals against their peers, in one run, with ratios.

Data (stated in the output): shuffled cases (random order -- never pre-sorted by score,
which would make every sort nearly free), half positive, scores ``y + N(0, 1)``; the
"tied" variant rounds the scores as probabilities to 2 decimals (~100 distinct values).

1. Stratified percentile bootstrap of the AUC, B = 2000, n = 10^5, continuous and tied:
   cxreval (default engine; and ``resampling="multinomial"`` on tied data), the floor
   (drawing the B x n indices alone), a loop of ``sklearn.metrics.roc_auc_score`` over the
   *same* resamples (checked to give identical replicates), pROC 1.18's
   ``ci.auc(method="bootstrap", boot.stratified=TRUE)`` through ``Rscript`` (skipped when R
   or pROC is missing; timed inside R, so R's start-up is not counted), and MLstatkit /
   confidenceinterval when installed. The peers run ``--peer-boot`` resamples (default 200)
   and their times are scaled to B = 2000 (said so in the table).
2. DeLong interval, n = 10^6, shuffled: cxreval against pROC's ``roc`` + ``ci.auc``.
3. Peak traced memory of the bootstrap for several (n, B): O(n + B), never B x n.

Every timing: CPU and wall seconds, min and median over ``--rounds``; ratios are medians.

    PYTHONPATH=src python -m benchmarks.bench_roc [--rounds 3] [--peer-boot 200]
    PYTHONPATH=src python -m benchmarks.bench_roc --rounds 1 --peer-boot 40 --n-bootstrap 2000 \
        --n-delong 2000 --skip-memory                                   # a smoke run
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import io
import os
import shutil
import subprocess
import tempfile
import tracemalloc
import warnings
from pathlib import Path

import numpy as np
from sklearn.metrics import roc_auc_score

from benchmarks.bench_bootstrap import data, draw_all
from benchmarks.timing import HEADER, Timing, measure, table
from cxreval import _resampling, bootstrap, roc_auc_ci

SEED = 20261121
N_BOOT = 2000

R_SCRIPT = r"""
suppressMessages(library(pROC))
a <- commandArgs(TRUE)
d <- read.csv(a[1]); what <- a[2]; B <- as.integer(a[3]); rounds <- as.integer(a[4])
for (i in seq_len(rounds)) {
  set.seed(i)
  t <- system.time({
    r <- roc(d$y, d$s, levels = c(0, 1), direction = "<", quiet = TRUE)
    ci <- if (what == "bootstrap") {
      ci.auc(r, method = "bootstrap", boot.n = B, boot.stratified = TRUE, progress = "none")
    } else ci.auc(r, method = "delong")
  })
  cat(sprintf("%.6f %.6f %.6f %.6f\n", t[["user.self"]] + t[["sys.self"]], t[["elapsed"]],
              ci[1], ci[3]))
}
"""


RATIO_HEADER = [*HEADER, "/cxreval wall", "/cxreval CPU"]


def ratio_rows(timings: list[Timing], ours: Timing) -> list[list[str]]:
    """Table rows with each median relative to cxreval's."""
    return [[*t.row(), f"{t.wall / ours.wall:.2f}", f"{t.cpu / ours.cpu:.2f}"] for t in timings]


def proc_available() -> bool:
    if shutil.which("Rscript") is None:
        return False
    ok = subprocess.run(
        ["Rscript", "-e", "quit(status = !requireNamespace('pROC', quietly = TRUE))"],
        capture_output=True,
    )
    return ok.returncode == 0


def proc(y, s, what: str, n_boot: int, rounds: int, scale: float, name: str) -> Timing:
    """pROC timed inside R, ``rounds`` rounds in one Rscript process."""
    timing = Timing(name, scale=scale)
    with tempfile.TemporaryDirectory() as tmp:
        csv, script = Path(tmp) / "d.csv", Path(tmp) / "bench.R"
        np.savetxt(csv, np.column_stack((y, s)), delimiter=",", header="y,s", comments="")
        script.write_text(R_SCRIPT)
        out = subprocess.run(
            ["Rscript", str(script), str(csv), what, str(n_boot), str(rounds)],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
    for line in out.split("\n"):
        if line.strip():
            cpu, wall, low, high = map(float, line.split())
            timing.add(wall, cpu)
            timing.result = (low, high)
    return timing


def python_tools(y, s, n_boot: int) -> dict:
    tools = {}
    if importlib.util.find_spec("MLstatkit"):
        from MLstatkit import Bootstrapping

        def mlstatkit():
            with contextlib.redirect_stderr(io.StringIO()):
                return Bootstrapping(y, s, "roc_auc", n_bootstraps=n_boot, random_state=0)

        tools["MLstatkit (not stratified)"] = mlstatkit
    if importlib.util.find_spec("confidenceinterval"):
        from confidenceinterval import roc_auc_score as ci_roc_auc

        def confint():
            return ci_roc_auc(
                y, s, method="bootstrap_percentile", n_resamples=n_boot,
                random_state=np.random.RandomState(0),
            )  # fmt: skip

        tools["confidenceinterval (not stratified)"] = confint
    return tools


def bootstrap_section(tied: bool, args, has_proc: bool) -> None:
    n = args.n_bootstrap
    y, s = data(n, tied)
    scale = N_BOOT / args.peer_boot
    peer = f" (B={args.peer_boot}, x{scale:g})" if scale != 1 else ""
    sizes = [int((y == 0).sum()), int((y == 1).sum())]
    # the engine's case order (strata by score): the looped sklearn statistic then sees
    # exactly cxreval's resamples; each resample itself is in random order
    order = np.concatenate(_resampling.score_strata(y, s, True))
    yo, so = y[order], s[order]

    def ours(resampling="cases"):
        extra = {} if resampling == "cases" else {"resampling": resampling}
        return roc_auc_ci(y, s, ci_method="bootstrap", n_boot=N_BOOT, random_state=SEED, **extra)

    runs = {"cxreval": (ours, 1.0), "floor (draw indices)": (lambda: draw_all(sizes), 1.0)}
    if tied and hasattr(_resampling, "RESAMPLINGS"):  # (not in cxreval before 0.x)
        runs["cxreval multinomial"] = (lambda: ours("multinomial"), 1.0)

    def sk_loop():
        return bootstrap(
            roc_auc_score, yo, so, n_boot=args.peer_boot, strata=yo, random_state=SEED,
            bounds=(0, 1),
        )  # fmt: skip

    runs["sklearn loop" + peer] = (sk_loop, scale)
    for name, fn in python_tools(y, s, args.peer_boot).items():
        runs[name + peer] = (fn, scale)
    ours_timing = Timing("cxreval")
    timings = {name: Timing(name, scale=sc) for name, (_, sc) in runs.items()}
    timings["cxreval"] = ours_timing
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(args.rounds):
            for name, (fn, _) in runs.items():
                measure(timings[name], fn)
    if has_proc:
        timings["pROC" + peer] = proc(y, s, "bootstrap", args.peer_boot, args.rounds, scale,
                                      "pROC" + peer)  # fmt: skip
    else:
        print("pROC: Rscript or pROC not installed -- skipped")
    same = np.allclose(
        timings["sklearn loop" + peer].result.replicates,
        ours_timing.result.bootstrap.replicates[: args.peer_boot],
        rtol=0,
        atol=1e-12,
    )
    kind = "tied (~100 distinct scores)" if tied else "continuous (no ties)"
    print(f"\n[1] stratified bootstrap of the AUC, B = {N_BOOT}, n = {n}, shuffled, {kind}")
    print(table(ratio_rows(list(timings.values()), ours_timing), RATIO_HEADER))
    print(f"cxreval: {ours_timing.result}")
    print(f"sklearn loop on the same resamples: the same replicates (to 1e-12): {same}")
    for name, t in timings.items():
        if name != "cxreval":
            print(f"  cxreval / {name}: {ours_timing.cpu / t.cpu:.3f} CPU, "
                  f"{ours_timing.wall / t.wall:.3f} wall")  # fmt: skip


def delong_section(args, has_proc: bool) -> None:
    n = args.n_delong
    y, s = data(n, False, SEED + 1)
    ours = Timing("cxreval roc_auc_ci (DeLong)")
    for _ in range(args.rounds):
        measure(ours, lambda: roc_auc_ci(y, s))
    timings = [ours]
    if has_proc:
        timings.append(proc(y, s, "delong", 0, args.rounds, 1.0, "pROC roc + ci.auc (DeLong)"))
    print(f"\n[2] DeLong interval, n = {n}, shuffled, continuous")
    print(table(ratio_rows(timings, ours), RATIO_HEADER))
    print(f"cxreval: {ours.result}")
    for t in timings[1:]:
        print(f"  cxreval / {t.name}: {ours.cpu / t.cpu:.3f} CPU, {ours.wall / t.wall:.3f} wall"
              f"  (pROC's interval {t.result[0]:.4f}-{t.result[1]:.4f})")  # fmt: skip


def memory_section() -> None:
    print("\n[3] peak traced memory of the bootstrap (a dense int32 B x n matrix in brackets)")
    for n, b in ((100_000, 2000), (100_000, 8000), (400_000, 2000)):
        y, s = data(n, False, SEED + 2)
        tracemalloc.start()
        roc_auc_ci(y, s, ci_method="bootstrap", n_boot=b, random_state=0)
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        print(f"    n = {n:>7}, B = {b:>5}: {peak:7.1f} MiB  ({b * n * 4 / 2**20:,.0f} MiB)")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--peer-boot", type=int, default=200, help="resamples of the peers")
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--n-bootstrap", type=int, default=100_000, help="cases of [1]")
    parser.add_argument("--n-delong", type=int, default=1_000_000, help="cases of [2]")
    args = parser.parse_args(argv)
    has_proc = proc_available()
    compiled = hasattr(_resampling, "ENGINE") and _resampling.use_compiled(N_BOOT * 100_000)
    engine = "numba" if compiled else "numpy"
    print(f"{os.cpu_count()} cores; cxreval engine: {engine}; rounds: {args.rounds}; "
          f"seed {SEED}")  # fmt: skip
    if compiled:  # load the compiled kernels before timing (once per process)
        _resampling.ENGINE = "numba"
        roc_auc_ci(*data(200, False), ci_method="bootstrap", n_boot=50, random_state=0)
        _resampling.ENGINE = "auto"
    for tied in (False, True):
        bootstrap_section(tied, args, has_proc)
    delong_section(args, has_proc)
    if not args.skip_memory:
        memory_section()


if __name__ == "__main__":
    main()
