"""Time and peak memory of ``cxreval report`` on 10^5, 10^6 and 10^7 rows, and its output size.

Data: a CSV of ``y`` (0/1, prevalence 0.3) and one model's continuous scores (no ties,
shuffled), seeded. Three jobs run in turn, each in a fresh process (so the peak resident
memory is the job's own), round by round:

* floor -- reading the two columns (cxreval's CSV reader) and one ``argsort`` of the
  scores: every curve needs the scores in order;
* scikit-learn -- the same reader, then the report's point estimates with scikit-learn:
  ``roc_curve``, ``roc_auc_score``, ``precision_recall_curve``,
  ``average_precision_score``, ``confusion_matrix`` at 0.5 and ``calibration_curve``
  (no interval, no figure, no file);
* ``cxreval report`` -- the CLI's defaults: every statistic with its interval (DeLong's
  for the AUC, Table 1's F1/AP/MCC bootstrap with B = 2000), the figures, and the report
  folder written.

Prints, per size and job, wall and CPU seconds (min and median over ``--rounds``), the
peak RSS, the ratios of the medians (report / scikit-learn, report / floor), and the
sizes of the CSV, the report folder and ``report.json``. Target: ``report.json`` stays
small (curves are thinned) and memory O(n) with a small constant. Run from the project
root::

    PYTHONPATH=src python -m benchmarks.bench_report_scale [--sizes 100000 1000000 10000000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from benchmarks.timing import table

ROOT = Path(__file__).resolve().parents[1]

READ = (
    "from pathlib import Path; from cxreval.cli import read_columns; "
    "y, s, _, _ = read_columns(Path(sys.argv[1]), 'y', ['model']); s = s['model']; "
)
JOBS = {
    "floor (read + argsort)": READ + "import numpy as np; np.argsort(s, kind='stable')",
    "scikit-learn (point estimates)": READ
    + "from sklearn import metrics; from sklearn.calibration import calibration_curve; "
    "metrics.roc_curve(y, s); metrics.roc_auc_score(y, s); "
    "metrics.precision_recall_curve(y, s); metrics.average_precision_score(y, s); "
    "metrics.confusion_matrix(y, s >= 0.5); calibration_curve(y, s, n_bins=10)",
    "cxreval report": "from cxreval.cli import main; "
    "sys.exit(main(['report', sys.argv[1], '--label-col', 'y', '--score-col', 'model', "
    "'--out', sys.argv[2]]))",
}


def write_csv(path: Path, n: int, seed: int = 0) -> None:
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.3).astype(np.int8)
    score = 1 / (1 + np.exp(-(1.2 * y + rng.normal(0, 1, n))))
    with open(path, "w") as handle:
        handle.write("y,model\n")
        np.savetxt(handle, np.column_stack([y, score]), fmt=["%d", "%.9f"], delimiter=",")


def run_child(code: str, csv: Path, out: Path) -> tuple[float, float, float]:
    """One job in a child process: its wall seconds, CPU seconds and peak RSS (MiB)."""
    env = dict(os.environ, PYTHONPATH=f"{ROOT / 'src'}{os.pathsep}{ROOT}", MPLBACKEND="Agg")
    script = "import sys\n" + code
    with tempfile.TemporaryDirectory() as tmp:
        usage = Path(tmp) / "usage"
        wrapper = (
            f"import resource, sys\n"
            f"try:\n    exec(compile({script!r}, 'job', 'exec'))\n"
            f"finally:\n"
            f"    r = resource.getrusage(resource.RUSAGE_SELF)\n"
            f"    open({str(usage)!r}, 'w').write(f'{{r.ru_utime + r.ru_stime}} {{r.ru_maxrss}}')\n"
        )
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-c", wrapper, str(csv), str(out)],
            check=True, env=env, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        wall = time.perf_counter() - start
        cpu, peak_kib = usage.read_text().split()
    return wall, float(cpu), float(peak_kib) / 1024  # Linux: ru_maxrss in KiB


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10**5, 10**6, 10**7])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    print(
        f"cxreval report, one model, the CLI's defaults; {args.rounds} rounds, each job in a "
        f"fresh process; {os.cpu_count()} cores; data shuffled, no ties, prevalence 0.3"
    )
    rows, sizes = [], []
    for n in sorted(args.sizes):
        with tempfile.TemporaryDirectory() as tmp:
            csv = Path(tmp) / "predictions.csv"
            write_csv(csv, n)
            found: dict[str, list[tuple[float, float, float]]] = {job: [] for job in JOBS}
            for r in range(args.rounds):
                for job, code in JOBS.items():
                    out = Path(tmp) / f"report{r}"
                    found[job].append(run_child(code, csv, out))
            out = Path(tmp) / "report0"
            sizes.append(
                [f"{n:,}", f"{csv.stat().st_size / 2**20:.1f}", f"{folder_size(out) / 2**20:.2f}",
                 f"{(out / 'report.json').stat().st_size / 1024:.0f}"]
            )  # fmt: skip
        med = {job: [statistics.median(v[i] for v in runs) for i in range(3)]
               for job, runs in found.items()}  # fmt: skip
        for job, runs in found.items():
            walls, cpus = [w for w, _, _ in runs], [c for _, c, _ in runs]
            ratios = [
                f"{med[job][i] / med[base][i]:.2f}"
                for base in ("scikit-learn (point estimates)", "floor (read + argsort)")
                for i in (0, 1)
            ]
            rows.append(
                [f"{n:,}", job, f"{min(walls):.2f}", f"{med[job][0]:.2f}", f"{min(cpus):.2f}",
                 f"{med[job][1]:.2f}", f"{max(p for *_, p in runs):.0f}", *ratios]
            )  # fmt: skip
    header = ["n", "job", "wall min", "wall med", "CPU min", "CPU med", "peak MiB",
              "/sklearn wall", "/sklearn CPU", "/floor wall", "/floor CPU"]  # fmt: skip
    print(table(rows, header, text_columns=2))
    print("\nsizes of the report (first round)")
    print(table(sizes, ["n", "csv MiB", "report MiB", "report.json KiB"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
