"""Every ``benchmarks/bench_*.py`` (and the quick partial-AUC coverage study) runs at a
tiny size, so a broken benchmark fails CI.

Correctness of the timings is not tested (they vary); that each benchmark runs to its
end, prints its table, and finds its own checks true (e.g. the same replicates from both
engines) is. About 20 s in all; pROC is run only where ``Rscript`` and pROC exist.
"""

from __future__ import annotations

import importlib

import pytest

TINY = {
    "bench_bootstrap": ["--sizes", "300", "--rounds", "1"],
    "bench_multilabel_bootstrap": [
        "--n", "400", "--labels", "3", "--n-boot", "40", "--sklearn-resamples", "2",
    ],
    "bench_statmaker": ["--n", "20000", "--rounds", "1"],
    "bench_roc": [
        "--rounds", "1", "--peer-boot", "40", "--n-bootstrap", "600", "--n-delong", "600",
        "--skip-memory",
    ],
    "bench_report_scale": ["--sizes", "2000", "--rounds", "1"],
    "bench_predict": ["--n", "32", "--rounds", "1", "--batch-size", "16"],
    "bench_pipeline": ["--n", "16", "--size", "64", "--rounds", "1"],
    "coverage_partial_auc": ["--quick"],
}  # fmt: skip
NEEDS_TENSORFLOW = {"bench_predict", "bench_pipeline"}


@pytest.mark.parametrize("name", sorted(TINY))
def test_benchmark_runs_at_a_tiny_size(name, capsys, monkeypatch):
    if name in NEEDS_TENSORFLOW:
        pytest.importorskip("tensorflow")
    module = importlib.import_module(f"benchmarks.{name}")
    monkeypatch.setattr("cxreval._resampling.ENGINE", "auto")  # benchmarks switch it
    module.main(TINY[name])
    out = capsys.readouterr().out
    assert "=====" in out or "wall" in out  # a table of timings was printed


def test_every_benchmark_has_a_smoke_run():
    from pathlib import Path

    folder = Path(__file__).resolve().parents[2] / "benchmarks"
    found = {p.stem for p in folder.glob("bench_*.py")} - {
        "bench_train_seeds",
        "bench_train_throughput",
    }
    assert found == {name for name in TINY if name.startswith("bench_")}
