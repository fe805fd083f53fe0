"""Time and peak memory of ``cxreval report`` on 10^5, 10^6 and 10^7 rows, and its output size.

Data: a CSV of ``y`` (0/1, prevalence 0.3) and one model's continuous scores (no ties,
shuffled), seeded. Each size runs ``cxreval report`` in a fresh process (DeLong interval,
the CLI's defaults), so the peak resident memory is that of the report alone; the floor
printed beside it is reading the CSV with numpy (``np.loadtxt`` of the two columns is far
slower than our reader, so the floor is the file's own size and the 16 bytes a row of
two float64 columns takes in memory). Run from the project root::

    PYTHONPATH=src python benchmarks/bench_report_scale.py [--sizes 100000 1000000 10000000]

Prints, per size: wall and CPU seconds, peak RSS, the CSV's size, the report folder's size
and ``report.json``'s size. Target: ``report.json`` stays small (curves are thinned) and
memory O(n) with a small constant.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def write_csv(path: Path, n: int, seed: int = 0) -> None:
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.3).astype(np.int8)
    score = 1 / (1 + np.exp(-(1.2 * y + rng.normal(0, 1, n))))
    with open(path, "w") as handle:
        handle.write("y,model\n")
        np.savetxt(handle, np.column_stack([y, score]), fmt=["%d", "%.9f"], delimiter=",")


def run_report(csv: Path, out: Path) -> dict[str, float]:
    """One ``cxreval report`` in a child process; its wall time, CPU time and peak RSS."""
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), MPLBACKEND="Agg")
    code = "import sys; from cxreval.cli import main; sys.exit(main(sys.argv[1:]))"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", code, "report", str(csv), "--label-col", "y",
         "--score-col", "model", "--out", str(out)],
        check=True, env=env, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "wall": wall,
        "cpu": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
        "peak_mib": after.ru_maxrss / 1024,  # Linux: KiB; the largest child so far
    }


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10**5, 10**6, 10**7])
    args = parser.parse_args(argv)
    print(f"cxreval report, one model, DeLong CI; numpy {np.__version__}; one run per size")
    print(
        f"{'n':>10} {'wall s':>8} {'cpu s':>8} {'peak MiB':>9} {'csv MiB':>8} "
        f"{'n*16 B MiB':>10} {'report MiB':>10} {'json KiB':>9}"
    )
    for n in sorted(args.sizes):  # ascending: RUSAGE_CHILDREN's peak is the largest so far
        with tempfile.TemporaryDirectory() as tmp:
            csv, out = Path(tmp) / "predictions.csv", Path(tmp) / "report"
            write_csv(csv, n)
            m = run_report(csv, out)
            json_kib = (out / "report.json").stat().st_size / 1024
            print(
                f"{n:>10,} {m['wall']:>8.1f} {m['cpu']:>8.1f} {m['peak_mib']:>9.0f} "
                f"{csv.stat().st_size / 2**20:>8.1f} {n * 16 / 2**20:>10.1f} "
                f"{folder_size(out) / 2**20:>10.2f} {json_kib:>9.0f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
