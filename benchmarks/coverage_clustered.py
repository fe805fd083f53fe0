"""Coverage of image-level and clustered 95 % intervals when patients have several images.

Simulated studies with realistic cluster sizes: each replicate draws ``--patients``
patients (200 and 1,000 by default; NIH's official test set has 2,797) whose numbers of
images are drawn from NIH ChestX-ray14's images-per-patient distribution (all 30,805
patients of ``../shared/data/nih_chestxray14``: mean 3.64, median 1, up to 184). Without
the metadata a documented stand-in is used and said so:
``1 + NegativeBinomial(r = 0.35, mean 2.64)``, which has NIH's mean and a long tail.

Within a patient i, images share a disease propensity and a score offset:

    y_ij ~ Bernoulli(expit(logit(0.3) + b_i)),  b_i ~ N(0, tau^2)
    s_ij = mu * y_ij + u_i + e_ij,              u_i ~ N(0, sigma^2), e_ij ~ N(0, 1)

with mu = 1.5. The target AUC is that of two images of *different* patients,
``Phi(mu / sqrt(2 + 2 sigma^2))``; the target sensitivity at threshold ``t = 0.75`` is
``Phi((mu - t) / sqrt(1 + sigma^2))``. Three scenarios: no clustering (sigma = tau = 0),
moderate (0.75, 1) and strong (1.5, 2). For each, the share of replicates whose interval
holds the target, with its Monte Carlo standard error ``sqrt(c (1 - c) / R)``:

* AUC: image-level DeLong (:func:`cxreval.roc_auc_ci`) against Obuchowski's clustered
  interval (``roc_auc_ci(..., groups=)``) and the cluster bootstrap (``roc_auc_ci(...,
  ci_method="bootstrap", groups=)``: patients resampled, percentile interval, ``--n-boot``
  resamples, on the first ``--boot-reps`` replicates of each cell only -- it is the slow
  one -- so its Monte Carlo error is larger, and printed);
* sensitivity: image-level Wilson (:func:`cxreval.proportion_ci`) against the clustered
  Wilson interval (:func:`cxreval.clustered.clustered_proportion_ci`).

    python benchmarks/coverage_clustered.py [--reps 2000] [--boot-reps 300] [--n-boot 500]
        [--patients 200 1000] [--seed 2017] [--quick]
        [--figure docs/_static/coverage_clustered.png] [--text docs/_static/coverage_clustered.txt]

``--quick`` (100 replicates, 30 of them bootstrapped with B = 200) checks that the script
runs, in well under a minute; its coverages are too noisy to read.
"""

from __future__ import annotations

import argparse
import time
import warnings
from pathlib import Path

import numpy as np
from scipy.special import expit, logit, ndtr

from benchmarks.nih_leakage import NIH_FOLDER, read_nih_metadata
from cxreval import proportion_ci, roc_auc_ci
from cxreval._io import save_figure, write_atomic
from cxreval.clustered import clustered_proportion_ci

ROOT = Path(__file__).resolve().parents[1]
MU, THRESHOLD, PREVALENCE = 1.5, 0.75, 0.3
#: (name, sigma: score offset SD per patient, tau: label propensity SD per patient)
SCENARIOS = (("no clustering", 0.0, 0.0), ("moderate", 0.75, 1.0), ("strong", 1.5, 2.0))
INTERVALS = (
    ("AUC", "image-level DeLong"),
    ("AUC", "Obuchowski (clustered)"),
    ("sensitivity", "image-level Wilson"),
    ("sensitivity", "clustered Wilson"),
    ("AUC", "cluster bootstrap"),
)
BOOT = 4  # the column of the cluster bootstrap (run on fewer replicates)


def cluster_sizes(folder: str | Path = NIH_FOLDER) -> tuple[np.ndarray | None, str]:
    """NIH's images per patient (None for the synthetic stand-in) and where they came from."""
    data = read_nih_metadata(folder)
    if data is None:
        return None, "synthetic stand-in 1 + NegBin(r=0.35, mean 2.64) (NIH metadata absent)"
    sizes = np.unique(data["patient"], return_counts=True)[1]
    return sizes, (
        f"NIH ChestX-ray14 images per patient ({len(sizes):,} patients, mean "
        f"{sizes.mean():.2f}, median {np.median(sizes):g}, max {sizes.max()})"
    )


