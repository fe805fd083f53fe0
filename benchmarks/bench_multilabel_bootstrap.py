"""The joint multi-label bootstrap against a loop of scikit-learn calls on the same resamples.

A simulated study shaped like NIH ChestX-ray14: n images of patients with geometric
cluster sizes (mean 3.64 images per patient, NIH's 112,120 / 30,805), L findings with
prevalences from 0.2 % to 18 % (NIH's range), scores ``y + N(0, 1.2)`` rounded to 3
decimals, 2 % of labels missing. Timed in one process:

* cxreval ``multilabel_auc(..., ci=True)`` (B resamples of the images once for all
  findings, intervals of the macro / micro / weighted means), without and with
  ``groups=`` (patients resampled);
* the single-label engine per finding: ``roc_auc_ci(ci_method="bootstrap",
  stratified=False)`` on each finding in turn (L separate bootstraps), for the
  "within a small factor of the single-label engine per finding" target (it does not
  compute the micro mean, whose pooled cells are as many as all findings' together, nor
  the point estimates with their DeLong intervals that ``multilabel_auc`` also gives);
* the same resamples through scikit-learn: per resample, the rows of the drawn images
  (or patients) and one ``roc_auc_score`` per finding plus the pooled micro AUC -- timed
  on ``--sklearn-resamples`` resamples and scaled to B (it is linear in B; said so);
* the floor: drawing the B x n image indices once for all findings (numpy
  ``Generator.integers``, chunked as the engine draws), resp. the B x K patient indices
  and expanding each resample to its images (the rows a cluster bootstrap must read).

Prints wall and CPU seconds (min / median over rounds), each median over the joint
bootstrap's (scikit-learn / joint: the speed-up) and the joint bootstrap over its floor.

    PYTHONPATH=src python -m benchmarks.bench_multilabel_bootstrap            # n=10^5, L=14, B=2000
    PYTHONPATH=src python -m benchmarks.bench_multilabel_bootstrap --quick    # n=10^4, B=200
    PYTHONPATH=src python -m benchmarks.bench_multilabel_bootstrap --n 500 --labels 3 --n-boot 50
"""

from __future__ import annotations

import argparse
import warnings

import numpy as np
from sklearn.metrics import roc_auc_score

from benchmarks.timing import HEADER, Timing, measure, table
from cxreval import multilabel_auc, roc_auc_ci
from cxreval._resampling import cluster_units, draw_chunks

SEED = 20261203


def study(n: int, n_labels: int, seed: int = SEED):
    """``(y, s, groups)``: labels with NaN for missing, scores, patient IDs."""
    rng = np.random.default_rng(seed)
    sizes = rng.geometric(1 / 3.64, size=n)
    groups = np.repeat(np.arange(n), sizes)[:n]
    prevalence = np.geomspace(0.002, 0.18, n_labels)
    y = (rng.random((n, n_labels)) < prevalence).astype(float)
    s = np.round(y + rng.normal(0.0, 1.2, (n, n_labels)), 3)
    y[rng.random((n, n_labels)) < 0.02] = np.nan
    return y, s, groups


def sklearn_loop(y, s, units, n_resamples, seed):
    """The joint bootstrap's statistics by scikit-learn on ``n_resamples`` resamples."""
    k = int(units.max()) + 1
    members = np.argsort(units, kind="stable")
    sizes = np.bincount(units, minlength=k)
    starts = np.cumsum(sizes) - sizes
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n_resamples):
        d = rng.integers(0, k, k)
        lens = sizes[d]
        ends = np.cumsum(lens)
        idx = members[np.arange(ends[-1]) - np.repeat(ends - lens - starts[d], lens)]
        yy, ss = y[idx], s[idx]
        aucs = []
        for j in range(y.shape[1]):
            known = ~np.isnan(yy[:, j])
            aucs.append(roc_auc_score(yy[known, j], ss[known, j]))
        known = ~np.isnan(yy)
        out.append((np.mean(aucs), roc_auc_score(yy[known], ss[known])))
    return out


def floor(units: np.ndarray, n_boot: int, seed: int) -> None:
    """Draw the resamples of the units (images or patients) and expand them to images."""
    k = int(units.max()) + 1
    rng = np.random.default_rng(seed)
    if k == len(units):  # one unit per image: the indices are the resample
        for _ in draw_chunks([k], n_boot, rng):
            pass
        return
    members = np.argsort(units, kind="stable")
    sizes = np.bincount(units, minlength=k)
    starts = np.cumsum(sizes) - sizes
    for (drawn,) in draw_chunks([k], n_boot, rng):
        for d in drawn:
            lens = sizes[d]
            ends = np.cumsum(lens)
            members[np.arange(ends[-1]) - np.repeat(ends - lens - starts[d], lens)]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="images (default 10^5)")
    parser.add_argument("--labels", type=int, default=14, help="findings (default 14)")
    parser.add_argument("--n-boot", type=int, default=2000, help="resamples B (default 2000)")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--sklearn-resamples", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="n = 10^4, B = 200")
    args = parser.parse_args(argv)
    if args.quick:
        args.n, args.n_boot = 10_000, 200
    y, s, groups = study(args.n, args.labels)
    print(
        f"n = {args.n} images of {groups.max() + 1} patients, {args.labels} findings, "
        f"B = {args.n_boot}; scikit-learn timed on {args.sklearn_resamples} resamples, "
        f"scaled x{args.n_boot / args.sklearn_resamples:g}\n"
    )
    scale = args.n_boot / args.sklearn_resamples
    rows, notes = [], []
    for label, g in (("images", None), ("patients (groups=)", groups)):
        joint = Timing(f"cxreval joint bootstrap, {label}")
        single = Timing(f"cxreval single-label engine x {args.labels}, {label}")
        loop = Timing(f"scikit-learn loop, {label} (x{scale:g})", scale=scale)
        base = Timing(f"floor: draw + expand indices, {label}")
        units = np.arange(args.n) if g is None else cluster_units(g)
        for _ in range(args.rounds):
            measure(base, lambda u=units: floor(u, args.n_boot, SEED))
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                measure(
                    joint,
                    lambda g=g: multilabel_auc(
                        y, s, groups=g, ci=True, n_boot=args.n_boot, random_state=SEED
                    ),
                )
                measure(
                    single,
                    lambda g=g: [
                        roc_auc_ci(
                            y[~np.isnan(y[:, j]), j],
                            s[~np.isnan(y[:, j]), j],
                            ci_method="bootstrap",
                            stratified=False,
                            groups=None if g is None else g[~np.isnan(y[:, j])],
                            n_boot=args.n_boot,
                            random_state=SEED,
                        )
                        for j in range(args.labels)
                    ],
                )
            measure(loop, lambda u=units: sklearn_loop(y, s, u, args.sklearn_resamples, SEED))
        rows += [t.row(joint) for t in (joint, single, loop, base)]
        notes.append(
            f"{label}: joint / floor = {joint.cpu / base.cpu:.2f} CPU, "
            f"{joint.wall / base.wall:.2f} wall; scikit-learn / joint = "
            f"{loop.cpu / joint.cpu:.1f} CPU, {loop.wall / joint.wall:.1f} wall"
        )
    print(table(rows, [*HEADER, "wall / joint", "CPU / joint"]))
    print(
        "\n(the last two columns: each row's median over the joint bootstrap's; the "
        "scikit-learn row is the speed-up of the joint bootstrap)"
    )
    print("\n".join(notes))


if __name__ == "__main__":
    main()
