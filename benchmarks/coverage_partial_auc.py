"""Coverage of the 95 % intervals of a partial AUC: DeLong-type against the bootstrap.

Binormal data: ``n`` negatives ~ N(0, 1) and ``n`` positives ~ N(mu, 1), mu = 1 and 1.5,
n = 100 and 400 per class. The true partial AUC is the integral of the binormal ROC curve
``R(t) = Phi(mu + Phi^-1(t))`` over the false-positive range ``[1 - hi, 1 - lo]``
(``focus="specificity"``), or of the specificity ``Phi(mu - Phi^-1(se))`` over the
sensitivities ``[lo, hi]`` (``focus="sensitivity"``), by :func:`scipy.integrate.quad`.
Ranges: specificity 0.8-1 and 0.9-1, sensitivity 0.9-1.

For each cell, the share of replicates whose interval holds the true partial AUC, with
its Monte Carlo standard error ``sqrt(c (1 - c) / R)``:

* DeLong-type (``partial_auc_ci(..., ci_method="delong")``), on ``--reps`` replicates;
* the stratified percentile bootstrap (``partial_auc_ci(...)``, ``--n-boot`` resamples),
  on the first ``--boot-reps`` replicates of each cell only (it is the slow one), so its
  Monte Carlo error is larger.

    python -m benchmarks.coverage_partial_auc [--reps 1000] [--boot-reps 200]
        [--n-boot 500] [--seed 2013] [--quick] [--text FILE]

``--quick`` (60 replicates, 10 of them bootstrapped with B = 100) checks that the script
runs in a few seconds; its coverages are too noisy to read.
"""

from __future__ import annotations

import argparse
import time
import warnings
from pathlib import Path

import numpy as np
from scipy.integrate import quad
from scipy.special import ndtr, ndtri
from tabulate import tabulate

from cxreval.partial_roc import partial_auc_ci

MUS = (1.0, 1.5)
SIZES = (100, 400)
RANGES = (("specificity", (0.8, 1.0)), ("specificity", (0.9, 1.0)), ("sensitivity", (0.9, 1.0)))


def true_partial_auc(mu: float, focus: str, limits: tuple[float, float]) -> float:
    """The binormal (equal variances) partial AUC by numerical integration."""
    lo, hi = limits
    if focus == "specificity":
        return quad(lambda t: ndtr(mu + ndtri(t)), 1 - hi, 1 - lo, epsabs=1e-13)[0]
    return quad(lambda se: ndtr(mu - ndtri(se)), lo, hi, epsabs=1e-13)[0]


def run(reps: int, boot_reps: int, n_boot: int, seed: int) -> list[list[str]]:
    """One row per cell: mu, n, range, true pAUC, both coverages and mean half-widths."""
    rng = np.random.default_rng(seed)
    rows = []
    for mu in MUS:
        for n in SIZES:
            y = np.r_[np.zeros(n, int), np.ones(n, int)]
            truth = [true_partial_auc(mu, focus, limits) for focus, limits in RANGES]
            hit_d, hit_b = np.zeros((reps, 3), bool), np.zeros((boot_reps, 3), bool)
            width_d, width_b = np.zeros((reps, 3)), np.zeros((boot_reps, 3))
            for r in range(reps):
                s = mu * y + rng.normal(0, 1, 2 * n)
                for j, (focus, limits) in enumerate(RANGES):
                    d = partial_auc_ci(y, s, limits=limits, focus=focus, ci_method="delong")
                    hit_d[r, j] = d.low <= truth[j] <= d.high
                    width_d[r, j] = d.high - d.low
                    if r < boot_reps:
                        b = partial_auc_ci(
                            y, s, limits=limits, focus=focus, n_boot=n_boot,
                            random_state=int(rng.integers(2**31)),
                        )  # fmt: skip
                        hit_b[r, j] = b.low <= truth[j] <= b.high
                        width_b[r, j] = b.high - b.low
            for j, (focus, limits) in enumerate(RANGES):
                rows.append(
                    [
                        f"{mu:g}",
                        str(n),
                        f"{focus} {limits[0]:g}-{limits[1]:g}",
                        f"{truth[j]:.4f}",
                        _coverage(hit_d[:, j]),
                        _coverage(hit_b[:, j]),
                        f"{width_d[:, j].mean():.4f} / {width_b[:, j].mean():.4f}",
                    ]
                )
    return rows


def _coverage(hits: np.ndarray) -> str:
    c = hits.mean()
    return f"{100 * c:.1f} ({100 * np.sqrt(c * (1 - c) / len(hits)):.1f})"


def main(argv: list[str] | None = None) -> str:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=1000)
    parser.add_argument("--boot-reps", type=int, default=200)
    parser.add_argument("--n-boot", type=int, default=500)
    parser.add_argument("--seed", type=int, default=2013)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--text", type=Path, default=None, help="also write the table here")
    args = parser.parse_args(argv)
    if args.quick:
        args.reps, args.boot_reps, args.n_boot = 60, 10, 100
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # n_boot below 1000: asked for
        rows = run(args.reps, args.boot_reps, args.n_boot, args.seed)
    headers = [
        "mu",
        "n per class",
        "range",
        "true pAUC",
        f"DeLong-type % (MC SE), R={args.reps}",
        f"bootstrap % (MC SE), R={args.boot_reps}, B={args.n_boot}",
        "mean width DeLong / bootstrap",
    ]
    text = (
        tabulate(rows, headers=headers, disable_numparse=True, tablefmt="rst")
        + f"\nnominal 95 %; seed {args.seed}; {time.perf_counter() - start:.0f} s"
    )
    print(text)
    if args.text is not None:
        args.text.write_text(text + "\n")
    return text


if __name__ == "__main__":
    main()