def draw_sizes(rng: np.random.Generator, sizes: np.ndarray | None, k: int) -> np.ndarray:
    if sizes is not None:
        return rng.choice(sizes, k)
    r = 0.35
    return 1 + rng.negative_binomial(r, r / (r + 2.64), k)


def replicate(rng, sizes, n_patients: int, sigma: float, tau: float, level: float,
              boot: tuple[int, int] | None = None):  # fmt: skip
    """One simulated study: does each of the five intervals hold its target? ``boot``:
    ``(n_boot, seed)`` of the cluster bootstrap, or None to skip it (NaN)."""
    while True:
        per = draw_sizes(rng, sizes, n_patients)
        groups = np.repeat(np.arange(n_patients), per)
        p = expit(logit(PREVALENCE) + np.repeat(rng.normal(0, tau, n_patients), per))
        y = (rng.random(len(groups)) < p).astype(int)
        if len(np.unique(groups[y == 1])) >= 2 and len(np.unique(groups[y == 0])) >= 2:
            break
    s = MU * y + np.repeat(rng.normal(0, sigma, n_patients), per) + rng.normal(0, 1, len(y))
    auc_true = ndtr(MU / np.sqrt(2 + 2 * sigma**2))
    sens_true = ndtr((MU - THRESHOLD) / np.sqrt(1 + sigma**2))
    image = roc_auc_ci(y, s, level=level)
    clustered = roc_auc_ci(y, s, groups=groups, level=level)  # Obuchowski
    hits = (s[y == 1] >= THRESHOLD).astype(int)
    low, high = proportion_ci(hits.sum(), len(hits), level=level)
    sens = clustered_proportion_ci(hits, groups=groups[y == 1], level=level)
    booted = np.nan
    if boot is not None:
        cb = roc_auc_ci(y, s, ci_method="bootstrap", groups=groups, level=level,
                        n_boot=boot[0], random_state=boot[1])  # fmt: skip
        booted = cb.low <= auc_true <= cb.high
    deff_auc = (clustered.se / image.se) ** 2
    return (
        image.low <= auc_true <= image.high,
        clustered.low <= auc_true <= clustered.high,
        float(low) <= sens_true <= float(high),
        sens.low <= sens_true <= sens.high,
        booted,
    ), (len(y), deff_auc, sens.design_effect, image.auc - auc_true,
         sens.estimate - sens_true)  # fmt: skip


def run(reps: int, n_patients: int, seed: int, level: float = 0.95, folder=NIH_FOLDER,
        boot_reps: int = 300, n_boot: int = 500):  # fmt: skip
    """Coverage per scenario and interval, with the study sizes and design effects; the
    cluster bootstrap on the first ``boot_reps`` replicates (its seeds from their own
    generator, so the other intervals' replicates do not depend on it)."""
    sizes, source = cluster_sizes(folder)
    rng = np.random.default_rng(seed)
    boot_seeds = np.random.default_rng([seed, 1])
    results = {}
    for name, sigma, tau in SCENARIOS:
        covered, extra = [], []
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a rare replicate with one cluster of a kind
            for r in range(reps):
                boot = (n_boot, int(boot_seeds.integers(2**31))) if r < boot_reps else None
                hit, info = replicate(rng, sizes, n_patients, sigma, tau, level, boot)
                covered.append(hit)
                extra.append(info)
        covered, extra = np.array(covered, dtype=float), np.array(extra)
        coverage = np.nanmean(covered, axis=0)
        counts = (~np.isnan(covered)).sum(axis=0)
        results[name] = {
            "coverage": coverage,
            "mc_se": np.sqrt(coverage * (1 - coverage) / counts),
            "n": counts,
            "images": np.median(extra[:, 0]),
            "deff_auc": np.nanmedian(extra[:, 1]),
            "deff_sens": np.nanmedian(extra[:, 2]),
            "bias": np.nanmean(extra[:, 3:], axis=0),
            "sigma": sigma,
            "tau": tau,
        }
    return results, source


def format_table(results, n_patients: int) -> str:
    lines = [
        f"-- {n_patients} patients per study",
        f"{'scenario':<15}{'statistic':<13}{'interval':<24}{'coverage':>18}{'median deff':>13}",
    ]
    for name, r in results.items():
        lines.append(
            f"{name} (sigma={r['sigma']:g}, tau={r['tau']:g}; median {r['images']:.0f} images; "
            f"mean error of the estimate: AUC {r['bias'][0]:+.4f}, "
            f"sensitivity {r['bias'][1]:+.4f})"
        )
        for j, (stat, interval) in enumerate(INTERVALS):
            deff = "" if j in (0, 2, BOOT) else f"{r['deff_auc' if j < 2 else 'deff_sens']:.2f}"
            fewer = f"  ({r['n'][j]} replicates)" if r["n"][j] != r["n"][0] else ""
            lines.append(
                f"{'':<15}{stat:<13}{interval:<24}"
                f"{r['coverage'][j]:>11.3f} +- {r['mc_se'][j]:.3f}{deff:>13}{fewer}"
            )
    return "\n".join(lines)


def plot(results, ax=None, title: str = ""):
    """Coverage with +- 2 Monte Carlo SE per interval and scenario, against 95 %."""
    from cxreval.plotting import get_axes

    ax = get_axes(ax, figsize=(7.5, 3.8))
    width = 0.16
    for j, (stat, interval) in enumerate(INTERVALS):
        x = np.arange(len(results)) + (j - 2) * width
        cov = [r["coverage"][j] for r in results.values()]
        err = [2 * r["mc_se"][j] for r in results.values()]
        ax.errorbar(x, cov, yerr=err, fmt="o" if "image" in interval else "s", capsize=3,
                    label=f"{stat}: {interval}", color=f"C{j}")  # fmt: skip
    ax.axhline(0.95, ls="--", color="grey", lw=1)
    ax.set(xticks=range(len(results)), xticklabels=list(results), ylabel="coverage",
           ylim=(0.45, 1.0), title=title)  # fmt: skip
    ax.legend(fontsize="small", loc="lower left")
    return ax


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=2000)
    parser.add_argument(
        "--boot-reps",
        type=int,
        default=300,
        help="replicates (the first ones) that also get the cluster bootstrap",
    )
    parser.add_argument("--n-boot", type=int, default=500, help="resamples of that bootstrap")
    parser.add_argument("--patients", type=int, nargs="+", default=[200, 1000])
    parser.add_argument("--seed", type=int, default=2017)
    parser.add_argument(
        "--quick",
        action="store_true",
        help="100 replicates, 30 bootstrapped with B=200: a fast smoke run",
    )
    parser.add_argument("--data", default=str(NIH_FOLDER))
    parser.add_argument("--figure", help="save the figure here (PNG)")
    parser.add_argument("--text", help="save the printed table here")
    args = parser.parse_args(argv)
    if args.quick:
        args.reps, args.boot_reps, args.n_boot = 100, 30, 200
    boot_reps = min(args.boot_reps, args.reps)
    start = time.perf_counter()
    runs = {}
    for n_patients in args.patients:
        runs[n_patients], source = run(args.reps, n_patients, args.seed, folder=args.data,
                                       boot_reps=boot_reps, n_boot=args.n_boot)  # fmt: skip
    head = (
        f"cluster sizes: {source}\n{args.reps} replicates per scenario and study size, "
        f"seed {args.seed}, nominal 95 %; coverage +- Monte Carlo SE sqrt(c (1 - c) / R)\n"
        f"cluster bootstrap: roc_auc_ci(ci_method='bootstrap', groups=), percentile, "
        f"B={args.n_boot}, on the first {boot_reps} replicates of each cell (the slow one)\n"
    )
    text = head + "\n\n".join(format_table(r, n) for n, r in runs.items())
    print(text)
    print(f"\n({time.perf_counter() - start:.0f} s)")
    if args.text:
        write_atomic(args.text, text + "\n")
    if args.figure:
        import matplotlib.pyplot as plt

        fig, axes = plt.subplots(1, len(runs), figsize=(7 * len(runs), 4), squeeze=False)
        for ax, (n, r) in zip(axes[0], runs.items(), strict=True):
            plot(r, ax=ax, title=f"{n} patients per study (NIH cluster sizes)")
        save_figure(fig, args.figure)
        plt.close(fig)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
